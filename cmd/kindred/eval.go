package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/eval"
	"github.com/kindred-search/kindred/index/load"
)

func evalCommand() command {
	return command{
		name:    "eval",
		summary: "score ranking modes against relevance judgements (nDCG@10, Recall@100, MRR@10) and write TREC run files",
		usage:   "",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			corpus := fs.String("corpus", "", "index this corpus into a temporary directory and evaluate it")
			data := fs.String("data", "", "evaluate this existing index instead of --corpus")
			task := fs.String("task", "search", "search (queries are texts), related (queries are paper IDs of the index: the qrels' query IDs) similar (queries are texts given as pasted text) or recommend (queries are sets of seed papers, from kindred seeds)")
			queries := fs.String("queries", "", "queries, BEIR queries.jsonl (required but for --task related)")
			qrels := fs.String("qrels", "", "judgements, BEIR qrels TSV or TREC qrels (required)")
			modeFlag := fs.String("mode", "all", "keyword, vector, hybrid or all")
			fusion := fs.String("fusion", "", "hybrid fusion: convex or rrf")
			var alpha optionalFloat
			fs.Var(&alpha, "alpha", "convex fusion `weight` of the vector side, 0..1 (default: the index's)")
			run := fs.String("run", "", "write a TREC run file (100 results a query) here; with --mode all, one file per mode: NAME-MODE.trec")
			asJSON := fs.Bool("json", false, "print JSON")
			depth := fs.Int("depth", 100, "results retrieved a query (Recall@100 needs 100)")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected arguments %q", args)
				}
				if (*corpus == "") == (*data == "") {
					return usagef("give exactly one of --corpus or --data")
				}
				tk, err := eval.ParseTask(*task)
				if err != nil {
					return usagef("--task: %v", err)
				}
				if *qrels == "" || (*queries == "" && tk != eval.TaskRelated) {
					return usagef("--qrels is required, and --queries but for --task related")
				}
				var modes []index.Mode
				if *modeFlag == "all" {
					modes = []index.Mode{index.ModeKeyword, index.ModeVector, index.ModeHybrid}
				} else {
					m, err := index.ParseMode(*modeFlag)
					if err != nil {
						return usagef("--mode: %v", err)
					}
					modes = []index.Mode{m}
				}
				fu, err := index.ParseFusion(*fusion)
				if err != nil {
					return usagef("--fusion: %v", err)
				}
				ap := alpha.v
				if ap != nil && (*ap < 0 || *ap > 1) {
					return usagef("--alpha must be between 0 and 1")
				}
				qs, qr, err := readJudgements(*queries, *qrels)
				if err != nil {
					return err
				}
				ix, cleanup, err := openForEval(ctx, e, *corpus, *data)
				if err != nil {
					return err
				}
				defer cleanup()
				var reps []eval.Report
				for _, m := range modes {
					rep, err := eval.Run(ctx, ix, qs, qr, eval.Options{Task: tk, Mode: m, Fusion: fu, Alpha: ap, Depth: *depth})
					if err != nil {
						return fmt.Errorf("eval %s: %w", m, err)
					}
					for _, f := range rep.Failures {
						fmt.Fprintf(e.stderr, "query %s failed: %s\n", f.QueryID, f.Error)
					}
					reps = append(reps, rep)
					if *run != "" {
						if err := writeRunFile(runName(*run, m, len(modes) > 1), rep); err != nil {
							return err
						}
					}
				}
				return printReports(e, reps, *run, len(modes) > 1, *asJSON)
			}
		},
	}
}

// readJudgements reads the queries and judgements; without a queries file, the queries are the
// judgements' query IDs (paper IDs, for --task related).
func readJudgements(queries, qrels string) ([]eval.Query, eval.Qrels, error) {
	rf, err := os.Open(qrels)
	if err != nil {
		return nil, nil, fmt.Errorf("qrels: %w", err)
	}
	defer rf.Close()
	qr, err := eval.ReadQrels(rf, qrels)
	if err != nil {
		return nil, nil, err
	}
	if queries == "" {
		return eval.QueriesFromQrels(qr), qr, nil
	}
	qs, err := eval.ReadQueriesFile(queries)
	return qs, qr, err
}

func openForEval(ctx context.Context, e *env, corpus, data string) (*index.Index, func(), error) {
	if data != "" {
		ix, err := openReadOnly(ctx, data)
		if err != nil {
			return nil, nil, err
		}
		return ix, func() { ix.Close() }, nil
	}
	dir, err := os.MkdirTemp("", "kindred-eval-")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	ix, err := index.Open(ctx, dir, index.DefaultOptions())
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	sum, err := load.Files(ctx, ix, []string{corpus}, load.DefaultOptions())
	if err != nil {
		ix.Close()
		cleanup()
		return nil, nil, err
	}
	fmt.Fprintf(e.stderr, "indexed %s: %s\n", corpus, sum)
	return ix, func() { ix.Close(); cleanup() }, nil
}

func runName(base string, m index.Mode, many bool) string {
	if !many {
		return base
	}
	return strings.TrimSuffix(base, ".trec") + "-" + string(m) + ".trec"
}

func writeRunFile(path string, rep eval.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("run file: %w", err)
	}
	if err := eval.WriteRun(f, rep.Rankings, "kindred-"+string(rep.Mode)); err != nil {
		f.Close()
		return fmt.Errorf("run file %s: %w", path, err)
	}
	return f.Close()
}

func printReports(e *env, reps []eval.Report, run string, many, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Modes []eval.Report `json:"modes"`
		}{reps})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "mode\tqueries\tfailed\tnDCG@10\tRecall@100\tMRR@10\tmedian ms\trun file\t\n")
	failed := 0
	for _, r := range reps {
		rf := "-"
		if run != "" {
			rf = runName(run, r.Mode, many)
		}
		failed += len(r.Failures)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.2f\t%s\t\n", r.Mode, r.Queries, len(r.Failures), r.NDCG10, r.Recall100, r.MRR10, r.MedianMS, rf)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if failed > 0 {
		fmt.Fprintf(e.stdout, "%d queries failed (listed above); they count as queries with no results\n", failed)
	}
	return nil
}

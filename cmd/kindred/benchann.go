package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/eval"
	"github.com/kindred-search/kindred/index/hnsw/annbench"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

// benchANN is `kindred bench ann`: the HNSW graph against the exact scan (and coder/hnsw) on the
// vectors of a real corpus.
func benchANN(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("kindred bench ann", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	corpus := fs.String("corpus", "", "corpus file (any format kindred index reads; required)")
	queries := fs.String("queries", "docs", `long queries: "docs" (abstracts held out of the corpus) or a BEIR queries.jsonl`)
	short := fs.String("short", "titles", `short queries: "titles" (2-4 consecutive title words), "none", or a BEIR queries.jsonl (e.g. SciFact claims)`)
	nq := fs.Int("nq", 500, "number of queries of each kind")
	n := fs.Int("n", 0, "index only the first N papers (default all)")
	k := fs.Int("k", 10, "neighbours compared")
	efList := fs.String("ef", "", "comma-separated efSearch values (default 16,32,64,128,256)")
	m := fs.Int("m", 0, "graph M (default the engine's)")
	efc := fs.Int("ef-construction", 0, "graph efConstruction (default the engine's)")
	fold := fs.Int("fold", annbench.DefaultFoldDim, "dense dimensions for coder/hnsw; negative skips it")
	seed := fs.Uint64("seed", 1, "seed for sampling queries")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: kindred bench ann --corpus FILE [flags]\n\nrecall@k and speed of the HNSW graph against exact search, with coder/hnsw v0.6.1 beside it\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args)); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	if *corpus == "" {
		return usagef("--corpus is required")
	}
	var efs []int
	for _, s := range splitList(*efList) {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			return usagef("--ef: %q is not a positive number", s)
		}
		efs = append(efs, v)
	}
	rng := rand.New(rand.NewPCG(*seed, 0x6b696e64))

	var papers []paper.Paper
	err := reader.ReadFile(ctx, *corpus, reader.DefaultOptions(), func(p paper.Paper) error {
		if *n > 0 && len(papers) >= *n+*nq {
			return errStop
		}
		papers = append(papers, p)
		return nil
	}, nil)
	if err != nil && err != errStop {
		return err
	}
	// Hold out the long queries from the corpus when they are abstracts of it.
	var held []paper.Paper
	if *queries == "docs" {
		rng.Shuffle(len(papers), func(i, j int) { papers[i], papers[j] = papers[j], papers[i] })
		q := min(*nq, len(papers)/10)
		held, papers = papers[:q], papers[q:]
	}
	if *n > 0 && len(papers) > *n {
		papers = papers[:*n]
	}
	emb, err := embed.New(embed.DefaultOptions())
	if err != nil {
		return err
	}
	texts := make([]string, len(papers))
	for i, p := range papers {
		texts[i] = index.EmbedText(p)
	}
	feats := parallelMap(texts, emb.Features)
	stats := embed.NewStats(emb.Options().Dim)
	for _, f := range feats {
		stats.Add(f)
	}
	cfg := annbench.Config{K: *k, Ef: efs, FoldDim: *fold, Options: index.DefaultOptions().HNSW}
	if *m > 0 {
		cfg.Options.M = *m
	}
	if *efc > 0 {
		cfg.Options.EfConstruction = *efc
	}
	cfg.Keys = make([]string, len(papers))
	for i, p := range papers {
		cfg.Keys[i] = p.ID
	}
	cfg.Docs = parallelMap(feats, func(f embed.Features) embed.Vector { return emb.Vector(f, stats) })

	var longTexts []string
	if *queries == "docs" {
		for _, p := range held {
			longTexts = append(longTexts, index.EmbedText(p))
		}
	} else if longTexts, err = queryTexts(*queries); err != nil {
		return err
	}
	var shortTexts []string
	switch *short {
	case "none":
	case "titles":
		for len(shortTexts) < *nq && len(papers) > 0 {
			w := strings.Fields(papers[rng.IntN(len(papers))].Title)
			l := 2 + rng.IntN(3)
			if len(w) < l {
				continue
			}
			s := rng.IntN(len(w) - l + 1)
			shortTexts = append(shortTexts, strings.Join(w[s:s+l], " "))
		}
	default:
		if shortTexts, err = queryTexts(*short); err != nil {
			return err
		}
	}
	embedAll := func(ts []string) []embed.Vector {
		vs := parallelMap(ts, func(t string) embed.Vector { return emb.Embed(t, stats) })
		out := vs[:0]
		for _, v := range vs {
			if v.Len() > 0 {
				out = append(out, v)
			}
		}
		return out
	}
	cfg.Queries = embedAll(longTexts[:min(len(longTexts), *nq)])
	cfg.Short = embedAll(shortTexts[:min(len(shortTexts), *nq)])
	fmt.Fprintf(e.stderr, "corpus %s: %d papers, %d long and %d short queries\n", *corpus, len(cfg.Docs), len(cfg.Queries), len(cfg.Short))
	_, err = annbench.Run(ctx, cfg, e.stdout)
	return err
}

var errStop = fmt.Errorf("stop reading")

func queryTexts(path string) ([]string, error) {
	qs, err := eval.ReadQueriesFile(path)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.Text
	}
	return out, nil
}

// parallelMap applies fn to every element on GOMAXPROCS goroutines.
func parallelMap[T, U any](in []T, fn func(T) U) []U {
	out := make([]U, len(in))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	const chunk = 256
	for s := 0; s < len(in); s += chunk {
		g.Go(func() error {
			for i := s; i < min(s+chunk, len(in)); i++ {
				out[i] = fn(in[i])
			}
			return nil
		})
	}
	g.Wait()
	return out
}

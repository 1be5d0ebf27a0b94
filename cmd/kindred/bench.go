package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kindred-search/kindred/api"
	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/bench"
	"github.com/kindred-search/kindred/index/eval"
)

func benchCommand() command {
	return command{
		name:    "bench",
		summary: "measure indexing, disk, memory, reopen and query latency (in process and over HTTP) on a corpus; `bench ann`: the HNSW graph against exact search",
		sub:     map[string]func(context.Context, *env, []string) error{"ann": benchANN},
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			o := bench.DefaultOptions()
			fs.StringVar(&o.Corpus, "corpus", "", "`FILE` to index and draw queries from (required)")
			queries := fs.String("queries", "", "search the queries in `FILE` (BEIR queries.jsonl), as plain words, instead of sampled ones")
			fs.IntVar(&o.N, "n", 0, "only the first `N` papers of the corpus (default all)")
			fs.StringVar(&o.Dir, "data", "", "index into this empty `DIR` and keep it (default a temporary directory)")
			fs.BoolVar(&o.Reuse, "reuse", false, "benchmark the index already in --data, read-only, without indexing")
			fs.StringVar(&o.Index.VectorIndex, "vector-index", index.VectorAuto, "vector index: auto, hnsw or exact")
			fs.Uint64Var(&o.Seed, "seed", o.Seed, "seed of the query sample")
			fs.IntVar(&o.Short, "short", o.Short, "sampled short queries (2-4 consecutive title words)")
			fs.IntVar(&o.Titles, "titles", o.Titles, "sampled full-title queries (0 for none)")
			fs.IntVar(&o.Related, "related", o.Related, "sampled papers to find related papers for")
			fs.IntVar(&o.Warmup, "warmup", o.Warmup, "queries run in each mode before timing")
			clients := fs.String("clients", "1,8,32", "numbers of concurrent HTTP clients, one stage each")
			httpSecs := fs.Float64("http-seconds", o.HTTPDuration.Seconds(), "how long each HTTP stage runs")
			fs.IntVar(&o.HTTPRequests, "http-requests", 0, "stop each HTTP stage after this many requests (default no limit)")
			asJSON := fs.Bool("json", false, "print JSON only")
			quiet := fs.Bool("quiet", false, "no progress on stderr")
			cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to `FILE` (for go tool pprof)")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected arguments %q", args)
				}
				if o.Corpus == "" {
					return usagef("--corpus is required")
				}
				if o.Reuse && o.Dir == "" {
					return usagef("--reuse needs --data")
				}
				if o.Short < 1 || o.Related < 1 {
					return usagef("--short and --related must be positive")
				}
				if o.N < 0 || o.Titles < 0 || o.Warmup < 0 || o.HTTPRequests < 0 {
					return usagef("--n, --titles, --warmup and --http-requests cannot be negative")
				}
				// The library reads 0 as "the default" and a negative count as "none".
				if o.Titles == 0 {
					o.Titles = -1
				}
				if o.Warmup == 0 {
					o.Warmup = -1
				}
				switch o.Index.VectorIndex {
				case index.VectorAuto, index.VectorHNSW, index.VectorExact:
				default:
					return usagef("--vector-index: unknown %q (want auto, hnsw or exact)", o.Index.VectorIndex)
				}
				if *httpSecs <= 0 {
					return usagef("--http-seconds must be positive")
				}
				o.HTTPDuration = time.Duration(*httpSecs * float64(time.Second))
				var err error
				if o.Clients, err = parseClients(*clients); err != nil {
					return err
				}
				if *queries != "" {
					if o.Queries, err = readBenchQueries(*queries); err != nil {
						return err
					}
				}
				gin.SetMode(gin.ReleaseMode)
				o.Handler = func(ix *index.Index) http.Handler {
					return api.New(ix, api.Options{Logger: slog.New(slog.DiscardHandler), Version: version()})
				}
				if !*quiet {
					o.Progress = func(line string) { fmt.Fprintf(e.stderr, "bench: %s\n", line) }
				}
				stop, err := startCPUProfile(*cpuProfile)
				if err != nil {
					return err
				}
				rep, err := bench.Run(ctx, o)
				if perr := stop(); err == nil {
					err = perr
				}
				if err != nil {
					return err
				}
				if *asJSON {
					enc := json.NewEncoder(e.stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(rep)
				}
				return printBench(e.stdout, rep)
			}
		},
	}
}

// startCPUProfile starts profiling into path (nothing when path is empty); stop ends it and closes
// the file.
func startCPUProfile(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile %s: %w", path, err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("--cpuprofile %s: %w", path, err)
		}
		return nil
	}, nil
}

func parseClients(s string) ([]int, error) {
	var out []int
	for _, f := range splitList(s) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > 1024 {
			return nil, usagef("--clients: %q is not a number of clients between 1 and 1024", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, usagef("--clients: no number of clients")
	}
	return out, nil
}

// readBenchQueries reads a BEIR queries file and escapes each query, so that it searches as plain
// words the way eval runs them.
func readBenchQueries(path string) ([]string, error) {
	qs, err := eval.ReadQueriesFile(path)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = index.EscapeQuery(q.Text)
	}
	return out, nil
}

// printBench prints the report as tables, then as one line of JSON for scripts.
func printBench(w io.Writer, r bench.Report) error {
	fmt.Fprintf(w, "corpus      %s: %d papers, %d rejected; vector index %s; GOMAXPROCS %d\n", r.Corpus, r.N, r.Rejected, r.VectorIndex, r.GOMAXPROCS)
	if !r.Reused {
		fmt.Fprintf(w, "indexing    %.1f s, %.0f papers/s, peak RSS %.0f MB\n", r.IndexSeconds, r.IndexRate, r.IndexPeakRSSMB)
	}
	fmt.Fprintf(w, "disk        %.1f MB, %.0f bytes a paper\n", float64(r.DiskBytes)/(1<<20), r.DiskBytesPerPaper)
	fmt.Fprintf(w, "keyword     index %.1f MB in memory, %.0f bytes a paper\n", float64(r.KeywordBytes)/(1<<20), r.KeywordBytesPerPaper)
	fmt.Fprintf(w, "reopen      %.0f ms, then the first query %.1f ms\n", r.ReopenMS, r.FirstQueryMS)
	fmt.Fprintf(w, "peak RSS    %.0f MB at the end\n\n", r.PeakRSSMB)

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "in process\tqueries\tp50 ms\tp99 ms\tmax ms\tq/s\terrors\tpostings/q\tvisited/q\tscored/q\t\n")
	row := func(name string, l bench.Latency) {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t%.0f\t%d\t%.0f\t%.0f\t%.0f\t\n", name, l.Queries, l.P50, l.P99, l.Max, l.QPS, l.Errors,
			l.PostingsPerQuery, l.VisitedPerQuery, l.ScoredPerQuery)
	}
	rows := func(suffix string, ls bench.Latencies) {
		row("keyword"+suffix, ls.Keyword)
		row("vector"+suffix, ls.Vector)
		row("hybrid"+suffix, ls.Hybrid)
		if ls.Related != nil {
			row("related"+strings.TrimPrefix(suffix, ", short"), *ls.Related)
		}
	}
	short := ", short"
	if r.LatencyTitles == nil {
		short = ""
	}
	rows(short, r.Latency)
	if r.LatencyTitles != nil {
		rows(", titles", *r.LatencyTitles)
	}
	if r.Latency100 != nil {
		rows(short+", 100", *r.Latency100)
	}
	if r.LatencyTitles100 != nil {
		rows(", titles, 100", *r.LatencyTitles100)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.HTTP) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "http, hybrid\tclients\trequests\tseconds\tq/s\tp50 ms\tp99 ms\terrors\t\n")
		for _, st := range sortedStages(r.HTTP) {
			fmt.Fprintf(tw, "c%d\t%d\t%d\t%.1f\t%.0f\t%.2f\t%.2f\t%d\t\n", st.Clients, st.Clients, st.Requests, st.Seconds, st.QPS, st.HybridP50, st.HybridP99, st.Errors)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "\n%s\n", b)
	return err
}

func sortedStages(m map[string]bench.HTTPStage) []bench.HTTPStage {
	out := make([]bench.HTTPStage, 0, len(m))
	for _, st := range m {
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b bench.HTTPStage) int { return a.Clients - b.Clients })
	return out
}

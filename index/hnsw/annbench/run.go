package annbench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/hnsw"
	"github.com/kindred-search/kindred/index/vector"
)

// Config is one benchmark run. Docs, Keys and Queries are required; zero fields take the defaults
// documented on each.
type Config struct {
	// Keys and Docs are the corpus, already embedded; Keys[i] names Docs[i].
	Keys []string
	Docs []embed.Vector
	// Queries are long queries (held-out abstracts, say).
	Queries []embed.Vector
	// Short are optional short queries (titles, a few keywords), reported separately.
	Short []embed.Vector
	// N limits the corpus to its first N documents. Default all.
	N int
	// K is the number of neighbours searched and compared. Default 10.
	K int
	// Ef lists the efSearch values measured. Default 16, 32, 64, 128, 256 and Options.EfSearch.
	Ef []int
	// Options configures the graph (zero fields: hnsw defaults). Its EfSearch gives the headline.
	Options hnsw.Options
	// FoldDim is the dense size coder/hnsw gets (DefaultFoldDim); negative skips coder/hnsw.
	FoldDim int
	// ExactSample is how many queries the exact scan is timed on one at a time; the ground truth
	// for the others is computed on all cores, untimed. Default 50.
	ExactSample int
}

// Row is the figures of one efSearch value.
type Row struct {
	Ef        int     `json:"ef"`
	Recall    float64 `json:"recall"`
	MsP50     float64 `json:"ms_p50"`
	MsP99     float64 `json:"ms_p99"`
	DistEvals float64 `json:"dist_evals,omitempty"`
	// FoldedRecall (coder/hnsw only) is recall against the exact answer on the folded vectors,
	// over the first 50 queries: the graph's own accuracy, the fold's loss set aside.
	FoldedRecall float64 `json:"folded_recall,omitempty"`
}

// Result is what Run measured; its JSON form is the last line Run prints. Recall is recall@K
// against the exact scan (the names assume the default K = 10); times are per query, single-threaded.
type Result struct {
	N            int `json:"n"`
	Queries      int `json:"queries"`
	ShortQueries int `json:"short_queries"`
	K            int `json:"k"`
	// Ef is the graph's default efSearch, which the headline figures below use.
	Ef         int     `json:"ef"`
	RecallAt10 float64 `json:"recall_at_10"`
	ExactMsP50 float64 `json:"exact_ms_p50"`
	ExactMsP99 float64 `json:"exact_ms_p99"`
	HnswMsP50  float64 `json:"hnsw_ms_p50"`
	HnswMsP99  float64 `json:"hnsw_ms_p99"`
	// Speedup is ExactMsP50 / HnswMsP50.
	Speedup float64 `json:"speedup"`
	// DistEvals is the graph's mean distance evaluations per query; the exact scan makes N.
	DistEvals float64 `json:"dist_evals"`
	// Auto* measure Graph.Search as the engine calls it, which may answer from the inverted lists.
	AutoRecallAt10 float64 `json:"auto_recall_at_10"`
	AutoMsP50      float64 `json:"auto_ms_p50"`
	// Short* measure the short queries: the automatic route and the graph alone at Ef.
	ShortRecallAt10      float64 `json:"short_recall_at_10,omitempty"`
	ShortMsP50           float64 `json:"short_ms_p50,omitempty"`
	ShortGraphRecallAt10 float64 `json:"short_graph_recall_at_10,omitempty"`
	BuildSeconds         float64 `json:"build_s"`
	BuildRate            float64 `json:"build_docs_per_s"`
	BytesPerVector       float64 `json:"bytes_per_vector"`
	// FileBytes is the size of the saved graph and LoadSeconds the time hnsw.Read takes to load it.
	FileBytes   int64   `json:"file_bytes"`
	LoadSeconds float64 `json:"load_s"`
	Rows        []Row   `json:"rows"`
	// Coder* measure coder/hnsw on the folded vectors at Ef; FoldRecallAt10 is the recall of an
	// exact scan of the folded vectors, the best any index over them could do.
	FoldDim         int     `json:"fold_dim,omitempty"`
	CoderRecallAt10 float64 `json:"coder_recall_at_10,omitempty"`
	// CoderFoldedRecallAt10 is coder/hnsw's recall against the exact scan of the folded vectors.
	CoderFoldedRecallAt10 float64 `json:"coder_folded_recall_at_10,omitempty"`
	CoderMsP50            float64 `json:"coder_ms_p50,omitempty"`
	CoderBuildRate        float64 `json:"coder_build_docs_per_s,omitempty"`
	FoldRecallAt10        float64 `json:"fold_recall_at_10,omitempty"`
	CoderRows             []Row   `json:"coder_rows,omitempty"`
	CoderError            string  `json:"coder_error,omitempty"`
}

// ErrConfig reports a configuration Run cannot measure.
var ErrConfig = errors.New("annbench: bad config")

// Run builds the indexes and measures them, printing a report to out; see the package
// documentation. It returns ctx.Err() if cancelled.
func Run(ctx context.Context, cfg Config, out io.Writer) (Result, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Result{}, err
	}
	keys, docs := cfg.Keys[:cfg.N], cfg.Docs[:cfg.N]
	opts := hnsw.New(cfg.Options).Options()
	res := Result{N: cfg.N, Queries: len(cfg.Queries), ShortQueries: len(cfg.Short), K: cfg.K, Ef: opts.EfSearch}
	fmt.Fprintf(out, "ann bench: %d docs, %d queries, %d short queries, k=%d, M=%d, efConstruction=%d, %d workers\n",
		cfg.N, len(cfg.Queries), len(cfg.Short), cfg.K, opts.M, opts.EfConstruction, opts.Workers)

	x := vector.NewExact()
	for i, k := range keys {
		if err := x.Add(k, docs[i]); err != nil {
			return res, fmt.Errorf("annbench: exact index: %w", err)
		}
	}
	truth, exactTimes, err := exactAnswers(ctx, x, cfg.Queries, cfg.K, cfg.ExactSample)
	if err != nil {
		return res, err
	}
	shortTruth, _, err := exactAnswers(ctx, x, cfg.Short, cfg.K, 0)
	if err != nil {
		return res, err
	}
	res.ExactMsP50, res.ExactMsP99 = percentile(exactTimes, 50), percentile(exactTimes, 99)
	fmt.Fprintf(out, "exact scan: p50 %.3f ms, p99 %.3f ms, %d distance evaluations a query\n", res.ExactMsP50, res.ExactMsP99, cfg.N)

	g := hnsw.New(cfg.Options)
	start := time.Now()
	if err := g.AddBatch(ctx, keys, docs); err != nil {
		return res, fmt.Errorf("annbench: build: %w", err)
	}
	res.BuildSeconds = time.Since(start).Seconds()
	res.BuildRate = float64(cfg.N) / res.BuildSeconds
	fp := g.Footprint()
	res.BytesPerVector = float64(fp.Total()) / float64(cfg.N)
	fmt.Fprintf(out, "graph build: %.1f s, %.0f docs/s, %d layers, %.0f bytes a vector (vectors %.0f, links %.0f, inverted lists %.0f, keys %.0f)\n",
		res.BuildSeconds, res.BuildRate, fp.Layers, res.BytesPerVector, per(fp.Vectors, cfg.N), per(fp.Graph, cfg.N), per(fp.Postings, cfg.N), per(fp.Keys, cfg.N))

	if err := measureLoad(g, &res); err != nil {
		return res, err
	}
	fmt.Fprintf(out, "graph file: %.1f MB, loaded in %.3f s\n", float64(res.FileBytes)/1e6, res.LoadSeconds)

	fmt.Fprintf(out, "%-8s %8s %10s %10s %12s %9s\n", "ef", "recall", "p50 ms", "p99 ms", "dist evals", "speedup")
	for _, ef := range cfg.Ef {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		row, _ := measure(cfg.Queries, truth, func(q embed.Vector) ([]vector.Hit, hnsw.Stats) {
			return g.SearchWith(q, hnsw.SearchParams{K: cfg.K, Ef: ef, Route: hnsw.RouteGraph})
		})
		row.Ef = ef
		res.Rows = append(res.Rows, row)
		fmt.Fprintf(out, "%-8d %8.4f %10.3f %10.3f %12.0f %8.1fx\n", ef, row.Recall, row.MsP50, row.MsP99, row.DistEvals, res.ExactMsP50/row.MsP50)
		if ef == res.Ef {
			res.RecallAt10, res.HnswMsP50, res.HnswMsP99, res.DistEvals = row.Recall, row.MsP50, row.MsP99, row.DistEvals
			res.Speedup = res.ExactMsP50 / row.MsP50
		}
	}
	auto, routes := measure(cfg.Queries, truth, func(q embed.Vector) ([]vector.Hit, hnsw.Stats) {
		return g.SearchWith(q, hnsw.SearchParams{K: cfg.K})
	})
	res.AutoRecallAt10, res.AutoMsP50 = auto.Recall, auto.MsP50
	fmt.Fprintf(out, "auto route (Graph.Search), long queries: recall %.4f, p50 %.3f ms, p99 %.3f ms, %d of %d answered from the inverted lists\n",
		auto.Recall, auto.MsP50, auto.MsP99, routes, len(cfg.Queries))
	if len(cfg.Short) > 0 {
		short, routes := measure(cfg.Short, shortTruth, func(q embed.Vector) ([]vector.Hit, hnsw.Stats) {
			return g.SearchWith(q, hnsw.SearchParams{K: cfg.K})
		})
		graph, _ := measure(cfg.Short, shortTruth, func(q embed.Vector) ([]vector.Hit, hnsw.Stats) {
			return g.SearchWith(q, hnsw.SearchParams{K: cfg.K, Route: hnsw.RouteGraph})
		})
		res.ShortRecallAt10, res.ShortMsP50, res.ShortGraphRecallAt10 = short.Recall, short.MsP50, graph.Recall
		fmt.Fprintf(out, "short queries: auto route recall %.4f, p50 %.3f ms (%d of %d from the inverted lists); graph alone at ef=%d recall %.4f, p50 %.3f ms\n",
			short.Recall, short.MsP50, routes, len(cfg.Short), res.Ef, graph.Recall, graph.MsP50)
	}

	if cfg.FoldDim > 0 {
		if err := runCoder(ctx, cfg, truth, &res, out); err != nil {
			return res, err
		}
	}
	b, err := json.Marshal(res)
	if err != nil {
		return res, err
	}
	_, err = fmt.Fprintf(out, "%s\n", b)
	return res, err
}

// measureLoad saves the graph to memory and times loading it back.
func measureLoad(g *hnsw.Graph, res *Result) error {
	var buf bytes.Buffer
	n, err := g.WriteTo(&buf)
	if err != nil {
		return fmt.Errorf("annbench: save: %w", err)
	}
	res.FileBytes = n
	start := time.Now()
	if _, err := hnsw.Read(&buf); err != nil {
		return fmt.Errorf("annbench: load: %w", err)
	}
	res.LoadSeconds = time.Since(start).Seconds()
	return nil
}

func per(b, n int) float64 { return float64(b) / float64(n) }

func (c Config) withDefaults() (Config, error) {
	if len(c.Keys) != len(c.Docs) {
		return c, fmt.Errorf("%w: %d keys but %d docs", ErrConfig, len(c.Keys), len(c.Docs))
	}
	if c.N <= 0 || c.N > len(c.Docs) {
		c.N = len(c.Docs)
	}
	if c.N == 0 || len(c.Queries) == 0 {
		return c, fmt.Errorf("%w: need documents and queries", ErrConfig)
	}
	if c.K <= 0 {
		c.K = 10
	}
	def := hnsw.New(c.Options).Options().EfSearch
	if len(c.Ef) == 0 {
		c.Ef = []int{16, 32, 64, 128, 256}
	}
	has := false
	for _, ef := range c.Ef {
		has = has || ef == def
	}
	if !has {
		c.Ef = append(c.Ef, def)
	}
	if c.FoldDim == 0 {
		c.FoldDim = DefaultFoldDim
	}
	if c.ExactSample <= 0 {
		c.ExactSample = 50
	}
	return c, nil
}

// exactAnswers returns the exact top k of every query. The first sample queries are timed one at a
// time; the rest run on all cores.
func exactAnswers(ctx context.Context, x *vector.Exact, qs []embed.Vector, k, sample int) ([][]vector.Hit, []time.Duration, error) {
	out := make([][]vector.Hit, len(qs))
	sample = min(sample, len(qs))
	var times []time.Duration
	for i := range sample {
		start := time.Now()
		out[i] = x.Search(qs[i], k)
		times = append(times, time.Since(start))
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				out[i] = x.Search(qs[i], k)
			}
		})
	}
	var err error
	for i := sample; i < len(qs); i++ {
		if err = ctx.Err(); err != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return out, times, err
}

// measure runs every query through search one at a time and returns its recall and timings, and
// how many queries the inverted lists answered.
func measure(qs []embed.Vector, truth [][]vector.Hit, search func(embed.Vector) ([]vector.Hit, hnsw.Stats)) (Row, int) {
	got := make([][]vector.Hit, len(qs))
	times := make([]time.Duration, len(qs))
	var evals, postings int
	for i, q := range qs {
		start := time.Now()
		h, st := search(q)
		times[i] = time.Since(start)
		got[i] = h
		evals += st.DistEvals
		if st.Route == hnsw.RoutePostings {
			postings++
		}
	}
	return Row{
		Recall:    meanRecall(truth, got),
		MsP50:     percentile(times, 50),
		MsP99:     percentile(times, 99),
		DistEvals: float64(evals) / float64(len(qs)),
	}, postings
}

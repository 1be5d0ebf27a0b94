package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/kindred-search/kindred/index"
)

// Options configure a run. Zero fields take the default from DefaultOptions, except where noted.
type Options struct {
	// Corpus is the input file, in any format package reader reads. Required.
	Corpus string
	// N limits the run to the first N papers of the corpus. Default 0: all of them.
	N int
	// Dir is the data directory to index into; it must be empty or absent, and is kept. Default "": a
	// temporary directory, removed at the end.
	Dir string
	// Reuse benchmarks the index already in Dir, opened read-only, instead of indexing the corpus,
	// which then only supplies the queries. Default false.
	Reuse bool
	// Index are the engine's options. Default index.DefaultOptions() (which index.Open also reads the
	// zero value as).
	Index index.Options
	// Seed seeds the query sample. Default 1.
	Seed uint64
	// Queries, when set, replace the sampled short queries and full titles. They are searched as
	// written, in the query syntax: escape them with index.EscapeQuery to search them as plain words.
	Queries []string
	// Short is the number of sampled short queries. Default 500.
	Short int
	// Titles is the number of sampled full-title queries; negative for none. Default 500.
	Titles int
	// Related is the number of sampled papers to find related papers for. Default 500.
	Related int
	// Warmup is the number of queries run in each mode before timing; negative for none. Default 50.
	Warmup int
	// Limit is the number of results each query asks for. Default 10.
	Limit int
	// Handler, when set, is served on a loopback port for the HTTP stage; it must serve the API's
	// GET /api/search. Default nil: no HTTP stage.
	Handler func(*index.Index) http.Handler
	// Clients are the numbers of concurrent HTTP clients, one stage each. Default 1, 8, 32.
	Clients []int
	// HTTPDuration bounds each HTTP stage. Default 10s.
	HTTPDuration time.Duration
	// HTTPRequests, when positive, also bounds the requests of each HTTP stage. Default 0: no bound.
	HTTPRequests int
	// Progress, when set, is told what the run is doing, a line at a time.
	Progress func(line string)
}

// DefaultOptions returns the documented defaults.
func DefaultOptions() Options {
	return Options{Index: index.DefaultOptions(), Seed: 1, Short: 500, Titles: 500, Related: 500, Warmup: 50,
		Limit: 10, Clients: []int{1, 8, 32}, HTTPDuration: 10 * time.Second}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Seed == 0 {
		o.Seed = d.Seed
	}
	if o.Short <= 0 {
		o.Short = d.Short
	}
	if o.Titles == 0 {
		o.Titles = d.Titles
	}
	o.Titles = max(o.Titles, 0)
	if o.Related <= 0 {
		o.Related = d.Related
	}
	if o.Warmup == 0 {
		o.Warmup = d.Warmup
	}
	o.Warmup = max(o.Warmup, 0)
	if o.Limit <= 0 {
		o.Limit = d.Limit
	}
	if len(o.Clients) == 0 {
		o.Clients = d.Clients
	}
	if o.HTTPDuration <= 0 {
		o.HTTPDuration = d.HTTPDuration
	}
	return o
}

// Report is the outcome of a run. Times are in the unit their name says; rates are per second.
type Report struct {
	Corpus      string `json:"corpus"` // the file's base name
	N           int    `json:"n"`      // papers in the index
	Rejected    int    `json:"rejected"`
	VectorIndex string `json:"vector_index"`
	// VectorParams are the vector index's parameters, as index.Stats reports them.
	VectorParams any    `json:"vector_params,omitempty"`
	GOMAXPROCS   int    `json:"gomaxprocs"`
	Seed         uint64 `json:"seed"`
	Reused       bool   `json:"reused,omitempty"`

	IndexSeconds float64 `json:"index_seconds"`
	IndexRate    float64 `json:"index_rate_per_s"`
	// IndexPeakRSSMB is the peak resident set size in MiB when indexing ended; PeakRSSMB at the end of
	// the run.
	IndexPeakRSSMB    float64 `json:"index_peak_rss_mb"`
	PeakRSSMB         float64 `json:"peak_rss_mb"`
	DiskBytes         int64   `json:"disk_bytes"`
	DiskBytesPerPaper float64 `json:"disk_bytes_per_paper"`
	ReopenMS          float64 `json:"reopen_ms"`
	FirstQueryMS      float64 `json:"first_query_ms"`

	// Latency is for the short queries (or Options.Queries) and the related papers; LatencyTitles for
	// the full titles; both at Options.Limit results (10). Latency100 and LatencyTitles100 are the
	// same at 100 results, the depth of an evaluation run and of the peers' figures.
	Latency          Latencies  `json:"latency_ms"`
	LatencyTitles    *Latencies `json:"latency_ms_titles,omitempty"`
	Latency100       *Latencies `json:"latency_ms_depth100,omitempty"`
	LatencyTitles100 *Latencies `json:"latency_ms_titles_depth100,omitempty"`
	// KeywordBytes and KeywordBytesPerPaper are the keyword index's memory (see index.Stats).
	KeywordBytes         int64   `json:"keyword_index_bytes,omitempty"`
	KeywordBytesPerPaper float64 `json:"keyword_index_bytes_per_paper,omitempty"`
	// HTTP has one entry per number of clients: "c1", "c8", "c32".
	HTTP map[string]HTTPStage `json:"http,omitempty"`
}

// Latencies are the in-process figures of each mode.
type Latencies struct {
	Keyword Latency  `json:"keyword"`
	Vector  Latency  `json:"vector"`
	Hybrid  Latency  `json:"hybrid"`
	Related *Latency `json:"related,omitempty"`
}

// Run runs the benchmark described in the package documentation.
func Run(ctx context.Context, opts Options) (rep Report, err error) {
	opts = opts.withDefaults()
	if opts.Corpus == "" {
		return rep, errors.New("bench: no corpus")
	}
	if slices.Min(opts.Clients) < 1 {
		return rep, errors.New("bench: the number of HTTP clients must be positive")
	}
	if opts.Reuse && opts.Dir == "" {
		return rep, errors.New("bench: reusing an index needs its data directory")
	}
	rep = Report{Corpus: filepath.Base(opts.Corpus), GOMAXPROCS: runtime.GOMAXPROCS(0), Seed: opts.Seed, Reused: opts.Reuse}
	say := func(format string, args ...any) {
		if opts.Progress != nil {
			opts.Progress(fmt.Sprintf(format, args...))
		}
	}

	rng := rand.New(rand.NewPCG(opts.Seed, 0))
	sam, err := sampleCorpus(ctx, opts.Corpus, opts.N, max(opts.Short, opts.Titles, opts.Related), rng)
	if err != nil {
		return rep, err
	}
	if len(sam.papers) == 0 {
		return rep, fmt.Errorf("bench: %s holds no valid paper", rep.Corpus)
	}
	qs := drawQueries(rng, sam.papers, opts)
	say("sampled %d of %d papers: %d short queries, %d titles, %d related", len(sam.papers), sam.read, len(qs.short), len(qs.titles), len(qs.related))

	dir := opts.Dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "kindred-bench-"); err != nil {
			return rep, err
		}
		defer func() { err = errors.Join(err, os.RemoveAll(dir)) }()
	} else if !opts.Reuse {
		if err := checkEmpty(dir); err != nil {
			return rep, err
		}
	}
	if !opts.Reuse {
		if err := rep.indexCorpus(ctx, dir, opts, say); err != nil {
			return rep, err
		}
	}
	rep.DiskBytes = dirSize(dir)
	ix, err := rep.reopen(ctx, dir, opts, qs.short[0])
	if err != nil {
		return rep, err
	}
	defer func() { err = errors.Join(err, ix.Close()) }()
	say("reopened in %.0f ms, first query %.1f ms; %.0f bytes on disk a paper", rep.ReopenMS, rep.FirstQueryMS, rep.DiskBytesPerPaper)

	if st := ix.Stats(); st.Papers > 0 {
		rep.KeywordBytes = st.KeywordBytes
		rep.KeywordBytesPerPaper = round(float64(st.KeywordBytes)/float64(st.Papers), 0)
	}
	if rep.Latency, err = inProcess(ctx, ix, qs.short, qs.related, opts.Limit, opts.Warmup); err != nil {
		return rep, err
	}
	say("in process, short queries: %s", rep.Latency)
	if len(qs.titles) > 0 {
		lt, err := inProcess(ctx, ix, qs.titles, nil, opts.Limit, opts.Warmup)
		if err != nil {
			return rep, err
		}
		rep.LatencyTitles = &lt
		say("in process, full titles: %s", lt)
	}
	if opts.Limit != 100 {
		l, err := inProcess(ctx, ix, qs.short, qs.related, 100, 0)
		if err != nil {
			return rep, err
		}
		rep.Latency100 = &l
		say("in process, short queries, 100 results: %s", l)
		if len(qs.titles) > 0 {
			lt, err := inProcess(ctx, ix, qs.titles, nil, 100, 0)
			if err != nil {
				return rep, err
			}
			rep.LatencyTitles100 = &lt
			say("in process, full titles, 100 results: %s", lt)
		}
	}
	if opts.Handler != nil {
		if rep.HTTP, err = httpStages(ctx, opts.Handler(ix), qs.short, opts, say); err != nil {
			return rep, err
		}
	}
	rep.PeakRSSMB = round(peakRSSMB(), 1)
	return rep, nil
}

// indexCorpus runs the indexing stage into dir, which it leaves closed.
func (rep *Report) indexCorpus(ctx context.Context, dir string, opts Options, say func(string, ...any)) error {
	st, err := build(ctx, dir, opts, say)
	if err != nil {
		return err
	}
	rep.N, rep.Rejected = st.papers, st.rejected
	rep.IndexSeconds = round(st.elapsed.Seconds(), 3)
	if st.elapsed > 0 {
		rep.IndexRate = round(float64(st.accepted)/st.elapsed.Seconds(), 1)
	}
	rep.IndexPeakRSSMB = round(peakRSSMB(), 1)
	say("indexed %d papers in %s (%.0f papers/s), peak RSS %.0f MB", st.papers, st.elapsed.Round(time.Millisecond), rep.IndexRate, rep.IndexPeakRSSMB)
	return nil
}

// reopen opens the index in dir and runs query q, timing both. A reused index is opened read-only.
func (rep *Report) reopen(ctx context.Context, dir string, opts Options, q string) (*index.Index, error) {
	o := opts.Index
	o.ReadOnly = opts.Reuse
	start := time.Now()
	ix, err := index.Open(ctx, dir, o)
	if err != nil {
		return nil, err
	}
	rep.ReopenMS = ms(time.Since(start))
	start = time.Now()
	if _, err := ix.Search(ctx, index.Request{Query: q, Ranking: index.Ranking{Limit: opts.Limit}}); err != nil {
		ix.Close()
		return nil, fmt.Errorf("bench: first query: %w", err)
	}
	rep.FirstQueryMS = ms(time.Since(start))
	if opts.Reuse {
		rep.N = ix.Count()
	}
	if rep.N > 0 {
		rep.DiskBytesPerPaper = round(float64(rep.DiskBytes)/float64(rep.N), 0)
	}
	st := ix.Stats()
	rep.VectorIndex, rep.VectorParams = st.VectorIndex, st.VectorInfo
	return ix, nil
}

// checkEmpty refuses a data directory that holds anything: the run must not mix its papers into an
// index, nor measure one it did not build.
func checkEmpty(dir string) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if len(ents) > 0 {
		return fmt.Errorf("bench: data directory %s is not empty (reuse its index, or give an empty one)", dir)
	}
	return nil
}

// ms is d in milliseconds to the microsecond.
func ms(d time.Duration) float64 { return round(float64(d.Nanoseconds())/1e6, 3) }

// round rounds x to the given number of decimal places: a report's figures are measurements, and
// more digits than the clock gives are noise.
func round(x float64, places int) float64 {
	p := math.Pow10(places)
	return math.Round(x*p) / p
}

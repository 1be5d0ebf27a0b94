package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/kindred-search/kindred/index"
)

// Latency summarises the durations of a series of queries, in milliseconds. Failed queries count in
// Errors and QPS, not in the percentiles.
type Latency struct {
	P50        float64 `json:"p50"`
	P99        float64 `json:"p99"`
	Max        float64 `json:"max"`
	QPS        float64 `json:"qps"`
	Queries    int     `json:"queries"`
	Errors     int     `json:"errors"`
	FirstError string  `json:"first_error,omitempty"`
	// The keyword index's work per query, on average: postings of the query's terms, postings the
	// search moved onto (the rest were skipped), papers scored completely.
	PostingsPerQuery float64 `json:"postings_per_query,omitempty"`
	VisitedPerQuery  float64 `json:"visited_per_query,omitempty"`
	ScoredPerQuery   float64 `json:"scored_per_query,omitempty"`
}

func (l Latency) String() string {
	s := fmt.Sprintf("p50 %.2f ms, p99 %.2f ms, %.0f q/s", l.P50, l.P99, l.QPS)
	if l.Errors > 0 {
		s += fmt.Sprintf(", %d errors (first: %s)", l.Errors, l.FirstError)
	}
	return s
}

func (l Latencies) String() string {
	s := fmt.Sprintf("keyword %s; vector %s; hybrid %s", l.Keyword, l.Vector, l.Hybrid)
	if l.Related != nil {
		s += fmt.Sprintf("; related %s", l.Related)
	}
	return s
}

// Percentile returns the nearest-rank p-th percentile of ds (0 < p <= 100): the smallest duration
// that at least p% of ds are no greater than. It sorts a copy of ds: O(n log n). It returns 0 for no
// durations.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(math.Ceil(p * float64(len(s)) / 100))
	return s[min(max(rank, 1), len(s))-1]
}

// summarise makes a Latency of the successful queries' durations, all queries having taken total.
func summarise(ds []time.Duration, errs int, firstErr error, total time.Duration) Latency {
	l := Latency{Queries: len(ds) + errs, Errors: errs}
	if len(ds) > 0 {
		l.P50, l.P99, l.Max = ms(Percentile(ds, 50)), ms(Percentile(ds, 99)), ms(slices.Max(ds))
	}
	if total > 0 {
		l.QPS = round(float64(l.Queries)/total.Seconds(), 1)
	}
	if firstErr != nil {
		l.FirstError = firstErr.Error()
	}
	return l
}

// timeEach runs fn for 0..n-1 one at a time and summarises their durations. Only ctx's end stops it.
func timeEach(ctx context.Context, n int, fn func(i int) error) (Latency, error) {
	ds := make([]time.Duration, 0, n)
	errs := 0
	var first error
	start := time.Now()
	for i := range n {
		t := time.Now()
		err := fn(i)
		d := time.Since(t)
		if err != nil {
			if ctx.Err() != nil {
				return Latency{}, ctx.Err()
			}
			errs++
			if first == nil {
				first = err
			}
			continue
		}
		ds = append(ds, d)
	}
	return summarise(ds, errs, first, time.Since(start)), nil
}

// inProcess times every query once in each mode, and related papers for every ID, after a warm-up,
// asking for limit results.
func inProcess(ctx context.Context, ix *index.Index, qs, related []string, limit, warmup int) (Latencies, error) {
	var out Latencies
	modes := []index.Mode{index.ModeKeyword, index.ModeVector, index.ModeHybrid}
	var work index.Work
	search := func(m index.Mode) func(int) error {
		return func(i int) error {
			res, err := ix.Search(ctx, index.Request{Query: qs[i], Ranking: index.Ranking{Mode: m, Limit: limit}})
			work.Postings += res.Work.Postings
			work.Visited += res.Work.Visited
			work.Scored += res.Work.Scored
			return err
		}
	}
	relate := func(i int) error {
		res, err := ix.Related(ctx, related[i], index.RelatedRequest{Ranking: index.Ranking{Limit: limit}})
		work.Postings += res.Work.Postings
		work.Visited += res.Work.Visited
		work.Scored += res.Work.Scored
		return err
	}
	// Warm-up: caches, the allocator, the CPU's frequency. Its errors show up again when timed.
	for _, m := range modes {
		if _, err := timeEach(ctx, min(warmup, len(qs)), search(m)); err != nil {
			return out, err
		}
	}
	if _, err := timeEach(ctx, min(warmup, len(related)), relate); err != nil {
		return out, err
	}
	timed := func(n int, fn func(int) error) (Latency, error) {
		work = index.Work{}
		l, err := timeEach(ctx, n, fn)
		if n > 0 {
			l.PostingsPerQuery = round(float64(work.Postings)/float64(n), 0)
			l.VisitedPerQuery = round(float64(work.Visited)/float64(n), 0)
			l.ScoredPerQuery = round(float64(work.Scored)/float64(n), 0)
		}
		return l, err
	}
	for i, l := range []*Latency{&out.Keyword, &out.Vector, &out.Hybrid} {
		var err error
		if *l, err = timed(len(qs), search(modes[i])); err != nil {
			return out, err
		}
	}
	if len(related) > 0 {
		l, err := timed(len(related), relate)
		if err != nil {
			return out, err
		}
		out.Related = &l
	}
	return out, nil
}

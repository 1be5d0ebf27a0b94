package hnsw

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/kindred-search/kindred/embed"
)

// benchSizes are the synthetic corpus sizes of the benchmarks; the arXiv sample (74k abstracts)
// runs too when the shared data is present.
var benchSizes = []int{1000, 10000}

type benchCorpus struct {
	name          string
	keys          []string
	docs          []embed.Vector
	queries, shrt []embed.Vector
}

func benchCorpora(b *testing.B) []benchCorpus {
	var out []benchCorpus
	for _, n := range benchSizes {
		c := testCorpus(n, 200)
		out = append(out, benchCorpus{fmt.Sprintf("synthetic-%d", n), c.keys, c.docs, c.queries, c.short})
	}
	if testing.Short() {
		return out
	}
	if a := arxivIfPresent(b); a != nil {
		out = append(out, benchCorpus{fmt.Sprintf("arxiv-%d", len(a.docs)), a.keys, a.docs, a.long, a.short})
	}
	return out
}

// arxivIfPresent is arxiv without the skip: benchmarks run the synthetic sizes regardless.
func arxivIfPresent(b *testing.B) *arxivCorpus {
	var c *arxivCorpus
	b.Run("load-arxiv", func(b *testing.B) {
		c = arxiv(b)
		b.SkipNow() // not a measurement
	})
	return c
}

var built = map[string]*Graph{}

func benchGraph(b *testing.B, c benchCorpus) *Graph {
	if g := built[c.name]; g != nil {
		return g
	}
	g := New(Options{Seed: 1})
	if err := g.AddBatch(context.Background(), c.keys, c.docs); err != nil {
		b.Fatal(err)
	}
	built[c.name] = g
	return g
}

// BenchmarkBuild measures AddBatch with GOMAXPROCS workers; docs/s is the build rate.
func BenchmarkBuild(b *testing.B) {
	for _, c := range benchCorpora(b) {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				g := New(Options{Seed: 1})
				if err := g.AddBatch(context.Background(), c.keys, c.docs); err != nil {
					b.Fatal(err)
				}
				built[c.name] = g
			}
			b.ReportMetric(float64(len(c.docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkSearch measures one query at a time on each route: long queries (documents) on the
// graph at the default ef and through the automatic route, short ones through the automatic route
// (the inverted lists).
func BenchmarkSearch(b *testing.B) {
	for _, c := range benchCorpora(b) {
		g := benchGraph(b, c)
		for _, tc := range []struct {
			name string
			qs   []embed.Vector
			p    SearchParams
		}{
			{"long/graph", c.queries, SearchParams{K: 10, Route: RouteGraph}},
			{"long/auto", c.queries, SearchParams{K: 10}},
			{"short/auto", c.shrt, SearchParams{K: 10}},
		} {
			b.Run(c.name+"/"+tc.name, func(b *testing.B) {
				evals, postings := 0, 0
				for i := 0; b.Loop(); i++ {
					_, st := g.SearchWith(tc.qs[i%len(tc.qs)], tc.p)
					evals += st.DistEvals
					postings += st.Postings
				}
				b.ReportMetric(float64(evals)/float64(b.N), "evals/op")
				b.ReportMetric(float64(postings)/float64(b.N), "postings/op")
			})
		}
	}
}

// BenchmarkRead measures loading a saved graph, inverted lists rebuilt included.
func BenchmarkRead(b *testing.B) {
	for _, c := range benchCorpora(b) {
		file := encode(b, benchGraph(b, c))
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(file)))
			for b.Loop() {
				if _, err := Read(bytes.NewReader(file)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

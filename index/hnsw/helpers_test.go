package hnsw

import (
	"bytes"
	"context"
	"math"
	"sync"

	"github.com/google/go-cmp/cmp"
	"testing"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/vector"
)

var corpora sync.Map // genConfig -> corpus

// testCorpus returns the synthetic corpus of n documents and q queries (seed 1), generated once.
func testCorpus(n, q int) corpus {
	cfg := genConfig{docs: n, queries: q, topics: max(10, n/20), nnz: 200, seed: 1, topicWords: 1000, background: 0.5}
	if c, ok := corpora.Load(cfg); ok {
		return c.(corpus)
	}
	c := genCorpus(cfg)
	corpora.Store(cfg, c)
	return c
}

// size scales a corpus size down under the race detector, which slows the graph tenfold.
func size(n int) int {
	if raceOn {
		return max(n/4, 100)
	}
	return n
}

// fast are options for tests that check behaviour rather than recall: a smaller graph builds
// several times faster.
var fast = Options{M: 8, EfConstruction: 48}

// build returns a graph holding the corpus, added in one batch.
func build(t testing.TB, c corpus, o Options) *Graph {
	t.Helper()
	g := New(o)
	if err := g.AddBatch(context.Background(), c.keys, c.docs); err != nil {
		t.Fatal(err)
	}
	return g
}

// exactOf returns the oracle for the live part of a corpus.
func exactOf(t testing.TB, keys []string, docs []embed.Vector) *vector.Exact {
	t.Helper()
	x := vector.NewExact()
	for i, k := range keys {
		if err := x.Add(k, docs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return x
}

// recall returns the mean fraction of the exact top k that search finds, over the queries that
// have an exact answer.
func recall(t testing.TB, x *vector.Exact, qs []embed.Vector, k int, search func(embed.Vector) []vector.Hit) float64 {
	t.Helper()
	var sum float64
	n := 0
	for _, q := range qs {
		want := x.Search(q, k)
		if len(want) == 0 {
			continue
		}
		sum += vector.Recall(want, search(q))
		n++
	}
	if n == 0 {
		t.Fatal("no query has an exact answer")
	}
	return sum / float64(n)
}

// via returns a search function with fixed parameters.
func via(g *Graph, p SearchParams) func(embed.Vector) []vector.Hit {
	return func(q embed.Vector) []vector.Hit {
		h, _ := g.SearchWith(q, p)
		return h
	}
}

// diffHits compares two hit lists exactly.
func diffHits(want, got []vector.Hit) string {
	return cmp.Diff(want, got)
}

func nan() float64 { return math.NaN() }

// encode returns the graph's file.
func encode(t testing.TB, g *Graph) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := g.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

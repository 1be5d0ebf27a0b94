package hnsw

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/vector"
)

// The recall tests measure the graph route alone (RouteGraph) against vector.Exact; the postings
// route is exact by construction and TestPostingsEqualExact checks it hit for hit.

func recallSize() (docs, queries int) {
	if raceOn {
		return 500, 30
	}
	return 4000, 100
}

func TestRecall(t *testing.T) {
	n, nq := recallSize()
	c := testCorpus(n, nq)
	g := build(t, c, Options{Seed: 1})
	// Without seeds from the inverted lists, the walk relies on the graph alone.
	bare := build(t, c, Options{Seed: 1, Seeds: -1})
	x := exactOf(t, c.keys, c.docs)
	for _, tc := range []struct {
		name  string
		g     *Graph
		short bool
		p     SearchParams
		min   float64
	}{
		{"documents/graph-without-seeds/ef=32", bare, false, SearchParams{K: 10, Ef: 32, Route: RouteGraph}, 0.9},
		{"documents/graph-without-seeds/default-ef", bare, false, SearchParams{K: 10, Route: RouteGraph}, 0.97},
		{"documents/graph/ef=32", g, false, SearchParams{K: 10, Ef: 32, Route: RouteGraph}, 0.95},
		{"documents/graph/default-ef", g, false, SearchParams{K: 10, Route: RouteGraph}, 0.97},
		{"documents/auto", g, false, SearchParams{K: 10}, 0.97},
		{"short/auto", g, true, SearchParams{K: 10}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			qs := c.queries
			if tc.short {
				qs = c.short
			}
			r := recall(t, x, qs, 10, via(tc.g, tc.p))
			t.Logf("recall@10 = %.4f", r)
			if r < tc.min {
				t.Errorf("recall@10 = %.4f, want >= %.2f", r, tc.min)
			}
		})
	}
}

// TestRecallAfterDelete deletes a fifth of the graph, leaving the tombstones in place, and checks
// that recall@10 stays within 0.02 of a fresh build of the remaining vectors. Both search the
// graph alone with a small ef, where the difference would show.
func TestRecallAfterDelete(t *testing.T) {
	n, nq := recallSize()
	c := testCorpus(n, nq)
	g := build(t, c, Options{Seed: 1, MaxTombstoneRatio: -1, Seeds: -1})
	r := rand.New(rand.NewPCG(7, 7))
	var keys []string
	var docs []embed.Vector
	for i, k := range c.keys {
		if r.IntN(5) == 0 {
			if !g.Delete(k) {
				t.Fatalf("Delete(%q) = false for a present key", k)
			}
			continue
		}
		keys, docs = append(keys, k), append(docs, c.docs[i])
	}
	if f := g.Footprint(); f.Tombstones != n-len(keys) {
		t.Fatalf("%d tombstones, want %d", f.Tombstones, n-len(keys))
	}
	fresh := New(Options{Seed: 1, Seeds: -1})
	if err := fresh.AddBatch(context.Background(), keys, docs); err != nil {
		t.Fatal(err)
	}
	x := exactOf(t, keys, docs)
	p := SearchParams{K: 10, Ef: 24, Route: RouteGraph}
	got, want := recall(t, x, c.queries, 10, via(g, p)), recall(t, x, c.queries, 10, via(fresh, p))
	t.Logf("recall@10 with tombstones %.4f, fresh build %.4f", got, want)
	if got < want-0.02 {
		t.Errorf("recall@10 with tombstones %.4f, more than 0.02 below a fresh build's %.4f", got, want)
	}
	// No search route may return a deleted key.
	live := map[string]bool{}
	for _, k := range keys {
		live[k] = true
	}
	for _, route := range []Route{RouteGraph, RoutePostings} {
		for _, q := range append(c.queries[:10:10], c.short[:10]...) {
			h, _ := g.SearchWith(q, SearchParams{K: 50, Route: route})
			for _, h := range h {
				if !live[h.Key] {
					t.Fatalf("route %v returned deleted key %q", route, h.Key)
				}
			}
		}
	}
}

// TestUpsertRecall replaces a fifth of the vectors with other documents' vectors and checks that
// searches find the new vectors and never the old ones.
func TestUpsertRecall(t *testing.T) {
	n, nq := recallSize()
	c := testCorpus(n, nq)
	g := build(t, c, Options{Seed: 1, MaxTombstoneRatio: -1, Seeds: -1})
	docs := append([]embed.Vector(nil), c.docs...)
	for i := 0; i < n; i += 5 {
		docs[i] = c.docs[(i+n/2)%n]
		if err := g.Add(c.keys[i], docs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if g.Len() != n {
		t.Fatalf("Len = %d after upserts, want %d", g.Len(), n)
	}
	x := exactOf(t, c.keys, docs)
	got := recall(t, x, c.queries, 10, via(g, SearchParams{K: 10, Route: RouteGraph}))
	t.Logf("recall@10 after upserts %.4f", got)
	if got < 0.93 {
		t.Errorf("recall@10 after upserts %.4f, want >= 0.93", got)
	}
	for _, q := range c.short {
		if d := diffHits(x.Search(q, 10), g.SearchWith2(q)); d != "" {
			t.Fatalf("postings route after upserts differs from exact (-want +got):\n%s", d)
		}
	}
}

// TestPostingsEqualExact checks that the postings route returns what vector.Exact returns, scores
// bit for bit, for short and long queries.
func TestPostingsEqualExact(t *testing.T) {
	c := testCorpus(size(1000), 40)
	g := build(t, c, fast)
	x := exactOf(t, c.keys, c.docs)
	for _, q := range append(c.queries, c.short...) {
		for _, k := range []int{1, 10, 100} {
			want := x.Search(q, k)
			got, st := g.SearchWith(q, SearchParams{K: k, Route: RoutePostings})
			if st.Route != RoutePostings {
				t.Fatalf("route %v, want postings", st.Route)
			}
			if d := diffHits(want, got); d != "" {
				t.Fatalf("k=%d (-want +got):\n%s", k, d)
			}
		}
	}
}

// SearchWith2 searches the postings route for the top 10.
func (g *Graph) SearchWith2(q embed.Vector) []vector.Hit {
	h, _ := g.SearchWith(q, SearchParams{K: 10, Route: RoutePostings})
	return h
}

// TestRecallFrom searches the neighbours of stored vectors from their own nodes (SearchParams.From,
// what related papers do) and checks recall@10 against exact search is as good as the descent's from
// the entry point, less 0.01, and at least what TestRecall asks of ef=32.
func TestRecallFrom(t *testing.T) {
	n, _ := recallSize()
	c := testCorpus(n, 1)
	g := build(t, c, Options{Seed: 1})
	x := exactOf(t, c.keys, c.docs)
	step := max(1, len(c.keys)/200)
	var from, descent float64
	m := 0
	for i := 0; i < len(c.keys); i += step {
		want := x.Search(c.docs[i], 10)
		got, _ := g.SearchWith(c.docs[i], SearchParams{K: 10, Ef: 32, Route: RouteGraph, From: c.keys[i]})
		base, _ := g.SearchWith(c.docs[i], SearchParams{K: 10, Ef: 32, Route: RouteGraph})
		from += vector.Recall(want, got)
		descent += vector.Recall(want, base)
		m++
	}
	from, descent = from/float64(m), descent/float64(m)
	t.Logf("recall@10 from the node %.4f, from the entry point %.4f (%d stored vectors as queries)", from, descent, m)
	if from < descent-0.01 || from < 0.95 {
		t.Errorf("recall@10 from the node = %.4f, want >= max(%.4f - 0.01, 0.95)", from, descent)
	}
	// An unknown key is ignored: the ordinary search.
	q := c.docs[0]
	a, _ := g.SearchWith(q, SearchParams{K: 10, Ef: 32, Route: RouteGraph, From: "no such key"})
	b, _ := g.SearchWith(q, SearchParams{K: 10, Ef: 32, Route: RouteGraph})
	if d := diffHits(b, a); d != "" {
		t.Errorf("an unknown From changed the search (-want +got):\n%s", d)
	}
}

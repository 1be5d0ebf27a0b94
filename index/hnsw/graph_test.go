package hnsw

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/vector"
)

func vec(pairs ...float32) embed.Vector {
	var v embed.Vector
	for i := 0; i < len(pairs); i += 2 {
		v.Idx = append(v.Idx, uint32(pairs[i]))
		v.Val = append(v.Val, pairs[i+1])
	}
	return v
}

func TestIndexOperations(t *testing.T) {
	type op struct {
		add    string // key to add with v
		del    string // key to delete
		v      embed.Vector
		wantOK bool // Delete's result
	}
	a, b, c := vec(1, 1), vec(2, 0.6, 3, 0.8), vec(1, 0.6, 3, 0.8)
	for _, tc := range []struct {
		name     string
		ops      []op
		q        embed.Vector
		wantKeys []string
		wantHits []vector.Hit
	}{
		{name: "empty", q: a},
		{
			name:     "one",
			ops:      []op{{add: "a", v: a}},
			q:        a,
			wantKeys: []string{"a"},
			wantHits: []vector.Hit{{Key: "a", Score: 1}},
		},
		{
			name:     "scores best first and zero scores dropped",
			ops:      []op{{add: "a", v: a}, {add: "b", v: b}, {add: "c", v: c}},
			q:        vec(3, 1),
			wantKeys: []string{"a", "b", "c"},
			wantHits: []vector.Hit{{Key: "b", Score: 0.8}, {Key: "c", Score: 0.8}},
		},
		{
			name:     "delete",
			ops:      []op{{add: "a", v: a}, {add: "c", v: c}, {del: "a", wantOK: true}, {del: "a"}, {del: "zz"}},
			q:        a,
			wantKeys: []string{"c"},
			wantHits: []vector.Hit{{Key: "c", Score: 0.6}},
		},
		{
			name:     "upsert replaces the vector",
			ops:      []op{{add: "a", v: a}, {add: "b", v: b}, {add: "a", v: vec(2, 1)}},
			q:        vec(2, 1),
			wantKeys: []string{"b", "a"},
			wantHits: []vector.Hit{{Key: "a", Score: 1}, {Key: "b", Score: 0.6}},
		},
		{
			name:     "delete then add again",
			ops:      []op{{add: "a", v: a}, {del: "a", wantOK: true}, {add: "a", v: c}},
			q:        a,
			wantKeys: []string{"a"},
			wantHits: []vector.Hit{{Key: "a", Score: 0.6}},
		},
	} {
		for _, route := range []Route{RouteGraph, RoutePostings} {
			t.Run(tc.name+"/"+route.String(), func(t *testing.T) {
				g := New(Options{MaxTombstoneRatio: -1})
				for _, o := range tc.ops {
					if o.add != "" {
						if err := g.Add(o.add, o.v); err != nil {
							t.Fatal(err)
						}
						continue
					}
					if got := g.Delete(o.del); got != o.wantOK {
						t.Errorf("Delete(%q) = %v, want %v", o.del, got, o.wantOK)
					}
				}
				var keys []string
				g.Keys(func(k string) bool { keys = append(keys, k); return true })
				if d := cmp.Diff(tc.wantKeys, keys); d != "" {
					t.Errorf("Keys (-want +got):\n%s", d)
				}
				if g.Len() != len(tc.wantKeys) {
					t.Errorf("Len = %d, want %d", g.Len(), len(tc.wantKeys))
				}
				for _, k := range tc.wantKeys {
					if !g.Has(k) {
						t.Errorf("Has(%q) = false", k)
					}
				}
				got, _ := g.SearchWith(tc.q, SearchParams{K: 10, Route: route})
				if d := cmp.Diff(tc.wantHits, got); d != "" {
					t.Errorf("Search (-want +got):\n%s", d)
				}
			})
		}
	}
}

func TestGetReturnsACopy(t *testing.T) {
	g := New(Options{})
	in := vec(1, 0.6, 7, 0.8)
	if err := g.Add("k", in); err != nil {
		t.Fatal(err)
	}
	in.Val[0] = 99 // the graph must have copied on Add
	got, ok := g.Get("k")
	if !ok {
		t.Fatal("Get found nothing")
	}
	if d := cmp.Diff(vec(1, 0.6, 7, 0.8), got); d != "" {
		t.Errorf("Get (-want +got):\n%s", d)
	}
	got.Val[0] = 99 // and must copy on Get
	if again, _ := g.Get("k"); again.Val[0] != 0.6 {
		t.Error("modifying Get's result changed the graph")
	}
	if _, ok := g.Get("missing"); ok {
		t.Error("Get found a missing key")
	}
}

func TestAddRejectsBadVectors(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    embed.Vector
	}{
		{"unsorted", vec(3, 0.5, 1, 0.5)},
		{"duplicate index", vec(1, 0.5, 1, 0.5)},
		{"length mismatch", embed.Vector{Idx: []uint32{1, 2}, Val: []float32{1}}},
		{"NaN", embed.Vector{Idx: []uint32{1}, Val: []float32{float32(nan())}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := New(Options{})
			err := g.AddBatch(context.Background(), []string{"ok", "bad"}, []embed.Vector{vec(1, 1), tc.v})
			if !errors.Is(err, vector.ErrBadVector) {
				t.Fatalf("AddBatch error = %v, want ErrBadVector", err)
			}
			if g.Len() != 0 {
				t.Errorf("a rejected batch added %d vectors", g.Len())
			}
			// A malformed query finds nothing rather than a wrong answer.
			if h := g.Search(tc.v, 10); h != nil {
				t.Errorf("Search with a malformed query = %v", h)
			}
		})
	}
	if err := New(Options{}).AddBatch(context.Background(), []string{"a"}, nil); err == nil {
		t.Error("AddBatch with mismatched lengths succeeded")
	}
}

func TestAddBatchCancelled(t *testing.T) {
	c := testCorpus(size(1000), 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g := New(Options{})
	if err := g.AddBatch(ctx, c.keys, c.docs); !errors.Is(err, context.Canceled) {
		t.Fatalf("AddBatch error = %v, want context.Canceled", err)
	}
	if g.Len() != 0 {
		t.Errorf("cancelled AddBatch added %d vectors", g.Len())
	}
}

// TestDeterministic builds the same corpus twice with one worker and expects identical graphs,
// byte for byte; batch and one-by-one inserts must agree too.
func TestDeterministic(t *testing.T) {
	c := testCorpus(size(500), 1)
	o := fast
	o.Workers, o.Seed = 1, 3
	a := build(t, c, o)
	b := New(o)
	for i, k := range c.keys {
		if err := b.Add(k, c.docs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(encode(t, a), encode(t, b)) {
		t.Error("two single-worker builds of the same input differ")
	}
}

func TestLevels(t *testing.T) {
	g := New(Options{M: 16, Seed: 1})
	counts := make([]int, maxLevel+1)
	const n = 100_000
	for range n {
		counts[g.randomLevel()]++
	}
	// With mL = 1/ln(M), P(level >= l) = M^-l.
	for l, want := range []float64{n, n / 16, n / 256} {
		got := 0
		for _, c := range counts[l:] {
			got += c
		}
		if float64(got) < 0.8*want || float64(got) > 1.2*want {
			t.Errorf("%d nodes at level >= %d, want about %.0f", got, l, want)
		}
	}
}

// TestCompaction deletes past MaxTombstoneRatio and expects the tombstones gone and the searches
// unchanged.
func TestCompaction(t *testing.T) {
	n := size(1000)
	c := testCorpus(n, 20)
	o := fast
	o.MaxTombstoneRatio = 0.2
	g := build(t, c, o)
	for i := range n / 5 { // exactly 20%: not yet beyond the threshold
		g.Delete(c.keys[i])
	}
	if f := g.Footprint(); f.Tombstones != n/5 || f.Nodes != n {
		t.Fatalf("after deleting 20%%: %d nodes, %d tombstones; want %d, %d", f.Nodes, f.Tombstones, n, n/5)
	}
	g.Delete(c.keys[n/5])
	if f := g.Footprint(); f.Tombstones != 0 || f.Nodes != n-n/5-1 {
		t.Fatalf("after passing 20%%: %d nodes, %d tombstones; want %d, 0", f.Nodes, f.Tombstones, n-n/5-1)
	}
	if g.Len() != n-n/5-1 || g.Has(c.keys[0]) || !g.Has(c.keys[n-1]) {
		t.Fatalf("compaction lost or kept the wrong keys: Len %d", g.Len())
	}
	x := exactOf(t, c.keys[n/5+1:], c.docs[n/5+1:])
	if r := recall(t, x, c.queries, 10, via(g, SearchParams{K: 10, Route: RouteGraph})); r < 0.9 {
		t.Errorf("recall@10 after compaction %.4f", r)
	}
	for _, q := range c.short {
		if d := diffHits(x.Search(q, 10), g.SearchWith2(q)); d != "" {
			t.Fatalf("postings after compaction (-want +got):\n%s", d)
		}
	}
}

func TestRoute(t *testing.T) {
	c := testCorpus(size(1000), 5)
	o := fast
	o.ExactMaxNNZ, o.ExactMaxPostings = 32, -1
	g := build(t, c, o)
	for _, tc := range []struct {
		name string
		q    embed.Vector
		p    SearchParams
		want Route
	}{
		{"short goes to postings", c.short[0], SearchParams{K: 10}, RoutePostings},
		{"long goes to the graph", c.queries[0], SearchParams{K: 10}, RouteGraph},
		{"forced graph", c.short[0], SearchParams{K: 10, Route: RouteGraph}, RouteGraph},
		{"forced postings", c.queries[0], SearchParams{K: 10, Route: RoutePostings}, RoutePostings},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, st := g.SearchWith(tc.q, tc.p)
			if st.Route != tc.want {
				t.Errorf("route %v, want %v", st.Route, tc.want)
			}
			if (st.DistEvals > 0) != (tc.want == RouteGraph) || (st.Postings > 0) != (tc.want == RoutePostings) {
				t.Errorf("stats %+v do not match the route", st)
			}
		})
	}
	// With a postings budget, a long query whose lists are short enough is answered exactly too.
	o.ExactMaxNNZ, o.ExactMaxPostings = -1, 1<<30
	g2 := build(t, c, o)
	if _, st := g2.SearchWith(c.queries[0], SearchParams{K: 10}); st.Route != RoutePostings {
		t.Errorf("route %v within the postings budget, want postings", st.Route)
	}
}

// TestSimilarities checks that the graph's similarities of a query to given keys are embed.Dot of
// the stored vectors, bit for bit, and that missing and deleted keys are left out.
func TestSimilarities(t *testing.T) {
	c := testCorpus(size(400), 20)
	g := build(t, c, fast)
	if !g.Delete(c.keys[3]) {
		t.Fatal("Delete found nothing")
	}
	keys := append([]string{"missing"}, c.keys[:50]...)
	for qi, q := range c.queries {
		got := map[int]float32{}
		g.Similarities(q, keys, func(i int, sim float32) { got[i] = sim })
		want := map[int]float32{}
		for i, k := range keys {
			if v, ok := g.Get(k); ok {
				want[i] = embed.Dot(q, v)
			}
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("query %d: similarities (-want +got):\n%s", qi, d)
		}
		if _, ok := got[0]; ok {
			t.Fatal("a missing key has a similarity")
		}
		if _, ok := got[4]; ok {
			t.Fatal("a deleted key has a similarity")
		}
	}
}

func TestDensity(t *testing.T) {
	c := testCorpus(size(400), 20)
	g := build(t, c, fast)
	keys := append([]string{"missing"}, c.keys[:50]...)
	for _, k := range []int{1, 10, 1000} {
		got := map[int]float32{}
		g.Density(keys, k, func(i int, d float32) { got[i] = d })
		if _, ok := got[0]; ok {
			t.Fatal("a missing key has a density")
		}
		for i, key := range keys[1:] {
			// The mean of the k largest similarities to the node's layer-0 neighbours, from their vectors.
			n := g.nodes[g.byKey[key]]
			var sims []float32
			for _, id := range n.links[0] {
				sims = append(sims, embed.Dot(n.vec.vector(), g.nodes[id].vec.vector()))
			}
			slices.Sort(sims)
			slices.Reverse(sims)
			sims = sims[:min(k, len(sims))]
			var want float32
			for _, s := range sims {
				want += s
			}
			want /= float32(len(sims))
			if d := got[i+1] - want; d > 1e-5 || d < -1e-5 {
				t.Fatalf("k %d, %s: density %v, want %v", k, key, got[i+1], want)
			}
		}
	}
}

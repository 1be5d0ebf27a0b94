package hnsw

import (
	"context"
	"slices"
	"testing"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/vector"
)

// TestStagePublish: staged nodes are linked but invisible to every reader until Publish, which makes
// them visible at once and replaces the nodes of existing keys; Discard leaves the graph as it was.
func TestStagePublish(t *testing.T) {
	c := testCorpus(size(600), 20)
	half := len(c.keys) / 2
	g := New(fast)
	if err := g.AddBatch(context.Background(), c.keys[:half], c.docs[:half]); err != nil {
		t.Fatal(err)
	}
	visible := func(key string, v embed.Vector) bool {
		for _, route := range []Route{RouteGraph, RoutePostings} {
			hits, _ := g.SearchWith(v, SearchParams{K: 10, Route: route})
			if slices.ContainsFunc(hits, func(h vector.Hit) bool { return h.Key == key }) {
				return true
			}
		}
		return false
	}
	// A batch of new keys and one existing key, replaced by another key's vector.
	keys := append(slices.Clone(c.keys[half:]), c.keys[0])
	vecs := append(slices.Clone(c.docs[half:]), c.docs[half])
	st, err := g.Stage(context.Background(), keys, vecs)
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != half || g.Has(keys[0]) {
		t.Fatalf("staged nodes visible before Publish: Len %d, want %d", g.Len(), half)
	}
	for i, k := range keys[:len(keys)-1] {
		if visible(k, vecs[i]) {
			t.Fatalf("search found staged %s before Publish", k)
		}
	}
	if v, _ := g.Get(c.keys[0]); embed.Dot(v, c.docs[0]) < 0.999 {
		t.Fatalf("the replaced key lost its old vector before Publish")
	}
	st.Publish()
	if g.Len() != len(c.keys) {
		t.Fatalf("after Publish: Len %d, want %d", g.Len(), len(c.keys))
	}
	found := 0
	for i, k := range keys[:len(keys)-1] {
		if visible(k, vecs[i]) {
			found++
		}
	}
	if found < len(keys)*9/10 {
		t.Errorf("after Publish only %d of %d staged keys find themselves", found, len(keys)-1)
	}
	if v, _ := g.Get(c.keys[0]); embed.Dot(v, c.docs[half]) < 0.999 {
		t.Errorf("Publish did not replace the existing key's vector")
	}
	if f := g.Footprint(); f.Tombstones != 1 {
		t.Errorf("%d tombstones after replacing one key, want 1", f.Tombstones)
	}

	// Discard: nothing changes but the tombstone count.
	st, err = g.Stage(context.Background(), []string{"extra"}, c.docs[:1])
	if err != nil {
		t.Fatal(err)
	}
	st.Discard()
	if g.Has("extra") || g.Len() != len(c.keys) || visible("extra", c.docs[0]) {
		t.Errorf("a discarded node is visible")
	}
	if f := g.Footprint(); f.Tombstones != 2 {
		t.Errorf("%d tombstones after a discard, want 2", f.Tombstones)
	}
	// The graph takes writes again after Publish and Discard.
	if !g.Tombstone(c.keys[1]) || g.Has(c.keys[1]) {
		t.Errorf("Tombstone after Discard did not delete")
	}
	g.MaybeCompact()
}

// TestStageRejects: a bad vector rejects the batch before the writer lock is taken.
func TestStageRejects(t *testing.T) {
	g := New(fast)
	if _, err := g.Stage(context.Background(), []string{"a"}, []embed.Vector{{Idx: []uint32{2, 1}, Val: []float32{1, 1}}}); err == nil {
		t.Fatal("Stage accepted a malformed vector")
	}
	if err := g.Add("b", embed.Vector{Idx: []uint32{1}, Val: []float32{1}}); err != nil {
		t.Fatalf("the graph takes no write after a rejected Stage: %v", err)
	}
}

package vector

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/embed"
)

// vec builds a vector from index, value pairs.
func vec(pairs ...float32) embed.Vector {
	var v embed.Vector
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Idx = append(v.Idx, uint32(pairs[i]))
		v.Val = append(v.Val, pairs[i+1])
	}
	return v
}

// randomVector returns a vector of up to nnz entries below dim, with values drawn from a few levels so
// that scores tie often.
func randomVector(r *rand.Rand, dim uint32, nnz int) embed.Vector {
	seen := map[uint32]bool{}
	for range nnz {
		seen[r.Uint32N(dim)] = true
	}
	var v embed.Vector
	for _, ix := range slices.Sorted(maps.Keys(seen)) {
		v.Idx = append(v.Idx, ix)
		v.Val = append(v.Val, float32(1+r.IntN(4))/4)
	}
	return v
}

// bruteForce is the reference search: every positive score, sorted by SortHits, cut to k.
func bruteForce(vs map[string]embed.Vector, q embed.Vector, k int) []Hit {
	var all []Hit
	for key, v := range vs {
		if s := embed.Dot(q, v); s > 0 {
			all = append(all, Hit{Key: key, Score: s})
		}
	}
	SortHits(all)
	if len(all) > k {
		all = all[:k]
	}
	return all
}

func TestSortHits(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in, want []Hit
	}{
		{"empty", nil, nil},
		{"by score", []Hit{{"a", 0.1}, {"b", 0.9}, {"c", 0.5}}, []Hit{{"b", 0.9}, {"c", 0.5}, {"a", 0.1}}},
		{"ties by key", []Hit{{"c", 0.5}, {"a", 0.5}, {"b", 0.5}}, []Hit{{"a", 0.5}, {"b", 0.5}, {"c", 0.5}}},
		{"mixed", []Hit{{"z", 1}, {"b", 0.5}, {"a", 0.5}, {"y", 1}}, []Hit{{"y", 1}, {"z", 1}, {"a", 0.5}, {"b", 0.5}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := slices.Clone(tc.in)
			SortHits(got)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("SortHits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTopKMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		n, k int
	}{
		{"k=1", 100, 1},
		{"k=10", 100, 10},
		{"k equals n", 50, 50},
		{"k above n", 20, 100},
		{"no hits", 0, 5},
		{"many ties", 500, 37},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Few distinct scores, with keys pushed in random order, stress the tie-break.
			hits := make([]Hit, tc.n)
			for i := range hits {
				hits[i] = Hit{Key: fmt.Sprintf("k%04d", i), Score: float32(r.IntN(8))}
			}
			r.Shuffle(len(hits), func(i, j int) { hits[i], hits[j] = hits[j], hits[i] })
			top := NewTopK(tc.k)
			for _, h := range hits {
				top.Push(h.Key, h.Score)
			}
			want := slices.Clone(hits)
			SortHits(want)
			want = want[:min(tc.k, len(want))]
			if diff := cmp.Diff(want, top.Sorted(), cmpEmpty); diff != "" {
				t.Errorf("TopK (-want +got):\n%s", diff)
			}
		})
	}
}

// cmpEmpty treats a nil and an empty hit list as equal.
var cmpEmpty = cmp.FilterValues(func(a, b []Hit) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())

func TestTopKZero(t *testing.T) {
	top := NewTopK(0)
	top.Push("a", 1)
	if got := top.Sorted(); len(got) != 0 {
		t.Errorf("NewTopK(0) kept %v", got)
	}
}

func TestRecall(t *testing.T) {
	hits := func(keys ...string) []Hit {
		out := make([]Hit, len(keys))
		for i, k := range keys {
			out[i] = Hit{Key: k}
		}
		return out
	}
	tests := []struct {
		name      string
		want, got []Hit
		recall    float64
	}{
		{"empty exact answer", nil, hits("a"), 1},
		{"all found, any order", hits("a", "b"), hits("b", "a"), 1},
		{"half found", hits("a", "b", "c", "d"), hits("a", "x", "c"), 0.5},
		{"none found", hits("a"), nil, 0},
		{"extra hits do not count", hits("a"), hits("x", "y", "a"), 1},
	}
	for _, tt := range tests {
		if got := Recall(tt.want, tt.got); got != tt.recall {
			t.Errorf("%s: Recall = %v, want %v", tt.name, got, tt.recall)
		}
	}
}

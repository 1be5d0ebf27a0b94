package index

import (
	"slices"
	"testing"

	"github.com/kindred-search/kindred/index/vector"
)

// fakeDensities is a vector index with given local densities.
type fakeDensities struct {
	vector.Index
	d map[string]float32
}

func (f fakeDensities) Density(keys []string, k int, fn func(i int, d float32)) {
	for i, key := range keys {
		if d, ok := f.d[key]; ok {
			fn(i, d)
		}
	}
}

func TestLessDensity(t *testing.T) {
	cands := []Candidate{{ID: "hub", Score: 0.6}, {ID: "niche", Score: 0.5}, {ID: "unknown", Score: 0.4}}
	dens := map[string]float32{"hub": 0.5, "niche": 0.1}
	for _, tc := range []struct {
		name string
		vec  vector.Index
		beta float64
		want []Candidate
	}{
		// hub 0.6 - 0.25 = 0.35, niche 0.5 - 0.05 = 0.45, unknown (no density) unchanged.
		{"beta 0.5", fakeDensities{d: dens}, 0.5, []Candidate{{ID: "niche", Score: 0.45}, {ID: "unknown", Score: 0.4}, {ID: "hub", Score: 0.35}}},
		{"off", fakeDensities{d: dens}, -1, cands},
		{"exact index: no densities", vector.NewExact(), 0.5, cands},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := &Index{vec: tc.vec}
			got := ix.lessDensity(slices.Clone(cands), tc.beta)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i].ID != tc.want[i].ID || !closeTo(got[i].Score, tc.want[i].Score) {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func closeTo(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }

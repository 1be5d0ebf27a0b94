package sample_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/load"
	"github.com/kindred-search/kindred/index/sample"
)

func openSample(t *testing.T) *index.Index {
	t.Helper()
	ix, err := index.Open(t.Context(), t.TempDir(), index.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	opts := load.DefaultOptions()
	opts.Reader.Year = sample.Year
	sum, err := load.Reader(t.Context(), ix, sample.Open(), sample.Name, opts)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 63 || sum.Rejected != 0 {
		t.Fatalf("sample load: %s, want 63 accepted", sum)
	}
	return ix
}

func titleID(t *testing.T, ix *index.Index, prefix string) string {
	t.Helper()
	res, err := ix.Search(t.Context(), index.Request{Query: index.EscapeQuery(prefix), Ranking: index.Ranking{Mode: index.ModeKeyword, Limit: 5}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		if strings.HasPrefix(r.Paper.Title, prefix) {
			return r.Paper.ID
		}
	}
	t.Fatalf("no paper titled %q...", prefix)
	return ""
}

// The acceptance checks on the built-in sample.
func TestSampleAcceptance(t *testing.T) {
	ix := openSample(t)
	t.Run("state space models in the top 3", func(t *testing.T) {
		res, err := ix.Search(t.Context(), index.Request{Query: "state space models for long sequences", Ranking: index.Ranking{Limit: 3}})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range res.Results {
			found = found || strings.HasPrefix(r.Paper.Title, "Efficiently Modeling Long Sequences") || strings.HasPrefix(r.Paper.Title, "Mamba")
		}
		if !found {
			t.Errorf("neither S4 nor Mamba in the top 3: %v", titles(res))
		}
	})
	t.Run("CutMix related papers", func(t *testing.T) {
		id := titleID(t, ix, "CutMix")
		res, err := ix.Related(t.Context(), id, index.RelatedRequest{Ranking: index.Ranking{Limit: 6}})
		if err != nil {
			t.Fatal(err)
		}
		got := titles(res)
		for _, want := range []string{"ScatSimCLR", "LaSO", "Stochastic Layer-Wise Shuffle"} {
			if !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, want) }) {
				t.Errorf("%q not in CutMix's top 6 related: %v", want, got)
			}
		}
		for _, r := range res.Results {
			if len(r.SharedTerms) == 0 {
				t.Errorf("%q has no shared terms", r.Paper.Title)
			}
		}
	})
}

func titles(res index.Response) []string {
	out := make([]string, len(res.Results))
	for i, r := range res.Results {
		out[i] = r.Paper.Title
	}
	return out
}

package index

import (
	"fmt"
	"testing"

	"github.com/kindred-search/kindred/index/paper"
)

// TestSuggestion: a misspelled query that finds few papers offers the corrected query in every
// mode, although the vector side finds neighbours for it anyway; a query whose words the index has
// offers none.
func TestSuggestion(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	var ps []paper.Paper
	for i := range 12 {
		ps = append(ps, paper.Paper{ID: fmt.Sprintf("p%d", i), Title: fmt.Sprintf("Diffusion models for task %d", i),
			Abstract: fmt.Sprintf("We train diffusion models on benchmark %d and report sampling quality.", i)})
	}
	// A paper with the typos, so that each is a word of the index, seen in fewer than three papers.
	ps = append(ps, paper.Paper{ID: "typo", Title: "Difusion modles", Abstract: "A difusion paper with modles."})
	if _, err := ix.Upsert(t.Context(), ps...); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		query string
		mode  Mode
		want  string
	}{
		{"difusion modles", "hybrid", "diffusion models"},
		{"difusion modles", "keyword", "diffusion models"},
		{"difusion modles", "vector", "diffusion models"},
		{"difusoin", "keyword", "diffusion"}, // a transposition is one edit
		{"diffusion models", "hybrid", ""},
		{"title:difusion", "keyword", ""}, // only plain words are corrected
	} {
		r := Request{Query: tt.query}
		r.Mode, r.Limit = tt.mode, 5
		res, err := ix.Search(t.Context(), r)
		if err != nil {
			t.Fatalf("%q: %v", tt.query, err)
		}
		if res.Suggestion != tt.want {
			t.Errorf("%q in %s mode: suggestion %q, want %q (total %d)", tt.query, tt.mode, res.Suggestion, tt.want, res.Total)
		}
	}
}

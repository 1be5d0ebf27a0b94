package reader

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

func TestDeriveTitle(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"short first sentence", "What is a Roth IRA? I have heard of them but never understood.", "What is a Roth IRA?"},
		{"first sentence of twelve words", "One two three four five six seven eight nine ten eleven twelve. Thirteen.", "One two three four five six seven eight nine ten eleven twelve."},
		{"long first sentence cut at twelve words", "Nuclear power is the only option we have for reducing emissions while keeping the lights on everywhere.", "Nuclear power is the only option we have for reducing emissions while…"},
		{"cut after twelve words", "If you pay off the loan early, which many do, the bank loses the interest it counted on.", "If you pay off the loan early, which many do, the bank…"},
		{"trailing comma dropped before the ellipsis", "One two three four five six seven eight nine ten eleven twelve, thirteen fourteen.", "One two three four five six seven eight nine ten eleven twelve…"},
		{"abbreviations and initials are no sentence end", "Dr. J. Smith argued e.g. for taxes. Then more.", "Dr. J. Smith argued e.g. for taxes."},
		{"whole short text", "Short text without a full stop", "Short text without a full stop"},
		{"white space folded", "  Is\n\tit   taxable?  Yes.", "Is it taxable?"},
		{"long words cut at 120 characters", strings.Repeat("abcdefghij ", 20), strings.TrimSpace(strings.Repeat("abcdefghij ", 11)) + "…"},
		{"one huge word", strings.Repeat("x", 300), strings.Repeat("x", 120) + "…"},
		{"empty", " \n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := deriveTitle(tc.text); got != tc.want {
				t.Errorf("deriveTitle(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestBEIRDerivedTitle: BEIR records with an empty title (FiQA, ArguAna) are indexed with a derived
// title; other shapes still require a title.
func TestBEIRDerivedTitle(t *testing.T) {
	input := `{"_id": "3", "title": "", "text": "What is a Roth IRA? I have heard of them.", "metadata": {}}
{"_id": "4", "text": "Nuclear power is the only option we have for reducing emissions while keeping the lights on."}
{"_id": "5", "title": "Kept", "text": "A titled record keeps its title."}
{"id": "6", "title": "", "abstract": "A plain record without a title is still rejected."}
{"_id": "7", "title": " ", "text": " "}
`
	got := mustRead(t, input, "corpus.jsonl", Options{})
	want := result{
		Papers: []paper.Paper{
			{ID: "3", Title: "What is a Roth IRA?", Abstract: "What is a Roth IRA? I have heard of them.", Source: "beir", TitleDerived: true},
			{ID: "4", Title: "Nuclear power is the only option we have for reducing emissions while…", Abstract: "Nuclear power is the only option we have for reducing emissions while keeping the lights on.", Source: "beir", TitleDerived: true},
			{ID: "5", Title: "Kept", Abstract: "A titled record keeps its title.", Source: "beir"},
		},
		Rejections: []Rejection{
			{File: "corpus.jsonl", Line: 4, Reason: "missing title"},
			{File: "corpus.jsonl", Line: 5, Reason: "missing title"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
}

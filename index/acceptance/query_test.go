package acceptance

import (
	"testing"

	"github.com/kindred-search/kindred/index"
)

// TestQueryTextOn75k: what people type or paste searches, on the whole arXiv file (issue 11): no
// error for any of the texts that used to answer 400, patterns over words rather than stems, and
// match-everything answered from the cheap path.
func TestQueryTextOn75k(t *testing.T) {
	ix := needArxiv(t)
	search := func(q string, mode index.Mode) index.Response {
		t.Helper()
		res, err := ix.Search(t.Context(), index.Request{Query: q, Ranking: index.Ranking{Mode: mode, Limit: 10}})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		return res
	}
	for _, q := range []string{"a / b", "Chart-R1: Chain-of-Thought Supervision for Reliable Chart Reasoning", "3:1 ratio",
		`"unterminated`, "title:", "~", `\`, "!important && || -", "/(a+)+$/", "date:2026", "date:2025-03",
		"categories:cs.cl", "authors:vulic", "a OR b", "*", "t* s* c* p* m*"} {
		for _, m := range []index.Mode{index.ModeKeyword, index.ModeVector, index.ModeHybrid} {
			search(q, m)
		}
	}
	if p, w := search("distill*", index.ModeKeyword).Total, search("distillation", index.ModeKeyword).Total; p < w {
		t.Errorf("distill* matches %d papers, distillation %d: prefixes must match the words, not their stems", p, w)
	}
	if r := search("date:2026", index.ModeKeyword); r.Total == 0 {
		t.Errorf("date:2026 finds nothing")
	}
	if a, b := search("categories:cs.cl", index.ModeKeyword).Total, search("categories:cs.CL", index.ModeKeyword).Total; a != b || a == 0 {
		t.Errorf("categories:cs.cl finds %d, cs.CL %d", a, b)
	}
	all := search("*", index.ModeHybrid)
	if all.Total != ix.Count() || all.Work.Postings != 0 {
		t.Errorf("*: total %d of %d papers, %d postings read (the cheap path reads none)", all.Total, ix.Count(), all.Work.Postings)
	}
	if r := search("atention~", index.ModeKeyword); len(r.Results) == 0 {
		t.Errorf("atention~ finds nothing")
	}
	// Did you mean: the vector side finds neighbours for a misspelled query, but the offer follows the
	// papers that hold its words.
	for _, m := range []index.Mode{index.ModeKeyword, index.ModeHybrid} {
		if r := search("difusion modles", m); r.Suggestion != "diffusion models" {
			t.Errorf("difusion modles in %s mode: suggestion %q, want diffusion models (total %d)", m, r.Suggestion, r.Total)
		}
	}
	// An author's name is offered as such.
	if r := search("Graham Neubig", index.ModeHybrid); r.Author == nil {
		t.Logf("Graham Neubig is not an author in this file")
	}
}

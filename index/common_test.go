package index

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index/paper"
)

// zipfCorpus makes n papers from a vocabulary of made-up words with Zipfian frequencies, so that a
// few words are in most papers and most words in a few. It returns the papers and the vocabulary,
// commonest first.
func zipfCorpus(n int, seed uint64) ([]paper.Paper, []string) {
	rng := rand.New(rand.NewPCG(seed, seed))
	const vocab = 400
	words := make([]string, vocab)
	for i := range words {
		// Letters only, distinct after stemming: "w" + the number spelled in base-26 letters.
		var b strings.Builder
		b.WriteString("zq")
		for x := i + 1; x > 0; x /= 26 {
			b.WriteByte(byte('a' + x%26))
		}
		b.WriteString("x")
		words[i] = b.String()
	}
	z := rand.NewZipf(rng, 1.1, 2, vocab-1)
	text := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[z.Uint64()]
		}
		return strings.Join(ws, " ")
	}
	ps := make([]paper.Paper, n)
	for i := range ps {
		ps[i] = paper.Paper{ID: fmt.Sprintf("p%03d", i), Title: text(3 + rng.IntN(6)), Abstract: text(20 + rng.IntN(60)),
			Categories: []string{[]string{"cs.CL", "cs.LG", "cs.CV"}[i%3]}}
	}
	return ps, words
}

func TestSplitCommon(t *testing.T) {
	ps, words := zipfCorpus(200, 1)
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	if _, err := ix.Upsert(t.Context(), ps...); err != nil {
		t.Fatal(err)
	}
	common, rare := words[0], words[len(words)-1]
	tests := []struct {
		query string
		split bool
	}{
		{common + " " + rare, true},
		{rare + " the " + common, true}, // the stop word is dropped
		{common, false},                 // nothing essential
		{rare, false},                   // nothing common
		{words[1] + " " + common, false},
		{"+" + rare + " " + common, false},            // a required word already drives the search
		{rare + " " + common + " -" + words[5], true}, // must-not stays as it is
		{`"` + rare + " " + common + `"`, false},      // a phrase
		{rare + " " + common + "~1", false},           // fuzzy
		{rare + " title:" + common, false},            // a field
		{rare + " " + common + "^3", false},           // a boost
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, text, plain, err := parseQuery(tt.query, ix.opts.Ranking.TitleBoost)
			if err != nil {
				t.Fatal(err)
			}
			var terms []string
			if plain {
				terms = ix.emb.Terms(text)
			}
			ix.mu.RLock()
			sp, ok := ix.splitCommon(q, terms)
			ix.mu.RUnlock()
			if ok != tt.split {
				t.Fatalf("split %v, want %v", ok, tt.split)
			}
			if ok && !(sp.bound > 0) {
				t.Errorf("bound %v, want > 0", sp.bound)
			}
		})
	}
}

// TestCommonSplitKeepsRanking checks the promise of splitCommon: on a corpus small enough that every
// match is re-scored, a split search returns exactly what the whole query returns, scores and totals
// included, whether the essential words alone serve it or the common words complete it.
func TestCommonSplitKeepsRanking(t *testing.T) {
	ps, words := zipfCorpus(250, 2)
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	if _, err := ix.Upsert(t.Context(), ps...); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	for i := range 300 {
		k := 2 + rng.IntN(3)
		qw := make([]string, k)
		for j := range qw {
			if j == 0 || rng.IntN(2) == 0 {
				qw[j] = words[rng.IntN(8)] // common
			} else {
				qw[j] = words[8+rng.IntN(len(words)-8)]
			}
		}
		if i%5 == 0 {
			qw = append(qw, "-"+words[rng.IntN(len(words))])
		}
		q := strings.Join(qw, " ")
		for _, req := range []Request{
			{Query: q, Mode: ModeKeyword, Limit: 10},
			{Query: q, Mode: ModeKeyword, Limit: 50, Offset: 20},
			{Query: q, Mode: ModeHybrid},
			{Query: q, Mode: ModeKeyword, Filter: Filter{Categories: []string{"cs.CL"}}},
			{Query: q, Mode: ModeHybrid, Filter: Filter{Categories: []string{"cs.LG", "cs.CV"}}, Limit: 20},
		} {
			ix.noSplit = true
			want, err := ix.Search(t.Context(), req)
			if err != nil {
				t.Fatal(err)
			}
			ix.noSplit = false
			got, err := ix.Search(t.Context(), req)
			if err != nil {
				t.Fatal(err)
			}
			want.Took, got.Took = 0, 0
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%q (%s, limit %d): split search differs (-whole +split):\n%s", q, req.Mode, req.Limit, diff)
			}
		}
	}
	served, completed := ix.common.served.Load(), ix.common.completed.Load()
	t.Logf("served from essential words %d, completed with common words %d", served, completed)
	if served == 0 || completed == 0 {
		t.Errorf("served %d, completed %d: the test does not exercise both paths", served, completed)
	}
}

// BenchmarkKeywordCommonWords compares keyword search of queries mixing common and rare words run
// whole and split into essential and common words (go test -bench KeywordCommonWords ./index).
func BenchmarkKeywordCommonWords(b *testing.B) {
	ps, words := zipfCorpus(5000, 4)
	ix, err := Open(b.Context(), b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Upsert(b.Context(), ps...); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	qs := make([]string, 64)
	for i := range qs {
		qs[i] = words[rng.IntN(4)] + " " + words[4+rng.IntN(12)] + " " + words[40+rng.IntN(200)]
	}
	for _, mode := range []Mode{ModeKeyword, ModeHybrid} {
		for _, whole := range []bool{true, false} {
			name := string(mode) + "/split"
			if whole {
				name = string(mode) + "/whole"
			}
			b.Run(name, func(b *testing.B) {
				ix.noSplit = whole
				i := 0
				for b.Loop() {
					if _, err := ix.Search(b.Context(), Request{Query: qs[i%len(qs)], Mode: mode}); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}

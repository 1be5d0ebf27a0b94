package index

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index/bm25"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
	"github.com/kindred-search/kindred/index/sample"
)

// TestSelectPaperTerms: a paper's terms selected from the keyword index's forward index, with their
// readable forms filled in from its text, are exactly those selected from its text (terms, weights
// to the bit, surfaces), over the built-in sample; papers where the two could differ (cleaning
// changes the text, a capped frequency) fall back to the text.
func TestSelectPaperTerms(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	papers := samplePapers(t)
	papers = append(papers, testPapers()...)
	// Surfaces as written: capitals, possessives, accents, hyphens, and a word longer than the word
	// dictionary keeps before a shorter form of the same term.
	long := strings.Repeat("transformation", 5)
	papers = append(papers,
		paper.Paper{ID: "forms", Title: "The Transformer's Attention: Models' Robustness to CAFÉ Noise",
			Abstract: "Transformer attention makes models robust. A naïve résumé of MODELS and the transformer's " +
				"self-attention shows attention-based robustness; robustly attending transformers attend."},
		paper.Paper{ID: "long", Title: "Transformations of transformations",
			Abstract: "We study " + long + "s and their transformations, then " + long + " again, and robustness of transformations."},
	)
	unclean := []paper.Paper{
		{ID: "cites", Title: "Diffusion transformers for video generation",
			Abstract: "Video diffusion (Tian et al., 2024) extends image diffusion; see https://github.com/a/b."},
		{ID: "capped", Title: "Video generation by repetition",
			Abstract: strings.Repeat("video diffusion ", 300) + "generation"},
	}
	papers = append(papers, unclean...)
	if _, err := ix.Upsert(t.Context(), papers...); err != nil {
		t.Fatal(err)
	}
	type sel struct {
		Term, Surface string
		Weight        float64
	}
	plain := func(ts []weightedTerm) []sel {
		out := make([]sel, len(ts))
		for i, t := range ts {
			out[i] = sel{t.term, t.surface, t.weight}
		}
		return out
	}
	forward := 0
	for _, p := range papers {
		d, ok := ix.kw.DocNum(p.ID)
		if !ok {
			t.Fatalf("%s is not in the keyword index", p.ID)
		}
		for _, n := range []int{mltTerms, 5} {
			got, ok := ix.selectPaperTerms(d, n)
			if !ok {
				continue
			}
			forward++
			ix.fillSurfaces(EmbedText(p), got)
			want := ix.selectTerms(EmbedText(p), n)
			if diff := cmp.Diff(plain(want), plain(got)); diff != "" {
				t.Errorf("%s, %d terms: from the forward index (-text +forward):\n%s", p.ID, n, diff)
			}
		}
	}
	t.Logf("%d of %d selections from the forward index", forward, 2*len(papers))
	if forward < len(papers) {
		t.Errorf("only %d of %d selections came from the forward index", forward, 2*len(papers))
	}
	for _, p := range unclean {
		d, _ := ix.kw.DocNum(p.ID)
		if _, ok := ix.selectPaperTerms(d, mltTerms); ok {
			t.Errorf("%s: selected from the forward index, whose terms differ from its cleaned text's", p.ID)
		}
	}
}

// TestLikeSide: the keyword side of related papers, finding its candidates by the source's rarer
// terms, scores each on all of them exactly as the whole query does, best first. (What it misses
// is measured, not asserted: the author proxy's nDCG, README "Measured: related papers".)
func TestLikeSide(t *testing.T) {
	defer func(n int) { findMinDocs = n }(findMinDocs)
	findMinDocs = 1
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	papers := samplePapers(t)
	if _, err := ix.Upsert(t.Context(), append(papers, testPapers()...)...); err != nil {
		t.Fatal(err)
	}
	twoStage := 0
	for _, p := range papers {
		src := ix.selectTerms(EmbedText(p), mltTerms)
		common := 0
		for _, s := range src {
			if float64(ix.kw.DF(s.term)) > findShare*float64(ix.kw.Len()) {
				common++
			}
		}
		if common == 0 || common == len(src) {
			continue
		}
		twoStage++
		const n = 5
		var w Work
		got, err := ix.likeSide(t.Context(), src, bm25.Filter{}, n, &w)
		if err != nil {
			t.Fatal(err)
		}
		exact, err := ix.keywordScores(moreLikeThis(src, bm25.Filter{}), got)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i].Score != exact[i].Score {
				t.Errorf("%s: %s scores %v, the whole query %v", p.ID, got[i].ID, got[i].Score, exact[i].Score)
			}
			if i > 0 && got[i].Score > got[i-1].Score {
				t.Errorf("%s: results out of order: %v", p.ID, got)
			}
		}
	}
	if twoStage < 10 {
		t.Fatalf("only %d sources had both rare and common terms", twoStage)
	}
}

// samplePapers reads the built-in sample's papers.
func samplePapers(t *testing.T) []paper.Paper {
	t.Helper()
	var papers []paper.Paper
	err := reader.Read(t.Context(), sample.Open(), sample.Name, reader.Options{Year: sample.Year},
		func(p paper.Paper) error { papers = append(papers, p); return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	return papers
}

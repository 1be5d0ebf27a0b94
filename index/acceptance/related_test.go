package acceptance

import (
	"slices"
	"strings"
	"testing"

	"github.com/kindred-search/kindred/index"
)

// scaffolding are words the related-papers issue saw explain unrelated papers: citation apparatus,
// URL pieces and the genre's stock phrases. None may be a shared term.
var scaffolding = []string{"et", "al", "vs", "e.g", "i.e", "researchers", "provides", "new", "work", "paper",
	"propose", "proposed", "results", "https", "http", "github", "com", "www", "2024a", "2024b"}

// TestVideoSurveyRelated: the related papers of "Survey of Video Diffusion Models: Foundations,
// Implementations, and Applications" are about video (or motion) generation, and explain themselves
// with topical terms. (Before, four of its ten related papers were there because of "et al".)
func TestVideoSurveyRelated(t *testing.T) {
	ix := needArxiv(t)
	res, err := ix.Related(t.Context(), "2504.16081", index.RelatedRequest{Ranking: index.Ranking{Limit: 10}})
	if err != nil {
		t.Fatal(err)
	}
	about := 0
	for i, r := range res.Results {
		title := strings.ToLower(r.Paper.Title)
		if i < 5 && (strings.Contains(title, "video") || strings.Contains(title, "motion")) {
			about++
		}
		for _, s := range r.SharedTerms {
			if slices.Contains(scaffolding, s) {
				t.Errorf("result %d (%s) shares the scaffolding term %q: %v", i+1, r.Paper.Title, s, r.SharedTerms)
			}
		}
		t.Logf("%d %.3f %s %v", i+1, r.Score, r.Paper.Title, r.SharedTerms)
	}
	if about < 4 {
		t.Errorf("%d of the top 5 related papers are about video or motion generation, want at least 4", about)
	}
}

// TestWeakVectorEvidence: a side with weak or no evidence is not stretched into a full score.
// "(IgG)" is a term no arXiv paper has: the vector side used to find papers through hash collisions
// at cosine 0.09 and rank them with full scores. A typo must not do that either.
func TestWeakVectorEvidence(t *testing.T) {
	ix := needArxiv(t)
	for _, q := range []string{"(IgG)", "transfromer qzxv"} {
		res, err := ix.Search(t.Context(), index.Request{Query: q, Ranking: index.Ranking{Limit: 10}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Results {
			if r.Keyword == nil && r.Score > 0.5 {
				t.Errorf("%q: vector-only result %s (cosine %.3f) scores %.2f", q, r.Paper.Title, r.Vector.Score, r.Score)
			}
		}
	}
	res, err := ix.Search(t.Context(), index.Request{Query: "(IgG)", Ranking: index.Ranking{Limit: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 0 {
		t.Errorf("(IgG): %d results for a term no paper has", len(res.Results))
	}
}

// TestRelatedExcludesSource and fills a page, for a sample of papers across the file.
func TestRelatedExcludesSource(t *testing.T) {
	ix := needArxiv(t)
	for _, id := range []string{"2504.16081", "2503.20568", "2507.16869"} {
		res, err := ix.Related(t.Context(), id, index.RelatedRequest{Ranking: index.Ranking{Limit: 10}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Results) != 10 {
			t.Errorf("%s: %d related papers, want 10", id, len(res.Results))
		}
		for _, r := range res.Results {
			if r.Paper.ID == id {
				t.Errorf("%s is its own related paper", id)
			}
			if len(r.SharedTerms) == 0 {
				t.Errorf("%s: related %s has no shared terms", id, r.Paper.ID)
			}
		}
	}
}

// TestSimilarPastedFromPDF: the video-diffusion survey's abstract, pasted as a PDF gives it (lines
// broken, words cut at the breaks, ligatures), is recognised as the survey itself, which is left out,
// and finds what the clean abstract finds: the held-out symptom was hybrid below its vector side for
// pasted abstracts.
func TestSimilarPastedFromPDF(t *testing.T) {
	ix := needArxiv(t)
	src, err := ix.Get(t.Context(), "2504.16081")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	col := 0
	for i, w := range strings.Fields(src.Abstract) {
		switch {
		case col+len(w) > 70 && len(w) > 6 && i%2 == 0:
			b.WriteString(w[:len(w)/2] + "-\n" + w[len(w)/2:] + " ")
			col = len(w) / 2
		case col+len(w) > 70:
			b.WriteString("\n" + w + " ")
			col = len(w)
		default:
			b.WriteString(w + " ")
			col += len(w) + 1
		}
	}
	pdf := strings.NewReplacer("fi", "\ufb01", "fl", "\ufb02").Replace(b.String())
	if !strings.Contains(pdf, "-\n") || !strings.ContainsAny(pdf, "\ufb01\ufb02") {
		t.Fatalf("the PDF-like copy cuts no word or has no ligature: %q", pdf)
	}
	top := func(text string) []string {
		t.Helper()
		res, err := ix.Similar(t.Context(), text, index.RelatedRequest{Ranking: index.Ranking{Limit: 10}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range res.Results {
			if r.Paper.ID == src.ID {
				t.Errorf("the survey's own abstract finds the survey (%d results)", len(res.Results))
			}
			ids = append(ids, r.Paper.ID)
		}
		return ids
	}
	clean, pasted := top(src.Abstract), top(pdf)
	same := 0
	for _, id := range pasted {
		if slices.Contains(clean, id) {
			same++
		}
	}
	if same < 8 {
		t.Errorf("the PDF-like copy finds %d of the clean abstract's 10 papers, want at least 8:\n clean  %v\n pasted %v", same, clean, pasted)
	}
}

package index

import (
	"slices"
	"strings"
	"sync/atomic"
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
			ix.opts.Ranking.RelatedDensity = tc.beta
			// The densities may come from either side's lookups.
			all := ix.densityOf(cands)
			first, second := map[string]float32{}, map[string]float32{}
			for id, d := range all {
				if id == "hub" {
					first[id] = d
				} else {
					second[id] = d
				}
			}
			got := lessDensity(slices.Clone(cands), tc.beta, first, second)
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

// A pasted text that is a paper of the index finds papers like it, not itself, in every mode.
func TestSimilarLeavesOutItsOwnPaper(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	ps := testPapers()
	if _, err := ix.Upsert(t.Context(), ps...); err != nil {
		t.Fatal(err)
	}
	var src = ps[0]
	for _, p := range ps {
		if p.ID == "cutmix" {
			src = p
		}
	}
	// As copied from a PDF: lines broken, the longer words cut at the breaks, ligatures, other
	// punctuation.
	var pdf strings.Builder
	for i, w := range strings.Fields(src.Abstract) {
		switch {
		case i%9 == 8 && len(w) > 6:
			pdf.WriteString(w[:3] + "-\n" + w[3:] + " ")
		case i%9 == 8:
			pdf.WriteString(w + "\n")
		default:
			pdf.WriteString(w + " ")
		}
	}
	pdfText := strings.NewReplacer("fi", "\ufb01", "fl", "\ufb02", ": ", " \u2013 ").Replace(pdf.String())
	if pdfText == src.Abstract || !strings.Contains(pdfText, "-\n") {
		t.Fatalf("the PDF-like copy %q changes nothing", pdfText)
	}
	for _, text := range []string{src.Title + "\n\n" + src.Abstract, src.Abstract, pdfText} {
		for _, m := range []Mode{ModeKeyword, ModeVector, ModeHybrid} {
			res, err := ix.Similar(t.Context(), text, RelatedRequest{Ranking: Ranking{Mode: m, Limit: 5}})
			if err != nil {
				t.Fatal(err)
			}
			got := ids(res)
			if len(got) == 0 || slices.Contains(got, "cutmix") {
				t.Errorf("%s: similar to cutmix's own text = %v, want papers without cutmix", m, got)
			}
		}
	}
	// Text merely on its topic keeps it.
	res, err := ix.Similar(t.Context(), "cutting and mixing image patches as data augmentation", RelatedRequest{Ranking: Ranking{Limit: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ids(res), "cutmix") {
		t.Errorf("similar to a text on cutmix's topic = %v, want cutmix among them", ids(res))
	}
}

func TestShowCosines(t *testing.T) {
	page := []Fused{{ID: "a", VectorRank: 1, VectorRaw: 0.35}, {ID: "b", KeywordRank: 1}, {ID: "c", VectorRank: 2, VectorRaw: 0.2}}
	showCosines(page, []Candidate{{ID: "a", Score: 0.6}, {ID: "b", Score: 0.1}, {ID: "c", Score: 0.4}})
	if page[0].VectorRaw != 0.6 || page[2].VectorRaw != 0.4 {
		t.Errorf("vector scores %v, %v; want the cosines 0.6, 0.4", page[0].VectorRaw, page[2].VectorRaw)
	}
	if page[1].VectorRaw != 0 {
		t.Errorf("a result the vector side did not rank shows vector score %v", page[1].VectorRaw)
	}
}

func TestReadAhead(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	if _, err := ix.Upsert(t.Context(), testPapers()...); err != nil {
		t.Fatal(err)
	}
	p, err := ix.Get(t.Context(), "cutmix")
	if err != nil {
		t.Fatal(err)
	}
	src := ix.selectTerms(EmbedText(p), mltTerms)
	cands := []Candidate{{ID: "mixup"}, {ID: "no-such-paper"}, {ID: "s4"}}
	var stop atomic.Bool
	papers, shared := ix.readAhead(t.Context(), cands, src, &stop)
	if len(papers) != 2 || papers["mixup"].ID != "mixup" || papers["s4"].Title == "" {
		t.Fatalf("read ahead %v, want mixup and s4 with their records", papers)
	}
	if want := ix.shared(src, "mixup"); !slices.Equal(shared["mixup"], want) || len(want) == 0 {
		t.Errorf("shared terms of mixup %v, want %v", shared["mixup"], want)
	}
	stop.Store(true)
	if papers, _ := ix.readAhead(t.Context(), cands, src, &stop); len(papers) != 0 {
		t.Errorf("read %d records after the stop", len(papers))
	}
}

package index

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index/paper"
)

func testPapers() []paper.Paper {
	return []paper.Paper{
		{ID: "s4", Title: "Efficiently Modeling Long Sequences with Structured State Spaces", Abstract: "A central goal of sequence modeling is designing a single principled model that can address sequence data across a range of modalities and tasks, particularly on long-range dependencies. We propose the Structured State Space sequence model (S4).", Categories: []string{"cs.LG"}, Published: paper.Date{Year: 2021, Month: 10, Day: 31}},
		{ID: "mamba", Title: "Mamba: Linear-Time Sequence Modeling with Selective State Spaces", Abstract: "Foundation models are almost universally based on the Transformer architecture. We identify that a key weakness of subquadratic models is their inability to perform content-based reasoning, and make state space model parameters functions of the input.", Categories: []string{"cs.LG", "cs.AI"}, Published: paper.Date{Year: 2023, Month: 12}},
		{ID: "cutmix", Title: "CutMix: Regularization Strategy to Train Strong Classifiers with Localizable Features", Abstract: "Regional dropout strategies have been proposed to enhance the performance of convolutional neural network classifiers. We propose CutMix augmentation strategy: patches are cut and pasted among training images.", Categories: []string{"cs.CV"}, Published: paper.Date{Year: 2019}},
		{ID: "mixup", Title: "mixup: Beyond Empirical Risk Minimization", Abstract: "Large deep neural networks are powerful, but exhibit undesirable behaviors such as memorization. We propose mixup, a simple data augmentation and regularization principle that trains a neural network on convex combinations of pairs of examples.", Categories: []string{"cs.LG"}, Published: paper.Date{Year: 2017, Month: 10, Day: 25}},
		{ID: "bert", Title: "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", Abstract: "We introduce a new language representation model called BERT, designed to pre-train deep bidirectional representations from unlabeled text.", Categories: []string{"cs.CL"}, Published: paper.Date{Year: 2018, Month: 10, Day: 11}},
	}
}

func openTest(t *testing.T, dir string) *Index {
	t.Helper()
	return openKind(t, dir, "")
}

func openKind(t *testing.T, dir, kind string) *Index {
	t.Helper()
	ix, err := Open(t.Context(), dir, Options{VectorIndex: kind})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return ix
}

func ids(res Response) []string {
	out := make([]string, len(res.Results))
	for i, r := range res.Results {
		out[i] = r.Paper.ID
	}
	return out
}

// sameIDs checks the invariant: Bleve and the vector index hold exactly the same IDs.
func sameIDs(t *testing.T, ix *Index) []string {
	t.Helper()
	if err := ix.Check(t.Context()); err != nil {
		t.Fatalf("Check: %v", err)
	}
	var vec []string
	ix.vec.Keys(func(k string) bool { vec = append(vec, k); return true })
	var bl []string
	if err := ix.eachPaper(t.Context(), func(ps []paper.Paper) error {
		for _, p := range ps {
			bl = append(bl, p.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(vec)
	slices.Sort(bl)
	if diff := cmp.Diff(bl, vec); diff != "" {
		t.Fatalf("Bleve and vector IDs differ (-bleve +vector):\n%s", diff)
	}
	return bl
}

func TestUpsertDeleteReopenConsistency(t *testing.T) {
	for _, kind := range []string{VectorExact, VectorHNSW} {
		t.Run(kind, func(t *testing.T) { testUpsertDeleteReopen(t, kind) })
	}
}

func testUpsertDeleteReopen(t *testing.T, kind string) {
	dir := t.TempDir()
	ix := openKind(t, dir, kind)
	st, err := ix.Upsert(t.Context(), testPapers()...)
	if err != nil {
		t.Fatal(err)
	}
	if st != (UpsertStats{Added: 5}) {
		t.Errorf("first upsert = %+v", st)
	}
	p := testPapers()[0]
	p.Title = "S4 revisited"
	st, err = ix.Upsert(t.Context(), p, paper.Paper{ID: "new", Title: "New", Abstract: "Brand new abstract."})
	if err != nil {
		t.Fatal(err)
	}
	if st != (UpsertStats{Added: 1, Replaced: 1}) {
		t.Errorf("second upsert = %+v", st)
	}
	if n, err := ix.Delete(t.Context(), "bert", "absent"); err != nil || n != 1 {
		t.Fatalf("Delete = %d, %v", n, err)
	}
	want := []string{"cutmix", "mamba", "mixup", "new", "s4"}
	if diff := cmp.Diff(want, sameIDs(t, ix)); diff != "" {
		t.Fatalf("ids (-want +got):\n%s", diff)
	}
	if _, err := ix.Get(t.Context(), "bert"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get deleted = %v, want ErrNotFound", err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix = openKind(t, dir, kind)
	defer ix.Close()
	if got, _ := describeVectorIndex(ix.vec); got != kind {
		t.Errorf("reopened vector index is %s, want %s", got, kind)
	}
	if diff := cmp.Diff(want, sameIDs(t, ix)); diff != "" {
		t.Fatalf("ids after reopen (-want +got):\n%s", diff)
	}
	got, err := ix.Get(t.Context(), "s4")
	if err != nil || got.Title != "S4 revisited" || got.Published != (paper.Date{Year: 2021, Month: 10, Day: 31}) {
		t.Errorf("Get after reopen = %+v, %v", got, err)
	}
	if ix.stats.Docs() != 5 {
		t.Errorf("idf statistics count %d documents, want 5", ix.stats.Docs())
	}
}

func TestReplayWithoutSave(t *testing.T) {
	for _, kind := range []string{VectorExact, VectorHNSW} {
		t.Run(kind, func(t *testing.T) { testReplayWithoutSave(t, kind) })
	}
}

func testReplayWithoutSave(t *testing.T, kind string) {
	dir := t.TempDir()
	ix := openKind(t, dir, kind)
	if _, err := ix.Upsert(t.Context(), testPapers()...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Delete(t.Context(), "mixup"); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Upsert(t.Context(), paper.Paper{ID: "x", Title: "Extra", Abstract: "An extra paper about sequence models."}); err != nil {
		t.Fatal(err)
	}
	// Close Bleve without saving the vectors, as a crash would leave it.
	ix.mu.Lock()
	ix.closed = true
	ix.mu.Unlock()
	if err := ix.bl.Close(); err != nil {
		t.Fatal(err)
	}
	ix = openKind(t, dir, kind)
	defer ix.Close()
	if diff := cmp.Diff([]string{"bert", "cutmix", "mamba", "s4", "x"}, sameIDs(t, ix)); diff != "" {
		t.Fatalf("ids after replay (-want +got):\n%s", diff)
	}
	if ix.stats.Docs() != 5 {
		t.Errorf("idf statistics count %d documents, want 5", ix.stats.Docs())
	}
}

func TestSearchModes(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	if _, err := ix.Upsert(t.Context(), testPapers()...); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []Mode{ModeKeyword, ModeVector, ModeHybrid} {
		t.Run(string(mode), func(t *testing.T) {
			res, err := ix.Search(t.Context(), Request{Query: "state space models for long sequences", Ranking: Ranking{Mode: mode, Limit: 3}, Highlight: true})
			if err != nil {
				t.Fatal(err)
			}
			got := ids(res)
			if len(got) < 2 || !slices.Contains(got[:2], "s4") || !slices.Contains(got[:2], "mamba") {
				t.Errorf("top 2 = %v, want s4 and mamba", got)
			}
		})
	}
	res, err := ix.Search(t.Context(), Request{Query: "networks", Ranking: Ranking{Mode: ModeKeyword, Filter: Filter{Categories: []string{"cs.CV"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"cutmix"}, ids(res)); diff != "" {
		t.Errorf("category filter (-want +got):\n%s", diff)
	}
	res, err = ix.Search(t.Context(), Request{Query: "neural networks", Ranking: Ranking{Filter: Filter{From: paper.Date{Year: 2018}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		if r.Paper.Published.Year < 2018 {
			t.Errorf("date filter let %s (%s) through", r.Paper.ID, r.Paper.Published)
		}
	}
}

func TestSearchErrors(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	alpha := 1.5
	tests := []struct {
		name string
		req  Request
		want error
	}{
		{"empty query", Request{Query: "  "}, ErrBadQuery},
		{"strict: syntax error", Request{Query: `title:"unclosed`, Strict: true}, ErrBadQuery},
		{"strict: unknown field", Request{Query: "venue:nips", Strict: true}, ErrBadQuery},
		{"strict: fuzziness too high in vector mode", Request{Query: "sparse~9", Ranking: Ranking{Mode: ModeVector}, Strict: true}, ErrBadQuery},
		{"strict: bad regexp", Request{Query: "/a(/", Strict: true}, ErrBadQuery},
		{"limit too large", Request{Query: "x", Ranking: Ranking{Limit: 1000}}, ErrBadRequest},
		{"negative offset", Request{Query: "x", Ranking: Ranking{Offset: -1}}, ErrBadRequest},
		{"bad mode", Request{Query: "x", Ranking: Ranking{Mode: "fuzzy"}}, ErrBadRequest},
		{"bad fusion", Request{Query: "x", Ranking: Ranking{Fusion: "max"}}, ErrBadRequest},
		{"alpha out of range", Request{Query: "x", Ranking: Ranking{Alpha: &alpha}}, ErrBadRequest},
		{"to before from", Request{Query: "x", Ranking: Ranking{Filter: Filter{From: paper.Date{Year: 2020}, To: paper.Date{Year: 2019}}}}, ErrBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ix.Search(t.Context(), tc.req)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRelated(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	if _, err := ix.Upsert(t.Context(), testPapers()...); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Related(t.Context(), "cutmix", RelatedRequest{Ranking: Ranking{Limit: 2}})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(res)
	if len(got) == 0 || got[0] != "mixup" {
		t.Fatalf("related(cutmix) = %v, want mixup first", got)
	}
	if slices.Contains(got, "cutmix") {
		t.Error("related list contains the source paper")
	}
	if sh := res.Results[0].SharedTerms; !slices.Contains(sh, "augmentation") && !slices.Contains(sh, "regularization") {
		t.Errorf("shared terms %v lack augmentation/regularization", sh)
	}
	if _, err := ix.Related(t.Context(), "nope", RelatedRequest{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("related(unknown) err = %v", err)
	}
	res, err = ix.Similar(t.Context(), "selective state space models as an alternative to transformers", RelatedRequest{Ranking: Ranking{Limit: 1}})
	if err != nil || len(res.Results) != 1 || res.Results[0].Paper.ID != "mamba" {
		t.Errorf("similar = %v, %v", ids(res), err)
	}
}

func TestUpsertRejectsInvalid(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	_, err := ix.Upsert(t.Context(), testPapers()[0], paper.Paper{ID: "bad", Title: "No abstract"})
	if !errors.Is(err, ErrInvalidPaper) {
		t.Fatalf("err = %v, want ErrInvalidPaper", err)
	}
	if ix.Count() != 0 {
		t.Errorf("Count = %d after a rejected batch, want 0", ix.Count())
	}
}

func TestFormatVersionRefused(t *testing.T) {
	dir := t.TempDir()
	ix := openTest(t, dir)
	ix.Close()
	if err := writeFileAtomic(dir+"/"+formatName, []byte(fmt.Sprintf(`{"format":%d}`, FormatVersion+1))); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(t.Context(), dir, Options{}); !errors.Is(err, ErrVersion) {
		t.Errorf("Open future format: err = %v, want ErrVersion", err)
	}
}

func TestAutoGrowsIntoGraph(t *testing.T) {
	ix, err := Open(t.Context(), t.TempDir(), Options{ExactBelow: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Upsert(t.Context(), testPapers()[:2]...); err != nil {
		t.Fatal(err)
	}
	if kind, _ := describeVectorIndex(ix.vec); kind != VectorExact {
		t.Fatalf("2 papers: %s, want exact", kind)
	}
	if _, err := ix.Upsert(t.Context(), testPapers()[2:]...); err != nil {
		t.Fatal(err)
	}
	if kind, _ := describeVectorIndex(ix.vec); kind != VectorHNSW {
		t.Fatalf("5 papers: %s, want hnsw", kind)
	}
	sameIDs(t, ix)
	res, err := ix.Search(t.Context(), Request{Query: "mixup augmentation", Ranking: Ranking{Mode: ModeVector, Limit: 1}})
	if err != nil || len(res.Results) != 1 || res.Results[0].Paper.ID != "mixup" {
		t.Errorf("vector search after growth = %v, %v", ids(res), err)
	}
}

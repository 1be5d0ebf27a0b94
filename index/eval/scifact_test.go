package eval_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/eval"
	"github.com/kindred-search/kindred/index/load"
)

// sharedDir is the project's shared data, beside the repository root.
const sharedDir = "../../../shared"

func needShared(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(sharedDir, rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is missing: %v", p, err)
		}
		t.Skipf("skipping: %s not found (the shared data directory sits beside the repository; CI has it)", p)
	}
	return p
}

// Targets on the SciFact training split (README, "How ranking works"). The test fails if a mode drops
// below them.
var scifactTargets = []struct {
	mode      index.Mode
	ndcg10    float64
	recall100 float64
}{
	{index.ModeKeyword, 0.693, 0.92},
	{index.ModeVector, 0.62, 0},
	{index.ModeHybrid, 0.705, 0.92},
}

func TestSciFactTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: -short")
	}
	dir := needShared(t, "data/scifact")
	corpus := filepath.Join(dir, "corpus.jsonl")
	ix, err := index.Open(t.Context(), t.TempDir(), index.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	sum, err := load.Files(t.Context(), ix, []string{corpus}, load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 5183 || sum.Rejected != 0 {
		t.Fatalf("load: %s, want 5183 accepted", sum)
	}
	qf, err := os.Open(filepath.Join(dir, "queries.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer qf.Close()
	queries, err := eval.ReadQueries(qf, "queries.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	rf, err := os.Open(filepath.Join(dir, "qrels", "train.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	qrels, err := eval.ReadQrels(rf, "train.tsv")
	if err != nil {
		t.Fatal(err)
	}
	got := map[index.Mode]eval.Report{}
	for _, tc := range scifactTargets {
		rep, err := eval.Run(t.Context(), ix, queries, qrels, eval.Options{Mode: tc.mode})
		if err != nil {
			t.Fatal(err)
		}
		got[tc.mode] = rep
		t.Logf("%-7s nDCG@10 %.4f  Recall@100 %.4f  MRR@10 %.4f  (%d queries)", tc.mode, rep.NDCG10, rep.Recall100, rep.MRR10, rep.Queries)
		if rep.Queries != 809 {
			t.Errorf("%s: %d queries evaluated, want 809", tc.mode, rep.Queries)
		}
		if rep.NDCG10 < tc.ndcg10 {
			t.Errorf("%s: nDCG@10 %.4f below target %.3f", tc.mode, rep.NDCG10, tc.ndcg10)
		}
		if rep.Recall100 < tc.recall100 {
			t.Errorf("%s: Recall@100 %.4f below target %.3f", tc.mode, rep.Recall100, tc.recall100)
		}
		for _, f := range rep.Failures {
			t.Errorf("%s: query %s failed: %s", tc.mode, f.QueryID, f.Error)
		}
	}
	// Fusion must beat plain keyword search, which is now the exact BM25 of every match.
	if h, k := got[index.ModeHybrid].NDCG10, got[index.ModeKeyword].NDCG10; h <= k+0.003 {
		t.Errorf("hybrid nDCG@10 %.4f is not above keyword %.4f", h, k)
	}
}

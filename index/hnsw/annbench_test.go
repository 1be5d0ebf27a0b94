package hnsw_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/kindred-search/kindred/index/hnsw"
	"github.com/kindred-search/kindred/index/hnsw/annbench"
)

// BenchmarkANN runs the `kindred bench ann` harness on the arXiv sample (skipped without the shared
// data) and reports its headline figures; the full report goes to stdout with -v. One iteration is
// a full build of every index: run it with -benchtime 1x.
func BenchmarkANN(b *testing.B) {
	keys, docs, long, short := hnsw.ArxivForTest(b)
	cfg := annbench.Config{Keys: keys, Docs: docs, Queries: long, Short: short, Ef: []int{32, 64, 128, 192, 256}}
	b.Run(fmt.Sprintf("arxiv-%d", len(docs)), func(b *testing.B) {
		var res annbench.Result
		for b.Loop() {
			var err error
			if res, err = annbench.Run(b.Context(), cfg, os.Stdout); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(res.RecallAt10, "recall@10")
		b.ReportMetric(res.HnswMsP50, "graph-ms-p50")
		b.ReportMetric(res.ExactMsP50, "exact-ms-p50")
		b.ReportMetric(res.BuildRate, "build-docs/s")
		b.ReportMetric(res.CoderRecallAt10, "coder-recall@10")
		b.ReportMetric(0, "ns/op")
	})
}

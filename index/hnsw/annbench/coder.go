package annbench

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand"
	"time"

	coder "github.com/coder/hnsw"

	"github.com/kindred-search/kindred/index/vector"
)

// foldSample is how many queries the exact scan of the folded vectors is run on.
const foldSample = 50

// runCoder builds coder/hnsw on the folded documents and measures it at each Ef. A panic inside
// coder/hnsw ends its measurement and is reported in res.CoderError; only cancellation is an error.
func runCoder(ctx context.Context, cfg Config, truth [][]vector.Hit, res *Result, out io.Writer) (err error) {
	res.FoldDim = cfg.FoldDim
	defer func() {
		if r := recover(); r != nil {
			res.CoderError = fmt.Sprintf("coder/hnsw panicked: %v", r)
			fmt.Fprintf(out, "coder/hnsw: %s\n", res.CoderError)
			err = nil
		}
	}()
	docs := make([][]float32, cfg.N)
	for i := range docs {
		docs[i] = fold(cfg.Docs[i], cfg.FoldDim)
	}
	qs := make([][]float32, len(cfg.Queries))
	for i, q := range cfg.Queries {
		qs[i] = fold(q, cfg.FoldDim)
	}
	folded := foldedAnswers(cfg, docs, qs)
	res.FoldRecallAt10 = meanRecall(truth[:len(folded)], folded)
	fmt.Fprintf(out, "fold into %d dims: exact scan of the folded vectors recalls %.4f of the sparse top %d (%d queries)\n",
		cfg.FoldDim, res.FoldRecallAt10, cfg.K, min(foldSample, len(qs)))

	g := coder.NewGraph[int]()
	g.M = 16
	g.Ml = 1 / math.Log(16)
	g.Distance = coder.CosineDistance
	g.Rng = rand.New(rand.NewSource(cfg.Options.Seed))
	start := time.Now()
	for i, v := range docs {
		if i%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		g.Add(coder.MakeNode(i, v))
	}
	res.CoderBuildRate = float64(cfg.N) / time.Since(start).Seconds()
	fmt.Fprintf(out, "coder/hnsw build (dense, one goroutine): %.1f s, %.0f docs/s\n", time.Since(start).Seconds(), res.CoderBuildRate)
	fmt.Fprintf(out, "%-8s %8s %14s %10s %10s\n", "coder ef", "recall", "folded recall", "p50 ms", "p99 ms")
	for _, ef := range cfg.Ef {
		if err := ctx.Err(); err != nil {
			return err
		}
		g.EfSearch = ef
		got := make([][]vector.Hit, len(qs))
		times := make([]time.Duration, len(qs))
		for i, q := range qs {
			start := time.Now()
			nodes := g.Search(q, cfg.K)
			times[i] = time.Since(start)
			for _, n := range nodes {
				got[i] = append(got[i], vector.Hit{Key: cfg.Keys[n.Key]})
			}
		}
		row := Row{Ef: ef, Recall: meanRecall(truth, got), MsP50: percentile(times, 50), MsP99: percentile(times, 99),
			FoldedRecall: meanRecall(folded, got[:len(folded)])}
		res.CoderRows = append(res.CoderRows, row)
		fmt.Fprintf(out, "%-8d %8.4f %14.4f %10.3f %10.3f\n", ef, row.Recall, row.FoldedRecall, row.MsP50, row.MsP99)
		if ef == res.Ef {
			res.CoderRecallAt10, res.CoderFoldedRecallAt10, res.CoderMsP50 = row.Recall, row.FoldedRecall, row.MsP50
		}
	}
	return nil
}

// foldedAnswers is the exact top k over the folded vectors of the first foldSample queries: the
// best any index of the folded vectors can do, and the yardstick of coder/hnsw's own accuracy.
func foldedAnswers(cfg Config, docs, qs [][]float32) [][]vector.Hit {
	n := min(foldSample, len(qs))
	got := make([][]vector.Hit, n)
	for i := range n {
		top := vector.NewTopK(cfg.K)
		for j, d := range docs {
			top.Push(cfg.Keys[j], denseDot(qs[i], d))
		}
		got[i] = top.Sorted()
	}
	return got
}

// Package annbench measures the HNSW graph of package hnsw against the exact scan of package vector,
// and against github.com/coder/hnsw, on vectors the caller has already embedded. It is what
// `kindred bench ann` runs.
//
//	res, err := annbench.Run(ctx, annbench.Config{Keys: keys, Docs: docs, Queries: qs}, os.Stdout)
//
// Run builds vector.Exact and an hnsw.Graph over the first N documents, then for each efSearch
// prints recall@10 of the graph route against the exact scan, the median and 99th-percentile query
// times of both, and distance evaluations per query (the exact scan makes N). It also times the
// automatic route (what Graph.Search does: the inverted lists for sparse queries) and, when short
// queries are given, their recall. Last it builds coder/hnsw on dense vectors folded from the same
// sparse ones (FoldDim dimensions) and reports its recall@10 against the sparse exact answer and
// its query time: its recall mixes the fold's loss with the graph's, so the fold's own ceiling (an
// exact scan of the folded vectors) is printed beside it.
//
// The last line of the output is one JSON object, the Result, for scripts.
//
// coder/hnsw is used nowhere else: package hnsw is our own graph because coder/hnsw v0.6.1 bounds
// its result set by k instead of ef and stops its walk early (recall@10 of 0.22-0.29 on our data).
// Its panics are recovered and reported in Result.CoderError.
package annbench

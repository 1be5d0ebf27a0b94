package index

import "github.com/kindred-search/kindred/index/vector"

// newGraph returns an empty HNSW graph. Until package hnsw lands, the exact index stands in.
func (ix *Index) newGraph() vector.Index { return vector.NewExact() }

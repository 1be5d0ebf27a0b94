package index

import (
	"context"
	"io"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/hnsw"
	"github.com/kindred-search/kindred/index/vector"
)

// newGraph returns an empty HNSW graph with the index's graph options.
func (ix *Index) newGraph() vector.Index { return graphIndex{hnsw.New(ix.opts.HNSW)} }

// graphIndex adapts *hnsw.Graph to the engine's batchAdder.
type graphIndex struct{ *hnsw.Graph }

func (g graphIndex) AddBatch(keys []string, vecs []embed.Vector) error {
	return g.Graph.AddBatch(context.Background(), keys, vecs)
}

// Describe reports the graph's parameters and footprint for Stats.
func (g graphIndex) Describe() any {
	o := g.Options()
	return map[string]any{"m": o.M, "ef_construction": o.EfConstruction, "ef_search": o.EfSearch, "footprint": g.Footprint()}
}

func readGraph(r io.Reader) (vector.Index, error) {
	g, err := hnsw.Read(r)
	if err != nil {
		return nil, err
	}
	return graphIndex{g}, nil
}

package hnsw

import (
	"context"

	"github.com/kindred-search/kindred/embed"
)

// Compact rebuilds the graph from its live vectors, dropping every tombstone, with the graph's
// options and seed (with Workers = 1, the graph a fresh build of the live vectors in insertion
// order would give). Searches keep running on the old graph meanwhile; writers wait. The cost is a full
// build. If ctx is cancelled, the graph is left as it was and ctx.Err() is returned.
func (g *Graph) Compact(ctx context.Context) error {
	g.wmu.Lock()
	defer g.wmu.Unlock()
	return g.compact(ctx)
}

// maybeCompact compacts when tombstones exceed Options.MaxTombstoneRatio of all nodes. Called with
// wmu held, which alone keeps nodes and ndead from changing.
func (g *Graph) maybeCompact() {
	r := g.opts.MaxTombstoneRatio
	if r < 0 || g.ndead == 0 || float64(g.ndead) <= r*float64(len(g.nodes)) {
		return
	}
	// The background context cannot be cancelled, so compact cannot fail.
	_ = g.compact(context.Background())
}

// compact is Compact with wmu held.
func (g *Graph) compact(ctx context.Context) error {
	keys := make([]string, 0, len(g.nodes)-g.ndead)
	vecs := make([]embed.Vector, 0, cap(keys))
	for _, n := range g.nodes {
		if !n.dead {
			keys, vecs = append(keys, n.key), append(vecs, n.vec.vector())
		}
	}
	ng := New(g.opts)
	if err := ng.build(ctx, keys, vecs); err != nil {
		return err
	}
	// Lay the lists out in bulk: faster to scan and lighter than the map the inserts filled.
	ng.post = buildPostings(ng.nodes)
	g.mu.Lock()
	g.nodes, g.byKey, g.post, g.ndead, g.rng = ng.nodes, ng.byKey, ng.post, 0, ng.rng
	g.ep.Store(ng.ep.Load())
	g.mu.Unlock()
	return nil
}

// build allocates and links the batch chunk by chunk; see AddBatch. Called with wmu held.
func (g *Graph) build(ctx context.Context, keys []string, vecs []embed.Vector) error {
	for start := 0; start < len(keys); start += batchChunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(start+batchChunk, len(keys))
		first, nodes := g.allocate(keys[start:end], vecs[start:end])
		g.linkAll(nodes, first, uint32(len(nodes))-first)
	}
	return nil
}

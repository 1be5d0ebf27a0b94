package hnsw

import (
	"context"
	"fmt"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/vector"
)

// Staged is a batch of nodes linked into the graph but not visible yet; see Stage.
type Staged struct {
	g        *Graph
	first, n uint32
	done     bool
}

// Stage inserts vecs[i] under keys[i] as AddBatch does, but hidden: searches walk through the new
// nodes as through tombstones and never return them, and Has, Get, Len and Keys do not see them,
// until Publish makes the whole batch visible at once (replacing the nodes of keys that existed) or
// Discard drops it. A caller that keeps the graph beside other structures does the costly part of an
// insert, the linking, while searches run, and publishes in a short critical section of its own.
//
// The graph takes no other write from Stage until Publish or Discard, which the caller must call
// exactly once. A malformed vector or a key longer than MaxKeyLen rejects the batch before anything
// is linked; if ctx is cancelled, what was linked is dropped and ctx.Err() is returned.
func (g *Graph) Stage(ctx context.Context, keys []string, vecs []embed.Vector) (*Staged, error) {
	if len(keys) != len(vecs) {
		return nil, fmt.Errorf("hnsw: %d keys but %d vectors", len(keys), len(vecs))
	}
	for i, v := range vecs {
		if len(keys[i]) > MaxKeyLen {
			return nil, fmt.Errorf("hnsw: key of %d bytes, more than %d", len(keys[i]), MaxKeyLen)
		}
		if err := v.Check(0); err != nil {
			return nil, fmt.Errorf("%w: key %q: %v", vector.ErrBadVector, keys[i], err)
		}
		if v.Len() > MaxVectorLen {
			return nil, fmt.Errorf("%w: key %q: %d non-zeros, more than %d", vector.ErrBadVector, keys[i], v.Len(), MaxVectorLen)
		}
	}
	g.wmu.Lock()
	st := &Staged{g: g, first: uint32(g.lenNodes())}
	for start := 0; start < len(keys); start += batchChunk {
		if err := ctx.Err(); err != nil {
			st.Discard()
			return nil, err
		}
		end := min(start+batchChunk, len(keys))
		first, nodes := g.allocateHidden(keys[start:end], vecs[start:end])
		st.n += uint32(end - start)
		g.linkAll(nodes, first, uint32(end-start))
	}
	return st, nil
}

func (g *Graph) lenNodes() int {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return len(g.nodes)
}

// allocateHidden is allocate for Stage: the new nodes are tombstones that no key points to yet, and
// the nodes of existing keys are left alone. Called with wmu held.
func (g *Graph) allocateHidden(keys []string, vecs []embed.Vector) (uint32, []*node) {
	g.mu.Lock()
	defer g.mu.Unlock()
	first := uint32(len(g.nodes))
	for i, key := range keys {
		n := newNode(key, makeNvec(vecs[i]), g.randomLevel(), g.opts.M)
		n.dead = true
		g.post.add(uint32(len(g.nodes)), n.vec)
		g.nodes = append(g.nodes, n)
	}
	return first, g.nodes
}

// Publish makes the staged nodes visible, in one step under the graph's lock: O(batch), no distance
// evaluation. A key that existed has its old node tombstoned. The graph is not compacted here, so the
// step stays short; call MaybeCompact afterwards.
func (s *Staged) Publish() {
	if s.done {
		return
	}
	s.done = true
	g := s.g
	g.mu.Lock()
	for id := s.first; id < s.first+s.n; id++ {
		n := g.nodes[id]
		if old, ok := g.byKey[n.key]; ok {
			g.nodes[old].dead = true
			g.ndead++
		}
		n.dead = false
		g.byKey[n.key] = id
	}
	g.mu.Unlock()
	g.wmu.Unlock()
}

// Discard leaves the staged nodes as tombstones, which compaction drops in time.
func (s *Staged) Discard() {
	if s.done {
		return
	}
	s.done = true
	g := s.g
	g.mu.Lock()
	g.ndead += int(s.n)
	g.mu.Unlock()
	g.wmu.Unlock()
}

// Tombstone is Delete without the compaction Delete may run: the caller runs MaybeCompact when it
// suits it.
func (g *Graph) Tombstone(key string) bool {
	g.wmu.Lock()
	defer g.wmu.Unlock()
	g.mu.Lock()
	defer g.mu.Unlock()
	id, ok := g.byKey[key]
	if ok {
		delete(g.byKey, key)
		g.nodes[id].dead = true
		g.ndead++
	}
	return ok
}

// MaybeCompact compacts the graph when its tombstones exceed Options.MaxTombstoneRatio, as every
// write of AddBatch and Delete does on its own. Searches run meanwhile; writers wait.
func (g *Graph) MaybeCompact() {
	g.wmu.Lock()
	defer g.wmu.Unlock()
	g.maybeCompact()
}

package hnsw

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/vector"
)

// MaxKeyLen bounds the length of a key in bytes, for the same reason as MaxVectorLen.
const MaxKeyLen = 1 << 16

// MaxVectorLen bounds the non-zeros of a stored vector (the size of package embed's feature space),
// so that reading a damaged file never allocates more than 8 MiB for one vector.
const MaxVectorLen = 1 << 20

// maxLevel caps a node's level. With mL = 1/ln(M) a level above 16 has probability M^-16; the cap
// only keeps a damaged file or a pathological rng from allocating absurd link lists.
const maxLevel = 24

// node is one vector in the graph. Everything but links is fixed once the node is allocated; dead
// changes only under Graph.mu held exclusively.
type node struct {
	key   string
	vec   nvec
	level int
	dead  bool

	// mu guards links and sims: inserts rewrite the lists of their neighbours while searches read them.
	mu sync.Mutex
	// links[lc] lists the node's neighbours on layer lc; sims[lc][i] is the similarity to links[lc][i],
	// kept so that shrinking an overfull list costs no distance evaluations.
	links [][]uint32
	sims  [][]float32
}

func newNode(key string, vec nvec, level, m int) *node {
	n := &node{key: key, vec: vec, level: level, links: make([][]uint32, level+1), sims: make([][]float32, level+1)}
	// One backing array per node: 2M slots for layer 0, M for each layer above.
	total := 2*m + level*m
	ids, sims := make([]uint32, total), make([]float32, total)
	off := 0
	for lc := 0; lc <= level; lc++ {
		c := m
		if lc == 0 {
			c = 2 * m
		}
		n.links[lc], n.sims[lc] = ids[off:off:off+c], sims[off:off:off+c]
		off += c
	}
	return n
}

// Graph is an HNSW index over sparse vectors. It implements vector.Index; see the package
// documentation for its costs and caveats.
type Graph struct {
	opts Options

	// wmu serialises writers (Add, AddBatch, Delete, Compact) so that the linking phase of an insert
	// and a compaction can run while searches hold mu shared.
	wmu sync.Mutex

	// mu guards nodes (the slice, not each node's links), byKey, post, ndead, rng and every node's
	// dead flag. Writers hold it exclusively only to allocate nodes, update the inverted lists and
	// flip tombstones; searches hold it shared for their whole run.
	mu    sync.RWMutex
	nodes []*node
	byKey map[string]uint32
	post  *postings
	ndead int
	rng   *rand.Rand

	// epMu serialises the inserts that raise the top layer, as hnswlib's global lock does: such an
	// insert holds it from reading the entry point until it has become the entry point.
	epMu sync.Mutex
	// ep is the entry point packed by packEP; 0 for an empty graph. Read without locks.
	ep atomic.Uint64

	pool sync.Pool // *scratch
}

var _ vector.Index = (*Graph)(nil)

func packEP(id uint32, level int) uint64 { return uint64(level+1)<<32 | uint64(id) }

func unpackEP(p uint64) (id uint32, level int) { return uint32(p), int(p>>32) - 1 }

// New returns an empty graph. Zero fields of opts take their defaults (see Options).
func New(opts Options) *Graph {
	opts = opts.withDefaults()
	g := &Graph{opts: opts, byKey: map[string]uint32{}, post: newPostings()}
	g.rng = rand.New(rand.NewPCG(uint64(opts.Seed), 0x6b696e64726564))
	return g
}

// Options returns the options the graph was built with, defaults filled in.
func (g *Graph) Options() Options { return g.opts }

// randomLevel draws a level from the paper's distribution floor(-ln(U) * mL). Called with mu held.
func (g *Graph) randomLevel() int {
	u := 1 - g.rng.Float64() // (0, 1]
	return min(int(-math.Log(u)*g.opts.levelMult()), maxLevel)
}

// Add implements vector.Index. Adding an existing key tombstones its old node and inserts a new one.
func (g *Graph) Add(key string, v embed.Vector) error {
	return g.AddBatch(context.Background(), []string{key}, []embed.Vector{v})
}

// batchChunk is how many nodes AddBatch allocates at a time: small enough that a cancelled batch
// stops soon and that searches see progress, large enough to keep the workers busy.
const batchChunk = 4096

// AddBatch adds vecs[i] under keys[i] in order, as that many calls of Add would, linking the new
// nodes with up to Options.Workers goroutines (fine-grained per-node locks, as hnswlib does). With
// Workers = 1 the result is deterministic. A malformed vector (vector.ErrBadVector) or a key
// longer than MaxKeyLen rejects the whole batch before anything is added; if ctx is cancelled, a
// prefix of the batch has been added and ctx.Err() is returned. Cost: about 18 * EfConstruction
// distance evaluations of O(nnz) per vector.
func (g *Graph) AddBatch(ctx context.Context, keys []string, vecs []embed.Vector) error {
	if len(keys) != len(vecs) {
		return fmt.Errorf("hnsw: %d keys but %d vectors", len(keys), len(vecs))
	}
	for i, v := range vecs {
		if len(keys[i]) > MaxKeyLen {
			return fmt.Errorf("hnsw: key of %d bytes, more than %d", len(keys[i]), MaxKeyLen)
		}
		if err := v.Check(0); err != nil {
			return fmt.Errorf("%w: key %q: %v", vector.ErrBadVector, keys[i], err)
		}
		if v.Len() > MaxVectorLen {
			return fmt.Errorf("%w: key %q: %d non-zeros, more than %d", vector.ErrBadVector, keys[i], v.Len(), MaxVectorLen)
		}
	}
	g.wmu.Lock()
	defer g.wmu.Unlock()
	if err := g.build(ctx, keys, vecs); err != nil {
		return err
	}
	g.maybeCompact()
	return nil
}

// allocate appends nodes for the batch, tombstoning the nodes of keys that already exist, and adds
// them to the inverted lists. It returns the id of the first new node and the node table to link
// against. Called with wmu held.
func (g *Graph) allocate(keys []string, vecs []embed.Vector) (uint32, []*node) {
	g.mu.Lock()
	defer g.mu.Unlock()
	first := uint32(len(g.nodes))
	for i, key := range keys {
		id := uint32(len(g.nodes))
		if old, ok := g.byKey[key]; ok {
			g.nodes[old].dead = true
			g.ndead++
		}
		n := newNode(key, makeNvec(vecs[i]), g.randomLevel(), g.opts.M)
		g.nodes = append(g.nodes, n)
		g.byKey[key] = id
		g.post.add(id, n.vec)
	}
	return first, g.nodes
}

// linkAll inserts nodes[first:first+n] into the graph. Called with wmu held and mu not held: the
// node table cannot change under it, and searches run alongside.
func (g *Graph) linkAll(nodes []*node, first, n uint32) {
	workers := min(g.opts.Workers, int(n))
	if workers <= 1 {
		s := g.getScratch(len(nodes))
		for id := first; id < first+n; id++ {
			g.insert(s, nodes, id)
		}
		g.putScratch(s)
		return
	}
	var next atomic.Uint32
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			s := g.getScratch(len(nodes))
			defer g.putScratch(s)
			for {
				i := next.Add(1) - 1
				if i >= n {
					return
				}
				g.insert(s, nodes, first+i)
			}
		})
	}
	wg.Wait()
}

// Delete implements vector.Index. The node stays in the graph as a tombstone that searches walk
// through but never return, until tombstones pass Options.MaxTombstoneRatio and the graph is compacted.
func (g *Graph) Delete(key string) bool {
	g.wmu.Lock()
	defer g.wmu.Unlock()
	g.mu.Lock()
	id, ok := g.byKey[key]
	if ok {
		delete(g.byKey, key)
		g.nodes[id].dead = true
		g.ndead++
	}
	g.mu.Unlock()
	if ok {
		g.maybeCompact()
	}
	return ok
}

// Has implements vector.Index.
func (g *Graph) Has(key string) bool {
	g.mu.RLock()
	defer g.mu.RUnlock()
	_, ok := g.byKey[key]
	return ok
}

// Get implements vector.Index. The vector is a copy: the graph stores vectors in its own layout.
func (g *Graph) Get(key string) (embed.Vector, bool) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	id, ok := g.byKey[key]
	if !ok {
		return embed.Vector{}, false
	}
	return g.nodes[id].vec.vector(), true
}

// Len implements vector.Index: the number of live keys, tombstones not counted.
func (g *Graph) Len() int {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return len(g.byKey)
}

// Keys implements vector.Index, in insertion order. fn runs without locks held, on a snapshot.
func (g *Graph) Keys(fn func(key string) bool) {
	g.mu.RLock()
	keys := make([]string, 0, len(g.byKey))
	for _, n := range g.nodes {
		if !n.dead {
			keys = append(keys, n.key)
		}
	}
	g.mu.RUnlock()
	for _, k := range keys {
		if !fn(k) {
			return
		}
	}
}

package hnsw

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"github.com/kindred-search/kindred/index/vector"
)

// Bounds on a file's header, so that damage cannot ask for absurd allocations before the checksum
// is reached.
const (
	maxFileM     = 1 << 10
	maxFileEf    = 1 << 20
	maxFileNodes = 1 << 30
)

// Read reads a graph written by WriteTo. Damage (truncation, a bad checksum, an unknown version,
// links out of range) is reported as an error wrapping vector.ErrCorrupt; Read never panics on bad
// input. Options.Workers is reset to its default. Cost: one pass over the file plus rebuilding the
// inverted lists: 0.34 s for 74k abstracts (a 155 MB file).
func Read(r io.Reader) (*Graph, error) {
	rd := vector.NewReader(r)
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("%w: hnsw: %s", vector.ErrCorrupt, fmt.Sprintf(format, args...))
	}
	if m := rd.Bytes(len(magic)); rd.Err() == nil && string(m) != magic {
		return nil, corrupt("bad magic")
	}
	if v := rd.U32(); rd.Err() == nil && v != formatVersion {
		return nil, corrupt("format version %d, want %d", v, formatVersion)
	}
	var o Options
	o.M = int(rd.U32())
	o.EfConstruction = int(rd.U32())
	o.EfSearch = int(rd.U32())
	o.Seed = int64(u64(rd))
	o.MaxTombstoneRatio = math.Float64frombits(u64(rd))
	flags := rd.U32()
	o.DropPrunedConnections = flags&flagDropPruned != 0
	o.ExactMaxNNZ = int(int32(rd.U32()))
	o.ExactMaxPostings = int(int32(rd.U32()))
	o.Seeds = int(int32(rd.U32()))
	count, entry := rd.U32(), rd.U32()
	if err := rd.Err(); err != nil {
		return nil, err
	}
	switch {
	case o.M < 2 || o.M > maxFileM, o.EfConstruction < 1 || o.EfConstruction > maxFileEf,
		o.EfSearch < 1 || o.EfSearch > maxFileEf:
		return nil, corrupt("options out of range")
	case math.IsNaN(o.MaxTombstoneRatio) || math.IsInf(o.MaxTombstoneRatio, 0):
		return nil, corrupt("tombstone ratio not finite")
	case count > maxFileNodes || entry > count || (count > 0) != (entry > 0):
		return nil, corrupt("node count %d, entry %d", count, entry)
	}
	g := New(o)
	g.rng = rand.New(rand.NewPCG(uint64(o.Seed), uint64(count)))
	g.nodes = make([]*node, 0, min(count, 1<<16))
	l := &loader{rd: rd, o: o}
	for id := uint32(0); id < count; id++ {
		n, err := l.node()
		if err != nil {
			return nil, corrupt("node %d: %v", id, err)
		}
		if rd.Err() != nil {
			break
		}
		if n.dead {
			g.ndead++
		} else {
			if _, dup := g.byKey[n.key]; dup {
				return nil, corrupt("node %d: key %q is live twice", id, n.key)
			}
			g.byKey[n.key] = id
		}
		g.nodes = append(g.nodes, n)
	}
	if err := rd.Finish(); err != nil {
		return nil, err
	}
	// Links may point forward, so they are checked once every node is known.
	for id, n := range g.nodes {
		for lc, links := range n.links {
			for _, e := range links {
				if int(e) >= len(g.nodes) || e == uint32(id) || g.nodes[e].level < lc {
					return nil, corrupt("node %d: bad link %d on layer %d", id, e, lc)
				}
			}
		}
	}
	if entry > 0 {
		g.ep.Store(packEP(entry-1, g.nodes[entry-1].level))
	}
	g.post = buildPostings(g.nodes)
	return g, nil
}

func u64(rd *vector.Reader) uint64 { lo := rd.U32(); return uint64(rd.U32())<<32 | uint64(lo) }

// loader reads nodes, carving their memory out of large slabs: a 75k-abstract graph would
// otherwise cost half a million small allocations and as many objects for the collector.
type loader struct {
	rd    *vector.Reader
	o     Options
	nodes []node
	fp    []uint16
	ent   []entry
	ids   []uint32
	sims  []float32
}

const slab = 1 << 16

// take returns n elements carved from *s, refilled with a new slab when short; the result's
// capacity is n, so appending to it never writes into its neighbour.
func take[T any](s *[]T, n int) []T {
	if len(*s) < n {
		*s = make([]T, max(slab, n))
	}
	out := (*s)[:n:n]
	*s = (*s)[n:]
	return out
}

// node reads one node. Arrays are read in one piece each: the Reader checksums every call, and
// word-by-word calls would make loading several times slower.
func (l *loader) node() (*node, error) {
	rd := l.rd
	keyLen := rd.U32()
	if keyLen > MaxKeyLen {
		return nil, fmt.Errorf("key length %d", keyLen)
	}
	key := string(rd.Bytes(int(keyLen)))
	flags, level := rd.U32(), rd.U32()
	if level > maxLevel {
		return nil, fmt.Errorf("level %d", level)
	}
	nnz := int(rd.U32())
	if nnz > MaxVectorLen {
		return nil, fmt.Errorf("vector length %d", nnz)
	}
	b := rd.Bytes(8 * nnz)
	if rd.Err() != nil {
		return &node{}, nil
	}
	v := nvec{fp: take(&l.fp, nnz), ent: take(&l.ent, nnz)}
	for i := range v.ent {
		e := entry{ix: binary.LittleEndian.Uint32(b[4*i:]), val: math.Float32frombits(binary.LittleEndian.Uint32(b[4*(nnz+i):]))}
		if i > 0 && e.ix <= v.ent[i-1].ix {
			return nil, fmt.Errorf("vector indices not strictly increasing at position %d", i)
		}
		if f := float64(e.val); math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("vector value at position %d is not finite", i)
		}
		v.ent[i], v.fp[i] = e, filterPos(e.ix)
	}
	if len(l.nodes) == 0 {
		l.nodes = make([]node, 1024)
	}
	n := &l.nodes[0]
	l.nodes = l.nodes[1:]
	// Lists get exactly the length the file gives, not their full capacity: a damaged file of tiny
	// nodes claiming high levels must not make Read allocate more than the file's own size.
	*n = node{key: key, vec: v, level: int(level), dead: flags&flagTombstone != 0,
		links: make([][]uint32, level+1), sims: make([][]float32, level+1)}
	for lc := range n.links {
		k := int(rd.U32())
		if k > l.o.mmax(lc) {
			return nil, fmt.Errorf("%d links on layer %d", k, lc)
		}
		b := rd.Bytes(8 * k)
		if rd.Err() != nil {
			return &node{}, nil
		}
		ids, sims := take(&l.ids, k), take(&l.sims, k)
		for i := range k {
			ids[i] = binary.LittleEndian.Uint32(b[4*i:])
			sims[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*(k+i):]))
			if math.IsNaN(float64(sims[i])) || math.IsInf(float64(sims[i]), 0) {
				return nil, fmt.Errorf("link similarity not finite")
			}
		}
		n.links[lc], n.sims[lc] = ids, sims
	}
	return n, nil
}

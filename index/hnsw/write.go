package hnsw

import (
	"encoding/binary"
	"hash"
	"hash/crc32"
	"io"
	"math"
)

// The graph's file format, all integers little-endian:
//
//	magic "KHNW" | version u32 = 1
//	options: M u32 | EfConstruction u32 | EfSearch u32 | Seed i64 | MaxTombstoneRatio f64 |
//	         flags u32 (bit 0: DropPrunedConnections) | ExactMaxNNZ i32 | ExactMaxPostings i32 |
//	         Seeds i32
//	count u32 | entry u32 (entry point id + 1; 0 for an empty graph)
//	count x node {
//	    keyLen u32 | key | flags u32 (bit 0: tombstone) | level u32
//	    n u32 | n x idx u32 | n x val f32 bits              (the vector)
//	    (level+1) x { k u32 | k x id u32 | k x sim f32 }  (links on layers 0..level, with similarities)
//	}
//	crc32 (IEEE) of everything before it, u32
//
// A node's id is its position. Workers is not stored (it belongs to the machine), nor are the
// inverted lists, which Read rebuilds in one pass (as large as the vectors, they would double the
// file for little gain), nor the level generator's state: a loaded graph reseeds it from Seed and
// the node count. For example, the graph holding only "b" = {3: 0.6, 9: 0.8}, default options:
//
//	4b 48 4e 57 | 01 00 00 00                       "KHNW", version 1
//	10 00 00 00 | c8 00 00 00 | 80 00 00 00         M 16, EfConstruction 200, EfSearch 128
//	00 00 00 00 00 00 00 00                         Seed 0
//	9a 99 99 99 99 99 c9 3f                         MaxTombstoneRatio 0.2
//	00 00 00 00 | 20 00 00 00 | 00 00 00 00         flags, ExactMaxNNZ 32, ExactMaxPostings 0 (per ef)
//	20 00 00 00                                     Seeds 32
//	01 00 00 00 | 01 00 00 00                       1 node, entry point node 0
//	01 00 00 00 62 | 00 00 00 00 | 00 00 00 00      key "b", live, level 0
//	02 00 00 00 | 03 00 00 00 09 00 00 00           2 entries: indices 3, 9
//	9a 99 19 3f cd cc 4c 3f                         values 0.6, 0.8
//	00 00 00 00                                     no links on layer 0
//	ec 59 c4 ba                                     CRC-32
const (
	magic         = "KHNW"
	formatVersion = 1

	flagDropPruned = 1 << 0
	flagTombstone  = 1 << 0
)

// WriteTo implements vector.Index. It holds off writers (not searches) while it runs, so the file is
// a consistent snapshot.
func (g *Graph) WriteTo(w io.Writer) (int64, error) {
	g.wmu.Lock()
	defer g.wmu.Unlock()
	g.mu.RLock()
	defer g.mu.RUnlock()

	ew := &encoder{w: w, crc: crc32.NewIEEE(), buf: make([]byte, 0, 1<<16)}
	ew.bytes([]byte(magic))
	ew.u32(formatVersion)
	o := g.opts
	ew.u32(uint32(o.M))
	ew.u32(uint32(o.EfConstruction))
	ew.u32(uint32(o.EfSearch))
	ew.u64(uint64(o.Seed))
	ew.u64(math.Float64bits(o.MaxTombstoneRatio))
	var flags uint32
	if o.DropPrunedConnections {
		flags |= flagDropPruned
	}
	ew.u32(flags)
	ew.u32(uint32(int32(o.ExactMaxNNZ)))
	ew.u32(uint32(int32(o.ExactMaxPostings)))
	ew.u32(uint32(int32(o.Seeds)))
	ew.u32(uint32(len(g.nodes)))
	var entry uint32
	if ep := g.ep.Load(); ep != 0 {
		id, _ := unpackEP(ep)
		entry = id + 1
	}
	ew.u32(entry)
	for _, n := range g.nodes {
		ew.u32(uint32(len(n.key)))
		ew.bytes([]byte(n.key))
		flags = 0
		if n.dead {
			flags |= flagTombstone
		}
		ew.u32(flags)
		ew.u32(uint32(n.level))
		ew.u32(uint32(len(n.vec.ent)))
		for _, e := range n.vec.ent {
			ew.u32(e.ix)
		}
		for _, e := range n.vec.ent {
			ew.u32(math.Float32bits(e.val))
		}
		for lc := range n.links {
			ew.u32(uint32(len(n.links[lc])))
			for _, id := range n.links[lc] {
				ew.u32(id)
			}
			for _, s := range n.sims[lc] {
				ew.u32(math.Float32bits(s))
			}
		}
	}
	return ew.finish()
}

// encoder buffers little-endian words, checksums them and keeps the first error.
type encoder struct {
	w   io.Writer
	crc hash.Hash32
	n   int64
	buf []byte
	err error
}

func (e *encoder) bytes(b []byte) {
	e.buf = append(e.buf, b...)
	if len(e.buf) >= 1<<15 {
		e.flush()
	}
}

func (e *encoder) u32(v uint32) {
	e.buf = binary.LittleEndian.AppendUint32(e.buf, v)
	if len(e.buf) >= 1<<15 {
		e.flush()
	}
}

func (e *encoder) u64(v uint64) { e.u32(uint32(v)); e.u32(uint32(v >> 32)) }

func (e *encoder) flush() {
	if e.err == nil {
		e.crc.Write(e.buf)
		n, err := e.w.Write(e.buf)
		e.n += int64(n)
		e.err = err
	}
	e.buf = e.buf[:0]
}

func (e *encoder) finish() (int64, error) {
	e.flush()
	e.buf = binary.LittleEndian.AppendUint32(e.buf, e.crc.Sum32())
	if e.err == nil {
		n, err := e.w.Write(e.buf)
		e.n += int64(n)
		e.err = err
	}
	return e.n, e.err
}

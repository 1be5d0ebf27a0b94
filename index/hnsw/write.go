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
//	         flags u32 (bit 0: DropPrunedConnections) | ExactMaxNNZ i32 | ExactMaxPostings i32
//	count u32 | entry u32 (entry point id + 1; 0 for an empty graph)
//	count x node {
//	    keyLen u32 | key | flags u32 (bit 0: tombstone) | level u32
//	    n u32 | n x idx u32 | n x val f32 bits              (the vector)
//	    (level+1) x { k u32 | k x id u32 | k x sim f32 }  (links on layers 0..level, with similarities)
//	}
//	crc32 (IEEE) of everything before it, u32
//
// A node's id is its position. For example the graph holding only "a" = {3: 1.0} with default
// options is 4B magic, 48B header, 8B count and entry (1, 1), then "a"'s 5 words (1, 'a', 0, 0, 1)
// padded as written: keyLen 1 | 'a' | flags 0 | level 0 | n 1 | idx 3 | val 0x3f800000 | k 0, then
// the CRC. Workers is not stored (it belongs to the machine), nor are the inverted lists, which Read
// rebuilds in one pass (cheaper than reading them: they are as large as the vectors), nor the level
// generator's state: a loaded graph reseeds it from Seed and the node count.
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

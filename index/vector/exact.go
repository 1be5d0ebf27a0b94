package vector

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"sync"

	"github.com/kindred-search/kindred/embed"
)

// Exact is an Index that answers every search by scanning all vectors. Search costs
// O(N * (len(q) + K)) for N vectors of K entries; it is the oracle for approximate indexes and the right
// choice for small corpora, where a scan is as fast as a graph walk.
type Exact struct {
	// mu guards keys, vecs and pos.
	mu   sync.RWMutex
	keys []string
	vecs []embed.Vector
	pos  map[string]int
}

// NewExact returns an empty exact index.
func NewExact() *Exact { return &Exact{pos: map[string]int{}} }

var _ Index = (*Exact)(nil)

// Add implements Index.
func (x *Exact) Add(key string, v embed.Vector) error {
	if err := v.Check(0); err != nil {
		return fmt.Errorf("%w: %v", ErrBadVector, err)
	}
	v = v.Clone()
	x.mu.Lock()
	defer x.mu.Unlock()
	if i, ok := x.pos[key]; ok {
		x.vecs[i] = v
		return nil
	}
	x.pos[key] = len(x.keys)
	x.keys = append(x.keys, key)
	x.vecs = append(x.vecs, v)
	return nil
}

// Delete implements Index; the last vector moves into the hole, so deletes cost O(1).
func (x *Exact) Delete(key string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.pos[key]
	if !ok {
		return false
	}
	last := len(x.keys) - 1
	x.keys[i], x.vecs[i] = x.keys[last], x.vecs[last]
	x.pos[x.keys[i]] = i
	x.keys, x.vecs = x.keys[:last], x.vecs[:last]
	delete(x.pos, key)
	return true
}

// Has implements Index.
func (x *Exact) Has(key string) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	_, ok := x.pos[key]
	return ok
}

// Get implements Index.
func (x *Exact) Get(key string) (embed.Vector, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	i, ok := x.pos[key]
	if !ok {
		return embed.Vector{}, false
	}
	return x.vecs[i], true
}

// Len implements Index.
func (x *Exact) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.keys)
}

// Keys implements Index.
func (x *Exact) Keys(fn func(string) bool) {
	x.mu.RLock()
	keys := append([]string(nil), x.keys...)
	x.mu.RUnlock()
	for _, k := range keys {
		if !fn(k) {
			return
		}
	}
}

// Search implements Index. Vectors sharing no feature with q (score 0) are not returned.
func (x *Exact) Search(q embed.Vector, k int) []Hit {
	if k <= 0 || q.Len() == 0 || q.Check(0) != nil {
		return nil
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	top := NewTopK(min(k, len(x.vecs)))
	for i, v := range x.vecs {
		if s := embed.Dot(q, v); s > 0 {
			top.Push(x.keys[i], s)
		}
	}
	return top.Sorted()
}

// The exact index's file format, all integers little-endian:
//
//	magic "KVEX" | version u32 = 1 | count u32
//	count x { keyLen u32 | key | n u32 | n x idx u32 | n x val f32 bits }
//	crc32 (IEEE) of everything before it, u32
const (
	exactMagic   = "KVEX"
	exactVersion = 1
)

// WriteTo implements Index.
func (x *Exact) WriteTo(w io.Writer) (int64, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	cw := &countWriter{w: w, crc: crc32.NewIEEE()}
	bw := bufio.NewWriter(cw)
	bw.WriteString(exactMagic)
	putU32(bw, exactVersion)
	putU32(bw, uint32(len(x.keys)))
	for i, k := range x.keys {
		putU32(bw, uint32(len(k)))
		bw.WriteString(k)
		putVector(bw, x.vecs[i])
	}
	if err := bw.Flush(); err != nil {
		return cw.n, err
	}
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], cw.crc.Sum32())
	_, err := w.Write(sum[:])
	return cw.n + 4, err
}

// ReadExact reads an index written by (*Exact).WriteTo. Damage is reported as ErrCorrupt.
func ReadExact(r io.Reader) (*Exact, error) {
	rd := NewReader(r)
	if magic := rd.Bytes(4); string(magic) != exactMagic {
		return nil, fmt.Errorf("%w: bad magic", ErrCorrupt)
	}
	if v := rd.U32(); v != exactVersion {
		return nil, fmt.Errorf("%w: format version %d, want %d", ErrCorrupt, v, exactVersion)
	}
	n := rd.U32()
	x := NewExact()
	for i := uint32(0); i < n && rd.Err() == nil; i++ {
		key := string(rd.Bytes(int(rd.U32())))
		v := rd.Vector()
		if rd.Err() != nil {
			break
		}
		if err := x.Add(key, v); err != nil {
			return nil, fmt.Errorf("%w: vector %d: %v", ErrCorrupt, i, err)
		}
	}
	if err := rd.Finish(); err != nil {
		return nil, err
	}
	return x, nil
}

// TopK keeps the k best (key, score) pairs pushed into it.
type TopK struct {
	k int
	h []Hit // min-heap on (score, reversed key)
}

// NewTopK returns an empty TopK keeping k hits.
func NewTopK(k int) *TopK { return &TopK{k: k, h: make([]Hit, 0, max(k, 0))} }

func worse(a, b Hit) bool { return a.Score < b.Score || (a.Score == b.Score && a.Key > b.Key) }

// Push offers one hit.
func (t *TopK) Push(key string, s float32) {
	if t.k <= 0 {
		return
	}
	h := Hit{Key: key, Score: s}
	if len(t.h) < t.k {
		t.h = append(t.h, h)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if !worse(t.h[i], t.h[p]) {
				break
			}
			t.h[i], t.h[p] = t.h[p], t.h[i]
			i = p
		}
		return
	}
	if !worse(t.h[0], h) {
		return
	}
	t.h[0] = h
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(t.h) && worse(t.h[l], t.h[m]) {
			m = l
		}
		if r < len(t.h) && worse(t.h[r], t.h[m]) {
			m = r
		}
		if m == i {
			break
		}
		t.h[i], t.h[m] = t.h[m], t.h[i]
		i = m
	}
}

// Sorted returns the kept hits, best first.
func (t *TopK) Sorted() []Hit {
	out := append([]Hit(nil), t.h...)
	SortHits(out)
	return out
}

type countWriter struct {
	w   io.Writer
	n   int64
	crc interface {
		io.Writer
		Sum32() uint32
	}
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.crc.Write(p[:n])
	return n, err
}

func putU32(w *bufio.Writer, v uint32) {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	w.Write(b[:])
}

func putVector(w *bufio.Writer, v embed.Vector) {
	putU32(w, uint32(len(v.Idx)))
	for _, ix := range v.Idx {
		putU32(w, ix)
	}
	for _, f := range v.Val {
		putU32(w, math.Float32bits(f))
	}
}

package bm25

import (
	"math"
	"slices"
	"sync/atomic"
)

// blockSize is the number of postings per block. 128 is Lucene's and PISA's choice: small enough
// for tight bounds, large enough that the block table is 6% of the postings.
const blockSize = 128

// list is one term's postings: document numbers in increasing order with packed frequencies, and
// one upper bound per block.
type list struct {
	docs []uint32
	// tf packs the title frequency (high byte) and the abstract frequency (low byte), each capped at 255.
	tf []uint16
	// blockLast[b] is the last document number of block b; blockMax[b] the highest impact of its
	// postings at the store's reference average length (see Store.avgRef), rounded up.
	blockLast []uint32
	blockMax  []float32
	// key lists are exact-match keys (see Doc.Keys): no frequencies, never scored.
	key bool
	// df caches the live document frequency: epoch<<32 | df, valid while the epoch is the store's.
	df atomic.Uint64
	// stats caches the term's TermStats.
	stats atomic.Pointer[cachedStats]
}

// MaxTF is the highest frequency a posting holds for a field: higher ones are capped to it.
const MaxTF = 255

func packTF(title, abstract int) uint16 {
	return uint16(min(max(title, 0), MaxTF))<<8 | uint16(min(max(abstract, 0), MaxTF))
}

func unpackTF(tf uint16) (title, abstract int) { return int(tf >> 8), int(tf & 0xff) }

// field masks for Clause.Field.
const (
	fieldTitle    = 1
	fieldAbstract = 2
)

// virtualTF is the frequency a posting counts for in the virtual document, restricted to the fields
// in mask (0 means both).
func (p Params) virtualTF(tf uint16, mask uint8) float64 {
	t, a := unpackTF(tf)
	switch mask {
	case fieldTitle:
		a = 0
	case fieldAbstract:
		t = 0
	}
	return float64(p.TitleWeight*t + a)
}

// add appends a posting; doc must exceed every document number already in the list.
func (l *list) add(doc uint32, tf uint16, impact float32) {
	if len(l.docs)%blockSize == 0 {
		l.blockLast = append(l.blockLast, doc)
		l.blockMax = append(l.blockMax, impact)
	} else {
		b := len(l.blockLast) - 1
		l.blockLast[b] = doc
		l.blockMax[b] = max(l.blockMax[b], impact)
	}
	l.docs = append(l.docs, doc)
	l.tf = append(l.tf, tf)
}

// bounds recomputes the block table from the postings, for documents of lengths dl.
func (l *list) bounds(p Params, dl []uint32, ln lengthNorm) {
	nb := (len(l.docs) + blockSize - 1) / blockSize
	l.blockLast = make([]uint32, nb)
	l.blockMax = make([]float32, nb)
	for b := range nb {
		end := min((b+1)*blockSize, len(l.docs))
		l.blockLast[b] = l.docs[end-1]
		if l.key {
			continue
		}
		var m float32
		for i := b * blockSize; i < end; i++ {
			m = max(m, roundUp(p.impact(p.virtualTF(l.tf[i], 0), dl[l.docs[i]], ln)))
		}
		l.blockMax[b] = m
	}
}

// maxBlock is the highest block bound of the list.
func (l *list) maxBlock() float32 {
	var m float32
	for _, x := range l.blockMax {
		m = max(m, x)
	}
	return m
}

// roundUp returns the smallest float32 not below x, so a stored bound never undercuts the float64
// score it bounds.
func roundUp(x float64) float32 {
	f := float32(x)
	if float64(f) < x {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
}

// exhausted is the document number of a cursor past its last posting.
const exhausted = math.MaxUint32

// cursor iterates a sorted list of document numbers (a posting list, or a plain document set when
// tf is nil), with block skipping when it has blocks.
type cursor struct {
	docs      []uint32
	tf        []uint16
	blockLast []uint32
	blockMax  []float32
	pos       int
	block     int // block of pos, when the list has blocks
	// visited counts postings looked at (moved onto), for Stats.
	visited int
}

func newCursor(l *list) cursor {
	return cursor{docs: l.docs, tf: l.tf, blockLast: l.blockLast, blockMax: l.blockMax}
}

func setCursor(docs []uint32) cursor { return cursor{docs: docs} }

func (c *cursor) doc() uint32 {
	if c.pos >= len(c.docs) {
		return exhausted
	}
	return c.docs[c.pos]
}

func (c *cursor) next() {
	c.pos++
	c.visited++
	if c.blockLast != nil && c.pos < len(c.docs) && c.pos >= (c.block+1)*blockSize {
		c.block++
	}
}

// seekBlock moves the block pointer to the first block that may hold target, without moving pos into
// it, and reports whether such a block exists. Lists without blocks report true.
func (c *cursor) seekBlock(target uint32) bool {
	if c.blockLast == nil {
		return c.pos < len(c.docs)
	}
	if c.block < len(c.blockLast) && c.blockLast[c.block] >= target {
		return true
	}
	// Gallop, then binary search, over the block table.
	n := len(c.blockLast)
	lo, step := c.block+1, 1
	hi := lo
	for hi < n && c.blockLast[hi] < target {
		lo = hi + 1
		hi += step
		step *= 2
	}
	if lo >= n {
		c.block = n
		return false
	}
	hi = min(hi, n-1)
	b, _ := slices.BinarySearch(c.blockLast[lo:hi+1], target)
	c.block = lo + b
	return c.block < n
}

// blockBound is the stored bound of the block the block pointer is on.
func (c *cursor) blockBound() float32 {
	if c.block < len(c.blockMax) {
		return c.blockMax[c.block]
	}
	return 0
}

// advance moves to the first posting at or after target.
func (c *cursor) advance(target uint32) {
	if c.pos >= len(c.docs) || c.docs[c.pos] >= target {
		return
	}
	c.visited++
	lo, hi := c.pos+1, len(c.docs)
	if c.blockLast == nil {
		// Gallop from the current position: sets are probed in increasing order.
		step := 1
		for lo+step < hi && c.docs[lo+step] < target {
			lo += step
			step *= 2
		}
		hi = min(hi, lo+step+1)
		c.pos = lo + lowerBound(c.docs[lo:hi], target)
		return
	}
	if !c.seekBlock(target) {
		c.pos = len(c.docs)
		return
	}
	start := c.block * blockSize
	hi = min(hi, start+blockSize)
	// Every document of [lo, hi) lies in (below, blockLast[block]]: guess target's place by
	// interpolation and walk from there, which reads a cache line or two of the block where a binary
	// search reads most of its eight (80 against 120 ns a probe in BenchmarkAdvance).
	below := uint32(0)
	switch {
	case lo > start:
		below = c.docs[lo-1]
	case c.block > 0:
		below = c.blockLast[c.block-1]
	}
	lo = max(lo, start)
	c.pos = lo + interpolate(c.docs[lo:hi], target, below, c.blockLast[c.block])
	if c.pos < len(c.docs) {
		c.block = c.pos / blockSize
	}
}

// interpolate is lowerBound for a sorted a whose elements all lie in (below, last], with x <= last:
// it starts from where x would be if the elements were evenly spread over that range and walks to
// the exact place. Document numbers in a block are spread evenly enough that the walk is short.
func interpolate(a []uint32, x, below, last uint32) int {
	n := len(a)
	if n == 0 || x <= below {
		return 0
	}
	g := int(uint64(x-below) * uint64(n) / (uint64(last-below) + 1))
	g = min(max(g, 0), n-1)
	if a[g] < x {
		for g < n && a[g] < x {
			g++
		}
		return g
	}
	for g > 0 && a[g-1] >= x {
		g--
	}
	return g
}

// lowerBound is the index of the first element of a (sorted) at or above x, len(a) if none: a
// binary search whose steps are conditional moves, not branches, since probing documents in a
// block mispredicts about every other branch of an ordinary one.
func lowerBound(a []uint32, x uint32) int {
	base, n := 0, len(a)
	for n > 1 {
		half := n / 2
		if a[base+half-1] < x {
			base += half
		}
		n -= half
	}
	if n == 1 && a[base] < x {
		base++
	}
	return base
}

// skipBlock moves past the rest of the current block.
func (c *cursor) skipBlock() {
	c.pos = min((c.block+1)*blockSize, len(c.docs))
	c.block++
	c.visited++
}

package bm25

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
)

// The binary form of a Store, written by WriteTo and read by ReadStore. Only live documents are
// written, renumbered in order (a saved store has no tombstones); block bounds are recomputed on read.
// Integers are unsigned varints unless marked; "str" is a varint length and the bytes.
//
//	magic "KBM25" | version u32le = 1 | k1 f64le | b f64le | titleWeight |
//	categories: count, count × str |
//	documents: count, count × (id str | length | date zigzag varint | ncat | ncat × category) |
//	lists: count, count × (term str | kind byte (0 text, 1 key) | n | n × doc gap (first from -1) |
//	       text only: n × packed tf u16le) |
//	words: count, count × (word str | list number) |
//	CRC-32 (IEEE) of everything before it, u32le
const (
	codecMagic   = "KBM25"
	codecVersion = 1
)

// ErrCorrupt is returned by ReadStore for data it cannot trust: truncated, damaged or of another
// version.
var ErrCorrupt = errors.New("corrupt keyword index")

type encoder struct {
	w   *bufio.Writer
	buf [binary.MaxVarintLen64]byte
	n   int64
	err error
}

func (e *encoder) write(b []byte) {
	if e.err != nil {
		return
	}
	m, err := e.w.Write(b)
	e.n += int64(m)
	e.err = err
}

func (e *encoder) uvarint(x uint64) { e.write(e.buf[:binary.PutUvarint(e.buf[:], x)]) }
func (e *encoder) varint(x int64)   { e.write(e.buf[:binary.PutVarint(e.buf[:], x)]) }
func (e *encoder) str(s string)     { e.uvarint(uint64(len(s))); e.write([]byte(s)) }
func (e *encoder) u32(x uint32)     { e.write(binary.LittleEndian.AppendUint32(e.buf[:0], x)) }
func (e *encoder) f64(x float64) {
	e.write(binary.LittleEndian.AppendUint64(e.buf[:0], math.Float64bits(x)))
}

// WriteTo writes the store in its binary form. It only reads the store, so searches may run meanwhile.
func (s *Store) WriteTo(w io.Writer) (int64, error) {
	crc := crc32.NewIEEE()
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<20)
	e := &encoder{w: bw}
	e.write([]byte(codecMagic))
	e.u32(codecVersion)
	e.f64(s.params.K1)
	e.f64(s.params.B)
	e.uvarint(uint64(s.params.TitleWeight))
	e.uvarint(uint64(len(s.catNames)))
	for _, c := range s.catNames {
		e.str(c)
	}
	remap := make([]uint32, len(s.ids))
	e.uvarint(uint64(s.nLive))
	var n uint32
	for d := range uint32(len(s.ids)) {
		if !s.Alive(d) {
			remap[d] = exhausted
			continue
		}
		remap[d] = n
		n++
		e.str(s.ids[d])
		e.uvarint(uint64(s.dl[d]))
		e.varint(int64(s.date[d]))
		cs := s.cats[s.catOff[d]:s.catOff[d+1]]
		e.uvarint(uint64(len(cs)))
		for _, c := range cs {
			e.uvarint(uint64(c))
		}
	}
	// Lists with no live posting are left out; words follow their lists' new numbers.
	// Counted here, not taken from the cache: the counts written must be the postings written.
	listNum := make([]uint32, len(s.lists))
	live := make([]int, len(s.lists))
	kept := 0
	for t, l := range s.lists {
		listNum[t] = exhausted
		if live[t] = s.liveDF(l); live[t] > 0 {
			listNum[t] = uint32(kept)
			kept++
		}
	}
	e.uvarint(uint64(kept))
	for t, l := range s.lists {
		if listNum[t] == exhausted {
			continue
		}
		e.str(s.terms[t])
		kind := byte(0)
		if l.key {
			kind = 1
		}
		e.write([]byte{kind})
		e.uvarint(uint64(live[t]))
		prev := int64(-1)
		for _, d := range l.docs {
			if nd := remap[d]; nd != exhausted {
				e.uvarint(uint64(int64(nd) - prev))
				prev = int64(nd)
			}
		}
		if !l.key {
			for i, d := range l.docs {
				if remap[d] != exhausted {
					e.write(binary.LittleEndian.AppendUint16(e.buf[:0], l.tf[i]))
				}
			}
		}
	}
	all := s.words.all()
	words := 0
	for _, w := range all {
		if listNum[s.words.term[w]] != exhausted {
			words++
		}
	}
	e.uvarint(uint64(words))
	for _, w := range all {
		if t := listNum[s.words.term[w]]; t != exhausted {
			e.str(w)
			e.uvarint(uint64(t))
		}
	}
	if e.err == nil {
		e.err = bw.Flush()
	}
	if e.err != nil {
		return e.n, e.err
	}
	m, err := w.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32()))
	return e.n + int64(m), err
}

// decoder reads from the buffer of a bufio.Reader without copying: it peeks a window, decodes from
// it, and discards (and checksums) what it consumed when it needs more, so the underlying reader is
// never read past the store's end.
type decoder struct {
	r   *bufio.Reader
	win []byte // peeked, not yet discarded
	pos int    // consumed bytes of win
	crc hash.Hash32
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
	}
}

// commit checksums and discards the consumed part of the window.
func (d *decoder) commit() {
	if d.pos > 0 {
		d.crc.Write(d.win[:d.pos])
		d.r.Discard(d.pos)
	}
	d.win, d.pos = nil, 0
}

// ensure makes n bytes available in the window (n at most the reader's buffer size), or fails.
func (d *decoder) ensure(n int) bool {
	if d.err != nil {
		return false
	}
	if len(d.win)-d.pos >= n {
		return true
	}
	d.commit()
	w, _ := d.r.Peek(d.r.Size())
	d.win = w
	if len(w) < n {
		d.fail("truncated")
		return false
	}
	return true
}

func (d *decoder) readByte() byte {
	if !d.ensure(1) {
		return 0
	}
	b := d.win[d.pos]
	d.pos++
	return b
}

// bytes returns the next n bytes; the slice is valid until the next read.
func (d *decoder) bytes(n int) []byte {
	if n > d.r.Size() {
		b := make([]byte, n)
		d.full(b)
		return b
	}
	if !d.ensure(n) {
		return nil
	}
	b := d.win[d.pos : d.pos+n]
	d.pos += n
	return b
}

// full fills b, however long.
func (d *decoder) full(b []byte) {
	if d.err != nil {
		return
	}
	if len(b) <= d.r.Size() {
		if d.ensure(len(b)) {
			d.pos += copy(b, d.win[d.pos:])
		}
		return
	}
	d.commit()
	if _, err := io.ReadFull(d.r, b); err != nil {
		d.fail("truncated")
		return
	}
	d.crc.Write(b)
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	if len(d.win)-d.pos < binary.MaxVarintLen64 {
		d.commit() // near the window's end: refill (at the input's end, decode what is left)
		d.win, _ = d.r.Peek(d.r.Size())
	}
	x, n := binary.Uvarint(d.win[d.pos:])
	switch {
	case n > 0:
		d.pos += n
		return x
	case n == 0:
		d.fail("truncated")
	default:
		d.fail("varint overflows")
	}
	return 0
}

// count reads a count and checks it against limit.
func (d *decoder) count(limit uint64, what string) int {
	n := d.uvarint()
	if n > limit {
		d.fail("%s count %d over %d", what, n, limit)
		return 0
	}
	return int(n)
}

func (d *decoder) varint() int64 {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (d *decoder) str(limit int) string {
	n := d.count(uint64(limit), "string")
	if d.err != nil {
		return ""
	}
	return string(d.bytes(n))
}

func (d *decoder) u32() uint32 {
	b := d.bytes(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (d *decoder) f64() float64 {
	b := d.bytes(8)
	if b == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

// Bounds on what a file may claim, so a damaged count cannot make ReadStore allocate without limit.
const (
	maxStringLen = 1 << 20
	maxCount     = 1 << 31
)

// presize bounds the room allocated ahead for a count read from the file, so that a damaged count
// costs no more than a large real one.
func presize(n int) int { return min(n, 1<<21) }

// ReadStore reads a store written by WriteTo. Damaged or truncated input gives an error wrapping
// ErrCorrupt, never a panic. A *bufio.Reader is read no
// further than the store's end, so the store can be one section of a larger file.
func ReadStore(r io.Reader) (*Store, error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 1<<20)
	}
	d := &decoder{r: br, crc: crc32.NewIEEE()}
	var magic [len(codecMagic)]byte
	d.full(magic[:])
	if d.err == nil && string(magic[:]) != codecMagic {
		d.fail("not a keyword index")
	}
	if v := d.u32(); d.err == nil && v != codecVersion {
		d.fail("version %d, want %d", v, codecVersion)
	}
	p := Params{K1: d.f64(), B: d.f64(), TitleWeight: int(d.count(1000, "title weight"))}
	if d.err != nil {
		return nil, d.err
	}
	if !(p.K1 > 0 && p.K1 < 100 && p.B >= 0 && p.B <= 1 && p.TitleWeight >= 1) {
		return nil, fmt.Errorf("%w: parameters %+v out of range", ErrCorrupt, p)
	}
	s := NewStore(p)
	for range d.count(maxCategories, "category") {
		c := d.str(maxStringLen)
		if _, dup := s.catID[c]; dup && d.err == nil {
			d.fail("category %q twice", c)
		}
		s.catID[c] = uint16(len(s.catNames))
		s.catNames = append(s.catNames, c)
	}
	nd := d.count(maxCount, "document")
	s.byID = make(map[string]uint32, presize(nd))
	s.ids = make([]string, 0, presize(nd))
	s.dl = make([]uint32, 0, presize(nd))
	s.date = make([]int32, 0, presize(nd))
	s.catOff = append(make([]uint32, 0, presize(nd)+1), 0)
	for i := range nd {
		if d.err != nil {
			return nil, d.err
		}
		id := d.str(maxStringLen)
		dl := d.uvarint()
		date := d.varint()
		if dl > math.MaxUint32 || date < math.MinInt32 || date > math.MaxInt32 {
			d.fail("document %d: length or date out of range", i)
		}
		for range d.count(maxCategories, "document category") {
			c := d.uvarint()
			if c >= uint64(len(s.catNames)) {
				d.fail("document %d: category %d of %d", i, c, len(s.catNames))
			}
			s.cats = append(s.cats, uint16(c))
		}
		s.ids = append(s.ids, id)
		if s.byID[id] = uint32(i); len(s.byID) != len(s.ids) {
			d.fail("document %q twice", id)
		}
		s.dl = append(s.dl, uint32(dl))
		s.date = append(s.date, int32(date))
		s.catOff = append(s.catOff, uint32(len(s.cats)))
		s.lenSum += dl
	}
	s.nLive = nd
	s.live = make([]uint64, (nd+63)/64)
	for i := range nd {
		s.live[i>>6] |= 1 << (i & 63)
	}
	s.avgRef = s.AvgLen()
	ln := p.norm(s.avgRef)
	nl := d.count(maxCount, "list")
	s.dict = make(map[string]uint32, presize(nl))
	s.lists = make([]*list, 0, presize(nl))
	s.terms = make([]string, 0, presize(nl))
	for range nl {
		if d.err != nil {
			return nil, d.err
		}
		term := d.str(maxStringLen)
		kind := d.readByte()
		if kind > 1 {
			d.fail("list %q: kind %d", term, kind)
		}
		n := d.count(uint64(nd), "posting")
		if d.err != nil {
			return nil, d.err
		}
		l := &list{key: kind == 1, docs: make([]uint32, 0, n)}
		prev := int64(-1)
		for range n {
			g := d.uvarint()
			if g == 0 || prev+int64(g) >= int64(nd) {
				d.fail("list %q: document gap %d out of range", term, g)
				break
			}
			prev += int64(g)
			l.docs = append(l.docs, uint32(prev))
		}
		if !l.key {
			b := d.bytes(2 * n)
			if d.err != nil {
				return nil, d.err
			}
			l.tf = make([]uint16, n)
			for i := range l.tf {
				l.tf[i] = binary.LittleEndian.Uint16(b[2*i:])
			}
		}
		l.bounds(p, s.dl, ln)
		if s.dict[term] = uint32(len(s.lists)); len(s.dict) != len(s.lists)+1 {
			d.fail("list %q twice", term)
		}
		s.lists = append(s.lists, l)
		s.terms = append(s.terms, term)
	}
	nw := d.count(maxCount, "word")
	s.words.term = make(map[string]uint32, presize(nw))
	s.words.sorted = make([]string, 0, presize(nw))
	prevWord := ""
	for i := range nw {
		if d.err != nil {
			return nil, d.err
		}
		w := d.str(maxStringLen)
		t := d.uvarint()
		if t >= uint64(len(s.lists)) || (i > 0 && w <= prevWord) {
			d.fail("word %d out of order or list %d of %d", i, t, len(s.lists))
			break
		}
		prevWord = w
		s.words.term[w] = uint32(t)
		s.words.sorted = append(s.words.sorted, w)
	}
	if d.err != nil {
		return nil, d.err
	}
	d.commit()
	sum := d.crc.Sum32()
	var b [4]byte
	if _, err := io.ReadFull(d.r, b[:]); err != nil {
		return nil, fmt.Errorf("%w: truncated checksum", ErrCorrupt)
	}
	if binary.LittleEndian.Uint32(b[:]) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	s.buildForward()
	return s, nil
}

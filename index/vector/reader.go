package vector

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"

	"github.com/kindred-search/kindred/embed"
)

// maxAlloc bounds any single length read from a file, so a damaged length cannot make us allocate
// gigabytes before the checksum catches it.
const maxAlloc = 1 << 26

// Reader decodes the little-endian primitives of the package's file formats while keeping a running
// CRC-32 and the first error; after an error every read returns zero values. Exported so that other
// vector index implementations (package hnsw) share one careful decoder.
type Reader struct {
	r   *bufio.Reader
	crc hash32
	err error
	buf [4]byte
}

type hash32 interface {
	io.Writer
	Sum32() uint32
}

// NewReader returns a Reader over r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 1<<16), crc: crc32.NewIEEE()}
}

// Err returns the first error met.
func (r *Reader) Err() error { return r.err }

func (r *Reader) fail(err error) {
	if r.err != nil {
		return
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("%w: truncated", ErrCorrupt)
	}
	r.err = err
}

// Bytes reads n bytes.
func (r *Reader) Bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > maxAlloc {
		r.fail(fmt.Errorf("%w: length %d out of range", ErrCorrupt, n))
		return nil
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r.r, b); err != nil {
		r.fail(err)
		return nil
	}
	r.crc.Write(b)
	return b
}

// U32 reads a little-endian uint32.
func (r *Reader) U32() uint32 {
	if r.err != nil {
		return 0
	}
	if _, err := io.ReadFull(r.r, r.buf[:]); err != nil {
		r.fail(err)
		return 0
	}
	r.crc.Write(r.buf[:])
	return binary.LittleEndian.Uint32(r.buf[:])
}

// F32 reads a float32.
func (r *Reader) F32() float32 { return math.Float32frombits(r.U32()) }

// Vector reads a vector written as n u32, n indices, n float bits, and checks it.
func (r *Reader) Vector() embed.Vector {
	n := int(r.U32())
	if r.err != nil {
		return embed.Vector{}
	}
	if n > maxAlloc/8 {
		r.fail(fmt.Errorf("%w: vector length %d out of range", ErrCorrupt, n))
		return embed.Vector{}
	}
	v := embed.Vector{Idx: make([]uint32, n), Val: make([]float32, n)}
	for i := range v.Idx {
		v.Idx[i] = r.U32()
	}
	for i := range v.Val {
		v.Val[i] = r.F32()
	}
	if r.err == nil {
		if err := v.Check(0); err != nil {
			r.fail(fmt.Errorf("%w: %v", ErrCorrupt, err))
		}
	}
	return v
}

// Finish reads the trailing CRC-32 and checks it against everything read, and that nothing follows.
func (r *Reader) Finish() error {
	if r.err != nil {
		return r.err
	}
	want := r.crc.Sum32()
	if _, err := io.ReadFull(r.r, r.buf[:]); err != nil {
		r.fail(err)
		return r.err
	}
	if got := binary.LittleEndian.Uint32(r.buf[:]); got != want {
		return fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	if _, err := r.r.ReadByte(); err != io.EOF {
		return fmt.Errorf("%w: trailing data after checksum", ErrCorrupt)
	}
	return nil
}

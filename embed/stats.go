package embed

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"sync"
)

// Stats holds document frequencies per hashed feature, from which idf weights come. The engine keeps one
// per index, adds each paper's features on insert and removes them on delete. Safe for concurrent use.
type Stats struct {
	// mu guards n and df.
	mu sync.RWMutex
	n  uint32   // documents counted
	df []uint32 // documents containing each feature index
}

// NewStats returns empty statistics over a space of dim features.
func NewStats(dim uint32) *Stats { return &Stats{df: make([]uint32, dim)} }

// Dim is the size of the feature space.
func (s *Stats) Dim() uint32 { return uint32(len(s.df)) }

// Docs is the number of documents counted.
func (s *Stats) Docs() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return int(s.n)
}

// Add counts one document's features.
func (s *Stats) Add(f Features) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	for _, ix := range f.Idx {
		s.df[ix]++
	}
}

// Remove uncounts one document's features, as given to Add.
func (s *Stats) Remove(f Features) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n > 0 {
		s.n--
	}
	for _, ix := range f.Idx {
		if s.df[ix] > 0 {
			s.df[ix]--
		}
	}
}

// IDF is the smoothed inverse document frequency of a feature, ln((N+1)/(df+1)) + 1, so a feature in
// every document still weighs a little and an unseen one weighs most.
func (s *Stats) IDF(ix uint32) float32 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.idfLocked(ix)
}

func (s *Stats) idfLocked(ix uint32) float32 {
	if int(ix) >= len(s.df) {
		return 0
	}
	return float32(math.Log(float64(s.n+1)/float64(s.df[ix]+1)) + 1)
}

// The binary form of Stats, all integers little-endian:
//
//	magic "KIDF" | version u32 = 1 | dim u32 | n u32 | count u32 | count x (index u32, df u32) | crc32
const (
	statsMagic   = "KIDF"
	statsVersion = 1
)

// ErrCorruptStats is returned by UnmarshalBinary for data it cannot trust.
var ErrCorruptStats = errors.New("corrupt idf statistics")

// MarshalBinary encodes the statistics (only non-zero frequencies).
func (s *Stats) MarshalBinary() ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	count := 0
	for _, d := range s.df {
		if d != 0 {
			count++
		}
	}
	b := make([]byte, 0, 20+8*count+4)
	b = append(b, statsMagic...)
	b = binary.LittleEndian.AppendUint32(b, statsVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s.df)))
	b = binary.LittleEndian.AppendUint32(b, s.n)
	b = binary.LittleEndian.AppendUint32(b, uint32(count))
	for ix, d := range s.df {
		if d != 0 {
			b = binary.LittleEndian.AppendUint32(b, uint32(ix))
			b = binary.LittleEndian.AppendUint32(b, d)
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b)), nil
}

// UnmarshalBinary decodes what MarshalBinary wrote, replacing the receiver's contents.
func (s *Stats) UnmarshalBinary(b []byte) error {
	if len(b) < 24 || string(b[:4]) != statsMagic {
		return fmt.Errorf("%w: bad header", ErrCorruptStats)
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return fmt.Errorf("%w: checksum mismatch", ErrCorruptStats)
	}
	u32 := func(off int) uint32 { return binary.LittleEndian.Uint32(body[off:]) }
	if v := u32(4); v != statsVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrCorruptStats, v, statsVersion)
	}
	dim, n, count := u32(8), u32(12), int(u32(16))
	if dim == 0 || dim > 1<<28 || len(body) != 20+8*count {
		return fmt.Errorf("%w: bad sizes", ErrCorruptStats)
	}
	df := make([]uint32, dim)
	for i := range count {
		ix, d := u32(20+8*i), u32(24+8*i)
		if ix >= dim {
			return fmt.Errorf("%w: feature %d outside dim %d", ErrCorruptStats, ix, dim)
		}
		df[ix] = d
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n, s.df = n, df
	return nil
}

// DF is the number of documents counted that contain feature ix.
func (s *Stats) DF(ix uint32) uint32 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if int(ix) >= len(s.df) {
		return 0
	}
	return s.df[ix]
}

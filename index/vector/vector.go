// Package vector declares the vector index the engine stores paper vectors in, and ships the exact
// implementation: a scan over every vector, the ground truth approximate indexes are measured against.
//
//	x := vector.NewExact()
//	x.Add("2106.01234", v)
//	hits := x.Search(q, 10) // best first
package vector

import (
	"cmp"
	"errors"
	"io"
	"slices"

	"github.com/kindred-search/kindred/embed"
)

// Hit is one search result: a key and its similarity to the query (cosine, higher is closer).
type Hit struct {
	Key   string
	Score float32
}

// Index is a set of keyed sparse vectors searchable by similarity. Implementations are safe for
// concurrent use: any number of searches may run while one goroutine writes.
type Index interface {
	// Add inserts v under key, replacing any vector the key had.
	Add(key string, v embed.Vector) error
	// Delete removes key; it reports whether the key was present.
	Delete(key string) bool
	// Has reports whether key is present.
	Has(key string) bool
	// Get returns the vector stored under key.
	Get(key string) (embed.Vector, bool)
	// Search returns up to k hits, best first (ties broken by key).
	Search(q embed.Vector, k int) []Hit
	// Len is the number of vectors held.
	Len() int
	// Keys calls fn for every key until fn returns false.
	Keys(fn func(key string) bool)
	// WriteTo writes the index in its own versioned binary format.
	WriteTo(w io.Writer) (int64, error)
}

// Errors shared by implementations.
var (
	// ErrCorrupt is returned when a saved index cannot be read back: truncated, damaged, or of an
	// unknown format version.
	ErrCorrupt = errors.New("corrupt vector index")
	// ErrBadVector is returned by Add for a malformed vector (see embed.Vector.Check).
	ErrBadVector = errors.New("bad vector")
)

// SortHits orders hits best first, ties by key, so results are deterministic.
func SortHits(h []Hit) {
	slices.SortFunc(h, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
}

// Recall returns the fraction of want's keys found in got (recall of an approximate answer against
// the exact one); an empty want counts as fully found.
func Recall(want, got []Hit) float64 {
	if len(want) == 0 {
		return 1
	}
	in := make(map[string]bool, len(got))
	for _, h := range got {
		in[h.Key] = true
	}
	n := 0
	for _, h := range want {
		if in[h.Key] {
			n++
		}
	}
	return float64(n) / float64(len(want))
}

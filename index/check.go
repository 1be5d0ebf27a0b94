package index

import (
	"context"
	"fmt"
	"slices"

	"github.com/kindred-search/kindred/index/paper"
)

// Check verifies the engine's invariants and returns the first violation found, wrapping ErrDamaged:
// the full-text index, the vector index and the length table hold exactly the same IDs, the idf
// statistics count exactly that many papers, and every stored record reads back valid. It reads every
// record: O(N).
func (ix *Index) Check(ctx context.Context) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return ErrClosed
	}
	var stored []string
	err := ix.eachPaper(ctx, func(ps []paper.Paper) error {
		for _, p := range ps {
			if err := p.Validate(); err != nil {
				return fmt.Errorf("%w: stored paper %s: %v", ErrDamaged, p.ID, err)
			}
			stored = append(stored, p.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	var vec []string
	ix.vec.Keys(func(k string) bool { vec = append(vec, k); return true })
	slices.Sort(vec)
	if i := firstDiff(stored, vec); i >= 0 {
		return fmt.Errorf("%w: full-text index holds %d papers, vector index %d; first difference near %q", ErrDamaged, len(stored), len(vec), pick(stored, vec, i))
	}
	if ix.kw.Len() != len(stored) {
		return fmt.Errorf("%w: %d papers but %d in the keyword index", ErrDamaged, len(stored), ix.kw.Len())
	}
	for _, id := range stored {
		if !ix.kw.Has(id) {
			return fmt.Errorf("%w: %s is missing from the keyword index", ErrDamaged, id)
		}
	}
	if n := ix.stats.Docs(); n != len(stored) {
		return fmt.Errorf("%w: idf statistics count %d papers, index holds %d", ErrDamaged, n, len(stored))
	}
	return nil
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

func pick(a, b []string, i int) string {
	if i < len(a) {
		return a[i]
	}
	return b[i]
}

package bm25

import (
	"context"
	"math/bits"
)

// Count is how many documents match a query, exactly or as an estimate.
type Count struct {
	N     int
	Exact bool
}

// Matches calls fn for every document matching q (what Search would rank, unscored), in document
// order, and returns how many there are. It visits at most about budget postings (0: no budget):
// past that, only the documents numbered below a cut-off are matched, the cut-off chosen so the
// postings before it fit the budget, and the count is extrapolated to all document numbers (Exact
// false). Documents are numbered in insertion order, so the part below the cut-off is a fair sample
// unless the corpus was loaded sorted by topic. fn may be nil.
//
// A disjunction is counted by OR-ing its posting lists into a bitset, which costs about a
// nanosecond a posting: far less than visiting them in document order.
func (s *Store) Matches(ctx context.Context, q Query, budget int, fn func(d uint32)) (Count, error) {
	if s.nLive == 0 {
		return Count{Exact: true}, nil
	}
	p, err := s.prepare(q)
	if err != nil || p.empty {
		return Count{Exact: true}, err
	}
	docs := uint32(len(s.ids))
	cut, exact := docs, true
	if budget > 0 && len(p.required) == 0 && p.postings > budget {
		cut = uint32(uint64(docs) * uint64(budget) / uint64(p.postings))
		cut = max(cut, 1)
		exact = false
	}
	if budget > 0 && len(p.required) == 0 && len(p.scored) == 0 && int(docs) > budget {
		cut, exact = uint32(budget), false
	}
	n := 0
	visit := func(d uint32) bool {
		if d >= cut {
			return false
		}
		n++
		if fn != nil {
			fn(d)
		}
		return true
	}
	switch {
	case len(p.required) > 0:
		// Requirements are led by their rarest list: already bounded by it.
		err = s.intersect(ctx, &p, visit)
	case len(p.scored) == 0:
		for d := range cut {
			if d%checkEvery == checkEvery-1 {
				if err = ctx.Err(); err != nil {
					break
				}
			}
			if s.accept(d, &p) && !s.excluded(d, &p) {
				visit(d)
			}
		}
	default:
		set := make([]uint64, (cut+63)/64)
		for _, t := range p.scored {
			if err = ctx.Err(); err != nil {
				break
			}
			for i, d := range t.c.docs {
				if d >= cut {
					break
				}
				if t.field != 0 && s.params.virtualTF(t.c.tf[i], t.field) == 0 {
					continue
				}
				set[d>>6] |= 1 << (d & 63)
			}
		}
		plain := fn == nil && len(p.exclude) == 0 && !p.filter.Dated && p.cats == nil
		for w := range set {
			b := set[w]
			if w < len(s.live) {
				b &= s.live[w]
			}
			if plain {
				n += bits.OnesCount64(b)
				continue
			}
			for b != 0 {
				d := uint32(w<<6 + bits.TrailingZeros64(b))
				b &= b - 1
				if s.accept(d, &p) && !s.excluded(d, &p) {
					visit(d)
				}
			}
		}
	}
	if err != nil {
		return Count{}, err
	}
	if exact {
		return Count{N: n, Exact: true}, nil
	}
	return Count{N: int(float64(n) * float64(docs) / float64(cut)), Exact: false}, nil
}

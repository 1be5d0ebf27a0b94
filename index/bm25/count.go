package bm25

import "context"

// Count is how many documents match a query, exactly or as an estimate.
type Count struct {
	N     int
	Exact bool
}

// Matches calls fn for every document matching q (what Search would rank, unscored), in document
// order, until budget postings have been visited (0: no budget). It returns the count; when the budget
// stops it early, the count is extrapolated from the share of document numbers covered, and Exact is
// false. Documents are numbered in insertion order, so the covered prefix is a fair sample unless the
// corpus was loaded sorted by topic. fn may be nil.
func (s *Store) Matches(ctx context.Context, q Query, budget int, fn func(d uint32)) (Count, error) {
	if s.nLive == 0 {
		return Count{Exact: true}, nil
	}
	p, err := s.prepare(q)
	if err != nil || p.empty {
		return Count{Exact: true}, err
	}
	n := 0
	var last uint32
	stopped := false
	visit := func(d uint32) bool {
		n++
		last = d
		if fn != nil {
			fn(d)
		}
		return true
	}
	spent := func() int {
		v := 0
		for _, ts := range [][]*term{p.scored, p.required, p.exclude} {
			for _, t := range ts {
				v += t.c.visited
			}
		}
		return v
	}
	switch {
	case len(p.required) > 0:
		err = s.intersect(ctx, &p, func(d uint32) bool {
			visit(d)
			if budget > 0 && n%256 == 0 && spent() > budget {
				stopped = true
				return false
			}
			return true
		})
	case len(p.scored) == 0:
		for d := range uint32(len(s.ids)) {
			if budget > 0 && int(d) > budget {
				stopped = true
				break
			}
			if s.accept(d, &p) && !s.excluded(d, &p) {
				visit(d)
			}
			last = d
		}
	default:
		ts := p.scored
		for step := 0; ; step++ {
			if step%checkEvery == checkEvery-1 {
				if err = ctx.Err(); err != nil {
					break
				}
				if budget > 0 && spent() > budget {
					stopped = true
					break
				}
			}
			d := uint32(exhausted)
			for _, t := range ts {
				d = min(d, t.c.doc())
			}
			if d == exhausted {
				break
			}
			matched := false
			for _, t := range ts {
				if t.c.doc() == d {
					matched = matched || s.params.virtualTF(t.c.tf[t.c.pos], t.field) > 0
					t.c.next()
				}
			}
			if matched && s.accept(d, &p) && !s.excluded(d, &p) {
				visit(d)
			}
			last = d
		}
	}
	if err != nil {
		return Count{}, err
	}
	if !stopped {
		return Count{N: n, Exact: true}, nil
	}
	covered := float64(last) + 1
	return Count{N: int(float64(n) * float64(len(s.ids)) / covered), Exact: false}, nil
}

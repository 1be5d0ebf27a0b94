package bm25

import (
	"context"
	"slices"
)

// checkEvery is how many loop steps pass between checks of the context.
const checkEvery = 4096

// Search returns the k best documents for q, best first, equal scores by ascending ID, with exact
// BM25 scores (see the package documentation). A query without scored clauses ranks its matches by
// date, newest first (Score 0). It fails only when ctx is done or q is malformed.
//
// Documents are visited in order of their numbers. With required clauses, keys or sets, the rarest of
// them leads and the others are advanced to its documents; otherwise the scored clauses are split, the
// MaxScore way, into essential ones (whose documents are candidates) and non-essential ones (only
// probed for candidates), the split moving as the k-th best score rises.
func (s *Store) Search(ctx context.Context, q Query, k int) ([]Hit, Stats, error) {
	if k <= 0 || s.nLive == 0 {
		return nil, Stats{}, nil
	}
	p, err := s.prepare(q)
	if err != nil {
		return nil, Stats{}, err
	}
	st := Stats{Postings: p.postings}
	if p.empty {
		return nil, st, nil
	}
	top := newTopK(k, s.ids)
	switch {
	case p.nScored == 0:
		err = s.byDate(ctx, &p, top, &st)
	case len(p.required) > 0:
		err = s.conjunction(ctx, &p, top, &st)
	default:
		err = s.disjunction(ctx, &p, top, &st)
	}
	for _, ts := range [][]*term{p.scored, p.required, p.exclude} {
		for _, t := range ts {
			st.Visited += t.c.visited
		}
	}
	if err != nil {
		return nil, st, err
	}
	es := top.sorted()
	hits := make([]Hit, len(es))
	for i, e := range es {
		hits[i] = Hit{ID: s.ids[e.doc], Doc: e.doc, Score: e.key}
		if p.nScored == 0 {
			hits[i].Score = 0
		}
	}
	return hits, st, nil
}

// scoreSheet accumulates one document's per-clause contributions so the final score is summed in
// clause order, whatever order the clauses were evaluated in: the same document always gets the same
// bits, and so do the exhaustive oracle and every pruning path.
type scoreSheet struct {
	contrib []float64
	touched []int
	partial float64
}

func newScoreSheet(n int) *scoreSheet { return &scoreSheet{contrib: make([]float64, n)} }

func (sh *scoreSheet) add(idx int, x float64) {
	if x == 0 || idx < 0 {
		return
	}
	if sh.contrib[idx] == 0 {
		sh.touched = append(sh.touched, idx)
	}
	sh.contrib[idx] += x
	sh.partial += x
}

// total sums the contributions in clause order and clears the sheet.
func (sh *scoreSheet) total() float64 {
	slices.Sort(sh.touched)
	var s float64
	for _, i := range sh.touched {
		s += sh.contrib[i]
		sh.contrib[i] = 0
	}
	sh.touched = sh.touched[:0]
	sh.partial = 0
	return s
}

func (sh *scoreSheet) reset() {
	for _, i := range sh.touched {
		sh.contrib[i] = 0
	}
	sh.touched = sh.touched[:0]
	sh.partial = 0
}

// byUB sorts terms by upper bound, lowest first, and returns the running sums of their bounds.
func byUB(ts []*term) []float64 {
	slices.SortStableFunc(ts, func(a, b *term) int {
		switch {
		case a.ub < b.ub:
			return -1
		case a.ub > b.ub:
			return 1
		}
		return 0
	})
	cum := make([]float64, len(ts))
	var sum float64
	for i, t := range ts {
		sum += t.ub
		cum[i] = sum
	}
	return cum
}

// probe scores the non-essential terms ts[:upto] (ascending bounds, running sums cum) for d from the
// highest bound down, stopping when the document can no longer reach theta. It reports false if d was
// pruned.
func (s *Store) probe(ts []*term, cum []float64, upto int, d uint32, sh *scoreSheet, theta float64, p *prepared, st *Stats) bool {
	for i := upto - 1; i >= 0; i-- {
		if sh.partial+cum[i] < theta {
			st.Pruned++
			return false
		}
		t := ts[i]
		if !t.c.seekBlock(d) {
			continue
		}
		if theta >= 0 {
			rest := 0.0
			if i > 0 {
				rest = cum[i-1]
			}
			if sh.partial+float64(t.c.blockBound())*t.bmul+rest < theta {
				st.Pruned++
				return false
			}
		}
		t.c.advance(d)
		if t.c.doc() == d {
			sh.add(t.idx, s.contribution(t, d, p.ln))
		}
	}
	return true
}

func (s *Store) conjunction(ctx context.Context, p *prepared, top *topK, st *Stats) error {
	req := p.required
	slices.SortStableFunc(req, func(a, b *term) int { return len(a.c.docs) - len(b.c.docs) })
	lead, others := req[0], req[1:]
	opt := p.scored
	cum := byUB(opt)
	var optAll, reqUB float64
	if len(cum) > 0 {
		optAll = cum[len(cum)-1]
	}
	for _, r := range others {
		reqUB += r.ub
	}
	sh := newScoreSheet(p.nScored)
	theta := top.threshold()
	for step := 0; ; step++ {
		if step%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		d := lead.c.doc()
		if d == exhausted {
			return nil
		}
		if theta >= 0 && !lead.key && lead.c.seekBlock(d) && float64(lead.c.blockBound())*lead.bmul+reqUB+optAll < theta {
			lead.c.skipBlock()
			st.BlocksSkipped++
			continue
		}
		next := d
		for _, r := range others {
			r.c.advance(d)
			if x := r.c.doc(); x != d {
				next = x
				break
			}
		}
		if next != d {
			if next == exhausted {
				return nil
			}
			lead.c.advance(next)
			continue
		}
		ok := s.accept(d, p)
		for _, r := range req {
			if !ok {
				break
			}
			if r.key {
				continue
			}
			x := s.contribution(r, d, p.ln)
			if r.idx < 0 {
				// Unscored requirement: only its field restriction matters.
				ok = s.params.virtualTF(r.c.tf[r.c.pos], r.field) > 0
				continue
			}
			if x == 0 {
				ok = false
				break
			}
			sh.add(r.idx, x)
		}
		lead.c.next()
		if !ok || s.excluded(d, p) {
			sh.reset()
			continue
		}
		if !s.probe(opt, cum, len(opt), d, sh, theta, p, st) {
			sh.reset()
			continue
		}
		st.Scored++
		if top.offer(sh.total(), d) && top.full() {
			theta = top.threshold()
		}
	}
}

// byDate ranks the documents that satisfy the requirements and the filter by date, newest first: what
// a query of constraints only (an author, a category, "*") means.
func (s *Store) byDate(ctx context.Context, p *prepared, top *topK, st *Stats) error {
	offer := func(d uint32) {
		st.Scored++
		top.offer(float64(s.date[d]), d)
	}
	if len(p.required) == 0 {
		for d := range uint32(len(s.ids)) {
			if d%checkEvery == checkEvery-1 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if s.accept(d, p) && !s.excluded(d, p) {
				offer(d)
			}
		}
		return nil
	}
	return s.intersect(ctx, p, func(d uint32) bool { offer(d); return true })
}

// intersect calls fn for every document in all of p's requirements that passes the filter and the
// exclusions, in document order, until fn returns false.
func (s *Store) intersect(ctx context.Context, p *prepared, fn func(uint32) bool) error {
	req := p.required
	slices.SortStableFunc(req, func(a, b *term) int { return len(a.c.docs) - len(b.c.docs) })
	lead, others := req[0], req[1:]
	for step := 0; ; step++ {
		if step%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		d := lead.c.doc()
		if d == exhausted {
			return nil
		}
		next := d
		for _, r := range others {
			r.c.advance(d)
			if x := r.c.doc(); x != d {
				next = x
				break
			}
		}
		if next != d {
			if next == exhausted {
				return nil
			}
			lead.c.advance(next)
			continue
		}
		ok := s.accept(d, p)
		for _, r := range req {
			if ok && !r.key {
				ok = s.params.virtualTF(r.c.tf[r.c.pos], r.field) > 0
			}
		}
		lead.c.next()
		if ok && !s.excluded(d, p) && !fn(d) {
			return nil
		}
	}
}

// SearchNewest returns the k newest documents matching q (by date, undated last, equal dates by ID),
// with Score 0: a query's matches sorted by date instead of relevance. Cost O(matches).
func (s *Store) SearchNewest(ctx context.Context, q Query, k int) ([]Hit, error) {
	if k <= 0 || s.nLive == 0 {
		return nil, nil
	}
	top := newTopK(k, s.ids)
	if _, err := s.Matches(ctx, q, 0, func(d uint32) { top.offer(float64(s.date[d]), d) }); err != nil {
		return nil, err
	}
	es := top.sorted()
	hits := make([]Hit, len(es))
	for i, e := range es {
		hits[i] = Hit{ID: s.ids[e.doc], Doc: e.doc}
	}
	return hits, nil
}

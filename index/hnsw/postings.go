package hnsw

import (
	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/vector"
)

// The inverted lists answer sparse queries exactly. A query of a few words shares no feature with
// almost every abstract, so to a graph walk nearly every node sits at distance 1.0: the greedy
// descent has no gradient to follow and stops wherever it entered. Accumulating dot products term
// at a time over the lists of the query's features touches only the vectors that share a feature
// with it, which for such a query is both exact and cheaper than any walk.

// posting is one entry of a feature's inverted list: a node and its value for the feature.
type posting struct {
	id  uint32
	val float32
}

// postings maps a feature index to its inverted list, in node id order. Lists keep the entries of
// tombstoned nodes, which searches skip, until the graph is compacted.
type postings map[uint32][]posting

// add appends node id's entries.
func (p postings) add(id uint32, v nvec) {
	for _, e := range v.ent {
		p[e.ix] = append(p[e.ix], posting{id: id, val: e.val})
	}
}

// buildPostings builds the lists of all nodes at once, sizing every list before filling it, which
// is several times faster than appending node by node (Read and Compact use it).
func buildPostings(nodes []*node) postings {
	counts := map[uint32]int32{}
	total := 0
	for _, n := range nodes {
		for _, e := range n.vec.ent {
			counts[e.ix]++
		}
		total += len(n.vec.ent)
	}
	backing := make([]posting, total)
	p := make(postings, len(counts))
	off := int32(0)
	for f, c := range counts {
		p[f] = backing[off : off : off+c]
		off += c
	}
	for id, n := range nodes {
		for _, e := range n.vec.ent {
			p[e.ix] = append(p[e.ix], posting{id: uint32(id), val: e.val})
		}
	}
	return p
}

// total returns the number of postings the query's features hold, or a number above limit as soon
// as the sum passes it.
func (p postings) total(q embed.Vector, limit int) int {
	n := 0
	for _, f := range q.Idx {
		n += len(p[f])
		if n > limit {
			break
		}
	}
	return n
}

// exactMaxPostings is Options.ExactMaxPostings resolved against the graph's size; 0 disables.
// Called with mu held.
func (g *Graph) exactMaxPostings() int {
	switch {
	case g.opts.ExactMaxPostings < 0:
		return 0
	case g.opts.ExactMaxPostings > 0:
		return g.opts.ExactMaxPostings
	}
	return defaultExactMaxPostings
}

// searchPostings answers q exactly by term-at-a-time accumulation. Scores are summed in the query's
// index order, as embed.Dot sums them, so hits equal vector.Exact's bit for bit. Called with mu
// held shared.
func (g *Graph) searchPostings(s *scratch, q embed.Vector, k int) ([]vector.Hit, Stats) {
	st := Stats{Route: RoutePostings}
	if len(s.acc) < len(g.nodes) {
		s.acc = make([]float32, len(s.marks))
	}
	s.visitNew()
	touched := s.ids[:0]
	for i, f := range q.Idx {
		w := q.Val[i]
		list := g.post[f]
		st.Postings += len(list)
		for _, p := range list {
			if s.visit(p.id) {
				s.acc[p.id] = 0
				touched = append(touched, p.id)
			}
			s.acc[p.id] += w * p.val
		}
	}
	s.ids = touched
	top := vector.NewTopK(k)
	for _, id := range touched {
		if a := s.acc[id]; a > 0 && !g.nodes[id].dead {
			top.Push(g.nodes[id].key, a)
		}
	}
	return top.Sorted(), st
}

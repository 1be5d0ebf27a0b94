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

// buildPostings builds the lists of all nodes at once (Read and Compact use it): it counts each
// feature's postings, carves every list out of one backing array, then fills them. Counting and
// filling go through a dense array over the feature space when its indices are small (2^20 for
// package embed's vectors), which is several times faster than a map for 17M postings; the map
// then holds only one slice per feature.
func buildPostings(nodes []*node) postings {
	var top uint32
	total := 0
	for _, n := range nodes {
		if k := len(n.vec.ent); k > 0 {
			top = max(top, n.vec.ent[k-1].ix)
			total += k
		}
	}
	if total == 0 {
		return postings{}
	}
	if top >= denseFeatures {
		p := postings{}
		for id, n := range nodes {
			p.add(uint32(id), n.vec)
		}
		return p
	}
	start := make([]int32, top+2) // start[f+1] counts f, then becomes where f's list ends
	for _, n := range nodes {
		for _, e := range n.vec.ent {
			start[e.ix+1]++
		}
	}
	lists := 0
	for f := 1; f < len(start); f++ {
		if start[f] > 0 {
			lists++
		}
		start[f] += start[f-1]
	}
	backing := make([]posting, total)
	fill := start[: len(start)-1 : len(start)-1]
	pos := append([]int32(nil), fill...)
	for id, n := range nodes {
		for _, e := range n.vec.ent {
			backing[pos[e.ix]] = posting{id: uint32(id), val: e.val}
			pos[e.ix]++
		}
	}
	p := make(postings, lists)
	for f := range fill {
		if lo, hi := start[f], start[f+1]; hi > lo {
			p[uint32(f)] = backing[lo:hi:hi]
		}
	}
	return p
}

// denseFeatures bounds the feature indices buildPostings counts in a dense array (16 MiB at most).
const denseFeatures = 1 << 22

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

// exactMaxPostings is Options.ExactMaxPostings resolved for a search of candidate list ef; 0
// disables routing by postings.
func (g *Graph) exactMaxPostings(ef int) int {
	switch {
	case g.opts.ExactMaxPostings < 0:
		return 0
	case g.opts.ExactMaxPostings > 0:
		return g.opts.ExactMaxPostings
	}
	return PostingsPerEf * ef
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

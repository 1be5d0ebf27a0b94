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

// postings holds a feature's inverted list in up to two parts, each in node id order, the first
// part's ids below the second's. Lists keep the entries of tombstoned nodes, which searches skip,
// until the graph is compacted.
type postings struct {
	// off and base hold the lists built in bulk (Read, Compact) in compressed sparse row form:
	// feature f's list is base[off[f]:off[f+1]] when f+1 < len(off). Neither holds pointers, so
	// the garbage collector never scans the 17M postings of a 75k-abstract graph.
	off  []int32
	base []posting
	// more holds the postings of nodes added one batch at a time since, per feature.
	more map[uint32][]posting
}

func newPostings() *postings { return &postings{more: map[uint32][]posting{}} }

// add appends node id's entries.
func (p *postings) add(id uint32, v nvec) {
	for _, e := range v.ent {
		p.more[e.ix] = append(p.more[e.ix], posting{id: id, val: e.val})
	}
}

// lists returns the two parts of feature f's list.
func (p *postings) lists(f uint32) (bulk, added []posting) {
	if int(f)+1 < len(p.off) {
		bulk = p.base[p.off[f]:p.off[f+1]]
	}
	return bulk, p.more[f]
}

// len returns the length of feature f's list.
func (p *postings) len(f uint32) int {
	a, b := p.lists(f)
	return len(a) + len(b)
}

// bytes estimates the memory the lists take.
func (p *postings) bytes() int {
	n := 4*cap(p.off) + 8*cap(p.base)
	for _, l := range p.more {
		n += 8*cap(l) + 24 + 4 + 8
	}
	return n
}

// buildPostings builds the lists of all nodes at once (Read and Compact use it): it counts each
// feature's postings, lays the lists out one after another in a single array, then fills them.
// Feature indices at or above denseFeatures (package embed's never are) go to the map instead.
func buildPostings(nodes []*node) *postings {
	p := newPostings()
	var top uint32
	total := 0
	for _, n := range nodes {
		if k := len(n.vec.ent); k > 0 {
			top = max(top, n.vec.ent[k-1].ix)
			total += k
		}
	}
	if total == 0 {
		return p
	}
	if top >= denseFeatures {
		for id, n := range nodes {
			p.add(uint32(id), n.vec)
		}
		return p
	}
	p.off = make([]int32, top+2) // off[f+1] first counts f's postings, then becomes its end
	for _, n := range nodes {
		for _, e := range n.vec.ent {
			p.off[e.ix+1]++
		}
	}
	for f := 1; f < len(p.off); f++ {
		p.off[f] += p.off[f-1]
	}
	p.base = make([]posting, total)
	pos := append([]int32(nil), p.off[:len(p.off)-1]...)
	for id, n := range nodes {
		for _, e := range n.vec.ent {
			p.base[pos[e.ix]] = posting{id: uint32(id), val: e.val}
			pos[e.ix]++
		}
	}
	return p
}

// denseFeatures bounds the feature indices buildPostings lays out in an offset array (16 MiB at
// most).
const denseFeatures = 1 << 22

// total returns the number of postings the query's features hold, or a number above limit as soon
// as the sum passes it.
func (p *postings) total(q embed.Vector, limit int) int {
	n := 0
	for _, f := range q.Idx {
		n += p.len(f)
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
		bulk, added := g.post.lists(f)
		st.Postings += len(bulk) + len(added)
		for _, list := range [2][]posting{bulk, added} {
			for _, p := range list {
				if s.visit(p.id) {
					s.acc[p.id] = 0
					touched = append(touched, p.id)
				}
				s.acc[p.id] += w * p.val
			}
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

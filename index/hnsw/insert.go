package hnsw

import "slices"

// insert links node id into the graph: the paper's INSERT (Algorithm 1). The node is already in the
// node table with its level; nothing links to it yet. Called from linkAll, possibly by several
// goroutines at once, each with its own scratch.
func (g *Graph) insert(s *scratch, nodes []*node, id uint32) {
	q := nodes[id]
	l := q.level
	ep := g.ep.Load()
	raising := false
	if _, top := unpackEP(ep); ep == 0 || l > top {
		g.epMu.Lock()
		ep = g.ep.Load()
		if ep == 0 {
			g.ep.Store(packEP(id, l))
			g.epMu.Unlock()
			return
		}
		if _, top := unpackEP(ep); l > top {
			raising = true
			defer g.epMu.Unlock()
		} else {
			g.epMu.Unlock()
		}
	}
	s.q.loadN(q.vec)
	epID, top := unpackEP(ep)
	cur := cand{sim: s.q.dot(nodes[epID].vec), id: epID}
	s.evals++
	for lc := top; lc > l; lc-- {
		cur = g.greedy(s, nodes, cur, lc)
	}
	s.out = append(s.out[:0], cur)
	for lc := min(l, top); lc >= 0; lc-- {
		g.searchLayer(s, nodes, s.out, g.opts.EfConstruction, lc, false, id)
		s.sel = g.selectNeighbors(s, nodes, s.sel, s.out, g.opts.M)
		// q's own list may not be empty: a concurrent insert can reach q on a layer it has
		// already linked and link to it on this one. Going through addLink keeps the list
		// free of duplicates and within Mmax either way.
		for _, c := range s.sel {
			g.addLink(s, nodes, id, c, lc)
		}
		for _, c := range s.sel {
			g.addLink(s, nodes, c.id, cand{sim: c.sim, id: id}, lc)
		}
	}
	if raising {
		g.ep.Store(packEP(id, l))
	}
}

// addLink adds link c to node e's list on layer lc, shrinking the list when it is full.
func (g *Graph) addLink(s *scratch, nodes []*node, e uint32, c cand, lc int) {
	n := nodes[e]
	n.mu.Lock()
	defer n.mu.Unlock()
	links, sims := n.links[lc], n.sims[lc]
	if slices.Contains(links, c.id) {
		return
	}
	mmax := g.opts.mmax(lc)
	if len(links) < mmax {
		n.links[lc], n.sims[lc] = append(links, c.id), append(sims, c.sim)
		return
	}
	if !g.opts.DropPrunedConnections {
		// With keepPrunedConnections the heuristic over Mmax+1 candidates keeps Mmax of them and
		// drops one; dropping the farthest instead costs no distance evaluation (the similarities
		// are stored) where the heuristic costs up to Mmax^2/2, and the links it would keep
		// differ in one entry at most.
		worst := 0
		for i := range sims {
			if closer(cand{sim: sims[worst], id: links[worst]}, cand{sim: sims[i], id: links[i]}) {
				worst = i
			}
		}
		if closer(c, cand{sim: sims[worst], id: links[worst]}) {
			links[worst], sims[worst] = c.id, c.sim
		}
		return
	}
	s.cnd = append(s.cnd[:0], c)
	for i := range links {
		s.cnd = append(s.cnd, cand{sim: sims[i], id: links[i]})
	}
	slices.SortFunc(s.cnd, func(a, b cand) int {
		if closer(a, b) {
			return -1
		}
		if closer(b, a) {
			return 1
		}
		return 0
	})
	s.shr = g.selectNeighbors(s, nodes, s.shr, s.cnd, mmax)
	links, sims = links[:0], sims[:0]
	for _, c := range s.shr {
		links, sims = append(links, c.id), append(sims, c.sim)
	}
	n.links[lc], n.sims[lc] = links, sims
}

// selectNeighbors is the paper's SELECT-NEIGHBORS-HEURISTIC (Algorithm 4) without extendCandidates:
// it walks the candidates closest first and keeps one unless it is closer to an already kept
// neighbour than to the base node, so links point in diverse directions. Unless
// Options.DropPrunedConnections, the list is topped up to m with the closest pruned candidates
// (keepPrunedConnections). cands must be sorted closest first, with similarities to the base node;
// the result is appended to dst[:0].
func (g *Graph) selectNeighbors(s *scratch, nodes []*node, dst, cands []cand, m int) []cand {
	keep := !g.opts.DropPrunedConnections
	dst = dst[:0]
	if len(cands) <= m && keep {
		return append(dst, cands...)
	}
	s.prn = s.prn[:0]
	for _, e := range cands {
		if len(dst) >= m {
			break
		}
		good := true
		ev := nodes[e.id].vec
		for i := range dst {
			// dist(e, r) < dist(e, q) <=> sim(e, r) > sim(e, q)
			s.evals++
			if s.rtable(i).dot(ev) > e.sim {
				good = false
				break
			}
		}
		if good {
			s.rtable(len(dst)).loadN(ev)
			dst = append(dst, e)
		} else if keep && len(s.prn) < m {
			s.prn = append(s.prn, e)
		}
	}
	for _, e := range s.prn {
		if len(dst) >= m {
			break
		}
		dst = append(dst, e)
	}
	return dst
}

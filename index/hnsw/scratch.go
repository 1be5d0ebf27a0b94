package hnsw

// scratch is the per-goroutine working memory of a search or an insert, pooled so that a search
// allocates nothing but its result.
type scratch struct {
	// marks[id] == gen means node id was visited by the current search layer.
	marks []uint32
	gen   uint32

	q     table    // the query or the node being inserted
	near  nearHeap // candidates C
	far   farHeap  // results W
	out   []cand   // W sorted, closest first
	sel   []cand   // neighbours chosen by the heuristic
	prn   []cand   // candidates the heuristic pruned
	cnd   []cand   // an overfull neighbour list being shrunk
	shr   []cand   // the shrunk list
	ids   []uint32 // links copied out from under a node's lock
	rt    []*table // tables of the heuristic's selected neighbours
	acc   []float32
	order []int // query entries by weight
	// hits holds the filter hits of the vectors a search layer compares at once, hitEnd where each
	// vector's end.
	hits   []int32
	hitEnd []int
	sims   []float32 // compare's result

	evals int    // distance evaluations since the last reset
	sink  uint32 // keeps the compiler from dropping the loads of searchLayer's prefetch
}

func (g *Graph) getScratch(n int) *scratch {
	s, _ := g.pool.Get().(*scratch)
	if s == nil {
		s = &scratch{}
	}
	if len(s.marks) < n {
		s.marks = make([]uint32, n+n/4)
		s.gen = 0
	}
	s.evals = 0
	return s
}

func (g *Graph) putScratch(s *scratch) { g.pool.Put(s) }

// visitNew starts a new visited set.
func (s *scratch) visitNew() {
	s.gen++
	if s.gen == 0 {
		clear(s.marks)
		s.gen = 1
	}
}

// visit marks id and reports whether it was unmarked.
func (s *scratch) visit(id uint32) bool {
	if s.marks[id] == s.gen {
		return false
	}
	s.marks[id] = s.gen
	return true
}

// rtable returns the i-th reusable table for the heuristic.
func (s *scratch) rtable(i int) *table {
	for len(s.rt) <= i {
		s.rt = append(s.rt, &table{})
	}
	return s.rt[i]
}

package hnsw

// cand is a node and its similarity to the query being searched or inserted.
type cand struct {
	sim float32
	id  uint32
}

// closer reports whether a ranks before b: higher similarity, ties by lower id so that results do
// not depend on the order nodes were reached in.
func closer(a, b cand) bool { return a.sim > b.sim || (a.sim == b.sim && a.id < b.id) }

// nearHeap is a binary heap whose top is the closest candidate: the paper's set C.
type nearHeap []cand

func (h *nearHeap) push(c cand) {
	*h = append(*h, c)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !closer(s[i], s[p]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *nearHeap) pop() cand {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && closer(s[l], s[m]) {
			m = l
		}
		if r < len(s) && closer(s[r], s[m]) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

// farHeap is a binary heap whose top is the farthest result: the paper's set W, bounded by ef.
type farHeap []cand

func (h *farHeap) push(c cand) {
	*h = append(*h, c)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !closer(s[p], s[i]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *farHeap) pop() cand {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && closer(s[m], s[l]) {
			m = l
		}
		if r < len(s) && closer(s[m], s[r]) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

// drainSorted empties the heap into dst, closest first.
func (h *farHeap) drainSorted(dst []cand) []cand {
	n := len(*h)
	dst = append(dst[:0], make([]cand, n)...)
	for i := n - 1; i >= 0; i-- {
		dst[i] = h.pop()
	}
	return dst
}

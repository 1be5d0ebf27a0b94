package bm25

// topK keeps the k best (key, document) pairs: higher key first, equal keys by ascending ID. The root
// of the heap is the worst entry kept, the threshold a new document must beat.
type topK struct {
	k   int
	ids []string // the store's IDs, for ties
	h   []entry
}

type entry struct {
	key float64
	doc uint32
}

func newTopK(k int, ids []string) *topK {
	return &topK{k: k, ids: ids, h: make([]entry, 0, min(k, 1024))}
}

// worse reports whether a ranks below b.
func (t *topK) worse(a, b entry) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	return t.ids[a.doc] > t.ids[b.doc]
}

func (t *topK) full() bool { return len(t.h) == t.k }

// threshold is the key to beat once the heap is full; below every real score before.
func (t *topK) threshold() float64 {
	if !t.full() {
		return -1
	}
	return t.h[0].key
}

// offer adds the pair if it ranks among the k best and reports whether it was kept.
func (t *topK) offer(key float64, doc uint32) bool {
	e := entry{key, doc}
	if !t.full() {
		t.h = append(t.h, e)
		t.up(len(t.h) - 1)
		return true
	}
	if !t.worse(t.h[0], e) {
		return false
	}
	t.h[0] = e
	t.down(0)
	return true
}

func (t *topK) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !t.worse(t.h[i], t.h[p]) {
			return
		}
		t.h[i], t.h[p] = t.h[p], t.h[i]
		i = p
	}
}

func (t *topK) down(i int) {
	n := len(t.h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		w := l
		if r := l + 1; r < n && t.worse(t.h[r], t.h[l]) {
			w = r
		}
		if !t.worse(t.h[w], t.h[i]) {
			return
		}
		t.h[i], t.h[w] = t.h[w], t.h[i]
		i = w
	}
}

// sorted empties the heap into a slice, best first.
func (t *topK) sorted() []entry {
	out := make([]entry, len(t.h))
	for i := len(t.h) - 1; i >= 0; i-- {
		out[i] = t.h[0]
		last := len(t.h) - 1
		t.h[0] = t.h[last]
		t.h = t.h[:last]
		t.down(0)
	}
	return out
}

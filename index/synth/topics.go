package synth

import (
	"cmp"
	"math"
	"slices"

	"github.com/kindred-search/kindred/index/paper"
)

// Bounds of the second pass's tables: each is pruned to half its bound, by count, when it reaches it.
const (
	maxBigrams         = 1 << 22
	categoryTableRatio = 4 // a category's table holds up to this many times Options.CategoryWords
)

// maxKeyTerms caps the distinctive words of a category that papers draw their key terms from.
const maxKeyTerms = 1000

// Category words are distinctive when they are not among the corpus's most common words and the
// category uses them at least minLift times as often as the rest of the corpus does, and at least minCategoryCount times; categories with fewer than minCategoryTokens words
// in all get no table of their own.
const (
	minLift           = 2.0
	minCategoryCount  = 2
	minCategoryTokens = 500
)

// topics is the second pass: per-category word counts and the bigram table, over the first pass's
// vocabulary.
type topics struct {
	m        *Model
	opts     Options
	catIndex map[string]int
	catWords []map[int32]int64 // per primary category: word -> count
	catTotal []int64
	bigrams  map[uint64]int64 // prev<<32 | next -> count, prev among the frequent words
	prevSeen []int64          // occurrences of each frequent word followed by a word
}

func newTopics(m *Model, o Options) *topics {
	t := &topics{m: m, opts: o, catIndex: map[string]int{}, bigrams: map[uint64]int64{}}
	for i, c := range m.primaries {
		t.catIndex[c] = i
	}
	t.catWords = make([]map[int32]int64, len(m.primaries))
	for i := range t.catWords {
		t.catWords[i] = map[int32]int64{}
	}
	t.catTotal = make([]int64, len(m.primaries))
	t.prevSeen = make([]int64, min(o.FrequentWords, len(m.words)))
	return t
}

func (t *topics) add(p paper.Paper) {
	ci := -1
	if len(p.Categories) > 0 {
		if i, ok := t.catIndex[p.Categories[0]]; ok {
			ci = i
		}
	}
	prev := int32(-1)
	tokens(p.Abstract, func(w string, comma, stop bool) {
		id, ok := t.m.index[w]
		if !ok {
			prev = -1
			return
		}
		if ci >= 0 {
			cw := t.catWords[ci]
			cw[id]++
			t.catTotal[ci]++
			if len(cw) >= categoryTableRatio*t.opts.CategoryWords {
				pruneIDs(cw, categoryTableRatio*t.opts.CategoryWords/2)
			}
		}
		if prev >= 0 && int(prev) < len(t.prevSeen) {
			t.prevSeen[prev]++
			t.bigrams[uint64(prev)<<32|uint64(id)]++
			if len(t.bigrams) >= maxBigrams {
				pruneIDs(t.bigrams, maxBigrams/2)
			}
		}
		prev = id
		if stop {
			prev = -1 // no bigram across sentences
		}
	})
}

// pruneIDs keeps the keep highest counts of m (ties by key, so the result does not depend on map order).
func pruneIDs[K int32 | uint64](m map[K]int64, keep int) {
	for _, e := range sortedIDs(m)[min(keep, len(m)):] {
		delete(m, e.k)
	}
}

type idCount[K int32 | uint64] struct {
	k K
	n int64
}

// sortedIDs lists m's entries, highest count first, ties by key.
func sortedIDs[K int32 | uint64](m map[K]int64) []idCount[K] {
	es := make([]idCount[K], 0, len(m))
	for k, n := range m {
		es = append(es, idCount[K]{k, n})
	}
	slices.SortFunc(es, func(a, b idCount[K]) int {
		if c := cmp.Compare(b.n, a.n); c != 0 {
			return c
		}
		return cmp.Compare(a.k, b.k)
	})
	return es
}

// finish turns the counts into the model's category and bigram tables, and drops what only learning
// needed.
func (t *topics) finish() {
	m := t.m
	total := float64(m.word.total())
	m.topic = make([]wordDist, len(m.primaries))
	m.keyTerms = make([]wordDist, len(m.primaries))
	type scored struct {
		id    int32
		n     int64
		score float64
	}
	for ci, cw := range t.catWords {
		if t.catTotal[ci] < minCategoryTokens {
			continue
		}
		es := sortedIDs(cw)
		es = es[:min(len(es), t.opts.CategoryWords)]
		var distinctive []scored
		for _, e := range es {
			// Against the rest of the corpus, so that a category holding half of it still has
			// distinctive words; a corpus of one category compares with itself.
			restN, restTotal := float64(m.word.count(int(e.k)))-float64(e.n), total-float64(t.catTotal[ci])
			if restTotal <= 0 {
				restN, restTotal = float64(m.word.count(int(e.k))), total
			}
			lift := (float64(e.n) / float64(t.catTotal[ci])) / (max(restN, 1) / restTotal)
			if e.n >= minCategoryCount && lift >= minLift && int(e.k) >= m.common() {
				distinctive = append(distinctive, scored{e.k, e.n, float64(e.n) * math.Log(lift)})
			}
		}
		m.topic[ci] = newWordDist(len(es), func(i int) (int32, int64) { return es[i].k, es[i].n })
		slices.SortStableFunc(distinctive, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
		distinctive = distinctive[:min(len(distinctive), maxKeyTerms)]
		m.keyTerms[ci] = newWordDist(len(distinctive), func(i int) (int32, int64) { return distinctive[i].id, distinctive[i].n })
	}

	byPrev := make([]map[int32]int64, len(t.prevSeen))
	for k, n := range t.bigrams {
		prev := k >> 32
		if byPrev[prev] == nil {
			byPrev[prev] = map[int32]int64{}
		}
		byPrev[prev][int32(uint32(k))] = n
	}
	t.bigrams = nil
	m.succ = make([]wordDist, len(byPrev))
	m.follow = make([]float32, len(byPrev))
	for prev, next := range byPrev {
		es := sortedIDs(next)
		es = es[:min(len(es), t.opts.Successors)]
		wd := newWordDist(len(es), func(i int) (int32, int64) { return es[i].k, es[i].n })
		kept := wd.total()
		m.succ[prev] = wd
		if t.prevSeen[prev] > 0 {
			m.follow[prev] = float32(float64(kept) / float64(t.prevSeen[prev]))
		}
	}
	m.index = nil
}

// newWordDist builds a wordDist from n (word, count) pairs.
func newWordDist(n int, at func(int) (int32, int64)) wordDist {
	wd := wordDist{ids: make([]int32, n)}
	ns := make([]int64, n)
	for i := range n {
		wd.ids[i], ns[i] = at(i)
	}
	wd.dist = newDist(ns)
	return wd
}

package bm25

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// wordDict maps the surface words of the text (lower-cased, unstemmed) to the terms they analyze to,
// so that "distill*" expands over "distillation", "distilled", "distilling" rather than over stems.
// It keeps the words sorted for prefix ranges: new words wait in a small unsorted tail that is merged
// in once it grows past pendingMax.
type wordDict struct {
	term    map[string]uint32 // word -> list number
	sorted  []string
	pending []string
}

const pendingMax = 4096

func newWordDict() wordDict { return wordDict{term: map[string]uint32{}} }

func (w *wordDict) add(word string, t uint32) {
	if _, ok := w.term[word]; ok {
		return
	}
	w.term[word] = t
	w.pending = append(w.pending, word)
	if len(w.pending) > pendingMax {
		w.merge()
	}
}

func (w *wordDict) merge() {
	if len(w.pending) > 0 {
		w.sorted, w.pending = w.all(), nil
	}
}

// all returns every word in order, without changing the dictionary.
func (w *wordDict) all() []string {
	if len(w.pending) == 0 {
		return w.sorted
	}
	p := slices.Clone(w.pending)
	slices.Sort(p)
	out := make([]string, 0, len(w.sorted)+len(p))
	i, j := 0, 0
	for i < len(w.sorted) || j < len(p) {
		if j == len(p) || (i < len(w.sorted) && w.sorted[i] < p[j]) {
			out = append(out, w.sorted[i])
			i++
		} else {
			out = append(out, p[j])
			j++
		}
	}
	return out
}

// remap renumbers the words' terms after a compaction (old list number -> new, or exhausted for a list
// that is gone, whose words are dropped).
func (w *wordDict) remap(idx []uint32) {
	w.merge()
	keep := w.sorted[:0]
	for _, word := range w.sorted {
		if n := idx[w.term[word]]; n != exhausted {
			w.term[word] = n
			keep = append(keep, word)
		} else {
			delete(w.term, word)
		}
	}
	w.sorted = keep
}

// Words is the number of distinct surface words.
func (s *Store) Words() int { return len(s.words.term) }

// TermOf returns the term a surface word analyzes to, if the word occurs in the text.
func (s *Store) TermOf(word string) (string, bool) {
	t, ok := s.words.term[word]
	if !ok {
		return "", false
	}
	return s.terms[t], true
}

// WordTerm is TermOf by number, for a word in bytes (looked up without a copy).
func (s *Store) WordTerm(word []byte) (TermID, bool) {
	t, ok := s.words.term[string(word)]
	return TermID(t), ok
}

// Expansion reports the terms a pattern expanded to and the work it took.
type Expansion struct {
	// Terms are the matching terms, those with the most live documents first, at most the limit.
	Terms []string
	// Words is how many surface words matched (before the limit and before folding words into terms).
	Words int
	// Scanned is how many dictionary words were looked at.
	Scanned int
	// Truncated is set when the scan stopped at its budget before the end of the dictionary.
	Truncated bool
}

// ExpandPrefix expands a prefix of surface words into the terms of the words it begins, at most limit.
func (s *Store) ExpandPrefix(prefix string, limit int) Expansion {
	return s.expand(prefix, func(w string) bool { return strings.HasPrefix(w, prefix) }, limit, 0)
}

// ExpandMatch expands the surface words match accepts among those beginning with prefix (which may be
// empty: then the whole dictionary is scanned, at most budget words; 0 means no budget).
func (s *Store) ExpandMatch(prefix string, match func(word string) bool, limit, budget int) Expansion {
	return s.expand(prefix, func(w string) bool { return strings.HasPrefix(w, prefix) && match(w) }, limit, budget)
}

// ExpandFuzzy expands word into the terms of surface words within maxEdits edits (Levenshtein:
// insertions, deletions and substitutions) that share its first letter, those with fewer edits first,
// then the most frequent. Keeping the first letter bounds the scan to one letter's words, the
// heuristic most spelling correctors use; typos in the first letter are rare.
func (s *Store) ExpandFuzzy(word string, maxEdits, limit int) Expansion {
	r, size := utf8.DecodeRuneInString(word)
	if size == 0 || r == utf8.RuneError {
		return Expansion{}
	}
	first := word[:size]
	target := []rune(word)
	var best []rankedTerm
	var e Expansion
	seen := map[uint32]int{}
	visit := func(w string) {
		e.Scanned++
		d := editDistance(target, w, maxEdits)
		if d > maxEdits {
			return
		}
		e.Words++
		t := s.words.term[w]
		if prev, ok := seen[t]; ok {
			if d < best[prev].edits {
				best[prev].edits = d
			}
			return
		}
		seen[t] = len(best)
		best = append(best, rankedTerm{t: t, edits: d, df: s.df(s.lists[t])})
	}
	lo, _ := slices.BinarySearch(s.words.sorted, first)
	for i := lo; i < len(s.words.sorted) && strings.HasPrefix(s.words.sorted[i], first); i++ {
		visit(s.words.sorted[i])
	}
	for _, w := range s.words.pending {
		if strings.HasPrefix(w, first) {
			visit(w)
		}
	}
	e.Terms = s.rank(best, limit)
	return e
}

type rankedTerm struct {
	t     uint32
	edits int
	df    int
}

// rank orders matched terms by edits, then live documents (most first), then term, and keeps limit.
func (s *Store) rank(ts []rankedTerm, limit int) []string {
	slices.SortFunc(ts, func(a, b rankedTerm) int {
		if c := cmp.Compare(a.edits, b.edits); c != 0 {
			return c
		}
		if c := cmp.Compare(b.df, a.df); c != 0 {
			return c
		}
		return cmp.Compare(s.terms[a.t], s.terms[b.t])
	})
	var out []string
	for _, t := range ts {
		if t.df == 0 {
			continue
		}
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, s.terms[t.t])
	}
	return out
}

func (s *Store) expand(prefix string, match func(string) bool, limit, budget int) Expansion {
	var e Expansion
	seen := map[uint32]bool{}
	var found []rankedTerm
	visit := func(w string) bool {
		if budget > 0 && e.Scanned >= budget {
			e.Truncated = true
			return false
		}
		e.Scanned++
		if !match(w) {
			return true
		}
		e.Words++
		if t := s.words.term[w]; !seen[t] {
			seen[t] = true
			found = append(found, rankedTerm{t: t, df: s.df(s.lists[t])})
		}
		return true
	}
	lo, _ := slices.BinarySearch(s.words.sorted, prefix)
	for i := lo; i < len(s.words.sorted) && strings.HasPrefix(s.words.sorted[i], prefix); i++ {
		if !visit(s.words.sorted[i]) {
			break
		}
	}
	for _, w := range s.words.pending {
		if !visit(w) {
			break
		}
	}
	e.Terms = s.rank(found, limit)
	return e
}

// editDistance is the edit distance between a and b (see below) when it is at most max, else max+1.
func editDistance(a []rune, bs string, maxd int) int {
	b := []rune(bs)
	if d := len(a) - len(b); d > maxd || -d > maxd {
		return maxd + 1
	}
	// Optimal string alignment: insertions, deletions, substitutions and transpositions of adjacent
	// letters each count one ("modles" is one edit from "models", as in Lucene's fuzzy queries).
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	prevMin := 0
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		// A later row builds on this one, or on the previous one through a transposition.
		if min(rowMin, prevMin+1) > maxd {
			return maxd + 1
		}
		prevMin = rowMin
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], maxd+1)
}

// Correct returns the surface word the index holds that is the likeliest intended spelling of word:
// within maxEdits edits and sharing its first letter, fewest edits first, then the most frequent; its
// term must be in at least minDF live documents. It returns "" when there is none.
func (s *Store) Correct(word string, maxEdits, minDF int) string {
	r, size := utf8.DecodeRuneInString(word)
	if size == 0 || r == utf8.RuneError {
		return ""
	}
	target := []rune(word)
	best, bestEdits, bestDF := "", maxEdits+1, 0
	try := func(w string) {
		if w == word {
			return
		}
		d := editDistance(target, w, maxEdits)
		if d > maxEdits || d > bestEdits {
			return
		}
		df := s.df(s.lists[s.words.term[w]])
		if df < minDF {
			return
		}
		if d < bestEdits || df > bestDF || (df == bestDF && w < best) {
			best, bestEdits, bestDF = w, d, df
		}
	}
	first := word[:size]
	lo, _ := slices.BinarySearch(s.words.sorted, first)
	for i := lo; i < len(s.words.sorted) && strings.HasPrefix(s.words.sorted[i], first); i++ {
		try(s.words.sorted[i])
	}
	for _, w := range s.words.pending {
		if strings.HasPrefix(w, first) {
			try(w)
		}
	}
	return best
}

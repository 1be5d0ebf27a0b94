package bm25

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// NoDate is Doc.Date for a document without a date; no date-bounded filter accepts it.
const NoDate = math.MinInt32

// Doc is one document as the store indexes it: already analyzed.
type Doc struct {
	ID string
	// Terms are the distinct analyzed terms of the text with their frequencies per field.
	Terms []TermFreq
	// TitleLen and AbstractLen are the analyzed lengths (tokens) of the fields.
	TitleLen, AbstractLen int
	// Words are the distinct surface words of the text with the term each analyzes to, for prefix,
	// wildcard and fuzzy matching against what people type rather than against stems.
	Words []Word
	// Keys are exact-match keys (Kindred's folded author names and name tokens): searchable as
	// constraints, never scored, and not part of the text.
	Keys []string
	// Date is a day number (days since 1970-01-01), or NoDate.
	Date int32
	// Categories are exact category names.
	Categories []string
}

// TermFreq is a term's frequency in each field.
type TermFreq struct {
	Term            string
	Title, Abstract int
}

// Word is a surface word and the term it analyzes to.
type Word struct{ Word, Term string }

// Store is an inverted index over documents with the statistics BM25 needs. See the package
// documentation for its layout. Methods that change the store must not run concurrently with anything
// else; read-only methods may run concurrently with each other.
type Store struct {
	params Params

	dict  map[string]uint32 // term -> list number
	lists []*list
	terms []string // list number -> term

	// Documents by number.
	ids    []string
	dl     []uint32 // virtual length: TitleWeight·title + abstract
	live   []uint64 // bitset
	date   []int32
	catOff []uint32 // categories of doc d: cats[catOff[d]:catOff[d+1]]
	cats   []uint16

	byID     map[string]uint32 // live documents only
	catID    map[string]uint16
	catNames []string

	nLive  int
	lenSum uint64 // over live documents
	// avgRef is the average length the block bounds were computed for.
	avgRef float64
	// epoch counts deletions; it invalidates the cached document frequencies.
	epoch uint32

	words wordDict
	fwd   forward
}

// NewStore returns an empty store; zero fields of p take their defaults.
func NewStore(p Params) *Store {
	return &Store{
		params: p.withDefaults(),
		dict:   map[string]uint32{},
		byID:   map[string]uint32{},
		catID:  map[string]uint16{},
		catOff: []uint32{0},
		words:  newWordDict(),
		fwd:    forward{off: []uint64{0}},
	}
}

// Params returns the store's parameters.
func (s *Store) Params() Params { return s.params }

// Len is the number of live documents.
func (s *Store) Len() int { return s.nLive }

// Docs is the number of document numbers assigned, tombstones included.
func (s *Store) Docs() int { return len(s.ids) }

// Dead is the number of tombstones.
func (s *Store) Dead() int { return len(s.ids) - s.nLive }

// AvgLen is the average virtual length of the live documents.
func (s *Store) AvgLen() float64 {
	if s.nLive == 0 {
		return 1
	}
	return float64(s.lenSum) / float64(s.nLive)
}

// Has reports whether a live document has the ID.
func (s *Store) Has(id string) bool { _, ok := s.byID[id]; return ok }

// DocNum returns the number of the live document with the ID.
func (s *Store) DocNum(id string) (uint32, bool) { d, ok := s.byID[id]; return d, ok }

// ID returns the ID of document number d.
func (s *Store) ID(d uint32) string { return s.ids[d] }

// Length returns the virtual length of the live document with the ID.
func (s *Store) Length(id string) (int, bool) {
	d, ok := s.byID[id]
	if !ok {
		return 0, false
	}
	return int(s.dl[d]), true
}

// Date returns the day number of document d (NoDate if it has none).
func (s *Store) Date(d uint32) int32 { return s.date[d] }

// CategoriesOf returns the categories of document d.
func (s *Store) CategoriesOf(d uint32) []string {
	out := make([]string, 0, s.catOff[d+1]-s.catOff[d])
	for _, c := range s.cats[s.catOff[d]:s.catOff[d+1]] {
		out = append(out, s.catNames[c])
	}
	return out
}

// Categories returns every category name the store has seen.
func (s *Store) Categories() []string { return append([]string(nil), s.catNames...) }

// Alive reports whether document d is live.
func (s *Store) Alive(d uint32) bool { return s.live[d>>6]&(1<<(d&63)) != 0 }

// Limits on one document, checked by Add.
const (
	maxDocs       = math.MaxUint32 - 1
	maxCategories = math.MaxUint16
)

// Add indexes d, replacing any live document with the same ID.
func (s *Store) Add(d Doc) error {
	if d.ID == "" {
		return fmt.Errorf("bm25: document without an ID")
	}
	if len(s.ids) >= maxDocs {
		return fmt.Errorf("bm25: store full (%d document numbers)", len(s.ids))
	}
	s.Delete(d.ID)
	num := uint32(len(s.ids))
	dl := uint32(s.params.TitleWeight*max(d.TitleLen, 0) + max(d.AbstractLen, 0))
	cats := make([]uint16, 0, len(d.Categories))
	for _, c := range d.Categories {
		id, ok := s.catID[c]
		if !ok {
			if len(s.catNames) >= maxCategories {
				return fmt.Errorf("bm25: more than %d categories", maxCategories)
			}
			id = uint16(len(s.catNames))
			s.catID[c] = id
			s.catNames = append(s.catNames, c)
		}
		cats = append(cats, id)
	}
	s.ids = append(s.ids, d.ID)
	s.dl = append(s.dl, dl)
	s.date = append(s.date, d.Date)
	s.cats = append(s.cats, cats...)
	s.catOff = append(s.catOff, uint32(len(s.cats)))
	if int(num>>6) >= len(s.live) {
		s.live = append(s.live, 0)
	}
	s.live[num>>6] |= 1 << (num & 63)
	s.byID[d.ID] = num
	s.nLive++
	s.lenSum += uint64(dl)
	if s.avgRef == 0 {
		s.avgRef = float64(dl)
		if s.avgRef == 0 {
			s.avgRef = 1
		}
	}
	ln := s.params.norm(s.avgRef)
	terms := distinctTerms(d.Terms)
	fwd := make([]DocTerm, 0, len(terms))
	for _, t := range terms {
		tf := packTF(t.Title, t.Abstract)
		l := s.listFor(t.Term, false)
		if l.key {
			continue // a text term cannot share a key's name
		}
		l.add(num, tf, roundUp(s.params.impact(s.params.virtualTF(tf, 0), dl, ln)))
		s.countAdded(l)
		ti, ab := unpackTF(tf)
		fwd = append(fwd, DocTerm{Term: TermID(s.dict[t.Term]), Title: ti, Abstract: ab})
	}
	slices.SortFunc(fwd, func(a, b DocTerm) int { return cmp.Compare(a.Term, b.Term) })
	s.fwd.append(fwd)
	seen := make(map[string]bool, len(d.Keys))
	for _, k := range d.Keys {
		if l := s.listFor(k, true); !seen[k] && l.key {
			seen[k] = true
			l.add(num, 0, 0)
			s.countAdded(l)
		}
	}
	for _, w := range d.Words {
		if t, ok := s.dict[w.Term]; ok && !s.lists[t].key {
			s.words.add(w.Word, t)
		}
	}
	s.reanchor()
	return nil
}

// distinctTerms merges repeated terms (summing their frequencies), keeping first-seen order.
func distinctTerms(ts []TermFreq) []TermFreq {
	pos := make(map[string]int, len(ts))
	out := make([]TermFreq, 0, len(ts))
	for _, t := range ts {
		if t.Term == "" {
			continue
		}
		if i, ok := pos[t.Term]; ok {
			out[i].Title += t.Title
			out[i].Abstract += t.Abstract
			continue
		}
		pos[t.Term] = len(out)
		out = append(out, t)
	}
	return out
}

func (s *Store) listFor(term string, key bool) *list {
	if t, ok := s.dict[term]; ok {
		return s.lists[t]
	}
	l := &list{key: key}
	s.dict[term] = uint32(len(s.lists))
	s.lists = append(s.lists, l)
	s.terms = append(s.terms, term)
	return l
}

// Delete tombstones the live document with the ID and reports whether there was one.
func (s *Store) Delete(id string) bool {
	d, ok := s.byID[id]
	if !ok {
		return false
	}
	delete(s.byID, id)
	s.live[d>>6] &^= 1 << (d & 63)
	s.nLive--
	s.lenSum -= uint64(s.dl[d])
	s.epoch++
	return true
}

// reanchor recomputes the block bounds when the average length has drifted by more than a quarter
// from the one they were computed for. Bounds stay valid in between (see bound).
func (s *Store) reanchor() {
	avg := s.AvgLen()
	if r := avg / s.avgRef; r > 0.8 && r < 1.25 {
		return
	}
	s.avgRef = avg
	ln := s.params.norm(avg)
	for _, l := range s.lists {
		if !l.key {
			l.bounds(s.params, s.dl, ln)
		}
	}
}

// drift is the factor by which an impact at the current average length can exceed the same impact at
// avgRef: max(1, avg/avgRef). With A = k1(1−b) and B = k1·b·dl, the denominator tf + A + B/avg is at
// least (avgRef/avg)·(tf + A + B/avgRef) when avg > avgRef, so the impact grows by at most avg/avgRef;
// when avg <= avgRef the denominator only grows.
func (s *Store) drift() float64 { return max(1, s.AvgLen()/s.avgRef) }

// DF is the number of live documents containing term (a text term or a key).
func (s *Store) DF(term string) int {
	t, ok := s.dict[term]
	if !ok {
		return 0
	}
	return s.df(s.lists[t])
}

// countAdded keeps l's cached document frequency true after a posting of a live document was
// appended to it.
func (s *Store) countAdded(l *list) {
	if c := l.df.Load(); c != 0 && uint32(c>>32) == s.epoch {
		l.df.Store(c + 1)
	}
}

// liveDF counts l's live postings without the cache.
func (s *Store) liveDF(l *list) int {
	n := 0
	for _, d := range l.docs {
		if s.Alive(d) {
			n++
		}
	}
	return n
}

// df is the live document frequency of l, cached until the next deletion (additions keep the cache
// true, see countAdded).
func (s *Store) df(l *list) int {
	if s.Dead() == 0 {
		return len(l.docs)
	}
	if c := l.df.Load(); uint32(c>>32) == s.epoch && c != 0 {
		return int(uint32(c)) - 1
	}
	n := s.liveDF(l)
	l.df.Store(uint64(s.epoch)<<32 | uint64(n+1))
	return n
}

// Compact drops tombstones, renumbering the documents in their order. Cost O(postings).
func (s *Store) Compact() {
	if s.Dead() == 0 {
		return
	}
	remap := make([]uint32, len(s.ids))
	var n uint32
	for d := range s.ids {
		if s.Alive(uint32(d)) {
			remap[d] = n
			n++
		} else {
			remap[d] = exhausted
		}
	}
	ids := make([]string, 0, n)
	dl := make([]uint32, 0, n)
	date := make([]int32, 0, n)
	catOff := make([]uint32, 1, n+1)
	var cats []uint16
	for d := range s.ids {
		if remap[d] == exhausted {
			continue
		}
		ids = append(ids, s.ids[d])
		dl = append(dl, s.dl[d])
		date = append(date, s.date[d])
		cats = append(cats, s.cats[s.catOff[d]:s.catOff[d+1]]...)
		catOff = append(catOff, uint32(len(cats)))
	}
	old := s.dl
	s.ids, s.dl, s.date, s.catOff, s.cats = ids, dl, date, catOff, cats
	s.live = make([]uint64, (n+63)/64)
	for d := range n {
		s.live[d>>6] |= 1 << (d & 63)
	}
	for i, id := range ids {
		s.byID[id] = uint32(i)
	}
	ln := s.params.norm(s.avgRef)
	var keep []*list
	var terms []string
	dict := make(map[string]uint32, len(s.dict))
	oldIdx := make([]uint32, len(s.lists)) // old list number -> new, or exhausted
	for t, l := range s.lists {
		nl := &list{key: l.key}
		for i, d := range l.docs {
			if nd := remap[d]; nd != exhausted {
				var imp float32
				if !l.key {
					imp = roundUp(s.params.impact(s.params.virtualTF(l.tf[i], 0), old[d], ln))
				}
				nl.add(nd, l.tf[i], imp)
			}
		}
		oldIdx[t] = exhausted
		if len(nl.docs) == 0 {
			continue
		}
		oldIdx[t] = uint32(len(keep))
		dict[s.terms[t]] = uint32(len(keep))
		keep = append(keep, nl)
		terms = append(terms, s.terms[t])
	}
	s.terms = terms
	s.dict, s.lists = dict, keep
	s.words.remap(oldIdx)
	s.epoch++
	s.buildForward()
}

// Union returns, in increasing order, the numbers of the live documents that contain any of the
// terms or keys (a term counting only where it occurs in field). Cost O(documents/64 + postings).
func (s *Store) Union(terms []string, field Field) []uint32 {
	set := make([]uint64, len(s.live))
	n := 0
	for _, term := range terms {
		t, ok := s.dict[term]
		if !ok {
			continue
		}
		l := s.lists[t]
		for i, d := range l.docs {
			if !l.key && field != FieldAny && s.params.virtualTF(l.tf[i], uint8(field)) == 0 {
				continue
			}
			if set[d>>6]&(1<<(d&63)) == 0 && s.Alive(d) {
				set[d>>6] |= 1 << (d & 63)
				n++
			}
		}
	}
	out := make([]uint32, 0, n)
	for w, b := range set {
		for b != 0 {
			i := bits.TrailingZeros64(b)
			out = append(out, uint32(w<<6+i))
			b &= b - 1
		}
	}
	return out
}

// EachCategory calls fn with the name of each of document d's categories.
func (s *Store) EachCategory(d uint32, fn func(name string)) {
	for _, c := range s.cats[s.catOff[d]:s.catOff[d+1]] {
		fn(s.catNames[c])
	}
}

// Each calls fn for every live document, in document order.
func (s *Store) Each(fn func(d uint32)) {
	for d := range uint32(len(s.ids)) {
		if s.Alive(d) {
			fn(d)
		}
	}
}

// Footprint estimates the store's memory in bytes: postings (6 bytes each), block tables (8 bytes a
// block), the term and word dictionaries (their strings and about 48 bytes of map and slice
// overhead an entry), the forward index and the document table. It walks the dictionaries: O(terms + words).
func (s *Store) Footprint() int64 {
	var n int64
	for t, l := range s.lists {
		n += int64(cap(l.docs))*4 + int64(cap(l.tf))*2 + int64(cap(l.blockLast))*4 + int64(cap(l.blockMax))*4
		n += 64 + 48 + int64(len(s.terms[t])) // list header, dictionary entry, the term
	}
	for w := range s.words.term {
		n += 48 + int64(len(w))
	}
	n += int64(len(s.words.sorted)+len(s.words.pending)) * 16
	for _, id := range s.ids {
		n += 16 + int64(len(id)) + 48 // the ID, its slot, the ID map's entry
	}
	n += int64(cap(s.fwd.data)) + int64(cap(s.fwd.off))*8
	n += int64(cap(s.dl))*4 + int64(cap(s.date))*4 + int64(cap(s.catOff))*4 + int64(cap(s.cats))*2 + int64(cap(s.live))*8
	return n
}

// TermStats are a term's statistics over the live documents.
type TermStats struct {
	// DF is the number of documents with the term; CF its occurrences in them (title and abstract);
	// TitleDF the documents with it in the title.
	DF, CF, TitleDF int
}

// cachedStats is a list's TermStats, valid while the store's epoch and the list's length are those.
type cachedStats struct {
	epoch uint32
	n     int
	st    TermStats
}

// Stats returns a term's statistics, cached until the term's list changes. Cost O(postings) when not
// cached.
func (s *Store) Stats(term string) TermStats {
	t, ok := s.dict[term]
	if !ok || s.lists[t].key {
		return TermStats{DF: s.DF(term)}
	}
	return s.stats(s.lists[t])
}

// stats is Stats for a text term's list.
func (s *Store) stats(l *list) TermStats {
	if c := l.stats.Load(); c != nil && c.epoch == s.epoch && c.n == len(l.docs) {
		return c.st
	}
	var st TermStats
	for i, d := range l.docs {
		if s.Alive(d) {
			ti, ab := unpackTF(l.tf[i])
			st.DF++
			st.CF += ti + ab
			if ti > 0 {
				st.TitleDF++
			}
		}
	}
	l.stats.Store(&cachedStats{epoch: s.epoch, n: len(l.docs), st: st})
	return st
}

// TF returns a term's frequencies in the title and the abstract of document d (0, 0 when it has none).
// Cost O(log postings).
func (s *Store) TF(term string, d uint32) (title, abstract int) {
	t, ok := s.dict[term]
	if !ok || s.lists[t].key {
		return 0, 0
	}
	l := s.lists[t]
	i, found := slices.BinarySearch(l.docs, d)
	if !found {
		return 0, 0
	}
	return unpackTF(l.tf[i])
}

// EachTerm calls fn with every scored term of the store (not keys) and its statistics, in no order.
func (s *Store) EachTerm(fn func(term string, st TermStats)) {
	for i, term := range s.terms {
		if s.lists[i].key {
			continue
		}
		fn(term, s.Stats(term))
	}
}

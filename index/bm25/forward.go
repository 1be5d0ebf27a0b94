package bm25

import (
	"encoding/binary"
	"slices"
)

// TermID is a text term's number in the store (its list number). It stays valid until the next
// Compact, which renumbers the terms.
type TermID uint32

// DocTerm is one text term of a document with its frequencies in the title and the abstract (each
// capped at 255, as the postings hold them).
type DocTerm struct {
	Term            TermID
	Title, Abstract int
}

// forward is the store's forward index: each document's text terms, in increasing TermID order,
// with their packed frequencies. A document's entries are varints, the TermID as the gap from the
// previous one (the first from 0) and then the packed frequency: about 3 bytes a posting, half of
// what the postings take. It is derived from the postings (ReadStore and Compact rebuild it; the
// binary form does not hold it) and answers "which terms does this document have" without a
// search of every list: related papers select a paper's terms from it instead of analyzing its
// text again.
type forward struct {
	data []byte
	off  []uint64 // document d's entries are data[off[d]:off[d+1]]; len(off) = documents + 1
}

// append adds the entries of the next document; ts must be in increasing TermID order.
func (f *forward) append(ts []DocTerm) {
	if len(f.off) == 0 {
		f.off = append(f.off, 0)
	}
	prev := TermID(0)
	for _, t := range ts {
		f.data = binary.AppendUvarint(f.data, uint64(t.Term-prev))
		f.data = binary.AppendUvarint(f.data, uint64(packTF(t.Title, t.Abstract)))
		prev = t.Term
	}
	f.off = append(f.off, uint64(len(f.data)))
}

// DocTerms appends to dst the text terms of document d, in increasing TermID order, and returns it.
// It returns dst unchanged for a document number the store never assigned. Cost O(terms of d).
func (s *Store) DocTerms(d uint32, dst []DocTerm) []DocTerm {
	f := &s.fwd
	if int(d)+1 >= len(f.off) {
		return dst
	}
	b := f.data[f.off[d]:f.off[d+1]]
	prev := uint64(0)
	for len(b) > 0 {
		gap, n := binary.Uvarint(b)
		tf, m := binary.Uvarint(b[n:])
		b = b[n+m:]
		prev += gap
		ti, ab := unpackTF(uint16(tf))
		dst = append(dst, DocTerm{Term: TermID(prev), Title: ti, Abstract: ab})
	}
	return dst
}

// TermID returns the number of a text term (not a key).
func (s *Store) TermID(term string) (TermID, bool) {
	t, ok := s.dict[term]
	if !ok || s.lists[t].key {
		return 0, false
	}
	return TermID(t), true
}

// Term returns the text term with the number.
func (s *Store) Term(t TermID) string { return s.terms[t] }

// DFOf is DF for a term by its number.
func (s *Store) DFOf(t TermID) int { return s.df(s.lists[t]) }

// StatsOf is Stats for a term by its number.
func (s *Store) StatsOf(t TermID) TermStats { return s.stats(s.lists[t]) }

// HasKey reports whether document d holds the exact-match key. Cost O(log postings of the key).
func (s *Store) HasKey(key string, d uint32) bool {
	t, ok := s.dict[key]
	if !ok || !s.lists[t].key {
		return false
	}
	_, found := slices.BinarySearch(s.lists[t].docs, d)
	return found
}

// buildForward makes the forward index from the postings, in two passes over them: the size of
// each document's entries, then the entries, written in list order, which is TermID order. Cost
// O(postings).
func (s *Store) buildForward() {
	n := len(s.ids)
	size := make([]uint64, n+1)
	last := make([]uint32, n) // the previous TermID written for each document
	for t, l := range s.lists {
		if l.key {
			continue
		}
		for i, d := range l.docs {
			size[d+1] += uint64(uvarintLen(uint64(uint32(t)-last[d])) + uvarintLen(uint64(l.tf[i])))
			last[d] = uint32(t)
		}
	}
	for d := range n {
		size[d+1] += size[d]
	}
	data := make([]byte, size[n])
	at := slices.Clone(size[:n]) // where each document's next entry goes
	clear(last)
	for t, l := range s.lists {
		if l.key {
			continue
		}
		for i, d := range l.docs {
			k := at[d]
			k += uint64(binary.PutUvarint(data[k:], uint64(uint32(t)-last[d])))
			k += uint64(binary.PutUvarint(data[k:], uint64(l.tf[i])))
			at[d], last[d] = k, uint32(t)
		}
	}
	s.fwd = forward{data: data, off: size}
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

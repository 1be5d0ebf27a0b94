package bm25

import (
	"cmp"
	"encoding/binary"
	"slices"
)

// ScoreDocs returns the BM25 score of q's scored clauses in each of the documents (by number), as
// Search would give it, ignoring q's requirements and filter: 0 for a document that has none of the
// terms. It lets a fusion score candidates another ranker found. Cost O(len(docs) · clauses ·
// log(postings)).
func (s *Store) ScoreDocs(q Query, docs []uint32) ([]float64, error) {
	out := make([]float64, len(docs))
	if s.nLive == 0 || len(docs) == 0 {
		return out, nil
	}
	p, err := s.prepare(Query{Clauses: q.Clauses})
	if err != nil {
		return nil, err
	}
	ts := append(p.scored, p.required...)
	slices.SortFunc(ts, func(a, b *term) int { return a.idx - b.idx }) // clause order, as Search sums
	if forwardScoring(len(ts)) {
		s.scoreForward(ts, docs, p.ln, out)
		return out, nil
	}
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	// Probe in increasing document order so each cursor only moves forward.
	slices.SortFunc(order, func(a, b int) int { return int(docs[a]) - int(docs[b]) })
	for _, i := range order {
		d := docs[i]
		if int(d) >= len(s.ids) || !s.Alive(d) {
			continue
		}
		var sc float64
		for _, t := range ts {
			if t.idx < 0 {
				continue
			}
			t.c.advance(d)
			if t.c.doc() == d {
				sc += s.contribution(t, d, p.ln)
			}
		}
		out[i] = sc
	}
	return out, nil
}

// forwardScoring reports whether ScoreDocs reads each document's terms from the forward index
// instead of probing each term's postings for each document: for queries of many terms (a "more
// like this" query), where a document's few dozen terms cost less than a probe of every list.
var forwardScoring = func(terms int) bool { return terms >= forwardMinTerms }

// forwardMinTerms is where reading the forward index gets cheaper than probing the postings (see
// BenchmarkScoreDocs).
const forwardMinTerms = 20

// scoreForward is ScoreDocs' loop over the forward index: each document's terms are matched with
// the query's (both in TermID order) and the contributions summed in clause order, as the probing
// loop sums them, so the scores are the same bits.
func (s *Store) scoreForward(ts []*term, docs []uint32, ln lengthNorm, out []float64) {
	// The scored terms in TermID order, each with its position in ts (clause order).
	type scoredTerm struct {
		id TermID
		k  int
	}
	byID := make([]scoredTerm, 0, len(ts))
	for k, t := range ts {
		if t.idx >= 0 && !t.key {
			byID = append(byID, scoredTerm{t.id, k})
		}
	}
	slices.SortFunc(byID, func(a, b scoredTerm) int { return cmp.Compare(a.id, b.id) })
	contrib := make([]float64, len(ts))
	f := &s.fwd
	for i, d := range docs {
		if int(d) >= len(s.ids) || !s.Alive(d) {
			continue
		}
		b := f.data[f.off[d]:f.off[d+1]]
		id := TermID(0)
		j := 0 // the next of byID to match
		for p := 0; p < len(b) && j < len(byID); {
			var gap, packed uint64
			gap, p = uvarintAt(b, p)
			packed, p = uvarintAt(b, p)
			id += TermID(gap)
			for j < len(byID) && byID[j].id < id {
				j++
			}
			for k := j; k < len(byID) && byID[k].id == id; k++ {
				contrib[byID[k].k] = s.contributionTF(ts[byID[k].k], uint16(packed), d, ln)
			}
		}
		var sc float64
		for k, t := range ts {
			if t.idx < 0 {
				continue
			}
			sc += contrib[k]
			contrib[k] = 0
		}
		out[i] = sc
	}
}

// uvarintAt decodes the unsigned varint at b[p:], which must be one, and returns it and where the
// next begins: the one-byte case (most gaps and frequencies) inline.
func uvarintAt(b []byte, p int) (uint64, int) {
	if c := b[p]; c < 0x80 {
		return uint64(c), p + 1
	}
	x, n := binary.Uvarint(b[p:])
	return x, p + n
}

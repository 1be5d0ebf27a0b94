package bm25

import "slices"

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

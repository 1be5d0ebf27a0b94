package index

import (
	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/bm25"
)

// complete gives every candidate of either list its score on the other side too: the BM25 score of
// the keyword query for papers only the vector side found, the cosine similarity for papers only the
// keyword side found. A paper missing from one side's top list is not a paper with no evidence there;
// scoring it exactly keeps fusion from treating "not in the top 100" as "0". Both lists come back
// best first. Called with mu held for reading.
func (ix *Index) complete(kq bm25.Query, qv embed.Vector, kw, vc []Candidate) ([]Candidate, []Candidate, error) {
	inKW := make(map[string]bool, len(kw))
	for _, c := range kw {
		inKW[c.ID] = true
	}
	inVC := make(map[string]bool, len(vc))
	for _, c := range vc {
		inVC[c.ID] = true
	}
	var docs []uint32
	var ids []string
	for _, c := range vc {
		if !inKW[c.ID] {
			if d, ok := ix.kw.DocNum(c.ID); ok {
				docs = append(docs, d)
				ids = append(ids, c.ID)
			}
		}
	}
	scores, err := ix.kw.ScoreDocs(kq, docs)
	if err != nil {
		return nil, nil, err
	}
	kw = append(kw[:len(kw):len(kw)], make([]Candidate, 0, len(ids))...)
	for i, id := range ids {
		kw = append(kw, Candidate{ID: id, Score: scores[i]})
	}
	if qv.Len() > 0 {
		vc = vc[:len(vc):len(vc)]
		for _, c := range kw {
			if inVC[c.ID] {
				continue
			}
			if v, ok := ix.vec.Get(c.ID); ok {
				vc = append(vc, Candidate{ID: c.ID, Score: float64(embed.Dot(qv, v))})
			}
		}
	}
	sortCandidates(kw)
	sortCandidates(vc)
	return kw, vc, nil
}

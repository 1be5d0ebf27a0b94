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
	kwMore, err := ix.keywordScores(kq, vc)
	if err != nil {
		return nil, nil, err
	}
	vcMore := ix.vectorScores(qv, kw)
	return merged(kw, kwMore), merged(vc, vcMore), nil
}

// keywordScores is the BM25 score of kq in each candidate that has a keyword document: complete's
// keyword half.
func (ix *Index) keywordScores(kq bm25.Query, cands []Candidate) ([]Candidate, error) {
	docs := make([]uint32, 0, len(cands))
	ids := make([]string, 0, len(cands))
	for _, c := range cands {
		if d, ok := ix.kw.DocNum(c.ID); ok {
			docs = append(docs, d)
			ids = append(ids, c.ID)
		}
	}
	scores, err := ix.kw.ScoreDocs(kq, docs)
	if err != nil {
		return nil, err
	}
	out := make([]Candidate, len(ids))
	for i, id := range ids {
		out[i] = Candidate{ID: id, Score: scores[i]}
	}
	return out, nil
}

// vectorScores is the similarity of qv to each candidate that has a vector (none when qv is empty):
// complete's vector half.
func (ix *Index) vectorScores(qv embed.Vector, cands []Candidate) []Candidate {
	if qv.Len() == 0 {
		return nil
	}
	out := make([]Candidate, 0, len(cands))
	if g, ok := ix.vec.(similarities); ok {
		ids := make([]string, len(cands))
		for i, c := range cands {
			ids[i] = c.ID
		}
		g.Similarities(qv, ids, func(i int, sim float32) {
			out = append(out, Candidate{ID: ids[i], Score: float64(sim)})
		})
		return out
	}
	for _, c := range cands {
		if v, ok := ix.vec.Get(c.ID); ok {
			out = append(out, Candidate{ID: c.ID, Score: float64(embed.Dot(qv, v))})
		}
	}
	return out
}

// similarities is a vector index that scores given keys against a query without copying their
// vectors out (the HNSW graph).
type similarities interface {
	Similarities(q embed.Vector, keys []string, fn func(i int, sim float32))
}

// merged is list with the candidates of more it does not hold, best first.
func merged(list, more []Candidate) []Candidate {
	in := make(map[string]bool, len(list))
	for _, c := range list {
		in[c.ID] = true
	}
	out := list[:len(list):len(list)]
	for _, c := range more {
		if !in[c.ID] {
			out = append(out, c)
		}
	}
	sortCandidates(out)
	return out
}

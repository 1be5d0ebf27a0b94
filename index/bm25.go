package index

import (
	"cmp"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Keyword scoring. Bleve finds and filters the matches (the whole query syntax); for plain queries
// (words and phrases, +must, -must-not, no boosts, wildcards or fuzziness) Kindred then re-scores the
// top candidates with standard Okapi BM25 over the same virtual document the vectors are built from
// (title twice, then the abstract: a title match counts double). Bleve's own BM25 derives its average
// field length from distinct-term counts per segment, which makes its length normalisation much harsher
// than standard BM25; on SciFact that cost about 0.09 nDCG@10 (see README, "How ranking works").
//
// k1 = 0.9 and b = 0.4 are Anserini's defaults and the best pair on the SciFact training split for the
// fused ranking (a grid over k1 0.7..1.5, b 0.3..0.9; README, "How ranking works").
const (
	bm25K1 = 0.9
	bm25B  = 0.4
	// rescoreDepth is how many of Bleve's candidates are re-scored.
	rescoreDepth = 300
)

// plainQuery reports whether q is built only from match and phrase leaves without boosts or fuzziness
// (what BM25 re-scoring understands), in a boolean structure.
func plainQuery(q query.Query) bool {
	switch q := q.(type) {
	case nil:
		return true
	case *query.BooleanQuery:
		return (q.BoostVal == nil || *q.BoostVal == 1) && plainQuery(q.Must) && plainQuery(q.Should) && plainQuery(q.MustNot)
	case *query.ConjunctionQuery:
		for _, c := range q.Conjuncts {
			if !plainQuery(c) {
				return false
			}
		}
		return q.BoostVal == nil || *q.BoostVal == 1
	case *query.DisjunctionQuery:
		for _, c := range q.Disjuncts {
			if !plainQuery(c) {
				return false
			}
		}
		return q.BoostVal == nil || *q.BoostVal == 1
	case *query.MatchQuery:
		return q.FieldVal == "" && q.Fuzziness == 0 && q.Prefix == 0 && (q.BoostVal == nil || *q.BoostVal == 1)
	case *query.MatchPhraseQuery:
		return q.FieldVal == "" && q.Fuzziness == 0 && (q.BoostVal == nil || *q.BoostVal == 1)
	}
	return false
}

// bm25IDF is BM25's idf of a term in df of n documents.
func bm25IDF(n, df float64) float64 { return math.Log(1 + (n-df+0.5)/(df+0.5)) }

// bm25 scores Bleve hits (fetched with locations) by Okapi BM25 for the analyzed query terms, and
// sorts them best first. Term frequencies come from the hit's locations in the title (counted twice)
// and the abstract; document lengths and document frequencies from the engine's own statistics.
// Called with ix.mu held for reading.
func (ix *Index) bm25(hits search.DocumentMatchCollection, terms []string) []Candidate {
	// Distinct terms in a fixed order, so that scores sum the same way every time.
	qtf := map[string]int{}
	for _, t := range terms {
		qtf[t]++
	}
	distinct := make([]string, 0, len(qtf))
	for t := range qtf {
		distinct = append(distinct, t)
	}
	slices.Sort(distinct)
	n := float64(ix.stats.Docs())
	avgdl := 1.0
	if len(ix.lens) > 0 {
		avgdl = float64(ix.lenSum) / float64(len(ix.lens))
	}
	idf := make([]float64, len(distinct))
	for i, t := range distinct {
		h, _ := ix.emb.Hash(t)
		idf[i] = bm25IDF(n, float64(ix.stats.DF(h)))
	}
	out := make([]Candidate, len(hits))
	for i, h := range hits {
		dl := float64(ix.lens[h.ID])
		if dl == 0 {
			dl = avgdl
		}
		norm := bm25K1 * (1 - bm25B + bm25B*dl/avgdl)
		var s float64
		for j, t := range distinct {
			tf := 2*float64(len(h.Locations[fieldTitle][t])) + float64(len(h.Locations[fieldAbstract][t]))
			if tf > 0 {
				s += float64(qtf[t]) * idf[j] * tf * (bm25K1 + 1) / (tf + norm)
			}
		}
		out[i] = Candidate{ID: h.ID, Score: s}
	}
	sortCandidates(out)
	return out
}

// sortCandidates orders candidates best first, equal scores by ID.
func sortCandidates(c []Candidate) {
	slices.SortFunc(c, func(a, b Candidate) int {
		if d := cmp.Compare(b.Score, a.Score); d != 0 {
			return d
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

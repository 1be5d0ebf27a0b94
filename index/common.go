package index

import (
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/search/query"
)

// Common words. A short query such as "diffusion models for image editing" spends most of its
// keyword time in Bleve scoring every paper that says "model" or "image": a third of the corpus each,
// over two fields. Kindred splits such a query the way MaxScore does (Turtle & Flood 1995): words
// whose document frequency is above commonShare are non-essential. The first search requires at least
// one essential word and only scores the common ones on the papers it finds (Bleve advances their
// postings to those papers instead of walking them).
//
// A paper that contains no essential word scores at most the sum of the common words' BM25 upper
// bounds (idf x (k1+1) each). Once the first search's best hits are re-scored, if the n-th of them
// scores above that bound, no paper left out could enter the top n and the search is done. Otherwise a
// second search finds the papers with common words only, apart, and both sets of re-scored hits are
// merged. Between them the two searches cost about what the whole query does, and they hand BM25 a
// better pool: Bleve's best hits in each part rather than its best hits overall, which its harsher
// length normalisation fills with short papers that say only the common words.
//
// Only short queries are split (at most maxSplitTerms distinct terms: what people type). A title or a
// pasted sentence has enough common words that the bound seldom holds, and then the two searches cost
// more than the whole query: on the 75k arXiv file, full titles went from 19 to 26 ms p50 in hybrid
// mode when split.
const (
	commonShare   = 0.05
	maxSplitTerms = 4
)

// commonCounts count keyword searches split into essential and common words: served from the
// essential words alone, or completed by the search for common words only.
type commonCounts struct {
	served, completed atomic.Int64
}

// commonSplit is a plain query divided into essential and common words.
type commonSplit struct {
	// essential requires an essential word and scores the common ones; rest finds the papers with
	// common words only. Both keep the query's must-not clause; the caller adds the filter.
	essential, rest query.Query
	// bound is the highest BM25 score a paper matching only common words can reach.
	bound float64
}

// splitCommon splits q, as parseQuery rewrote it, when q is a disjunction of plain words (each a
// title|abstract disjunction of one match query) with at least one common and one essential word.
// terms are the query's analyzed terms, repeats included (BM25's query term frequency); none means
// the query is not plain (see plainQuery) and is not split. Called with ix.mu held for reading.
func (ix *Index) splitCommon(q query.Query, terms []string) (commonSplit, bool) {
	if ix.noSplit || len(terms) == 0 {
		return commonSplit{}, false
	}
	b, ok := q.(*query.BooleanQuery)
	if !ok || b.Must != nil || b.Filter != nil || (b.BoostVal != nil && *b.BoostVal != 1) {
		return commonSplit{}, false
	}
	should, ok := b.Should.(*query.DisjunctionQuery)
	if !ok || should.Min > 1 {
		return commonSplit{}, false
	}
	n := float64(ix.stats.Docs())
	if n == 0 {
		return commonSplit{}, false
	}
	qtf := map[string]int{}
	for _, t := range terms {
		qtf[t]++
	}
	if len(qtf) > maxSplitTerms {
		return commonSplit{}, false
	}
	var essential, common []query.Query
	commonTerms := map[string]bool{}
	for _, d := range should.Disjuncts {
		text, ok := plainWord(d)
		if !ok {
			return commonSplit{}, false
		}
		ts := ix.emb.Terms(text)
		if len(ts) == 0 {
			continue // a stop word matches nothing
		}
		isCommon := true
		for _, t := range ts {
			h, _ := ix.emb.Hash(t)
			if float64(ix.stats.DF(h)) <= commonShare*n {
				isCommon = false
				break
			}
		}
		if !isCommon {
			essential = append(essential, d)
			continue
		}
		common = append(common, d)
		for _, t := range ts {
			commonTerms[t] = true
		}
	}
	if len(essential) == 0 || len(common) == 0 {
		return commonSplit{}, false
	}
	var bound float64
	for t := range commonTerms {
		h, _ := ix.emb.Hash(t)
		bound += float64(max(qtf[t], 1)) * bm25IDF(n, float64(ix.stats.DF(h))) * (bm25K1 + 1)
	}
	ess := query.NewBooleanQuery([]query.Query{query.NewDisjunctionQuery(essential)}, common, nil)
	ess.MustNot = b.MustNot
	not := essential
	if b.MustNot != nil {
		not = append(not[:len(not):len(not)], b.MustNot)
	}
	rest := query.NewBooleanQuery(nil, common, []query.Query{query.NewDisjunctionQuery(not)})
	return commonSplit{essential: ess, rest: rest, bound: bound}, true
}

// plainWord returns the text of a query word as rewriteFields leaves it: a disjunction of the same
// unboosted-but-for-the-title match query over the title and the abstract.
func plainWord(q query.Query) (string, bool) {
	d, ok := q.(*query.DisjunctionQuery)
	if !ok || len(d.Disjuncts) != 2 || d.Min > 1 {
		return "", false
	}
	var text string
	for i, c := range d.Disjuncts {
		m, ok := c.(*query.MatchQuery)
		if !ok || m.Fuzziness != 0 || m.Prefix != 0 || m.Operator != query.MatchQueryOperatorOr {
			return "", false
		}
		if want := []string{fieldTitle, fieldAbstract}[i]; m.FieldVal != want {
			return "", false
		}
		if i == 0 {
			text = m.Match
		} else if m.Match != text {
			return "", false
		}
	}
	return text, true
}

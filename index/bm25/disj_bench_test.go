package bm25

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

// benchQueries returns n "more like this" queries (the 25 heaviest terms of a document, weighted by
// idf x saturated tf, as related papers send them) and n short queries (2-4 terms of the first
// thousand of the vocabulary) over c.
func benchQueries(c *corpus, n int) (mlt, short []Query) {
	r := rand.New(rand.NewPCG(7, 8))
	ids := make([]string, 0, len(c.docs))
	for id := range c.docs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	N := float64(c.s.Len())
	for range n {
		d := c.docs[ids[r.IntN(len(ids))]]
		type wt struct {
			t string
			w float64
		}
		var ws []wt
		for _, tf := range d.Terms {
			f := float64(3*tf.Title + tf.Abstract)
			ws = append(ws, wt{tf.Term, IDF(N, float64(c.s.DF(tf.Term))) * f * 1.9 / (f + 0.9)})
		}
		slices.SortFunc(ws, func(a, b wt) int { return cmp.Compare(b.w, a.w) })
		q := Query{}
		for _, w := range ws[:min(25, len(ws))] {
			q.Clauses = append(q.Clauses, Clause{Term: w.t, Weight: w.w})
		}
		mlt = append(mlt, q)
		q = Query{}
		for range 2 + r.IntN(3) {
			q.Clauses = append(q.Clauses, Clause{Term: vocabTerm(2 + r.IntN(1000)), Weight: 1})
		}
		short = append(short, q)
	}
	return mlt, short
}

// BenchmarkDisjunction ranks "more like this" and short queries for their top 30 and top 10 over
// 75,000 synthetic documents. Adding the non-essential terms term at a time over the candidates
// (the current code) instead of probing them document at a time: 367 against 403 µs a "more like
// this" query, short queries alike (about 115 µs), medians of three runs in one sitting.
func BenchmarkDisjunction(b *testing.B) {
	c := newCorpus(b, 5, 75_000, 20_000, false)
	mlt, short := benchQueries(c, 200)
	for _, tc := range []struct {
		name string
		qs   []Query
		k    int
	}{{"mlt/top30", mlt, 30}, {"short/top10", short, 10}} {
		b.Run(tc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, _, err := c.s.Search(context.Background(), tc.qs[i%len(tc.qs)], tc.k); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

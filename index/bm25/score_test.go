package bm25

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestScoreDocsForward: ScoreDocs gives the same scores, to the bit, reading the forward index as
// probing the postings, over random queries (fields, weights, required clauses, "more like this"
// lengths) and random documents, tombstones and unknown numbers included; and each agrees with
// Search's scores for the documents Search returns.
func TestScoreDocsForward(t *testing.T) {
	const vocab = 500
	c := newCorpus(t, 5, 3000, vocab, true)
	r := rand.New(rand.NewPCG(5, 5))
	defer func(f func(int) bool) { forwardScoring = f }(forwardScoring)
	scores := func(forward bool, q Query, docs []uint32) []float64 {
		forwardScoring = func(int) bool { return forward }
		out, err := c.s.ScoreDocs(q, docs)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	bits := func(fs []float64) []uint64 {
		out := make([]uint64, len(fs))
		for i, f := range fs {
			out[i] = math.Float64bits(f)
		}
		return out
	}
	for i := range 300 {
		q, desc := randomQuery(r, c, vocab)
		q.Exclude, q.Keys, q.ExcludeKeys, q.Sets, q.ExcludeSets = nil, nil, nil, nil, nil
		docs := make([]uint32, 1+r.IntN(80))
		for j := range docs {
			docs[j] = uint32(r.IntN(c.s.Docs() + 3)) // tombstones and numbers never assigned too
		}
		probed, read := scores(false, q, docs), scores(true, q, docs)
		if diff := cmp.Diff(bits(probed), bits(read)); diff != "" {
			t.Fatalf("query %d (%s): forward scores differ from probed ones (-probed +forward):\n%s", i, desc, diff)
		}
		hits, _, err := c.s.Search(t.Context(), Query{Clauses: q.Clauses}, 10)
		if err != nil {
			t.Fatal(err)
		}
		hd := make([]uint32, len(hits))
		for j, h := range hits {
			hd[j] = h.Doc
		}
		for j, sc := range scores(true, q, hd) {
			if sc != hits[j].Score {
				t.Fatalf("query %d (%s): document %d scores %v reading the forward index, %v in Search", i, desc, hd[j], sc, hits[j].Score)
			}
		}
	}
}

// BenchmarkScoreDocs scores 30 random documents (a related-papers window) for queries of 2 to 40
// terms, probing the postings and reading the forward index: where forwardMinTerms comes from.
func BenchmarkScoreDocs(b *testing.B) {
	const vocab = 5000
	c := newCorpus(b, 7, 20000, vocab, false)
	r := rand.New(rand.NewPCG(7, 7))
	defer func(f func(int) bool) { forwardScoring = f }(forwardScoring)
	for _, nt := range []int{2, 4, 8, 16, 25, 40} {
		var qs []Query
		var ds [][]uint32
		for range 50 {
			var q Query
			for range nt {
				q.Clauses = append(q.Clauses, Clause{Term: vocabTerm(r.IntN(vocab / 4)), Weight: 1})
			}
			docs := make([]uint32, 30)
			for j := range docs {
				docs[j] = uint32(r.IntN(c.s.Docs()))
			}
			qs, ds = append(qs, q), append(ds, docs)
		}
		for _, forward := range []bool{false, true} {
			name := map[bool]string{false: "probe", true: "forward"}[forward]
			b.Run(fmt.Sprintf("terms=%d/%s", nt, name), func(b *testing.B) {
				forwardScoring = func(int) bool { return forward }
				i := 0
				for b.Loop() {
					if _, err := c.s.ScoreDocs(qs[i%len(qs)], ds[i%len(ds)]); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}

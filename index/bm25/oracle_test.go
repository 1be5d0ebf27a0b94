package bm25

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// corpus is a synthetic collection with a Zipf vocabulary, kept beside the store so an exhaustive
// scorer can check it.
type corpus struct {
	s    *Store
	docs map[string]Doc // live documents by ID
	dfs  map[string]int // document frequencies of the live documents, computed on first use
}

func vocabTerm(i int) string { return fmt.Sprintf("t%04d", i) }

func randomDoc(r *rand.Rand, id string, vocab int) Doc {
	z := rand.NewZipf(r, 1.1, 2, uint64(vocab-1))
	d := Doc{ID: id, Date: int32(19000 + r.IntN(1000))}
	if r.IntN(20) == 0 {
		d.Date = NoDate
	}
	tfs := map[string]*TermFreq{}
	get := func(t string) *TermFreq {
		if tf, ok := tfs[t]; ok {
			return tf
		}
		tf := &TermFreq{Term: t}
		tfs[t] = tf
		return tf
	}
	d.TitleLen = 3 + r.IntN(10)
	for range d.TitleLen {
		get(vocabTerm(int(z.Uint64()))).Title++
	}
	d.AbstractLen = 20 + r.IntN(200)
	for range d.AbstractLen {
		get(vocabTerm(int(z.Uint64()))).Abstract++
	}
	for _, tf := range tfs {
		d.Terms = append(d.Terms, *tf)
	}
	slices.SortFunc(d.Terms, func(a, b TermFreq) int { return cmp.Compare(a.Term, b.Term) })
	for i := range 1 + r.IntN(3) {
		d.Keys = append(d.Keys, fmt.Sprintf("author%d", (r.IntN(200)+i)%200))
	}
	cats := []string{"cs.CL", "cs.CV", "cs.LG", "stat.ML", "q-bio"}
	d.Categories = append(d.Categories, cats[r.IntN(len(cats))])
	if r.IntN(3) == 0 {
		d.Categories = append(d.Categories, cats[r.IntN(len(cats))])
	}
	return d
}

func newCorpus(t testing.TB, seed uint64, n, vocab int, churn bool) *corpus {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	c := &corpus{s: NewStore(DefaultParams()), docs: map[string]Doc{}}
	add := func(d Doc) {
		if err := c.s.Add(d); err != nil {
			t.Fatal(err)
		}
		c.docs[d.ID] = d
	}
	for i := range n {
		add(randomDoc(r, fmt.Sprintf("d%06d", i), vocab))
	}
	if churn {
		// Replace and delete some, so the lists hold tombstones and the average length moves.
		for i := range n / 10 {
			id := fmt.Sprintf("d%06d", r.IntN(n))
			if i%2 == 0 {
				add(randomDoc(r, id, vocab))
			} else if c.s.Delete(id) {
				delete(c.docs, id)
			}
		}
	}
	return c
}

// tfIn is d's frequency of term in field, as the virtual document counts it.
func tfIn(p Params, d Doc, term string, f Field) float64 {
	i, ok := slices.BinarySearchFunc(d.Terms, term, func(tf TermFreq, t string) int { return cmp.Compare(tf.Term, t) })
	if !ok {
		return 0
	}
	return p.virtualTF(packTF(d.Terms[i].Title, d.Terms[i].Abstract), uint8(f))
}

func hasKey(d Doc, k string) bool { return slices.Contains(d.Keys, k) }

// exhaustive scores every live document the slow way: the oracle.
func (c *corpus) exhaustive(q Query, k int) []Hit {
	s := c.s
	p := s.params
	n := float64(len(c.docs))
	var avg float64
	for _, d := range c.docs {
		avg += float64(p.TitleWeight*d.TitleLen + d.AbstractLen)
	}
	avg /= n
	ln := p.norm(avg)
	if c.dfs == nil {
		c.dfs = map[string]int{}
		for _, d := range c.docs {
			for _, tf := range d.Terms {
				if tf.Title+tf.Abstract > 0 {
					c.dfs[tf.Term]++
				}
			}
		}
	}
	df := func(term string) int { return c.dfs[term] }
	clauses := mergeClauses(q.Clauses)
	type scoredClause struct {
		Clause
		idf float64
	}
	var sc []scoredClause
	for _, cl := range clauses {
		dfc := df(cl.Term)
		if dfc == 0 {
			if cl.Required {
				return nil
			}
			continue
		}
		sc = append(sc, scoredClause{cl, IDF(n, float64(dfc))})
	}
	for _, k := range q.Keys {
		found := false
		for _, d := range c.docs {
			found = found || hasKey(d, k)
		}
		if !found {
			return nil
		}
	}
	inSet := func(set []uint32, id string) bool {
		num, ok := s.byID[id]
		_, found := slices.BinarySearch(set, num)
		return ok && found
	}
	var hits []Hit
	anyScored, wantScore := false, false
	for _, cl := range sc {
		anyScored = anyScored || cl.Weight > 0
	}
	for _, cl := range clauses {
		wantScore = wantScore || cl.Weight > 0
	}
	if wantScore && !anyScored {
		return nil
	}
docs:
	for id, d := range c.docs {
		if f := q.Filter; f.Dated && (d.Date == NoDate || d.Date < f.From || d.Date > f.To) {
			continue
		}
		if len(q.Filter.Categories) > 0 && !slices.ContainsFunc(d.Categories, func(c string) bool { return slices.Contains(q.Filter.Categories, c) }) {
			continue
		}
		for _, k := range q.Keys {
			if !hasKey(d, k) {
				continue docs
			}
		}
		for _, k := range q.ExcludeKeys {
			if hasKey(d, k) {
				continue docs
			}
		}
		for _, set := range q.Sets {
			if !inSet(set, id) {
				continue docs
			}
		}
		for _, set := range q.ExcludeSets {
			if inSet(set, id) {
				continue docs
			}
		}
		for _, ex := range q.Exclude {
			if tfIn(p, d, ex.Term, ex.Field) > 0 {
				continue docs
			}
		}
		dl := uint32(p.TitleWeight*d.TitleLen + d.AbstractLen)
		var score float64
		matched := false
		required := false
		for _, cl := range sc {
			tf := tfIn(p, d, cl.Term, cl.Field)
			if cl.Required {
				required = true
				if tf == 0 {
					continue docs
				}
			}
			if tf > 0 && cl.Weight > 0 {
				score += cl.Weight * cl.idf * p.impact(tf, dl, ln)
				matched = true
			}
		}
		required = required || len(q.Keys) > 0 || len(q.Sets) > 0
		switch {
		case !anyScored:
			hits = append(hits, Hit{ID: id, Score: float64(d.Date)})
		case matched:
			hits = append(hits, Hit{ID: id, Score: score})
		case required && !matched:
			// Required terms matched but scored nothing: only possible with unscored requirements.
			hits = append(hits, Hit{ID: id, Score: 0})
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if len(hits) > k {
		hits = hits[:k]
	}
	if !anyScored {
		for i := range hits {
			hits[i].Score = 0
		}
	}
	return hits
}

// randomQuery draws a query over the corpus vocabulary: mostly plain disjunctions of common and rare
// terms, with required and excluded terms, field restrictions, keys, sets and filters mixed in.
func randomQuery(r *rand.Rand, c *corpus, vocab int) (Query, string) {
	var q Query
	desc := ""
	nt := 1 + r.IntN(6)
	if r.IntN(8) == 0 {
		nt = 20 + r.IntN(30) // a "more like this" query
	}
	for range nt {
		var ti int
		if r.IntN(2) == 0 {
			ti = r.IntN(20) // common
		} else {
			ti = r.IntN(vocab)
		}
		cl := Clause{Term: vocabTerm(ti), Weight: 1}
		if r.IntN(4) == 0 {
			cl.Weight = 0.25 + 3*r.Float64()
		}
		if nt < 8 && r.IntN(10) == 0 {
			cl.Required = true
		}
		if r.IntN(12) == 0 {
			cl.Field = Field(1 + r.IntN(2))
		}
		q.Clauses = append(q.Clauses, cl)
	}
	if r.IntN(10) == 0 {
		q.Exclude = append(q.Exclude, Clause{Term: vocabTerm(r.IntN(40))})
	}
	if r.IntN(12) == 0 {
		q.Keys = append(q.Keys, fmt.Sprintf("author%d", r.IntN(200)))
	}
	if r.IntN(15) == 0 {
		q.ExcludeKeys = append(q.ExcludeKeys, fmt.Sprintf("author%d", r.IntN(200)))
	}
	if r.IntN(15) == 0 {
		// A set: every third live document, as a phrase match might give.
		var set []uint32
		for d := range uint32(c.s.Docs()) {
			if d%3 == 0 {
				set = append(set, d)
			}
		}
		q.Sets = append(q.Sets, set)
	}
	switch r.IntN(6) {
	case 0:
		q.Filter.Categories = []string{"cs.CL"}
		desc += " cat"
	case 1:
		q.Filter.Dated, q.Filter.From, q.Filter.To = true, 19100, 19600
		desc += " date"
	case 2:
		q.Filter.Categories = []string{"q-bio", "stat.ML"}
		q.Filter.Dated, q.Filter.From, q.Filter.To = true, 19000, 19500
		desc += " cat+date"
	}
	if r.IntN(40) == 0 {
		q.Clauses = nil // constraints only: ranked by date
	}
	return q, desc
}

func TestSearchMatchesExhaustiveOracle(t *testing.T) {
	const vocab = 3000
	for _, tc := range []struct {
		name    string
		n       int
		churn   bool
		queries int
	}{
		{"fresh", 12000, false, 300},
		{"with tombstones", 12000, true, 150},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCorpus(t, 7, tc.n, vocab, tc.churn)
			r := rand.New(rand.NewPCG(99, 2))
			var plainPostings, plainVisited int
			for i := range tc.queries {
				q, desc := randomQuery(r, c, vocab)
				k := []int{1, 10, 10, 100}[r.IntN(4)]
				want := c.exhaustive(q, k)
				got, st, err := c.s.Search(t.Context(), q, k)
				if err != nil {
					t.Fatal(err)
				}
				if diff := compareHits(want, got); diff != "" {
					t.Fatalf("query %d%s %+v, k %d: %s", i, desc, q, k, diff)
				}
				if plainFilter(q.Filter) && len(q.Keys)+len(q.Sets)+len(q.Exclude) == 0 && len(q.Clauses) > 1 {
					plainPostings += st.Postings
					plainVisited += st.Visited
				}
			}
			// Pruning must skip most postings of plain disjunctions, or it has silently turned off.
			if plainPostings == 0 || float64(plainVisited) > 0.5*float64(plainPostings) {
				t.Fatalf("plain queries visited %d of %d postings: pruning is not working", plainVisited, plainPostings)
			}
			t.Logf("plain queries visited %d of %d postings (%.1f%%)", plainVisited, plainPostings, 100*float64(plainVisited)/float64(plainPostings))
		})
	}
}

func plainFilter(f Filter) bool { return !f.Dated && len(f.Categories) == 0 }

func compareHits(want, got []Hit) string {
	if len(want) != len(got) {
		return fmt.Sprintf("got %d hits, want %d (want %v, got %v)", len(got), len(want), head(want), head(got))
	}
	for i := range want {
		if want[i].ID != got[i].ID || math.Abs(want[i].Score-got[i].Score) > 1e-9 {
			return fmt.Sprintf("hit %d: got %s %.12f, want %s %.12f", i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
		}
	}
	return ""
}

func head(h []Hit) []Hit { return h[:min(len(h), 5)] }

func TestCompactKeepsResults(t *testing.T) {
	c := newCorpus(t, 3, 3000, 800, true)
	r := rand.New(rand.NewPCG(5, 5))
	var qs []Query
	for range 50 {
		q, _ := randomQuery(r, c, 800)
		q.Sets, q.ExcludeSets = nil, nil // document numbers change
		qs = append(qs, q)
	}
	before := make([][]Hit, len(qs))
	for i, q := range qs {
		before[i], _, _ = c.s.Search(context.Background(), q, 20)
	}
	dead := c.s.Dead()
	c.s.Compact()
	if c.s.Dead() != 0 || dead == 0 {
		t.Fatalf("dead before %d, after %d", dead, c.s.Dead())
	}
	for i, q := range qs {
		after, _, _ := c.s.Search(context.Background(), q, 20)
		if diff := compareHits(before[i], after); diff != "" {
			t.Fatalf("query %d after Compact: %s", i, diff)
		}
		if diff := compareHits(c.exhaustive(q, 20), after); diff != "" {
			t.Fatalf("query %d after Compact against the oracle: %s", i, diff)
		}
	}
}

// TestOracleWithInterleavedWrites checks searches between writes, so that caches filled by one search
// must stay true through the writes that follow.
func TestOracleWithInterleavedWrites(t *testing.T) {
	const vocab = 600
	c := newCorpus(t, 21, 1500, vocab, false)
	r := rand.New(rand.NewPCG(4, 4))
	for step := range 400 {
		id := fmt.Sprintf("d%06d", r.IntN(1800))
		if r.IntN(3) == 0 {
			if c.s.Delete(id) {
				delete(c.docs, id)
			}
		} else {
			d := randomDoc(r, id, vocab)
			if err := c.s.Add(d); err != nil {
				t.Fatal(err)
			}
			c.docs[id] = d
		}
		c.dfs = nil
		if step%8 != 0 {
			continue
		}
		q, desc := randomQuery(r, c, vocab)
		q.Sets, q.ExcludeSets = nil, nil
		want := c.exhaustive(q, 10)
		got, _, err := c.s.Search(t.Context(), q, 10)
		if err != nil {
			t.Fatal(err)
		}
		if diff := compareHits(want, got); diff != "" {
			t.Fatalf("step %d%s: %s", step, desc, diff)
		}
		for _, cl := range q.Clauses {
			m := 0
			for _, d := range c.docs {
				if tfIn(c.s.params, d, cl.Term, FieldAny) > 0 {
					m++
				}
			}
			if got := c.s.DF(cl.Term); got != m {
				t.Fatalf("step %d: DF(%s) = %d, want %d", step, cl.Term, got, m)
			}
		}
	}
}

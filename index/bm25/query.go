package bm25

import (
	"fmt"
	"math"
)

// Field restricts a clause to the occurrences of its term in one field.
type Field uint8

// Fields of Clause.Field.
const (
	FieldAny      Field = 0 // title or abstract: the virtual document
	FieldTitle    Field = fieldTitle
	FieldAbstract Field = fieldAbstract
)

// Clause is one term of a query.
type Clause struct {
	Term string
	// Weight multiplies the term's BM25 score (query term frequency times boost). A Required clause may
	// have weight 0: it then filters without scoring.
	Weight float64
	// Required drops the documents that lack the term (in Field).
	Required bool
	// Field restricts matches (and the frequency scored) to one field. Default FieldAny.
	Field Field
}

// Filter restricts matches by date and category. The zero Filter accepts every document.
type Filter struct {
	// Dated bounds dates to [From, To] (day numbers, inclusive); undated documents fail.
	Dated    bool
	From, To int32
	// Categories keeps documents in any of them (exact names). Empty: no category filter.
	Categories []string
}

// Query is a keyword query: scored and required terms, constraints, a filter.
type Query struct {
	Clauses []Clause
	// Exclude drops documents that contain any of these terms (in their Field; weights ignored).
	Exclude []Clause
	// Keys are exact-match keys every result must have; ExcludeKeys keys no result may have.
	Keys, ExcludeKeys []string
	// Sets are sorted document numbers every result must be in (phrase matches, say); ExcludeSets
	// sets no result may be in.
	Sets, ExcludeSets [][]uint32
	Filter            Filter
}

// Hit is one result.
type Hit struct {
	ID    string
	Doc   uint32
	Score float64
}

// Stats count the work of one search, to prove pruning works and bound what a request costs.
type Stats struct {
	// Postings is the total length of the posting lists the query involves.
	Postings int
	// Visited is how many postings the cursors moved onto (skipped ones are not visited).
	Visited int
	// Scored is how many documents were scored completely and offered to the top k.
	Scored int
	// Pruned is how many documents were dropped by an upper bound before being scored completely.
	Pruned int
	// BlocksSkipped is how many blocks were skipped whole on their bounds.
	BlocksSkipped int
}

// boundSlack inflates upper bounds so that rounding in sums taken in another order never prunes a
// document whose exact score would tie or beat the threshold.
const boundSlack = 1 + 1e-9

// term is a clause resolved against the store.
type term struct {
	c     cursor
	id    TermID  // the text term's number (not set for keys and sets)
	w     float64 // weight · idf
	ub    float64 // upper bound of w · impact over the list (with drift and slack)
	bmul  float64 // w · drift · slack: multiplies a block bound into a score bound
	field uint8
	idx   int  // position among the scored clauses (canonical summation order)
	key   bool // a key or a set: no frequencies
}

// prepared is a query resolved against the store.
type prepared struct {
	scored   []*term // optional scored clauses
	required []*term // required clauses, keys and sets
	exclude  []*term
	nScored  int // scored clauses, optional and required: the length of the contributions vector
	cats     []bool
	filter   Filter
	ln       lengthNorm
	empty    bool // some requirement matches nothing
	postings int
}

func (s *Store) prepare(q Query) (prepared, error) {
	p := prepared{filter: q.Filter, ln: s.params.norm(s.AvgLen())}
	n := float64(s.nLive)
	drift := s.drift()
	merged := mergeClauses(q.Clauses)
	wantScore := false
	for _, c := range merged {
		wantScore = wantScore || c.Weight > 0
		if c.Weight < 0 || math.IsNaN(c.Weight) || math.IsInf(c.Weight, 0) {
			return p, fmt.Errorf("bm25: clause %q has weight %v", c.Term, c.Weight)
		}
		if c.Field > FieldAbstract {
			return p, fmt.Errorf("bm25: clause %q has unknown field %d", c.Term, c.Field)
		}
		t, ok := s.dict[c.Term]
		var l *list
		if ok {
			l = s.lists[t]
		}
		if !ok || l.key || s.df(l) == 0 {
			if c.Required {
				p.empty = true
			}
			continue
		}
		tm := &term{c: newCursor(l), id: TermID(t), field: uint8(c.Field)}
		p.postings += len(l.docs)
		if c.Weight > 0 {
			idf := IDF(n, float64(s.df(l)))
			tm.w = c.Weight * idf
			tm.bmul = tm.w * drift * boundSlack
			tm.ub = min(float64(l.maxBlock())*tm.bmul, tm.w*s.params.MaxImpact()*boundSlack)
			tm.idx = p.nScored
			p.nScored++
		} else {
			tm.idx = -1
		}
		if c.Required {
			p.required = append(p.required, tm)
		} else if c.Weight > 0 {
			p.scored = append(p.scored, tm)
		}
	}
	for _, k := range q.Keys {
		t, ok := s.dict[k]
		if !ok || !s.lists[t].key {
			p.empty = true
			continue
		}
		l := s.lists[t]
		p.postings += len(l.docs)
		p.required = append(p.required, &term{c: setCursor(l.docs), key: true, idx: -1})
	}
	for _, set := range q.Sets {
		p.postings += len(set)
		p.required = append(p.required, &term{c: setCursor(set), key: true, idx: -1})
	}
	for _, c := range q.Exclude {
		if t, ok := s.dict[c.Term]; ok && !s.lists[t].key {
			p.exclude = append(p.exclude, &term{c: newCursor(s.lists[t]), field: uint8(c.Field)})
		}
	}
	for _, k := range q.ExcludeKeys {
		if t, ok := s.dict[k]; ok && s.lists[t].key {
			p.exclude = append(p.exclude, &term{c: setCursor(s.lists[t].docs), key: true})
		}
	}
	for _, set := range q.ExcludeSets {
		p.exclude = append(p.exclude, &term{c: setCursor(set), key: true})
	}
	if len(q.Filter.Categories) > 0 {
		p.cats = make([]bool, len(s.catNames))
		any := false
		for _, c := range q.Filter.Categories {
			if id, ok := s.catID[c]; ok {
				p.cats[id] = true
				any = true
			}
		}
		if !any {
			p.empty = true
		}
	}
	if wantScore && p.nScored == 0 {
		p.empty = true // words that match nothing do not turn into "match everything"
	}
	if q.Filter.Dated && q.Filter.From > q.Filter.To {
		p.empty = true
	}
	return p, nil
}

// mergeClauses folds clauses with the same term, field and requirement into one, summing weights,
// keeping the first one's position.
func mergeClauses(cs []Clause) []Clause {
	type key struct {
		term     string
		field    Field
		required bool
	}
	pos := make(map[key]int, len(cs))
	out := make([]Clause, 0, len(cs))
	for _, c := range cs {
		k := key{c.Term, c.Field, c.Required}
		if i, ok := pos[k]; ok {
			out[i].Weight += c.Weight
			continue
		}
		pos[k] = len(out)
		out = append(out, c)
	}
	return out
}

// accept reports whether document d is live and passes the filter.
func (s *Store) accept(d uint32, p *prepared) bool {
	if s.live[d>>6]&(1<<(d&63)) == 0 {
		return false
	}
	f := &p.filter
	if f.Dated {
		if x := s.date[d]; x == NoDate || x < f.From || x > f.To {
			return false
		}
	}
	if p.cats != nil {
		ok := false
		for _, c := range s.cats[s.catOff[d]:s.catOff[d+1]] {
			if p.cats[c] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// excluded reports whether d matches an excluded clause, key or set.
func (s *Store) excluded(d uint32, p *prepared) bool {
	for _, t := range p.exclude {
		t.c.advance(d)
		if t.c.doc() == d && (t.key || s.params.virtualTF(t.c.tf[t.c.pos], t.field) > 0) {
			return true
		}
	}
	return false
}

// contribution is t's score in d, the cursor standing on d; 0 when the field restriction leaves no
// occurrence.
func (s *Store) contribution(t *term, d uint32, ln lengthNorm) float64 {
	return s.contributionAt(t, &t.c, d, ln)
}

// contributionAt is contribution with the term's frequency read where cur stands.
func (s *Store) contributionAt(t *term, cur *cursor, d uint32, ln lengthNorm) float64 {
	return s.contributionTF(t, cur.tf[cur.pos], d, ln)
}

// contributionTF is t's score in d given d's packed frequency of the term.
func (s *Store) contributionTF(t *term, packed uint16, d uint32, ln lengthNorm) float64 {
	tf := s.params.virtualTF(packed, t.field)
	if tf == 0 {
		return 0
	}
	return t.w * s.params.impact(tf, s.dl[d], ln)
}

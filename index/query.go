package index

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"

	"github.com/kindred-search/kindred/index/paper"
)

// parseQuery parses the Bleve query-string syntax (terms, "phrases", +must, -must-not, field:term,
// term^boost, prefix*, fuzzy~) and rewrites every leaf without a field into a disjunction over the
// title (boosted) and the abstract. It also returns the query's positive free text, which the vector
// side embeds. A syntax error wraps ErrBadQuery with Bleve's message made readable.
// plain reports whether BM25 re-scoring understands the query (see plainQuery).
func parseQuery(s string, titleBoost float64) (q query.Query, text string, plain bool, err error) {
	if strings.TrimSpace(s) == "" {
		return nil, "", false, fmt.Errorf("%w: the query is empty", ErrBadQuery)
	}
	q, err = parseQueryString(s)
	if err != nil {
		return nil, "", false, err
	}
	var words []string
	collectText(q, false, &words)
	plain = plainQuery(q)
	return rewriteFields(q, titleBoost), strings.Join(words, " "), plain, nil
}

func parseQueryString(s string) (q query.Query, err error) {
	defer func() {
		// The generated parser has panicked on odd input in the past; never let that reach a caller.
		if r := recover(); r != nil {
			q, err = nil, fmt.Errorf("%w: cannot parse %q", ErrBadQuery, s)
		}
	}()
	q, err = query.NewQueryStringQuery(s).Parse()
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "parse error: ")
		return nil, fmt.Errorf("%w: %s", ErrBadQuery, msg)
	}
	if err := q.(query.ValidatableQuery).Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadQuery, err)
	}
	return q, nil
}

// validFields are the fields a query may name.
var validFields = map[string]bool{fieldTitle: true, fieldAbstract: true, fieldAuthors: true, fieldCategories: true, fieldDate: true}

func rewriteFields(q query.Query, titleBoost float64) query.Query {
	both := func(mk func(field string) query.Query) query.Query {
		t := mk(fieldTitle)
		if b, ok := t.(query.BoostableQuery); ok {
			cur := 1.0
			if b.Boost() > 0 {
				cur = b.Boost()
			}
			b.SetBoost(cur * titleBoost)
		}
		return query.NewDisjunctionQuery([]query.Query{t, mk(fieldAbstract)})
	}
	switch q := q.(type) {
	case *query.BooleanQuery:
		q.Must = rewriteFields(q.Must, titleBoost)
		q.Should = rewriteFields(q.Should, titleBoost)
		q.MustNot = rewriteFields(q.MustNot, titleBoost)
		return q
	case *query.ConjunctionQuery:
		for i, c := range q.Conjuncts {
			q.Conjuncts[i] = rewriteFields(c, titleBoost)
		}
		return q
	case *query.DisjunctionQuery:
		for i, c := range q.Disjuncts {
			q.Disjuncts[i] = rewriteFields(c, titleBoost)
		}
		return q
	case *query.MatchQuery:
		if q.FieldVal == "" {
			return both(func(f string) query.Query { c := *q; c.FieldVal = f; return &c })
		}
	case *query.MatchPhraseQuery:
		if q.FieldVal == "" {
			return both(func(f string) query.Query { c := *q; c.FieldVal = f; return &c })
		}
	case *query.WildcardQuery:
		if q.FieldVal == "" {
			return both(func(f string) query.Query { c := *q; c.FieldVal = f; return &c })
		}
	case *query.RegexpQuery:
		if q.FieldVal == "" {
			return both(func(f string) query.Query { c := *q; c.FieldVal = f; return &c })
		}
	case *query.FuzzyQuery:
		if q.FieldVal == "" {
			return both(func(f string) query.Query { c := *q; c.FieldVal = f; return &c })
		}
	case *query.PrefixQuery:
		if q.FieldVal == "" {
			return both(func(f string) query.Query { c := *q; c.FieldVal = f; return &c })
		}
	case *query.TermQuery:
		if q.FieldVal == "" {
			return both(func(f string) query.Query { c := *q; c.FieldVal = f; return &c })
		}
	}
	return q
}

// collectText gathers the text of positive leaves on the title, the abstract or no field.
func collectText(q query.Query, negated bool, out *[]string) {
	textField := func(f string) bool { return f == "" || f == fieldTitle || f == fieldAbstract }
	switch q := q.(type) {
	case *query.BooleanQuery:
		collectText(q.Must, negated, out)
		collectText(q.Should, negated, out)
	case *query.ConjunctionQuery:
		for _, c := range q.Conjuncts {
			collectText(c, negated, out)
		}
	case *query.DisjunctionQuery:
		for _, c := range q.Disjuncts {
			collectText(c, negated, out)
		}
	case *query.MatchQuery:
		if textField(q.FieldVal) {
			*out = append(*out, q.Match)
		}
	case *query.MatchPhraseQuery:
		if textField(q.FieldVal) {
			*out = append(*out, q.MatchPhrase)
		}
	case *query.FuzzyQuery:
		if textField(q.FieldVal) {
			*out = append(*out, q.Term)
		}
	}
}

// checkFields rejects queries naming fields the index does not have, which Bleve would silently match
// against nothing.
func checkFields(q query.Query) error {
	var err error
	var walk func(query.Query)
	walk = func(q query.Query) {
		switch q := q.(type) {
		case *query.BooleanQuery:
			for _, c := range []query.Query{q.Must, q.Should, q.MustNot} {
				walk(c)
			}
		case *query.ConjunctionQuery:
			for _, c := range q.Conjuncts {
				walk(c)
			}
		case *query.DisjunctionQuery:
			for _, c := range q.Disjuncts {
				walk(c)
			}
		case query.FieldableQuery:
			if f := q.Field(); f != "" && !validFields[f] && err == nil {
				err = fmt.Errorf("%w: unknown field %q (fields: title, abstract, authors, categories, date)", ErrBadQuery, f)
			}
			if fz := fuzziness(q); fz > searcher.MaxFuzziness && err == nil {
				err = fmt.Errorf("%w: fuzziness %d is more than the maximum %d (write word~1 or word~2)", ErrBadQuery, fz, searcher.MaxFuzziness)
			}
			if rq, ok := q.(*query.RegexpQuery); ok && err == nil {
				if _, rerr := regexp.Compile(rq.Regexp); rerr != nil {
					err = fmt.Errorf("%w: regular expression /%s/: %v", ErrBadQuery, rq.Regexp, rerr)
				}
			}
		}
	}
	walk(q)
	return err
}

func fuzziness(q query.Query) int {
	switch q := q.(type) {
	case *query.MatchQuery:
		return q.Fuzziness
	case *query.MatchPhraseQuery:
		return q.Fuzziness
	case *query.FuzzyQuery:
		return q.Fuzziness
	}
	return 0
}

// Filter restricts results by publication date and category. The zero Filter matches everything.
type Filter struct {
	// From and To bound the publication date, both inclusive, at the precision given: To "2024"
	// includes all of 2024. Papers without a date never match a date-bounded filter.
	From, To paper.Date
	// Categories keeps papers in any of these categories (exact, e.g. "cs.CL").
	Categories []string
}

// IsZero reports whether f filters nothing.
func (f Filter) IsZero() bool { return f.From.IsZero() && f.To.IsZero() && len(f.Categories) == 0 }

func (f Filter) check() error {
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Time().Before(f.From.Time()) {
		return fmt.Errorf("%w: to (%s) is before from (%s)", ErrBadRequest, f.To, f.From)
	}
	return nil
}

// query returns the filter as a Bleve query, or nil for the zero Filter.
func (f Filter) query() query.Query {
	var parts []query.Query
	if !f.From.IsZero() || !f.To.IsZero() {
		var start, end time.Time // the zero time leaves that end open
		if !f.From.IsZero() {
			start = clampDate(f.From.Time())
		}
		if !f.To.IsZero() {
			end = clampDate(endOf(f.To))
		}
		yes, no := true, false
		dq := query.NewDateRangeInclusiveQuery(start, end, &yes, &no)
		dq.SetField(fieldDate)
		parts = append(parts, dq)
	}
	if len(f.Categories) > 0 {
		cs := make([]query.Query, len(f.Categories))
		for i, c := range f.Categories {
			tq := query.NewTermQuery(c)
			tq.SetField(fieldCategories)
			cs[i] = tq
		}
		parts = append(parts, query.NewDisjunctionQuery(cs))
	}
	switch len(parts) {
	case 0:
		return nil
	case 1:
		return parts[0]
	}
	return query.NewConjunctionQuery(parts)
}

// endOf is the first instant after the period a partial date names.
func endOf(d paper.Date) time.Time {
	t := d.Time()
	switch {
	case d.Month == 0:
		return t.AddDate(1, 0, 0)
	case d.Day == 0:
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(0, 0, 1)
}

// withFilter adds f to q as a non-scoring filter.
func withFilter(q query.Query, f Filter) query.Query {
	fq := f.query()
	if fq == nil {
		return q
	}
	b := query.NewBooleanQuery([]query.Query{q}, nil, nil)
	b.Filter = fq
	return b
}

// Bleve stores datetimes as int64 nanoseconds; keep times inside what that can hold.
var (
	minIndexedDate = time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)
	maxIndexedDate = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

func clampDate(t time.Time) time.Time {
	if t.Before(minIndexedDate) {
		return minIndexedDate
	}
	if t.After(maxIndexedDate) {
		return maxIndexedDate
	}
	return t
}

// EscapeQuery backslash-escapes the characters the query-string syntax gives meaning to, so that any
// text (a claim, a pasted title) searches as plain words.
func EscapeQuery(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		if strings.ContainsRune(`+-=&|><!(){}[]^"~*?:\/`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

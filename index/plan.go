package index

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/kindred-search/kindred/index/bm25"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/syntax"
)

// A query is planned once, then run: the parsed clauses become one keyword query (terms, expansions,
// requirements, filters) that the keyword side runs and counts, the text the vector side embeds, the
// terms highlights mark, and the notes that tell the user what was searched.

// Limits on the work one query may cause.
const (
	// maxExpansions is how many terms one prefix, wildcard, fuzzy or regexp clause expands into (the
	// most frequent); Elasticsearch's max_expansions defaults to 50.
	maxExpansions = 64
	// maxScoredTerms bounds a query's scored terms, expansions included.
	maxScoredTerms = 512
	// patternBudget bounds the dictionary words one pattern without a literal prefix looks at.
	patternBudget = 2_000_000
	// maxRegexpLen bounds a regular expression (Elasticsearch: index.max_regex_length, 1000).
	maxRegexpLen = 256
	// maxPhraseWords bounds a phrase.
	maxPhraseWords = 32
	// maxPhraseMatches bounds the papers a phrase is matched in (the rest are not found).
	maxPhraseMatches = 50_000
)

// Note tells what a search did with its query text beyond searching it as given: what the lenient
// parser searched around, which patterns were cut, which words are unknown.
type Note struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// AuthorMatch is offered when a query is exactly an author's name.
type AuthorMatch struct {
	Name   string `json:"name"`
	Papers int    `json:"papers"`
}

// plan is a query ready to run.
type plan struct {
	kq bm25.Query
	// text is what the vector side embeds: the query's positive words and phrases that are not
	// restricted to a field (a vector has no fields: title:attention must not find abstracts).
	text string
	// marks are the analyzed terms highlights mark.
	marks map[string]bool
	notes []Note
	// scored reports whether the keyword query has scored terms (otherwise matches rank by date).
	scored bool
	// none reports that nothing in the query can match: an empty result, not "everything".
	none bool
	// short reports a query of at most shortTerms distinct scored terms: what people type.
	short  bool
	author *AuthorMatch
	work   workPlan // what planning spent of the query's budgets (budget.go)
}

// shortTerms is the most distinct terms a short query has.
const shortTerms = 4

func (pl *plan) note(code, format string, args ...any) {
	pl.notes = append(pl.notes, Note{Code: code, Message: fmt.Sprintf(format, args...)})
}

// planQuery parses and resolves a query against the index. Called with mu held for reading.
func (ix *Index) planQuery(ctx context.Context, text string, f Filter, strict bool) (plan, error) {
	if !strict {
		// Text pasted into the search box is undone of what a copy from a PDF does to it, as pasted
		// similar text is (see pastedText); programs get their query as they sent it.
		text = ix.pasted(text)
	}
	sq, err := syntax.Parse(text, syntax.Options{Strict: strict})
	if err != nil {
		if err == syntax.ErrEmpty {
			return plan{}, fmt.Errorf("%w: the query is empty", ErrBadQuery)
		}
		return plan{}, fmt.Errorf("%w: %v", ErrBadQuery, err)
	}
	pl := plan{marks: map[string]bool{}}
	for _, n := range sq.Notes {
		pl.note(n.Code, "%s", n.Message)
	}
	pl.kq.Filter = ix.keywordFilter(f)
	var words []string
	matchAll := false
	var cats []string
	for _, c := range sq.Clauses {
		if err := ctx.Err(); err != nil {
			return plan{}, err
		}
		if matchesEveryWord(c) {
			c.Kind = syntax.MatchAll
		}
		switch c.Field {
		case syntax.FieldAuthors:
			ix.planAuthor(&pl, c)
			continue
		case syntax.FieldCategories:
			if c.Occur == syntax.MustNot {
				pl.kq.ExcludeKeys = append(pl.kq.ExcludeKeys, keyCategory+strings.ToLower(c.Text))
			} else {
				cats = append(cats, keyCategory+strings.ToLower(c.Text))
			}
			continue
		case syntax.FieldDate:
			if err := ix.planDate(&pl, c, strict); err != nil {
				return plan{}, err
			}
			continue
		}
		field := bm25.FieldAny
		switch c.Field {
		case syntax.FieldTitle:
			field = bm25.FieldTitle
		case syntax.FieldAbstract:
			field = bm25.FieldAbstract
		}
		switch c.Kind {
		case syntax.MatchAll:
			matchAll = true
		case syntax.Word:
			terms := ix.emb.Terms(c.Text)
			if c.Occur == syntax.MustNot && len(terms) > 1 {
				// "-chain-of-thought" excludes the phrase its words make, not each word.
				if err := ix.planPhrase(ctx, &pl, c, terms, field); err != nil {
					return plan{}, err
				}
				continue
			}
			ix.planTerms(&pl, c, terms, field)
			if c.Occur != syntax.MustNot && len(terms) > 0 && field == bm25.FieldAny {
				words = append(words, c.Text)
			}
		case syntax.Phrase:
			terms := ix.emb.Terms(c.Text)
			if len(terms) > maxPhraseWords {
				pl.note("long_phrase", "a phrase of %d words is longer than %d; its words were searched without the phrase", len(terms), maxPhraseWords)
				c.Kind = syntax.Word
				ix.planTerms(&pl, c, terms, field)
			} else if len(terms) < 2 {
				ix.planTerms(&pl, c, terms, field)
			} else if err := ix.planPhrase(ctx, &pl, c, terms, field); err != nil {
				return plan{}, err
			}
			if c.Occur != syntax.MustNot && len(terms) > 0 && field == bm25.FieldAny {
				words = append(words, c.Text)
			}
		default:
			if err := ix.planPattern(&pl, c, field, strict); err != nil {
				return plan{}, err
			}
		}
	}
	if len(cats) > 0 {
		pl.kq.Sets = append(pl.kq.Sets, ix.kw.Union(cats, bm25.FieldAny))
	}
	ix.fitQuery(&pl)
	for _, cl := range pl.kq.Clauses {
		if cl.Weight > 0 {
			pl.scored = true
			pl.marks[cl.Term] = true
		}
	}
	pl.short = pl.scored && len(pl.marks) <= shortTerms
	hasConstraints := len(pl.kq.Keys)+len(pl.kq.Sets)+len(pl.kq.ExcludeKeys)+len(pl.kq.ExcludeSets)+len(pl.kq.Exclude) > 0 ||
		len(cats) > 0 || pl.kq.Filter.Dated
	switch {
	case matchAll && (pl.scored || hasConstraints):
		pl.note("ignored", "* matches every paper; with other words it adds nothing and was ignored")
	case matchAll:
		pl.note("match_all", "* matches every paper: newest first")
	case !pl.scored && !hasConstraints:
		pl.none = true
		if len(pl.notes) == 0 {
			pl.note("no_terms", "the query has no words the index knows (only common words such as \"the\", or punctuation)")
		}
	}
	pl.text = strings.Join(words, " ")
	if len(pl.kq.Clauses) > maxScoredTerms {
		pl.kq.Clauses = pl.kq.Clauses[:maxScoredTerms]
		pl.note("too_many_terms", "the query has more than %d terms; searched the first %d", maxScoredTerms, maxScoredTerms)
	}
	pl.author = ix.authorMatch(text)
	return pl, nil
}

// planTerms adds a word's analyzed terms as clauses: scored and optional, required, or excluded.
func (ix *Index) planTerms(pl *plan, c syntax.Clause, terms []string, field bm25.Field) {
	for _, t := range terms {
		cl := bm25.Clause{Term: t, Weight: c.Boost, Field: field}
		switch c.Occur {
		case syntax.Must:
			cl.Required = true
		case syntax.MustNot:
			pl.kq.Exclude = append(pl.kq.Exclude, cl)
			continue
		}
		pl.kq.Clauses = append(pl.kq.Clauses, cl)
	}
}

// planPhrase requires (or excludes) the papers with the phrase, found by the full-text index, and
// scores the phrase's words.
func (ix *Index) planPhrase(ctx context.Context, pl *plan, c syntax.Clause, terms []string, field bm25.Field) error {
	if !pl.phraseAllowed(c.Text) {
		if c.Occur != syntax.MustNot {
			ix.planTerms(pl, c, terms, field)
		}
		return nil
	}
	set, truncated, err := ix.phraseSet(ctx, c.Text, field)
	if err != nil {
		return err
	}
	if truncated {
		pl.note("common_phrase", "the phrase %q is in more than %d papers; only the first %d were searched", c.Text, maxPhraseMatches, maxPhraseMatches)
	}
	if c.Occur == syntax.MustNot {
		pl.kq.ExcludeSets = append(pl.kq.ExcludeSets, set)
		return nil
	}
	pl.kq.Sets = append(pl.kq.Sets, set)
	for _, t := range terms {
		pl.kq.Clauses = append(pl.kq.Clauses, bm25.Clause{Term: t, Weight: c.Boost, Field: field})
	}
	return nil
}

// phraseSet returns the sorted keyword-index numbers of the papers whose title or abstract (or the
// one field) holds the phrase.
func (ix *Index) phraseSet(ctx context.Context, text string, field bm25.Field) ([]uint32, bool, error) {
	var fields []string
	switch field {
	case bm25.FieldTitle:
		fields = []string{fieldTitle}
	case bm25.FieldAbstract:
		fields = []string{fieldAbstract}
	default:
		fields = []string{fieldTitle, fieldAbstract}
	}
	qs := make([]query.Query, len(fields))
	for i, f := range fields {
		pq := query.NewMatchPhraseQuery(text)
		pq.SetField(f)
		qs[i] = pq
	}
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(qs), maxPhraseMatches, 0, false)
	req.Score = "none"
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		return nil, false, fmt.Errorf("phrase search: %w", err)
	}
	set := make([]uint32, 0, len(res.Hits))
	for _, h := range res.Hits {
		if d, ok := ix.kw.DocNum(h.ID); ok {
			set = append(set, d)
		}
	}
	slices.Sort(set)
	return set, res.Total > uint64(len(res.Hits)), nil
}

// planPattern expands a prefix, wildcard, fuzzy or regexp clause over the surface words of the index.
func (ix *Index) planPattern(pl *plan, c syntax.Clause, field bm25.Field, strict bool) error {
	if !pl.patternAllowed(c.Text) {
		return nil
	}
	word := strings.ToLower(c.Text)
	var e bm25.Expansion
	shown := c.Text
	switch c.Kind {
	case syntax.Prefix:
		p := strings.ToLower(syntax.Unescaped(c.Text))
		shown = p + "*"
		e = ix.kw.ExpandPrefix(p, maxExpansions)
	case syntax.Fuzzy:
		shown = fmt.Sprintf("%s~%d", c.Text, c.Fuzziness)
		e = ix.kw.ExpandFuzzy(word, c.Fuzziness, maxExpansions)
	case syntax.Wildcard:
		pat := word
		e = ix.kw.ExpandMatch(strings.ToLower(syntax.LiteralPrefix(pat)), func(w string) bool { return syntax.MatchPattern(pat, w) }, maxExpansions, pl.scanLeft(patternBudget))
	case syntax.Regexp:
		shown = "/" + c.Text + "/"
		if len(c.Text) > maxRegexpLen {
			if strict {
				return fmt.Errorf("%w: the regular expression is longer than %d characters", ErrBadQuery, maxRegexpLen)
			}
			pl.note("bad_regexp", "a regular expression longer than %d characters was ignored", maxRegexpLen)
			return nil
		}
		re, err := regexp.Compile("^(?:" + c.Text + ")$")
		if err != nil {
			if strict {
				return fmt.Errorf("%w: regular expression %s: %v", ErrBadQuery, shown, err)
			}
			// Not a valid expression: its words are searched.
			ix.planTerms(pl, syntax.Clause{Occur: c.Occur, Boost: c.Boost}, ix.emb.Terms(c.Text), field)
			pl.note("bad_regexp", "%s is not a valid regular expression; searched its words", shown)
			return nil
		}
		lit, _ := re.LiteralPrefix()
		e = ix.kw.ExpandMatch(lit, re.MatchString, maxExpansions, pl.scanLeft(patternBudget))
	}
	pl.work.scanned += e.Scanned
	if len(e.Terms) == 0 {
		pl.note("no_expansion", "%s matches no word of the index", shown)
		if c.Occur == syntax.Must {
			pl.kq.Sets = append(pl.kq.Sets, nil) // a required pattern that matches nothing
		}
		return nil
	}
	all := len(e.Terms)
	e.Terms = ix.fitPostings(e.Terms)
	if e.Words > maxExpansions || e.Truncated || len(e.Terms) < all {
		pl.note("expansion_limit", "%s matches %d words; searched the %d most frequent", shown, e.Words, len(e.Terms))
	}
	switch c.Occur {
	case syntax.Must:
		pl.kq.Sets = append(pl.kq.Sets, ix.kw.Union(e.Terms, field))
	case syntax.MustNot:
		for _, t := range e.Terms {
			pl.kq.Exclude = append(pl.kq.Exclude, bm25.Clause{Term: t, Field: field})
		}
		return nil
	}
	for _, t := range e.Terms {
		pl.kq.Clauses = append(pl.kq.Clauses, bm25.Clause{Term: t, Weight: c.Boost, Field: field})
	}
	return nil
}

// planAuthor turns an authors: clause into keys: one word matches any author with that name token,
// a phrase (or several words) the whole folded name.
func (ix *Index) planAuthor(pl *plan, c syntax.Clause) {
	f := FoldName(syntax.Unescaped(c.Text))
	toks := nameTokens(f)
	if len(toks) == 0 {
		return
	}
	var keys []string
	if c.Kind == syntax.Phrase && len(toks) > 1 {
		keys = []string{keyName + f}
	} else {
		if c.Kind != syntax.Word && c.Kind != syntax.Phrase {
			pl.note("ignored", "author names are matched whole: %s searched as %q", c.Text, strings.Join(toks, " "))
		}
		for _, t := range toks {
			keys = append(keys, keyAuthor+strings.Trim(t, "*?~"))
		}
	}
	if c.Occur == syntax.MustNot {
		pl.kq.ExcludeKeys = append(pl.kq.ExcludeKeys, keys...)
		return
	}
	pl.kq.Keys = append(pl.kq.Keys, keys...)
}

// planDate narrows the filter to a date: "2026", "2025-03", "2025-03-14", a range "2024..2025", or an
// open one ">2024", ">=2024-06", "<2023", "<=2023-12".
func (ix *Index) planDate(pl *plan, c syntax.Clause, strict bool) error {
	from, to, err := parseDateRange(syntax.Unescaped(c.Text))
	if err == nil && c.Occur == syntax.MustNot {
		err = fmt.Errorf("-date: is not supported; use date:<X or date:>X")
	}
	if err != nil {
		if strict {
			return fmt.Errorf("%w: date:%s: %v", ErrBadQuery, c.Text, err)
		}
		pl.note("bad_date", "date:%s was ignored: %v", c.Text, err)
		return nil
	}
	f := &pl.kq.Filter
	if !f.Dated {
		f.Dated, f.From, f.To = true, minDay, maxDay
	}
	f.From, f.To = max(f.From, from), min(f.To, to)
	return nil
}

// parseDateRange reads the value of a date: clause into an inclusive range of day numbers.
func parseDateRange(s string) (from, to int32, err error) {
	first := func(v string) (int32, error) {
		d, err := paper.ParseDate(v)
		if err != nil || d.IsZero() {
			return 0, fmt.Errorf("want YYYY, YYYY-MM or YYYY-MM-DD")
		}
		return dayNumber(d), nil
	}
	last := func(v string) (int32, error) {
		d, err := paper.ParseDate(v)
		if err != nil || d.IsZero() {
			return 0, fmt.Errorf("want YYYY, YYYY-MM or YYYY-MM-DD")
		}
		return timeDay(endOf(d)) - 1, nil
	}
	switch {
	case strings.Contains(s, ".."):
		a, b, _ := strings.Cut(s, "..")
		from, to = minDay, maxDay
		if a != "" {
			if from, err = first(a); err != nil {
				return
			}
		}
		if b != "" {
			if to, err = last(b); err != nil {
				return
			}
		}
	case strings.HasPrefix(s, ">="):
		from, err = first(s[2:])
		to = maxDay
	case strings.HasPrefix(s, ">"):
		from, err = last(s[1:])
		from++
		to = maxDay
	case strings.HasPrefix(s, "<="):
		from = minDay
		to, err = last(s[2:])
	case strings.HasPrefix(s, "<"):
		from = minDay
		to, err = first(s[1:])
		to--
	default:
		if from, err = first(s); err == nil {
			to, err = last(s)
		}
	}
	if err == nil && from > to {
		err = fmt.Errorf("the range is empty")
	}
	return from, to, err
}

// authorMatch reports whether the whole query is an author's name (at least two name tokens) and
// how many papers list that author.
func (ix *Index) authorMatch(q string) *AuthorMatch {
	f := FoldName(q)
	if len(nameTokens(f)) < 2 || len(f) > 100 {
		return nil
	}
	if n := ix.kw.DF(keyName + f); n > 0 {
		return &AuthorMatch{Name: strings.TrimSpace(q), Papers: n}
	}
	return nil
}

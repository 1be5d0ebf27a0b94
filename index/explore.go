package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kindred-search/kindred/index/bm25"
	"github.com/kindred-search/kindred/index/syntax"
)

// Sort orders a search's results.
type Sort string

// Sort orders.
const (
	SortRelevance Sort = "relevance" // the mode's ranking (the default)
	SortNewest    Sort = "newest"    // the papers matching the query's words and filters, newest first
)

// ParseSort accepts "relevance" (or "") and "newest".
func ParseSort(s string) (Sort, error) {
	switch Sort(strings.TrimSpace(s)) {
	case "", SortRelevance:
		return SortRelevance, nil
	case SortNewest:
		return SortNewest, nil
	}
	return "", paramErr("sort", "unknown sort %q (want relevance or newest)", s)
}

// FacetCount is how many matching papers have one value of a facet.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facets count a search's matches by category and by year, most frequent first (years newest
// first). Exact is false when they were counted over the first part of the index and scaled, as
// Response.TotalExact.
type Facets struct {
	Categories []FacetCount `json:"categories"`
	Years      []FacetCount `json:"years"`
	Exact      bool         `json:"exact"`
}

// maxFacetValues bounds the categories a facet lists.
const maxFacetValues = 20

// countMatches counts q's matches and, when facets is set, their categories and years, in one pass.
func (ix *Index) countMatches(ctx context.Context, q bm25.Query, facets bool) (bm25.Count, *Facets, error) {
	if !facets {
		c, err := ix.kw.Matches(ctx, q, countBudget, nil)
		return c, nil, err
	}
	cats := map[string]int{}
	years := map[int]int{}
	seen := 0
	c, err := ix.kw.Matches(ctx, q, countBudget, func(d uint32) {
		seen++
		ix.kw.EachCategory(d, func(name string) { cats[name]++ })
		if day := ix.kw.Date(d); day != bm25.NoDate {
			years[dayOf(day).Year()]++
		}
	})
	if err != nil {
		return c, nil, err
	}
	// Past the budget the matches were counted over the first part of the index: scale the facets
	// as the count was scaled.
	scale := 1.0
	if !c.Exact && seen > 0 {
		scale = float64(c.N) / float64(seen)
	}
	f := &Facets{Exact: c.Exact, Categories: []FacetCount{}, Years: []FacetCount{}} // [] in JSON, never null
	for name, n := range cats {
		f.Categories = append(f.Categories, FacetCount{Value: name, Count: int(float64(n)*scale + 0.5)})
	}
	slices.SortFunc(f.Categories, func(a, b FacetCount) int {
		if d := cmp.Compare(b.Count, a.Count); d != 0 {
			return d
		}
		return cmp.Compare(a.Value, b.Value)
	})
	f.Categories = f.Categories[:min(len(f.Categories), maxFacetValues)]
	for y, n := range years {
		f.Years = append(f.Years, FacetCount{Value: strconv.Itoa(y), Count: int(float64(n)*scale + 0.5)})
	}
	slices.SortFunc(f.Years, func(a, b FacetCount) int { return cmp.Compare(b.Value, a.Value) })
	return c, f, nil
}

// suggest returns the query with its misspelled words corrected ("difusion modles" -> "diffusion
// models"), or "": a query of plain words only, each word the index has in fewer than
// rareDocs papers replaced by the most frequent word within two edits that it has in at least
// commonDocs. Called with mu held for reading.
func (ix *Index) suggest(text string) string {
	sq, err := syntax.Parse(text, syntax.Options{})
	if err != nil || len(sq.Clauses) == 0 || len(sq.Clauses) > 8 {
		return ""
	}
	const rareDocs, commonDocs = 3, 5
	out := make([]string, 0, len(sq.Clauses))
	changed := false
	for _, c := range sq.Clauses {
		if c.Kind != syntax.Word || c.Field != "" || c.Occur != syntax.Should {
			return ""
		}
		w := strings.ToLower(c.Text)
		fix := w
		if terms := ix.emb.Terms(w); len(terms) == 1 && ix.kw.DF(terms[0]) < rareDocs {
			if f := ix.kw.Correct(w, 2, commonDocs); f != "" {
				fix, changed = f, true
			}
		}
		out = append(out, fix)
	}
	if !changed {
		return ""
	}
	return strings.Join(out, " ")
}

// Overview describes the index for a home page: its size, dates and main categories.
type Overview struct {
	Papers int `json:"papers"`
	// First and Last are the earliest and latest publication dates ("" when no paper has one).
	First string `json:"first,omitempty"`
	Last  string `json:"last,omitempty"`
	// Categories are the most frequent categories; Years the papers per year, newest first.
	Categories []FacetCount `json:"categories"`
	Years      []FacetCount `json:"years"`
}

// Overview returns the index's overview, computed at most once per write. Cost O(papers) after a
// write, then O(1).
func (ix *Index) Overview() Overview {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return Overview{}
	}
	ix.overviewMu.Lock()
	defer ix.overviewMu.Unlock()
	gen := ix.gen.Load()
	if ix.overview != nil && ix.overviewGen == gen {
		return *ix.overview
	}
	o := Overview{Papers: ix.kw.Len()}
	cats := map[string]int{}
	years := map[int]int{}
	first, last := int32(maxDay), int32(minDay)
	ix.kw.Each(func(d uint32) {
		ix.kw.EachCategory(d, func(name string) { cats[name]++ })
		if day := ix.kw.Date(d); day != bm25.NoDate {
			first, last = min(first, day), max(last, day)
			years[dayOf(day).Year()]++
		}
	})
	if first <= last {
		o.First, o.Last = dayOf(first).Format("2006-01-02"), dayOf(last).Format("2006-01-02")
	}
	for name, n := range cats {
		o.Categories = append(o.Categories, FacetCount{Value: name, Count: n})
	}
	slices.SortFunc(o.Categories, func(a, b FacetCount) int {
		if d := cmp.Compare(b.Count, a.Count); d != 0 {
			return d
		}
		return cmp.Compare(a.Value, b.Value)
	})
	o.Categories = o.Categories[:min(len(o.Categories), 10)]
	for y, n := range years {
		o.Years = append(o.Years, FacetCount{Value: strconv.Itoa(y), Count: n})
	}
	slices.SortFunc(o.Years, func(a, b FacetCount) int { return cmp.Compare(b.Value, a.Value) })
	ix.overview, ix.overviewGen = &o, gen
	return o
}

// AuthorProfile is an author's page: their papers, newest first, and what they write about.
type AuthorProfile struct {
	// Name is the spelling the papers use most.
	Name string `json:"name"`
	// Papers is how many papers list the author (names compared accent- and case-folded).
	Papers int `json:"papers"`
	// Terms are the distinctive terms of their papers, heaviest first.
	Terms []string `json:"terms"`
	// Coauthors are the names they share papers with most.
	Coauthors []FacetCount `json:"coauthors"`
	Results   []Result     `json:"results"`
}

// maxProfilePapers bounds the papers an author profile reads to find terms and co-authors.
const maxProfilePapers = 100

// Author returns the profile of the author with the given name: their papers newest first (a page of
// them, by offset and limit), the terms their papers share most and their co-authors. ErrNotFound if
// no paper lists the name.
func (ix *Index) Author(ctx context.Context, name string, rk Ranking) (AuthorProfile, error) {
	r, err := ix.resolve(rk)
	if err != nil {
		return AuthorProfile{}, err
	}
	f := FoldName(name)
	if f == "" {
		return AuthorProfile{}, fmt.Errorf("%w: the author name is empty", ErrBadRequest)
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return AuthorProfile{}, ErrClosed
	}
	q := bm25.Query{Keys: []string{keyName + f}, Filter: ix.keywordFilter(rk.Filter)}
	all, err := ix.kw.SearchNewest(ctx, q, maxProfilePapers)
	if err != nil {
		return AuthorProfile{}, err
	}
	if len(all) == 0 {
		return AuthorProfile{}, fmt.Errorf("%w: no paper lists the author %q", ErrNotFound, name)
	}
	prof := AuthorProfile{Papers: ix.kw.DF(keyName + f)}
	ids := make([]string, len(all))
	for i, h := range all {
		ids[i] = h.ID
	}
	papers, err := ix.fetch(ctx, ids)
	if err != nil {
		return AuthorProfile{}, err
	}
	spellings := map[string]int{}
	co := map[string]int{}
	weights := map[string]float64{}
	surface := map[string]string{}
	for _, id := range ids {
		p := papers[id]
		for _, a := range p.Authors {
			if FoldName(a) == f {
				spellings[a]++
			} else {
				co[a]++
			}
		}
		for _, t := range ix.selectTerms(EmbedText(p), 10) {
			weights[t.term] += t.weight
			surface[t.term] = t.surface
		}
	}
	prof.Name = topKey(spellings, name)
	prof.Terms = topTerms(weights, surface, 12)
	for a, n := range co {
		prof.Coauthors = append(prof.Coauthors, FacetCount{Value: a, Count: n})
	}
	slices.SortFunc(prof.Coauthors, func(a, b FacetCount) int {
		if d := cmp.Compare(b.Count, a.Count); d != 0 {
			return d
		}
		return cmp.Compare(a.Value, b.Value)
	})
	prof.Coauthors = prof.Coauthors[:min(len(prof.Coauthors), 12)]
	page := make([]Fused, 0, r.limit)
	for i := r.offset; i < min(r.offset+r.limit, len(all)); i++ {
		page = append(page, Fused{ID: all[i].ID})
	}
	if prof.Results, err = ix.materialise(ctx, page, nil, false, nil); err != nil {
		return AuthorProfile{}, err
	}
	return prof, nil
}

func topKey(m map[string]int, def string) string {
	best, n := def, 0
	for k, v := range m {
		if v > n || (v == n && k < best) {
			best, n = k, v
		}
	}
	return best
}

func topTerms(w map[string]float64, surface map[string]string, n int) []string {
	ts := make([]string, 0, len(w))
	for t := range w {
		ts = append(ts, t)
	}
	slices.SortFunc(ts, func(a, b string) int {
		if d := cmp.Compare(w[b], w[a]); d != 0 {
			return d
		}
		return cmp.Compare(a, b)
	})
	out := make([]string, 0, n)
	for _, t := range ts {
		if len(out) == n {
			break
		}
		if s := surface[t]; !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

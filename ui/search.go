package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kindred-search/kindred/index"
)

// searchForm is the search page's state as the URL carries it.
type searchForm struct {
	Q        string
	Mode     string // "hybrid", "keyword" or "vector"
	From, To string
	Category string // comma-separated
	Sort     string // "" (relevance) or "newest"
	Page     int    // 1-based
}

// url is the address of this search at the given page, leaving out what is at its default.
// The parameters keep the form's order (url.Values.Encode would sort them), so the query comes first.
func (f searchForm) url(page int) string {
	var b strings.Builder
	b.WriteString("/search?q=")
	b.WriteString(url.QueryEscape(f.Q))
	add := func(k, v string) {
		if v != "" {
			b.WriteString("&" + k + "=" + url.QueryEscape(v))
		}
	}
	if f.Mode != "hybrid" {
		add("mode", f.Mode)
	}
	add("from", f.From)
	add("to", f.To)
	add("category", f.Category)
	add("sort", f.Sort)
	if page > 1 {
		add("page", strconv.Itoa(page))
	}
	return b.String()
}

func (f searchForm) HasFilters() bool { return f.From != "" || f.To != "" || f.Category != "" }

// modeOption is one choice of the ranking switch.
type modeOption struct {
	Value, Label, Help string
	Checked            bool
}

func modeOptions(current string) []modeOption {
	opts := []modeOption{
		{Value: "hybrid", Label: "Hybrid", Help: "the keyword and vector rankings, fused"},
		{Value: "keyword", Label: "Keyword", Help: "BM25 over the query's words"},
		{Value: "vector", Label: "Vector", Help: "nearest neighbours of the query's hashed word and bigram vector"},
	}
	for i := range opts {
		opts[i].Checked = opts[i].Value == current
	}
	return opts
}

type searchView struct {
	layout
	Form     searchForm
	Modes    []modeOption
	Invalid  map[string]bool // form fields to mark aria-invalid
	Problem  *problem
	Examples []link
	// Overview describes the index on the home page.
	Overview *overviewView

	Searched   bool // a search ran (as opposed to the home page or a rejected form)
	Results    []resultView
	Total      int
	TotalExact bool
	// Author links to the author's page when the query is exactly an author's name.
	Author *link
	// Suggestion is the query with its spelling corrected, when the engine offers one.
	Suggestion *link
	// Aside holds the sort order, the date shortcuts and the facets beside the results.
	Aside *asideView
	// Note says in one line what was done with query text that was not searched as given.
	Note     string
	First    int // 1-based position of the first result shown
	Last     int
	Took     string
	ModeName string
	Pager    *pager
	// Suggestions for a search that found nothing.
	Suggestions []link
}

func (s *server) serveSearch(w http.ResponseWriter, r *http.Request) {
	form, req, invalid, prob := s.parseSearch(r.URL.Query())
	v := &searchView{
		layout:  layout{Name: s.opts.Name, Nav: "search", Sample: s.opts.Sample},
		Form:    form,
		Modes:   modeOptions(form.Mode),
		Invalid: invalid,
		Problem: prob,
	}
	if prob != nil {
		v.Title = prob.Title
		s.render(w, r, prob.Status, "search", v)
		return
	}
	if form.Q == "" {
		for _, e := range s.opts.Examples {
			v.Examples = append(v.Examples, link{Text: e, URL: searchForm{Q: e}.url(1)})
		}
		v.Overview = s.overview()
		s.render(w, r, http.StatusOK, "search", v)
		return
	}
	v.Title = form.Q
	res, err := s.core.Search(r.Context(), req)
	if err != nil {
		p := s.problemFor(r, err)
		if p.Status == statusClientGone {
			return
		}
		if errors.Is(err, index.ErrBadQuery) {
			if plain := plainWords(form.Q); plain != "" && plain != form.Q {
				f := form
				f.Q = plain
				p.Fix = &link{Text: "Search for the words only: " + plain, URL: f.url(1)}
			}
			v.Invalid = map[string]bool{"q": true}
		}
		if errors.Is(err, index.ErrBadRequest) {
			v.Invalid = map[string]bool{"from": form.From != "", "to": form.To != ""}
		}
		v.Problem = p
		s.render(w, r, p.Status, "search", v)
		return
	}
	v.Searched = true
	v.Wide = true
	v.Total, v.TotalExact = res.Total, res.TotalExact
	if a := res.Author; a != nil {
		v.Author = &link{Text: fmt.Sprintf("Papers by %s (%d)", a.Name, a.Papers), URL: authorURL(a.Name, 1)}
	}
	if sg := res.Suggestion; sg != "" && res.Author == nil && sg != form.Q {
		f := form
		f.Q = sg
		v.Suggestion = &link{Text: sg, URL: f.url(1)}
	}
	if len(res.Results) > 0 || form.HasFilters() || form.Sort != "" {
		v.Aside = s.aside(form, res.Facets)
	}
	if len(res.Notes) > 0 {
		msgs := make([]string, len(res.Notes))
		for i, n := range res.Notes {
			msgs[i] = n.Message
		}
		v.Note = "Note: " + strings.Join(msgs, "; ") + "."
	}
	v.Took = took(res.Took)
	v.ModeName = modeLabel(res.Mode)
	catURL := func(c string) string {
		f := form
		f.Category = c
		return f.url(1)
	}
	v.Results = resultViews(res, req.Offset, catURL)
	if len(v.Results) > 0 {
		v.First, v.Last = req.Offset+1, req.Offset+len(v.Results)
	}
	last := min((res.Total+s.opts.PageSize-1)/s.opts.PageSize, index.MaxOffset/s.opts.PageSize+1)
	if len(v.Results) < s.opts.PageSize {
		// A short page is the last one, whatever the count says: the vector side can find fewer
		// neighbours than there are papers with the query's words.
		last = form.Page
	}
	v.Pager = makePager(form.Page, max(last, form.Page), form.url)
	status := http.StatusOK
	if len(v.Results) == 0 {
		v.Suggestions = suggestions(form)
		if form.Page > 1 {
			// A page past the end does not exist; the first page does.
			status = http.StatusNotFound
			v.Pager = nil
			v.Suggestions = append([]link{{Text: "Go to the first page of results", URL: form.url(1)}}, v.Suggestions...)
		}
	}
	s.render(w, r, status, "search", v)
}

// parseSearch reads the search page's parameters. Every bad field is reported, not just the first.
func (s *server) parseSearch(q url.Values) (searchForm, index.Request, map[string]bool, *problem) {
	f := searchForm{
		Q:        strings.TrimSpace(q.Get("q")),
		Mode:     q.Get("mode"),
		From:     strings.TrimSpace(q.Get("from")),
		To:       strings.TrimSpace(q.Get("to")),
		Category: strings.Join(index.SplitCategories(q["category"]...), ","),
		Page:     1,
	}
	req := index.Request{Query: f.Q, Highlight: true, Facets: true}
	invalid := map[string]bool{}
	var details []string
	bad := func(field, format string, args ...any) {
		invalid[field] = true
		details = append(details, fmt.Sprintf(format, args...))
	}

	if n := utf8.RuneCountInString(f.Q); len(f.Q) > MaxQueryLen {
		bad("q", "The query has %d characters; the limit is %d bytes. Use the “Similar text” page to search with a whole abstract.", n, MaxQueryLen)
	}
	rk, errs := index.RankingParams{Mode: f.Mode, From: f.From, To: f.To, Categories: q["category"]}.Check()
	req.Ranking = rk
	req.Limit = s.opts.PageSize
	f.Mode = modeLabel(rk.Mode)
	for _, e := range errs {
		switch e.Param {
		case "mode":
			bad("mode", "“%s” is not a ranking mode: choose hybrid, keyword or vector.", q.Get("mode"))
			f.Mode = "hybrid"
		case "from":
			bad("from", "The “from” date %s.", dateProblem(f.From, paramCause(e)))
		case "to":
			if strings.Contains(e.Message, "before") {
				bad("to", "The “to” date is before the “from” date.")
			} else {
				bad("to", "The “to” date %s.", dateProblem(f.To, paramCause(e)))
			}
		case "category":
			bad("category", "There are too many categories; the limit is %d.", index.MaxCategories)
		default:
			bad(e.Param, "%s", e.Message)
		}
	}
	if sort, err := index.ParseSort(q.Get("sort")); err != nil {
		bad("sort", "“%s” is not an order: choose relevance or newest.", q.Get("sort"))
	} else if req.Sort = sort; sort == index.SortNewest {
		f.Sort = string(sort)
	}
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		switch {
		case err != nil || n < 1:
			bad("page", "The page number “%s” is not a whole number of 1 or more.", p)
		case (n-1)*s.opts.PageSize > index.MaxOffset:
			bad("page", "Kindred shows the first %d results only; page %d is past them. Narrow the search with more words or filters.", index.MaxOffset+s.opts.PageSize, n)
		default:
			f.Page = n
		}
	}
	req.Offset = (f.Page - 1) * s.opts.PageSize
	if len(details) == 0 {
		return f, req, nil, nil
	}
	p := &problem{Status: http.StatusBadRequest, Title: "Check the search form", Details: details}
	if invalid["from"] || invalid["to"] {
		p.Hint = "Write dates as YYYY, YYYY-MM or YYYY-MM-DD, for example 2023 or 2023-06-30."
	}
	return f, req, invalid, p
}

// paramCause is a parameter error's message without the parameter's name in front.
func paramCause(e *index.ParamError) error {
	return errors.New(strings.TrimPrefix(e.Message, e.Param+": "))
}

// dateProblem explains why a date did not parse, in words that fit after "The “from” date".
func dateProblem(s string, err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	if strings.HasPrefix(msg, "want ") {
		return fmt.Sprintf("“%s” is not in a format Kindred reads: it wants YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	return fmt.Sprintf("“%s” is not a real date (%s)", s, msg)
}

// plainWords is the query with the query language's operators and special characters removed.
func plainWords(q string) string {
	q = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`+-=&|><!(){}[]^"~*?:\/`, r) {
			return ' '
		}
		return r
	}, q)
	return strings.Join(strings.Fields(q), " ")
}

// suggestions are what to try after a search that found nothing.
func suggestions(f searchForm) []link {
	var out []link
	if f.HasFilters() {
		g := f
		g.From, g.To, g.Category = "", "", ""
		out = append(out, link{Text: "Search again without the date and category filters", URL: g.url(1)})
	}
	if plain := plainWords(f.Q); plain != "" && plain != f.Q {
		g := f
		g.Q = plain
		out = append(out, link{Text: "Search for the words only: " + plain, URL: g.url(1)})
	}
	return out
}

package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kindred-search/kindred/index"
)

// maxAuthorNameLen bounds the name the author page accepts, in bytes: longer than any real name.
const maxAuthorNameLen = 300

// authorURL is the page of the author with the given name (the engine folds case and accents).
func authorURL(name string, page int) string {
	u := "/author?name=" + url.QueryEscape(name)
	if page > 1 {
		u += "&page=" + strconv.Itoa(page)
	}
	return u
}

type authorView struct {
	layout
	Author    string
	Papers    int
	Listed    int // papers the pages can list (the engine reads the newest maxProfilePapers)
	Terms     []link
	Coauthors []facetLink
	Results   []resultView
	First     int
	FirstPage string
	Pager     *pager
}

// authorListed is how many of an author's papers the engine pages through (index.maxProfilePapers).
const authorListed = 100

func (s *server) serveAuthor(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	name := strings.TrimSpace(q.Get("name"))
	page := 1
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || (n-1)*s.opts.PageSize >= authorListed {
			s.renderProblem(w, r, &problem{
				Status:  http.StatusBadRequest,
				Title:   "Check the page number",
				Details: []string{fmt.Sprintf("The page number “%s” is not one of this author's pages.", p)},
				Hint:    "Start again from the author's first page.",
			})
			return
		}
		page = n
	}
	if name == "" || len(name) > maxAuthorNameLen {
		s.renderProblem(w, r, &problem{
			Status:  http.StatusBadRequest,
			Title:   "Which author?",
			Details: []string{"This address names no author: it should look like /author?name=Ada+Lovelace."},
			Hint:    "Follow an author's name from a paper, or search for authors:lovelace.",
		})
		return
	}
	prof, err := s.core.Author(r.Context(), name, index.Ranking{Limit: s.opts.PageSize, Offset: (page - 1) * s.opts.PageSize})
	if errors.Is(err, index.ErrNotFound) {
		f := searchForm{Q: name, Mode: "hybrid"}
		s.renderProblem(w, r, &problem{
			Status:  http.StatusNotFound,
			Title:   "No papers by this author",
			Details: []string{"No paper in this index lists an author of that name (names are compared without regard to case or accents)."},
			Hint:    "Check the spelling, or search for the name in titles and abstracts.",
			Fix:     &link{Text: "Search for " + name, URL: f.url(1)},
		})
		return
	}
	if err != nil {
		s.renderProblem(w, r, s.problemFor(r, err))
		return
	}
	v := &authorView{
		layout: layout{Name: s.opts.Name, Title: "Papers by " + prof.Name, HeaderSearch: true, Sample: s.opts.Sample},
		Author: prof.Name,
		Papers: prof.Papers,
		Listed: min(prof.Papers, authorListed),
		First:  (page-1)*s.opts.PageSize + 1,
	}
	v.FirstPage = authorURL(name, 1)
	for _, t := range prof.Terms {
		v.Terms = append(v.Terms, link{Text: t, URL: searchForm{Q: t, Mode: "hybrid"}.url(1)})
	}
	for _, c := range prof.Coauthors {
		v.Coauthors = append(v.Coauthors, facetLink{Label: c.Value, Count: c.Count, URL: authorURL(c.Value, 1)})
	}
	v.Results = resultViews(index.Response{Results: prof.Results}, v.First-1, nil)
	status := http.StatusOK
	if len(v.Results) == 0 {
		status = http.StatusNotFound // a page past the last
	}
	last := (v.Listed + s.opts.PageSize - 1) / s.opts.PageSize
	v.Pager = makePager(page, max(last, page), func(n int) string { return authorURL(name, n) })
	s.render(w, r, status, "author", v)
}

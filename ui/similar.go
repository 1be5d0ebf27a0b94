package ui

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/kindred-search/kindred/index"
)

// The similar page takes its text by GET (?text=), not POST: the search is read-only, so there is no
// state to protect from cross-site requests, and a GET result can be bookmarked, shared and reached
// with the back button without a "resubmit the form?" prompt. MaxSimilarLen keeps the URL inside
// what browsers and proxies pass; an arXiv abstract is at most 1,920 characters.

type similarView struct {
	layout
	Text     string
	Invalid  bool
	Problem  *problem
	Searched bool
	Results  []resultView
	Took     string
}

func (s *server) serveSimilar(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := &similarView{layout: layout{Name: s.opts.Name, Title: "Find papers like this text", Nav: "similar", HeaderSearch: true, Sample: s.opts.Sample}}
	if !q.Has("text") {
		s.render(w, r, http.StatusOK, "similar", v)
		return
	}
	v.Text = strings.TrimSpace(q.Get("text"))
	switch n := utf8.RuneCountInString(v.Text); {
	case n == 0:
		v.Problem = &problem{
			Status:  http.StatusBadRequest,
			Title:   "There is no text to compare",
			Details: []string{"The text box was empty."},
			Hint:    "Paste an abstract or a few sentences about a topic, then press “Find related papers”.",
		}
	case n > MaxSimilarLen:
		v.Problem = &problem{
			Status:  http.StatusBadRequest,
			Title:   "The text is too long",
			Details: []string{fmt.Sprintf("It has %d characters; the limit is %d.", n, MaxSimilarLen)},
			Hint:    "Paste the abstract only: its distinctive words are what Kindred compares.",
		}
	}
	if v.Problem != nil {
		v.Invalid = true
		s.render(w, r, v.Problem.Status, "similar", v)
		return
	}
	res, err := s.core.Similar(r.Context(), v.Text, index.RelatedRequest{Ranking: index.Ranking{Mode: index.ModeHybrid, Limit: s.opts.RelatedSize}})
	if err != nil {
		p := s.problemFor(r, err)
		if p.Status == statusClientGone {
			return
		}
		v.Problem = p
		s.render(w, r, p.Status, "similar", v)
		return
	}
	v.Searched = true
	v.Took = took(res.Took)
	v.Results = resultViews(res, 0, nil)
	s.render(w, r, http.StatusOK, "similar", v)
}

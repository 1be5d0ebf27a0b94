package ui

import (
	"net/http"

	"github.com/kindred-search/kindred/index"
)

// The reading list lives in the browser (localStorage, written by app.js): no account, nothing kept
// on the server. app.js opens /list?ids=A,B,... from it, which the server renders like any page, so
// a list can also be bookmarked or sent to someone. Export and "more like these" take the same IDs.

type listView struct {
	layout
	IDs     string // the ids parameter, for the links
	Results []resultView
	Missing []string // saved IDs that name no paper in this index
	Cites   []citeLink
	More    string // "more like these"
}

func (s *server) serveList(w http.ResponseWriter, r *http.Request) {
	ids := listIDs(r.URL.RawQuery, "ids")
	v := &listView{layout: layout{Name: s.opts.Name, Title: "Reading list", Nav: "list", HeaderSearch: true, Sample: s.opts.Sample}}
	if len(ids) == 0 {
		s.render(w, r, http.StatusOK, "list", v)
		return
	}
	ps, missing, err := s.core.Lookup(r.Context(), ids...)
	if err != nil {
		s.renderProblem(w, r, s.problemFor(r, err))
		return
	}
	v.Missing = missing
	found := make([]string, len(ps))
	res := index.Response{Results: make([]index.Result, len(ps))}
	for i, p := range ps {
		found[i] = p.ID
		res.Results[i] = index.Result{Paper: p}
	}
	v.Results = resultViews(res, 0, nil)
	if len(found) > 0 {
		v.IDs = idsParam(found)
		v.Cites = citeLinks("/list/export?ids=" + v.IDs + "&")
		v.More = "/recommend?positive=" + v.IDs
	}
	s.render(w, r, http.StatusOK, "list", v)
}

type recommendView struct {
	layout
	Seeds   []link
	Missing []string
	Results []resultView
	Took    string
}

// serveRecommend serves /recommend?positive=A,B: papers like the seeds (index.Recommend).
func (s *server) serveRecommend(w http.ResponseWriter, r *http.Request) {
	ids := listIDs(r.URL.RawQuery, "positive")
	if len(ids) == 0 {
		s.renderProblem(w, r, emptyListProblem())
		return
	}
	ids = ids[:min(len(ids), index.MaxSeeds)]
	ps, missing, err := s.core.Lookup(r.Context(), ids...)
	if err != nil {
		s.renderProblem(w, r, s.problemFor(r, err))
		return
	}
	if len(ps) == 0 {
		s.renderProblem(w, r, &problem{
			Status:  http.StatusNotFound,
			Title:   "Papers not found",
			Details: []string{"None of these papers is in this index."},
			Hint:    "The list may come from another index. Save papers from this one, then ask for more like them.",
		})
		return
	}
	v := &recommendView{
		layout:  layout{Name: s.opts.Name, Title: "More like these", Nav: "list", HeaderSearch: true, Sample: s.opts.Sample},
		Missing: missing,
	}
	seeds := make([]string, len(ps))
	for i, p := range ps {
		seeds[i] = p.ID
		v.Seeds = append(v.Seeds, link{Text: p.Title, URL: paperURL(p.ID)})
	}
	res, err := s.core.Recommend(r.Context(), index.RecommendRequest{Positive: seeds, Ranking: index.Ranking{Mode: index.ModeHybrid, Limit: s.opts.RelatedSize}})
	if err != nil {
		s.renderProblem(w, r, s.problemFor(r, err))
		return
	}
	v.Took = took(res.Took)
	v.Results = resultViews(res, 0, nil)
	s.render(w, r, http.StatusOK, "recommend", v)
}

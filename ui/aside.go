package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/kindred-search/kindred/index"
)

// asideView is what sits beside the results: the order, the date shortcuts and the facet counts,
// every one a link to the same search with one thing changed.
type asideView struct {
	Sorts  []facetLink
	Recent []facetLink // the last 7, 30 and 365 days
	Years  []facetLink
	Cats   []facetLink
	// Approx: the counts were estimated from part of the index (index.Facets.Exact is false).
	Approx bool
	// Clear removes the date and category filters, when there are some.
	Clear string
}

// facetLink is one choice: its label, the number of matching papers (0 when not counted), the
// search with it applied, and whether it is the current one (then URL removes it).
type facetLink struct {
	Label   string
	Count   int
	URL     string
	Current bool
}

// maxYearFacets bounds the years listed beside the results, newest first.
const maxYearFacets = 12

// recentDays are the date shortcuts.
var recentDays = []int{7, 30, 365}

func (s *server) aside(f searchForm, facets *index.Facets) *asideView {
	a := &asideView{}
	for _, o := range []struct{ label, value string }{{"Relevance", ""}, {"Newest first", string(index.SortNewest)}} {
		g := f
		g.Sort = o.value
		a.Sorts = append(a.Sorts, facetLink{Label: o.label, URL: g.url(1), Current: f.Sort == o.value})
	}
	today := s.opts.Now().UTC().Truncate(24 * time.Hour)
	for _, n := range recentDays {
		g := f
		g.From, g.To = today.AddDate(0, 0, -n).Format(time.DateOnly), today.Format(time.DateOnly)
		cur := f.From == g.From && f.To == g.To
		if cur {
			g.From, g.To = "", ""
		}
		a.Recent = append(a.Recent, facetLink{Label: "Last " + strconv.Itoa(n) + " days", URL: g.url(1), Current: cur})
	}
	if facets != nil {
		a.Approx = !facets.Exact
		for _, y := range facets.Years[:min(len(facets.Years), maxYearFacets)] {
			g := f
			cur := f.From == y.Value && f.To == y.Value
			g.From, g.To = y.Value, y.Value
			if cur {
				g.From, g.To = "", ""
			}
			a.Years = append(a.Years, facetLink{Label: y.Value, Count: y.Count, URL: g.url(1), Current: cur})
		}
		for _, c := range facets.Categories {
			g := f
			cur := strings.EqualFold(f.Category, c.Value)
			g.Category = c.Value
			if cur {
				g.Category = ""
			}
			a.Cats = append(a.Cats, facetLink{Label: c.Value, Count: c.Count, URL: g.url(1), Current: cur})
		}
	}
	if f.HasFilters() {
		g := f
		g.From, g.To, g.Category = "", "", ""
		a.Clear = g.url(1)
	}
	return a
}

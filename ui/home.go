package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
)

// overviewView is what the home page says about the index: how many papers, from when to when, its
// main categories and a histogram of papers per year, each bar a link to that year's papers.
type overviewView struct {
	Papers      int
	First, Last string // date labels, "" when no paper has a date
	Categories  []facetLink
	Years       []yearBar
	// ChartWidth and ChartHeight size the histogram's SVG.
	ChartWidth, ChartHeight int
	AxisY                   int
	Sample                  bool
	All                     string // every paper, newest first
}

// yearBar is one bar of the histogram.
type yearBar struct {
	Year, Label, URL string
	X, Y, W, H       int
	Count            int
}

// Sizes of the histogram of papers per year.
const (
	chartHeight  = 56
	maxChartBars = 40 // the most recent years shown
	barWidth     = 14
	barGap       = 3
	axisHeight   = 14 // the first and last year under the bars
)

func (s *server) overview() *overviewView {
	o := s.core.Overview()
	v := &overviewView{Papers: o.Papers, Sample: s.opts.Sample, All: searchForm{Q: "*", Mode: "hybrid"}.url(1)}
	// The engine gives days; a month is what a reader needs here (and all a month-only date has).
	if d, err := paper.ParseDate(o.First); err == nil && o.First != "" {
		v.First = d.Time().Format("Jan 2006")
	}
	if d, err := paper.ParseDate(o.Last); err == nil && o.Last != "" {
		v.Last = d.Time().Format("Jan 2006")
	}
	for _, c := range o.Categories {
		f := searchForm{Q: categoryQuery(c.Value), Mode: "hybrid"}
		v.Categories = append(v.Categories, facetLink{Label: c.Value, Count: c.Count, URL: f.url(1)})
	}
	years := yearRange(o.Years)
	top := 0
	for _, y := range years {
		top = max(top, y.Count)
	}
	for i, y := range years {
		h := y.Count * chartHeight / max(top, 1)
		if y.Count > 0 {
			h = max(h, 2)
		}
		f := searchForm{Q: "*", Mode: "hybrid", From: y.Value, To: y.Value}
		v.Years = append(v.Years, yearBar{
			Year: y.Value, Count: y.Count, URL: f.url(1),
			Label: fmt.Sprintf("%s: %d %s", y.Value, y.Count, plural(y.Count, "paper", "papers")),
			X:     i * (barWidth + barGap), Y: chartHeight - h, W: barWidth, H: h,
		})
	}
	v.ChartWidth = max(len(years)*(barWidth+barGap)-barGap, 60)
	v.ChartHeight = chartHeight + axisHeight
	v.AxisY = chartHeight + axisHeight - 2
	return v
}

// yearRange is the counts per year (newest first, as the engine gives them) oldest first, with the
// years between that have no paper as zeros, for the last maxChartBars years.
func yearRange(ys []index.FacetCount) []index.FacetCount {
	if len(ys) == 0 {
		return nil
	}
	byYear := map[int]int{}
	last, first := 0, 0
	for i, y := range ys {
		n, err := strconv.Atoi(y.Value)
		if err != nil {
			continue
		}
		byYear[n] = y.Count
		if i == 0 || n > last {
			last = n
		}
		if i == 0 || n < first {
			first = n
		}
	}
	first = max(first, last-maxChartBars+1)
	out := make([]index.FacetCount, 0, last-first+1)
	for y := first; y <= last; y++ {
		out = append(out, index.FacetCount{Value: strconv.Itoa(y), Count: byYear[y]})
	}
	return out
}

// categoryQuery is the query for the papers of one category.
func categoryQuery(c string) string {
	return `categories:"` + strings.ReplaceAll(strings.ReplaceAll(c, `\`, `\\`), `"`, `\"`) + `"`
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

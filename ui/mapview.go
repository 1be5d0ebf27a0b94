package ui

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
)

// The map of related papers on a paper's page, in the spirit of Connected Papers: the paper, the
// papers related to it and the papers related to those, two hops of mapFanout each, at most
// mapMaxNodes in all. Edges are weighted by the cosine similarity of the papers' vectors, which the
// related-papers ranking reports for every result; the layout (layout.go) places similar papers close
// together. The work is bounded: the first hop is the page's own related list (hybrid), the second
// mapFanout Related calls in vector mode with IDsOnly (nearest neighbours, which cost a fraction of a
// hybrid query's keyword side and give exactly the similarity the edges show), then one Lookup for
// the titles.

const (
	// mapFanout is how many related papers each paper of the first two hops contributes.
	mapFanout = 8
	// mapMaxNodes caps the papers on the map, the paper itself included.
	mapMaxNodes = 40
	// mapMinWeight is the weight of an edge whose similarity is unknown or tiny, so it still pulls.
	mapMinWeight = 0.05
)

// mapNode is one paper on the map.
type mapNode struct {
	ID    string
	Title string
	Date  paper.Date
	Hop   int // 0 the paper itself, 1 related to it, 2 related to those
}

// paperMap is the map's graph before it is drawn: nodes[i] is graph node i.
type paperMap struct {
	Nodes []mapNode
	Graph graph
}

// buildMap gathers the map around src, whose related papers (rank order, hybrid, with their vector
// components) the page already has.
func (s *server) buildMap(ctx context.Context, src paper.Paper, related []index.Result) (*paperMap, error) {
	first := related[:min(len(related), mapFanout)]
	if len(first) == 0 {
		return nil, nil
	}
	m := &paperMap{Nodes: []mapNode{{ID: src.ID, Title: src.Title, Date: src.Published}}}
	at := map[string]int{src.ID: 0}
	weights := map[[2]int]float64{}
	link := func(a, b int, r index.Result) {
		if a == b {
			return
		}
		if a > b {
			a, b = b, a
		}
		w := 0.0
		if r.Vector != nil {
			w = r.Vector.Score
		}
		weights[[2]int{a, b}] = max(weights[[2]int{a, b}], w)
	}
	for _, r := range first {
		at[r.Paper.ID] = len(m.Nodes)
		m.Nodes = append(m.Nodes, mapNode{ID: r.Paper.ID, Title: r.Paper.Title, Date: r.Paper.Published, Hop: 1})
		link(0, at[r.Paper.ID], r)
	}

	// The second hop, bounded to as many calls at a time as there are CPUs.
	second := make([][]index.Result, len(first))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, r := range first {
		g.Go(func() error {
			res, err := s.core.Related(gctx, r.Paper.ID, index.RelatedRequest{Ranking: index.Ranking{Mode: index.ModeVector, Limit: mapFanout}, IDsOnly: true})
			if err != nil {
				return fmt.Errorf("map: related to %s: %w", r.Paper.ID, err)
			}
			second[i] = res.Results
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	// Papers of the second hop: those related to more of the first hop first, then the more similar.
	type candidate struct {
		id      string
		parents int
		best    float64
		order   int // first seen, for a stable order among equals
	}
	cands := map[string]*candidate{}
	for i, rs := range second {
		for j, r := range rs {
			id := r.Paper.ID
			if _, ok := at[id]; ok {
				continue
			}
			c := cands[id]
			if c == nil {
				c = &candidate{id: id, order: i*mapFanout + j}
				cands[id] = c
			}
			c.parents++
			if r.Vector != nil {
				c.best = max(c.best, r.Vector.Score)
			}
		}
	}
	order := make([]*candidate, 0, len(cands))
	for _, c := range cands {
		order = append(order, c)
	}
	slices.SortFunc(order, func(a, b *candidate) int {
		if d := cmp.Compare(b.parents, a.parents); d != 0 {
			return d
		}
		if d := cmp.Compare(b.best, a.best); d != 0 {
			return d
		}
		return cmp.Compare(a.order, b.order)
	})
	var ids []string
	for _, c := range order[:min(len(order), mapMaxNodes-len(m.Nodes))] {
		ids = append(ids, c.id)
	}
	if len(ids) > 0 {
		ps, _, err := s.core.Lookup(ctx, ids...)
		if err != nil {
			return nil, fmt.Errorf("map: look up papers: %w", err)
		}
		for _, p := range ps {
			at[p.ID] = len(m.Nodes)
			m.Nodes = append(m.Nodes, mapNode{ID: p.ID, Title: p.Title, Date: p.Published, Hop: 2})
		}
	}
	for i, rs := range second {
		for _, r := range rs {
			if j, ok := at[r.Paper.ID]; ok {
				link(1+i, j, r)
			}
		}
	}

	// Weights relative to the most similar pair, in a stable order.
	top := 0.0
	for _, w := range weights {
		top = max(top, w)
	}
	m.Graph.N = len(m.Nodes)
	for k, w := range weights {
		if top > 0 {
			w /= top
		}
		m.Graph.Edges = append(m.Graph.Edges, edge{A: k[0], B: k[1], W: max(w, mapMinWeight)})
	}
	slices.SortFunc(m.Graph.Edges, func(a, b edge) int {
		if d := cmp.Compare(a.A, b.A); d != 0 {
			return d
		}
		return cmp.Compare(a.B, b.B)
	})
	return m, nil
}

// mapView is the map as the template draws it: an SVG of Width x Height.
type mapView struct {
	Width, Height float64
	Edges         []mapEdgeView
	Nodes         []mapNodeView
	// First and Last are the years the colours run between ("" when no paper has a date).
	First, Last string
	Hop1, Hop2  []mapNodeView // the nodes by hop, for the list under the map
}

type mapEdgeView struct {
	X1, Y1, X2, Y2 string
	Width, Opacity string
}

type mapNodeView struct {
	URL, Title string
	Year       string
	X, Y, R    string
	Class      string // "source", "hop1" or "hop2", plus the date's colour "d0".."d4" or "nodate"
	// Label is the title shown beside the node on hover and focus, placed by LX, LY and Anchor.
	Label          string
	LX, LY, Anchor string
}

// labelCharWidth is a generous width of a character of a node's label (13px, bold), to cut labels.
const labelCharWidth = 8.8

// dateBands is the number of colours from the oldest paper on the map to the newest.
const dateBands = 5

// drawMap lays out m and turns it into what the template draws.
func drawMap(m *paperMap) *mapView {
	o := defaultLayout
	pos := layoutGraph(m.Graph, o)
	v := &mapView{Width: o.Width, Height: o.Height}
	f := func(x float64) string { return fmt.Sprintf("%.1f", x) }
	for _, e := range m.Graph.Edges {
		a, b := pos[e.A], pos[e.B]
		v.Edges = append(v.Edges, mapEdgeView{X1: f(a.X), Y1: f(a.Y), X2: f(b.X), Y2: f(b.Y),
			Width: fmt.Sprintf("%.2f", 0.6+2.4*e.W), Opacity: fmt.Sprintf("%.2f", 0.25+0.6*e.W)})
	}
	// Colours by the date's rank among the map's papers, in dateBands groups of equal size, so one
	// old paper does not leave all the others the same colour.
	var years []float64
	for _, n := range m.Nodes {
		if !n.Date.IsZero() {
			years = append(years, yearOf(n.Date))
		}
	}
	slices.Sort(years)
	if len(years) > 0 {
		v.First, v.Last = fmt.Sprint(int(years[0])), fmt.Sprint(int(years[len(years)-1]))
	}
	for i, n := range m.Nodes {
		p := pos[i]
		nv := mapNodeView{URL: paperURL(n.ID), Title: n.Title, X: f(p.X), Y: f(p.Y)}
		if !n.Date.IsZero() {
			nv.Year = fmt.Sprint(n.Date.Year)
		}
		r := [...]float64{13, 9, 6.5}[n.Hop]
		nv.R = f(r)
		nv.Class = [...]string{"source", "hop1", "hop2"}[n.Hop]
		if n.Date.IsZero() {
			nv.Class += " nodate"
		} else {
			older, _ := slices.BinarySearch(years, yearOf(n.Date)) // papers older than this one
			nv.Class += fmt.Sprintf(" d%d", older*dateBands/len(years))
		}
		// The label sits above the node, running towards the side with more room, and is cut to fit
		// that room so it stays in the picture.
		room := o.Width - p.X - r - 6
		nv.LX, nv.LY, nv.Anchor = f(p.X+r+3), f(p.Y-r-4), "start"
		if p.X > o.Width/2 {
			room = p.X - r - 6
			nv.LX, nv.Anchor = f(p.X-r-3), "end"
		}
		nv.Label = clip(n.Title, max(12, int(room/labelCharWidth)))
		if p.Y < 40 {
			nv.LY = f(p.Y + r + 14)
		}
		v.Nodes = append(v.Nodes, nv)
		switch n.Hop {
		case 1:
			v.Hop1 = append(v.Hop1, nv)
		case 2:
			v.Hop2 = append(v.Hop2, nv)
		}
	}
	return v
}

// yearOf is a date as a fractional year, its unknown parts taken as the middle.
func yearOf(d paper.Date) float64 {
	y := float64(d.Year)
	switch {
	case d.Month == 0:
		return y + 0.5
	case d.Day == 0:
		return y + (float64(d.Month)-0.5)/12
	}
	return y + (float64(d.Month)-1+float64(d.Day)/31)/12
}

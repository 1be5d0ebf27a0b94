package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
)

// chainCore answers Related for paper pN with the next papers, p(N+1) ... p(N+limit), their vector
// scores falling with the distance, and records the calls.
type chainCore struct {
	fakeCore
	mu    sync.Mutex
	calls []index.RelatedRequest
}

func (c *chainCore) Related(_ context.Context, id string, req index.RelatedRequest) (index.Response, error) {
	c.mu.Lock()
	c.calls = append(c.calls, req)
	c.mu.Unlock()
	var n int
	fmt.Sscanf(id, "p%d", &n)
	var res index.Response
	for i := 1; i <= req.Limit; i++ {
		res.Results = append(res.Results, index.Result{Paper: paper.Paper{ID: fmt.Sprintf("p%d", n+i)}, Vector: &index.Component{Rank: i, Score: 0.5 / float64(i)}})
	}
	return res, nil
}

func (c *chainCore) Lookup(_ context.Context, refs ...string) ([]paper.Paper, []string, error) {
	var out []paper.Paper
	for _, r := range refs {
		out = append(out, paper.Paper{ID: r, Title: "Title of " + r, Published: paper.Date{Year: 2020}})
	}
	return out, nil, nil
}

func TestBuildMap(t *testing.T) {
	core := &chainCore{}
	s := &server{core: core, opts: DefaultOptions()}
	src := paper.Paper{ID: "p0", Title: "Source"}
	first, _ := core.Related(t.Context(), "p0", index.RelatedRequest{Ranking: index.Ranking{Limit: 10}})
	core.calls = nil
	m, err := s.buildMap(t.Context(), src, first.Results)
	if err != nil {
		t.Fatal(err)
	}
	// The first hop is the page's own list, cut to mapFanout; the second hop is mapFanout calls for
	// IDs only.
	if len(core.calls) != mapFanout {
		t.Errorf("%d Related calls, want %d", len(core.calls), mapFanout)
	}
	for _, c := range core.calls {
		if !c.IDsOnly || c.Limit != mapFanout || c.Mode != index.ModeVector {
			t.Errorf("second-hop call %+v, want vector mode, IDsOnly and limit %d", c, mapFanout)
		}
	}
	var ids []string
	for _, n := range m.Nodes {
		ids = append(ids, n.ID)
	}
	// p1..p8 are the first hop; p9..p16 are related to the first hop (p9 to p1..p8, the most), and
	// the papers each is related to by fewer come later.
	want := []string{"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11", "p12", "p13", "p14", "p15", "p16"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
	if m.Nodes[9].Hop != 2 || m.Nodes[9].Title != "Title of p9" || m.Nodes[1].Hop != 1 {
		t.Errorf("nodes %+v, %+v", m.Nodes[1], m.Nodes[9])
	}
	if m.Graph.N != len(m.Nodes) {
		t.Errorf("graph of %d nodes for %d papers", m.Graph.N, len(m.Nodes))
	}
	seen := map[[2]int]bool{}
	top := 0.0
	for _, e := range m.Graph.Edges {
		if e.A >= e.B || e.B >= m.Graph.N || seen[[2]int{e.A, e.B}] {
			t.Errorf("edge %+v: not a new edge A < B < N", e)
		}
		seen[[2]int{e.A, e.B}] = true
		if e.W < mapMinWeight || e.W > 1 {
			t.Errorf("edge %+v: weight out of [%v, 1]", e, mapMinWeight)
		}
		top = max(top, e.W)
	}
	if top != 1 {
		t.Errorf("the strongest edge weighs %v, want 1", top)
	}
	// p1 and p2 are related both ways; p0-p1 is the strongest pair.
	if !seen[[2]int{1, 2}] || !seen[[2]int{0, 1}] {
		t.Errorf("edges %v lack 0-1 or 1-2", m.Graph.Edges)
	}
}

func TestBuildMapCap(t *testing.T) {
	// Papers related to disjoint sets: p(1000k) for the first hop gives 8 x 8 distinct second-hop
	// papers, more than the cap.
	core := &spreadCore{}
	s := &server{core: core, opts: DefaultOptions()}
	var first []index.Result
	for i := 1; i <= 10; i++ {
		first = append(first, index.Result{Paper: paper.Paper{ID: fmt.Sprint(i * 1000)}})
	}
	m, err := s.buildMap(t.Context(), paper.Paper{ID: "0"}, first)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Nodes) != mapMaxNodes {
		t.Errorf("%d nodes, want the cap %d", len(m.Nodes), mapMaxNodes)
	}
	if v := drawMap(m); len(v.Nodes) != mapMaxNodes || len(v.Hop1) != mapFanout || len(v.Hop2) != mapMaxNodes-1-mapFanout {
		t.Errorf("drawn: %d nodes, %d + %d by hop", len(v.Nodes), len(v.Hop1), len(v.Hop2))
	}
	if m, err := s.buildMap(t.Context(), paper.Paper{ID: "0"}, nil); m != nil || err != nil {
		t.Errorf("a paper without related papers has map %v, error %v", m, err)
	}
}

type spreadCore struct{ chainCore }

func (c *spreadCore) Related(_ context.Context, id string, req index.RelatedRequest) (index.Response, error) {
	var n int
	fmt.Sscan(id, &n)
	var res index.Response
	for i := 1; i <= req.Limit; i++ {
		res.Results = append(res.Results, index.Result{Paper: paper.Paper{ID: fmt.Sprint(n + i)}})
	}
	return res, nil
}

func TestDrawMap(t *testing.T) {
	m := &paperMap{
		Nodes: []mapNode{
			{ID: "a", Title: "Source", Date: paper.Date{Year: 2020}},
			{ID: "b", Title: `<script>alert(1)</script>`, Date: paper.Date{Year: 2024, Month: 3}, Hop: 1},
			{ID: "c", Title: strings.Repeat("long ", 30), Hop: 2},
		},
		Graph: graph{N: 3, Edges: []edge{{0, 1, 1}, {1, 2, 0.2}}},
	}
	v := drawMap(m)
	if v.First != "2020" || v.Last != "2024" {
		t.Errorf("years %s..%s", v.First, v.Last)
	}
	classes := []string{v.Nodes[0].Class, v.Nodes[1].Class, v.Nodes[2].Class}
	if diff := cmp.Diff([]string{"source d0", "hop1 d2", "hop2 nodate"}, classes); diff != "" {
		t.Errorf("classes (-want +got):\n%s", diff)
	}
	if got := len([]rune(v.Nodes[2].Label)); float64(got)*labelCharWidth > defaultLayout.Width {
		t.Errorf("label of %d runes", got)
	}
	if v.Edges[0].Width != "3.00" || v.Edges[1].Width != "1.08" {
		t.Errorf("edge widths %s, %s", v.Edges[0].Width, v.Edges[1].Width)
	}
}

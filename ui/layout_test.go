package ui

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// testGraph is a map's shape: node 0, four papers related to it, and papers related to those, one of
// them (9) related to two, with a strong pair (1, 2) and a weak edge (0, 4).
func testGraph() graph {
	return graph{N: 12, Edges: []edge{
		{0, 1, 1}, {0, 2, 0.8}, {0, 3, 0.6}, {0, 4, 0.15},
		{1, 2, 0.9}, {1, 5, 0.5}, {1, 6, 0.4}, {2, 7, 0.5}, {3, 8, 0.7},
		{3, 9, 0.3}, {4, 9, 0.3}, {4, 10, 0.6}, {4, 11, 0.2},
	}}
}

// TestLayoutGolden pins the positions of a fixed graph: the layout is deterministic. Run with
// -update after changing the layout on purpose, and look at the map in the browser test's screenshot.
func TestLayoutGolden(t *testing.T) {
	got := layoutGraph(testGraph(), defaultLayout)
	rounded := make([][2]float64, len(got))
	for i, p := range got {
		rounded[i] = [2]float64{math.Round(p.X*10) / 10, math.Round(p.Y*10) / 10}
	}
	path := filepath.Join("testdata", "golden", "layout.json")
	if *updateGolden {
		b, _ := json.MarshalIndent(rounded, "", "  ")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	var want [][2]float64
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, rounded); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
	if again := layoutGraph(testGraph(), defaultLayout); !cmp.Equal(again, got) {
		t.Error("a second layout of the same graph differs")
	}
}

// TestLayoutProperties: the drawing stays in its box, the source in the middle, no two nodes on top
// of each other, and strongly related papers closer than weakly related ones.
func TestLayoutProperties(t *testing.T) {
	o := defaultLayout
	for _, g := range []graph{testGraph(), {N: 1}, {N: 2, Edges: []edge{{0, 1, 1}}}, starGraph(40)} {
		t.Run(fmt.Sprint(g.N, " nodes"), func(t *testing.T) {
			pos := layoutGraph(g, o)
			if len(pos) != g.N {
				t.Fatalf("%d positions for %d nodes", len(pos), g.N)
			}
			if pos[0] != (point{o.Width / 2, o.Height / 2}) {
				t.Errorf("node 0 at %v, not the centre", pos[0])
			}
			for i, p := range pos {
				if p.X < o.Pad-1e-9 || p.X > o.Width-o.Pad+1e-9 || p.Y < o.Pad-1e-9 || p.Y > o.Height-o.Pad+1e-9 {
					t.Errorf("node %d at %v, outside the box", i, p)
				}
				for j := i + 1; j < len(pos); j++ {
					if d := math.Hypot(p.X-pos[j].X, p.Y-pos[j].Y); d < o.MinDist/2 {
						t.Errorf("nodes %d and %d are %.1f apart", i, j, d)
					}
				}
			}
		})
	}
	pos := layoutGraph(testGraph(), o)
	dist := func(a, b int) float64 { return math.Hypot(pos[a].X-pos[b].X, pos[a].Y-pos[b].Y) }
	if dist(0, 1) >= dist(0, 4) {
		t.Errorf("the most similar paper is %.0f from the source, the least similar %.0f", dist(0, 1), dist(0, 4))
	}
	if dist(1, 2) >= dist(1, 11) {
		t.Errorf("a strong pair is %.0f apart, an unrelated one %.0f", dist(1, 2), dist(1, 11))
	}
}

// starGraph is a map at its cap: node 0, eight related papers, and the rest related to those.
func starGraph(n int) graph {
	g := graph{N: n}
	for i := 1; i < n; i++ {
		parent := 0
		if i > 8 {
			parent = 1 + (i-9)%8
		}
		g.Edges = append(g.Edges, edge{parent, i, 1 / float64(1+i%5)})
	}
	return g
}

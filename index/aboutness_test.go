package index

import (
	"strings"
	"testing"

	"github.com/kindred-search/kindred/index/bm25"
)

func TestParseAboutnessPrior(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]aboutPrior
		err      string
	}{
		{"comments and blank lines", "# a prior\n\nshowcas\t0.000\t1.009\n", map[string]aboutPrior{"showcas": {0, 1.009}}, ""},
		{"two fields", "showcas\t0.000\n", nil, "line 1: 2 fields"},
		{"title rate above 1", "# x\nshowcas\t1.5\t1.2\n", nil, "line 2: bad rates"},
		{"fewer than one occurrence", "showcas\t0.1\t0.5\n", nil, "line 1: bad rates"},
		{"not a number", "showcas\tx\t1.2\n", nil, "line 1: bad rates"},
		{"twice", "via\t0.3\t1.1\nvia\t0.3\t1.1\n", nil, `line 2: term "via" listed twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseAboutnessPrior(strings.NewReader(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s: got %v, want %v", k, got[k], v)
				}
			}
		})
	}
}

// The embedded prior parses, lists the genre's scaffolding and leaves topics out.
func TestEmbeddedAboutnessPrior(t *testing.T) {
	m := aboutnessPriors()
	if len(m) < 1000 {
		t.Fatalf("the embedded prior lists %d terms, want thousands", len(m))
	}
	for _, term := range []string{"showcas", "practition", "systemat", "comprehens", "novel"} {
		if _, ok := m[term]; !ok {
			t.Errorf("%q is not in the prior", term)
		}
	}
	for _, term := range []string{"video", "diffus", "graph", "protein", "quantum"} {
		if _, ok := m[term]; ok {
			t.Errorf("the topic %q is in the prior", term)
		}
	}
}

// A term's aboutness leans on its prior where the collection knows little of it and on the
// collection's statistics where it knows much.
func TestAboutness(t *testing.T) {
	tests := []struct {
		name string
		term string
		st   bm25.TermStats
		lo   float64
		hi   float64
	}{
		{"scaffolding in a small collection", "showcas", bm25.TermStats{DF: 2, CF: 2, TitleDF: 0}, 0, 0.2},
		{"an unknown word in a small collection", "vimo", bm25.TermStats{DF: 2, CF: 2, TitleDF: 0}, 0.8, 1},
		{"a topic in a small collection", "video", bm25.TermStats{DF: 2, CF: 2, TitleDF: 0}, 0.8, 1},
		{"scaffolding a large collection uses as a topic", "showcas", bm25.TermStats{DF: 1000, CF: 4000, TitleDF: 400}, 1, 1},
		{"a topic a large collection uses as scaffolding", "video", bm25.TermStats{DF: 1000, CF: 1000, TitleDF: 0}, 0, 0.05},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := aboutness(tt.term, tt.st); got < tt.lo || got > tt.hi {
				t.Errorf("aboutness(%q, %+v) = %.3f, want in [%.2f, %.2f]", tt.term, tt.st, got, tt.lo, tt.hi)
			}
		})
	}
}

package cite_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index/cite"
	"github.com/kindred-search/kindred/index/paper"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// hardPapers have the characters and shapes citation formats trip over: TeX specials, ligatures,
// math, non-ASCII, particles and suffixes in names, one-word names, a DOI with punctuation, IDs of
// every kind, papers without authors or date, and two papers whose keys collide.
var hardPapers = []paper.Paper{
	{
		ID: "2504.16081", ArxivID: "2504.16081", Source: "arxiv",
		Title:     "BERT-style Pre--training: 50% {fewer} & $faster$ ~ #1_2 \\alpha ^ ``quoted'' !`",
		Abstract:  "We pre-train sparse retrievers with $O(n \\log n)$ cost---the results are \"surprisingly\" good; see \\cite{x} and C:\\path\\to_file.",
		Authors:   []string{"Gül Öztürk", "Ludwig van Beethoven", "Martin Luther King Jr.", "Procter and Gamble"},
		Published: paper.Date{Year: 2025, Month: 4, Day: 22}, Categories: []string{"cs.IR", "cs.CL"},
		URL: "https://arxiv.org/abs/2504.16081",
	},
	{
		ID: "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0", DOI: "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0",
		Title:    "Ångström-scale $K_{3,3}$ minors — 量子 “quotes” and ‘single’ ¿really?",
		Abstract: "A -- B --- C; 100% of x_1 & y^2 {braced} ~tilde ?` and `` ` '' ' @at #hash.",
		Authors:  []string{"Plato", "Jean-Paul Sartre", "Søren Kierkegaard"},
		Venue:    "Journal of Graph Theory & Applications", Published: paper.Date{Year: 2023, Month: 3},
	},
	{
		ID: "pmid:31452104", Title: "Structure of the E. coli ribosome at 2 Å resolution", Abstract: "Ribosomes translate mRNA.",
		Authors: []string{"Ada Lovelace"}, Venue: "Nature", Published: paper.Date{Year: 2019},
		URL: "https://pubmed.ncbi.nlm.nih.gov/31452104/",
	},
	{
		ID: paper.DerivedID("On the Origin of Species"), Title: "On the Origin of Species",
		Abstract: "When on board H.M.S. Beagle, as naturalist, I was much struck with certain facts.",
	},
	{
		ID: "2504.16082", ArxivID: "2504.16082", Title: "BERT again", Abstract: "A second paper whose key collides with the first.",
		Authors: []string{"Gül Öztürk"}, Published: paper.Date{Year: 2025},
	},
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file  string
		write func(...paper.Paper) []byte
	}{
		{"papers.bib", cite.BibTeX},
		{"papers.ris", cite.RIS},
		{"papers.json", cite.CSLJSON},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got := tc.write(hardPapers...)
			path := filepath.Join("testdata", "golden", tc.file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("%s differs (-want +got):\n%s", path, cmp.Diff(string(want), string(got)))
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	if got := cite.BibTeX(); len(got) != 0 {
		t.Errorf("BibTeX() = %q, want nothing", got)
	}
	if got := cite.RIS(); len(got) != 0 {
		t.Errorf("RIS() = %q, want nothing", got)
	}
	if got := string(cite.CSLJSON()); got != "[]\n" {
		t.Errorf("CSLJSON() = %q, want []", got)
	}
}

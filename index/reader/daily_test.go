package reader

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// The seed page and its parse, relative to this package.
var (
	seedPage   = filepath.Join("..", "sample", "daily-papers.txt")
	seedGolden = filepath.Join("..", "..", "testdata", "golden", "daily-papers.json")
)

// seedYear is the year of the seed page's listing (its entries from October are arXiv 2510.* papers).
const seedYear = 2025

func readSeed(t *testing.T) result {
	t.Helper()
	var res result
	err := ReadFile(t.Context(), seedPage, Options{Year: seedYear},
		func(p paper.Paper) error { res.Papers = append(res.Papers, p); return nil },
		func(r Rejection) { res.Rejections = append(res.Rejections, r) })
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", seedPage, err)
	}
	return res
}

func TestDailySeedGolden(t *testing.T) {
	res := readSeed(t)
	if len(res.Rejections) > 0 {
		t.Errorf("rejections in the seed page: %v", res.Rejections)
	}
	if len(res.Papers) != 63 {
		t.Errorf("read %d papers from the seed page, want 63", len(res.Papers))
	}
	got, err := json.MarshalIndent(res.Papers, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(seedGolden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(seedGolden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("parse of %s differs from %s (-want +got):\n%s", seedPage, seedGolden, cmp.Diff(string(want), string(got)))
	}
}

// TestDailySeedEntries checks entries of the seed page against values read off the page by hand.
func TestDailySeedEntries(t *testing.T) {
	papers := readSeed(t).Papers
	byTitle := make(map[string]paper.Paper, len(papers))
	for _, p := range papers {
		byTitle[p.Title] = p
	}
	for _, tc := range []struct {
		name    string // the line of the title in the page, and the case
		index   int    // position in the page, from 0
		title   string
		authors int
		date    paper.Date
		upvotes int
	}{
		{"line 13: first entry", 0, "Bias Loss for Mobile Neural Networks", 4, paper.Date{Year: 2021, Month: 7, Day: 23}, 0},
		{"line 21: no authors, dot or date", 1, "Rethinking the shape convention of an MLP", 0, paper.Date{}, 0},
		{"line 25: single author", 2, "Vector representations of text data in deep learning", 1, paper.Date{Year: 2019, Month: 1, Day: 7}, 0},
		{"line 65: date without year", 7, "PASER: Post-Training Data Selection for Efficient Pruned Large Language Model Recovery", 6, paper.Date{Year: seedYear, Month: 2, Day: 18}, 0},
		{"line 73: no year, upvotes", 8, "Establishing Trustworthy LLM Evaluation via Shortcut Neuron Analysis", 6, paper.Date{Year: seedYear, Month: 6, Day: 4}, 2},
		{"line 105: two-digit upvotes", 12, "Skip a Layer or Loop it? Test-Time Depth Adaptation of Pretrained LLMs", 3, paper.Date{Year: seedYear, Month: 7, Day: 10}, 14},
		{"line 225: ten authors", 27, "BigNAS: Scaling Up Neural Architecture Search with Big Single-Stage Models", 10, paper.Date{Year: 2020, Month: 3, Day: 24}, 0},
		{"line 257: year and upvotes", 31, "Read-ME: Refactorizing LLMs as Router-Decoupled Mixture of Experts with System Co-Design", 7, paper.Date{Year: 2024, Month: 10, Day: 24}, 2},
		{"line 273: quotes in the title", 33, `Ten Lessons We Have Learned in the New "Sparseland": A Short Handbook for Sparse Neural Network Researchers`, 2, paper.Date{Year: 2023, Month: 2, Day: 6}, 0},
		{"line 393: twelve upvotes", 48, "Mamba: Linear-Time Sequence Modeling with Selective State Spaces", 2, paper.Date{Year: 2023, Month: 12, Day: 1}, 12},
		{"line 481: eleven authors", 59, "STU-Net: Scalable and Transferable Medical Image Segmentation Models Empowered by Large-Scale Supervised Pre-training", 11, paper.Date{Year: 2023, Month: 4, Day: 13}, 0},
		{"line 505: last entry, no final newline", 62, "Two Is Better Than One: Dual Embeddings for Complementary Product Recommendations", 4, paper.Date{Year: 2022, Month: 11, Day: 27}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.index >= len(papers) {
				t.Fatalf("only %d papers", len(papers))
			}
			got := papers[tc.index]
			if got.Title != tc.title {
				t.Fatalf("paper %d is %q, want %q", tc.index, got.Title, tc.title)
			}
			type facts struct {
				ID       string
				Authors  int
				Date     paper.Date
				Upvotes  int
				Abstract bool
				URL      string
			}
			want := facts{paper.DerivedID(tc.title), tc.authors, tc.date, tc.upvotes, true, ""}
			gotFacts := facts{got.ID, got.AuthorCount, got.Published, got.Upvotes, len(got.Abstract) > 500, got.URL}
			if diff := cmp.Diff(want, gotFacts); diff != "" {
				t.Errorf("%q (-want +got):\n%s", tc.title, diff)
			}
		})
	}
	if len(byTitle) != len(papers) {
		t.Errorf("%d distinct titles among %d papers", len(byTitle), len(papers))
	}
}

func TestReadDaily(t *testing.T) {
	const abstract = "An abstract long enough."
	entry := func(title string, p paper.Paper) paper.Paper {
		p.ID, p.Title, p.Source = paper.DerivedID(title), title, "daily"
		if p.Abstract == "" {
			p.Abstract = abstract
		}
		return p
	}
	for _, tc := range []struct {
		name  string
		input string
		want  result
	}{
		{"header skipped", "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\nbyAK and the research community\n\nOct 31\n\nT1\n\n" + abstract + "\n\n  • 4 authors\n·\nJul 23, 2021\n", result{
			Papers: []paper.Paper{entry("T1", paper.Paper{AuthorCount: 4, Published: paper.Date{Year: 2021, Month: 7, Day: 23}})},
		}},
		{"no header", "T1\n\n" + abstract + "\n", result{Papers: []paper.Paper{entry("T1", paper.Paper{})}}},
		{"byte order mark", "\uFEFFT1\n\n" + abstract + "\n", result{Papers: []paper.Paper{entry("T1", paper.Paper{})}}},
		{"entry without metadata, then a full one", "T1\n\n" + abstract + "\n\nT2\n\n" + abstract + "\n\n  • 1 authors\n·\nJun 4 2\n", result{
			Papers: []paper.Paper{
				entry("T1", paper.Paper{}),
				entry("T2", paper.Paper{AuthorCount: 1, Published: paper.Date{Year: 2024, Month: 6, Day: 4}, Upvotes: 2}),
			},
		}},
		{"date without authors line", "T1\n\n" + abstract + "\n\nOct 24, 2024 2\n\nT2\n\n" + abstract + "\n", result{
			Papers: []paper.Paper{
				entry("T1", paper.Paper{Published: paper.Date{Year: 2024, Month: 10, Day: 24}, Upvotes: 2}),
				entry("T2", paper.Paper{}),
			},
		}},
		{"hard-wrapped title and abstract", "A long\ntitle\n\nFirst half\nsecond half.\n\n  • 2 authors\n", result{
			Papers: []paper.Paper{entry("A long title", paper.Paper{Abstract: "First half second half.", AuthorCount: 2})},
		}},
		{"CRLF and no final newline", "T1\r\n\r\n" + abstract + "\r\n\r\n  • 3 authors\r\n·\r\nMar 12, 2020 1", result{
			Papers: []paper.Paper{entry("T1", paper.Paper{AuthorCount: 3, Published: paper.Date{Year: 2020, Month: 3, Day: 12}, Upvotes: 1})},
		}},
		{"repeated page header", "T1\n\n" + abstract + "\n\nDaily Papers\n\nbyAK and the research community\n\nNov 1\n\nT2\n\n" + abstract + "\n", result{
			Papers: []paper.Paper{entry("T1", paper.Paper{}), entry("T2", paper.Paper{})},
		}},
		{"missing abstract", "T1\n\n  • 4 authors\n·\nJul 23, 2021\n\nT2\n\n" + abstract + "\n", result{
			Papers:     []paper.Paper{entry("T2", paper.Paper{})},
			Rejections: []Rejection{{File: "page.txt", Line: 1, Reason: `missing abstract: the title is followed by "• 4 authors"`}},
		}},
		{"title at the end of the page", "T1\n\n" + abstract + "\n\nT2\n", result{
			Papers:     []paper.Paper{entry("T1", paper.Paper{})},
			Rejections: []Rejection{{File: "page.txt", Line: 5, Reason: "missing abstract"}},
		}},
		{"impossible date", "T1\n\n" + abstract + "\n·\nFeb 30, 2021\n\nT2\n\n" + abstract + "\n", result{
			Papers:     []paper.Paper{entry("T2", paper.Paper{})},
			Rejections: []Rejection{{File: "page.txt", Line: 1, Reason: `bad date "Feb 30, 2021": date "2021-02-30": day 30 out of range for 2021-02`}},
		}},
		{"one author", "T1\n\n" + abstract + "\n\n• 1 author\n", result{
			Papers: []paper.Paper{entry("T1", paper.Paper{AuthorCount: 1})},
		}},
		{"bad authors line", "T1\n\n" + abstract + "\n\n• many authors\n·\n\nT2\n\n" + abstract + "\n", result{
			Papers:     []paper.Paper{entry("T2", paper.Paper{})},
			Rejections: []Rejection{{File: "page.txt", Line: 1, Reason: `bad authors line "• many authors": want "• N authors"`}},
		}},
		{"two authors lines", "T1\n\n" + abstract + "\n\n• 1 authors\n• 2 authors\n", result{
			Rejections: []Rejection{{File: "page.txt", Line: 1, Reason: `second authors line "• 2 authors"`}},
		}},
		{"two date lines", "T1\n\n" + abstract + "\n\nJul 23, 2021\nJul 24, 2021\n", result{
			Rejections: []Rejection{{File: "page.txt", Line: 1, Reason: `second date line "Jul 24, 2021"`}},
		}},
		{"overlong line", "T1\n\n" + abstract + strings.Repeat(" more", 30) + "\n\nT2\n\n" + abstract + "\n", result{
			Papers:     []paper.Paper{entry("T2", paper.Paper{})},
			Rejections: []Rejection{{File: "page.txt", Line: 1, Reason: "line 3 is longer than 100 bytes"}},
		}},
		{"overlong entry", "T1\n\n" + strings.Repeat(abstract+"\n", 6) + "\nT2\n\n" + abstract + "\n", result{
			Papers:     []paper.Paper{entry("T2", paper.Paper{})},
			Rejections: []Rejection{{File: "page.txt", Line: 1, Reason: "entry is longer than 100 bytes"}},
		}},
		{"invalid UTF-8 repaired", "T\xff1\n\n" + abstract + "\n", result{
			Papers: []paper.Paper{entry("T\uFFFD1", paper.Paper{})},
		}},
		{"empty", "", result{}},
		{"header only", "new\n\nSubscribe\n\nOct 31\n", result{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mustRead(t, tc.input, "page.txt", Options{Format: FormatDaily, Year: 2024, MaxRecordBytes: 100})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDailyDate(t *testing.T) {
	type date struct {
		Date    string
		Upvotes int
		OK      bool
	}
	for _, tc := range []struct {
		line string
		want date
	}{
		{"Jul 23, 2021", date{"2021-07-23", 0, true}},
		{"Oct 24", date{"2024-10-24", 0, true}},
		{"Jun 4 2", date{"2024-06-04", 2, true}},
		{"Oct 24, 2024 2", date{"2024-10-24", 2, true}},
		{"Dec 1, 2023 12", date{"2023-12-01", 12, true}},
		{"September 3, 2020", date{"2020-09-03", 0, true}},
		{"Feb 30, 2021", date{"2021-02-30", 0, true}}, // a date line; paper.ParseDate rejects the day
		{"Jul", date{}},
		{"Jul 0", date{}},
		{"Jul 123", date{}},
		{"Jul 23,", date{}},
		{"Jul 23, 21", date{}},
		{"Jul 23 2021 4", date{}},
		{"Jul 23, 2021 x", date{}},
		{"July 23rd", date{}},
		{"Sparse Model Soups", date{}},
		{"May 3, 2023 1 2", date{}},
	} {
		t.Run(tc.line, func(t *testing.T) {
			var got date
			got.Date, got.Upvotes, got.OK = parseDailyDate(tc.line, 2024)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("parseDailyDate(%q) (-want +got):\n%s", tc.line, diff)
			}
		})
	}
}

package reader

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

func ris(p paper.Paper) paper.Paper {
	p.Source = "ris"
	if p.Title == "" {
		p.Title = "T"
	}
	if p.Abstract == "" {
		p.Abstract = "A."
	}
	p.AuthorCount = len(p.Authors)
	return p
}

func TestReadRIS(t *testing.T) {
	lines := func(ls ...string) string { return strings.Join(ls, "\n") + "\n" }
	good := lines("TY  - JOUR", "ID  - good", "TI  - T", "AB  - A.", "ER  - ")
	for _, tc := range []struct {
		name, input string
		want        result // File "in.ris" is filled in
	}{
		{"fields", lines(
			"TY  - JOUR",
			"TI  - A Mathematical Theory of Communication",
			"AU  - Shannon, Claude E.",
			"AU  - Weaver, W., Jr.",
			"AU  - The Bell Labs Team",
			"PY  - 1948",
			"DA  - 1948/07/01/",
			"JO  - Bell Syst. Tech. J.",
			"T2  - Bell System Technical Journal",
			"AB  - The recent development of various methods",
			"  of modulation.",
			"DO  - https://doi.org/10.1002/J.1538-7305.1948.TB01338.X",
			"UR  - https://ieeexplore.ieee.org/document/6773024",
			"UR  - https://example.org/second",
			"KW  - ignored",
			"ER  - "),
			result{Papers: []paper.Paper{ris(paper.Paper{
				ID: "10.1002/j.1538-7305.1948.tb01338.x", Title: "A Mathematical Theory of Communication",
				Abstract:  "The recent development of various methods of modulation.",
				Authors:   []string{"Claude E. Shannon", "W. Weaver Jr.", "The Bell Labs Team"},
				Published: paper.Date{Year: 1948, Month: 7, Day: 1}, Venue: "Bell System Technical Journal",
				DOI: "10.1002/j.1538-7305.1948.tb01338.x", URL: "https://ieeexplore.ieee.org/document/6773024",
			})}}},
		{"T1, A1, Y1, N2, BT and the own ID", lines("TY  - CONF", "ID  - ozturk2024", "T1  - T", "A1  - Öztürk, Gül", "Y1  - 2024/08//", "BT  - Proceedings of ACL", "N2  - A.", "ER  -"),
			result{Papers: []paper.Paper{ris(paper.Paper{ID: "ozturk2024", Authors: []string{"Gül Öztürk"}, Published: paper.Date{Year: 2024, Month: 8}, Venue: "Proceedings of ACL"})}}},
		{"a month-only DA falls back to PY", lines("TY  - JOUR", "ID  - k", "TI  - T", "AB  - A.", "PY  - 1948", "DA  - July", "ER  - "),
			result{Papers: []paper.Paper{ris(paper.Paper{ID: "k", Published: paper.Date{Year: 1948}})}}},
		{"arXiv from AN, UR or DO", lines(
			"TY  - PREPRINT", "TI  - T", "AB  - A.", "AN  - arXiv:2504.16081", "ER  - ",
			"TY  - PREPRINT", "TI  - T", "AB  - A.", "UR  - http://arxiv.org/abs/2504.16082v2", "ER  - ",
			"TY  - PREPRINT", "TI  - T", "AB  - A.", "DO  - 10.48550/arXiv.2504.16083", "ER  - "),
			result{Papers: []paper.Paper{
				ris(paper.Paper{ID: "2504.16081", ArxivID: "2504.16081"}),
				ris(paper.Paper{ID: "2504.16082", ArxivID: "2504.16082", URL: "http://arxiv.org/abs/2504.16082v2"}),
				ris(paper.Paper{ID: "2504.16083", ArxivID: "2504.16083", DOI: "10.48550/arxiv.2504.16083"}),
			}}},
		{"one space before the hyphen, CRLF, blank lines between records", "TY - JOUR\r\nID - k\r\nTI - T\r\nAB - A.\r\nER -\r\n\r\n\r\n" + good,
			result{Papers: []paper.Paper{ris(paper.Paper{ID: "k"}), ris(paper.Paper{ID: "good"})}}},
		{"no ID: derived from the title", lines("TY  - JOUR", "TI  - A Title", "AB  - A.", "ER  - "),
			result{Papers: []paper.Paper{ris(paper.Paper{ID: paper.DerivedID("A Title"), Title: "A Title"})}}},

		{"missing abstract", lines("TY  - BOOK", "TI  - The TeXbook", "PY  - 1984", "ER  - ") + good,
			result{Papers: []paper.Paper{ris(paper.Paper{ID: "good"})}, Rejections: []Rejection{{Line: 1, Reason: "missing abstract"}}}},
		{"no ER before the next TY", lines("TY  - JOUR", "TI  - T", "AB  - A.") + good,
			result{Papers: []paper.Paper{ris(paper.Paper{ID: "good"})}, Rejections: []Rejection{{Line: 1, Reason: "RIS record not ended by an ER line: the next TY is at line 4"}}}},
		{"no ER at the end", good + lines("TY  - JOUR", "TI  - T", "AB  - A."),
			result{Papers: []paper.Paper{ris(paper.Paper{ID: "good"})}, Rejections: []Rejection{{Line: 6, Reason: "RIS record not ended by an ER line"}}}},
		{"fields outside a record", lines("TI  - Orphan", "AB  - No TY.", "ER  - ") + good,
			result{Papers: []paper.Paper{ris(paper.Paper{ID: "good"})}, Rejections: []Rejection{{Line: 1, Reason: "RIS fields outside a record: a record starts with a TY line"}}}},
		{"bad date", lines("TY  - JOUR", "TI  - T", "AB  - A.", "PY  - 2020/13/01/", "ER  - "),
			result{Rejections: []Rejection{{Line: 1, Reason: `bad date: date "2020-13-01": month 13 out of range`}}}},
		{"month not a number", lines("TY  - JOUR", "TI  - T", "AB  - A.", "DA  - 2020/May/", "ER  - "),
			result{Rejections: []Rejection{{Line: 1, Reason: `bad date: date "2020/May/": month "May" is not a number`}}}},
		{"bad URL", lines("TY  - JOUR", "TI  - T", "AB  - A.", "UR  - file:///home/me/paper.pdf", "ER  - "),
			result{Rejections: []Rejection{{Line: 1, Reason: "url must be http or https, not file"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mustRead(t, tc.input, "in.ris", Options{Format: FormatRIS})
			want := tc.want
			for i := range want.Rejections {
				want.Rejections[i].File = "in.ris"
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadRISLimits(t *testing.T) {
	good := "TY  - JOUR\nID  - good\nTI  - T\nAB  - A.\nER  - \n"
	for _, tc := range []struct {
		name, input string
	}{
		{"record over the limit", "TY  - JOUR\nTI  - T\n" + strings.Repeat("AB  - "+strings.Repeat("a", 50)+"\n", 5) + "ER  - \n" + good},
		{"line over the limit", "TY  - JOUR\nTI  - T\nAB  - " + strings.Repeat("a", 300) + "\nER  - \n" + good},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mustRead(t, tc.input, "in.ris", Options{Format: FormatRIS, MaxRecordBytes: 200})
			want := result{
				Papers:     []paper.Paper{ris(paper.Paper{ID: "good"})},
				Rejections: []Rejection{{File: "in.ris", Line: 1, Reason: "record is longer than 200 bytes"}},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}
}

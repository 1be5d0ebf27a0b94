package reader

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

func s2p(p paper.Paper) paper.Paper {
	p.Source = "s2"
	p.Title, p.Abstract = "T", "A."
	p.AuthorCount = len(p.Authors)
	return p
}

func TestReadS2(t *testing.T) {
	const vaswani = `{"paperId": "649def34", "externalIds": {"ArXiv": "1706.03762", "DOI": null, "CorpusId": 13756489}, "title": "T", "abstract": "A.", "venue": "NeurIPS", "year": 2017, "publicationDate": "2017-06-12", "authors": [{"authorId": "1", "name": "Ashish Vaswani"}]}`
	const devlin = `{"paperId": "0b3b", "externalIds": {"DOI": "10.18653/V1/N19-1423"}, "title": "T", "abstract": "A.", "venue": "", "publicationVenue": {"name": "NAACL"}, "year": 2019, "publicationDate": null, "authors": []}`
	const noAbstract = `{"paperId": "1c2d", "title": "T", "abstract": null, "year": 2020}`
	want := result{
		Papers: []paper.Paper{
			s2p(paper.Paper{ID: "1706.03762", ArxivID: "1706.03762", Venue: "NeurIPS", Published: paper.Date{Year: 2017, Month: 6, Day: 12},
				Authors: []string{"Ashish Vaswani"}, URL: "https://www.semanticscholar.org/paper/649def34"}),
			s2p(paper.Paper{ID: "10.18653/v1/n19-1423", DOI: "10.18653/v1/n19-1423", Venue: "NAACL", Published: paper.Date{Year: 2019},
				URL: "https://www.semanticscholar.org/paper/0b3b"}),
		},
	}
	for _, tc := range []struct {
		name, input string
		line        int // of the rejected record
	}{
		{"JSON lines", vaswani + "\n" + devlin + "\n" + noAbstract + "\n", 3},
		{"JSON array", "[\n" + vaswani + ",\n" + devlin + ",\n" + noAbstract + "\n]", 4},
		{"API page", `{"total": 3, "offset": 0, "next": 3, "data": [` + "\n" + vaswani + ",\n" + devlin + ",\n" + noAbstract + "]}", 4},
		{"API pages one after another", `{"total": 3, "offset": 0, "next": 2, "data": [` + vaswani + ",\n" + devlin + "]}\n" + `{"total": 3, "offset": 2, "data": [` + noAbstract + "]}\n", 3},
		{"bulk search page with a token", `{"total": 3, "token": "abc", "data": [` + vaswani + "," + devlin + ",\n\n" + noAbstract + "]}", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := want
			w.Rejections = []Rejection{{File: "s2.json", Line: tc.line, Reason: "missing abstract"}}
			for _, f := range []Format{FormatAuto, FormatS2} {
				got := mustRead(t, tc.input, "s2.json", Options{Format: f})
				if diff := cmp.Diff(w, got); diff != "" {
					t.Errorf("Read with format %q (-want +got):\n%s", f, diff)
				}
			}
		})
	}
}

func TestReadS2Records(t *testing.T) {
	for _, tc := range []struct {
		name, record string
		want         paper.Paper
		reason       string
	}{
		{"dataset record: lower-case keys, corpus id", `{"corpusid": 215416146, "externalids": {"ArXiv": null, "DOI": null, "CorpusId": "215416146"}, "title": "T", "abstract": "A.", "publicationdate": "2020-04-27", "authors": [{"name": "Omar Khattab"}]}`,
			s2p(paper.Paper{ID: "CorpusId:215416146", Authors: []string{"Omar Khattab"}, Published: paper.Date{Year: 2020, Month: 4, Day: 27}}), ""},
		{"journal as the venue", `{"paperId": "p", "title": "T", "abstract": "A.", "journal": {"name": "Nature", "volume": "1"}}`,
			s2p(paper.Paper{ID: "p", Venue: "Nature", URL: "https://www.semanticscholar.org/paper/p"}), ""},
		{"a bad arXiv id is dropped", `{"paperId": "p", "title": "T", "abstract": "A.", "externalIds": {"ArXiv": "soon"}}`,
			s2p(paper.Paper{ID: "p", URL: "https://www.semanticscholar.org/paper/p"}), ""},
		{"external ids not strings", `{"paperId": "p", "title": "T", "abstract": "A.", "externalIds": {"DOI": 5}}`, paper.Paper{}, `field "externalIds.DOI": got JSON number, want string`},
		{"bad year", `{"paperId": "p", "title": "T", "abstract": "A.", "year": 20}`, paper.Paper{}, `bad date: date "20": want YYYY, YYYY-MM or YYYY-MM-DD`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := result{Papers: []paper.Paper{tc.want}}
			if tc.reason != "" {
				want = result{Rejections: []Rejection{{File: "s2.jsonl", Line: 1, Reason: tc.reason}}}
			}
			got := mustRead(t, tc.record+"\n", "s2.jsonl", Options{Format: FormatS2})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadS2PageErrors(t *testing.T) {
	const rec = `{"paperId": "p", "title": "T", "abstract": "A."}`
	for _, tc := range []struct {
		name, input, err string
		papers           int
	}{
		{"truncated page", `{"total": 1, "data": [` + rec + "\n", "s2.json: line 1: invalid JSON array: unexpected end of input", 1},
		{"a page, then not a page", `{"data": [` + rec + "]}\n[1]", `s2.json: line 2: want an API page {"data": [...]}, got [`, 1},
		{"bad JSON in the data", `{"data": [` + rec + ",\n{\"title\": }]}", "s2.json: line 2: invalid JSON array: invalid character '}' looking for beginning of value", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readString(t, tc.input, "s2.json", Options{Format: FormatS2})
			if errText(err) != tc.err {
				t.Errorf("err = %v, want %q", err, tc.err)
			}
			if len(got.Papers) != tc.papers {
				t.Errorf("read %d papers before the error, want %d", len(got.Papers), tc.papers)
			}
		})
	}
}

func TestIsS2Page(t *testing.T) {
	for head, want := range map[string]bool{
		`{"total": 2, "offset": 0, "next": 2, "data": [`: true,
		`{"data": []}`: true,
		`{"total": 2, "token": "x", "data": [{}]}`: true,
		`{"title": "T", "data": []}`:               false,
		`{"total": 2, "data": {}}`:                 false,
		`{"paperId": "p"}`:                         false,
		`{"total": 2, "offset"`:                    false,
		`[]`:                                       false,
		`{"meta": {"count": 1}, "results": [{}]}`:  false, // OpenAlex\'s page
	} {
		if got := isS2Page([]byte(head)); got != want {
			t.Errorf("isS2Page(%s) = %v, want %v", head, got, want)
		}
	}
}

func TestPageShape(t *testing.T) {
	for _, tc := range []struct {
		head string
		sh   shape
		ok   bool
	}{
		{`{"total": 2, "offset": 0, "next": 2, "data": [`, shapeS2, true},
		{`{"meta": {"count": 2, "page": 1}, "results": [`, shapeOpenAlex, true},
		{`{"meta": {}, "group_by": [], "results": []}`, shapeOpenAlex, true},
		{`{"results": {}}`, shapeOpenAlex, false},
		{`{"id": "W1", "results": []}`, shapeAuto, false},
	} {
		sh, ok := pageShape([]byte(tc.head))
		if ok != tc.ok || (ok && sh != tc.sh) {
			t.Errorf("pageShape(%s) = %v, %v; want %v, %v", tc.head, sh, ok, tc.sh, tc.ok)
		}
	}
}

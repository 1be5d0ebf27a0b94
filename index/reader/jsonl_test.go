package reader

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

// Records as the sources write them (abridged abstracts).
const (
	arxivSnapshotRecord = `{"id":"0704.0001","submitter":"Pavel Nadolsky","authors":"C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan","title":"Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies","comments":"37 pages, 15 figures; published version","journal-ref":"Phys.Rev.D76:013009,2007","doi":"10.1103/PhysRevD.76.013009","report-no":"ANL-HEP-PR-07-12","categories":"hep-ph","license":null,"abstract":"  A fully differential calculation in perturbative quantum chromodynamics is\npresented for the production of massive photon pairs at hadron colliders.\n","versions":[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"},{"version":"v2","created":"Tue, 24 Jul 2007 20:10:27 GMT"}],"update_date":"2008-11-13","authors_parsed":[["Bal\\'azs","C.",""],["Berger","E. L.",""],["Nadolsky","P. M.",""],["Yuan","C. -P.",""]]}`
	arxivSnapshotBare   = `{"id":"math/0611123","authors":"A. Smith, B. J{\\\"o}nes and C. Wu","title":"Graphs","abstract":"We count $K_{3,3}$ minors.","categories":"math.CO cs.DM","update_date":"2008-11-13"}`
	arxivListingRecord  = `{"id": "2503.11742", "title": "Safe Vision-Language Models via Unsafe Weights Manipulation", "abstract": "Vision-language models (VLMs) often inherit the biases and unsafe\nassociations present within their large-scale training dataset.", "authors": ["Moreno D'Inc\u00e0", "Elia Peruzzo"], "categories": ["cs.CV"], "date": "2025-03-18", "comment": null}`
	beirRecord          = `{"_id": "4983", "title": "Microstructural development of human newborn cerebral white matter.", "text": "Alterations of the architecture of cerebral white matter.", "metadata": {}}`
	plainRecord         = `{"id": "attention", "title": "Attention Is All You Need", "abstract": "The dominant sequence transduction models.", "authors": "A. Vaswani, N. Shazeer and N. Parmar", "author_count": 8, "published": "2017-06", "categories": "cs.CL cs.LG", "url": "https://example.org/a", "upvotes": 12, "extra": {"ignored": true}}`
)

func TestReadJSONLShapes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input string
		want  paper.Paper
	}{
		{"arXiv snapshot", arxivSnapshotRecord, paper.Paper{
			ID:          "0704.0001",
			Title:       "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies",
			Abstract:    "A fully differential calculation in perturbative quantum chromodynamics is presented for the production of massive photon pairs at hadron colliders.",
			Authors:     []string{"C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"},
			AuthorCount: 4,
			Published:   paper.Date{Year: 2007, Month: 4, Day: 2},
			Categories:  []string{"hep-ph"},
			URL:         "https://arxiv.org/abs/0704.0001",
			DOI:         "10.1103/physrevd.76.013009",
			Venue:       "Phys.Rev.D76:013009,2007",
			ArxivID:     "0704.0001",
			Source:      "arxiv",
		}},
		{"arXiv snapshot without authors_parsed or versions", arxivSnapshotBare, paper.Paper{
			ID:          "math/0611123",
			Title:       "Graphs",
			Abstract:    "We count $K_{3,3}$ minors.",
			Authors:     []string{"A. Smith", "B. Jönes", "C. Wu"},
			AuthorCount: 3,
			Published:   paper.Date{Year: 2008, Month: 11, Day: 13},
			Categories:  []string{"math.CO", "cs.DM"},
			URL:         "https://arxiv.org/abs/math/0611123",
			ArxivID:     "math/0611123",
			Source:      "arxiv",
		}},
		{"arXiv listing", arxivListingRecord, paper.Paper{
			ID:          "2503.11742",
			Title:       "Safe Vision-Language Models via Unsafe Weights Manipulation",
			Abstract:    "Vision-language models (VLMs) often inherit the biases and unsafe associations present within their large-scale training dataset.",
			Authors:     []string{"Moreno D'Incà", "Elia Peruzzo"},
			AuthorCount: 2,
			Published:   paper.Date{Year: 2025, Month: 3, Day: 18},
			Categories:  []string{"cs.CV"},
			URL:         "https://arxiv.org/abs/2503.11742",
			ArxivID:     "2503.11742",
			Source:      "arxiv",
		}},
		{"BEIR corpus", beirRecord, paper.Paper{
			ID:       "4983",
			Title:    "Microstructural development of human newborn cerebral white matter.",
			Abstract: "Alterations of the architecture of cerebral white matter.",
			Source:   "beir",
		}},
		{"plain, lists as strings", plainRecord, paper.Paper{
			ID:          "attention",
			Title:       "Attention Is All You Need",
			Abstract:    "The dominant sequence transduction models.",
			Authors:     []string{"A. Vaswani", "N. Shazeer", "N. Parmar"},
			AuthorCount: 8,
			Published:   paper.Date{Year: 2017, Month: 6},
			Categories:  []string{"cs.CL", "cs.LG"},
			URL:         "https://example.org/a",
			Upvotes:     12,
			Source:      "jsonl",
		}},
		{"plain, lists as arrays, date key", `{"id": 42, "title": "T", "abstract": "A", "authors": ["X", "", "Y"], "categories": ["q-bio.NC"], "date": "2020"}`, paper.Paper{
			ID: "42", Title: "T", Abstract: "A", Authors: []string{"X", "Y"}, AuthorCount: 2,
			Published: paper.Date{Year: 2020}, Categories: []string{"q-bio.NC"}, Source: "jsonl",
		}},
		{"plain, minimal", `{"title": " A  Title\n", "abstract": "An\tabstract."}`, goodPaper},
		{"plain, nulls", `{"id": null, "title": "A Title", "abstract": "An abstract.", "authors": null, "categories": null, "published": null}`, goodPaper},
		{"arXiv key but no arXiv id: no URL", `{"id": "x1", "title": "T", "abstract": "A", "comment": null}`, paper.Paper{ID: "x1", Title: "T", Abstract: "A", Source: "arxiv"}},
		{"invalid UTF-8 repaired", "{\"title\": \"Bad \xff byte\", \"abstract\": \"A\"}", paper.Paper{
			ID: paper.DerivedID("Bad \uFFFD byte"), Title: "Bad \uFFFD byte", Abstract: "A", Source: "jsonl",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mustRead(t, tc.input+"\n", "in.jsonl", Options{})
			want := result{Papers: []paper.Paper{tc.want}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
			p, err := DecodeRecord([]byte(tc.input))
			if err != nil {
				t.Fatalf("DecodeRecord: %v", err)
			}
			if diff := cmp.Diff(tc.want, p); diff != "" {
				t.Errorf("DecodeRecord (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlainRoundTrip checks that the JSON of a Paper is itself the plain shape.
func TestPlainRoundTrip(t *testing.T) {
	want := paper.Paper{
		ID: "p1", Title: "T", Abstract: "A", Authors: []string{"X Y"}, AuthorCount: 5,
		Published: paper.Date{Year: 2021, Month: 7, Day: 23}, Categories: []string{"cs.LG"},
		URL: "https://example.org/p1", Upvotes: 3, DOI: "10.1234/abc", Venue: "ACL 2024", ArxivID: "2504.16081",
		Source: "bibtex", TitleDerived: true,
	}
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeRecord(b)
	if err != nil {
		t.Fatalf("DecodeRecord(%s): %v", b, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip of %s (-want +got):\n%s", b, diff)
	}
}

func TestReadJSONLRejections(t *testing.T) {
	const title = `"title": "T", `
	for _, tc := range []struct {
		name   string
		record string
		reason string
	}{
		{"bad JSON", `{"title": "T", "abstract": }`, `invalid JSON at column 28: invalid character '}' looking for beginning of value`},
		{"truncated JSON", `{"title": "T"`, `invalid JSON at column 13: unexpected end of JSON input`},
		{"data after the object", goodLine + ` x`, `invalid JSON at column 50: invalid character 'x' after top-level value`},
		{"not JSON at all", `Attention Is All You Need`, `invalid JSON at column 1: invalid character 'A' looking for beginning of value`},
		{"array", `[{"title": "T", "abstract": "A"}]`, `not a JSON object but array`},
		{"string", `"title"`, `not a JSON object but string`},
		{"number", `42`, `not a JSON object but number`},
		{"null", `null`, `not a JSON object but null`},
		{"missing title", `{"abstract": "A"}`, `missing title`},
		{"blank title", `{"title": " \n ", "abstract": "A"}`, `missing title`},
		{"missing abstract", `{"title": "T"}`, `missing abstract`},
		{"BEIR without text", `{"_id": "1", "title": "T", "text": ""}`, `missing abstract`},
		{"bad date", `{` + title + `"abstract": "A", "published": "2021-13-01"}`, `bad date: date "2021-13-01": month 13 out of range`},
		{"bad date format", `{` + title + `"abstract": "A", "date": "23/07/2021"}`, `bad date: date "23/07/2021": want YYYY, YYYY-MM or YYYY-MM-DD`},
		{"bad arXiv version date", `{` + title + `"abstract": "A", "versions": [{"version": "v1", "created": "yesterday"}]}`, `bad date: version "v1" created "yesterday": want a date like "Mon, 2 Apr 2007 19:18:42 GMT"`},
		{"title not a string", `{"title": 5, "abstract": "A"}`, `field "title": got JSON number, want string`},
		{"authors not a list", `{` + title + `"abstract": "A", "authors": 5}`, `field "authors": got JSON number, want string or array of strings`},
		{"author not a string", `{` + title + `"abstract": "A", "authors": ["X", 1]}`, `field "authors": got JSON array of number, want string or array of strings`},
		{"categories an object", `{` + title + `"abstract": "A", "categories": {}}`, `field "categories": got JSON object, want string or array of strings`},
		{"upvotes a string", `{` + title + `"abstract": "A", "upvotes": "3"}`, `field "upvotes": got JSON string, want integer`},
		{"upvotes a fraction", `{` + title + `"abstract": "A", "upvotes": 2.5}`, `field "upvotes": got JSON number 2.5, want integer`},
		{"id a boolean", `{"id": true, ` + title + `"abstract": "A"}`, `field "id": got JSON boolean, want string or integer`},
		{"id with a space", `{"id": "a b", ` + title + `"abstract": "A"}`, `invalid id: "a b" contains white space or control characters`},
		{"versions not a list", `{` + title + `"abstract": "A", "versions": "v1"}`, `field "versions": got JSON string, want array`},
		{"date a number", `{` + title + `"abstract": "A", "date": 2021}`, `field "date": got JSON number, want string`},
		{"abstract too large", `{` + title + `"abstract": "` + strings.Repeat("a", paper.MaxAbstractLen+1) + `"}`, `record too large: abstract is 100001 bytes, limit 100000`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The bad record sits on line 3, between good ones and after a blank line.
			input := goodLine + "\n\n" + tc.record + "\n" + goodLine
			got := mustRead(t, input, "in.jsonl", Options{Format: FormatJSONL})
			want := result{
				Papers:     []paper.Paper{goodPaper, goodPaper},
				Rejections: []Rejection{{File: "in.jsonl", Line: 3, Reason: tc.reason}},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
			if _, err := DecodeRecord([]byte(tc.record)); err == nil || err.Error() != tc.reason {
				t.Errorf("DecodeRecord: err = %v, want %q", err, tc.reason)
			}
		})
	}
}

func TestReadJSONLLines(t *testing.T) {
	const max = 100
	long := `{"title": "T", "abstract": "` + strings.Repeat("a", 200) + `"}`
	exact := `{"title": "A Title", "abstract": "An abstract.` + strings.Repeat(" ", max-len(goodLine)) + `"}`
	for _, tc := range []struct {
		name  string
		input string
		want  result
	}{
		{"blank lines skipped", "\n\n" + goodLine + "\n   \n\t\n" + goodLine + "\n\n", result{Papers: []paper.Paper{goodPaper, goodPaper}}},
		{"CRLF line endings", goodLine + "\r\n" + goodLine + "\r\n", result{Papers: []paper.Paper{goodPaper, goodPaper}}},
		{"no final newline", goodLine + "\n" + goodLine, result{Papers: []paper.Paper{goodPaper, goodPaper}}},
		{"byte order mark", "\uFEFF" + goodLine + "\n", result{Papers: []paper.Paper{goodPaper}}},
		{"oversized line, then a good one", long + "\n" + goodLine + "\n", result{
			Papers:     []paper.Paper{goodPaper},
			Rejections: []Rejection{{File: "in", Line: 1, Reason: "record is longer than 100 bytes"}},
		}},
		{"oversized last line without newline", goodLine + "\n" + long, result{
			Papers:     []paper.Paper{goodPaper},
			Rejections: []Rejection{{File: "in", Line: 2, Reason: "record is longer than 100 bytes"}},
		}},
		{"line of exactly the limit, CRLF", exact + "\r\n" + goodLine, result{Papers: []paper.Paper{goodPaper, goodPaper}}},
		{"line one byte over the limit", exact + " \n" + goodLine, result{
			Papers:     []paper.Paper{goodPaper},
			Rejections: []Rejection{{File: "in", Line: 1, Reason: "record is longer than 100 bytes"}},
		}},
		{"line numbers count every line", "\n" + long + "\n\n" + `{"title": "T"}` + "\n" + goodLine + "\n" + "[]", result{
			Papers: []paper.Paper{goodPaper},
			Rejections: []Rejection{
				{File: "in", Line: 2, Reason: "record is longer than 100 bytes"},
				{File: "in", Line: 4, Reason: "missing abstract"},
				{File: "in", Line: 6, Reason: "not a JSON object but array"},
			},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(exact) != max {
				t.Fatalf("test setup: exact line is %d bytes, want %d", len(exact), max)
			}
			got := mustRead(t, tc.input, "in", Options{Format: FormatJSONL, MaxRecordBytes: max})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLongLineMemory checks that a huge line is skipped, not buffered: reading a 16 MiB line allocates
// far less than the line.
func TestLongLineMemory(t *testing.T) {
	const max = 1 << 10
	input := strings.Repeat("x", 16<<20) + "\n" + goodLine + "\n"
	var got result
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := Read(t.Context(), strings.NewReader(input), "in", Options{Format: FormatJSONL, MaxRecordBytes: max},
		func(p paper.Paper) error { got.Papers = append(got.Papers, p); return nil },
		func(r Rejection) { got.Rejections = append(got.Rejections, r) })
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	want := result{
		Papers:     []paper.Paper{goodPaper},
		Rejections: []Rejection{{File: "in", Line: 1, Reason: "record is longer than 1024 bytes"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("reading a 16 MiB line allocated %d bytes, want under 1 MiB", alloc)
	}
}

func TestReadJSONArray(t *testing.T) {
	input := `[
  {"title": "A Title", "abstract": "An abstract."},
  {
    "title": "No abstract"
  },
  42,

  {"title": "A Title",
   "abstract": "An abstract."}
]
`
	got := mustRead(t, input, "in.json", Options{})
	want := result{
		Papers: []paper.Paper{goodPaper, goodPaper},
		Rejections: []Rejection{
			{File: "in.json", Line: 3, Reason: "missing abstract"},
			{File: "in.json", Line: 6, Reason: "not a JSON object but number"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
}

func TestReadJSONArrayErrors(t *testing.T) {
	big := `{"title": "T", "abstract": "` + strings.Repeat("a", 200) + `"}`
	for _, tc := range []struct {
		name  string
		input string
		opts  Options
		err   string
		want  result
	}{
		{"empty array", "[]", Options{}, "", result{}},
		{"byte order mark", "\uFEFF[" + goodLine + "]", Options{}, "", result{Papers: []paper.Paper{goodPaper}}},
		{"bad JSON", "[\n" + goodLine + ",\n{\"title\": }\n]", Options{},
			`in.json: line 3: invalid JSON array: invalid character '}' looking for beginning of value`,
			result{Papers: []paper.Paper{goodPaper}}},
		{"truncated", "[\n" + goodLine + ",\n" + goodLine, Options{},
			`in.json: line 3: invalid JSON array: unexpected end of input`,
			result{Papers: []paper.Paper{goodPaper, goodPaper}}},
		{"data after the array", "[" + goodLine + "]\n[]", Options{},
			`in.json: line 2: unexpected data after the JSON array`,
			result{Papers: []paper.Paper{goodPaper}}},
		{"an object, not an array", goodLine, Options{Format: FormatJSON},
			`in.json: line 1: want a JSON array, got {`, result{}},
		{"oversized element in a small buffer", "[\n" + goodLine + ",\n" + big + "\n]", Options{MaxRecordBytes: 100},
			"", result{
				Papers:     []paper.Paper{goodPaper},
				Rejections: []Rejection{{File: "in.json", Line: 3, Reason: "record is longer than 100 bytes"}},
			}},
		{"oversized element past the buffer", "[\n" + goodLine + ",\n" + `{"abstract": "` + strings.Repeat("a", 200<<10) + `"}]`,
			Options{MaxRecordBytes: 100},
			`in.json: line 2: the next array element is longer than 100 bytes`,
			result{Papers: []paper.Paper{goodPaper}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readString(t, tc.input, "in.json", tc.opts)
			if errText(err) != tc.err {
				t.Errorf("err = %v, want %q", err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

package reader

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

func csl(p paper.Paper) paper.Paper {
	p.Source = "csl-json"
	if p.Title == "" {
		p.Title = "T"
	}
	if p.Abstract == "" {
		p.Abstract = "A."
	}
	p.AuthorCount = len(p.Authors)
	return p
}

// TestReadCSL reads CSL-JSON items, one a line, with the shape told by their keys (FormatAuto) and
// forced (FormatCSL); both must agree.
func TestReadCSL(t *testing.T) {
	for _, tc := range []struct {
		name, record string
		want         paper.Paper
		reason       string // of a rejection, instead of want
	}{
		{"Zotero item", `{"id": "http://zotero.org/users/1/items/ABCD", "type": "article-journal", "title": "Structure of <i>E. coli</i>", "container-title": "Nature", "abstract": "A.", "DOI": "10.1038/S41586", "URL": "https://www.nature.com/articles/s41586", "author": [{"family": "Lovelace", "given": "Ada"}, {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}, {"literal": "The Consortium"}, {"family": "Plato"}], "issued": {"date-parts": [[2019, 8, 22]]}}`,
			csl(paper.Paper{ID: "10.1038/s41586", Title: "Structure of E. coli", Venue: "Nature", DOI: "10.1038/s41586", URL: "https://www.nature.com/articles/s41586",
				Authors: []string{"Ada Lovelace", "Ludwig van Beethoven", "The Consortium", "Plato"}, Published: paper.Date{Year: 2019, Month: 8, Day: 22}}), ""},
		{"date parts as strings, year only", `{"id": "k", "title": "T", "abstract": "A.", "issued": {"date-parts": [["2019"]]}}`,
			csl(paper.Paper{ID: "k", Published: paper.Date{Year: 2019}}), ""},
		{"raw and literal dates", `{"id": "k", "title": "T", "abstract": "A.", "issued": {"raw": "Spring 2024"}}`,
			csl(paper.Paper{ID: "k", Published: paper.Date{Year: 2024}}), ""},
		{"EDTF date string", `{"id": "k", "title": "T", "abstract": "A.", "issued": "2020-05-17"}`,
			csl(paper.Paper{ID: "k", Published: paper.Date{Year: 2020, Month: 5, Day: 17}}), ""},
		{"number id", `{"id": 17, "type": "paper-conference", "title": "T", "abstract": "A."}`,
			csl(paper.Paper{ID: "17"}), ""},
		{"arXiv preprint in number", `{"id": "lee2025", "type": "article", "citation-key": "lee2025", "title": "T", "abstract": "A.", "number": "arXiv:2504.16081", "publisher": "arXiv"}`,
			csl(paper.Paper{ID: "2504.16081", ArxivID: "2504.16081"}), ""},
		{"arXiv in note and URL", `{"id": "k", "type": "article", "container-title": "", "title": "T", "abstract": "A.", "note": "arXiv:2504.16081 [cs]", "URL": "http://arxiv.org/abs/2504.16081"}`,
			csl(paper.Paper{ID: "2504.16081", ArxivID: "2504.16081", URL: "http://arxiv.org/abs/2504.16081"}), ""},
		{"container title as an array", `{"id": "k", "title": "T", "abstract": "A.", "container-title": ["Nature", "Nat."]}`,
			csl(paper.Paper{ID: "k", Venue: "Nature"}), ""},
		{"a DOI that is no DOI is dropped", `{"id": "k", "title": "T", "abstract": "A.", "DOI": "unknown"}`,
			csl(paper.Paper{ID: "k"}), ""},
		{"no id, no DOI: derived", `{"title": "A Title", "abstract": "A.", "issued": {"date-parts": [[2020]]}}`,
			csl(paper.Paper{ID: paper.DerivedID("A Title"), Title: "A Title", Published: paper.Date{Year: 2020}}), ""},

		{"missing abstract", `{"id": "k", "type": "book", "title": "T", "author": [{"family": "Knuth"}]}`, paper.Paper{}, "missing abstract"},
		{"bad date parts", `{"id": "k", "title": "T", "abstract": "A.", "issued": {"date-parts": [[2019, 13]]}}`, paper.Paper{}, `bad date: date "2019-13": month 13 out of range`},
		{"date part not a number", `{"id": "k", "title": "T", "abstract": "A.", "issued": {"date-parts": [["soon"]]}}`, paper.Paper{}, `bad date: issued: date part "soon" is not a number`},
		{"issued not an object", `{"id": "k", "title": "T", "abstract": "A.", "issued": 2019}`, paper.Paper{}, `bad date: issued: want {"date-parts": [[year, month, day]]}: cannot unmarshal number into Go value of type reader.cslDate`},
		{"author not a list of names", `{"id": "k", "title": "T", "abstract": "A.", "issued": {}, "author": [{"family": 5}]}`, paper.Paper{}, `field "author.family": got JSON number, want string`},
		{"bad URL", `{"id": "k", "title": "T", "abstract": "A.", "DOI": "10.1000/x", "URL": "javascript:alert(1)"}`, paper.Paper{}, "url must be http or https, not javascript"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := result{Papers: []paper.Paper{tc.want}}
			if tc.reason != "" {
				want = result{Rejections: []Rejection{{File: "in.json", Line: 1, Reason: tc.reason}}}
			}
			for _, f := range []Format{FormatAuto, FormatCSL} {
				got := mustRead(t, tc.record+"\n", "in.json", Options{Format: f})
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("Read with format %q (-want +got):\n%s", f, diff)
				}
			}
		})
	}
}

// TestCSLArray reads a Zotero export, a pretty-printed JSON array, with lines for rejections.
func TestCSLArray(t *testing.T) {
	input := `[
  {
    "id": "a", "type": "article-journal", "title": "T", "abstract": "A.",
    "author": [{"family": "Lovelace", "given": "Ada"}]
  },
  {
    "id": "b", "type": "book", "title": "No abstract",
    "issued": {"date-parts": [[1984]]}
  }
]`
	got := mustRead(t, input, "zotero.json", Options{})
	want := result{
		Papers:     []paper.Paper{csl(paper.Paper{ID: "a", Authors: []string{"Ada Lovelace"}})},
		Rejections: []Rejection{{File: "zotero.json", Line: 6, Reason: "missing abstract"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
}

// TestShapeDetection checks that records are told apart by their keys, and that keys of other shapes in
// a plain record change nothing.
func TestShapeDetection(t *testing.T) {
	for _, tc := range []struct {
		name, record string
		source       string
	}{
		{"plain", `{"id": "x", "title": "T", "abstract": "A."}`, "jsonl"},
		{"plain with a generic type and a year string", `{"id": "x", "title": "T", "abstract": "A.", "type": "article", "year": "2020", "journal": "Nature"}`, "jsonl"},
		{"plain with an author string", `{"id": "x", "title": "T", "abstract": "A.", "author": "Ada Lovelace"}`, "jsonl"},
		{"CSL by issued", `{"id": "x", "title": "T", "abstract": "A.", "issued": {"date-parts": [[2020]]}}`, "csl-json"},
		{"CSL by authors as objects", `{"id": "x", "title": "T", "abstract": "A.", "author": [{"family": "F"}]}`, "csl-json"},
		{"CSL by upper-case DOI", `{"id": "x", "title": "T", "abstract": "A.", "DOI": "10.1000/x"}`, "csl-json"},
		{"CSL by container title", `{"id": "x", "title": "T", "abstract": "A.", "container-title": "Nature"}`, "csl-json"},
		{"CSL by type", `{"id": "x", "title": "T", "abstract": "A.", "type": "article-journal"}`, "csl-json"},
		{"OpenAlex by inverted index", `{"id": "https://openalex.org/W1", "title": "T", "abstract_inverted_index": {"A.": [0]}}`, "openalex"},
		{"OpenAlex by id", `{"id": "https://openalex.org/W1", "title": "T", "abstract": "A."}`, "openalex"},
		{"Semantic Scholar by paperId", `{"paperId": "abc", "title": "T", "abstract": "A."}`, "s2"},
		{"Semantic Scholar dataset by corpusid", `{"corpusid": 1, "title": "T", "abstract": "A."}`, "s2"},
		{"arXiv", `{"id": "2504.16081", "title": "T", "abstract": "A.", "comment": null}`, "arxiv"},
		{"BEIR", `{"_id": "1", "title": "T", "text": "A."}`, "beir"},
		{"own source kept", `{"id": "x", "title": "T", "abstract": "A.", "source": "pubmed"}`, "pubmed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := DecodeRecord([]byte(tc.record))
			if err != nil {
				t.Fatalf("DecodeRecord: %v", err)
			}
			if p.Source != tc.source {
				t.Errorf("Source = %q, want %q", p.Source, tc.source)
			}
		})
	}
}

package reader

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

func TestReadOpenAlex(t *testing.T) {
	oa := func(p paper.Paper) paper.Paper {
		p.Source = "openalex"
		p.Title = "T"
		if p.Abstract == "" {
			p.Abstract = "Despite growing interest."
		}
		p.AuthorCount = len(p.Authors)
		return p
	}
	const abstract = `"abstract_inverted_index": {"Despite": [0], "growing": [1], "interest.": [2]}`
	for _, tc := range []struct {
		name, record string
		want         paper.Paper
		reason       string
	}{
		{"work", `{"id": "https://openalex.org/W2741809807", "doi": "https://doi.org/10.7717/peerj.4375", "title": "T", "display_name": "Ignored", "publication_year": 2018, "publication_date": "2018-02-13", "primary_location": {"landing_page_url": "https://peerj.com/articles/4375", "source": {"display_name": "PeerJ", "type": "journal"}}, "authorships": [{"author": {"display_name": "Heather Piwowar"}}, {"author": {}, "raw_author_name": "J. Priem"}], ` + abstract + `}`,
			oa(paper.Paper{ID: "10.7717/peerj.4375", DOI: "10.7717/peerj.4375", URL: "https://peerj.com/articles/4375", Venue: "PeerJ",
				Authors: []string{"Heather Piwowar", "J. Priem"}, Published: paper.Date{Year: 2018, Month: 2, Day: 13}}), ""},
		{"display name, year only, no DOI: the W-id and its page", `{"id": "https://openalex.org/W1", "display_name": "T", "publication_year": 2001, ` + abstract + `}`,
			oa(paper.Paper{ID: "W1", URL: "https://openalex.org/W1", Published: paper.Date{Year: 2001}}), ""},
		{"DOI page when there is no landing page", `{"id": "https://openalex.org/W1", "doi": "https://doi.org/10.1000/X", "title": "T", ` + abstract + `}`,
			oa(paper.Paper{ID: "10.1000/x", DOI: "10.1000/x", URL: "https://doi.org/10.1000/x"}), ""},
		{"arXiv location gives the ID; a repository is no venue", `{"id": "https://openalex.org/W1", "title": "T", "primary_location": {"landing_page_url": "http://arxiv.org/abs/2504.16081v1", "source": {"display_name": "arXiv (Cornell University)", "type": "repository"}}, ` + abstract + `}`,
			oa(paper.Paper{ID: "2504.16081", ArxivID: "2504.16081", URL: "http://arxiv.org/abs/2504.16081v1"}), ""},
		{"arXiv in another location", `{"id": "https://openalex.org/W1", "title": "T", "locations": [{"landing_page_url": "https://x.org"}, {"pdf_url": "https://arxiv.org/pdf/2504.16081"}], ` + abstract + `}`,
			oa(paper.Paper{ID: "2504.16081", ArxivID: "2504.16081", URL: "https://openalex.org/W1"}), ""},
		{"inverted index with gaps and a repeated word", `{"id": "https://openalex.org/W1", "title": "T", "abstract_inverted_index": {"the": [0, 3], "cat": [1], "saw": [2], "dog.": [7]}}`,
			oa(paper.Paper{ID: "W1", URL: "https://openalex.org/W1", Abstract: "the cat saw the dog."}), ""},
		{"a landing page that is no http link is not used", `{"id": "https://openalex.org/W1", "title": "T", "primary_location": {"landing_page_url": "ftp://x.org/a"}, ` + abstract + `}`,
			oa(paper.Paper{ID: "W1", URL: "https://openalex.org/W1"}), ""},

		{"no abstract", `{"id": "https://openalex.org/W1", "title": "T", "abstract_inverted_index": null}`, paper.Paper{}, "missing abstract"},
		{"no title", `{"id": "https://openalex.org/W1", "title": null, "display_name": null, ` + abstract + `}`, paper.Paper{}, "missing title"},
		{"negative position", `{"id": "https://openalex.org/W1", "title": "T", "abstract_inverted_index": {"a": [-1]}}`, paper.Paper{}, `abstract_inverted_index: negative position -1 for "a"`},
		{"positions not numbers", `{"id": "https://openalex.org/W1", "title": "T", "abstract_inverted_index": {"a": ["x"]}}`, paper.Paper{}, `field "abstract_inverted_index": got JSON string, want integer`},
		{"authorships not a list", `{"id": "https://openalex.org/W1", "title": "T", "authorships": {}, ` + abstract + `}`, paper.Paper{}, `field "authorships": got JSON object, want array`},
		{"bad date", `{"id": "https://openalex.org/W1", "title": "T", "publication_date": "2018-02-30", ` + abstract + `}`, paper.Paper{}, `bad date: date "2018-02-30": day 30 out of range for 2018-02`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := result{Papers: []paper.Paper{tc.want}}
			if tc.reason != "" {
				want = result{Rejections: []Rejection{{File: "works.jsonl", Line: 1, Reason: tc.reason}}}
			}
			for _, f := range []Format{FormatAuto, FormatOpenAlex} {
				got := mustRead(t, tc.record+"\n", "works.jsonl", Options{Format: f})
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("Read with format %q (-want +got):\n%s", f, diff)
				}
			}
		})
	}
}

// TestInvertedAbstractBound: an inverted index cannot make the reader build an abstract larger than
// any valid one.
func TestInvertedAbstractBound(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"w": [`)
	for i := range maxInvertedWords + 1 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, i)
	}
	b.WriteString(`]}`)
	if _, err := invertedAbstract([]byte(b.String())); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("invertedAbstract of %d words: err = %v, want too many words", maxInvertedWords+1, err)
	}
	if got, err := invertedAbstract([]byte(`{"b": [9223372036854775807], "a": [0]}`)); err != nil || got != "a b" {
		t.Errorf("invertedAbstract with a huge position = %q, %v; want %q", got, err, "a b")
	}
}

// TestReadOpenAlexPage reads an API response, {"meta": ..., "results": [...]}, detected and forced.
func TestReadOpenAlexPage(t *testing.T) {
	input := `{
  "meta": {"count": 2, "db_response_time_ms": 12, "page": 1, "per_page": 25},
  "results": [
    {"id": "https://openalex.org/W1", "title": "T", "abstract_inverted_index": {"A.": [0]}},
    {"id": "https://openalex.org/W2", "title": "No abstract", "abstract_inverted_index": null}
  ],
  "group_by": []
}`
	want := result{
		Papers:     []paper.Paper{{ID: "W1", Title: "T", Abstract: "A.", URL: "https://openalex.org/W1", Source: "openalex"}},
		Rejections: []Rejection{{File: "works.json", Line: 5, Reason: "missing abstract"}},
	}
	for _, f := range []Format{FormatAuto, FormatOpenAlex} {
		got := mustRead(t, input, "works.json", Options{Format: f})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Read with format %q (-want +got):\n%s", f, diff)
		}
	}
}

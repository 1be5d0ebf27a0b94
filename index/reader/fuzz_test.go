package reader

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

// fuzzRead reads data in format and checks the invariants of every read: no panic, no error but the
// ones a format may return, every paper normalized and valid, every rejection on a line of the input.
func fuzzRead(t *testing.T, data []byte, format Format, mayFail bool) {
	lines := bytes.Count(data, []byte("\n")) + 1
	err := Read(t.Context(), bytes.NewReader(data), "fuzz", Options{Format: format, Year: 2025, MaxRecordBytes: 4 << 10},
		func(p paper.Paper) error {
			if err := p.Validate(); err != nil {
				t.Errorf("accepted paper fails Validate: %v: %+v", err, p)
			}
			if err := paper.CheckURL(p.URL); err != nil {
				t.Errorf("accepted paper has a bad URL: %v: %+v", err, p)
			}
			again := p
			again.Normalize()
			if diff := cmp.Diff(p, again); diff != "" {
				t.Errorf("accepted paper is not normalized (-got +normalized):\n%s", diff)
			}
			return nil
		},
		func(r Rejection) {
			if r.Line < 1 || r.Line > lines || r.Reason == "" || r.File != "fuzz" {
				t.Errorf("rejection %s outside the input's %d lines, or without a reason", r, lines)
			}
		})
	// Input that starts like gzip is gunzipped, and broken gzip is an error of the whole read.
	if err != nil && !mayFail && !bytes.HasPrefix(data, gzipMagic) {
		t.Errorf("Read: %v", err)
	}
}

func FuzzReadJSONL(f *testing.F) {
	for _, s := range []string{
		arxivSnapshotRecord, arxivSnapshotBare, arxivListingRecord, beirRecord, plainRecord, goodLine,
		`{"id": 42, "title": "T", "abstract": "A", "authors": ["X", "", "Y"], "date": "2020"}`,
		`{"title": "T", "abstract": }`, `[1]`, `{"title": 5}`, "{\"title\": \"\xff\", \"abstract\": \"\\u0000\"}",
		goodLine + "\n\n" + `{"title": "T"}` + "\r\n" + goodLine,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, FormatJSONL, false)
	})
}

func FuzzReadJSONArray(f *testing.F) {
	for _, s := range []string{"[]", "[" + goodLine + ",\n" + plainRecord + "]", "[1, {}]", "[{", "[] x"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, FormatJSON, true) // syntax errors stop an array
	})
}

func FuzzReadDaily(f *testing.F) {
	seed, err := os.ReadFile(seedPage)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed[:min(len(seed), 6000)])
	for _, s := range []string{
		"T1\n\nAbstract.\n\n  • 4 authors\n·\nJul 23, 2021\n",
		"T1\n\nAbstract.\n\nT2\n\nAbstract.\n·\nJun 4 2",
		"Daily Papers\n\nOct 31\n\nT\n\n• 1 authors\n·\nFeb 30, 2021 3\n",
		"A\nB\r\n\r\nC\n\nOct 24, 2024 2\nOct 24\n\xff\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, FormatDaily, false)
	})
}

// addSample seeds f with a sample file of testdata/samples.
func addSample(f *testing.F, name string) {
	data, err := os.ReadFile(filepath.Join("testdata", "samples", name))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
}

func FuzzReadBibTeX(f *testing.F) {
	addSample(f, "library.bib")
	for _, s := range []string{
		"@article{k, title = {T}, abstract = {A.}}",
		"@string{x = \"y\"}\n@a{k, title = x # {z}, abstract = \"{\\\"u}\"}",
		"@a{k, title = {unclosed\n@b{j, title={T}, abstract={A}}",
		"@a(k, title = \"x ) y\", abstract = {$K_{3,3}$ \\emph{x}})",
		"% comment\n@comment{x}\n@preamble{\"\\newcommand\"}\n@a{k,author={A and {B and C} and others}}",
		"@a{k, title = {\\c}, abstract = {\\'{\\i}--``x''~\\ss\\}, date = {2020-13-40}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, FormatBibTeX, false)
	})
}

func FuzzReadRIS(f *testing.F) {
	addSample(f, "refs.ris")
	for _, s := range []string{
		"TY  - JOUR\nTI  - T\nAB  - A.\nER  - \n",
		"TY  - JOUR\nTI  - T\ncontinued\nAB  - A.\nTY  - JOUR\n",
		"AU  - orphan\nER  -\nTY - BOOK\r\nPY - 2020/13/\r\nER -",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, FormatRIS, false)
	})
}

func FuzzReadPubMed(f *testing.F) {
	addSample(f, "pubmed.xml")
	for _, s := range []string{
		"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>T</ArticleTitle><Abstract><AbstractText Label=\"L\">A</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
		"<PubmedArticle><MedlineCitation><Article><Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue></Journal></Article></MedlineCitation></PubmedArticle>",
		"<PubmedArticleSet><PubmedBookArticle/><DeleteCitation><PMID>1</PMID></DeleteCitation><PubmedArticle>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, FormatPubMed, true) // malformed XML stops the read
	})
}

func FuzzReadCSL(f *testing.F) {
	addSample(f, "zotero.json")
	for _, s := range []string{
		`{"id": "k", "title": "T", "abstract": "A", "author": [{"family": "F", "given": "G"}], "issued": {"date-parts": [["2020", 1]]}}`,
		`{"id": 1, "title": "T", "abstract": "A", "issued": "Spring 2020", "number": "arXiv:2504.16081", "DOI": "10.1000/x"}`,
		`[{"title": "<i>T</i>", "abstract": "A", "issued": {"raw": "x"}, "container-title": ["V"]}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, FormatCSL, true) // a broken array stops the read
	})
}

func FuzzReadOpenAlex(f *testing.F) {
	addSample(f, "openalex.jsonl")
	for _, s := range []string{
		`{"id": "https://openalex.org/W1", "title": "T", "abstract_inverted_index": {"a": [1, 0], "b": [0]}}`,
		`{"id": "W1", "display_name": "T", "publication_year": 2020, "primary_location": {"landing_page_url": "x", "source": null}, "locations": [{}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, FormatOpenAlex, true)
	})
}

func FuzzReadS2(f *testing.F) {
	addSample(f, "s2-page.json")
	addSample(f, "s2-dataset.jsonl")
	for _, s := range []string{
		`{"paperId": "p", "title": "T", "abstract": "A", "externalIds": {"ArXiv": "2504.16081"}, "year": 2020}`,
		`{"total": 1, "data": [{"paperId": "p"}]}{"data": []}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, FormatS2, true) // a broken page stops the read
	})
}

// FuzzDetect checks that detection never panics and that a detected format reads without panicking.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{"@a{k,", "TY  - ", "<PubmedArticle>", `{"total": 1, "data": [`, "[", "{", "% x\n@"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, Detect(data), true)
	})
}

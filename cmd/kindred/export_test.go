package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

// citeCorpus has a paper under its arXiv ID, one under its DOI, one with an ID of its own and a
// DOI, and one with an old-style arXiv ID.
const citeCorpus = `{"id": "2504.16081", "arxiv_id": "2504.16081", "title": "Sparse retrievers: 50% fewer & faster pruning", "abstract": "We prune sparse retrievers -- and keep {recall}.", "authors": ["Gül Öztürk", "Ada Lovelace"], "categories": ["cs.IR"], "published": "2025-04-22", "url": "https://arxiv.org/abs/2504.16081"}
{"id": "10.1234/abc.5", "doi": "10.1234/abc.5", "title": "Pruning language models", "abstract": "We prune large language models without retraining.", "authors": ["Jane Doe"], "published": "2024-07", "venue": "ICML 2024"}
{"id": "a1", "doi": "10.5555/own.1", "title": "Pruning with an ID of its own", "abstract": "Its DOI is not its ID; pruning is its subject.", "authors": ["John Smith"], "published": "2019", "venue": "Journal of Pruning"}
{"id": "a2", "arxiv_id": "hep-th/9901001", "title": "Strings in eleven dimensions", "abstract": "An old-style arXiv paper about pruning strings and language models.", "authors": ["Martin Luther King Jr."]}
`

// citeIndex indexes citeCorpus into a new data directory.
func citeIndex(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	file := writeInput(t, dir, "papers.jsonl", citeCorpus)
	data := t.TempDir()
	if code, _, stderr := runCLI(t, "", "index", "--quiet", "--data", data, file); code != exitOK {
		t.Fatalf("index: exit %d: %s", code, stderr)
	}
	return data
}

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// readBack reads citations with package reader, failing on any rejection.
func readBack(t *testing.T, data string, format reader.Format) []paper.Paper {
	t.Helper()
	var ps []paper.Paper
	var rejected []reader.Rejection
	err := reader.Read(t.Context(), strings.NewReader(data), "stdout", reader.Options{Format: format},
		func(p paper.Paper) error { ps = append(ps, p); return nil },
		func(r reader.Rejection) { rejected = append(rejected, r) })
	if err != nil || len(rejected) > 0 {
		t.Fatalf("reading %s back: %v, rejected %v\n%s", format, err, rejected, data)
	}
	return ps
}

func paperIDs(ps []paper.Paper) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

var citeFormats = []struct {
	name string
	read reader.Format
}{{"bibtex", reader.FormatBibTeX}, {"ris", reader.FormatRIS}, {"csl", reader.FormatCSL}}

func TestExportCommand(t *testing.T) {
	data := citeIndex(t)
	refs := []string{"https://doi.org/10.5555/OWN.1", "2504.16081v2", "arXiv:hep-th/9901001", "10.1234/abc.5", "arXiv:2504.16081"}
	// IDs by the readers' rule: a1 comes back under its DOI.
	want := []string{"10.5555/own.1", "2504.16081", "hep-th/9901001", "10.1234/abc.5"}
	for _, f := range citeFormats {
		code, stdout, stderr := runCLI(t, "", append([]string{"export", "--data", data, "--format", f.name}, refs...)...)
		if code != exitOK || stderr != "" {
			t.Fatalf("%s: exit %d: %s", f.name, code, stderr)
		}
		got := readBack(t, stdout, f.read)
		if diff := cmp.Diff(want, paperIDs(got)); diff != "" {
			t.Errorf("%s: IDs read back (-want +got):\n%s", f.name, diff)
		}
		if len(got) == 4 && (got[0].Title != "Pruning with an ID of its own" || got[0].Venue != "Journal of Pruning" || got[1].Abstract != "We prune sparse retrievers -- and keep {recall}.") {
			t.Errorf("%s: papers changed: %+v", f.name, got[:2])
		}
	}

	t.Run("default bibtex, references from stdin", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "a2\n\n  10.1234/ABC.5  \n", "export", "--data", data, "-")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if diff := cmp.Diff([]string{"hep-th/9901001", "10.1234/abc.5"}, paperIDs(readBack(t, stdout, reader.FormatBibTeX))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("json", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "", "export", "--data", data, "--format", "json", "a1", "a2")
		var ps []paper.Paper
		if err := json.Unmarshal([]byte(stdout), &ps); code != exitOK || err != nil {
			t.Fatalf("exit %d, %v: %s %s", code, err, stdout, stderr)
		}
		if diff := cmp.Diff([]string{"a1", "a2"}, paperIDs(ps)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("missing papers fail after the others are written", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "", "export", "--data", data, "a1", "nope", "doi:10.9/x")
		if code != exitFailure || stderr != "kindred export: 2 of 3 not in the index: nope, doi:10.9/x\n" {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		if diff := cmp.Diff([]string{"10.5555/own.1"}, paperIDs(readBack(t, stdout, reader.FormatBibTeX))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		msg   string
	}{
		{"no reference", "", []string{}, "no paper to export"},
		{"unknown format", "", []string{"--format", "endnote", "a1"}, `unknown --format "endnote" (want bibtex, ris, csl or json)`},
		{"text is not an export format", "", []string{"--format", "text", "a1"}, `unknown --format "text"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.stdin, append([]string{"export", "--data", data}, tc.args...)...)
			if code != exitUsage || !strings.Contains(stderr, tc.msg) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.msg)
			}
		})
	}
	if code, _, stderr := runCLI(t, "\n \n", "export", "--data", data, "-"); code != exitFailure || !strings.Contains(stderr, "no paper to export on stdin") {
		t.Errorf("empty stdin: exit %d, %q", code, stderr)
	}
}

// TestSearchFormats: search and related print their results as citations that read back to the
// papers --format json lists, in the same order; --json is --format json.
func TestSearchFormats(t *testing.T) {
	data := citeIndex(t)
	took := regexp.MustCompile(`"took_ms": [0-9.e+-]+`)
	for _, args := range [][]string{
		{"search", "--data", data, "pruning"},
		{"search", "--data", data, "--mode", "keyword", "--limit", "2", "pruning"},
		{"related", "--data", data, "https://doi.org/10.1234/ABC.5"},
		{"related", "--data", data, "--mode", "vector", "arXiv:hep-th/9901001v2"},
	} {
		name := strings.Join(args[3:], " ")
		code, js, stderr := runCLI(t, "", append(args, "--format", "json")...)
		if code != exitOK {
			t.Fatalf("%s --format json: exit %d: %s", name, code, stderr)
		}
		var res struct {
			Query   string `json:"query"`
			Results []struct {
				ID    string `json:"id"`
				Title string `json:"title"`
			} `json:"results"`
		}
		if err := json.Unmarshal([]byte(js), &res); err != nil || len(res.Results) == 0 {
			t.Fatalf("%s --format json: %v, %d results\n%s", name, err, len(res.Results), js)
		}
		if _, alias, _ := runCLI(t, "", append(args, "--json")...); took.ReplaceAllString(alias, "") != took.ReplaceAllString(js, "") {
			t.Errorf("%s: --json and --format json differ:\n%s\n%s", name, alias, js)
		}
		if args[0] == "related" && (res.Query == args[len(args)-1] || strings.Contains(res.Query, "/doi.org/")) {
			t.Errorf("%s: the query is %q, not the resolved ID", name, res.Query)
		}
		for _, f := range citeFormats {
			code, out, stderr := runCLI(t, "", append(args, "--format", f.name)...)
			if code != exitOK {
				t.Fatalf("%s --format %s: exit %d: %s", name, f.name, code, stderr)
			}
			got := readBack(t, out, f.read)
			if len(got) != len(res.Results) {
				t.Fatalf("%s --format %s: %d papers, want %d", name, f.name, len(got), len(res.Results))
			}
			for i, p := range got {
				want := res.Results[i]
				if p.Title != want.Title || (p.ID != want.ID && want.ID != "a1" && want.ID != "a2") {
					t.Errorf("%s --format %s: paper %d is %s %q, want %s %q", name, f.name, i, p.ID, p.Title, want.ID, want.Title)
				}
			}
		}
		code, text, _ := runCLI(t, "", args...)
		if code != exitOK || !strings.Contains(text, res.Results[0].ID) || strings.HasPrefix(text, "{") {
			t.Errorf("%s: text output:\n%s", name, text)
		}
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"search", "--data", data, "--json", "--format", "bibtex", "x"}, "--json asks for --format json, not bibtex"},
		{[]string{"search", "--data", data, "--format", "xml", "x"}, `unknown --format "xml" (want text, json, bibtex, ris or csl)`},
		{[]string{"related", "--data", data, "--format", "BibTeX", "a1"}, `unknown --format "BibTeX"`},
	} {
		code, _, stderr := runCLI(t, "", tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.msg)
		}
	}
	if code, _, stderr := runCLI(t, "", "related", "--data", data, "doi:10.9/none"); code != exitFailure || !strings.Contains(stderr, "paper not found") {
		t.Errorf("related to an unknown DOI: exit %d, %q", code, stderr)
	}
}

// TestSearchExportRoundTrip is the CLI's whole path: index a file, search, export the results as
// BibTeX, read them back: the same IDs, titles and DOIs as the JSON results.
func TestSearchExportRoundTrip(t *testing.T) {
	data := citeIndex(t)
	code, js, stderr := runCLI(t, "", "search", "--data", data, "--format", "json", "pruning")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		Results []struct{ ID string } `json:"results"`
	}
	if err := json.Unmarshal([]byte(js), &res); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range res.Results {
		ids = append(ids, r.ID)
	}
	if len(ids) < 3 {
		t.Fatalf("search found %v", ids)
	}
	code, stored, stderr := runCLI(t, "", append([]string{"export", "--data", data, "--format", "json"}, ids...)...)
	var want []paper.Paper
	if err := json.Unmarshal([]byte(stored), &want); code != exitOK || err != nil {
		t.Fatalf("export json: exit %d, %v: %s", code, err, stderr)
	}
	code, bib, stderr := runCLI(t, "", "search", "--data", data, "--format", "bibtex", "pruning")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	type idTitleDOI struct{ ID, Title, DOI string }
	var w, g []idTitleDOI
	for _, p := range want {
		id := p.ID // by the readers' rule: the arXiv ID, else the DOI, else the paper's own
		switch {
		case p.ArxivID != "":
			id = p.ArxivID
		case p.DOI != "":
			id = p.DOI
		}
		w = append(w, idTitleDOI{id, p.Title, p.DOI})
	}
	for _, p := range readBack(t, bib, reader.FormatBibTeX) {
		g = append(g, idTitleDOI{p.ID, p.Title, p.DOI})
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("search as BibTeX, read back (-stored +read back):\n%s", diff)
	}
}

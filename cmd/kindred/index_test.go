package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/load"
)

// writeInput writes an input file in dir and returns its path.
func writeInput(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestIndexEmptyFile: a file from which nothing is accepted makes `kindred index` fail with a hint by
// the main reason, while the other files of the command line are indexed.
func TestIndexEmptyFile(t *testing.T) {
	dir := t.TempDir()
	good := writeInput(t, dir, "papers.jsonl", `{"id": "a1", "title": "First", "abstract": "One abstract."}`+"\n"+
		`{"id": "a2", "title": "Second", "abstract": "Another abstract."}`+"\n")
	more := writeInput(t, dir, "more.jsonl", `{"id": "a3", "title": "Third", "abstract": "A third abstract."}`+"\n")
	bib := writeInput(t, dir, "refs.bib", "@article{k1, title = {No abstract}, year = 2020}\n@book{k2, title = {Nor here}}\n")
	broken := writeInput(t, dir, "paper.jsonl", "{\"title\": \"T\",,}\n{broken\n")
	partial := writeInput(t, dir, "partial.bib", "@article{k3, title = {T}, abstract = {A.}}\n@book{k4, title = {No abstract}}\n")
	for _, tc := range []struct {
		name   string
		files  []string
		code   int
		stderr string // the last line of stderr, when the command fails
		papers int
	}{
		{"every file gives papers", []string{good, partial}, exitOK, "", 3},
		{"a BibTeX export without abstracts, between good files", []string{good, bib, more}, exitFailure,
			"kindred index: no record in " + bib + " had an abstract: export abstracts from Zotero (File > Export Library, format CSL JSON or Better BibTeX with the abstract field)", 3},
		{"only the empty file", []string{bib}, exitFailure,
			"kindred index: no record in " + bib + " had an abstract: export abstracts from Zotero (File > Export Library, format CSL JSON or Better BibTeX with the abstract field)", 0},
		{"two empty files, one hint each", []string{broken, good, bib}, exitFailure,
			"kindred index: no record in " + broken + " is a JSON object: if the file is in another format, name it with --format (jsonl, json, csl, bibtex, ris, openalex, pubmed, s2 or daily); no record in " + bib + " had an abstract: export abstracts from Zotero (File > Export Library, format CSL JSON or Better BibTeX with the abstract field)", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := t.TempDir()
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), append([]string{"index", "--quiet", "--data", data}, tc.files...), strings.NewReader(""), &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, &stdout, &stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if last := lines[len(lines)-1]; tc.stderr != "" && last != tc.stderr {
				t.Errorf("last line of stderr:\n%s\nwant:\n%s", last, tc.stderr)
			}
			if !strings.Contains(stdout.String(), "now holds") {
				t.Errorf("stdout lacks the summary:\n%s", &stdout)
			}
			ix, err := index.Open(t.Context(), data, index.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if n := ix.Count(); n != tc.papers {
				t.Errorf("index holds %d papers, want %d", n, tc.papers)
			}
		})
	}
}

func TestEmptyHint(t *testing.T) {
	for _, tc := range []struct {
		name, file, reason, want string
	}{
		{"abstracts, plain JSON lines", "papers.jsonl", "missing abstract", `no record in papers.jsonl had an abstract: each needs one ("abstract", or "text" in a BEIR corpus)`},
		{"abstracts, gzipped RIS", "refs.ris.gz", "missing abstract", "no record in refs.ris.gz had an abstract: export abstracts from Zotero (File > Export Library, format CSL JSON or Better BibTeX with the abstract field)"},
		{"titles", "corpus.jsonl", "missing title", "no record in corpus.jsonl had a title: each needs one"},
		{"too long", "big.json", "record is longer than 1048576 bytes", "every record in big.json is too long (record is longer than 1048576 bytes): if the file is one JSON document, try --format json"},
		{"BibTeX syntax", "x.bib", "unbalanced braces", "no entry in x.bib could be read as BibTeX (unbalanced braces): export it again from your reference manager"},
		{"anything else", "x.jsonl", "bad date", `no record in x.jsonl could be indexed: 3 rejected, most for "bad date"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := load.FileSummary{File: tc.file, Rejected: 3, Reasons: map[string]int{tc.reason: 3}}
			if got := emptyHint(f); got != tc.want {
				t.Errorf("emptyHint = %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range []string{"", "jsonl", "json", "csl", "bibtex", "ris", "openalex", "pubmed", "s2", "daily"} {
		if _, err := parseFormat(f); err != nil {
			t.Errorf("parseFormat(%q): %v", f, err)
		}
	}
	if _, err := parseFormat("xml"); err == nil || err.Error() != `unknown --format "xml" (want jsonl, json, csl, bibtex, ris, openalex, pubmed, s2 or daily)` {
		t.Errorf("parseFormat(xml) = %v", err)
	}
}

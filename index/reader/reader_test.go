package reader

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

// result is everything one Read produced.
type result struct {
	Papers     []paper.Paper
	Rejections []Rejection
}

// readString reads input named name and collects what Read produced.
func readString(t testing.TB, input, name string, opts Options) (result, error) {
	t.Helper()
	var res result
	err := Read(context.Background(), strings.NewReader(input), name, opts,
		func(p paper.Paper) error { res.Papers = append(res.Papers, p); return nil },
		func(r Rejection) { res.Rejections = append(res.Rejections, r) })
	return res, err
}

// mustRead is readString for inputs that must not fail.
func mustRead(t testing.TB, input, name string, opts Options) result {
	t.Helper()
	res, err := readString(t, input, name, opts)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return res
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name string
		head string
		want Format
	}{
		{"object", `{"title": "x"}`, FormatJSONL},
		{"object after white space", "\n\n  \t{", FormatJSONL},
		{"object after byte order mark", "\uFEFF{", FormatJSONL},
		{"array", "[\n  {", FormatJSON},
		{"daily page", "new\n\nGet trending papers in your email inbox!", FormatDaily},
		{"daily without header", "Bias Loss for Mobile Neural Networks\n", FormatDaily},
		{"empty", "", FormatJSONL},
		{"Semantic Scholar page", `{"total": 2, "offset": 0, "data": [{"paperId": "x"}]}`, FormatS2},
		{"object with a data key is no page", `{"title": "T", "data": []}`, FormatJSONL},
		{"OpenAlex page", `{"meta": {"count": 1}, "results": [{"id": "https://openalex.org/W1"}]}`, FormatOpenAlex},
		{"BibTeX", "@article{k,\n title = {T}}", FormatBibTeX},
		{"BibTeX in parentheses", "@Article (k, title = {T})", FormatBibTeX},
		{"BibTeX after comment lines", "% Encoding: UTF-8\n%\n\n@string{x = {y}}", FormatBibTeX},
		{"BibTeX after a byte order mark", "\uFEFF\n@misc{k}", FormatBibTeX},
		{"an at sign alone is no BibTeX", "@someone said hello", FormatDaily},
		{"comment lines without an entry", "% just a comment\n", FormatDaily},
		{"RIS", "TY  - JOUR\r\nTI  - T\r\n", FormatRIS},
		{"RIS after blank lines", "\n\nTY  - JOUR\n", FormatRIS},
		{"RIS must start with TY", "TI  - T\nTY  - JOUR\n", FormatDaily},
		{"PubMed", `<?xml version="1.0" ?>` + "\n" + `<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "x">` + "\n<PubmedArticleSet>", FormatPubMed},
		{"PubMed efetch without a set", "<PubmedArticle>\n<MedlineCitation>", FormatPubMed},
		{"other XML", `<?xml version="1.0"?><feed>`, FormatDaily},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detect([]byte(tc.head)); got != tc.want {
				t.Errorf("Detect(%q) = %q, want %q", tc.head, got, tc.want)
			}
		})
	}
}

func TestRejectionString(t *testing.T) {
	r := Rejection{File: "papers.jsonl", Line: 12, Reason: "missing abstract"}
	if got, want := r.String(), "papers.jsonl:12: missing abstract"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestDefaultOptions(t *testing.T) {
	o := DefaultOptions()
	if o.Format != FormatAuto || o.Strict || o.MaxRecordBytes != 1<<20 || o.Year < 2025 {
		t.Errorf("DefaultOptions() = %+v", o)
	}
	if diff := cmp.Diff(o, Options{}.withDefaults()); diff != "" {
		t.Errorf("zero Options do not default to DefaultOptions (-want +got):\n%s", diff)
	}
}

func TestUnknownFormat(t *testing.T) {
	_, err := readString(t, `{"title":"T","abstract":"A"}`, "x", Options{Format: "xml"})
	if !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("Read with Format xml: err = %v, want ErrUnknownFormat", err)
	}
	want := `x: unknown input format "xml" (want jsonl, json, csl, bibtex, ris, openalex, pubmed, s2 or daily)`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}

const goodLine = `{"title": "A Title", "abstract": "An abstract."}`

var goodPaper = paper.Paper{ID: paper.DerivedID("A Title"), Title: "A Title", Abstract: "An abstract.", Source: "jsonl"}

func TestStrict(t *testing.T) {
	input := goodLine + "\n" + `{"title": "No abstract"}` + "\n" + goodLine + "\n"
	res, err := readString(t, input, "in.jsonl", Options{Strict: true})
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("err = %v, want ErrRejected", err)
	}
	if want := "rejected record: in.jsonl:2: missing abstract"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if diff := cmp.Diff(result{Papers: []paper.Paper{goodPaper}}, res); diff != "" {
		t.Errorf("strict read stopped in the wrong place (-want +got):\n%s", diff)
	}
}

func TestCallbackErrorStops(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := Read(t.Context(), strings.NewReader(strings.Repeat(goodLine+"\n", 5)), "in", Options{},
		func(paper.Paper) error { calls++; return stop }, nil)
	if err != stop {
		t.Errorf("err = %v, want fn's own error", err)
	}
	if calls != 1 {
		t.Errorf("fn called %d times after returning an error, want 1", calls)
	}
}

func TestContextCancelStops(t *testing.T) {
	for _, tc := range []struct {
		name, input string
	}{
		{"jsonl", strings.Repeat(goodLine+"\n", 5)},
		{"json", "[" + strings.Repeat(goodLine+",", 4) + goodLine + "]"},
		{"daily", strings.Repeat("Title\n\nAbstract.\n\n", 5)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			calls := 0
			err := Read(ctx, strings.NewReader(tc.input), "in", Options{},
				func(paper.Paper) error { calls++; cancel(); return nil }, nil)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if calls != 1 {
				t.Errorf("fn called %d times, want 1 before the cancellation is seen", calls)
			}
		})
	}
}

func TestNilCallbacks(t *testing.T) {
	input := goodLine + "\nnot json\n"
	if err := Read(t.Context(), strings.NewReader(input), "in", Options{}, nil, nil); err != nil {
		t.Errorf("Read with nil callbacks: %v", err)
	}
}

func gzipBytes(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGzip(t *testing.T) {
	input := goodLine + "\n" + `{"title": "T"}` + "\n"
	mixed := result{
		Papers:     []paper.Paper{goodPaper},
		Rejections: []Rejection{{Line: 2, Reason: "missing abstract"}},
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name string // of the file
		data []byte
		want result // with File left out of the rejections
	}{
		{"papers.jsonl.gz", gzipBytes(t, input), mixed},
		{"no-suffix.jsonl", gzipBytes(t, input), mixed}, // found by the magic bytes
		{"concatenated.gz", append(gzipBytes(t, input[:len(goodLine)+1]), gzipBytes(t, input[len(goodLine)+1:])...), mixed},
		{"daily.txt.gz", gzipBytes(t, "Title\n\nAn abstract.\n"), result{ // format sniffed after gunzip
			Papers: []paper.Paper{{ID: paper.DerivedID("Title"), Title: "Title", Abstract: "An abstract.", Source: "daily"}},
		}},
		{"empty.jsonl.gz", nil, result{}}, // nothing to read, no error
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			var got result
			err := ReadFile(t.Context(), path, Options{},
				func(p paper.Paper) error { got.Papers = append(got.Papers, p); return nil },
				func(r Rejection) { got.Rejections = append(got.Rejections, r) })
			if err != nil {
				t.Fatalf("ReadFile: %v", err)
			}
			want := tc.want
			want.Rejections = nil
			for _, r := range tc.want.Rejections {
				r.File = path
				want.Rejections = append(want.Rejections, r)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ReadFile(%s) (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}

func TestGzipErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"gz name, plain content", []byte(goodLine + "\n")},
		{"truncated stream", gzipBytes(t, strings.Repeat(goodLine+"\n", 100))[:60]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Read(t.Context(), bytes.NewReader(tc.data), "in.jsonl.gz", Options{}, nil, nil)
			if err == nil || !strings.HasPrefix(err.Error(), "in.jsonl.gz: ") {
				t.Errorf("err = %v, want an error naming the file", err)
			}
		})
	}
}

func TestReadFileMissing(t *testing.T) {
	err := ReadFile(t.Context(), filepath.Join(t.TempDir(), "nope.jsonl"), Options{}, nil, nil)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want os.ErrNotExist", err)
	}
}

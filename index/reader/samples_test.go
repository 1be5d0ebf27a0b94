package reader

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

// samples are realistic exports, written after each format's documentation: what Zotero, Google
// Scholar, DBLP, OpenAlex, PubMed and Semantic Scholar produce. Their parse is pinned in
// testdata/golden (go test -update rewrites it).
var samples = []struct {
	file   string
	format Format // what Detect must find
}{
	{"library.bib", FormatBibTeX},
	{"refs.ris", FormatRIS},
	{"zotero.json", FormatJSON},
	{"openalex.jsonl", FormatJSONL},
	{"pubmed.xml", FormatPubMed},
	{"s2-page.json", FormatS2},
	{"s2-dataset.jsonl", FormatJSONL},
}

// forced is the format each sample is also read with by name, which must give the same result.
var forced = map[string]Format{
	"library.bib": FormatBibTeX, "refs.ris": FormatRIS, "zotero.json": FormatCSL,
	"openalex.jsonl": FormatOpenAlex, "pubmed.xml": FormatPubMed, "s2-page.json": FormatS2,
	"s2-dataset.jsonl": FormatS2,
}

func readSample(t *testing.T, file string, format Format) result {
	t.Helper()
	path := filepath.Join("testdata", "samples", file)
	var res result
	err := ReadFile(t.Context(), path, Options{Format: format},
		func(p paper.Paper) error { res.Papers = append(res.Papers, p); return nil },
		func(r Rejection) { r.File = filepath.Base(r.File); res.Rejections = append(res.Rejections, r) })
	if err != nil {
		t.Fatalf("ReadFile(%s, %q): %v", path, format, err)
	}
	return res
}

func TestSamplesGolden(t *testing.T) {
	for _, sm := range samples {
		t.Run(sm.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "samples", sm.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := Detect(data); got != sm.format {
				t.Errorf("Detect = %q, want %q", got, sm.format)
			}
			res := readSample(t, sm.file, FormatAuto)
			if diff := cmp.Diff(res, readSample(t, sm.file, forced[sm.file])); diff != "" {
				t.Errorf("--format %s reads differently from detection (-auto +forced):\n%s", forced[sm.file], diff)
			}
			if len(res.Papers) == 0 {
				t.Errorf("no paper read")
			}
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", sm.file+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("parse of %s differs from %s (-want +got):\n%s", sm.file, golden, cmp.Diff(string(want), string(got)))
			}
		})
	}
}

// TestSamplesGzip reads every sample gzipped: detection and parsing happen after decompression.
func TestSamplesGzip(t *testing.T) {
	for _, sm := range samples {
		t.Run(sm.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "samples", sm.file))
			if err != nil {
				t.Fatal(err)
			}
			gz := filepath.Join(t.TempDir(), sm.file+".gz")
			if err := os.WriteFile(gz, gzipBytes(t, string(data)), 0o644); err != nil {
				t.Fatal(err)
			}
			var got result
			err = ReadFile(t.Context(), gz, Options{},
				func(p paper.Paper) error { got.Papers = append(got.Papers, p); return nil },
				func(r Rejection) { r.File = sm.file; got.Rejections = append(got.Rejections, r) })
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(readSample(t, sm.file, FormatAuto), got); diff != "" {
				t.Errorf("gzipped read differs (-plain +gzip):\n%s", diff)
			}
		})
	}
}

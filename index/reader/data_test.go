package reader

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/kindred-search/kindred/index/paper"
)

// The project's shared data sits next to the repository: ../shared from the root.
var sharedDir = filepath.Join("..", "..", "..", "shared", "data")

const (
	arxivFile   = "arxiv/arxiv-75k.jsonl.gz"
	arxivLines  = 74_728
	scifactFile = "scifact/corpus.jsonl"
	scifactDocs = 5_183
)

// sharedFile returns the path of a file under the shared data directory. Without the directory the test
// is skipped, except in CI, where the data must be present.
func sharedFile(t testing.TB, rel string) string {
	t.Helper()
	if _, err := os.Stat(sharedDir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data directory missing in CI: %v", err)
		}
		t.Skipf("shared data directory %s not found (check out ../shared next to the repository): %v", sharedDir, err)
	}
	path := filepath.Join(sharedDir, rel)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("shared data file missing: %v", err)
	}
	return path
}

func TestReadSharedData(t *testing.T) {
	for _, tc := range []struct {
		file     string
		lines    int
		urls     bool // arXiv records get a URL and a date
		shape    string
		firstID  string
		firstCat string
	}{
		{arxivFile, arxivLines, true, "arXiv listing", "2503.11731", "cs.CV"},
		{scifactFile, scifactDocs, false, "BEIR corpus", "4983", ""},
	} {
		t.Run(tc.shape, func(t *testing.T) {
			path := sharedFile(t, tc.file)
			var first paper.Paper
			accepted, ids := 0, make(map[string]bool, tc.lines)
			var rejected []Rejection
			err := ReadFile(t.Context(), path, Options{},
				func(p paper.Paper) error {
					if accepted == 0 {
						first = p
					}
					accepted++
					if ids[p.ID] {
						t.Errorf("duplicate id %q", p.ID)
					}
					ids[p.ID] = true
					if tc.urls && (p.URL != "https://arxiv.org/abs/"+p.ID || p.Published.IsZero() || len(p.Authors) == 0) {
						t.Errorf("arXiv paper %s lacks URL, date or authors: %+v", p.ID, p)
					}
					return nil
				},
				func(r Rejection) { rejected = append(rejected, r) })
			if err != nil {
				t.Fatal(err)
			}
			if accepted+len(rejected) != tc.lines {
				t.Errorf("accepted %d + rejected %d = %d records, want %d", accepted, len(rejected),
					accepted+len(rejected), tc.lines)
			}
			// Both files are clean: every rejection is a reader bug.
			for i, r := range rejected[:min(len(rejected), 10)] {
				t.Errorf("rejection %d of %d: %s", i+1, len(rejected), r)
			}
			if first.ID != tc.firstID || (tc.firstCat != "" && first.Categories[0] != tc.firstCat) {
				t.Errorf("first paper = %+v, want id %s, category %q", first, tc.firstID, tc.firstCat)
			}
		})
	}
}

// BenchmarkReadArxiv reads the first n records of the arXiv file, decompressed in memory, and all of
// them from the gzip file's bytes; papers/s counts accepted papers.
func BenchmarkReadArxiv(b *testing.B) {
	gz, err := os.ReadFile(sharedFile(b, arxivFile))
	if err != nil {
		b.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		b.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, data []byte, name string, want int) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n = 0
			err := Read(b.Context(), bytes.NewReader(data), name, Options{Format: FormatJSONL},
				func(paper.Paper) error { n++; return nil }, nil)
			if err != nil {
				b.Fatal(err)
			}
		}
		if n != want {
			b.Fatalf("read %d papers, want %d", n, want)
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "papers/s")
	}
	for _, size := range []int{1_000, 10_000, arxivLines} {
		b.Run(fmt.Sprintf("jsonl/n=%d", size), func(b *testing.B) {
			run(b, firstLines(plain, size), "arxiv.jsonl", size)
		})
	}
	b.Run(fmt.Sprintf("gzip/n=%d", arxivLines), func(b *testing.B) {
		run(b, gz, "arxiv.jsonl.gz", arxivLines)
	})
}

// firstLines returns the first n lines of data.
func firstLines(data []byte, n int) []byte {
	end := 0
	for range n {
		i := bytes.IndexByte(data[end:], '\n')
		if i < 0 {
			return data
		}
		end += i + 1
	}
	return data[:end]
}

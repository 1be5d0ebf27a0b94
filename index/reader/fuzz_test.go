package reader

import (
	"bytes"
	"os"
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

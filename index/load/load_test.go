package load_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/load"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

func openIndex(t *testing.T) *index.Index {
	t.Helper()
	ix, err := index.Open(t.Context(), t.TempDir(), index.DefaultOptions())
	if err != nil {
		t.Fatalf("index.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := ix.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return ix
}

// checkIndex fails unless ix holds exactly the papers with the given IDs and passes its own Check.
func checkIndex(t *testing.T, ix *index.Index, ids ...string) {
	t.Helper()
	if got := ix.Count(); got != len(ids) {
		t.Errorf("Count() = %d, want %d", got, len(ids))
	}
	if err := ix.Check(t.Context()); err != nil {
		t.Errorf("Check: %v", err)
	}
	for _, id := range ids {
		if _, err := ix.Get(t.Context(), id); err != nil {
			t.Errorf("Get(%q): %v", id, err)
		}
	}
}

func absent(t *testing.T, ix *index.Index, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if _, err := ix.Get(t.Context(), id); !errors.Is(err, index.ErrNotFound) {
			t.Errorf("Get(%q) = %v, want ErrNotFound", id, err)
		}
	}
}

// rec is one JSON-lines record; the abstract varies with the id so that papers differ.
func rec(id string) string {
	b, err := json.Marshal(map[string]string{
		"id":       id,
		"title":    "Paper " + id + " on sparse retrieval",
		"abstract": "We study topic " + id + " and report results on abstracts.",
	})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Lines that the reader rejects, with the reason it gives.
const (
	brokenJSON      = `{"id": "broken", "title": `
	missingAbstract = `{"id": "noabs", "title": "A title without an abstract"}`
	badID           = `{"id": "has space", "title": "T", "abstract": "A"}`
)

// writeFile writes lines as a file named name in dir and returns its path.
func writeFile(t *testing.T, dir, name string, lines ...string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// rejection is a Rejection with the reason reduced to a phrase it must contain.
type rejection struct {
	File   string
	Line   int
	Reason string
}

func checkRejections(t *testing.T, want []rejection, got []reader.Rejection) {
	t.Helper()
	var g []rejection
	for _, r := range got {
		g = append(g, rejection{filepath.Base(r.File), r.Line, r.Reason})
	}
	reasonContains := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Reason" },
		cmp.Comparer(func(a, b string) bool { return strings.Contains(a, b) || strings.Contains(b, a) }))
	if diff := cmp.Diff(want, g, reasonContains, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Rejections (-want +got):\n%s", diff)
	}
	for _, r := range got {
		if s, prefix := r.String(), fmt.Sprintf("%s:%d: ", r.File, r.Line); !strings.HasPrefix(s, prefix) || len(s) == len(prefix) {
			t.Errorf("Rejection.String() = %q, want %q and a reason", s, prefix)
		}
	}
}

func TestFiles(t *testing.T) {
	type file struct {
		name  string
		lines []string
	}
	for _, tc := range []struct {
		name       string
		files      []file
		firstBatch int // 0: the default
		want       load.Summary
		rejections []rejection
		ids        []string
		perFile    []load.FileSummary // with base names
	}{
		{
			name:    "one file",
			files:   []file{{"a.jsonl", []string{rec("p1"), rec("p2"), rec("p3")}}},
			want:    load.Summary{Read: 3, Added: 3},
			ids:     []string{"p1", "p2", "p3"},
			perFile: []load.FileSummary{{File: "a.jsonl", Accepted: 3}},
		},
		{
			name:    "duplicate ID within one batch",
			files:   []file{{"a.jsonl", []string{rec("p1"), rec("p2"), rec("p1")}}},
			want:    load.Summary{Read: 3, Added: 2, Replaced: 1},
			ids:     []string{"p1", "p2"},
			perFile: []load.FileSummary{{File: "a.jsonl", Accepted: 3}},
		},
		{
			name:    "duplicate ID across files, same batch",
			files:   []file{{"a.jsonl", []string{rec("p1"), rec("p2")}}, {"b.jsonl", []string{rec("p2"), rec("p3")}}},
			want:    load.Summary{Read: 4, Added: 3, Replaced: 1},
			ids:     []string{"p1", "p2", "p3"},
			perFile: []load.FileSummary{{File: "a.jsonl", Accepted: 2}, {File: "b.jsonl", Accepted: 2}},
		},
		{
			name:       "duplicate ID across files, replacing an indexed paper",
			files:      []file{{"a.jsonl", []string{rec("p1"), rec("p2")}}, {"b.jsonl", []string{rec("p2"), rec("p3")}}},
			firstBatch: 2,
			want:       load.Summary{Read: 4, Added: 3, Replaced: 1},
			ids:        []string{"p1", "p2", "p3"},
			perFile:    []load.FileSummary{{File: "a.jsonl", Accepted: 2}, {File: "b.jsonl", Accepted: 2}},
		},
		{
			name: "broken lines in the middle",
			files: []file{{"a.jsonl", []string{
				rec("p1"),       // 1
				brokenJSON,      // 2
				rec("p2"),       // 3
				"",              // 4: blank lines are skipped but counted
				missingAbstract, // 5
				badID,           // 6
				rec("p3"),       // 7
			}}},
			want: load.Summary{Read: 3, Added: 3, Rejected: 3},
			rejections: []rejection{
				{"a.jsonl", 2, "JSON"},
				{"a.jsonl", 5, "missing abstract"},
				{"a.jsonl", 6, "invalid id"},
			},
			ids: []string{"p1", "p2", "p3"},
			perFile: []load.FileSummary{{File: "a.jsonl", Accepted: 3, Rejected: 3,
				Reasons: map[string]int{"invalid JSON": 1, "missing abstract": 1, "invalid id": 1}}},
		},
		{
			name: "line numbers restart in each file",
			files: []file{
				{"a.jsonl", []string{rec("p1"), missingAbstract}},
				{"b.jsonl", []string{rec("p2"), rec("p3"), brokenJSON}},
			},
			want:       load.Summary{Read: 3, Added: 3, Rejected: 2},
			rejections: []rejection{{"a.jsonl", 2, "missing abstract"}, {"b.jsonl", 3, "JSON"}},
			ids:        []string{"p1", "p2", "p3"},
			perFile: []load.FileSummary{
				{File: "a.jsonl", Accepted: 1, Rejected: 1, Reasons: map[string]int{"missing abstract": 1}},
				{File: "b.jsonl", Accepted: 2, Rejected: 1, Reasons: map[string]int{"invalid JSON": 1}},
			},
		},
		{
			name:       "only rejections",
			files:      []file{{"a.jsonl", []string{missingAbstract, badID}}},
			want:       load.Summary{Rejected: 2},
			rejections: []rejection{{"a.jsonl", 1, "missing abstract"}, {"a.jsonl", 2, "invalid id"}},
			perFile:    []load.FileSummary{{File: "a.jsonl", Rejected: 2, Reasons: map[string]int{"missing abstract": 1, "invalid id": 1}}},
		},
		{
			name:    "empty file",
			files:   []file{{"a.jsonl", nil}},
			perFile: []load.FileSummary{{File: "a.jsonl"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var paths []string
			for _, f := range tc.files {
				paths = append(paths, writeFile(t, dir, f.name, f.lines...))
			}
			ix := openIndex(t)
			opts := load.DefaultOptions()
			if tc.firstBatch > 0 {
				opts.FirstBatch, opts.Batch = tc.firstBatch, tc.firstBatch
			}
			var called []reader.Rejection
			opts.Reject = func(r reader.Rejection) { called = append(called, r) }
			sum, err := load.Files(t.Context(), ix, paths, opts)
			if err != nil {
				t.Fatalf("Files: %v", err)
			}
			if sum.Elapsed <= 0 {
				t.Errorf("Elapsed = %v", sum.Elapsed)
			}
			if diff := cmp.Diff(tc.want, sum, cmpopts.IgnoreFields(load.Summary{}, "Elapsed", "Rejections", "Files")); diff != "" {
				t.Errorf("Summary (-want +got):\n%s", diff)
			}
			checkRejections(t, tc.rejections, sum.Rejections)
			var perFile []load.FileSummary
			for _, f := range sum.Files {
				f.File = filepath.Base(f.File)
				perFile = append(perFile, f)
			}
			if diff := cmp.Diff(tc.perFile, perFile); diff != "" {
				t.Errorf("Summary.Files (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(sum.Rejections, called, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Reject callback (-summary +callback):\n%s", diff)
			}
			checkIndex(t, ix, tc.ids...)
		})
	}
}

// Loading the same file twice replaces every paper: the second load adds nothing.
func TestFilesReload(t *testing.T) {
	path := writeFile(t, t.TempDir(), "a.jsonl", rec("p1"), rec("p2"))
	ix := openIndex(t)
	for i, want := range []load.Summary{{Read: 2, Added: 2}, {Read: 2, Replaced: 2}} {
		sum, err := load.Files(t.Context(), ix, []string{path}, load.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, sum, cmpopts.IgnoreFields(load.Summary{}, "Elapsed", "Files")); diff != "" {
			t.Errorf("load %d: Summary (-want +got):\n%s", i+1, diff)
		}
		checkIndex(t, ix, "p1", "p2")
	}
}

func TestFilesGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	fmt.Fprintf(zw, "%s\n%s\n%s\n", rec("p1"), missingAbstract, rec("p2"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "a.jsonl.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t)
	sum, err := load.Files(t.Context(), ix, []string{path}, load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(load.Summary{Read: 2, Added: 2, Rejected: 1}, sum, cmpopts.IgnoreFields(load.Summary{}, "Elapsed", "Rejections", "Files")); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
	checkRejections(t, []rejection{{"a.jsonl.gz", 2, "missing abstract"}}, sum.Rejections)
	checkIndex(t, ix, "p1", "p2")
}

func TestReader(t *testing.T) {
	in := strings.Join([]string{rec("p1"), brokenJSON, rec("p2"), rec("p1")}, "\n")
	ix := openIndex(t)
	var progress []load.Progress
	opts := load.DefaultOptions()
	opts.Progress = func(p load.Progress) { progress = append(progress, p) }
	sum, err := load.Reader(t.Context(), ix, strings.NewReader(in), "stdin", opts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(load.Summary{Read: 3, Added: 2, Replaced: 1, Rejected: 1}, sum, cmpopts.IgnoreFields(load.Summary{}, "Elapsed", "Rejections", "Files")); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
	checkRejections(t, []rejection{{"stdin", 2, "JSON"}}, sum.Rejections)
	// A stream has no size: FileRead and FileSize stay 0.
	if diff := cmp.Diff([]load.Progress{{File: "stdin", Accepted: 3, Rejected: 1}}, progress, cmpopts.IgnoreFields(load.Progress{}, "Elapsed")); diff != "" {
		t.Errorf("Progress (-want +got):\n%s", diff)
	}
	checkIndex(t, ix, "p1", "p2")
}

func TestStrict(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(context.Context, *index.Index, string, load.Options) (load.Summary, error)
	}{
		{"Files", func(ctx context.Context, ix *index.Index, path string, o load.Options) (load.Summary, error) {
			return load.Files(ctx, ix, []string{path}, o)
		}},
		{"Reader", func(ctx context.Context, ix *index.Index, path string, o load.Options) (load.Summary, error) {
			f, err := os.Open(path)
			if err != nil {
				return load.Summary{}, err
			}
			defer f.Close()
			return load.Reader(ctx, ix, f, path, o)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Batches of 2: p1 and p2 are upserted before the rejection, p3 is still buffered.
			path := writeFile(t, t.TempDir(), "a.jsonl", rec("p1"), rec("p2"), rec("p3"), missingAbstract, rec("p4"), rec("p5"))
			ix := openIndex(t)
			opts := load.DefaultOptions()
			opts.Reader.Strict = true
			opts.FirstBatch, opts.Batch = 2, 2
			var flushed []int
			opts.Progress = func(p load.Progress) { flushed = append(flushed, p.Accepted) }
			opts.Reject = func(r reader.Rejection) { t.Errorf("Reject called in strict mode: %v", r) }
			sum, err := tc.run(t.Context(), ix, path, opts)
			if !errors.Is(err, reader.ErrRejected) {
				t.Fatalf("err = %v, want ErrRejected", err)
			}
			if !strings.Contains(err.Error(), "a.jsonl:4: missing abstract") {
				t.Errorf("err = %q, want it to name a.jsonl:4 and the reason", err)
			}
			if diff := cmp.Diff([]int{2, 3}, flushed); diff != "" {
				t.Errorf("batches flushed, by Accepted (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(load.Summary{Read: 3, Added: 3}, sum, cmpopts.IgnoreFields(load.Summary{}, "Elapsed", "Files")); diff != "" {
				t.Errorf("Summary (-want +got):\n%s", diff)
			}
			// What was read before the rejection stays; nothing after it is loaded.
			checkIndex(t, ix, "p1", "p2", "p3")
			absent(t, ix, "p4", "p5")
		})
	}
}

func TestProgress(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	for i := range 10 {
		lines = append(lines, rec(fmt.Sprint("a", i)))
	}
	lines[6] = missingAbstract
	a := writeFile(t, dir, "a.jsonl", lines...)
	b := writeFile(t, dir, "b.jsonl", rec("b0"), rec("b1"), rec("b2"), rec("b3"))
	sizeOf := func(path string) int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}

	ix := openIndex(t)
	opts := load.DefaultOptions()
	opts.FirstBatch, opts.Batch = 2, 3
	var got []load.Progress
	opts.Progress = func(p load.Progress) { got = append(got, p) }
	sum, err := load.Files(t.Context(), ix, []string{a, b}, opts)
	if err != nil {
		t.Fatal(err)
	}
	// a.jsonl has 9 papers and a rejection, b.jsonl 4 papers: batches of 2, 3, 3 (a batch spans the two
	// files), 3 and a last one of 2.
	type step struct {
		File               string
		Accepted, Rejected int
	}
	var steps []step
	for _, p := range got {
		steps = append(steps, step{filepath.Base(p.File), p.Accepted, p.Rejected})
	}
	want := []step{{"a.jsonl", 2, 0}, {"a.jsonl", 5, 0}, {"a.jsonl", 8, 1}, {"b.jsonl", 11, 1}, {"b.jsonl", 13, 1}}
	if diff := cmp.Diff(want, steps); diff != "" {
		t.Errorf("Progress (-want +got):\n%s", diff)
	}
	for i, p := range got {
		if i > 0 && p.Elapsed < got[i-1].Elapsed {
			t.Errorf("Progress %d: Elapsed went back from %v to %v", i, got[i-1].Elapsed, p.Elapsed)
		}
		if i == len(got)-1 {
			continue // checked below
		}
		if want := sizeOf(p.File); p.FileSize != want || p.FileRead <= 0 || p.FileRead > p.FileSize {
			t.Errorf("Progress %d (%s): FileRead %d of FileSize %d, want 0 < read <= %d", i, filepath.Base(p.File), p.FileRead, p.FileSize, want)
		}
	}
	if diff := cmp.Diff(load.Summary{Read: 13, Added: 13, Rejected: 1}, sum, cmpopts.IgnoreFields(load.Summary{}, "Elapsed", "Rejections", "Files")); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
	checkIndex(t, ix, "a0", "a1", "a2", "a3", "a4", "a5", "a7", "a8", "a9", "b0", "b1", "b2", "b3")

	t.Run("last report", func(t *testing.T) {
		last := got[len(got)-1]
		if want := sizeOf(b); last.FileSize != want || last.FileRead != want {
			t.Errorf("last Progress: FileRead %d of FileSize %d, want %d of %d", last.FileRead, last.FileSize, want, want)
		}
	})
}

func TestFilesMissing(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.jsonl", rec("p1"), rec("p2"))
	missing := filepath.Join(dir, "missing.jsonl")
	for _, tc := range []struct {
		name  string
		files []string
		ids   []string
	}{
		{"only file", []string{missing}, nil},
		{"after a good file, whose papers stay", []string{good, missing}, []string{"p1", "p2"}},
		{"before a good file, which is not read", []string{missing, good}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := openIndex(t)
			sum, err := load.Files(t.Context(), ix, tc.files, load.DefaultOptions())
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("err = %v, want fs.ErrNotExist", err)
			}
			if err != nil && !strings.Contains(err.Error(), "missing.jsonl") {
				t.Errorf("err = %q does not name the missing file", err)
			}
			if sum.Added != len(tc.ids) {
				t.Errorf("Summary.Added = %d, want %d", sum.Added, len(tc.ids))
			}
			checkIndex(t, ix, tc.ids...)
		})
	}
}

func TestMaxRejections(t *testing.T) {
	lines := []string{rec("p1")}
	for range 5 {
		lines = append(lines, missingAbstract)
	}
	lines = append(lines, rec("p2"))
	path := writeFile(t, t.TempDir(), "a.jsonl", lines...)
	for _, tc := range []struct {
		name string
		max  int
		kept []rejection
	}{
		{"cap below the count", 2, []rejection{{"a.jsonl", 2, "missing abstract"}, {"a.jsonl", 3, "missing abstract"}}},
		{"cap at the count", 5, []rejection{{"a.jsonl", 2, "missing abstract"}, {"a.jsonl", 3, "missing abstract"}, {"a.jsonl", 4, "missing abstract"}, {"a.jsonl", 5, "missing abstract"}, {"a.jsonl", 6, "missing abstract"}}},
		{"zero means the default", 0, []rejection{{"a.jsonl", 2, "missing abstract"}, {"a.jsonl", 3, "missing abstract"}, {"a.jsonl", 4, "missing abstract"}, {"a.jsonl", 5, "missing abstract"}, {"a.jsonl", 6, "missing abstract"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := openIndex(t)
			opts := load.DefaultOptions()
			opts.MaxRejections = tc.max
			calls := 0
			opts.Reject = func(reader.Rejection) { calls++ }
			sum, err := load.Files(t.Context(), ix, []string{path}, opts)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Rejected != 5 || calls != 5 {
				t.Errorf("Rejected = %d, Reject called %d times; want 5 and 5", sum.Rejected, calls)
			}
			checkRejections(t, tc.kept, sum.Rejections)
			checkIndex(t, ix, "p1", "p2")
		})
	}
}

func TestCancel(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	for i := range 8 {
		lines = append(lines, rec(fmt.Sprint("p", i)))
	}
	path := writeFile(t, dir, "a.jsonl", lines...)

	t.Run("before the load", func(t *testing.T) {
		ix := openIndex(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		sum, err := load.Files(ctx, ix, []string{path}, load.DefaultOptions())
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if sum.Read != 0 || sum.Added != 0 {
			t.Errorf("Summary = %+v, want nothing read", sum)
		}
		checkIndex(t, ix)
	})
	t.Run("after the first batch", func(t *testing.T) {
		ix := openIndex(t)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		opts := load.DefaultOptions()
		opts.FirstBatch, opts.Batch = 3, 3
		opts.Progress = func(load.Progress) { cancel() }
		sum, err := load.Files(ctx, ix, []string{path}, opts)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if diff := cmp.Diff(load.Summary{Read: 3, Added: 3}, sum, cmpopts.IgnoreFields(load.Summary{}, "Elapsed", "Files")); diff != "" {
			t.Errorf("Summary (-want +got):\n%s", diff)
		}
		checkIndex(t, ix, "p0", "p1", "p2")
	})
	t.Run("in the middle of a batch", func(t *testing.T) {
		// Whether the buffered papers are written or dropped, the summary must say which.
		mid := writeFile(t, dir, "mid.jsonl", rec("p0"), rec("p1"), missingAbstract, rec("p2"), rec("p3"))
		ix := openIndex(t)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		opts := load.DefaultOptions()
		opts.Reject = func(reader.Rejection) { cancel() }
		sum, err := load.Files(ctx, ix, []string{mid}, opts)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if sum.Read != 2 || sum.Rejected != 1 || sum.Replaced != 0 {
			t.Errorf("Summary = %+v, want 2 read and 1 rejected", sum)
		}
		if ix.Count() != sum.Added {
			t.Errorf("Count() = %d but Summary.Added = %d", ix.Count(), sum.Added)
		}
		if err := ix.Check(t.Context()); err != nil {
			t.Errorf("Check: %v", err)
		}
		absent(t, ix, "p2", "p3")
	})
	t.Run("Reader", func(t *testing.T) {
		ix := openIndex(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := load.Reader(ctx, ix, strings.NewReader(strings.Join(lines, "\n")), "stdin", load.DefaultOptions())
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		checkIndex(t, ix)
	})
}

func TestFileSummary(t *testing.T) {
	for _, tc := range []struct {
		name  string
		f     load.FileSummary
		empty bool
		top   string
	}{
		{"nothing read", load.FileSummary{}, false, ""},
		{"all accepted", load.FileSummary{Accepted: 3}, false, ""},
		{"some rejected", load.FileSummary{Accepted: 1, Rejected: 2, Reasons: map[string]int{"missing abstract": 2}}, false, "missing abstract"},
		{"all rejected", load.FileSummary{Rejected: 3, Reasons: map[string]int{"missing abstract": 2, "bad date": 1}}, true, "missing abstract"},
		{"a tie goes to the first in order", load.FileSummary{Rejected: 2, Reasons: map[string]int{"missing title": 1, "bad date": 1}}, true, "bad date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f.Empty(); got != tc.empty {
				t.Errorf("Empty() = %v, want %v", got, tc.empty)
			}
			if got := tc.f.TopReason(); got != tc.top {
				t.Errorf("TopReason() = %q, want %q", got, tc.top)
			}
		})
	}
}

func TestReasonKind(t *testing.T) {
	for reason, want := range map[string]string{
		"missing abstract": "missing abstract",
		"invalid JSON at column 29: invalid character '}' looking for beginning of object key string": "invalid JSON",
		`bad date: date "2021-13-01": month 13 out of range`:                                          "bad date",
		"record is longer than 1048576 bytes":                                                         "record is longer than 1048576 bytes",
		`invalid BibTeX entry: @a{k: field "title": want '=', found '{'`:                              "invalid BibTeX entry",
		"unbalanced braces: BibTeX entry @a{k1 is not closed":                                         "unbalanced braces",
		`field "title": got JSON number, want string`:                                                 `field "title"`,
	} {
		if got := load.ReasonKind(reason); got != want {
			t.Errorf("ReasonKind(%q) = %q, want %q", reason, got, want)
		}
	}
}

// TestFilesKeepTheirPapers: a file that gives nothing does not stop the load; the files around it are
// indexed, and its summary says it was empty.
func TestFilesKeepTheirPapers(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.jsonl", rec("p1"))
	bib := writeFile(t, dir, "refs.bib", "@article{k1, title = {T}}", "@article{k2, title = {U}, year = 2020}")
	c := writeFile(t, dir, "c.jsonl", rec("p2"))
	ix := openIndex(t)
	sum, err := load.Files(t.Context(), ix, []string{a, bib, c}, load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	checkIndex(t, ix, "p1", "p2")
	var empty []string
	for _, f := range sum.Files {
		if f.Empty() {
			empty = append(empty, filepath.Base(f.File)+": "+f.TopReason())
		}
	}
	if diff := cmp.Diff([]string{"refs.bib: missing abstract"}, empty); diff != "" {
		t.Errorf("empty files (-want +got):\n%s", diff)
	}
}

// TestStoredFields: the new fields of a paper survive the index (package index stores them as
// metadata).
func TestStoredFields(t *testing.T) {
	path := writeFile(t, t.TempDir(), "refs.bib", `@inproceedings{k, title = {Sparse Retrieval}, abstract = {We retrieve.},
  author = {Lovelace, Ada}, booktitle = {Proceedings of ACL 2024}, doi = {10.18653/v1/2024.acl-long.1}, year = 2024}`,
		`@misc{a, title = {Scaling}, abstract = {We scale.}, eprint = {2504.16081}, archivePrefix = {arXiv}}`)
	corpus := writeFile(t, t.TempDir(), "corpus.jsonl", `{"_id": "q1", "title": "", "text": "What is a Roth IRA? It is a retirement account."}`)
	ix := openIndex(t)
	if _, err := load.Files(t.Context(), ix, []string{path, corpus}, load.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []paper.Paper{
		{ID: "10.18653/v1/2024.acl-long.1", Title: "Sparse Retrieval", Abstract: "We retrieve.", Authors: []string{"Ada Lovelace"}, AuthorCount: 1,
			Published: paper.Date{Year: 2024}, DOI: "10.18653/v1/2024.acl-long.1", Venue: "Proceedings of ACL 2024", Source: "bibtex"},
		{ID: "2504.16081", Title: "Scaling", Abstract: "We scale.", ArxivID: "2504.16081", Source: "bibtex"},
		{ID: "q1", Title: "What is a Roth IRA?", Abstract: "What is a Roth IRA? It is a retirement account.", Source: "beir", TitleDerived: true},
	} {
		got, err := ix.Get(t.Context(), want.ID)
		if err != nil {
			t.Fatalf("Get(%q): %v", want.ID, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Get(%q) (-want +got):\n%s", want.ID, diff)
		}
	}
}

func TestSummary(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    load.Summary
		rate float64
		str  string
	}{
		{"no time", load.Summary{Added: 5}, 0, "accepted 5 (5 new, 0 replaced), rejected 0, in 0s (0 papers/s)"},
		{"added and replaced", load.Summary{Read: 9, Added: 3, Replaced: 1, Rejected: 2, Elapsed: 2 * time.Second}, 2,
			"accepted 4 (3 new, 1 replaced), rejected 2, in 2s (2 papers/s)"},
		{"rounded to the millisecond", load.Summary{Added: 3, Elapsed: 1500400 * time.Microsecond}, 3 / 1.5004,
			"accepted 3 (3 new, 0 replaced), rejected 0, in 1.5s (2 papers/s)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.Rate(); math.Abs(got-tc.rate) > 1e-9 {
				t.Errorf("Rate() = %v, want %v", got, tc.rate)
			}
			if got := tc.s.String(); got != tc.str {
				t.Errorf("String() = %q, want %q", got, tc.str)
			}
		})
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// TestDamagedDataDir damages a data directory the ways a disk or a person can, and runs the real
// binary on it: `kindred search` must refuse it with exit code 1 and a one-line error that says what
// to do (`kindred index --rebuild`, or that the format is another version), never misread it; and
// `kindred index --rebuild` must repair every damage to derived data, after which search finds all
// the papers again. Both kinds of vector index are damaged: the exact one and the HNSW graph.
func TestDamagedDataDir(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real binary; skipped with -short")
	}
	bin := kindredBinary(t)
	const n = 300
	corpus, papers := synthCorpus(t, bin, n)
	query := strings.Fields(papers[0].Title)[0]

	kinds := []string{"exact", "hnsw"}
	bases := map[string]string{}
	for _, kind := range kinds {
		dir := filepath.Join(t.TempDir(), kind)
		if code, stdout, stderr := runKindred(t, bin, 5*time.Minute, "index", "--quiet", "--vector-index", kind, "--data", dir, corpus); code != exitOK {
			t.Fatalf("index: exit %d\n%s%s", code, stdout, stderr)
		}
		bases[kind] = dir
	}

	vectors := func(dir string) string { return filepath.Join(dir, "vectors.bin") }
	flip := func(at func(size int64) int64) func(*testing.T, string) {
		return func(t *testing.T, dir string) {
			b, err := os.ReadFile(vectors(dir))
			if err != nil {
				t.Fatal(err)
			}
			b[at(int64(len(b)))] ^= 0x10
			if err := os.WriteFile(vectors(dir), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	truncate := func(to func(size int64) int64) func(*testing.T, string) {
		return func(t *testing.T, dir string) {
			fi, err := os.Stat(vectors(dir))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(vectors(dir), to(fi.Size())); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		name    string
		damage  func(t *testing.T, dir string)
		want    []string // in the error line
		rebuilt bool     // whether `kindred index --rebuild` repairs it
	}{
		{"vectors.bin truncated to half", truncate(func(s int64) int64 { return s / 2 }), []string{"kindred index --rebuild"}, true},
		{"vectors.bin truncated in its header", truncate(func(int64) int64 { return 10 }), []string{"kindred index --rebuild"}, true},
		{"vectors.bin empty", truncate(func(int64) int64 { return 0 }), []string{"kindred index --rebuild"}, true},
		{"vectors.bin missing its last byte", truncate(func(s int64) int64 { return s - 1 }), []string{"kindred index --rebuild"}, true},
		{"byte flipped in the generation", flip(func(int64) int64 { return 9 }), []string{"kindred index --rebuild"}, true},
		{"byte flipped in the middle", flip(func(s int64) int64 { return s / 2 }), []string{"kindred index --rebuild"}, true},
		{"byte flipped near the end", flip(func(s int64) int64 { return s - 3 }), []string{"kindred index --rebuild"}, true},
		{"vectors.bin missing", func(t *testing.T, dir string) {
			if err := os.Remove(vectors(dir)); err != nil {
				t.Fatal(err)
			}
		}, []string{"kindred index --rebuild"}, true},
		{"FORMAT from a future version", func(t *testing.T, dir string) {
			path := filepath.Join(dir, "FORMAT")
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var ff map[string]any
			if err := json.Unmarshal(b, &ff); err != nil {
				t.Fatal(err)
			}
			ff["format"] = 99
			b, _ = json.Marshal(ff)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"format 99", "reads format 1"}, false},
	} {
		for _, kind := range kinds {
			t.Run(kind+"/"+tc.name, func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "data")
				copyDir(t, bases[kind], dir)
				tc.damage(t, dir)

				code, stdout, stderr := runKindred(t, bin, time.Minute, "search", "--data", dir, query)
				lines := scanLines(stderr)
				if code != exitFailure || len(lines) != 1 {
					t.Fatalf("search on a damaged index: exit %d, want 1, and %d lines on stderr, want 1:\n%s%s", code, len(lines), stdout, stderr)
				}
				for _, w := range tc.want {
					if !strings.Contains(lines[0], w) {
						t.Errorf("the error does not say %q: %s", w, lines[0])
					}
				}
				if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
					t.Errorf("search panicked: %s", stderr)
				}

				code, stdout, stderr = runKindred(t, bin, 5*time.Minute, "index", "--rebuild", "--data", dir)
				if !tc.rebuilt {
					if code != exitFailure || len(scanLines(stderr)) != 1 {
						t.Errorf("rebuild of an index it cannot read: exit %d, want 1 with a one-line error:\n%s%s", code, stdout, stderr)
					}
					return
				}
				if code != exitOK || !strings.Contains(stderr, "rebuilt vectors and statistics for 300 papers") {
					t.Fatalf("rebuild: exit %d\n%s%s", code, stdout, stderr)
				}
				code, stdout, stderr = runKindred(t, bin, time.Minute, "search", "--data", dir, "--mode", "vector", "--json", query)
				var res struct{ Results []struct{ ID string } }
				if code != exitOK || json.Unmarshal([]byte(stdout), &res) != nil || len(res.Results) == 0 {
					t.Fatalf("search after the rebuild: exit %d\n%s%s", code, stdout, stderr)
				}
				ix := readOnlyIndex(t, dir, "after the rebuild")
				if got := ix.Count(); got != n {
					t.Errorf("after the rebuild: %d papers, want %d", got, n)
				}
			})
		}
	}
}

// TestCrashWhileCreating: `kindred index` killed while it creates a new index (its first
// milliseconds) leaves FORMAT and a partial Bleve index behind (no Bleve at all, or one whose mapping
// was never stored). Nothing was acknowledged, so a rerun must start the index afresh. The two states
// are built here as the kill leaves them.
func TestCrashWhileCreating(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: -short")
	}
	bin := kindredBinary(t)
	corpus, papers := synthCorpus(t, bin, 50)
	good := filepath.Join(t.TempDir(), "good")
	if code, stdout, stderr := runKindred(t, bin, time.Minute, "index", "--quiet", "--data", good, corpus); code != exitOK {
		t.Fatalf("index: exit %d\n%s%s", code, stdout, stderr)
	}
	copyFile := func(t *testing.T, from, to string) {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		crash func(t *testing.T, dir string)
	}{
		{"FORMAT written, Bleve not yet created", func(t *testing.T, dir string) {
			copyFile(t, filepath.Join(good, "FORMAT"), filepath.Join(dir, "FORMAT"))
		}},
		{"Bleve created, its mapping not yet stored", func(t *testing.T, dir string) {
			copyFile(t, filepath.Join(good, "FORMAT"), filepath.Join(dir, "FORMAT"))
			copyFile(t, filepath.Join(good, "bleve", "index_meta.json"), filepath.Join(dir, "bleve", "index_meta.json"))
			if err := os.MkdirAll(filepath.Join(dir, "bleve", "store"), 0o755); err != nil {
				t.Fatal(err)
			}
			db, err := bbolt.Open(filepath.Join(dir, "bleve", "store", "root.bolt"), 0o600, nil)
			if err == nil {
				err = db.Close()
			}
			if err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			tc.crash(t, dir)
			code, stdout, stderr := runKindred(t, bin, time.Minute, "index", "--quiet", "--data", dir, corpus)
			if code != exitOK {
				t.Fatalf("rerun after a kill while creating the index: exit %d\n%s%s", code, stdout, stderr)
			}
			if ix := readOnlyIndex(t, dir, "after the rerun"); ix.Count() != len(papers) {
				t.Errorf("after the rerun: %d papers, want %d", ix.Count(), len(papers))
			}
		})
	}
}

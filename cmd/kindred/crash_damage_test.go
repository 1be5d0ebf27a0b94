package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
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
	// Another index of the same papers, with the same generation: only its identity tells its
	// vectors file from the damaged index's own.
	alien := filepath.Join(t.TempDir(), "alien")
	if code, stdout, stderr := runKindred(t, bin, 5*time.Minute, "index", "--quiet", "--data", alien, corpus); code != exitOK {
		t.Fatalf("index: exit %d\n%s%s", code, stdout, stderr)
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
	segment := func(dir string) string {
		files, _ := filepath.Glob(filepath.Join(dir, "bleve", "store", "*.zap"))
		if len(files) == 0 {
			t.Fatalf("no segment in %s", dir)
		}
		slices.SortFunc(files, func(a, b string) int { return int(fileSize(t, b) - fileSize(t, a)) })
		return files[0]
	}
	editFormat := func(edit func(ff map[string]any)) func(*testing.T, string) {
		return func(t *testing.T, dir string) {
			path := filepath.Join(dir, "FORMAT")
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var ff map[string]any
			if err := json.Unmarshal(b, &ff); err != nil {
				t.Fatal(err)
			}
			edit(ff)
			b, _ = json.Marshal(ff)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	remove := func(rel ...string) func(*testing.T, string) {
		return func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(append([]string{dir}, rel...)...)); err != nil {
				t.Fatal(err)
			}
		}
	}
	const reindex = "re-index them from their source files into a new directory (kindred index --data NEW FILE...)"
	for _, tc := range []struct {
		name    string
		damage  func(t *testing.T, dir string)
		want    []string // in the error line
		rebuilt bool     // whether `kindred index --rebuild` repairs it; if not, its error line has want too
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
		{"FORMAT from a future version", editFormat(func(ff map[string]any) { ff["format"] = 99 }), []string{"format 99", "reads format 1"}, false},
		{"FORMAT edited: another TopK", editFormat(func(ff map[string]any) { ff["embed"].(map[string]any)["TopK"] = 128 }),
			[]string{"FORMAT", "checksum", "kindred index --rebuild"}, true},
		{"FORMAT edited: bigrams off", editFormat(func(ff map[string]any) { ff["embed"].(map[string]any)["NoBigrams"] = true }),
			[]string{"FORMAT", "checksum", "kindred index --rebuild"}, true},
		{"FORMAT missing", remove("FORMAT"), []string{"FORMAT is missing", "kindred index --rebuild"}, true},
		{"vectors.bin of another index", func(t *testing.T, dir string) {
			b, err := os.ReadFile(vectors(alien))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(vectors(dir), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"belongs to another index", "kindred index --rebuild"}, true},
		{"Bleve's index_meta.json missing", remove("bleve", "index_meta.json"), []string{"index_meta.json is missing", "kindred index --rebuild"}, true},
		{"100 bytes flipped in a segment", func(t *testing.T, dir string) {
			path := segment(dir)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			for range 100 {
				b[rng.IntN(len(b))] ^= 0x5a
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{".zap is damaged", reindex}, false},
		{"a segment truncated", func(t *testing.T, dir string) {
			path := segment(dir)
			if err := os.Truncate(path, fileSize(t, path)/2); err != nil {
				t.Fatal(err)
			}
		}, []string{".zap is damaged", "truncated", reindex}, false},
		{"bleve/ missing, vectors.bin there", remove("bleve"), []string{"bleve is missing", reindex}, false},
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
					lines := scanLines(stderr)
					if code != exitFailure || len(lines) != 1 {
						t.Fatalf("rebuild of an index it cannot read: exit %d, want 1 with a one-line error:\n%s%s", code, stdout, stderr)
					}
					for _, w := range tc.want {
						if !strings.Contains(lines[0], w) {
							t.Errorf("the rebuild's error does not say %q: %s", w, lines[0])
						}
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

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestDamagedRootBolt flips bytes in Bleve's root.bolt, which has no checksum over its data pages:
// depending on where they land, the damage is undetectable (a free page) or makes bbolt or Bleve
// fail or panic while the index opens. Either search works, or it is refused with exit code 1 and
// one line naming root.bolt; never a panic's stack trace or the usage code 2. `kindred index
// --rebuild` says the same.
func TestDamagedRootBolt(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real binary; skipped with -short")
	}
	bin := kindredBinary(t)
	corpus, papers := synthCorpus(t, bin, 300)
	base := filepath.Join(t.TempDir(), "base")
	if code, stdout, stderr := runKindred(t, bin, 5*time.Minute, "index", "--quiet", "--data", base, corpus); code != exitOK {
		t.Fatalf("index: exit %d\n%s%s", code, stdout, stderr)
	}
	query := strings.Fields(papers[0].Title)[0]
	detected := 0
	for seed := range uint64(8) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			copyDir(t, base, dir)
			path := filepath.Join(dir, "bleve", "store", "root.bolt")
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(seed, 3))
			for range 100 {
				b[8192+rng.IntN(len(b)-8192)] ^= 0x5a // past the two meta pages, which bbolt checksums
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"search", "--data", dir, query}, {"index", "--rebuild", "--data", dir}} {
				code, stdout, stderr := runKindred(t, bin, time.Minute, args...)
				if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic:") && !strings.Contains(stderr, "root.bolt") {
					t.Fatalf("%s: a panic escaped:\n%s", args[0], stderr)
				}
				switch lines := scanLines(stderr); {
				case code == exitOK:
				case code == exitFailure && len(lines) == 1 && strings.Contains(lines[0], "root.bolt is damaged"):
					if args[0] == "search" {
						detected++
					}
				default:
					t.Errorf("%s on a damaged root.bolt: exit %d, want 0, or 1 with one line naming root.bolt:\n%s%s", args[0], code, stdout, stderr)
				}
			}
		})
	}
	if detected == 0 {
		t.Errorf("no damage to root.bolt was detected in 8 tries")
	}
	t.Logf("damage detected in %d of 8 tries of 100 flipped bytes", detected)
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

package index

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/kindred-search/kindred/index/paper"
)

// mountTmpfs mounts a tmpfs of the given size on a new directory for the test, and unmounts it at the
// end. It skips the test where mounting is not allowed (not root, a container without the
// capability), except under CI=true, where the test must run.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but a tmpfs cannot be mounted: %v", err)
		}
		t.Skipf("skipping: cannot mount a tmpfs here (%v); the test needs root", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// wordPapers returns n papers of random words, IDs prefix-000000 on, each abstract about 1.5 KB.
func wordPapers(prefix string, n int, seed uint64) []paper.Paper {
	rng := rand.New(rand.NewPCG(seed, 7))
	vocab := make([]string, 3000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%dx%s", i, strings.Repeat("q", i%5))
	}
	words := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = vocab[int(float64(len(vocab))*rng.Float64()*rng.Float64())]
		}
		return strings.Join(ws, " ")
	}
	ps := make([]paper.Paper, n)
	for i := range ps {
		ps[i] = paper.Paper{ID: fmt.Sprintf("%s-%06d", prefix, i), Title: words(8), Abstract: words(200)}
	}
	return ps
}

// TestDiskFull fills a small tmpfs under an index, without the free-space reserve so that Bleve
// itself hits ENOSPC, and checks that a full disk is a state: the write that fails says ErrNoSpace
// and stores nothing, searches keep working, further writes fail the same way without a panic in any
// of Bleve's goroutines, and once space is freed writes succeed again in the same process. Every
// acknowledged paper is there after a reopen.
func TestDiskFull(t *testing.T) {
	mnt := mountTmpfs(t, "24m")
	dir := filepath.Join(mnt, "data")
	opts := DefaultOptions()
	opts.MinFreeBytes = -1 // no reserve: let the disk itself fill
	ix, err := Open(t.Context(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// Most of the space goes to a file the test deletes later to free it.
	filler := filepath.Join(mnt, "filler")
	free, err := freeBytes(mnt)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filler, make([]byte, free-6<<20), 0o644); err != nil {
		t.Fatal(err)
	}

	acked := map[string]bool{}
	var full error
	for batch := 0; batch < 200 && full == nil; batch++ {
		ps := wordPapers(fmt.Sprintf("b%03d", batch), 100, uint64(batch))
		if _, err := ix.Upsert(t.Context(), ps...); err != nil {
			full = err
			break
		}
		for _, p := range ps {
			acked[p.ID] = true
		}
	}
	if !errors.Is(full, ErrNoSpace) {
		t.Fatalf("filling the disk: %v after %d papers, want ErrNoSpace", full, len(acked))
	}
	t.Logf("disk full after %d papers: %v", len(acked), full)
	countAfterFull := ix.Count()
	if countAfterFull != len(acked) {
		t.Errorf("after the failed write the index holds %d papers, %d were acknowledged", countAfterFull, len(acked))
	}

	// Reads keep working; further writes fail the same way (or succeed, when Bleve's merges have
	// freed some space), many times over.
	refused := 0
	for i := range 20 {
		if _, err := ix.Search(t.Context(), Request{Query: "w1x w2xq w3xqq"}); err != nil {
			t.Fatalf("search on a full disk: %v", err)
		}
		if _, err := ix.Get(t.Context(), "b000-000001"); err != nil {
			t.Fatalf("get on a full disk: %v", err)
		}
		more := wordPapers(fmt.Sprintf("full%02d", i), 100, uint64(1000+i))
		switch _, err := ix.Upsert(t.Context(), more...); {
		case err == nil:
			for _, p := range more {
				acked[p.ID] = true
			}
		case errors.Is(err, ErrNoSpace):
			refused++
		default:
			t.Fatalf("write %d on a full disk: %v, want ErrNoSpace", i, err)
		}
		if _, err := ix.Delete(t.Context(), "b000-000002"); err != nil && !errors.Is(err, ErrNoSpace) {
			t.Fatalf("delete on a full disk: %v", err)
		} else if err == nil {
			delete(acked, "b000-000002")
		}
	}
	if refused < 15 {
		t.Errorf("only %d of 20 writes on a full disk were refused", refused)
	}
	if err := ix.Save(); err != nil && !errors.Is(err, ErrNoSpace) {
		t.Errorf("save on a full disk: %v, want nil or ErrNoSpace", err)
	}
	if got := ix.Count(); got != len(acked) {
		t.Errorf("after the failed writes the index holds %d papers, want %d", got, len(acked))
	}

	// Space freed: writes resume without reopening.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	ps := wordPapers("after", 100, 99)
	if _, err := ix.Upsert(t.Context(), ps...); err != nil {
		t.Fatalf("write after space was freed: %v", err)
	}
	for _, p := range ps {
		acked[p.ID] = true
	}
	if err := ix.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	ix, err = Open(t.Context(), dir, opts)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer ix.Close()
	if err := ix.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := ix.Count(); got != len(acked) {
		t.Errorf("after a reopen the index holds %d papers, %d were acknowledged", got, len(acked))
	}
	for id := range acked {
		if _, err := ix.Get(t.Context(), id); err != nil {
			t.Fatalf("acknowledged paper %s: %v", id, err)
		}
	}
}

// TestDiskReserve: with the default reserve, a write that would leave less than MinFreeBytes free is
// refused before it reaches Bleve, and so is a save of the vectors file.
func TestDiskReserve(t *testing.T) {
	mnt := mountTmpfs(t, "8m")
	opts := DefaultOptions()
	opts.MinFreeBytes = 4 << 20
	ix, err := Open(t.Context(), filepath.Join(mnt, "data"), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Upsert(t.Context(), testPapers()...); err != nil {
		t.Fatal(err)
	}
	free, _ := freeBytes(mnt)
	if err := os.WriteFile(filepath.Join(mnt, "filler"), make([]byte, free-3<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	batches := 0
	ix.testBatchHook = func() error { batches++; return nil }
	_, err = ix.Upsert(t.Context(), wordPapers("r", 10, 1)...)
	if !errors.Is(err, ErrNoSpace) || !strings.Contains(err.Error(), "free") {
		t.Fatalf("write into the reserve: %v, want ErrNoSpace saying what is free", err)
	}
	if batches != 0 {
		t.Errorf("the refused write reached Bleve")
	}
	if err := ix.Save(); !errors.Is(err, ErrNoSpace) {
		t.Errorf("save into the reserve: %v, want ErrNoSpace", err)
	}
	if ix.Count() != len(testPapers()) {
		t.Errorf("the index holds %d papers, want %d", ix.Count(), len(testPapers()))
	}
}

// TestBatchFault: a Bleve batch that fails (an injected fault) reopens Bleve; the write reports the
// error (ErrNoSpace for ENOSPC, a plain error otherwise), nothing of it is stored, and the next write
// succeeds.
func TestBatchFault(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fault   error
		noSpace bool
	}{
		{"ENOSPC", fmt.Errorf("write segment: %w", syscall.ENOSPC), true},
		{"I/O error", fmt.Errorf("write segment: %w", syscall.EIO), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := openTest(t, t.TempDir())
			defer ix.Close()
			if _, err := ix.Upsert(t.Context(), testPapers()...); err != nil {
				t.Fatal(err)
			}
			ix.testBatchHook = func() error { return tc.fault }
			_, err := ix.Upsert(t.Context(), wordPapers("f", 5, 1)...)
			if err == nil || errors.Is(err, ErrNoSpace) != tc.noSpace {
				t.Fatalf("faulty write: %v, want ErrNoSpace %v", err, tc.noSpace)
			}
			if _, err := ix.Delete(t.Context(), "bert"); err == nil {
				t.Fatalf("faulty delete succeeded")
			}
			ix.testBatchHook = nil
			sameIDs(t, ix)
			if _, err := ix.Get(t.Context(), "bert"); err != nil {
				t.Errorf("the failed delete lost bert: %v", err)
			}
			if res, err := ix.Search(t.Context(), Request{Query: "bidirectional"}); err != nil || len(res.Results) == 0 {
				t.Errorf("the failed delete hid bert from search: %v %v", err, ids(res))
			}
			if _, err := ix.Upsert(t.Context(), wordPapers("g", 5, 2)...); err != nil {
				t.Fatalf("write after the fault: %v", err)
			}
			if got, want := ix.Count(), len(testPapers())+5; got != want {
				t.Errorf("%d papers, want %d", got, want)
			}
			sameIDs(t, ix)
		})
	}
}

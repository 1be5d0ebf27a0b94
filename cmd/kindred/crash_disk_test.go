package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kindred-search/kindred/index"
)

// mountTmpfs mounts a tmpfs of the given size for the test. It skips where mounting is not allowed,
// except under CI=true (CI runs as root), where the test must run.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but a tmpfs cannot be mounted: %v", err)
		}
		t.Skipf("skipping: cannot mount a tmpfs here (%v); the test needs root", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// fillDisk writes a file that leaves about left bytes free on the file system of dir, and returns a
// function that deletes it.
func fillDisk(t *testing.T, dir string, left int64) func() {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	free := int64(st.Bavail) * int64(st.Bsize)
	path := filepath.Join(dir, "filler")
	if err := os.WriteFile(path, make([]byte, max(free-left, 0)), 0o644); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCrashDiskFull runs `kindred serve` and `kindred index` on a data directory whose disk fills:
// the server answers writes 507 insufficient_storage quickly, keeps answering searches, logs its
// failing save once, never panics, and takes writes again once space is freed, without a restart;
// `kindred index` stops with exit code 1 and one line that says the disk is full and what the index
// holds, claims nothing it did not store, and a rerun after freeing space completes.
func TestCrashDiskFull(t *testing.T) {
	mnt := mountTmpfs(t, "96m")
	data := filepath.Join(mnt, "data")
	const token = "disk-token"
	base, logs, stop := startServe(t, "--data", data, "--addr", "127.0.0.1:0", "--admin-token", token, "--save-every", "500ms")
	auth := []string{"Content-Type", "application/json", "Authorization", "Bearer " + token}
	post := func(id string) (int, []byte) {
		return httpDo(t, "POST", base+"/api/papers", fmt.Sprintf(`[{"id": %q, "title": "Wombat %s", "abstract": "Wombats dig burrows."}]`, id, id), auth...)
	}
	// The sample is saved first; the upsert after it stays unsaved until the next save, which the
	// full disk then refuses.
	waitForLog(t, logs, 0, `msg="index saved"`)
	if status, body := post("before"); status != http.StatusOK {
		t.Fatalf("upsert: %d %s", status, body)
	}
	free := fillDisk(t, mnt, 8<<20) // under the 64 MiB the index keeps free
	for i := range 5 {
		start := time.Now()
		status, body := post(fmt.Sprint("full-", i))
		if status != http.StatusInsufficientStorage || !bytes.Contains(body, []byte(`"insufficient_storage"`)) {
			t.Fatalf("upsert on a full disk: %d %s", status, body)
		}
		if bytes.Contains(body, []byte(mnt)) {
			t.Errorf("the answer shows the server's paths: %s", body)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("a refused upsert took %s", took)
		}
		if status, body := httpDo(t, "GET", base+"/api/search?q=wombat", ""); status != http.StatusOK || !bytes.Contains(body, []byte(`"before"`)) {
			t.Fatalf("search on a full disk: %d %s", status, body)
		}
	}
	mark := len(logs.String())
	if status, body := httpDo(t, "DELETE", base+"/api/papers/before", "", auth...); status != http.StatusInsufficientStorage {
		// A delete writes little; the reserve refuses it all the same, so that merges keep room.
		t.Logf("delete on a full disk: %d %s", status, body)
	}
	// The vectors file is never saved while the disk is full: one error line, then silence.
	waitForLog(t, logs, 0, "saving the index failed")
	time.Sleep(300 * time.Millisecond)
	if n := strings.Count(logs.String(), "saving the index failed"); n != 1 {
		t.Errorf("the failing save was logged %d times, want once:\n%s", n, logs.String()[mark:])
	}

	free()
	if status, body := post("after"); status != http.StatusOK {
		t.Fatalf("upsert after space was freed: %d %s", status, body)
	}
	waitForLog(t, logs, mark, "index saved again")
	if code := stop(); code != exitOK {
		t.Fatalf("serve exited %d; log:\n%s", code, logs)
	}
	if strings.Contains(logs.String(), "panic") {
		t.Errorf("the server panicked:\n%s", logs)
	}
	ix, err := index.Open(t.Context(), data, index.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"before", "after"} {
		if _, err := ix.Get(t.Context(), id); err != nil {
			t.Errorf("acknowledged paper %s: %v", id, err)
		}
	}
	held := ix.Count()
	ix.Close()

	// kindred index stops at the full disk with one clear line.
	var corpus strings.Builder
	for i := range 50 {
		fmt.Fprintf(&corpus, `{"id": "cli-%d", "title": "Numbat %d", "abstract": "Numbats eat termites."}`+"\n", i, i)
	}
	file := writeInput(t, t.TempDir(), "papers.jsonl", corpus.String())
	free = fillDisk(t, mnt, 8<<20)
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"index", "--quiet", "--data", data, file}, strings.NewReader(""), &stdout, &stderr)
	lines := scanLines(stderr.String())
	if code != exitFailure || len(lines) != 1 {
		t.Fatalf("index on a full disk: exit %d, want 1 with one line on stderr:\n%s%s", code, &stdout, &stderr)
	}
	if want := fmt.Sprintf("the index holds %d papers, all of them on disk", held); !strings.Contains(lines[0], "the disk is full") || !strings.Contains(lines[0], want) {
		t.Errorf("the error does not say the disk is full and %q: %s", want, lines[0])
	}
	// (The directory holds the built-in sample, which kindred index removes first: on the full disk
	// that fails before anything is loaded.)
	if strings.Contains(stdout.String(), "now holds") || strings.Contains(stdout.String(), "accepted") && !strings.Contains(stdout.String(), "accepted 0 ") {
		t.Errorf("stdout claims papers that were not stored:\n%s", &stdout)
	}
	free()
	stdout.Reset()
	stderr.Reset()
	if code := run(t.Context(), []string{"index", "--quiet", "--data", data, file}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("rerun after space was freed: exit %d\n%s%s", code, &stdout, &stderr)
	}
	// The rerun removes the 63 papers of the built-in sample, then adds the 50.
	if want := fmt.Sprintf("now holds %d papers", held-63+50); !strings.Contains(stdout.String(), want) {
		t.Errorf("rerun: stdout lacks %q:\n%s", want, &stdout)
	}
}

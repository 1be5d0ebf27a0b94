package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kindred-search/kindred/index"
)

// syncBuffer is a bytes.Buffer the server's goroutines write while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listeningRE = regexp.MustCompile(`msg=listening addr=(\S+)`)

// startServe runs `kindred serve args...` until the returned stop is called, which returns the exit
// code. It waits for the server to report its address.
func startServe(t *testing.T, args ...string) (base string, logs *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	logs = &syncBuffer{}
	exit := make(chan int, 1)
	go func() { exit <- run(ctx, append([]string{"serve"}, args...), strings.NewReader(""), io.Discard, logs) }()
	stopped := false
	stop = func() int {
		t.Helper()
		if stopped {
			return -1
		}
		stopped = true
		cancel()
		select {
		case code := <-exit:
			return code
		case <-time.After(30 * time.Second):
			t.Fatalf("serve did not stop; log:\n%s", logs)
			return -1
		}
	}
	t.Cleanup(func() { stop() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := listeningRE.FindStringSubmatch(logs.String()); m != nil {
			return "http://" + m[1], logs, stop
		}
		select {
		case code := <-exit:
			t.Fatalf("serve exited with %d before listening; log:\n%s", code, logs)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not report its address; log:\n%s", logs)
	return "", nil, nil
}

// waitForLog waits until the log, from byte offset from on, holds want.
func waitForLog(t *testing.T, logs *syncBuffer, from int, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String()[from:], want) {
		if time.Now().After(deadline) {
			t.Fatalf("the log never said %s; log:\n%s", want, logs)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func httpDo(t *testing.T, method, url, body string, hdr ...string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, b
}

// TestServe runs the command: a fresh data directory gets the sample, the API answers, writes work with
// the token from the environment and are saved in the background, and cancelling the context (what
// SIGINT does) shuts down cleanly; a second run keeps the data and does not load the sample again.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("KINDRED_ADMIN_TOKEN", "env-token")
	base, logs, stop := startServe(t, "--data", dir, "--addr", "127.0.0.1:0", "--save-every", "20ms")
	if !strings.Contains(logs.String(), "loaded the built-in sample corpus") || !strings.Contains(logs.String(), "papers=63") {
		t.Errorf("the log does not say the sample was loaded:\n%s", logs)
	}

	status, body := httpDo(t, "GET", base+"/api/search?q=pruning", "")
	var res struct {
		Results []struct {
			Paper struct{ Title string } `json:"paper"`
		} `json:"results"`
	}
	if err := json.Unmarshal(body, &res); status != http.StatusOK || err != nil || len(res.Results) == 0 {
		t.Fatalf("search: %d %s", status, body)
	}
	// Once the saver has saved the sample's write, the next save it logs can only be of the upsert's.
	waitForLog(t, logs, 0, `msg="index saved" writes=1`)
	mark := len(logs.String())
	status, body = httpDo(t, "POST", base+"/api/papers", `[{"id": "serve-1", "title": "Served numbat", "abstract": "A numbat sent over HTTP."}]`,
		"Content-Type", "application/json", "Authorization", "Bearer env-token")
	if status != http.StatusOK {
		t.Fatalf("upsert with the token from KINDRED_ADMIN_TOKEN: %d %s", status, body)
	}
	waitForLog(t, logs, mark, `msg="index saved" writes=1`)
	if code := stop(); code != exitOK {
		t.Fatalf("exit code %d after shutdown; log:\n%s", code, logs)
	}
	if !strings.Contains(logs.String(), "index saved and closed") {
		t.Errorf("the log does not say the index was closed:\n%s", logs)
	}

	ix, err := index.Open(t.Context(), dir, index.DefaultOptions())
	if err != nil {
		t.Fatalf("reopen after shutdown: %v", err)
	}
	if n, unsaved := ix.Count(), ix.Unsaved(); n != 64 || unsaved != 0 {
		t.Errorf("after shutdown: %d papers, %d unsaved writes; want 64 and 0", n, unsaved)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// Second run: address from the environment, the data kept, no sample reload.
	t.Setenv("KINDRED_ADDR", "127.0.0.1:0")
	base, logs, stop = startServe(t, "--data", dir)
	if strings.Contains(logs.String(), "built-in sample") {
		t.Errorf("the sample was loaded again into an existing index:\n%s", logs)
	}
	if status, body := httpDo(t, "GET", base+"/api/papers/serve-1", ""); status != http.StatusOK {
		t.Errorf("GET serve-1 after restart: %d %s", status, body)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("second run: exit code %d; log:\n%s", code, logs)
	}
}

func TestServeUsage(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "extra"},
		{"serve", "--save-every", "0s"},
		{"serve", "--no-such-flag"},
	} {
		var stderr bytes.Buffer
		if code := run(t.Context(), args, strings.NewReader(""), io.Discard, &stderr); code != exitUsage {
			t.Errorf("%q: exit %d, want %d; stderr %s", args, code, exitUsage, &stderr)
		}
	}
}

// TestServeBusyAddress: a port already in use is an error, and the index is closed again.
func TestServeBusyAddress(t *testing.T) {
	base, _, _ := startServe(t, "--data", t.TempDir(), "--addr", "127.0.0.1:0")
	addr := strings.TrimPrefix(base, "http://")
	dir := t.TempDir()
	var stderr syncBuffer
	if code := run(t.Context(), []string{"serve", "--data", dir, "--addr", addr}, strings.NewReader(""), io.Discard, &stderr); code != exitFailure {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitFailure, stderr.String())
	}
	ix, err := index.Open(t.Context(), dir, index.DefaultOptions())
	if err != nil {
		t.Fatalf("the index was left open: %v", err)
	}
	ix.Close()
}

// flakySaver fails its first saves with a full disk and records when each save was tried.
type flakySaver struct {
	mu    sync.Mutex
	fails int
	tries []time.Time
	saved chan struct{}
}

func (f *flakySaver) Unsaved() uint64 { return 1 }

func (f *flakySaver) Save() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tries = append(f.tries, time.Now())
	if len(f.tries) <= f.fails {
		return index.ErrNoSpace
	}
	if len(f.tries) == f.fails+1 {
		close(f.saved)
	}
	return nil
}

// TestSaveLoopBackoff: saves that fail are retried after twice the wait each time and logged once;
// the first success is logged and the wait goes back to normal.
func TestSaveLoopBackoff(t *testing.T) {
	f := &flakySaver{fails: 5, saved: make(chan struct{})}
	var logs syncBuffer
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	const every = 2 * time.Millisecond
	go func() { saveLoop(ctx, f, every, slog.New(slog.NewTextHandler(&logs, nil))); close(done) }()
	select {
	case <-f.saved:
	case <-time.After(time.Minute):
		t.Fatal("the save loop never saved")
	}
	cancel()
	<-done
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := 1; i <= f.fails; i++ {
		if gap, least := f.tries[i].Sub(f.tries[i-1]), every<<i; gap < least {
			t.Errorf("try %d came %s after the failure before it, want at least %s", i+1, gap, least)
		}
	}
	out := logs.String()
	if n := strings.Count(out, "saving the index failed"); n != 1 {
		t.Errorf("%d failure lines for %d failures, want 1:\n%s", n, f.fails, out)
	}
	if !strings.Contains(out, "index saved again") || !strings.Contains(out, "failed_tries=5") {
		t.Errorf("the recovery is not logged:\n%s", out)
	}
}

package api_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
)

func TestGzip(t *testing.T) {
	ix := openSample(t, t.TempDir())
	c := newServer(t, ix, testOptions())

	plain := c.get("/api/search?q=pruning&limit=10")
	zipped := c.get("/api/search?q=pruning&limit=10", "Accept-Encoding", "gzip")
	if got := zipped.header.Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", got)
	}
	if got := zipped.header.Get("Vary"); got != "Accept-Encoding" {
		t.Errorf("Vary %q, want Accept-Encoding", got)
	}
	if len(zipped.body) >= len(plain.body) {
		t.Errorf("gzipped body is %d bytes, plain %d", len(zipped.body), len(plain.body))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped.body))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	// took_ms differs from run to run; compare the rest.
	var a, b map[string]any
	if err := json.Unmarshal(plain.body, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(unzipped, &b); err != nil {
		t.Fatalf("gunzipped body: %v", err)
	}
	delete(a, "took_ms")
	delete(b, "took_ms")
	if a["total"] != b["total"] || len(a["results"].([]any)) != len(b["results"].([]any)) {
		t.Errorf("gunzipped response differs from the plain one")
	}

	for _, tt := range []struct{ name, path, accept string }{
		{"small body", "/healthz", "gzip"},
		{"not accepted", "/api/search?q=pruning", ""},
		{"refused", "/api/search?q=pruning", "gzip;q=0"},
	} {
		r := c.get(tt.path, "Accept-Encoding", tt.accept)
		if got := r.header.Get("Content-Encoding"); got != "" {
			t.Errorf("%s: Content-Encoding %q, want none", tt.name, got)
		}
		if !json.Valid(r.body) {
			t.Errorf("%s: body is not JSON: %.60q", tt.name, r.body)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines to write and the test to read.
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

func TestAccessLog(t *testing.T) {
	ix := openSample(t, t.TempDir())
	var logs syncBuffer
	opts := testOptions()
	opts.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	c := newServer(t, ix, opts)
	r := c.get("/api/papers/no-such-paper?secret=1")
	if r.status != http.StatusNotFound {
		t.Fatalf("status %d", r.status)
	}
	var rec struct {
		Msg     string  `json:"msg"`
		Method  string  `json:"method"`
		Path    string  `json:"path"`
		Route   string  `json:"route"`
		Status  int     `json:"status"`
		Latency float64 `json:"latency"`
		Bytes   int     `json:"bytes"`
	}
	if err := json.Unmarshal(bytes.TrimSpace([]byte(logs.String())), &rec); err != nil {
		t.Fatalf("log %q: %v", logs.String(), err)
	}
	if rec.Msg != "request" || rec.Method != "GET" || rec.Path != "/api/papers/no-such-paper" || rec.Route != "/api/papers/:id" ||
		rec.Status != 404 || rec.Latency <= 0 || rec.Bytes != len(r.body) {
		t.Errorf("access log %+v (body %d bytes)", rec, len(r.body))
	}
}

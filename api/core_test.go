package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
)

// fakeCore answers every call with res and err, or panics when err is errPanic. It lets the tests pin
// the response shape independently of ranking, and reach the errors a real index rarely returns.
type fakeCore struct {
	res index.Response
	err error
}

var errPanic = errors.New("panic")

func (f fakeCore) answer() (index.Response, error) {
	if f.err == errPanic {
		panic("core exploded")
	}
	return f.res, f.err
}

func (f fakeCore) Search(context.Context, index.Request) (index.Response, error) { return f.answer() }
func (f fakeCore) Related(context.Context, string, index.RelatedRequest) (index.Response, error) {
	return f.answer()
}
func (f fakeCore) Similar(context.Context, string, index.RelatedRequest) (index.Response, error) {
	return f.answer()
}
func (f fakeCore) Recommend(context.Context, index.RecommendRequest) (index.Response, error) {
	return f.answer()
}
func (f fakeCore) Resolve(_ context.Context, ref string) (string, error) {
	_, err := f.answer()
	return ref, err
}
func (f fakeCore) Get(context.Context, string) (paper.Paper, error) {
	_, err := f.answer()
	return paper.Paper{}, err
}
func (f fakeCore) Lookup(context.Context, ...string) ([]paper.Paper, []string, error) {
	_, err := f.answer()
	return nil, nil, err
}
func (f fakeCore) Upsert(context.Context, ...paper.Paper) (index.UpsertStats, error) {
	_, err := f.answer()
	return index.UpsertStats{}, err
}
func (f fakeCore) Delete(context.Context, ...string) (int, error) {
	_, err := f.answer()
	return 0, err
}
func (f fakeCore) Stats() index.Stats { return index.Stats{} }
func (f fakeCore) Count() int         { return 0 }

// goldenResponse has a result with both components and highlights, and a vector-only one without.
var goldenResponse = index.Response{
	Mode:  index.ModeHybrid,
	Total: 17, TotalExact: true,
	Took: 1234567 * time.Nanosecond,
	Results: []index.Result{
		{
			Paper: paper.Paper{ID: "2106.01234", Title: "Sparse Model Soups", Abstract: "Neural networks can be compressed by pruning & averaging.",
				Authors: []string{"A. Author", "B. Author"}, AuthorCount: 3, Published: paper.Date{Year: 2023, Month: 6, Day: 29},
				Categories: []string{"cs.LG"}, URL: "https://arxiv.org/abs/2106.01234", Upvotes: 2},
			Score:      0.97,
			Keyword:    &index.Component{Rank: 1, Score: 7.84, Contribution: 0.7},
			Vector:     &index.Component{Rank: 2, Score: 0.126, Contribution: 0.27},
			Highlights: &index.Highlights{Title: "<mark>Sparse</mark> Model Soups", Abstract: "…compressed by <mark>pruning</mark> &amp; averaging."},
		},
		{
			Paper:  paper.Paper{ID: "t-144089adf07996be", Title: "Expert Pruning", Abstract: "Mixtures of experts.", Published: paper.Date{Year: 2024}},
			Score:  0.5,
			Vector: &index.Component{Rank: 1, Score: 0.138, Contribution: 0.5},
		},
	},
}

// TestGoldenSearch pins the shape of a search response, with took_ms zeroed. Run go test -update after
// a deliberate change of the shape.
func TestGoldenSearch(t *testing.T) {
	c := newServer(t, fakeCore{res: goldenResponse}, testOptions())
	r := c.get("/api/search?q=pruning+sparse&limit=2")
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if !bytes.Contains(r.body, []byte(`"took_ms":1.234`)) {
		t.Errorf("took_ms is not the core's duration in milliseconds: %s", r.body)
	}
	body := regexp.MustCompile(`"took_ms":[0-9.e+-]+`).ReplaceAll(r.body, []byte(`"took_ms":0`))
	var got bytes.Buffer
	if err := json.Indent(&got, body, "", "  "); err != nil {
		t.Fatalf("indent %s: %v", body, err)
	}
	path := filepath.Join("testdata", "golden", "search.json")
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got.String()); diff != "" {
		t.Errorf("search response differs from %s (-want +got):\n%s", path, diff)
	}
}

// TestServerErrors: the core's own failures map to 5xx statuses with a generic message that hides the
// internal text, and a panic is recovered into a 500.
func TestServerErrors(t *testing.T) {
	const secret = "/var/lib/kindred/bleve: segment 7 corrupt"
	tests := []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"damaged", fmt.Errorf("%w: %s", index.ErrDamaged, secret), 500, "internal"},
		{"plain error", errors.New(secret), 500, "internal"},
		{"locked", fmt.Errorf("%w: %s", index.ErrLocked, secret), 500, "internal"},
		{"closed", fmt.Errorf("search: %w", index.ErrClosed), 503, "unavailable"},
		{"deadline", fmt.Errorf("%s: %w", secret, context.DeadlineExceeded), 503, "timeout"},
		{"cancelled", fmt.Errorf("%s: %w", secret, context.Canceled), 503, "unavailable"},
		{"disk full", fmt.Errorf("%w: %s", index.ErrNoSpace, secret), 507, "insufficient_storage"},
		{"storage error", fmt.Errorf("read papers: %s: input/output error", secret), 500, "internal"},
		{"panic", errPanic, 500, "internal"},
		{"wrapped not found", fmt.Errorf("related: %w", index.ErrNotFound), 404, "not_found"},
		{"wrapped bad query", fmt.Errorf("%w: syntax error", index.ErrBadQuery), 400, "bad_query"},
		{"invalid paper", fmt.Errorf("%w: paper 0: missing title", index.ErrInvalidPaper), 400, "invalid_parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newServer(t, fakeCore{err: tt.err}, testOptions())
			for _, path := range []string{"/api/search?q=x", "/api/papers/x", "/api/papers/x/related"} {
				r := c.get(path, "Accept-Encoding", "gzip")
				if r.status != tt.status {
					t.Errorf("GET %s: status %d, want %d", path, r.status, tt.status)
				}
				e := r.errorOf(t)
				if e.Error.Code != tt.code {
					t.Errorf("GET %s: code %q, want %q", path, e.Error.Code, tt.code)
				}
				if tt.status >= 500 && strings.Contains(string(r.body), "segment") {
					t.Errorf("GET %s: internal error text leaked: %s", path, r.body)
				}
			}
			want := fmt.Sprintf(`kindred_http_requests_total{method="GET",route="/api/papers/:id",status="%d"} 1`, tt.status)
			if m := c.get("/metrics"); !strings.Contains(string(m.body), want) {
				t.Errorf("metrics lack %s", want)
			}
		})
	}
}

// slowCore blocks every search until its context is done, as an engine does that works past the
// request's deadline and checks its context in its loops; it counts the searches that saw the deadline.
type slowCore struct {
	fakeCore
	stopped chan error
}

func (s slowCore) Search(ctx context.Context, _ index.Request) (index.Response, error) {
	<-ctx.Done()
	s.stopped <- ctx.Err()
	return index.Response{}, fmt.Errorf("keyword search: %w", ctx.Err())
}

// TestTimeout: a read past Options.Timeout gets its context cancelled, and answers 503 timeout with the
// limit in the message.
func TestTimeout(t *testing.T) {
	opts := testOptions()
	opts.Timeout = 50 * time.Millisecond
	core := slowCore{stopped: make(chan error, 1)}
	c := newServer(t, core, opts)
	r := c.get("/api/search?q=x")
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503: %s", r.status, r.body)
	}
	e := r.errorOf(t)
	if e.Error.Code != "timeout" || !strings.Contains(e.Error.Message, "50ms") {
		t.Errorf("error %+v, want code timeout and the limit in the message", e.Error)
	}
	if err := <-core.stopped; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the core's context ended with %v, want the deadline", err)
	}
}

// TestClientGone: when the client goes away, the request's context is cancelled, so the engine stops
// working for nobody.
func TestClientGone(t *testing.T) {
	opts := testOptions()
	opts.Timeout = time.Minute
	core := slowCore{stopped: make(chan error, 1)}
	c := newServer(t, core, opts)
	hc := &http.Client{Timeout: 100 * time.Millisecond}
	if _, err := hc.Get(c.base + "/api/search?q=x"); err == nil {
		t.Fatal("the slow search answered")
	}
	select {
	case err := <-core.stopped:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the core's context ended with %v, want cancelled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the core went on working after the client had gone")
	}
}

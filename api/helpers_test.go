package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/kindred-search/kindred/api"
	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/load"
	"github.com/kindred-search/kindred/index/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

const (
	testToken    = "s3cret-token"
	samplePapers = 63
)

// openSample opens an index in dir, loading the built-in sample when dir holds none. The index is closed
// when the test ends (closing twice is harmless).
func openSample(t testing.TB, dir string) *index.Index {
	t.Helper()
	ix, err := index.Open(t.Context(), dir, index.DefaultOptions())
	if err != nil {
		t.Fatalf("index.Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	if ix.Count() > 0 {
		return ix
	}
	opts := load.DefaultOptions()
	opts.Reader.Year = sample.Year
	sum, err := load.Reader(t.Context(), ix, sample.Open(), sample.Name, opts)
	if err != nil {
		t.Fatalf("load sample: %v", err)
	}
	if sum.Added != samplePapers || sum.Rejected != 0 {
		t.Fatalf("load sample: %s; want %d papers and no rejection", sum, samplePapers)
	}
	return ix
}

// testOptions are the handler options of most tests: writes enabled, logs discarded.
func testOptions() api.Options {
	o := api.DefaultOptions()
	o.AdminToken = testToken
	o.Logger = slog.New(slog.DiscardHandler)
	o.Version = "test"
	return o
}

// client talks to a test server. It never asks for gzip, so bodies arrive as the handler wrote them
// unless a test sets Accept-Encoding itself.
type client struct {
	t    testing.TB
	base string
	hc   *http.Client
}

func newServer(t testing.TB, core api.Core, opts api.Options) client {
	t.Helper()
	srv := httptest.NewServer(api.New(core, opts))
	t.Cleanup(srv.Close)
	return client{t: t, base: srv.URL, hc: &http.Client{Transport: &http.Transport{DisableCompression: true}}}
}

// response is what a request got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; hdr holds header name, value pairs.
func (c client) do(method, path string, body io.Reader, hdr ...string) response {
	c.t.Helper()
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.base+path, body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{res.StatusCode, res.Header, b}
}

func (c client) get(path string, hdr ...string) response {
	c.t.Helper()
	return c.do(http.MethodGet, path, nil, hdr...)
}

// postJSON posts a JSON body with the admin token.
func (c client) post(path, contentType, body string) response {
	c.t.Helper()
	return c.do(http.MethodPost, path, strings.NewReader(body), "Content-Type", contentType, "Authorization", "Bearer "+testToken)
}

// decode unmarshals a response body into v, failing the test if the status is not want.
func (r response) decode(t testing.TB, want int, v any) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body: %s", r.status, want, r.body)
	}
	if v == nil {
		return
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// apiError is the one error shape.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// errorOf checks that r is an error in the one shape, and returns it.
func (r response) errorOf(t testing.TB) apiError {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type %q, want application/json", ct)
	}
	var e apiError
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("error body %s is not the error shape: %v", r.body, err)
	}
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("error body %s lacks a code or a message", r.body)
	}
	return e
}

// searchResult mirrors the JSON of a result.
type searchResult struct {
	Paper struct {
		ID         string   `json:"id"`
		Title      string   `json:"title"`
		Abstract   string   `json:"abstract"`
		Published  string   `json:"published"`
		Categories []string `json:"categories"`
	} `json:"paper"`
	Score   float64 `json:"score"`
	Keyword *struct {
		Rank  int     `json:"rank"`
		Score float64 `json:"score"`
	} `json:"keyword"`
	Vector *struct {
		Rank  int     `json:"rank"`
		Score float64 `json:"score"`
	} `json:"vector"`
	Highlights *struct {
		Title    string `json:"title"`
		Abstract string `json:"abstract"`
	} `json:"highlights"`
	SharedTerms []string `json:"shared_terms"`
}

type searchResponse struct {
	Query   string         `json:"query"`
	ID      string         `json:"id"`
	Mode    string         `json:"mode"`
	Total   int            `json:"total"`
	TookMS  float64        `json:"took_ms"`
	Results []searchResult `json:"results"`
}

func (s searchResponse) ids() []string {
	out := make([]string, len(s.Results))
	for i, r := range s.Results {
		out[i] = r.Paper.ID
	}
	return out
}

type upsertResponse struct {
	Accepted   int      `json:"accepted"`
	Added      int      `json:"added"`
	Replaced   int      `json:"replaced"`
	Rejected   int      `json:"rejected"`
	IDs        []string `json:"ids"`
	Rejections []struct {
		Index  int    `json:"index"`
		Line   int    `json:"line"`
		Reason string `json:"reason"`
	} `json:"rejections"`
}

package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestEndpoints(t *testing.T) {
	ix := openSample(t, t.TempDir())
	c := newServer(t, ix, testOptions())

	t.Run("healthz", func(t *testing.T) {
		var h map[string]string
		c.get("/healthz").decode(t, http.StatusOK, &h)
		if h["status"] != "ok" {
			t.Errorf("healthz = %v, want status ok", h)
		}
	})
	t.Run("stats", func(t *testing.T) {
		var s struct {
			Version     string `json:"version"`
			Papers      int    `json:"papers"`
			VectorIndex string `json:"vector_index"`
			DiskBytes   int64  `json:"disk_bytes"`
			EmbedDim    int    `json:"embed_dim"`
		}
		c.get("/api/stats").decode(t, http.StatusOK, &s)
		if s.Version != "test" || s.Papers != samplePapers || s.VectorIndex == "" || s.DiskBytes <= 0 || s.EmbedDim <= 0 {
			t.Errorf("stats = %+v", s)
		}
	})
	t.Run("openapi", func(t *testing.T) {
		var doc struct {
			OpenAPI string         `json:"openapi"`
			Paths   map[string]any `json:"paths"`
		}
		c.get("/api/openapi.json").decode(t, http.StatusOK, &doc)
		if !strings.HasPrefix(doc.OpenAPI, "3.") || len(doc.Paths) == 0 {
			t.Errorf("openapi %q with %d paths", doc.OpenAPI, len(doc.Paths))
		}
	})

	var top searchResult
	t.Run("search", func(t *testing.T) {
		for _, mode := range []string{"hybrid", "keyword", "vector"} {
			var s searchResponse
			c.get("/api/search?q=pruning&mode="+mode).decode(t, http.StatusOK, &s)
			if s.Query != "pruning" || s.Mode != mode || len(s.Results) == 0 || s.Total < len(s.Results) {
				t.Fatalf("mode %s: query %q mode %q total %d, %d results", mode, s.Query, s.Mode, s.Total, len(s.Results))
			}
			r := s.Results[0]
			if !strings.Contains(strings.ToLower(r.Paper.Title+r.Paper.Abstract), "prun") {
				t.Errorf("mode %s: top result %q does not mention pruning", mode, r.Paper.Title)
			}
			if (mode != "vector") != (r.Keyword != nil) || (mode != "keyword") != (r.Vector != nil) {
				t.Errorf("mode %s: keyword component %v, vector component %v", mode, r.Keyword, r.Vector)
			}
			if r.Highlights == nil || !strings.Contains(r.Highlights.Title+r.Highlights.Abstract, "<mark>") {
				t.Errorf("mode %s: top result has no highlighted match: %+v", mode, r.Highlights)
			}
			if mode == "hybrid" {
				top = r
			}
		}
	})
	t.Run("search pages", func(t *testing.T) {
		var all, page searchResponse
		c.get("/api/search?q=model&limit=6").decode(t, http.StatusOK, &all)
		c.get("/api/search?q=model&limit=3&offset=3").decode(t, http.StatusOK, &page)
		if len(all.Results) != 6 {
			t.Fatalf("limit=6 gave %d results", len(all.Results))
		}
		if diff := cmp.Diff(all.ids()[3:], page.ids()); diff != "" {
			t.Errorf("offset=3 page differs from the tail of limit=6 (-want +got):\n%s", diff)
		}
	})
	t.Run("search dates", func(t *testing.T) {
		var s searchResponse
		c.get("/api/search?q=model&limit=100&from=2024-01&to=2024").decode(t, http.StatusOK, &s)
		if len(s.Results) == 0 {
			t.Fatal("no 2024 results")
		}
		for _, r := range s.Results {
			if !strings.HasPrefix(r.Paper.Published, "2024") {
				t.Errorf("%s published %q, outside 2024", r.Paper.ID, r.Paper.Published)
			}
		}
	})
	t.Run("get", func(t *testing.T) {
		var p struct{ ID, Title string }
		c.get("/api/papers/"+url.PathEscape(top.Paper.ID)).decode(t, http.StatusOK, &p)
		if p.ID != top.Paper.ID || p.Title != top.Paper.Title {
			t.Errorf("got %+v, want %s %q", p, top.Paper.ID, top.Paper.Title)
		}
	})
	t.Run("related", func(t *testing.T) {
		var s searchResponse
		c.get("/api/papers/"+url.PathEscape(top.Paper.ID)+"/related?limit=3&mode=hybrid").decode(t, http.StatusOK, &s)
		if s.ID != top.Paper.ID || len(s.Results) != 3 {
			t.Fatalf("id %q, %d results; want %q, 3", s.ID, len(s.Results), top.Paper.ID)
		}
		if slices.Contains(s.ids(), top.Paper.ID) {
			t.Errorf("related papers of %s include itself: %v", top.Paper.ID, s.ids())
		}
		if len(s.Results[0].SharedTerms) == 0 {
			t.Errorf("first related paper has no shared terms")
		}
	})
	t.Run("similar", func(t *testing.T) {
		var s searchResponse
		body := `{"text": "We prune the weights of large neural networks to make them sparse and fast.", "limit": 4, "mode": "vector"}`
		c.post("/api/similar", "application/json", body).decode(t, http.StatusOK, &s)
		if len(s.Results) != 4 || s.Mode != "vector" {
			t.Fatalf("mode %q, %d results; want vector, 4", s.Mode, len(s.Results))
		}
		if len(s.Results[0].SharedTerms) == 0 {
			t.Errorf("first similar paper has no shared terms")
		}
	})
	t.Run("metrics", func(t *testing.T) {
		r := c.get("/metrics")
		if r.status != http.StatusOK {
			t.Fatalf("status %d", r.status)
		}
		for _, want := range []string{
			fmt.Sprintf("kindred_index_papers %d", samplePapers),
			`kindred_http_requests_total{method="GET",route="/api/search",status="200"}`,
			`kindred_http_request_duration_seconds_bucket{method="GET",route="/api/papers/:id/related",status="200",le="+Inf"} 1`,
		} {
			if !bytes.Contains(r.body, []byte(want)) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
}

// TestUpsertSearchDelete: an upserted paper is found by search and by ID, with its categories
// filterable; a deleted one is gone.
func TestUpsertSearchDelete(t *testing.T) {
	ix := openSample(t, t.TempDir())
	c := newServer(t, ix, testOptions())

	batch := `[
	  {"id": "z1", "title": "Quokka networks for tabular data", "abstract": "We train quokka networks on tabular benchmarks.", "categories": ["cs.QK"], "published": "2024-05-01"},
	  {"id": "hep-th/9901001", "title": "Wombat strings", "abstract": "Wombat strings vibrate in eleven dimensions.", "categories": "hep-th cs.WB"},
	  {"title": "Derived identifier paper", "abstract": "This record has no id, so one is derived from its title."}
	]`
	var up upsertResponse
	c.post("/api/papers", "application/json", batch).decode(t, http.StatusOK, &up)
	if up.Accepted != 3 || up.Added != 3 || up.Replaced != 0 || up.Rejected != 0 || len(up.IDs) != 3 {
		t.Fatalf("upsert = %+v, want 3 accepted and added", up)
	}
	if !strings.HasPrefix(up.IDs[2], "t-") {
		t.Errorf("derived ID %q, want t-...", up.IDs[2])
	}

	var s searchResponse
	c.get("/api/search?q=quokka").decode(t, http.StatusOK, &s)
	if len(s.Results) == 0 || s.Results[0].Paper.ID != "z1" {
		t.Fatalf("search quokka = %v, want z1 first", s.ids())
	}
	c.get("/api/search?q=quokka+OR+wombat&category=cs.QK&category=cs.WB").decode(t, http.StatusOK, &s)
	if got := s.ids(); len(got) != 2 {
		t.Errorf("repeated category: %v, want z1 and hep-th/9901001", got)
	}
	c.get("/api/search?q=quokka+OR+wombat&category=cs.QK,nope").decode(t, http.StatusOK, &s)
	if diff := cmp.Diff([]string{"z1"}, s.ids()); diff != "" {
		t.Errorf("comma-separated category (-want +got):\n%s", diff)
	}

	// An ID with a slash travels escaped.
	esc := "/api/papers/" + url.PathEscape("hep-th/9901001")
	var p struct{ ID string }
	c.get(esc).decode(t, http.StatusOK, &p)
	if p.ID != "hep-th/9901001" {
		t.Errorf("GET %s = %q", esc, p.ID)
	}
	c.get(esc+"/related?limit=2").decode(t, http.StatusOK, &s)

	// Replacing counts as replaced.
	c.post("/api/papers", "application/x-ndjson", `{"id": "z1", "title": "Quokka networks, revised", "abstract": "Now with more quokkas."}`+"\n").decode(t, http.StatusOK, &up)
	if up.Accepted != 1 || up.Added != 0 || up.Replaced != 1 {
		t.Errorf("re-upsert = %+v, want 1 replaced", up)
	}

	r := c.do(http.MethodDelete, "/api/papers/z1", nil, "Authorization", "Bearer "+testToken)
	if r.status != http.StatusNoContent || len(r.body) != 0 {
		t.Fatalf("DELETE: status %d body %q, want 204 and no body", r.status, r.body)
	}
	if e := c.get("/api/papers/z1").errorOf(t); e.Error.Code != "not_found" {
		t.Errorf("GET after DELETE: %+v", e)
	}
	if r := c.do(http.MethodDelete, "/api/papers/z1", nil, "Authorization", "Bearer "+testToken); r.status != http.StatusNotFound {
		t.Errorf("second DELETE: status %d, want 404", r.status)
	}
	c.get("/api/search?q=quokka").decode(t, http.StatusOK, &s)
	if slices.Contains(s.ids(), "z1") {
		t.Errorf("search still finds deleted z1: %v", s.ids())
	}
}

// TestMixedBatch: a batch with bad records stores the good ones and says why the others were rejected.
func TestMixedBatch(t *testing.T) {
	ix := openSample(t, t.TempDir())
	c := newServer(t, ix, testOptions())
	tests := []struct {
		name, contentType, body string
		wantIDs                 []string
		wantRejected            []int // indexes
	}{
		{"array", "application/json",
			`[{"id": "m1", "title": "Good one", "abstract": "Fine."}, {"id": "m2", "title": "No abstract"}, 7, {"id": "m3", "title": "Bad date", "abstract": "x", "published": "2024-13"}, {"id": "m4", "title": "Good two", "abstract": "Also fine."}]`,
			[]string{"m1", "m4"}, []int{1, 2, 3}},
		{"ndjson", "application/x-ndjson",
			"{\"id\": \"n1\", \"title\": \"Good\", \"abstract\": \"Fine.\"}\r\n\n{not json\n{\"id\": [1], \"title\": \"t\", \"abstract\": \"a\"}\n{\"id\": \"n2\", \"title\": \"Good too\", \"abstract\": \"Fine.\"}",
			[]string{"n1", "n2"}, []int{1, 2}},
		{"all bad", "application/json", `[{}, {"title": ""}]`, []string{}, []int{0, 1}},
		{"empty array", "application/json", `[]`, []string{}, []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var up upsertResponse
			c.post("/api/papers", tt.contentType, tt.body).decode(t, http.StatusOK, &up)
			if diff := cmp.Diff(tt.wantIDs, up.IDs, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			var rej []int
			for _, r := range up.Rejections {
				rej = append(rej, r.Index)
				if r.Reason == "" {
					t.Errorf("rejection %d has no reason", r.Index)
				}
			}
			if diff := cmp.Diff(tt.wantRejected, rej, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("rejected indexes (-want +got):\n%s", diff)
			}
			if up.Accepted != len(tt.wantIDs) || up.Rejected != len(tt.wantRejected) {
				t.Errorf("accepted %d rejected %d, want %d and %d", up.Accepted, up.Rejected, len(tt.wantIDs), len(tt.wantRejected))
			}
			for _, id := range tt.wantIDs {
				if r := c.get("/api/papers/" + id); r.status != http.StatusOK {
					t.Errorf("GET %s after upsert: %d", id, r.status)
				}
			}
		})
	}
}

// TestRestart: a paper upserted through the API survives closing the index and opening it again.
func TestRestart(t *testing.T) {
	dir := t.TempDir()
	ix := openSample(t, dir)
	c := newServer(t, ix, testOptions())
	c.post("/api/papers", "application/json", `[{"id": "keep-me", "title": "Persistent platypus", "abstract": "A platypus that outlives restarts."}]`).decode(t, http.StatusOK, nil)
	if err := ix.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if e := c.get("/api/papers/keep-me").errorOf(t); e.Error.Code != "unavailable" {
		t.Errorf("GET on a closed index: %+v, want unavailable", e)
	}

	ix2 := openSample(t, dir)
	c2 := newServer(t, ix2, testOptions())
	var p struct{ ID, Title string }
	c2.get("/api/papers/keep-me").decode(t, http.StatusOK, &p)
	if p.Title != "Persistent platypus" {
		t.Errorf("after restart: %+v", p)
	}
	var s searchResponse
	c2.get("/api/search?q=platypus").decode(t, http.StatusOK, &s)
	if len(s.Results) == 0 || s.Results[0].Paper.ID != "keep-me" {
		t.Errorf("search after restart: %v", s.ids())
	}
	if n := ix2.Count(); n != samplePapers+1 {
		t.Errorf("after restart %d papers, want %d", n, samplePapers+1)
	}
}

// TestUIMount: with Options.UI set, GET paths outside the API go to it; the API's own paths do not.
func TestUIMount(t *testing.T) {
	ix := openSample(t, t.TempDir())
	opts := testOptions()
	page := strings.Repeat("<p>Kindred</p>\n", 200)
	opts.UI = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "ui %s\n%s", r.URL.Path, page)
	})
	c := newServer(t, ix, opts)
	for _, path := range []string{"/", "/paper/abc", "/static/app.css", "/apix", "/healthz-not"} {
		r := c.get(path)
		if r.status != http.StatusOK || !bytes.HasPrefix(r.body, []byte("ui "+path+"\n")) {
			t.Errorf("GET %s: %d %.40q, want the UI's page", path, r.status, r.body)
		}
	}
	if r := c.do(http.MethodHead, "/", nil); r.status != http.StatusOK {
		t.Errorf("HEAD /: %d", r.status)
	}
	for _, tt := range []struct{ method, path, code string }{
		{http.MethodGet, "/api/nope", "not_found"},
		{http.MethodGet, "/api", "not_found"},
		{http.MethodPost, "/", "method_not_allowed"},
		{http.MethodPost, "/healthz", "method_not_allowed"},
	} {
		if e := c.do(tt.method, tt.path, nil).errorOf(t); e.Error.Code != tt.code {
			t.Errorf("%s %s: %+v, want %s", tt.method, tt.path, e, tt.code)
		}
	}
	if r := c.get("/healthz"); !bytes.Contains(r.body, []byte(`"ok"`)) {
		t.Errorf("GET /healthz went to the UI: %s", r.body)
	}
	if r := c.get("/paper/abc", "Accept-Encoding", "gzip"); r.header.Get("Content-Encoding") != "gzip" {
		t.Errorf("a large UI page is not gzipped: %v", r.header)
	}
}

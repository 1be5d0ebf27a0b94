package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/kindred-search/kindred/api"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

// serve sends one request straight to the handler.
func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// checkBody fails unless a response is a result page (2xx) or the one error shape.
func checkBody(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if rec.Code >= 400 {
		var e apiError
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
			t.Fatalf("status %d with a body not in the error shape: %s", rec.Code, rec.Body)
		}
		return
	}
	if !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("status %d with invalid JSON: %s", rec.Code, rec.Body)
	}
}

// FuzzSearchParams: no combination of search or related parameters gets a 5xx.
func FuzzSearchParams(f *testing.F) {
	ix := openSample(f, f.TempDir())
	h := api.New(ix, testOptions())
	f.Add(false, "pruning", "", "", "", "", "", "", "", "")
	f.Add(false, "sparse models", "keyword", "5", "2", "2023", "2024-06", "cs.LG,cs.CL", "0.5", "rrf")
	f.Add(false, `title:"mixture of experts" -dense +sparse^2`, "vector", "100", "0", "2024-02-29", "", "", "1", "convex")
	f.Add(false, "prun* OR spars~1", "semantic", "0", "-1", "2024-13", "x", ",,", "NaN", "x")
	f.Add(false, `"unterminated`, "hybrid", "1e3", "10001", "0000", "9999-12-31", "a b", "-0", "")
	f.Add(false, "/[a-z]+ing/", "", "101", "x", "2024-02-30", "2023", "cs.AI", "inf", "RRF")
	f.Add(false, "authors:smith date:2024 categories:cs.LG", "", " 3 ", "", "2024T", "2024-01-01T00:00:00Z", "", "", "")
	f.Add(false, "\xff\xfe\x00", "", "", "", "", "", "", "", "")
	f.Add(true, "t-ed7135eddfbfb09c", "", "3", "", "", "", "", "", "")
	f.Add(true, "no/such paper", "keyword", "1", "1", "2020", "2019", "", "0.2", "rrf")
	f.Fuzz(func(t *testing.T, related bool, q, mode, limit, offset, from, to, category, alpha, fusion string) {
		v := url.Values{}
		for k, s := range map[string]string{"mode": mode, "limit": limit, "offset": offset, "from": from, "to": to, "category": category, "alpha": alpha, "fusion": fusion} {
			if s != "" {
				v.Set(k, s)
			}
		}
		path := "/api/papers/" + url.PathEscape(q) + "/related"
		if !related {
			v.Set("q", q)
			path = "/api/search"
		}
		checkBody(t, serve(h, httptest.NewRequest(http.MethodGet, path+"?"+v.Encode(), nil)))
	})
}

// FuzzUpsertBody: no upsert body gets a 5xx, and every record the reader accepts is stored, whatever
// the rest of the batch holds.
func FuzzUpsertBody(f *testing.F) {
	ix := openSample(f, f.TempDir())
	h := api.New(ix, testOptions())
	f.Add(false, []byte(`[{"id": "f1", "title": "Good", "abstract": "Fine."}, {"title": "bad"}, 3, null, "x", {"id": {}, "title": "t", "abstract": "a"}]`))
	f.Add(true, []byte("{\"id\": \"f2\", \"title\": \"Good\", \"abstract\": \"Fine.\"}\n{oops\n\n{\"title\": \"No id\", \"abstract\": \"Derived.\", \"published\": \"2024-02\"}\r\n[]\n"))
	f.Add(false, []byte(`[{"_id": "b1", "title": "BEIR", "text": "Shape.", "metadata": {}}, {"id": 42, "title": "Integer id", "abstract": "ok", "authors": "A. Smith and B. Jones", "categories": "cs.LG cs.CL"}]`))
	f.Add(false, []byte(`[{"id": "dup", "title": "One", "abstract": "first"}, {"id": "dup", "title": "Two", "abstract": "second"}]`))
	f.Add(true, []byte(`{"id": "a b", "title": "Space in id", "abstract": "x"}`+"\n"+`{"id": "`+strings.Repeat("i", 300)+`", "title": "Long id", "abstract": "x"}`))
	f.Add(false, []byte(`[{"id": "arx", "title": "Snapshot", "abstract": "x", "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}], "authors_parsed": [["Smith", "J.", ""]]}]`))
	f.Add(false, []byte("[\xff\xfe]"))
	f.Add(true, []byte("\xef\xbb\xbf{\"title\": \"BOM\", \"abstract\": \"first line\"}"))
	f.Add(false, []byte(`[{"title": "\u0000\u200b", "abstract": "\ud800"}]`))
	f.Fuzz(func(t *testing.T, ndjson bool, body []byte) {
		ct := "application/json"
		if ndjson {
			ct = "application/x-ndjson"
		}
		req := httptest.NewRequest(http.MethodPost, "/api/papers", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+testToken)
		rec := serve(h, req)
		checkBody(t, rec)
		if rec.Code != http.StatusOK {
			return
		}
		var up upsertResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &up); err != nil {
			t.Fatalf("upsert response %s: %v", rec.Body, err)
		}
		// The oracle: the reader's verdict on each record; the last good record of an ID wins.
		last := map[string]paper.Paper{}
		good := 0
		for _, rec := range records(body, ndjson) {
			if p, err := reader.DecodeRecord(rec); err == nil {
				last[p.ID] = p
				good++
			}
		}
		if up.Accepted != good {
			t.Fatalf("accepted %d, the reader accepts %d", up.Accepted, good)
		}
		for id, want := range last {
			rec := serve(h, httptest.NewRequest(http.MethodGet, "/api/papers/"+url.PathEscape(id), nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %q after upsert: %d %s", id, rec.Code, rec.Body)
			}
			var got paper.Paper
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got.Title != want.Title || got.Abstract != want.Abstract {
				t.Fatalf("GET %q: title %q abstract %q, want %q %q", id, got.Title, got.Abstract, want.Title, want.Abstract)
			}
		}
	})
}

// records splits an upsert body the way the API documents it: JSON array elements, or non-blank lines.
func records(body []byte, ndjson bool) [][]byte {
	body = bytes.TrimPrefix(body, []byte("\uFEFF"))
	if !ndjson {
		var elems []json.RawMessage
		json.Unmarshal(body, &elems)
		out := make([][]byte, len(elems))
		for i, e := range elems {
			out[i] = e
		}
		return out
	}
	var out [][]byte
	for _, line := range bytes.Split(body, []byte("\n")) {
		if len(bytes.TrimSpace(line)) > 0 {
			out = append(out, line)
		}
	}
	return out
}

// FuzzQueryText: any text a person types or pastes searches. Through search (lenient, the default),
// similar and related, the answer is a 200, or a 400 for a parameter (an empty query, a text over
// the limits); never a 5xx, never a query-syntax 400, and nothing internal (panic or Go error text)
// in the body.
func FuzzQueryText(f *testing.F) {
	ix := openSample(f, f.TempDir())
	h := api.New(ix, testOptions())
	for _, s := range []string{
		"a / b", "/", "myelopathy / tropical spastic paraparesis (HAM/TSP) is associated with HTLV-1",
		"Chart-R1: Chain-of-Thought Supervision for Reliable Chart Reasoning", "3:1 ratio", `"unterminated`,
		"title:", "~", `\`, "!important && || -", "/(a+)+$/", "*", "**", "*e*", "t* s* c* p* m*",
		"regulat*", "distill*", "atention~", "atention~9", "date:2026", "date:2025-03", "date:>2024",
		"categories:cs.cl", "authors:vulic", `authors:"Ivan Vulić"`, "Graham Neubig", "a OR b", "a AND NOT b",
		"venue:neurips", "x^", "x^-1", `"a b"~3`, "(((", ")))", "[]{}", "\x00", "\xff\xfe", strings.Repeat("word ", 1000),
		strings.Repeat("a", 5000), `"` + strings.Repeat("very long phrase ", 100) + `"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		check := func(rec *httptest.ResponseRecorder, what string) {
			t.Helper()
			checkBody(t, rec)
			body := rec.Body.String()
			for _, leak := range []string{"runtime error", "panic", "goroutine ", ".go:"} {
				if strings.Contains(body, leak) {
					t.Fatalf("%s %q: internal text %q in the response: %s", what, text, leak, body)
				}
			}
			if rec.Code == http.StatusBadRequest {
				var e apiError
				json.Unmarshal(rec.Body.Bytes(), &e)
				blank := strings.TrimSpace(strings.ToValidUTF8(text, "")) == ""
				if e.Error.Code == "bad_query" && !blank {
					t.Fatalf("%s %q: a lenient search refused query text: %s", what, text, body)
				}
			}
		}
		check(serve(h, httptest.NewRequest(http.MethodGet, "/api/search?q="+url.QueryEscape(text), nil)), "search")
		body, _ := json.Marshal(map[string]string{"text": text})
		req := httptest.NewRequest(http.MethodPost, "/api/similar", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		check(serve(h, req), "similar")
		check(serve(h, httptest.NewRequest(http.MethodGet, "/api/papers/"+url.PathEscape(text)+"/related", nil)), "related")
	})
}

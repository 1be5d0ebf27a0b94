package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestBadInput: every kind of bad input gets its 4xx with the one error shape, never a 5xx.
func TestBadInput(t *testing.T) {
	ix := openSample(t, t.TempDir())
	opts := testOptions()
	opts.MaxBodyBytes = 64 << 10
	c := newServer(t, ix, opts)
	noWrites := testOptions()
	noWrites.AdminToken = ""
	ro := newServer(t, ix, noWrites)
	wide := newServer(t, ix, testOptions()) // the default body limit, 8 MiB

	const (
		jsonCT   = "application/json"
		ndjsonCT = "application/x-ndjson"
	)
	auth := "Bearer " + testToken
	big := `[{"title": "t", "abstract": "` + strings.Repeat("a", 70<<10) + `"}]`
	type request struct {
		method, path string
		body         string
		hdr          []string
		streamBody   bool // send the body chunked, without a Content-Length
	}
	tests := []struct {
		name   string
		srv    client
		req    request
		status int
		code   string
		inMsg  string // a part of the message, when it matters
	}{
		{"missing q", c, request{method: "GET", path: "/api/search"}, 400, "invalid_parameter", "q"},
		{"empty q", c, request{method: "GET", path: "/api/search?q="}, 400, "bad_query", "empty"},
		{"blank q", c, request{method: "GET", path: "/api/search?q=+%09+"}, 400, "bad_query", "empty"},
		{"limit 0", c, request{method: "GET", path: "/api/search?q=x&limit=0"}, 400, "invalid_parameter", "limit must be between 1 and 100"},
		{"limit 101", c, request{method: "GET", path: "/api/search?q=x&limit=101"}, 400, "invalid_parameter", "limit must be between 1 and 100"},
		{"limit negative", c, request{method: "GET", path: "/api/search?q=x&limit=-3"}, 400, "invalid_parameter", "limit"},
		{"limit not a number", c, request{method: "GET", path: "/api/search?q=x&limit=ten"}, 400, "invalid_parameter", "limit"},
		{"limit fraction", c, request{method: "GET", path: "/api/search?q=x&limit=2.5"}, 400, "invalid_parameter", "limit"},
		{"limit empty", c, request{method: "GET", path: "/api/search?q=x&limit="}, 400, "invalid_parameter", "limit"},
		{"limit huge", c, request{method: "GET", path: "/api/search?q=x&limit=99999999999999999999"}, 400, "invalid_parameter", "limit"},
		{"offset negative", c, request{method: "GET", path: "/api/search?q=x&offset=-1"}, 400, "invalid_parameter", "offset"},
		{"offset too large", c, request{method: "GET", path: "/api/search?q=x&offset=10001"}, 400, "invalid_parameter", "offset"},
		{"offset not a number", c, request{method: "GET", path: "/api/search?q=x&offset=x"}, 400, "invalid_parameter", "offset"},
		{"unknown mode", c, request{method: "GET", path: "/api/search?q=x&mode=psychic"}, 400, "invalid_parameter", "mode"},
		{"unknown fusion", c, request{method: "GET", path: "/api/search?q=x&fusion=blend"}, 400, "invalid_parameter", "fusion"},
		{"alpha above 1", c, request{method: "GET", path: "/api/search?q=x&alpha=1.5"}, 400, "invalid_parameter", "alpha"},
		{"alpha below 0", c, request{method: "GET", path: "/api/search?q=x&alpha=-0.1"}, 400, "invalid_parameter", "alpha"},
		{"alpha NaN", c, request{method: "GET", path: "/api/search?q=x&alpha=NaN"}, 400, "invalid_parameter", "alpha"},
		{"alpha not a number", c, request{method: "GET", path: "/api/search?q=x&alpha=half"}, 400, "invalid_parameter", "alpha"},
		{"from malformed", c, request{method: "GET", path: "/api/search?q=x&from=yesterday"}, 400, "invalid_parameter", "from"},
		{"from month 13", c, request{method: "GET", path: "/api/search?q=x&from=2024-13"}, 400, "invalid_parameter", "from"},
		{"to February 30", c, request{method: "GET", path: "/api/search?q=x&to=2024-02-30"}, 400, "invalid_parameter", "to"},
		{"to before from", c, request{method: "GET", path: "/api/search?q=x&from=2024&to=2023"}, 400, "invalid_parameter", "before"},
		{"strict: unterminated quote", c, request{method: "GET", path: "/api/search?syntax=strict&q=%22sparse+models"}, 400, "bad_query", "quote is not closed"},
		{"strict: lone plus", c, request{method: "GET", path: "/api/search?syntax=strict&q=%2B"}, 400, "bad_query", "lone"},
		{"strict: unknown field", c, request{method: "GET", path: "/api/search?syntax=strict&q=venue%3Aneurips"}, 400, "bad_query", "venue is not a field"},
		{"strict: bad regexp", c, request{method: "GET", path: "/api/search?syntax=strict&q=%2F%5B%2F"}, 400, "bad_query", "regular expression"},
		{"strict: fuzziness over 2", c, request{method: "GET", path: "/api/search?syntax=strict&q=sparse~9"}, 400, "bad_query", "edits"},
		{"strict: fuzziness over 2, vector mode", c, request{method: "GET", path: "/api/search?syntax=strict&q=sparse~9&mode=vector"}, 400, "bad_query", "edits"},
		{"unknown syntax", c, request{method: "GET", path: "/api/search?syntax=loose&q=x"}, 400, "invalid_parameter", "syntax"},
		{"q over its limit", c, request{method: "GET", path: "/api/search?q=" + strings.Repeat("a", 300<<10)}, 400, "invalid_parameter", "q is 307200 bytes long; the limit is 8192 bytes"},
		{"q of many words over its limit", c, request{method: "GET", path: "/api/search?q=" + strings.Repeat("word+", 2000)}, 400, "invalid_parameter", "q is 10000 bytes"},
		{"malformed escape", c, request{method: "GET", path: "/api/search?q=%zz"}, 400, "invalid_parameter", "malformed"},
		{"too many parameters", c, request{method: "GET", path: "/api/search?q=x" + strings.Repeat("&a=1", 10_001)}, 400, "invalid_parameter", "too many parameters"},
		{"malformed escape on related", c, request{method: "GET", path: "/api/papers/x/related?limit=%G1"}, 400, "invalid_parameter", "malformed"},

		{"related unknown paper", c, request{method: "GET", path: "/api/papers/no-such-paper/related"}, 404, "not_found", "no-such-paper"},
		{"related bad limit", c, request{method: "GET", path: "/api/papers/x/related?limit=1000"}, 400, "invalid_parameter", "limit"},
		{"related bad mode", c, request{method: "GET", path: "/api/papers/x/related?mode=telepathy"}, 400, "invalid_parameter", "mode"},
		{"get unknown paper", c, request{method: "GET", path: "/api/papers/no-such-paper"}, 404, "not_found", "no-such-paper"},

		{"wrong method on search", c, request{method: "PUT", path: "/api/search"}, 405, "method_not_allowed", "PUT"},
		{"wrong method on stats", c, request{method: "DELETE", path: "/api/stats"}, 405, "method_not_allowed", ""},
		{"GET on the upsert route", c, request{method: "GET", path: "/api/papers"}, 405, "method_not_allowed", "POST"},
		{"GET on similar", c, request{method: "GET", path: "/api/similar"}, 405, "method_not_allowed", "POST"},
		{"PATCH on a paper", c, request{method: "PATCH", path: "/api/papers/x"}, 405, "method_not_allowed", ""},
		{"unknown API route", c, request{method: "GET", path: "/api/v2/search"}, 404, "not_found", "/api/v2/search"},
		{"API root", c, request{method: "GET", path: "/api"}, 404, "not_found", ""},
		{"no UI mounted", c, request{method: "GET", path: "/"}, 404, "not_found", ""},

		{"upsert body over the limit", c, request{method: "POST", path: "/api/papers", body: big, hdr: []string{"Content-Type", jsonCT, "Authorization", auth}}, 413, "payload_too_large", ""},
		{"upsert chunked body over the limit", c, request{method: "POST", path: "/api/papers", body: big, streamBody: true, hdr: []string{"Content-Type", jsonCT, "Authorization", auth}}, 413, "payload_too_large", ""},
		{"similar body over the limit", c, request{method: "POST", path: "/api/similar", body: `{"text": "` + strings.Repeat("a", 70<<10) + `"}`, streamBody: true, hdr: []string{"Content-Type", jsonCT}}, 413, "payload_too_large", ""},
		{"upsert as text/plain", c, request{method: "POST", path: "/api/papers", body: "[]", hdr: []string{"Content-Type", "text/plain", "Authorization", auth}}, 415, "unsupported_media_type", "application/x-ndjson"},
		{"upsert without a content type", c, request{method: "POST", path: "/api/papers", body: "[]", hdr: []string{"Authorization", auth}}, 415, "unsupported_media_type", ""},
		{"similar as a form", c, request{method: "POST", path: "/api/similar", body: "text=x", hdr: []string{"Content-Type", "application/x-www-form-urlencoded"}}, 415, "unsupported_media_type", ""},
		{"upsert invalid JSON", c, request{method: "POST", path: "/api/papers", body: "[\n  {\"title\": \"t\",\n   \"abstract\": oops}\n]", hdr: []string{"Content-Type", jsonCT, "Authorization", auth}}, 400, "bad_json", "line 3, column 16 (byte offset 34)"},
		{"upsert truncated JSON", c, request{method: "POST", path: "/api/papers", body: `[{"title": "t"`, hdr: []string{"Content-Type", jsonCT, "Authorization", auth}}, 400, "bad_json", "end of JSON input"},
		{"upsert an object", c, request{method: "POST", path: "/api/papers", body: `{"title": "t", "abstract": "a"}`, hdr: []string{"Content-Type", jsonCT, "Authorization", auth}}, 400, "bad_json", "array"},
		{"upsert a string", c, request{method: "POST", path: "/api/papers", body: `"papers"`, hdr: []string{"Content-Type", jsonCT, "Authorization", auth}}, 400, "bad_json", ""},
		{"upsert empty body", c, request{method: "POST", path: "/api/papers", hdr: []string{"Content-Type", ndjsonCT, "Authorization", auth}}, 400, "bad_json", "empty"},
		{"similar invalid JSON", c, request{method: "POST", path: "/api/similar", body: `{"text": }`, hdr: []string{"Content-Type", jsonCT}}, 400, "bad_json", "column 10"},
		{"similar trailing data", c, request{method: "POST", path: "/api/similar", body: `{"text": "x"} {}`, hdr: []string{"Content-Type", jsonCT}}, 400, "bad_json", "after the JSON value"},
		{"similar unknown field", c, request{method: "POST", path: "/api/similar", body: `{"txt": "x"}`, hdr: []string{"Content-Type", jsonCT}}, 400, "bad_json", `unknown field "txt"`},
		{"similar limit as a string", c, request{method: "POST", path: "/api/similar", body: `{"text": "x", "limit": "5"}`, hdr: []string{"Content-Type", jsonCT}}, 400, "bad_json", `field "limit"`},
		{"similar limit 0", c, request{method: "POST", path: "/api/similar", body: `{"text": "x", "limit": 0}`, hdr: []string{"Content-Type", jsonCT}}, 400, "invalid_parameter", "limit"},
		{"similar empty text", c, request{method: "POST", path: "/api/similar", body: `{"text": "  "}`, hdr: []string{"Content-Type", jsonCT}}, 400, "bad_query", "empty"},
		{"similar no text", c, request{method: "POST", path: "/api/similar", body: `{"limit": 3}`, hdr: []string{"Content-Type", jsonCT}}, 400, "bad_query", "empty"},
		{"similar bad date", c, request{method: "POST", path: "/api/similar", body: `{"text": "x", "from": "2024-1"}`, hdr: []string{"Content-Type", jsonCT}}, 400, "invalid_parameter", "from"},
		{"similar text over its limit", wide, request{method: "POST", path: "/api/similar", body: `{"text": "` + strings.Repeat("a ", 60_000) + `"}`, hdr: []string{"Content-Type", jsonCT}}, 400, "invalid_parameter", "text is 120000 bytes long; the limit is 100000 bytes"},

		{"upsert without a token", c, request{method: "POST", path: "/api/papers", body: "[]", hdr: []string{"Content-Type", jsonCT}}, 401, "unauthorized", "Bearer"},
		{"upsert with basic auth", c, request{method: "POST", path: "/api/papers", body: "[]", hdr: []string{"Content-Type", jsonCT, "Authorization", "Basic dXNlcjpwYXNz"}}, 401, "unauthorized", ""},
		{"upsert with a wrong token", c, request{method: "POST", path: "/api/papers", body: "[]", hdr: []string{"Content-Type", jsonCT, "Authorization", "Bearer " + testToken + "x"}}, 403, "forbidden", "wrong"},
		{"delete without a token", c, request{method: "DELETE", path: "/api/papers/x"}, 401, "unauthorized", ""},
		{"delete with a wrong token", c, request{method: "DELETE", path: "/api/papers/x", hdr: []string{"Authorization", "Bearer nope"}}, 403, "forbidden", ""},
		{"delete an unknown paper", c, request{method: "DELETE", path: "/api/papers/no-such-paper", hdr: []string{"Authorization", auth}}, 404, "not_found", ""},
		{"upsert with writes disabled", ro, request{method: "POST", path: "/api/papers", body: "[]", hdr: []string{"Content-Type", jsonCT, "Authorization", auth}}, 403, "forbidden", "--admin-token or KINDRED_ADMIN_TOKEN"},
		{"delete with writes disabled", ro, request{method: "DELETE", path: "/api/papers/x"}, 403, "forbidden", "KINDRED_ADMIN_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.req.body != "" {
				body = strings.NewReader(tt.req.body)
				if tt.req.streamBody {
					body = io.MultiReader(body) // hides the length: sent chunked
				}
			}
			r := tt.srv.do(tt.req.method, tt.req.path, body, tt.req.hdr...)
			if r.status != tt.status {
				t.Errorf("status %d, want %d; body %s", r.status, tt.status, r.body)
			}
			e := r.errorOf(t)
			if e.Error.Code != tt.code {
				t.Errorf("code %q, want %q (message %q)", e.Error.Code, tt.code, e.Error.Message)
			}
			if !strings.Contains(e.Error.Message, tt.inMsg) {
				t.Errorf("message %q lacks %q", e.Error.Message, tt.inMsg)
			}
			if r.status == http.StatusMethodNotAllowed && r.header.Get("Allow") == "" {
				t.Errorf("405 without an Allow header")
			}
			if r.status == http.StatusUnauthorized && r.header.Get("WWW-Authenticate") == "" {
				t.Errorf("401 without a WWW-Authenticate header")
			}
		})
	}
	// Nothing above may have written: the index holds the sample only.
	if n := ix.Count(); n != samplePapers {
		t.Errorf("after the bad requests the index holds %d papers, want %d", n, samplePapers)
	}
}

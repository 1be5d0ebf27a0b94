package api_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

// citePapers have every kind of identifier and the fields citations carry, with text that needs
// escaping in BibTeX.
func citePapers() []paper.Paper {
	ps := []paper.Paper{
		{ID: "2504.16081", ArxivID: "2504.16081", Title: "Sparse retrievers: 50% fewer & faster pruning", Abstract: "We prune sparse retrievers with $O(n \\log n)$ cost -- and keep {recall}.",
			Authors: []string{"Gül Öztürk", "Ada Lovelace"}, Categories: []string{"cs.IR", "cs.CL"}, Published: paper.Date{Year: 2025, Month: 4, Day: 22},
			URL: "https://arxiv.org/abs/2504.16081"},
		{ID: "10.1234/abc.5", DOI: "10.1234/abc.5", Title: "Pruning language models without retraining", Abstract: "We prune the weights of large language models without retraining them.",
			Authors: []string{"Jane Doe", "Ludwig van Beethoven"}, Venue: "ICML 2024", Published: paper.Date{Year: 2024, Month: 7}},
		{ID: "a1", DOI: "10.5555/own.1", Title: "Pruning strings with an ID of their own", Abstract: "Its DOI is not its ID, and pruning is its subject.",
			Authors: []string{"John Smith"}, Venue: "Journal of Pruning", Published: paper.Date{Year: 2019}},
		{ID: "a2", ArxivID: "hep-th/9901001", Title: "Strings in eleven dimensions", Abstract: "An old-style arXiv paper about strings and pruning.",
			Authors: []string{"Martin Luther King Jr."}, Categories: []string{"hep-th"}},
		{ID: "plain", Title: "Ångström-scale pruning of ribosomes", Abstract: "Ribosomes translate mRNA; we prune them.", Authors: []string{"Plato"}},
	}
	for i := range ps {
		ps[i].Normalize()
	}
	return ps
}

// openCite opens an index holding citePapers.
func openCite(t *testing.T) *index.Index {
	t.Helper()
	ix, err := index.Open(t.Context(), t.TempDir(), index.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Upsert(t.Context(), citePapers()...); err != nil {
		t.Fatal(err)
	}
	return ix
}

// citeFormats are the format parameter's citation values, with what they answer and the reader format
// that reads them back.
var citeFormats = []struct {
	name, mediaType, ext string
	read                 reader.Format
}{
	{"bibtex", "application/x-bibtex", ".bib", reader.FormatBibTeX},
	{"ris", "application/x-research-info-systems", ".ris", reader.FormatRIS},
	{"csl", "application/vnd.citationstyles.csl+json", ".json", reader.FormatCSL},
}

// cited is what a citation carries of a paper. The ID comes back by the readers' rule: the arXiv ID,
// else the DOI, else the paper's own ID.
type cited struct {
	ID, Title, Abstract string
	Authors             []string
	Published           paper.Date
	DOI, Venue, ArxivID string
	URL                 string
}

func citedOf(p paper.Paper) cited {
	id := p.ID
	switch {
	case p.ArxivID != "":
		id = p.ArxivID
	case p.DOI != "":
		id = p.DOI
	}
	return cited{id, p.Title, p.Abstract, p.Authors, p.Published, p.DOI, p.Venue, p.ArxivID, p.URL}
}

func citedAll(ps []paper.Paper) []cited {
	out := make([]cited, len(ps))
	for i, p := range ps {
		out[i] = citedOf(p)
	}
	return out
}

// readCitations reads a citation response back with package reader, checking its headers.
func readCitations(t *testing.T, r response, mediaType string, format reader.Format) []paper.Paper {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", r.status, r.body)
	}
	mt, params, err := mime.ParseMediaType(r.header.Get("Content-Type"))
	if err != nil || mt != mediaType || params["charset"] != "utf-8" {
		t.Errorf("Content-Type %q, want %s; charset=utf-8", r.header.Get("Content-Type"), mediaType)
	}
	if r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("no X-Content-Type-Options: nosniff")
	}
	var ps []paper.Paper
	var rejected []reader.Rejection
	err = reader.Read(t.Context(), bytes.NewReader(r.body), "response", reader.Options{Format: format},
		func(p paper.Paper) error { ps = append(ps, p); return nil },
		func(rj reader.Rejection) { rejected = append(rejected, rj) })
	if err != nil || len(rejected) > 0 {
		t.Fatalf("reading the %s response back: %v, rejected %v\n%s", format, err, rejected, r.body)
	}
	return ps
}

// TestLookupForms: the paper endpoints accept what people paste, escaped into the path.
func TestLookupForms(t *testing.T) {
	c := newServer(t, openCite(t), testOptions())
	for _, tc := range []struct{ ref, want string }{
		{"2504.16081", "2504.16081"},
		{"2504.16081v2", "2504.16081"},
		{"arXiv:2504.16081", "2504.16081"},
		{"https://arxiv.org/abs/2504.16081", "2504.16081"},
		{"https://arxiv.org/pdf/2504.16081v3.pdf", "2504.16081"},
		{"10.1234/abc.5", "10.1234/abc.5"},
		{"doi:10.1234/x", ""},
		{"doi:10.1234/ABC.5", "10.1234/abc.5"},
		{"https://doi.org/10.1234/ABC.5", "10.1234/abc.5"},
		{"https://doi.org/10.5555/own.1", "a1"},
		{"hep-th/9901001", "a2"},
		{"arXiv:hep-th/9901001v2", "a2"},
		{"plain", "plain"},
		{"2504.99999", ""},
		{"https://example.com/2504.16081", ""},
	} {
		path := "/api/papers/" + url.PathEscape(tc.ref)
		r := c.get(path)
		if tc.want == "" {
			if r.status != http.StatusNotFound || r.errorOf(t).Error.Code != "not_found" {
				t.Errorf("GET %s: status %d, want 404 not_found: %s", path, r.status, r.body)
			}
			if rr := c.get(path + "/related"); rr.status != http.StatusNotFound {
				t.Errorf("GET %s/related: status %d, want 404", path, rr.status)
			}
			continue
		}
		var p paper.Paper
		r.decode(t, http.StatusOK, &p)
		if p.ID != tc.want {
			t.Errorf("GET %s: paper %q, want %q", path, p.ID, tc.want)
		}
		var rel searchResponse
		c.get(path+"/related?limit=3").decode(t, http.StatusOK, &rel)
		if rel.ID != tc.want || slices.Contains(rel.ids(), tc.want) {
			t.Errorf("GET %s/related: id %q, results %v; want id %q, without itself", path, rel.ID, rel.ids(), tc.want)
		}
	}
}

// TestPaperFormats: GET /api/papers/{id}?format= answers a citation that reads back to the paper.
func TestPaperFormats(t *testing.T) {
	c := newServer(t, openCite(t), testOptions())
	keys := map[string]string{"2504.16081": "ozturk2025sparse", "10.1234/abc.5": "doe2024pruning", "a1": "smith2019pruning",
		"a2": "kingstrings", "plain": "platoangstrom"}
	for _, want := range citePapers() {
		for _, f := range citeFormats {
			path := "/api/papers/" + url.PathEscape(want.ID) + "?format=" + f.name
			r := c.get(path)
			got := readCitations(t, r, f.mediaType, f.read)
			if diff := cmp.Diff([]cited{citedOf(want)}, citedAll(got)); diff != "" {
				t.Errorf("GET %s: round trip (-paper +read back):\n%s\n%s", path, diff, r.body)
			}
			if cd, wantCD := r.header.Get("Content-Disposition"), `inline; filename="`+keys[want.ID]+f.ext+`"`; cd != wantCD {
				t.Errorf("GET %s: Content-Disposition %q, want %q", path, cd, wantCD)
			}
			// The ID the citation comes back with names the same paper.
			if len(got) == 1 {
				var p paper.Paper
				c.get("/api/papers/"+url.PathEscape(got[0].ID)).decode(t, http.StatusOK, &p)
				if p.ID != want.ID {
					t.Errorf("GET %s: the read-back ID %q names paper %q", path, got[0].ID, p.ID)
				}
			}
		}
	}
}

// resultsPapers decodes a JSON page of results into its papers.
func resultsPapers(t *testing.T, r response) []paper.Paper {
	t.Helper()
	var res struct {
		Results []struct {
			Paper paper.Paper `json:"paper"`
		} `json:"results"`
	}
	r.decode(t, http.StatusOK, &res)
	out := make([]paper.Paper, len(res.Results))
	for i, x := range res.Results {
		out[i] = x.Paper
	}
	return out
}

// TestResultFormats: search and related with format answer the page of results as citations, in
// rank order, that read back to the papers of the JSON page.
func TestResultFormats(t *testing.T) {
	c := newServer(t, openCite(t), testOptions())
	for _, path := range []string{
		"/api/search?q=pruning&limit=4",
		"/api/search?q=pruning&mode=keyword&offset=1",
		"/api/search?q=nothingmatchesthis",
		"/api/papers/" + url.PathEscape("https://doi.org/10.1234/abc.5") + "/related?limit=3",
		"/api/papers/a2/related?mode=vector",
	} {
		want := resultsPapers(t, c.get(path))
		if len(want) == 0 && !strings.Contains(path, "nothing") {
			t.Fatalf("GET %s: no results", path)
		}
		for _, f := range citeFormats {
			r := c.get(path + "&format=" + f.name)
			got := readCitations(t, r, f.mediaType, f.read)
			if diff := cmp.Diff(citedAll(want), citedAll(got)); diff != "" {
				t.Errorf("GET %s&format=%s (-JSON results +read back):\n%s", path, f.name, diff)
			}
			if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `inline; filename="kindred-`) || !strings.HasSuffix(cd, f.ext+`"`) {
				t.Errorf("GET %s&format=%s: Content-Disposition %q", path, f.name, cd)
			}
		}
		var res searchResponse
		c.get(path+"&format=json").decode(t, http.StatusOK, &res)
		if len(res.Results) != len(want) {
			t.Errorf("GET %s&format=json: %d results, want %d as without format", path, len(res.Results), len(want))
		}
	}
}

// TestExportSearchBibTeX is the whole path: papers posted as JSON, a search exported as BibTeX, the
// BibTeX read back with the reader, the same IDs, titles and DOIs as the search's JSON.
func TestExportSearchBibTeX(t *testing.T) {
	ix, err := index.Open(t.Context(), t.TempDir(), index.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	c := newServer(t, ix, testOptions())
	batch, err := json.Marshal(citePapers())
	if err != nil {
		t.Fatal(err)
	}
	var up upsertResponse
	c.post("/api/papers", "application/json", string(batch)).decode(t, http.StatusOK, &up)
	if up.Accepted != len(citePapers()) {
		t.Fatalf("upsert: %+v", up)
	}
	type idTitleDOI struct{ ID, Title, DOI string }
	var want []idTitleDOI
	for _, p := range resultsPapers(t, c.get("/api/search?q=pruning")) {
		want = append(want, idTitleDOI{citedOf(p).ID, p.Title, p.DOI})
	}
	if len(want) < 4 {
		t.Fatalf("search found %d papers, want at least 4", len(want))
	}
	var got []idTitleDOI
	for _, p := range readCitations(t, c.get("/api/search?q=pruning&format=bibtex"), "application/x-bibtex", reader.FormatBibTeX) {
		got = append(got, idTitleDOI{p.ID, p.Title, p.DOI})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("search exported as BibTeX and read back (-search +read back):\n%s", diff)
	}
}

// TestUnknownFormat: every endpoint that takes format refuses an unknown one, naming the parameter.
func TestUnknownFormat(t *testing.T) {
	c := newServer(t, openCite(t), testOptions())
	for _, r := range []response{
		c.get("/api/papers/a1?format=xml"),
		c.get("/api/papers/a1?format=BibTeX"),
		c.get("/api/search?q=pruning&format=endnote"),
		c.get("/api/papers/a1/related?format=text"),
		c.post("/api/export", "application/json", `{"ids": ["a1"], "format": "xml"}`),
	} {
		e := r.errorOf(t)
		if r.status != http.StatusBadRequest || e.Error.Code != "invalid_parameter" || !strings.HasPrefix(e.Error.Message, "format must be json, bibtex, ris or csl") {
			t.Errorf("status %d, error %+v; want 400 invalid_parameter about format", r.status, e.Error)
		}
	}
}

func TestExport(t *testing.T) {
	c := newServer(t, openCite(t), testOptions())
	byID := map[string]paper.Paper{}
	for _, p := range citePapers() {
		byID[p.ID] = p
	}
	refs := []string{"https://doi.org/10.5555/own.1", "nope, not here", "2504.16081v2", "arXiv:2504.16081", "plain", "10.9999/%missing", "Ünknown"}
	wantPapers := []paper.Paper{byID["a1"], byID["2504.16081"], byID["plain"]}
	body, _ := json.Marshal(map[string]any{"ids": refs, "format": "bibtex"})

	t.Run("formats", func(t *testing.T) {
		for _, f := range citeFormats {
			body, _ := json.Marshal(map[string]any{"ids": refs, "format": f.name})
			r := c.post("/api/export", "application/json", string(body))
			got := readCitations(t, r, f.mediaType, f.read)
			if diff := cmp.Diff(citedAll(wantPapers), citedAll(got)); diff != "" {
				t.Errorf("%s: (-want +got):\n%s", f.name, diff)
			}
			if cd := r.header.Get("Content-Disposition"); cd != `inline; filename="kindred-export`+f.ext+`"` {
				t.Errorf("%s: Content-Disposition %q", f.name, cd)
			}
			if got, want := r.header.Get("X-Kindred-Missing"), "nope%2C%20not%20here,10.9999/%25missing,%C3%9Cnknown"; got != want {
				t.Errorf("%s: X-Kindred-Missing %q, want %q", f.name, got, want)
			}
			if got := r.header.Get("X-Kindred-Missing-Count"); got != "3" {
				t.Errorf("%s: X-Kindred-Missing-Count %q, want 3", f.name, got)
			}
		}
	})
	t.Run("missing decodes", func(t *testing.T) {
		r := c.post("/api/export", "application/json", string(body))
		var got []string
		for _, m := range strings.Split(r.header.Get("X-Kindred-Missing"), ",") {
			u, err := url.PathUnescape(m)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, u)
		}
		if diff := cmp.Diff([]string{"nope, not here", "10.9999/%missing", "Ünknown"}, got); diff != "" {
			t.Errorf("decoded X-Kindred-Missing (-want +got):\n%s", diff)
		}
	})
	t.Run("default format and json", func(t *testing.T) {
		r := c.post("/api/export", "application/json", `{"ids": ["a2"]}`)
		if got := readCitations(t, r, "application/x-bibtex", reader.FormatBibTeX); len(got) != 1 || got[0].ArxivID != "hep-th/9901001" {
			t.Errorf("default format: %v", got)
		}
		if r.header.Get("X-Kindred-Missing") != "" || r.header.Get("X-Kindred-Missing-Count") != "" {
			t.Errorf("missing headers without missing papers: %v", r.header)
		}
		var ps []paper.Paper
		r = c.post("/api/export", "application/json", `{"ids": ["a2", "zzz", "hep-th/9901001"], "format": "json"}`)
		r.decode(t, http.StatusOK, &ps)
		if len(ps) != 1 || ps[0].ID != "a2" || r.header.Get("X-Kindred-Missing") != "zzz" {
			t.Errorf("json: %v, missing %q", ps, r.header.Get("X-Kindred-Missing"))
		}
		r = c.post("/api/export", "application/json", `{"ids": ["zzz"], "format": "json"}`)
		if r.status != http.StatusOK || strings.TrimSpace(string(r.body)) != "[]" {
			t.Errorf("json, nothing found: %d %s", r.status, r.body)
		}
		r = c.post("/api/export", "application/json", `{"ids": ["zzz"], "format": "bibtex"}`)
		if r.status != http.StatusOK || len(r.body) != 0 || r.header.Get("X-Kindred-Missing-Count") != "1" {
			t.Errorf("bibtex, nothing found: %d %q %v", r.status, r.body, r.header)
		}
	})
	t.Run("gzip", func(t *testing.T) {
		o := testOptions()
		o.GzipMinBytes = 100
		c := newServer(t, openCite(t), o)
		r := c.do(http.MethodPost, "/api/export", strings.NewReader(string(body)), "Content-Type", "application/json", "Accept-Encoding", "gzip")
		if r.header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("a %d-byte export is not compressed", len(r.body))
		}
		zr, err := gzip.NewReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || !bytes.HasPrefix(plain, []byte("@article{smith2019pruning,")) {
			t.Errorf("decompressed export: %v %.60q", err, plain)
		}
	})
	t.Run("limits", func(t *testing.T) {
		many := make([]string, 1001)
		for i := range many {
			many[i] = "id" + strconv.Itoa(i)
		}
		big, _ := json.Marshal(map[string]any{"ids": many})
		ok, _ := json.Marshal(map[string]any{"ids": many[:1000]})
		for _, tc := range []struct {
			name, contentType, body string
			status                  int
			code, message           string
		}{
			{"1000 references", "application/json", string(ok), 200, "", ""},
			{"1001 references", "application/json", string(big), 400, "invalid_parameter", "ids has 1001 references, at most 1000"},
			{"no ids", "application/json", `{"format": "ris"}`, 400, "invalid_parameter", "ids is empty"},
			{"empty ids", "application/json", `{"ids": []}`, 400, "invalid_parameter", "ids is empty"},
			{"a blank reference", "application/json", `{"ids": ["a1", " "]}`, 400, "invalid_parameter", "ids[1]"},
			{"a huge reference", "application/json", `{"ids": ["` + strings.Repeat("x", 1025) + `"]}`, 400, "invalid_parameter", "ids[0]"},
			{"an unknown field", "application/json", `{"ids": ["a1"], "style": "apa"}`, 400, "bad_json", "style"},
			{"ids not strings", "application/json", `{"ids": [1, 2]}`, 400, "bad_json", ""},
			{"not JSON", "application/x-bibtex", `@misc{x}`, 415, "unsupported_media_type", ""},
		} {
			r := c.post("/api/export", tc.contentType, tc.body)
			if r.status != tc.status {
				t.Errorf("%s: status %d, want %d: %.200s", tc.name, r.status, tc.status, r.body)
				continue
			}
			if tc.status == 200 {
				if n := r.header.Get("X-Kindred-Missing-Count"); n != "1000" || len(strings.Split(r.header.Get("X-Kindred-Missing"), ",")) != 100 {
					t.Errorf("%s: missing count %q, %d listed; want 1000, 100 listed", tc.name, n, len(strings.Split(r.header.Get("X-Kindred-Missing"), ",")))
				}
				continue
			}
			if e := r.errorOf(t); e.Error.Code != tc.code || !strings.Contains(e.Error.Message, tc.message) {
				t.Errorf("%s: error %+v, want %s containing %q", tc.name, e.Error, tc.code, tc.message)
			}
		}
	})
}

// TestExportNeedsNoToken: exporting reads only, so it works with writes disabled.
func TestExportNeedsNoToken(t *testing.T) {
	o := testOptions()
	o.AdminToken = ""
	c := newServer(t, openCite(t), o)
	r := c.do(http.MethodPost, "/api/export", strings.NewReader(`{"ids": ["a1"]}`), "Content-Type", "application/json")
	if r.status != http.StatusOK {
		t.Errorf("status %d: %s", r.status, r.body)
	}
}

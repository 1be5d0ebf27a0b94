package ui

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
)

// shared is the UI over one index of the sample corpus plus extraPapers, built on first use in a
// directory TestMain removes. The tests that use it only read.
func shared(t testing.TB) http.Handler {
	t.Helper()
	h, err := sharedHandler()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

var (
	sharedDir     string // set by TestMain
	sharedIndex   *index.Index
	sharedHandler = sync.OnceValues(func() (http.Handler, error) {
		ix, err := buildIndex(context.Background(), sharedDir)
		if err != nil {
			return nil, err
		}
		sharedIndex = ix
		return New(ix, quietOptions(nil))
	})
)

// sharedCore is the index behind shared, for tests that build their own handler over it.
func sharedCore(t testing.TB) Core {
	t.Helper()
	shared(t)
	return sharedIndex
}

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "kindred-ui-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sharedDir = dir
	code := m.Run()
	if sharedIndex != nil {
		if err := sharedIndex.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "close shared index:", err)
			code = 1
		}
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestStatusCodes(t *testing.T) {
	h := shared(t)
	long := strings.Repeat("a", MaxSimilarLen+1)
	tests := []struct {
		name, method, target string
		want                 int
		contains             string
	}{
		{"home", "GET", "/", 200, "Search research papers"},
		{"home head", "HEAD", "/", 200, ""},
		{"home knows its index", "GET", "/", 200, `<strong>72</strong> papers</a>, published from Dec 2001 to Oct 2025.`},
		{"home years", "GET", "/", 200, `<a href="/search?q=%2A&amp;from=2024&amp;to=2024" aria-label="2024: 20 papers">`},
		{"home categories", "GET", "/", 200, `<a class="facet" href="/search?q=categories%3A%22cs.LG%22"><span class="f-label">cs.LG</span><span class="f-count">6</span></a>`},
		{"search", "GET", "/search?q=sparse+attention", 200, `<li class="result">`},
		{"empty query is the home page", "GET", "/search?q=+", 200, "Search research papers"},
		{"keyword mode", "GET", "/search?q=pruning&mode=keyword", 200, "· keyword ·"},
		{"vector mode", "GET", "/search?q=pruning&mode=vector", 200, "· vector ·"},
		{"semantic is the old name of vector", "GET", "/search?q=pruning&mode=semantic", 200, `value="vector" checked`},
		{"category filter", "GET", "/search?q=attention&category=cs.CL", 200, `<li class="result">`},
		{"date filter", "GET", "/search?q=attention&from=2024&to=2024-06", 200, "1 May 2024"},
		{"no results", "GET", "/search?q=zzzqqxyzzy&mode=keyword", 200, "No papers match"},
		{"unclosed quote is searched", "GET", "/search?q=%22unclosed", 200, "a quote is not closed"},
		{"unknown field is searched", "GET", "/search?q=foo%3Abar", 200, "foo is not a field"},
		{"bad mode", "GET", "/search?q=a&mode=fast", 400, "is not a ranking mode"},
		{"bad from date", "GET", "/search?q=a&from=2024-13", 400, "is not a real date"},
		{"bad to format", "GET", "/search?q=a&to=24%2F1%2F2024", 400, "YYYY, YYYY-MM or YYYY-MM-DD"},
		{"to before from", "GET", "/search?q=attention&from=2024&to=2020", 400, "The “to” date is before the “from” date."},
		{"bad page", "GET", "/search?q=a&page=0", 400, "not a whole number"},
		{"page past the limit", "GET", "/search?q=a&page=5000", 400, "first 10010 results only"},
		{"page past the end", "GET", "/search?q=sparse+attention&page=40", 404, "Go to the first page"},
		{"query too long", "GET", "/search?q=" + strings.Repeat("a", MaxQueryLen+1), 400, "the limit is 1000 bytes"},
		{"sort newest", "GET", "/search?q=diffusion&sort=newest", 200, `<strong aria-current="true">Newest first</strong>`},
		{"sort relevance", "GET", "/search?q=diffusion&sort=relevance", 200, `<strong aria-current="true">Relevance</strong>`},
		{"bad sort", "GET", "/search?q=a&sort=oldest", 400, "“oldest” is not an order"},
		{"facets", "GET", "/search?q=diffusion", 200, `<span class="f-label">cs.LG</span><span class="f-count">5</span>`},
		{"author match", "GET", "/search?q=jos%C3%A9+m%C3%BCller", 200, `<a href="/author?name=jos%C3%A9&#43;m%C3%BCller">Papers by josé müller (4)</a>`},
		{"did you mean", "GET", "/search?q=difusion+guidanse&mode=keyword", 200, `Did you mean <a href="/search?q=diffusion&#43;guidance&amp;mode=keyword">diffusion guidance</a>?`},
		{"author page", "GET", "/author?name=Jose+Muller", 200, "<h1>José Müller</h1>"},
		{"author page folds case and accents", "GET", "/author?name=JOS%C3%89+M%C3%9CLLER", 200, `<span class="f-label">Wen Li</span><span class="f-count">3</span>`},
		{"author page lists papers", "GET", "/author?name=Priya+Raman", 200, "Guided diffusion models for image editing"},
		{"unknown author", "GET", "/author?name=Nobody+Here", 404, "No papers by this author"},
		{"no author name", "GET", "/author", 400, "names no author"},
		{"author bad page", "GET", "/author?name=Wen+Li&page=0", 400, "not one of this author"},
		{"author page past the end", "GET", "/author?name=Wen+Li&page=2", 404, "No papers on this page"},
		{"paper", "GET", "/paper/2401.01234", 200, "State space models for dense passage retrieval"},
		{"paper with slash", "GET", "/paper/cs/0112017", 200, "https://arxiv.org/abs/cs/0112017"},
		{"paper with escaped slash", "GET", "/paper/cs%2F0112017", 200, "Statistical language modeling"},
		{"paper by query", "GET", "/paper?id=" + url.QueryEscape("odd/../id"), 200, "Identifiers with dot segments"},
		{"hostile paper", "GET", paperURL(hostileID), 200, "Ada Lovelace"},
		{"unknown paper", "GET", "/paper/9999.99999", 404, "Paper not found"},
		{"no paper id", "GET", "/paper/", 404, "names no paper"},
		{"paper map", "GET", "/paper/2402.00001", 200, `<a class="node hop1 `},
		{"paper map list", "GET", "/paper/2402.00001", 200, `papers on the map, as a list`},
		{"paper venue, DOI and source", "GET", "/paper/2402.00001", 200, `<dd class="venue">ICML 2024</dd>`},
		{"paper DOI link", "GET", "/paper/2402.00001", 200, `<a class="doi" href="https://doi.org/10.5555/diff.1" rel="noopener noreferrer">10.5555/diff.1</a>`},
		{"paper read from", "GET", "/paper/2402.00001", 200, `<dd class="from">arXiv metadata</dd>`},
		{"paper cite", "GET", "/paper/2402.00001", 200, `<a href="/cite?id=2402.00001&amp;format=ris" download>Download</a>`},
		{"paper save button", "GET", "/paper/2402.00001", 200, `<button type="button" class="save" data-id="2402.00001" data-title="Denoising diffusion models for protein backbones" aria-pressed="false" hidden>Save</button>`},
		{"empty list", "GET", "/list", 200, "Your reading list is empty"},
		{"list", "GET", "/list?ids=2402.00001,nope,2301.00003", 200, `1 saved paper is not in this index: <code>nope</code>`},
		{"list links", "GET", "/list?ids=2402.00001,2301.00003", 200, `<a class="button more" href="/recommend?positive=2402.00001,2301.00003">More like these</a>`},
		{"list of nothing here", "GET", "/list?ids=nope", 200, "None of these papers is in this index"},
		{"recommend", "GET", "/recommend?positive=2402.00001,2301.00003", 200, "Discrete diffusion models for text"},
		{"recommend from missing papers", "GET", "/recommend?positive=nope", 404, "None of these papers is in this index"},
		{"recommend from nothing", "GET", "/recommend", 400, "The list is empty"},
		{"cite unknown paper", "GET", "/cite?id=nope", 404, "Paper not found"},
		{"cite unknown format", "GET", "/cite?id=2402.00001&format=xml", 400, "Unknown citation format"},
		{"export nothing", "GET", "/list/export?format=bibtex", 400, "The list is empty"},
		{"similar form", "GET", "/similar", 200, "Find papers like this text"},
		{"similar", "GET", "/similar?text=" + url.QueryEscape("pruning large language models with little data"), 200, `class="shared"`},
		{"similar empty", "GET", "/similar?text=+", 400, "There is no text to compare"},
		{"similar too long", "GET", "/similar?text=" + long, 400, "The text is too long"},
		{"unknown page", "GET", "/nowhere", 404, "Page not found"},
		{"css", "GET", "/static/style.css", 200, "--accent"},
		{"js", "GET", "/static/app.js", 200, "use strict"},
		{"favicon", "GET", "/static/favicon.svg", 200, "<svg"},
		{"missing asset", "GET", "/static/nope.css", 404, ""},
		{"asset directory listing", "GET", "/static/", 404, ""},
		{"post", "POST", "/search?q=a", 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, h, tt.method, tt.target)
			if res.StatusCode != tt.want {
				t.Errorf("%s %s: status %d, want %d", tt.method, tt.target, res.StatusCode, tt.want)
			}
			if !strings.Contains(body, tt.contains) {
				t.Errorf("%s %s: body lacks %q:\n%s", tt.method, tt.target, tt.contains, clipBody(body))
			}
			if tt.method == "HEAD" && body != "" {
				t.Errorf("HEAD %s: body of %d bytes", tt.target, len(body))
			}
			if ct := res.Header.Get("Content-Type"); tt.want != 405 && !strings.HasPrefix(tt.target, "/static/") && ct != "text/html; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", tt.target, ct)
			}
		})
	}
}

func clipBody(s string) string {
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	return clip(s, 1500)
}

func TestSecurityHeaders(t *testing.T) {
	h := shared(t)
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"X-Frame-Options":         "DENY",
	}
	for _, target := range []string{"/", "/search?q=attention", "/search?q=%22", "/paper/cs/0112017", "/paper/nope", "/similar", "/static/style.css", "/nowhere"} {
		for _, method := range []string{"GET", "POST"} {
			res, _ := get(t, h, method, target)
			got := map[string]string{}
			for k := range want {
				got[k] = res.Header.Get(k)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s %s: headers (-want +got):\n%s", method, target, diff)
			}
		}
	}
}

// TestHostileEscaped checks the HTML bytes of every page that shows the hostile paper: its markup is
// text, its URL is not a link, and the only script is ours.
func TestHostileEscaped(t *testing.T) {
	h := shared(t)
	pages := []string{
		"/", // the hostile category is a top category
		"/search?q=sparse+attention",
		"/search?q=alert&mode=keyword",
		"/search?q=onerror&mode=semantic",
		"/search?q=attention&category=" + url.QueryEscape("<b>cs.XX</b>"),
		paperURL(hostileID),
		"/paper/cs/0112017", // related to the hostile paper
		"/similar?text=" + url.QueryEscape("sparse attention <script>alert(1)</script> onerror"),
		"/search?q=" + url.QueryEscape(`"><script>alert(9)</script>`),
		authorURL(`<script>alert(6)</script>`, 1),
		"/author?name=Ada+Lovelace", // the hostile name is a co-author
		"/search?q=" + url.QueryEscape(`<script>alert(6)</script>`),
		"/search?q=attention&sort=newest", // the hostile category is a facet
		"/list?ids=" + idsParam([]string{hostileID, "cs/0112017"}),
		"/recommend?positive=" + idsParam([]string{hostileID}),
	}
	forbidden := []string{"<script>alert", "<img src=x", "<svg/onload", "<b>", `href="javascript:`, "</mark><b>", "{{.Title}}x"}
	for _, target := range pages {
		res, body := get(t, h, "GET", target)
		if res.StatusCode >= 500 {
			t.Errorf("%s: status %d", target, res.StatusCode)
		}
		for _, f := range forbidden {
			if strings.Contains(body, f) {
				t.Errorf("%s: page contains %q unescaped", target, f)
			}
		}
		if n := strings.Count(body, "<script"); n != 1 {
			t.Errorf("%s: %d script elements, want 1 (app.js)", target, n)
		}
		if n := strings.Count(body, "<img"); n != 1 {
			t.Errorf("%s: %d img elements, want 1 (the logo)", target, n)
		}
		// Any <mark> that is there came from Bleve's escaped fragments: between marks, only text.
		for _, m := range regexp.MustCompile(`<mark>([^<]*)</mark>`).FindAllStringSubmatch(body, -1) {
			if strings.ContainsAny(m[1], `<>"`) {
				t.Errorf("%s: unescaped text inside a mark: %q", target, m[0])
			}
		}
	}

	_, body := get(t, h, "GET", paperURL(hostileID))
	for _, want := range []string{
		"Sparse attention &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quoted&#34; &lt;img src=x onerror=alert(2)&gt; tricks",
		"&lt;/mark&gt;&lt;b&gt;bold&lt;/b&gt;",
		`">&lt;script&gt;alert(6)&lt;/script&gt;</a>, <a href="/author?name=Ada&#43;Lovelace">Ada Lovelace</a>`,
		`<span class="cat">&lt;b&gt;cs.XX&lt;/b&gt;</span>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("hostile paper page lacks the escaped %q", want)
		}
	}
	// The javascript: URL is no link; only the BibTeX entry, as text, holds it.
	if outside := regexp.MustCompile(`(?s)<pre class="citation"[^>]*>.*?</pre>`).ReplaceAllString(body, ""); strings.Contains(outside, "alert(4)") {
		t.Error("hostile paper page shows its javascript: URL outside its citation")
	}
}

func TestPagination(t *testing.T) {
	h := shared(t)
	const q = "/search?q=learning"
	seen := map[string]int{}
	var last int
	for page := 1; ; page++ {
		target := q
		if page > 1 {
			target = fmt.Sprintf("%s&page=%d", q, page)
		}
		res, body := get(t, h, "GET", target)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", target, res.StatusCode)
		}
		for _, m := range regexp.MustCompile(`<h2 class="r-title"><a href="([^"]+)"`).FindAllStringSubmatch(body, -1) {
			if p, dup := seen[m[1]]; dup {
				t.Errorf("page %d repeats %s from page %d", page, m[1], p)
			}
			seen[m[1]] = page
		}
		if !strings.Contains(body, fmt.Sprintf(`<ol class="results" start="%d">`, (page-1)*10+1)) {
			t.Errorf("page %d: list does not start at %d", page, (page-1)*10+1)
		}
		hasPrev := strings.Contains(body, `rel="prev"`)
		hasNext := strings.Contains(body, `rel="next"`)
		if hasPrev != (page > 1) {
			t.Errorf("page %d: prev link %v", page, hasPrev)
		}
		if page == 2 && !strings.Contains(body, `href="/search?q=learning" rel="prev"`) {
			t.Errorf("page 2: the previous page's link is not the canonical first page")
		}
		if !strings.Contains(body, fmt.Sprintf(`aria-current="page">%d</a>`, page)) {
			t.Errorf("page %d: not marked current", page)
		}
		if !hasNext {
			last = page
			if n := countResults(body); n < 1 || n > 10 {
				t.Errorf("last page has %d results", n)
			}
			break
		}
		if n := countResults(body); n != 10 {
			t.Errorf("page %d has %d results, want 10", page, n)
		}
		if page > 20 {
			t.Fatal("no last page after 20")
		}
	}
	if last < 3 {
		t.Errorf("only %d pages for %q; want a query with several", last, q)
	}
	if len(seen) < (last-1)*10+1 {
		t.Errorf("%d distinct results over %d pages", len(seen), last)
	}
}

// TestSearchURL: page links carry the whole state, in the form's order, defaults left out.
func TestSearchURL(t *testing.T) {
	f := searchForm{Q: "a b", Mode: "keyword", From: "2020", To: "2024-06", Category: "cs.CL,cs.LG"}
	if got, want := f.url(3), "/search?q=a+b&mode=keyword&from=2020&to=2024-06&category=cs.CL%2Ccs.LG&page=3"; got != want {
		t.Errorf("url(3) = %q, want %q", got, want)
	}
	if got, want := (searchForm{Q: "x", Mode: "hybrid"}).url(1), "/search?q=x"; got != want {
		t.Errorf("url(1) = %q, want %q", got, want)
	}
}

func TestBadInputStates(t *testing.T) {
	h := shared(t)
	tests := []struct {
		name, target string
		want         []string
	}{
		{"odd syntax is searched around, with a note", "/search?q=%22sparse+attention", []string{
			"Note: a quote is not closed; its words were searched as words.", `value="&#34;sparse attention"`, `class="results"`}},
		{"bad dates explain the format and keep the input", "/search?q=a&from=2024-1-5&to=nope", []string{
			"The “from” date “2024-1-5” is not in a format Kindred reads: it wants YYYY, YYYY-MM or YYYY-MM-DD.",
			"The “to” date “nope” is not in a format",
			"for example 2023 or 2023-06-30",
			`id="from" name="from" value="2024-1-5"`, `<details class="filters" open>`}},
		{"impossible date", "/search?q=a&from=2023-02-30", []string{"“2023-02-30” is not a real date (day 30 out of range for 2023-02)"}},
		{"every bad field is reported", "/search?q=a&mode=x&page=-1&from=1", []string{"not a ranking mode", "not a whole number", "“from” date"}},
		{"unknown paper", "/paper/nope/nope", []string{"Error 404", "No paper in this index has that ID."}},
		{"empty similar text", "/similar?text=", []string{"There is no text to compare", `aria-invalid="true"`}},
		{"no results suggests what to try", "/search?q=zzzqqxyzzy+%2Bfoo&mode=keyword&category=cs.XX", []string{
			"Search again without the date and category filters", "Search for the words only: zzzqqxyzzy foo"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := get(t, h, "GET", tt.target)
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: body lacks %q:\n%s", tt.target, w, clipBody(body))
				}
			}
		})
	}
}

// TestStaticCaching: a versioned asset URL is cached for good; a bare one briefly.
func TestStaticCaching(t *testing.T) {
	h := shared(t)
	_, home := get(t, h, "GET", "/")
	m := regexp.MustCompile(`href="(/static/style\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(home)
	if m == nil {
		t.Fatal("home page links no versioned stylesheet")
	}
	res, _ := get(t, h, "GET", m[1])
	if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("versioned: Cache-Control %q", got)
	}
	if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/css") {
		t.Errorf("Content-Type %q", got)
	}
	res, _ = get(t, h, "GET", "/static/style.css?v=old")
	if got := res.Header.Get("Cache-Control"); got != "public, max-age=300" {
		t.Errorf("stale version: Cache-Control %q", got)
	}
}

// fakeCore answers every call with err, or with res.
type fakeCore struct {
	res index.Response
	p   paper.Paper
	err error
}

func (f fakeCore) Search(context.Context, index.Request) (index.Response, error) { return f.res, f.err }
func (f fakeCore) Get(context.Context, string) (paper.Paper, error)              { return f.p, f.err }
func (f fakeCore) Related(context.Context, string, index.RelatedRequest) (index.Response, error) {
	return f.res, f.err
}
func (f fakeCore) Similar(context.Context, string, index.RelatedRequest) (index.Response, error) {
	return f.res, f.err
}
func (f fakeCore) Author(context.Context, string, index.Ranking) (index.AuthorProfile, error) {
	return index.AuthorProfile{Name: f.p.Title, Papers: len(f.res.Results), Results: f.res.Results}, f.err
}
func (f fakeCore) Lookup(context.Context, ...string) ([]paper.Paper, []string, error) {
	return []paper.Paper{f.p}, nil, f.err
}
func (f fakeCore) Recommend(context.Context, index.RecommendRequest) (index.Response, error) {
	return f.res, f.err
}
func (f fakeCore) Overview() index.Overview { return index.Overview{Papers: len(f.res.Results)} }

func TestEngineErrors(t *testing.T) {
	secret := errors.New("disk /var/secret/x is on fire")
	tests := []struct {
		name   string
		err    error
		target string
		want   int
		body   string
		logged bool
	}{
		{"internal search error", secret, "/search?q=a", 500, "Something went wrong", true},
		{"internal paper error", secret, "/paper/x", 500, "Something went wrong", true},
		{"internal similar error", secret, "/similar?text=a", 500, "Something went wrong", true},
		{"damaged index", fmt.Errorf("%w: vectors file", index.ErrDamaged), "/search?q=a", 500, "Something went wrong", true},
		{"closed", index.ErrClosed, "/search?q=a", 503, "shutting down", false},
		{"not found", fmt.Errorf("%w: %q", index.ErrNotFound, "x"), "/paper/x", 404, "Paper not found", false},
		{"bad request", fmt.Errorf("%w: limit must be between 1 and 100", index.ErrBadRequest), "/search?q=a", 400, "Limit must be between 1 and 100.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			h, err := New(fakeCore{err: tt.err}, quietOptions(&log))
			if err != nil {
				t.Fatal(err)
			}
			res, body := get(t, h, "GET", tt.target)
			if res.StatusCode != tt.want {
				t.Errorf("status %d, want %d", res.StatusCode, tt.want)
			}
			if !strings.Contains(body, tt.body) {
				t.Errorf("body lacks %q", tt.body)
			}
			if strings.Contains(body, "secret") || strings.Contains(body, "vectors file") {
				t.Error("internal error text reached the page")
			}
			if got := strings.Contains(log.String(), "ui: internal error"); got != tt.logged {
				t.Errorf("logged = %v, want %v: %s", got, tt.logged, log.String())
			}
		})
	}
}

// TestRelatedFailure: the paper page still shows the paper when its related list fails.
func TestRelatedFailure(t *testing.T) {
	core := relatedFails{fakeCore{p: paper.Paper{ID: "x", Title: "A title", Abstract: "An abstract."}}}
	h, err := New(core, quietOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	res, body := get(t, h, "GET", "/paper/x")
	if res.StatusCode != 200 || !strings.Contains(body, "A title") || !strings.Contains(body, "related papers could not be loaded") {
		t.Errorf("status %d, body:\n%s", res.StatusCode, clipBody(body))
	}
}

// TestMapFailure: the paper page still shows the related list when the map's second hop fails.
func TestMapFailure(t *testing.T) {
	var log bytes.Buffer
	h, err := New(mapFails{sharedCore(t)}, quietOptions(&log))
	if err != nil {
		t.Fatal(err)
	}
	res, body := get(t, h, "GET", "/paper/2402.00001")
	if res.StatusCode != 200 || !strings.Contains(body, "map of related papers could not be drawn") || !strings.Contains(body, `class="results related-list"`) {
		t.Errorf("status %d, body:\n%s", res.StatusCode, clipBody(body))
	}
	if !strings.Contains(log.String(), "second hop down") {
		t.Errorf("the map's error was not logged: %s", log.String())
	}
}

type mapFails struct{ Core }

func (m mapFails) Related(ctx context.Context, id string, req index.RelatedRequest) (index.Response, error) {
	if req.IDsOnly {
		return index.Response{}, errors.New("second hop down")
	}
	return m.Core.Related(ctx, id, req)
}

type relatedFails struct{ fakeCore }

func (relatedFails) Related(context.Context, string, index.RelatedRequest) (index.Response, error) {
	return index.Response{}, errors.New("boom")
}

func TestClientGone(t *testing.T) {
	var log bytes.Buffer
	h, err := New(fakeCore{err: context.Canceled}, quietOptions(&log))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, "GET", "/search?q=a", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Body.Len() != 0 || log.Len() != 0 {
		t.Errorf("cancelled request wrote %d bytes and logged %q", rec.Body.Len(), log.String())
	}
}

// TestSample: an index of the built-in sample says so on the home page and in the header.
func TestSample(t *testing.T) {
	opts := quietOptions(nil)
	opts.Sample = true
	h, err := New(sharedCore(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/", "/search?q=attention", "/paper/2401.01234"} {
		_, body := get(t, h, "GET", target)
		if !strings.Contains(body, `<span class="sample-badge"`) {
			t.Errorf("%s does not say the index is the built-in sample", target)
		}
	}
	if _, body := get(t, h, "GET", "/"); !strings.Contains(body, "This is the built-in sample:</strong> 72 abstracts") {
		t.Errorf("home page lacks the sample note:\n%s", clipBody(body))
	}
	if _, body := get(t, shared(t), "GET", "/"); strings.Contains(body, "built-in sample") {
		t.Error("an index that is not the sample says it is")
	}
}

func TestNewOptions(t *testing.T) {
	if _, err := New(nil, DefaultOptions()); err == nil {
		t.Error("New(nil) succeeded")
	}
	if _, err := New(fakeCore{}, Options{PageSize: index.MaxLimit + 1}); err == nil {
		t.Error("PageSize over the limit accepted")
	}
	if _, err := New(fakeCore{}, Options{}); err != nil {
		t.Errorf("zero Options: %v", err)
	}
}

package ui

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestTotalStable pages through searches and checks that the count the page shows does not move
// from page to page, and that the pager ends where the count says.
func TestTotalStable(t *testing.T) {
	h := shared(t)
	countRE := regexp.MustCompile(`Results <strong>(\d+)–(\d+)</strong> of (about )?(\d+)`)
	for _, q := range []string{
		"/search?q=learning",
		"/search?q=learning&mode=keyword",
		"/search?q=learning&mode=vector",
		"/search?q=learning&sort=newest",
		"/search?q=models+training&category=cs.LG",
	} {
		t.Run(q, func(t *testing.T) {
			var total string
			for page := 1; ; page++ {
				target := q
				if page > 1 {
					target = fmt.Sprintf("%s&page=%d", q, page)
				}
				res, body := get(t, h, "GET", target)
				m := countRE.FindStringSubmatch(body)
				if res.StatusCode != 200 || m == nil {
					t.Fatalf("%s: status %d, no count:\n%s", target, res.StatusCode, clipBody(body))
				}
				if page == 1 {
					total = m[3] + m[4]
				} else if got := m[3] + m[4]; got != total {
					t.Errorf("page %d says %q papers, page 1 said %q", page, got, total)
				}
				if first := fmt.Sprint((page-1)*10 + 1); m[1] != first {
					t.Errorf("page %d starts at %s, want %s", page, m[1], first)
				}
				if !strings.Contains(body, `rel="next"`) {
					// The count is of the papers with the query's words; the vector side ranks the
					// neighbours it finds, which can be fewer, never more.
					end, n := atoi(t, m[2]), atoi(t, m[4])
					if m[3] == "" && (end > n || end < n && !strings.Contains(q, "mode=vector")) {
						t.Errorf("the last page (%d) ends at %d, but the count is %d", page, end, n)
					}
					break
				}
				if page > 20 {
					t.Fatal("no last page after 20")
				}
			}
		})
	}
}

// TestAside checks the links beside the results: each applies one choice to the same search, and
// the current one removes it.
func TestAside(t *testing.T) {
	opts := quietOptions(nil)
	opts.Now = func() time.Time { return time.Date(2024, 5, 10, 15, 4, 0, 0, time.UTC) }
	h, err := New(sharedCore(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, target string
		want         []string
	}{
		{"sort links keep the query", "/search?q=attention&mode=keyword", []string{
			`<a href="/search?q=attention&amp;mode=keyword&amp;sort=newest">Newest first</a>`,
			`<strong aria-current="true">Relevance</strong>`}},
		{"date shortcuts count back from today", "/search?q=attention", []string{
			`<a class="facet" href="/search?q=attention&amp;from=2024-05-03&amp;to=2024-05-10"><span class="f-label">Last 7 days</span></a>`,
			`href="/search?q=attention&amp;from=2024-04-10&amp;to=2024-05-10"`,
			`href="/search?q=attention&amp;from=2023-05-11&amp;to=2024-05-10"`}},
		{"a current shortcut removes itself", "/search?q=attention&from=2024-05-03&to=2024-05-10", []string{
			`<a class="facet current" href="/search?q=attention" aria-current="true" title="Remove this filter"><span class="f-label">Last 7 days</span>`}},
		{"years filter to the year", "/search?q=diffusion", []string{
			`<a class="facet" href="/search?q=diffusion&amp;from=2024&amp;to=2024"><span class="f-label">2024</span><span class="f-count">`}},
		{"categories filter to the category", "/search?q=diffusion", []string{
			`<a class="facet" href="/search?q=diffusion&amp;category=cs.LG"><span class="f-label">cs.LG</span><span class="f-count">5</span></a>`}},
		{"a current category removes itself, and the sort is kept", "/search?q=diffusion&category=cs.LG&sort=newest", []string{
			`<a class="facet current" href="/search?q=diffusion&amp;sort=newest" aria-current="true"`,
			`<input type="hidden" name="sort" value="newest">`,
			`<a class="clear" href="/search?q=diffusion&amp;sort=newest">`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := get(t, h, "GET", tt.target)
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: body lacks %s\n%s", tt.target, w, asideOf(body))
				}
			}
		})
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func asideOf(body string) string {
	if i := strings.Index(body, `<aside`); i >= 0 {
		if j := strings.Index(body[i:], "</aside>"); j >= 0 {
			return body[i : i+j]
		}
	}
	return clipBody(body)
}

// TestSortNewest: newest first is in date order, and lists the same papers as relevance.
func TestSortNewest(t *testing.T) {
	h := shared(t)
	dateRE := regexp.MustCompile(`<time datetime="([0-9-]+)">`)
	hrefRE := regexp.MustCompile(`<h2 class="r-title"><a href="([^"]+)"`)
	_, newest := get(t, h, "GET", "/search?q=diffusion+models&sort=newest")
	_, relevance := get(t, h, "GET", "/search?q=diffusion+models")
	var dates []string
	for _, m := range dateRE.FindAllStringSubmatch(newest, -1) {
		dates = append(dates, m[1])
	}
	if len(dates) < 5 || !slices.IsSortedFunc(dates, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("dates not newest first: %v", dates)
	}
	if countResults(newest) != countResults(relevance) || len(hrefRE.FindAllString(newest, -1)) == 0 {
		t.Errorf("newest lists %d results, relevance %d", countResults(newest), countResults(relevance))
	}
}

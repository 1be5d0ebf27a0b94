package ui

import (
	"context"
	"flag"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the README's screenshots to testdata/screenshot-*.png")

// chromePath finds the browser: $CHROME_PATH, else /usr/bin/chromium, else chromium on PATH. Without
// one the test skips, except under CI=true, where a missing browser is a failure.
func chromePath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium found: install the chromium package or set CHROME_PATH")
	}
	t.Skip("no Chromium found (install the chromium package or set CHROME_PATH); skipping the browser test")
	return ""
}

// artifactDir is where screenshots go: $KINDRED_ARTIFACTS, else a temporary directory.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("KINDRED_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Pages the test loads for their error status: a search with a syntax error (an unterminated
// quote), and a paper that does not exist.
const (
	badQueryPath = "/search?q=%22sparse+attention"
	notFoundID   = "2999.99999"
)

// browser drives one headless Chromium tab against the UI, failing the test on any JavaScript dialog
// and on any console error (a CSP violation is one).
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string

	// mu guards dialogs and consoleErrors, which event goroutines append to.
	mu            sync.Mutex
	dialogs       []string
	consoleErrors []string
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	exe := chromePath(t)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // containers have a small /dev/shm
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(acancel)
	tctx, tcancel := chromedp.NewContext(actx)
	t.Cleanup(tcancel)

	b := &browser{t: t, ctx: tctx, base: base, shots: artifactDir(t)}
	err := chromedp.Listen(tctx, func(ev any) {
		if ev, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			b.mu.Lock()
			b.dialogs = append(b.dialogs, ev.Message)
			b.mu.Unlock()
			// A dialog blocks the page; close it from another goroutine (Listen's func must not
			// run commands).
			go chromedp.Call(tctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	messages := chromedp.Console(tctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// A page the test loads to see an error status logs that status; anything else,
			// a missing asset or a CSP violation, is a failure.
			if (m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException) &&
				!(m.Source == "network" && (strings.HasSuffix(m.URL, badQueryPath) || strings.HasSuffix(m.URL, notFoundID))) {
				b.mu.Lock()
				b.consoleErrors = append(b.consoleErrors, m.Text+" ("+m.URL+")")
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// do runs actions, failing the test with what was being done.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// check fails the test unless the JavaScript expression is true.
func (b *browser) check(what, expr string) {
	b.t.Helper()
	if !eval[bool](b, expr) {
		b.t.Errorf("%s: %s is false on %s", what, expr, eval[string](b, "location.href"))
	}
}

// waitFor waits until the expression is true on a fully loaded page.
// It evaluates from Go in a loop rather than with chromedp.Poll, whose in-page polling fails when
// the page it runs in navigates away, which is what a click on a link or a submit does.
func (b *browser) waitFor(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		var ok bool
		ok, err = chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && (`+expr+`)`))
		if err == nil && ok {
			return
		}
		if b.ctx.Err() != nil {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	b.t.Fatalf("%s: waited 10s for %s on %s (last error: %v)", what, expr, eval[string](b, "location.href"), err)
}

// click clicks the element the CSS selector finds, from the page's script. (chromedp.Click works on
// its own copy of the DOM, which goes stale when a page returns from the back/forward cache.)
func (b *browser) click(sel string) {
	b.t.Helper()
	if !eval[bool](b, `(el => el ? (el.click(), true) : false)(document.querySelector(`+"`"+sel+"`"+`))`) {
		b.t.Fatalf("click: no %s on %s", sel, eval[string](b, "location.href"))
	}
}

// mouseClick clicks the middle of the element the CSS selector finds with the mouse, as a reader
// does: for SVG links, which have no click method.
func (b *browser) mouseClick(sel string) {
	b.t.Helper()
	xy := eval[[]float64](b, `(el => { el.scrollIntoView({block: "center"}); const r = el.getBoundingClientRect(); return [r.x + r.width/2, r.y + r.height/2]; })(document.querySelector(`+"`"+sel+"`"+`))`)
	b.do("click "+sel, chromedp.MouseClickXY(xy[0], xy[1]))
}

// back is the browser's back button. (chromedp.NavigateBack waits for a load event, which a page
// restored from the back/forward cache never fires.) The caller waits for the page it expects.
func (b *browser) back() {
	b.t.Helper()
	eval[bool](b, `history.back(), true`)
	time.Sleep(50 * time.Millisecond)
}

// shot saves a screenshot of the viewport as name.png in the artifact directory and returns it.
func (b *browser) shot(name string) []byte {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	return png
}

func (b *browser) noDialogsOrErrors() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.dialogs) > 0 {
		b.t.Errorf("JavaScript dialogs opened: %q", b.dialogs)
	}
	if len(b.consoleErrors) > 0 {
		b.t.Errorf("console errors: %q", b.consoleErrors)
	}
}

// TestBrowser drives the real UI over a real index in headless Chromium.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is not short")
	}
	start := time.Now()
	srv := httptest.NewServer(newHandler(t, testIndex(t)))
	defer srv.Close()
	b := newBrowser(t, srv.URL)

	// Home: the search box has the focus.
	b.do("open home", chromedp.EmulateViewport(1200, 800), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#q")))
	b.check("autofocus", `document.activeElement.id === "q"`)
	b.check("examples listed", `document.querySelectorAll(".examples li a").length >= 3`)
	b.shot("home")

	// Type a query and submit with Enter.
	b.do("type a query", chromedp.SendKeys(chromedp.CSS("#q"), "sparse attention"+kb.Enter))
	b.waitFor("results", `location.pathname === "/search" && document.querySelector("ol.results") !== null`)
	b.check("query in URL", `new URL(location.href).searchParams.get("q") === "sparse attention"`)
	b.check("query kept in box", `document.querySelector("#q").value === "sparse attention"`)
	b.check("ten results", `document.querySelectorAll("li.result").length === 10`)
	b.check("highlights", `document.querySelectorAll("li.result mark").length >= 5`)
	b.check("score bars", `document.querySelectorAll("li.result .split svg rect.kw").length === 10`)
	b.check("bar explained", `document.querySelector("li.result .split").title.includes("of the fused score")`)
	b.check("pager", `document.querySelector("nav.pager a[rel=next]") !== null`)
	b.shot("search")

	// Another search, then back.
	b.do("another search", chromedp.Navigate(srv.URL+"/search?q=pruning+language+models"))
	b.waitFor("its results", `document.querySelectorAll("li.result").length === 10`)
	b.back()
	b.waitFor("back to the first search", `new URL(location.href).searchParams.get("q") === "sparse attention"`)

	// The second page continues the numbering.
	b.click("nav.pager a[rel=next]")
	b.waitFor("page 2", `new URL(location.href).searchParams.get("page") === "2"`)
	b.check("page 2 starts at 11", `document.querySelector("ol.results").start === 11`)
	b.back()
	b.waitFor("page 1 again", `!new URL(location.href).searchParams.has("page") && document.querySelector("ol.results") !== null`)

	// Open the first result; its page shows the same title and a related list with shared terms.
	title := eval[string](b, `document.querySelector("li.result .r-title a").textContent`)
	b.click("li.result .r-title a")
	b.waitFor("paper page", `location.pathname.startsWith("/paper/") && document.querySelector("article.paper h1") !== null`)
	if got := eval[string](b, `document.querySelector("article.paper h1").textContent`); got != title {
		t.Errorf("paper page title = %q, want the result's %q", got, title)
	}
	b.check("related papers", `document.querySelectorAll(".related-list li.result").length >= 5`)
	b.check("shared terms", `document.querySelectorAll(".related-list .shared .term").length >= 5`)
	b.shot("paper")

	// "/" focuses the header's search box.
	b.do("press /", chromedp.KeyEvent("/"))
	b.check(`"/" focuses search`, `document.activeElement.id === "q"`)

	// The back button returns to the results with the form as it was.
	b.back()
	b.waitFor("results again", `location.pathname === "/search" && document.querySelector("ol.results") !== null`)
	b.check("query restored", `document.querySelector("#q").value === "sparse attention"`)

	// The mode switch works from the keyboard: Tab past the button to the ranking radios, then an
	// arrow key picks the next mode, which re-runs the search (script) with the same query.
	eval[bool](b, `document.querySelector("#q").focus(), true`)
	b.do("tab to the modes", chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab))
	b.check("focus on the mode switch", `document.activeElement.name === "mode" && document.activeElement.value === "hybrid"`)
	b.do("arrow to keyword", chromedp.KeyEvent(kb.ArrowRight))
	b.waitFor("keyword results", `new URL(location.href).searchParams.get("mode") === "keyword"`)
	b.check("keyword checked", `document.querySelector("#mode-keyword").checked`)
	b.check("summary names the mode", `document.querySelector(".summary .took").textContent.includes("keyword")`)
	b.check("keyword bars are all keyword", `[...document.querySelectorAll("li.result rect.vec")].every(r => r.getAttribute("width") === "0")`)
	b.click(`label[for="mode-vector"]`)
	b.waitFor("vector results", `new URL(location.href).searchParams.get("mode") === "vector"`)
	b.check("vector results", `document.querySelectorAll("li.result").length === 10`)

	// Filters: a category and a start date. Empty fields stay out of the URL.
	b.click(".filters summary")
	b.do("fill filters", chromedp.SendKeys(chromedp.CSS("#category"), "cs.CL"),
		chromedp.SendKeys(chromedp.CSS("#from"), "2000"))
	b.click(`label[for="mode-hybrid"]`)
	b.waitFor("hybrid again", `!new URL(location.href).searchParams.has("mode")`)
	b.check("filters in URL", `new URL(location.href).searchParams.get("category") === "cs.CL" && new URL(location.href).searchParams.get("from") === "2000"`)
	b.check("empty filter left out", `!new URL(location.href).searchParams.has("to")`)
	b.check("filters shown open", `document.querySelector("details.filters").open`)
	b.check("filtered results", `document.querySelectorAll("li.result").length >= 2`)
	b.check("all in cs.CL", `[...document.querySelectorAll("li.result")].every(li => [...li.querySelectorAll(".cat")].some(c => c.textContent === "cs.CL"))`)
	b.shot("filtered")

	// The hostile paper: its page shows the markup as text and runs none of it.
	b.click(`li.result a[href^="/paper/evil/"]`)
	b.waitFor("hostile page", `document.querySelector("article.paper h1") !== null`)
	b.check("script shown as text", `document.querySelector("article.paper h1").textContent.includes("<script>alert(1)</script>")`)
	b.check("img shown as text", `document.querySelector("article.paper .abstract").textContent.includes("<img src=x onerror=alert(2)>")`)
	b.check("author shown as text", `document.querySelector(".byline").textContent.includes("<script>alert(6)</script>")`)
	b.check("no injected img", `document.querySelectorAll('img[src="x"], img[onerror], svg[onload]').length === 0`)
	b.check("only our script", `document.scripts.length === 1 && document.scripts[0].src.includes("/static/app.js")`)
	b.check("no javascript: link", `document.querySelector('a[href^="javascript:"]') === null`)
	b.check("id shown as text", `document.querySelector("code.id").textContent === `+"`"+hostileID+"`")
	b.do("let handlers run", chromedp.Sleep(300*time.Millisecond))
	b.shot("hostile")

	// Back keeps the filters, and the fields the script disabled are enabled again.
	b.back()
	b.waitFor("filtered again", `new URL(location.href).searchParams.get("category") === "cs.CL" && document.querySelector("ol.results") !== null`)
	b.check("category restored", `document.querySelector("#category").value === "cs.CL"`)
	b.check("no disabled fields", `document.querySelectorAll("form.search input:disabled").length === 0`)

	// A paper whose ID has a slash, by its arXiv-style URL, links to arXiv.
	b.do("open cs/0112017", chromedp.Navigate(srv.URL+"/paper/cs/0112017"))
	b.waitFor("arXiv paper", `document.querySelector("article.paper h1") !== null`)
	b.check("arXiv link", `document.querySelector("a.source").href === "https://arxiv.org/abs/cs/0112017"`)

	// Similar text.
	b.do("open similar", chromedp.Navigate(srv.URL+"/similar"), chromedp.WaitVisible(chromedp.CSS("#text")))
	b.do("paste text", chromedp.SendKeys(chromedp.CSS("#text"),
		"We prune large language models after training and recover their accuracy with a small amount of selected data."))
	b.click(".similar-form button")
	b.waitFor("similar results", `location.pathname === "/similar" && document.querySelectorAll("li.result").length > 0`)
	b.check("similar shared terms", `document.querySelectorAll("li.result .shared .term").length >= 3`)
	b.check("text kept", `document.querySelector("#text").value.startsWith("We prune")`)
	b.shot("similar")

	// Text that is not valid syntax is searched around, and a note says how.
	b.do("odd query", chromedp.Navigate(srv.URL+badQueryPath))
	b.waitFor("note", `document.querySelector(".query-note") !== null`)
	b.check("odd query still searched", `document.querySelectorAll("li.result").length > 0`)
	b.check("note says what happened", `document.querySelector(".query-note").textContent.includes("quote is not closed")`)
	b.shot("query-note")

	// An unknown paper is a 404 page that says so.
	b.do("unknown paper", chromedp.Navigate(srv.URL+"/paper/"+notFoundID))
	b.waitFor("404 page", `document.querySelector(".error-page h1") !== null`)
	b.check("404 says what happened", `document.querySelector(".error-page").textContent.includes("No paper in this index has that ID")`)
	b.shot("not-found")

	// Phone width: nothing wider than the screen.
	b.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(srv.URL+"/search?q=sparse+attention"))
	b.waitFor("phone results", `document.querySelector("ol.results") !== null`)
	b.check("no sideways scroll", `document.documentElement.scrollWidth <= window.innerWidth`)
	b.shot("search-phone")
	b.do("phone paper", chromedp.Navigate(srv.URL+"/paper/2401.01234"))
	b.waitFor("phone paper page", `document.querySelector("article.paper h1") !== null`)
	b.check("no sideways scroll on paper", `document.documentElement.scrollWidth <= window.innerWidth`)
	b.shot("paper-phone")

	// Dark mode keeps its contrast (looked at in the screenshot).
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	}); err != nil {
		t.Fatal(err)
	}
	b.do("dark", chromedp.Navigate(srv.URL+"/search?q=sparse+attention"))
	b.waitFor("dark results", `document.querySelector("ol.results") !== null`)
	b.check("dark background", `getComputedStyle(document.body).backgroundColor === "rgb(18, 19, 24)"`)
	b.shot("search-phone-dark")

	b.noDialogsOrErrors()
	t.Logf("browser test took %s; screenshots in %s", time.Since(start).Round(time.Millisecond), b.shots)
}

package ui

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// readmeMapPaper is a paper of the built-in sample whose map the README shows.
const readmeMapPaper = "t-42fc79cff657c85c" // "Vector representations of text data in deep learning"

// researchNow is the clock of TestBrowserResearcher: the "last 30 days" reach back to 19 Feb 2024.
var researchNow = time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC)

// TestBrowserResearcher drives what a researcher does on the first day in headless Chromium: the home
// page's overview, facets, sorting and date shortcuts, did-you-mean, author pages, the map of related
// papers with the keyboard, citations, and a reading list with export and "more like these".
func TestBrowserResearcher(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is not short")
	}
	opts := quietOptions(nil)
	opts.Now = func() time.Time { return researchNow }
	opts.Sample = true
	h, err := New(testIndex(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	b := newBrowser(t, srv.URL)
	// The page counts as focused (for :focus styles), and may use the clipboard.
	if _, err := chromedp.Call(b.ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	for _, perm := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(b.ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: perm}, Setting: "granted", Origin: srv.URL,
		}); err != nil {
			t.Fatal(err)
		}
	}
	param := func(k string) string { return `new URL(location.href).searchParams.get("` + k + `")` }

	// Home: what the index holds, the sample said as such, the years as links.
	b.do("home", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/"))
	b.waitFor("overview", `document.querySelector("#overview .stats") !== null`)
	b.check("paper count", `document.querySelector("#overview .stats").textContent.includes("72 papers")`)
	b.check("sample note", `document.querySelector("#sample-note").textContent.includes("built-in sample")`)
	b.check("sample badge", `document.querySelector(".sample-badge") !== null`)
	b.check("year bars", `document.querySelectorAll(".years-chart a").length >= 5`)
	b.mouseClick(`.years-chart a[aria-label^="2023:"]`)
	b.waitFor("a year's papers", param("from")+` === "2023" && `+param("to")+` === "2023" && document.querySelector("ol.results") !== null`)
	b.check("all from 2023", `[...document.querySelectorAll("li.result time")].every(t => t.dateTime.startsWith("2023"))`)

	// Facets beside the results: a category link filters, and removes itself when current.
	b.do("search diffusion", chromedp.Navigate(srv.URL+"/search?q=diffusion+models"))
	b.waitFor("results", `document.querySelector("aside.refine") !== null`)
	b.check("category counts", `[...document.querySelectorAll(".cats a.facet")].some(a => a.textContent.startsWith("cs.LG"))`)
	b.check("year counts", `document.querySelectorAll(".years a.facet .f-count").length >= 3`)
	b.shot("facets")
	b.click(`.cats a.facet[href*="category=cs.LG"]`)
	b.waitFor("cs.LG only", param("category")+` === "cs.LG" && document.querySelector("ol.results") !== null`)
	b.check("all in cs.LG", `[...document.querySelectorAll("li.result")].every(li => [...li.querySelectorAll(".cat")].some(c => c.textContent === "cs.LG"))`)
	b.check("facet marked current", `document.querySelector(".cats a.facet.current[aria-current]") !== null`)

	// Newest first, kept when the ranking mode changes.
	b.click(`.choices a[href*="sort=newest"]`)
	b.waitFor("newest", param("sort")+` === "newest" && document.querySelector("ol.results") !== null`)
	b.check("dates descend", `(d => d.every((x, i) => i === 0 || d[i-1] >= x))([...document.querySelectorAll("li.result time")].map(t => t.dateTime))`)
	b.click(`label[for="mode-keyword"]`)
	b.waitFor("keyword, still newest", param("mode")+` === "keyword" && `+param("sort")+` === "newest"`)
	b.check("filter kept", param("category")+` === "cs.LG"`)

	// Date shortcuts count back from today.
	b.do("search attention", chromedp.Navigate(srv.URL+"/search?q=diffusion"))
	b.waitFor("results", `document.querySelector(".recent a.facet") !== null`)
	b.click(`.recent a.facet[href*="from=2024-02-19"]`)
	b.waitFor("last 30 days", param("from")+` === "2024-02-19" && `+param("to")+` === "2024-03-20"`)
	b.check("only recent papers", `[...document.querySelectorAll("li.result time")].every(t => t.dateTime >= "2024-02-19" && t.dateTime <= "2024-03-20") && document.querySelectorAll("li.result").length >= 1`)

	// The count stays as the pages turn.
	b.do("learning", chromedp.Navigate(srv.URL+"/search?q=learning"))
	b.waitFor("page 1", `document.querySelector("nav.pager a[rel=next]") !== null`)
	total := eval[string](b, `document.querySelector("#results-h").textContent.match(/of (about )?\d+/)[0]`)
	b.click("nav.pager a[rel=next]")
	b.waitFor("page 2", param("page")+` === "2"`)
	if got := eval[string](b, `document.querySelector("#results-h").textContent.match(/of (about )?\d+/)[0]`); got != total {
		t.Errorf("page 2 says %q, page 1 said %q", got, total)
	}

	// Did you mean.
	b.do("misspelt", chromedp.Navigate(srv.URL+"/search?q=difusion+guidanse"))
	b.waitFor("suggestion", `document.querySelector("#suggestion a") !== null`)
	b.click("#suggestion a")
	b.waitFor("corrected", param("q")+` === "diffusion guidance" && document.querySelectorAll("li.result").length > 0`)

	// A query that is an author's name links to the author's page; names link there too.
	b.do("author query", chromedp.Navigate(srv.URL+"/search?q="+strings.ReplaceAll("Jose Muller", " ", "+")))
	b.waitFor("author match", `document.querySelector(".author-match a") !== null`)
	b.check("papers by", `document.querySelector(".author-match a").textContent === "Papers by Jose Muller (4)"`)
	b.click(".author-match a")
	b.waitFor("author page", `location.pathname === "/author" && document.querySelector(".author-head h1") !== null`)
	b.check("canonical spelling", `document.querySelector(".author-head h1").textContent === "José Müller"`)
	b.check("four papers, newest first", `(d => d.length === 4 && d.every((x, i) => i === 0 || d[i-1] >= x))([...document.querySelectorAll("li.result time")].map(t => t.dateTime))`)
	b.check("terms", `[...document.querySelectorAll(".author-terms a.term")].some(a => a.textContent === "diffusion")`)
	b.shot("author")
	b.click(`.coauthors a.facet[href*="Wen"]`)
	b.waitFor("co-author page", `document.querySelector(".author-head h1") !== null && document.querySelector(".author-head h1").textContent === "Wen Li"`)
	b.click(`li.result .authors a[href*="Priya"]`)
	b.waitFor("author from a result", `document.querySelector(".author-head h1") !== null && document.querySelector(".author-head h1").textContent === "Priya Raman"`)

	// The paper page: venue, DOI, source format, the map.
	b.do("paper", chromedp.Navigate(srv.URL+"/paper/2402.00001"))
	b.waitFor("paper page", `document.querySelector("svg.map-svg") !== null`)
	b.check("venue", `document.querySelector("dd.venue").textContent === "ICML 2024"`)
	b.check("doi link", `document.querySelector("a.doi").href === "https://doi.org/10.5555/diff.1"`)
	b.check("read from", `document.querySelector("dd.from").textContent === "arXiv metadata"`)
	b.check("map nodes", `document.querySelectorAll("svg.map-svg a.node").length >= 8`)
	b.check("map edges", `document.querySelectorAll("svg.map-svg .edges line").length >= 8`)
	b.check("node titles", `[...document.querySelectorAll("svg.map-svg a.node")].every(a => a.querySelector("title").textContent.length > 0 && a.getAttribute("aria-label").length > 0)`)
	b.check("map list", `document.querySelectorAll(".map-list li a").length === document.querySelectorAll("svg.map-svg a.node").length`)
	b.check("no sideways scroll", `document.documentElement.scrollWidth <= window.innerWidth`)

	// The map works from the keyboard: Tab from the Cite control reaches the first node, whose title
	// shows; Tab again the next; Enter opens it.
	eval[bool](b, `document.querySelector("details.cite > summary").focus(), true`)
	b.do("tab into the map", chromedp.KeyEvent(kb.Tab))
	b.check("first node focused", `document.activeElement === document.querySelector("svg.map-svg a.node")`)
	b.check("label shown on focus", `getComputedStyle(document.activeElement.querySelector(".label")).visibility === "visible"`)
	b.check("other labels hidden", `getComputedStyle(document.querySelectorAll("svg.map-svg a.node")[1].querySelector(".label")).visibility === "hidden"`)
	eval[bool](b, `document.querySelector("svg.map-svg").scrollIntoView({block: "center"}), true`)
	b.shot("map")
	b.do("tab to the second node", chromedp.KeyEvent(kb.Tab))
	second := eval[string](b, `document.activeElement.getAttribute("href")`)
	b.check("second node focused", `document.activeElement === document.querySelectorAll("svg.map-svg a.node")[1]`)
	b.do("open it", chromedp.KeyEvent(kb.Enter))
	b.waitFor("the node's paper", `location.pathname === "`+second+`" && document.querySelector("article.paper h1") !== null`)

	// Cite: downloads work as links, and Copy puts the citation on the clipboard.
	b.do("paper again", chromedp.Navigate(srv.URL+"/paper/2402.00001"))
	b.waitFor("cite", `document.querySelector("details.cite") !== null`)
	b.click("details.cite > summary")
	b.check("BibTeX shown", `document.querySelector("pre.citation").textContent.startsWith("@article{muller2024denoising,")`)
	b.check("copy buttons shown", `[...document.querySelectorAll("button.copy")].every(x => !x.hidden)`)
	b.check("three downloads", `document.querySelectorAll(".cite-formats a[download]").length === 3`)
	b.checkAsync("RIS download", `fetch(document.querySelectorAll(".cite-formats a[download]")[1].href).then(r => r.text()).then(t => t.startsWith("TY  - JOUR"))`)
	b.click(`button.copy[data-copy-url*="format=bibtex"]`)
	b.waitFor("copied", `document.querySelector(".copy-status").textContent === "BibTeX copied to the clipboard."`)
	b.checkAsync("clipboard holds BibTeX", `navigator.clipboard.readText().then(t => t.startsWith("@article{muller2024denoising,"))`)

	// The reading list: save two papers from a results page, open the list, export, more like these.
	b.do("results to save", chromedp.Navigate(srv.URL+"/search?q=diffusion+models"))
	b.waitFor("save buttons", `document.querySelectorAll("button.save:not([hidden])").length >= 2`)
	first := eval[string](b, `document.querySelectorAll("li.result button.save")[0].dataset.id`)
	secondID := eval[string](b, `document.querySelectorAll("li.result button.save")[1].dataset.id`)
	b.click(`li.result:nth-child(1) button.save`)
	b.click(`li.result:nth-child(2) button.save`)
	b.check("saved", `[...document.querySelectorAll("li.result button.save")].slice(0, 2).every(x => x.getAttribute("aria-pressed") === "true" && x.textContent === "Saved")`)
	b.check("count in the nav", `document.querySelector(".list-count").textContent === " (2)"`)
	b.do("paper of a saved one", chromedp.Navigate(srv.URL+paperURL(first)))
	b.waitFor("saved on its page", `document.querySelector(".actions button.save[aria-pressed=true]") !== null`)
	b.click(`.site-nav a[href="/list"]`)
	b.waitFor("the list", `location.pathname === "/list" && document.querySelectorAll("ol.reading-list li.result").length === 2`)
	b.check("ids in the address", param("ids")+` === "`+first+`,`+secondID+`"`)
	b.shot("list")
	b.checkAsync("export as BibTeX", `fetch(document.querySelector('.export a[data-format="bibtex"]').href).then(r => r.text()).then(t => (t.match(/^@/gm) || []).length === 2)`)
	b.click("a.more")
	b.waitFor("more like these", `location.pathname === "/recommend" && document.querySelectorAll("li.result").length > 0`)
	b.check("seeds listed", `document.querySelectorAll(".seeds li a").length === 2`)
	b.check("no seed among them", `[...document.querySelectorAll("li.result button.save")].every(x => x.dataset.id !== "`+first+`" && x.dataset.id !== "`+secondID+`")`)
	b.check("shared terms", `document.querySelectorAll("li.result .shared .term").length > 0`)
	b.back()
	b.waitFor("the list again", `document.querySelectorAll("ol.reading-list li.result").length === 2`)
	b.click(`ol.reading-list li.result:nth-child(1) button.save`)
	b.waitFor("one left", `document.querySelectorAll("ol.reading-list li.result").length === 1 && `+param("ids")+` === "`+secondID+`"`)
	b.click(`ol.reading-list li.result button.save`)
	b.waitFor("empty list", `location.pathname === "/list" && document.querySelector(".list-empty") !== null && location.search === ""`)
	b.check("count gone", `document.querySelector(".list-count").hidden`)

	// Hostile fields on the new pages: shown as text, never run.
	for _, target := range []string{paperURL(hostileID), authorURL(`<script>alert(6)</script>`, 1), "/author?name=Ada+Lovelace", "/list?ids=" + idsParam([]string{hostileID, "2402.00001"}), "/paper/cs/0112017", "/search?q=attention"} {
		b.do("hostile "+target, chromedp.Navigate(srv.URL+target))
		b.waitFor("loaded "+target, `document.querySelector("main") !== null`)
		b.check("only our script on "+target, `document.scripts.length === 1 && document.scripts[0].src.includes("/static/app.js")`)
		b.check("no injected element on "+target, `document.querySelectorAll('img[src="x"], img[onerror], svg[onload], main script, main b').length === 0`)
		b.check("no javascript: link on "+target, `document.querySelector('a[href^="javascript:"]') === null`)
	}
	b.do("hostile paper", chromedp.Navigate(srv.URL+paperURL(hostileID)))
	b.waitFor("hostile page", `document.querySelector("article.paper h1") !== null`)
	b.check("venue as text", `document.querySelector("dd.venue").textContent === "<script>alert(8)</script> Proceedings"`)
	b.check("DOI as text, escaped in its link", `document.querySelector("a.doi").textContent === '10.1234/"><script>alert(5)</script>' && document.querySelector("a.doi").href.startsWith("https://doi.org/10.1234/%22%3E%3Cscript%3E")`)
	b.check("author link as text", `[...document.querySelectorAll(".byline a")].some(a => a.textContent === "<script>alert(6)</script>")`)
	b.check("save button data as text", `document.querySelector(".actions button.save").dataset.title.includes("<script>alert(1)</script>")`)
	b.do("hostile on a map", chromedp.Navigate(srv.URL+"/paper/cs/0112017"))
	b.waitFor("map", `document.querySelector("svg.map-svg") !== null`)
	b.check("hostile title on the map as text", `[...document.querySelectorAll("svg.map-svg a.node title")].some(t => t.textContent.includes("<script>alert(1)</script>"))`)
	b.do("hostile facet", chromedp.Navigate(srv.URL+"/search?q=attention"))
	b.waitFor("facets", `document.querySelector(".cats") !== null`)
	b.check("hostile category as text", `[...document.querySelectorAll(".cats .f-label")].some(s => s.textContent === "<b>cs.XX</b>")`)
	b.do("let handlers run", chromedp.Sleep(200*time.Millisecond))

	b.noDialogsOrErrors()
}

// TestBrowserREADME takes the README's screenshots over the built-in sample alone, as
// `kindred serve` shows it on a fresh install: a search, and a paper's map with a node focused.
// -update-screenshots writes them to testdata.
func TestBrowserREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is not short")
	}
	opts := quietOptions(nil)
	opts.Sample = true
	h, err := New(sampleIndex(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	b := newBrowser(t, srv.URL)
	if _, err := chromedp.Call(b.ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	save := func(name string, png []byte) {
		if *updateScreenshots {
			if err := os.WriteFile(filepath.Join("testdata", "screenshot-"+name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	b.do("README search", chromedp.EmulateViewport(1200, 800), chromedp.Navigate(srv.URL+"/search?q=pruning+language+models"))
	b.waitFor("README results", `document.querySelectorAll("li.result").length === 10 && document.querySelectorAll(".years a.facet").length > 0`)
	save("search", b.shot("search-readme"))

	b.do("README map", chromedp.Navigate(srv.URL+paperURL(readmeMapPaper)))
	b.waitFor("README map", `document.querySelectorAll("svg.map-svg a.node").length >= 20`)
	eval[bool](b, `document.querySelector("svg.map-svg a.node").focus(), document.querySelector(".map").scrollIntoView(), true`)
	b.check("a title beside the focused node", `getComputedStyle(document.activeElement.querySelector(".label")).visibility === "visible"`)
	save("map", b.shot("map-readme"))
	b.noDialogsOrErrors()
}

// TestBrowserWithoutScript: with JavaScript off, the controls that need it are hidden and the rest
// works: the map's links, the citation downloads, a list opened from its address.
func TestBrowserWithoutScript(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is not short")
	}
	srv := httptest.NewServer(newHandler(t, testIndex(t)))
	defer srv.Close()
	b := newBrowser(t, srv.URL)
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	// Evaluate still runs (from DevTools); the page's own script does not.
	b.do("paper", chromedp.Navigate(srv.URL+"/paper/2402.00001"))
	b.waitFor("paper page", `document.querySelector("article.paper h1") !== null`)
	b.check("save buttons hidden", `[...document.querySelectorAll("button.save")].every(x => x.hidden && x.offsetParent === null)`)
	b.check("copy buttons hidden", `[...document.querySelectorAll("button.copy")].every(x => x.hidden)`)
	b.check("downloads are links", `document.querySelectorAll(".cite-formats a[download][href^='/cite?']").length === 3`)
	b.check("map nodes are links", `[...document.querySelectorAll("svg.map-svg a.node")].every(a => a.getAttribute("href").startsWith("/paper/"))`)
	b.check("list count hidden", `document.querySelector(".list-count").hidden`)
	b.mouseClick("svg.map-svg a.node circle")
	b.waitFor("a node's paper", `location.pathname !== "/paper/2402.00001" && document.querySelector("article.paper h1") !== null`)
	b.do("empty list", chromedp.Navigate(srv.URL+"/list"))
	b.waitFor("list page", `document.querySelector(".list-empty") !== null`)
	b.check("says it needs JavaScript", `document.querySelector(".list-empty noscript") !== null`)
	b.do("a list by address", chromedp.Navigate(srv.URL+"/list?ids=2402.00001,2301.00003"))
	b.waitFor("list", `document.querySelectorAll("ol.reading-list li.result").length === 2`)
	b.check("more like these is a link", `document.querySelector("a.more").getAttribute("href") === "/recommend?positive=2402.00001,2301.00003"`)
	b.shot("no-script-list")
	b.noDialogsOrErrors()
}

// checkAsync fails the test unless the JavaScript expression, a promise, resolves to true.
func (b *browser) checkAsync(what, expr string) {
	b.t.Helper()
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise))
	if err != nil || !ok {
		b.t.Errorf("%s: %s is %v (%v) on %s", what, expr, ok, err, eval[string](b, "location.href"))
	}
}

package ui

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
)

// resultView is one result as a list shows it.
type resultView struct {
	Rank       int
	URL        string // the paper page
	Title      template.HTML
	Snippet    template.HTML
	Authors    byline
	Date       dateView
	Upvotes    int
	Categories []categoryView
	Split      *split
	Shared     []string // related lists: terms shared with the source
	Save       saveButton
}

// saveButton is a paper's "Save to list" button, which app.js shows and runs.
type saveButton struct {
	ID, Title string
}

type categoryView struct {
	Name string
	URL  string // adds the category filter to the current search; "" where there is no search
}

type dateView struct {
	ISO   string // for <time datetime>
	Label string
}

// resultViews turns a page of results into views. catURL, if set, makes category names links.
func resultViews(res index.Response, offset int, catURL func(string) string) []resultView {
	out := make([]resultView, len(res.Results))
	for i, r := range res.Results {
		p := r.Paper
		v := resultView{
			Rank:    offset + i + 1,
			URL:     paperURL(p.ID),
			Title:   markedTitle(p.Title, r.Highlights),
			Snippet: markedSnippet(p.Abstract, r.Highlights, 300),
			Authors: shortAuthors(p),
			Date:    dateOf(p.Published),
			Upvotes: p.Upvotes,
			Split:   splitOf(res.Mode, r),
			Shared:  r.SharedTerms,
			Save:    saveButton{ID: p.ID, Title: p.Title},
		}
		for _, c := range p.Categories {
			cv := categoryView{Name: c}
			if catURL != nil {
				cv.URL = catURL(c)
			}
			v.Categories = append(v.Categories, cv)
		}
		out[i] = v
	}
	return out
}

func escaped(s string) template.HTML { return template.HTML(template.HTMLEscapeString(s)) }

// clip shortens s to at most n runes, at a word boundary when one is near, adding "…".
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)*3/4 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// byline is a list of author names, each a link to the author's page, and what follows them:
// " et al.", or "4 authors" for a paper that has only a count.
type byline struct {
	Names []link
	More  string
}

func (b byline) String() string {
	names := make([]string, len(b.Names))
	for i, n := range b.Names {
		names[i] = n.Text
	}
	return strings.Join(names, ", ") + b.More
}

// shortAuthors names up to three authors, then "et al."; a paper that has only a count says so.
func shortAuthors(p paper.Paper) byline {
	return authorsOf(p, 3)
}

// authorsOf names up to show authors, then "et al."; a paper that has only a count says so.
func authorsOf(p paper.Paper, show int) byline {
	n := max(p.AuthorCount, len(p.Authors))
	var b byline
	switch {
	case len(p.Authors) == 0 && n == 1:
		b.More = "1 author"
	case len(p.Authors) == 0 && n > 1:
		b.More = fmt.Sprintf("%d authors", n)
	case len(p.Authors) > show || n > len(p.Authors):
		b.More = " et al."
	}
	for _, a := range p.Authors[:min(len(p.Authors), show)] {
		b.Names = append(b.Names, link{Text: a, URL: authorURL(a, 1)})
	}
	return b
}

func dateOf(d paper.Date) dateView {
	t := d.Time()
	switch {
	case d.IsZero():
		return dateView{}
	case d.Month == 0:
		return dateView{ISO: d.String(), Label: d.String()}
	case d.Day == 0:
		return dateView{ISO: d.String(), Label: t.Format("Jan 2006")}
	}
	return dateView{ISO: d.String(), Label: t.Format("2 Jan 2006")}
}

// split is the bar beside a result: how its rank divides between the keyword side (BM25) and the
// vector side (nearest neighbours of hashed word and bigram vectors).
type split struct {
	Keyword, Vector int // percent of the bar; they sum to 100
	Label           string
}

// splitOf divides a result's final score between the two sides by what each contributed to it
// (index.Component.Contribution), so the bar shows the fusion itself.
func splitOf(mode index.Mode, r index.Result) *split {
	var kw, vec float64
	if r.Keyword != nil && r.Keyword.Rank > 0 {
		kw = max(r.Keyword.Contribution, 0)
	}
	if r.Vector != nil && r.Vector.Rank > 0 {
		vec = max(r.Vector.Contribution, 0)
	}
	if kw+vec == 0 {
		return nil
	}
	s := &split{Keyword: int(math.Round(100 * kw / (kw + vec)))}
	s.Vector = 100 - s.Keyword
	side := func(name string, c *index.Component, score string) string {
		if c == nil || c.Rank == 0 {
			if mode == index.ModeHybrid {
				return name + ": not among its top candidates."
			}
			return name + ": not used in " + modeLabel(mode) + " mode."
		}
		return fmt.Sprintf("%s: rank %d, %s %.3f.", name, c.Rank, score, c.Score)
	}
	s.Label = side("Keyword", r.Keyword, "BM25 score") + " " + side("Vector", r.Vector, "cosine similarity") +
		fmt.Sprintf(" Bar: %d%% keyword, %d%% vector, of the fused score.", s.Keyword, s.Vector)
	return s
}

// modeLabel is the name the UI gives a mode: the engine's ("semantic" in old links is read as
// "vector" by the engine's parser).
func modeLabel(m index.Mode) string { return string(m) }

// paperURL is the page of the paper with the given ID. IDs keep their slashes (/paper/cs/0112017);
// one with an empty, "." or ".." segment, which the router would clean away, goes in the query.
func paperURL(id string) string {
	segs := strings.Split(id, "/")
	for i, s := range segs {
		if s == "" || s == "." || s == ".." {
			return "/paper?id=" + url.QueryEscape(id)
		}
		segs[i] = url.PathEscape(s)
	}
	return "/paper/" + strings.Join(segs, "/")
}

// arXiv identifiers: 2401.01234v2 since 2007, cs/0112017 or math.AG/0601001 before.
var (
	arxivNew = regexp.MustCompile(`^[0-9]{4}\.[0-9]{4,5}(v[0-9]+)?$`)
	arxivOld = regexp.MustCompile(`^[a-z]+(-[a-z]+)*(\.[A-Z]{2})?/[0-9]{7}(v[0-9]+)?$`)
)

// sourceLink links to the paper at its source: its own http(s) URL, else arXiv for an arXiv ID.
func sourceLink(p paper.Paper) *link {
	if u, err := url.Parse(p.URL); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		host := strings.TrimPrefix(u.Hostname(), "www.")
		if host == "arxiv.org" {
			return &link{Text: "View on arXiv", URL: u.String()}
		}
		return &link{Text: "View at " + host, URL: u.String()}
	}
	if arxivNew.MatchString(p.ID) || arxivOld.MatchString(p.ID) {
		return &link{Text: "View on arXiv", URL: "https://arxiv.org/abs/" + p.ID}
	}
	return nil
}

// pager is the list of page links under a result list.
type pager struct {
	Prev, Next string // URLs; "" at either end
	Pages      []pageLink
}

type pageLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool // an ellipsis in place of skipped pages
}

// makePager links to the first and last page and to two pages either side of the current one.
func makePager(current, last int, urlOf func(int) string) *pager {
	if last <= 1 {
		return nil
	}
	p := &pager{}
	if current > 1 {
		p.Prev = urlOf(current - 1)
	}
	if current < last {
		p.Next = urlOf(current + 1)
	}
	for n := 1; n <= last; n++ {
		if n != 1 && n != last && (n < current-2 || n > current+2) {
			if l := len(p.Pages); l == 0 || !p.Pages[l-1].Gap {
				p.Pages = append(p.Pages, pageLink{Gap: true})
			}
			continue
		}
		p.Pages = append(p.Pages, pageLink{Number: n, URL: urlOf(n), Current: n == current})
	}
	return p
}

// took formats a duration for people: "3 ms", "0.4 ms".
func took(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	if ms < 1 {
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.0f ms", ms)
}

package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/kindred-search/kindred/index/cite"
	"github.com/kindred-search/kindred/index/paper"
)

// citeLink is one citation format of a paper or a list: its name and where to get it.
type citeLink struct {
	Format string // cite.Format
	Label  string // "BibTeX"
	URL    string
}

// citeFormats are the formats offered, in order, with the names people know them by.
var citeFormats = []struct {
	f     cite.Format
	label string
}{{cite.FormatBibTeX, "BibTeX"}, {cite.FormatRIS, "RIS"}, {cite.FormatCSL, "CSL-JSON"}}

// citeLinks links the formats at base, which ends in "?...&" or "?".
func citeLinks(base string) []citeLink {
	out := make([]citeLink, len(citeFormats))
	for i, c := range citeFormats {
		out[i] = citeLink{Format: string(c.f), Label: c.label, URL: base + "format=" + string(c.f)}
	}
	return out
}

func citeURL(id string) string { return "/cite?id=" + url.QueryEscape(id) + "&" }

// serveCite serves /cite?id=ID&format=F: one paper as a citation file.
func (s *server) serveCite(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, ok := s.citeFormat(w, r, q.Get("format"))
	if !ok {
		return
	}
	id := q.Get("id")
	p, err := s.core.Get(r.Context(), id)
	if err != nil {
		s.renderProblem(w, r, s.problemFor(r, err))
		return
	}
	writeCitations(w, r, f, cite.Keys(p)[0], []paper.Paper{p})
}

// serveListExport serves /list/export?ids=A,B&format=F: the papers of a reading list as one file,
// in the order given; IDs that name no paper are left out.
func (s *server) serveListExport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, ok := s.citeFormat(w, r, q.Get("format"))
	if !ok {
		return
	}
	ids := listIDs(r.URL.RawQuery, "ids")
	if len(ids) == 0 {
		s.renderProblem(w, r, emptyListProblem())
		return
	}
	ps, _, err := s.core.Lookup(r.Context(), ids...)
	if err != nil {
		s.renderProblem(w, r, s.problemFor(r, err))
		return
	}
	writeCitations(w, r, f, "kindred-list", ps)
}

func (s *server) citeFormat(w http.ResponseWriter, r *http.Request, name string) (cite.Format, bool) {
	if name == "" {
		return cite.FormatBibTeX, true
	}
	if f, ok := cite.ParseFormat(name); ok {
		return f, true
	}
	s.renderProblem(w, r, &problem{
		Status:  http.StatusBadRequest,
		Title:   "Unknown citation format",
		Details: []string{"Kindred writes citations as bibtex, ris or csl (CSL-JSON)."},
		Hint:    "Use the BibTeX, RIS or CSL-JSON links on the paper's page.",
	})
	return "", false
}

// writeCitations answers with the papers in format f, as a file named name plus its extension.
func writeCitations(w http.ResponseWriter, r *http.Request, f cite.Format, name string, ps []paper.Paper) {
	h := w.Header()
	h.Set("Content-Type", f.MediaType()+"; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+f.Ext()+`"`)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(f.Write(ps...))
	}
}

// maxListIDs bounds the papers a reading-list address may name: far more than a list people keep,
// and a URL short enough for common proxy limits.
const maxListIDs = 200

// listIDs reads paper IDs from the parameter key of a raw query: comma-separated, repeatable, each
// once, at most maxListIDs. The commas are read before unescaping, so an ID that holds a comma is
// named with it escaped (%2C), as idsParam writes it.
func listIDs(rawQuery, key string) []string {
	var out []string
	for pair := range strings.SplitSeq(rawQuery, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(k); err != nil || k != key {
			continue
		}
		for part := range strings.SplitSeq(v, ",") {
			id, err := url.QueryUnescape(part)
			id = strings.TrimSpace(id)
			if err == nil && id != "" && len(out) < maxListIDs && len(id) <= paper.MaxIDLen && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// idsParam writes ids as the comma-separated value listIDs reads.
func idsParam(ids []string) string {
	esc := make([]string, len(ids))
	for i, id := range ids {
		esc[i] = url.QueryEscape(id)
	}
	return strings.Join(esc, ",")
}

func emptyListProblem() *problem {
	return &problem{
		Status:  http.StatusBadRequest,
		Title:   "The list is empty",
		Details: []string{"This address names no papers."},
		Hint:    "Save papers with their “Save” buttons, then open the reading list.",
	}
}

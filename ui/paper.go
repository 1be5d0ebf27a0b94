package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/cite"
	"github.com/kindred-search/kindred/index/paper"
)

type paperView struct {
	layout
	Paper      paper.Paper
	Authors    []string
	MoreAuthor int // authors counted but not named
	Date       dateView
	Source     *link
	DOI        *link
	// From names the format the paper was read from ("BibTeX"), when known.
	From string
	// Cites are the paper's citation files; BibTeX is its BibTeX entry, shown on the page.
	Cites   []citeLink
	BibTeX  string
	Save    saveButton
	Related []resultView
	// Map is the map of related papers; MapFailed says it could not be drawn (the error is logged).
	Map       *mapView
	MapFailed bool
	// RelatedFailed: the paper loaded but its related list did not (the error is logged).
	RelatedFailed bool
}

// maxListedAuthors caps the author list on a paper page; the rest are counted.
const maxListedAuthors = 50

func (s *server) servePaper(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if r.URL.Path == "/paper" {
		id = r.URL.Query().Get("id")
	}
	if id == "" || len(id) > paper.MaxIDLen {
		s.renderProblem(w, r, &problem{
			Status:  http.StatusNotFound,
			Title:   "Paper not found",
			Details: []string{"This address names no paper: it should look like /paper/2401.01234 or /paper/cs/0112017."},
			Hint:    "Search for the paper by its title instead.",
		})
		return
	}
	p, err := s.core.Get(r.Context(), id)
	if err != nil {
		s.renderProblem(w, r, s.problemFor(r, err))
		return
	}
	v := &paperView{
		layout:  layout{Name: s.opts.Name, Title: p.Title, HeaderSearch: true, Sample: s.opts.Sample},
		Paper:   p,
		Authors: p.Authors,
		Date:    dateOf(p.Published),
		Source:  sourceLink(p),
		DOI:     doiLink(p.DOI),
		From:    sourceNames[p.Source],
		Cites:   citeLinks(citeURL(p.ID)),
		BibTeX:  string(cite.BibTeX(p)),
		Save:    saveButton{ID: p.ID, Title: p.Title},
	}
	if v.From == "" {
		v.From = p.Source
	}
	if len(v.Authors) > maxListedAuthors {
		v.Authors = v.Authors[:maxListedAuthors]
	}
	v.MoreAuthor = max(p.AuthorCount, len(p.Authors)) - len(v.Authors)

	rel, err := s.core.Related(r.Context(), id, index.RelatedRequest{Ranking: index.Ranking{Mode: index.ModeHybrid, Limit: s.opts.RelatedSize}})
	if err != nil {
		// The paper itself is worth showing; say the list is missing rather than fail the page.
		if s.problemFor(r, err).Status == statusClientGone {
			return
		}
		v.RelatedFailed = true
	} else {
		v.Related = resultViews(rel, 0, nil)
		m, err := s.buildMap(r.Context(), p, rel.Results)
		switch {
		case err != nil:
			if s.problemFor(r, err).Status == statusClientGone {
				return
			}
			v.MapFailed = true
		case m != nil:
			v.Map = drawMap(m)
		}
	}
	s.render(w, r, http.StatusOK, "paper", v)
}

// sourceNames are the readers' names (paper.Paper.Source) as people know the formats.
var sourceNames = map[string]string{
	"arxiv":    "arXiv metadata",
	"beir":     "a BEIR corpus",
	"jsonl":    "JSON Lines",
	"csl-json": "CSL-JSON",
	"bibtex":   "BibTeX",
	"ris":      "RIS",
	"openalex": "OpenAlex",
	"pubmed":   "PubMed XML",
	"s2":       "Semantic Scholar",
	"daily":    "a Daily Papers page",
}

// doiLink links a DOI to its resolver, or is nil when there is none.
func doiLink(doi string) *link {
	if doi == "" {
		return nil
	}
	segs := strings.Split(doi, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return &link{Text: doi, URL: "https://doi.org/" + strings.Join(segs, "/")}
}

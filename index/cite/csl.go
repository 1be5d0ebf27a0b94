package cite

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// cslItem is a CSL-JSON item, its fields in the order Zotero writes them.
type cslItem struct {
	ID             string     `json:"id"`
	CitationKey    string     `json:"citation-key"`
	Type           string     `json:"type"`
	Title          string     `json:"title"`
	ContainerTitle string     `json:"container-title,omitempty"`
	Abstract       string     `json:"abstract,omitempty"`
	Number         string     `json:"number,omitempty"`
	Publisher      string     `json:"publisher,omitempty"`
	DOI            string     `json:"DOI,omitempty"`
	URL            string     `json:"URL,omitempty"`
	Keyword        string     `json:"keyword,omitempty"`
	Author         []cslName  `json:"author,omitempty"`
	Issued         *cslIssued `json:"issued,omitempty"`
}

type cslName struct {
	Family  string `json:"family,omitempty"`
	Given   string `json:"given,omitempty"`
	Suffix  string `json:"suffix,omitempty"`
	Literal string `json:"literal,omitempty"`
}

type cslIssued struct {
	DateParts [][]int `json:"date-parts"`
}

// CSLJSON writes the papers as a CSL-JSON array, indented, in the order given: "id" is the paper's
// ID and "citation-key" its key (Keys); "type" is "article-journal" when the paper has a venue
// ("container-title"), else "article"; an arXiv preprint has "number" "arXiv:2504.16081" and
// "publisher" "arXiv", as Zotero writes them.
func CSLJSON(ps ...paper.Paper) []byte {
	keys := Keys(ps...)
	items := make([]cslItem, len(ps))
	for i, p := range ps {
		it := cslItem{
			ID: p.ID, CitationKey: keys[i], Type: "article", Title: p.Title, ContainerTitle: p.Venue,
			Abstract: p.Abstract, DOI: p.DOI, URL: p.URL, Keyword: strings.Join(p.Categories, ", "),
		}
		if p.Venue != "" {
			it.Type = "article-journal"
		}
		if p.ArxivID != "" {
			it.Number = "arXiv:" + p.ArxivID
			if p.Venue == "" {
				it.Publisher = "arXiv"
			}
		}
		for _, a := range p.Authors {
			n := splitName(a)
			it.Author = append(it.Author, cslName{Family: n.family, Given: n.given, Suffix: n.suffix, Literal: n.literal})
		}
		if d := p.Published; !d.IsZero() {
			parts := []int{d.Year}
			if d.Month > 0 {
				parts = append(parts, d.Month)
				if d.Day > 0 {
					parts = append(parts, d.Day)
				}
			}
			it.Issued = &cslIssued{DateParts: [][]int{parts}}
		}
		items[i] = it
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(items); err != nil {
		// Strings, ints and slices of them always encode; this is unreachable.
		panic("cite: encoding CSL-JSON: " + err.Error())
	}
	return buf.Bytes()
}

package reader

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// cslName is a CSL-JSON name variable.
type cslName struct {
	Family              string `json:"family"`
	Given               string `json:"given"`
	Literal             string `json:"literal"`
	Suffix              string `json:"suffix"`
	DroppingParticle    string `json:"dropping-particle"`
	NonDroppingParticle string `json:"non-dropping-particle"`
}

// display writes the name as people read it: "Ada Lovelace", "Ludwig van Beethoven", or the literal.
func (n cslName) display() string {
	if strings.TrimSpace(n.Literal) != "" {
		return n.Literal
	}
	var parts []string
	for _, s := range []string{n.Given, n.DroppingParticle, n.NonDroppingParticle, n.Family, n.Suffix} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// cslDate is a CSL-JSON date variable: {"date-parts": [[2020, 5, 17]]}, with "raw" or "literal" as
// fallbacks. Parts may be numbers or strings.
type cslDate struct {
	DateParts [][]json.RawMessage `json:"date-parts"`
	Raw       string              `json:"raw"`
	Literal   string              `json:"literal"`
}

// cslOnlyTypes are CSL item types no other shape uses as a "type" ("article", shared with OpenAlex and
// common words, is left out).
var cslOnlyTypes = func() map[string]bool {
	m := make(map[string]bool)
	for _, t := range strings.Fields(`article-journal article-magazine article-newspaper paper-conference
		chapter book report thesis manuscript dataset entry-encyclopedia entry-dictionary review
		review-book patent speech broadcast graphic legal_case legislation pamphlet
		personal_communication interview post-weblog software standard`) {
		m[t] = true
	}
	return m
}()

// csl maps a CSL-JSON item, as Zotero and citeproc write it: "id", "type", "title", "abstract",
// "author" [{"family", "given"} or {"literal"}], "issued", "DOI", "URL", "container-title", and
// arXiv identifiers in "number" ("arXiv:2504.16081 [cs]"), "note", "URL" or an arXiv DOI. The plain
// shape's keys fill in what the CSL keys leave empty.
func (rec *record) csl() (paper.Paper, error) {
	p := paper.Paper{
		Title:    stripMarkup(rec.Title),
		Abstract: rec.Abstract,
		Venue:    stripMarkup(rawText(rec.ContainerTitle)),
		URL:      strings.TrimSpace(rawString(rec.CSLURL)),
		Source:   "csl-json",
	}
	if len(rec.Author) > 0 && string(rec.Author) != "null" {
		var names []cslName
		if err := json.Unmarshal(rec.Author, &names); err != nil {
			return paper.Paper{}, fieldError("author", err)
		}
		for _, n := range names {
			p.Authors = append(p.Authors, n.display())
		}
	} else {
		p.Authors = rec.Authors.split(splitAuthors)
	}
	if p.URL == "" {
		p.URL = rec.URL
	}
	setArxivFromText(&p, rawText(rec.Number))
	setArxivFromText(&p, rawText(rec.Note))
	setArxiv(&p, p.URL)
	setDOI(&p, cmpOr(rawText(rec.CSLDOI), rec.DOI))
	chooseID(&p, string(rec.ID))

	var err error
	switch {
	case len(rec.Issued) > 0 && string(rec.Issued) != "null":
		p.Published, err = cslIssued(rec.Issued)
	case rec.Published != "":
		p.Published, err = paper.ParseDate(rec.Published)
	}
	if err != nil {
		return paper.Paper{}, fmt.Errorf("bad date: %w", err)
	}
	return p, nil
}

// cslIssued reads a CSL date: "date-parts" first, then "raw" and "literal" (a full date, or the first
// year in them), or an EDTF string such as "2020-05-17".
func cslIssued(raw json.RawMessage) (paper.Date, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		return looseDate(rawString(raw))
	}
	var d cslDate
	if err := json.Unmarshal(raw, &d); err != nil {
		return paper.Date{}, fmt.Errorf("issued: want {\"date-parts\": [[year, month, day]]}: %v", strings.TrimPrefix(err.Error(), "json: "))
	}
	if len(d.DateParts) > 0 && len(d.DateParts[0]) > 0 {
		var n [3]int
		for i, part := range d.DateParts[0][:min(3, len(d.DateParts[0]))] {
			v, err := strconv.Atoi(strings.Trim(string(bytes.TrimSpace(part)), `"`))
			if err != nil {
				return paper.Date{}, fmt.Errorf("issued: date part %s is not a number", part)
			}
			n[i] = v
		}
		return partsDate(n[0], n[1], n[2])
	}
	if d.Raw != "" {
		return looseDate(d.Raw)
	}
	return looseDate(d.Literal)
}

// partsDate checks a year, month and day (0 when unknown) through paper.ParseDate.
func partsDate(y, m, d int) (paper.Date, error) {
	switch {
	case y == 0:
		return paper.Date{}, nil
	case m == 0:
		return paper.ParseDate(fmt.Sprintf("%04d", y))
	case d == 0:
		return paper.ParseDate(fmt.Sprintf("%04d-%02d", y, m))
	}
	return paper.ParseDate(fmt.Sprintf("%04d-%02d-%02d", y, m, d))
}

var firstYear = regexp.MustCompile(`\b(1[5-9][0-9]{2}|2[0-9]{3})\b`)

// looseDate reads a date written by a person: a full "YYYY-MM-DD" (or "YYYY-MM", or a range
// "2020-05/2020-06" by its start) when it is one, else just the first plausible year in it ("Spring
// 2020"), else no date.
func looseDate(s string) (paper.Date, error) {
	s = strings.TrimSpace(s)
	if start, _, ok := strings.Cut(s, "/"); ok && len(start) >= 4 {
		s = start
	}
	if d, err := paper.ParseDate(s); err == nil {
		return d, nil
	}
	if m := firstYear.FindString(s); m != "" {
		return paper.ParseDate(m)
	}
	return paper.Date{}, nil
}

// markupTags are the rich-text tags Zotero, citeproc-js and OpenAlex put in titles.
var markupTags = regexp.MustCompile(`</?(?:i|b|em|strong|sub|sup|sc|u|span(?:\s+(?:class|style)="[^"]*")?)>`)

// stripMarkup removes those tags, keeping their text: "<i>E. coli</i>" becomes "E. coli".
func stripMarkup(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	return markupTags.ReplaceAllString(s, "")
}

func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

package reader

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// bibDB is the state of one database: the @string macros defined so far, starting with the month
// macros jan..dec.
type bibDB struct {
	macros map[string]string
}

func newBibDB() *bibDB {
	m := make(map[string]string, 12)
	for _, name := range months {
		m[strings.ToLower(name[:3])] = name
	}
	return &bibDB{macros: m}
}

// entry parses one entry's text into a paper, not yet normalized; ok is false for @string, @preamble
// and @comment, which give no paper.
func (db *bibDB) entry(text string) (p paper.Paper, ok bool, err error) {
	bp := &bibParser{s: text, macros: db.macros}
	typ, key, fields, err := bp.parse()
	if err != nil {
		return paper.Paper{}, false, err
	}
	switch typ {
	case "string", "comment", "preamble":
		return paper.Paper{}, false, nil
	}
	p, err = bibPaper(key, fields)
	return p, err == nil, err
}

// notVenue matches journal fields that only say "arXiv" ("arXiv preprint arXiv:2504.16081", DBLP's
// "CoRR"): the identifier is kept, the venue is not.
var notVenue = regexp.MustCompile(`(?i)^(?:arxiv(?:\s+preprint)?(?:\s+arxiv:\s*\S+)?|corr|preprint)$`)

// bibPaper maps the fields of an entry: title, abstract, author ("Last, First and First Last"), date
// (BibLaTeX) or year and month, doi, url, journaltitle/journal/booktitle as the venue, and arXiv
// identifiers from eprint with archiveprefix or eprinttype "arXiv", from a journal or note
// "arXiv:...", an arxiv.org url or an arXiv DOI. The entry's own ID is the first of its BibLaTeX
// "ids" (aliases of its key), else its key.
func bibPaper(key string, fields []bibField) (paper.Paper, error) {
	f := make(map[string]string, len(fields))
	for _, fl := range fields {
		f[fl.name] = fl.value
	}
	p := paper.Paper{
		Title:    texText(f["title"]),
		Abstract: texText(f["abstract"]),
		Authors:  bibNames(f["author"]),
		Source:   "bibtex",
	}
	venue := texText(firstNonEmpty(f["journaltitle"], f["journal"], f["booktitle"]))
	if !notVenue.MatchString(venue) {
		p.Venue = venue
	}
	eprintType := strings.ToLower(texText(firstNonEmpty(f["archiveprefix"], f["eprinttype"])))
	if eprint := verbatim(f["eprint"]); eprint != "" && (eprintType == "arxiv" || eprintType == "") {
		setArxiv(&p, eprint)
	}
	for _, name := range []string{"journal", "journaltitle", "note", "howpublished", "pubstate"} {
		setArxivFromText(&p, verbatim(f[name]))
	}
	url := verbatim(f["url"])
	setArxiv(&p, url)
	p.URL = url
	setDOI(&p, verbatim(f["doi"]))
	if p.ArxivID != "" {
		if c := strings.TrimSpace(verbatim(f["primaryclass"])); c != "" {
			p.Categories = []string{c}
		}
	}
	own := key
	if ids := verbatim(f["ids"]); ids != "" {
		first, _, _ := strings.Cut(ids, ",")
		if first = strings.TrimSpace(first); first != "" {
			own = first
		}
	}
	chooseID(&p, own)

	var err error
	if d := verbatim(f["date"]); d != "" {
		p.Published, err = looseDate(d)
	} else if y := firstYear.FindString(verbatim(f["year"])); y != "" {
		m := bibMonth(texText(f["month"]))
		d := 0
		if m > 0 {
			d, _ = strconv.Atoi(strings.TrimSpace(verbatim(f["day"])))
		}
		yy, _ := strconv.Atoi(y)
		p.Published, err = partsDate(yy, m, d)
	}
	if err != nil {
		return paper.Paper{}, fmt.Errorf("bad date: %w", err)
	}
	return p, nil
}

// bibMonth reads a month as BibTeX writes it: the macro's "January", "jan", "1" or "01"; anything else
// is an unknown month.
func bibMonth(s string) int {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 12 {
		return n
	}
	s = strings.TrimSuffix(strings.ToLower(s), ".")
	for i, m := range months {
		if len(s) >= 3 && strings.HasPrefix(strings.ToLower(m), s) {
			return i + 1
		}
	}
	return 0
}

// verbatim is a field that BibLaTeX reads verbatim (url, doi, eprint, date): braces are removed and the
// escapes some exporters write anyway (`\_`, `\%`, `\&`, `\#`) are undone; nothing else is converted.
func verbatim(s string) string {
	s = strings.NewReplacer(`\_`, "_", `\%`, "%", `\&`, "&", `\#`, "#", `\~`, "~", `\$`, "$", "{", "", "}", "").Replace(s)
	return strings.TrimSpace(s)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

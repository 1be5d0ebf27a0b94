package cite

import (
	"fmt"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// BibTeX writes the papers as a BibTeX database, one entry each in the order given: @article when
// the paper has a venue (as journal), else @misc; title, author, journal, year, month (and date when
// the day is known), doi, the arXiv eprint with archivePrefix and primaryClass, url, the paper's ID as
// BibLaTeX "ids" when the other fields would not give it back, and abstract.
func BibTeX(ps ...paper.Paper) []byte {
	keys := Keys(ps...)
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		writeBibEntry(&b, keys[i], p)
	}
	return []byte(b.String())
}

func writeBibEntry(b *strings.Builder, key string, p paper.Paper) {
	typ := "misc"
	if p.Venue != "" {
		typ = "article"
	}
	fmt.Fprintf(b, "@%s{%s,\n", typ, key)
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(b, "  %s = {%s},\n", name, value)
		}
	}
	field("title", "{"+texEscape(p.Title)+"}")
	var authors []string
	for _, a := range p.Authors {
		authors = append(authors, bibName(a))
	}
	field("author", strings.Join(authors, " and "))
	field("journal", texEscape(p.Venue))
	if d := p.Published; !d.IsZero() {
		field("year", fmt.Sprintf("%04d", d.Year))
		if d.Month > 0 {
			fmt.Fprintf(b, "  month = %s,\n", monthMacros[d.Month-1])
		}
		if d.Day > 0 {
			field("date", d.String())
		}
	}
	doi := verbatimSafe(p.DOI)
	field("doi", doi)
	if p.ArxivID != "" {
		field("eprint", p.ArxivID)
		field("archivePrefix", "arXiv")
		if len(p.Categories) > 0 {
			field("primaryClass", verbatimSafe(p.Categories[0]))
		}
	}
	field("url", urlSafe(p.URL))
	if id := p.ID; id != key && id != p.ArxivID && (id != doi || doi == "") && safeID(id) {
		field("ids", id)
	}
	field("abstract", texEscape(p.Abstract))
	b.WriteString("}\n")
}

var monthMacros = [12]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// bibName writes a name as "von Last, First" or "von Last, Jr., First"; a name with a comma, " and ",
// or of one word is braced whole, so that BibTeX takes it as written.
func bibName(s string) string {
	n := splitName(s)
	switch {
	case n.literal != "":
		return "{" + texEscape(n.literal) + "}"
	case n.suffix != "":
		return texEscape(n.family) + ", " + texEscape(n.suffix) + ", " + texEscape(n.given)
	}
	return texEscape(n.family) + ", " + texEscape(n.given)
}

// texEscape writes text so that BibTeX and BibLaTeX print it as written: special characters as
// commands or escapes, TeX's ligatures broken with an empty group. Braces become \textbraceleft{} and
// \textbraceright{} (not \{ and \}) so that the braces of the field still balance for BibTeX, which
// counts them regardless of backslashes.
func texEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			b.WriteString(`\textbackslash{}`)
		case '{':
			b.WriteString(`\textbraceleft{}`)
		case '}':
			b.WriteString(`\textbraceright{}`)
		case '~':
			b.WriteString(`\textasciitilde{}`)
		case '^':
			b.WriteString(`\textasciicircum{}`)
		case '%', '&', '$', '#', '_':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '-', '`', '\'', '!', '?':
			b.WriteByte(c)
			if i+1 < len(s) && breaksLigature(c, s[i+1]) {
				b.WriteString("{}")
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// breaksLigature reports whether c followed by next would make a TeX ligature: -- “  ” !` ?`.
func breaksLigature(c, next byte) bool {
	switch c {
	case '-', '`', '\'':
		return next == c
	}
	return next == '`'
}

// verbatimSafe returns a value for a field BibLaTeX reads verbatim (doi, eprint), or "" when it holds
// a brace or backslash that would unbalance or escape the entry (no real DOI does).
func verbatimSafe(s string) string {
	if strings.ContainsAny(s, `{}\`) {
		return ""
	}
	return s
}

// urlSafe percent-encodes the characters of a URL that would break the entry.
func urlSafe(u string) string {
	return strings.NewReplacer("{", "%7B", "}", "%7D", `\`, "%5C", " ", "%20").Replace(u)
}

// safeID reports whether an ID can be written as BibLaTeX "ids", a comma-separated list of keys.
func safeID(id string) bool {
	return id != "" && !strings.ContainsAny(id, "{}\\,%# \t\r\n\"")
}

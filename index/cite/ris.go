package cite

import (
	"fmt"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// RIS writes the papers as RIS records, in the order given: TY (JOUR when the paper has a venue,
// else GEN), ID (the paper's ID), TI, AU ("Last, First"), PY and DA, T2 (the venue), AB, DO, UR, AN
// ("arXiv:2504.16081") and KW (the categories), ending with ER; a blank line separates records.
func RIS(ps ...paper.Paper) []byte {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString("\r\n")
		}
		writeRISRecord(&b, p)
	}
	return []byte(b.String())
}

func writeRISRecord(b *strings.Builder, p paper.Paper) {
	tag := func(t, value string) {
		if value = oneLine(value); value != "" {
			fmt.Fprintf(b, "%s  - %s\r\n", t, value)
		}
	}
	typ := "GEN"
	if p.Venue != "" {
		typ = "JOUR"
	}
	tag("TY", typ)
	tag("ID", p.ID)
	tag("TI", p.Title)
	for _, a := range p.Authors {
		tag("AU", risName(a))
	}
	if d := p.Published; !d.IsZero() {
		tag("PY", fmt.Sprintf("%04d", d.Year))
		if d.Month > 0 {
			tag("DA", strings.ReplaceAll(d.String(), "-", "/"))
		}
	}
	tag("T2", p.Venue)
	tag("AB", p.Abstract)
	tag("DO", p.DOI)
	tag("UR", p.URL)
	if p.ArxivID != "" {
		tag("AN", "arXiv:"+p.ArxivID)
	}
	for _, c := range p.Categories {
		tag("KW", c)
	}
	b.WriteString("ER  - \r\n")
}

// risName writes a name "Last, First" or "Last, First, Suffix"; a literal name as it is.
func risName(s string) string {
	n := splitName(s)
	switch {
	case n.literal != "":
		return n.literal
	case n.suffix != "":
		return n.family + ", " + n.given + ", " + n.suffix
	}
	return n.family + ", " + n.given
}

// oneLine keeps a value on its tag's line: a line break would start a continuation, or a tag.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

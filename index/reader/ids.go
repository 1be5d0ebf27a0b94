package reader

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// The ID rule, shared by the readers of bibliographic formats (CSL-JSON, BibTeX, RIS, OpenAlex,
// PubMed, Semantic Scholar): a record with a known arXiv identifier gets it (without version) as its
// ID; else one with a DOI gets the normalised DOI; else the source's own identifier (a BibTeX key, a
// CSL or RIS id, "pmid:123", an OpenAlex "W123", a Semantic Scholar paperId); else the ID derived from
// the title. So the same paper read from two sources replaces rather than duplicates itself.
func chooseID(p *paper.Paper, own string) {
	switch {
	case p.ArxivID != "":
		p.ID = p.ArxivID
	case p.DOI != "" && len(p.DOI) <= paper.MaxIDLen:
		p.ID = p.DOI
	default:
		p.ID = own
	}
}

// setDOI keeps raw as the paper's DOI when it is one, normalised, and takes the arXiv identifier of
// arXiv's own DOIs. Anything that is not a DOI is dropped: the field of a reference manager holds
// whatever its user typed, and that is no reason to lose the paper.
func setDOI(p *paper.Paper, raw string) {
	d, ok := paper.NormalizeDOI(raw)
	if !ok {
		return
	}
	if p.DOI == "" {
		p.DOI = d
	}
	if id, ok := paper.ArxivFromDOI(d); ok && p.ArxivID == "" {
		p.ArxivID = id
	}
}

// setArxiv keeps the arXiv identifier of ref (an identifier, "arXiv:..." or an arxiv.org link), if it
// has one and the paper has none yet.
func setArxiv(p *paper.Paper, ref string) {
	if p.ArxivID != "" {
		return
	}
	if r, ok := paper.ParseRef(ref); ok && r.Kind == paper.RefArxiv {
		p.ArxivID = r.Value
	}
}

// arxivInText finds "arXiv:2504.16081" (or "arXiv: hep-th/9901001v2") in free text, as in Zotero's
// "number" field ("arXiv:2504.16081 [cs]") or Google Scholar's journal ("arXiv preprint
// arXiv:2504.16081").
var arxivInText = regexp.MustCompile(`(?i)\barxiv:\s*([a-z0-9./-]+[0-9])`)

// setArxivFromText is setArxiv on the first "arXiv:..." mention in s.
func setArxivFromText(p *paper.Paper, s string) {
	if m := arxivInText.FindStringSubmatch(s); m != nil {
		setArxiv(p, m[1])
	}
}

// isObjectArray reports whether raw JSON is an array whose first element is an object.
func isObjectArray(raw json.RawMessage) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 || raw[0] != '[' {
		return false
	}
	raw = bytes.TrimLeft(raw[1:], " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

// rawString decodes raw JSON that is a string; anything else is "".
func rawString(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// rawText decodes raw JSON that is a string, a number or an array of them (the first one): the
// loose way CSL-JSON writers fill text fields.
func rawText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		return rawString(raw)
	case '[':
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil && len(list) > 0 {
			return rawText(list[0])
		}
		return ""
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw)
	}
	return ""
}

// httpURL returns u when it is an http(s) link, else "": a link a reader builds or picks from a
// record's secondary fields must not get the record rejected.
func httpURL(u string) string {
	u = strings.TrimSpace(u)
	if paper.CheckURL(u) != nil {
		return ""
	}
	return u
}

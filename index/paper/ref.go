package paper

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// RefKind says what kind of identifier a Ref holds.
type RefKind string

// The kinds of reference ParseRef recognises.
const (
	// RefArxiv is an arXiv identifier without version: "2504.16081", "hep-th/9901001".
	RefArxiv RefKind = "arxiv"
	// RefDOI is a DOI as NormalizeDOI writes it: "10.1234/x".
	RefDOI RefKind = "doi"
)

// Ref is a paper reference in canonical form.
type Ref struct {
	Kind  RefKind
	Value string
}

// String writes the reference with its scheme: "arXiv:2504.16081" or "doi:10.1234/x".
func (r Ref) String() string {
	if r.Kind == RefArxiv {
		return "arXiv:" + r.Value
	}
	return "doi:" + r.Value
}

// ParseRef recognises the paper references people paste: arXiv identifiers with or without version
// and "arXiv:" prefix ("2504.16081v2", "arXiv:2504.16081", "hep-th/9901001"), arXiv abstract and PDF
// links ("https://arxiv.org/abs/2504.16081v3", "https://arxiv.org/pdf/2504.16081"), and DOIs bare,
// with "doi:" or as doi.org links ("10.1234/x", "doi:10.1234/x", "https://doi.org/10.1234/X").
//
// The Value is canonical: arXiv identifiers lose their version, DOIs are normalised by NormalizeDOI.
// arXiv's own DOIs ("10.48550/arXiv.2504.16081") are returned as the arXiv identifier, which is how
// such papers are indexed. Surrounding white space and a trailing '.', ',' or ';' are ignored.
func ParseRef(s string) (Ref, bool) {
	s = strings.TrimRight(strings.TrimSpace(s), ".,;")
	if s == "" || len(s) > MaxDOILen+32 {
		return Ref{}, false
	}
	lower := strings.ToLower(s)
	if rest, ok := cutScheme(lower); ok {
		host, path, _ := strings.Cut(rest, "/")
		switch host {
		case "arxiv.org", "www.arxiv.org", "export.arxiv.org":
			return arxivFromPath(path) // case does not matter: NormalizeArxivID writes it
		case "doi.org", "dx.doi.org", "www.doi.org":
			return doiRef("https://doi.org/" + path)
		}
		return Ref{}, false
	}
	if strings.HasPrefix(lower, "arxiv:") {
		return arxivRef(strings.TrimSpace(s[len("arxiv:"):]))
	}
	if strings.HasPrefix(lower, "10.") || strings.HasPrefix(lower, "doi") || strings.HasPrefix(lower, "info:doi/") {
		return doiRef(s)
	}
	return arxivRef(s)
}

// cutScheme strips "http://" or "https://" (and nothing else) from a lower-cased string; a bare
// "arxiv.org/..." or "doi.org/..." counts as a link too.
func cutScheme(lower string) (string, bool) {
	for _, p := range []string{"https://", "http://"} {
		if rest, ok := strings.CutPrefix(lower, p); ok {
			return rest, true
		}
	}
	for _, h := range []string{"arxiv.org/", "www.arxiv.org/", "doi.org/", "dx.doi.org/"} {
		if strings.HasPrefix(lower, h) {
			return lower, true
		}
	}
	return "", false
}

// arxivFromPath reads "abs/2504.16081v3", "pdf/2504.16081v2.pdf" or "html/2504.16081" (a query or
// fragment is dropped).
func arxivFromPath(path string) (Ref, bool) {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	kind, id, ok := strings.Cut(path, "/")
	if !ok {
		return Ref{}, false
	}
	switch strings.ToLower(kind) {
	case "abs", "html":
	case "pdf":
		id = strings.TrimSuffix(strings.TrimSuffix(id, ".pdf"), ".PDF")
	default:
		return Ref{}, false
	}
	return arxivRef(strings.TrimSuffix(id, "/"))
}

func arxivRef(s string) (Ref, bool) {
	id, ok := NormalizeArxivID(s)
	if !ok {
		return Ref{}, false
	}
	return Ref{Kind: RefArxiv, Value: id}, true
}

func doiRef(s string) (Ref, bool) {
	d, ok := NormalizeDOI(s)
	if !ok {
		return Ref{}, false
	}
	if id, ok := ArxivFromDOI(d); ok {
		return Ref{Kind: RefArxiv, Value: id}, true
	}
	return Ref{Kind: RefDOI, Value: d}, true
}

// ArxivFromDOI returns the arXiv identifier of one of arXiv's own DOIs ("10.48550/arxiv.2504.16081").
func ArxivFromDOI(doi string) (string, bool) {
	d, ok := NormalizeDOI(doi)
	if !ok {
		return "", false
	}
	rest, ok := strings.CutPrefix(d, "10.48550/arxiv.")
	if !ok {
		return "", false
	}
	return NormalizeArxivID(rest)
}

// Old-style arXiv identifiers: archive, optional subject class, "/", YYMMNNN, optional version.
var arxivOld = regexp.MustCompile(`^([a-zA-Z]+(?:-[a-zA-Z]+)*)(\.[A-Za-z]{2})?/([0-9]{2})([0-9]{2})([0-9]{3})(?:[vV][0-9]+)?$`)

// NormalizeArxivID returns the canonical form of an arXiv identifier: without "arXiv:" prefix and
// version, the archive of an old-style identifier lower-cased and its subject class upper-cased
// ("2504.16081", "math.GT/0309136"). A new-style identifier (April 2007 on) is YYMM.NNNN until 2014 and
// YYMM.NNNNN since 2015; an old-style one is an archive, "/", YYMMNNN, from 1991 to 2007. The month must
// be 01 to 12.
func NormalizeArxivID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 6 && strings.EqualFold(s[:6], "arxiv:") {
		s = strings.TrimSpace(s[6:])
	}
	if id, ok := newArxivID(s); ok {
		return id, true
	}
	if !strings.Contains(s, "/") {
		return "", false
	}
	if m := arxivOld.FindStringSubmatch(s); m != nil {
		yy, mm := atoi(m[3]), atoi(m[4])
		if mm < 1 || mm > 12 || (yy < 91 && yy > 7) || !oldArchives[strings.ToLower(m[1])] {
			return "", false
		}
		return strings.ToLower(m[1]) + strings.ToUpper(m[2]) + "/" + m[3] + m[4] + m[5], true
	}
	return "", false
}

// newArxivID checks a new-style identifier, YYMM.NNNN(N) with an optional version, without a regexp:
// the readers check one per record.
func newArxivID(s string) (string, bool) {
	if v := strings.IndexAny(s, "vV"); v >= 0 {
		if v == len(s)-1 || !digits(s[v+1:]) {
			return "", false
		}
		s = s[:v]
	}
	if len(s) != 9 && len(s) != 10 || s[4] != '.' || !digits(s[:4]) || !digits(s[5:]) {
		return "", false
	}
	yy, mm := atoi(s[:2]), atoi(s[2:4])
	if mm < 1 || mm > 12 || yy*100+mm < 704 || (yy*100+mm < 1501) != (len(s) == 9) {
		return "", false
	}
	return s, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// oldArchives are the archives of old-style arXiv identifiers.
var oldArchives = func() map[string]bool {
	m := make(map[string]bool)
	for _, a := range strings.Fields(`acc-phys adap-org alg-geom ao-sci astro-ph atom-ph bayes-an chao-dyn
		chem-ph cmp-lg comp-gas cond-mat cs dg-ga funct-an gr-qc hep-ex hep-lat hep-ph hep-th math
		math-ph mtrl-th nlin nucl-ex nucl-th patt-sol physics plasm-ph q-alg q-bio q-fin quant-ph
		solv-int supr-con stat`) {
		m[a] = true
	}
	return m
}()

func isCanonicalArxivID(s string) bool {
	id, ok := NormalizeArxivID(s)
	return ok && id == s
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// doiForm reports whether s has the shape of a normalised DOI: "10.", a numeric registrant code of 4 to
// 9 digits (which may have dotted parts), "/", and a suffix without white space or control characters.
func doiForm(s string) bool {
	rest, ok := strings.CutPrefix(s, "10.")
	if !ok {
		return false
	}
	reg, suffix, ok := strings.Cut(rest, "/")
	if !ok || suffix == "" {
		return false
	}
	parts := strings.Split(reg, ".")
	if len(parts[0]) < 4 || len(parts[0]) > 9 {
		return false
	}
	for _, p := range parts {
		if !digits(p) {
			return false
		}
	}
	return !strings.ContainsFunc(suffix, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
}

// doiPrefixes are the ways a DOI is written before the "10.", matched without regard to case; link
// says the rest is a URL path, whose percent-escapes are decoded.
var doiPrefixes = []struct {
	prefix string
	link   bool
}{
	{"https://doi.org/", true}, {"http://doi.org/", true}, {"https://dx.doi.org/", true},
	{"http://dx.doi.org/", true}, {"https://www.doi.org/", true}, {"http://www.doi.org/", true},
	{"doi.org/", true}, {"dx.doi.org/", true},
	{"info:doi/", false}, {"urn:doi:", false}, {"doi:", false}, {"doi ", false},
}

// NormalizeDOI returns a DOI in the form Kindred stores: without a "https://doi.org/", "doi:" or
// similar prefix, the percent-escapes of a doi.org link decoded, lower-cased (DOIs are
// case-insensitive). It reports false when what is left is not a DOI ("10.", a registrant code, "/",
// a suffix) or is longer than MaxDOILen. It is idempotent.
func NormalizeDOI(s string) (string, bool) {
	s = strings.TrimSpace(s)
	link := false
	for again := true; again; {
		again = false
		for _, p := range doiPrefixes {
			if len(s) >= len(p.prefix) && strings.EqualFold(s[:len(p.prefix)], p.prefix) {
				s, again, link = strings.TrimSpace(s[len(p.prefix):]), true, link || p.link
				break
			}
		}
	}
	if link && strings.Contains(s, "%") {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
	}
	s = strings.ToLower(s)
	if len(s) > MaxDOILen || !doiForm(s) {
		return "", false
	}
	return s, true
}

func isCanonicalDOI(s string) bool {
	d, ok := NormalizeDOI(s)
	return ok && d == s
}

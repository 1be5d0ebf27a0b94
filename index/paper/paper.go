// Package paper defines the record Kindred indexes: one research paper abstract with its metadata.
//
// Readers (package reader) turn input files into Paper values; the engine (package index) only ever sees
// papers that passed Validate, after Normalize.
//
//	p := paper.Paper{Title: "Attention Is All You Need", Abstract: "The dominant sequence ..."}
//	p.Normalize()
//	if err := p.Validate(); err != nil { ... }
//	fmt.Println(p.ID) // "t-…": derived from the title because the source had no id
package paper

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
)

// Limits on one record. A record over a limit is rejected by Validate, never truncated or clamped
// silently.
const (
	MaxIDLen       = 256
	MaxTitleLen    = 2_000
	MaxAbstractLen = 100_000
	MaxAuthors     = 5_000
	MaxCategories  = 64
	MaxURLLen      = 4_096
	MaxVenueLen    = 1_000
	MaxDOILen      = 512
	MaxSourceLen   = 32
	// MaxCount bounds AuthorCount and Upvotes.
	MaxCount = 1_000_000
)

// Paper is one abstract and its metadata.
type Paper struct {
	// ID is stable: given by the reader's rule (the arXiv ID, else the DOI, else the source's own id,
	// such as a BEIR _id; package reader documents it) or, failing all, DerivedID(Title).
	ID       string `json:"id"`
	Title    string `json:"title"`
	Abstract string `json:"abstract"`
	// Authors lists names in the source's order; it may be empty when the source gives only a count.
	Authors []string `json:"authors,omitempty"`
	// AuthorCount is the number of authors, which can exceed len(Authors) (a "• 12 authors" line).
	AuthorCount int `json:"author_count,omitempty"`
	// Published is the publication or listing date; any part of it may be unknown.
	Published Date `json:"published,omitzero"`
	// Categories are subject classes such as "cs.CL", in the source's order.
	Categories []string `json:"categories,omitempty"`
	// URL links to the paper's page at its source, when known.
	URL string `json:"url,omitempty"`
	// Upvotes is a popularity count from listing pages; zero when unknown.
	Upvotes int `json:"upvotes,omitempty"`
	// DOI is the Digital Object Identifier, normalised by NormalizeDOI: lower-case, without a
	// "https://doi.org/" or "doi:" prefix ("10.1103/physrevd.76.013009").
	DOI string `json:"doi,omitempty"`
	// Venue is where the paper was published or accepted: a journal, proceedings or conference
	// ("CVPR 2025", "Phys. Rev. D 76, 013009").
	Venue string `json:"venue,omitempty"`
	// ArxivID is the paper's arXiv identifier without version ("2504.16081", "hep-th/9901001"), when
	// known.
	ArxivID string `json:"arxiv_id,omitempty"`
	// Source names the reader the paper came from: "arxiv", "beir", "csl-json", "bibtex", "ris",
	// "openalex", "pubmed", "s2", "jsonl" or "daily"; empty for papers built in code.
	Source string `json:"source,omitempty"`
	// TitleDerived reports that the source gave no title and Title was made from the start of the
	// abstract, so a user interface may show it differently.
	TitleDerived bool `json:"title_derived,omitempty"`
}

// Errors returned by Validate and CheckURL. Wrap-checked with errors.Is.
var (
	ErrMissingTitle    = errors.New("missing title")
	ErrMissingAbstract = errors.New("missing abstract")
	ErrTooLarge        = errors.New("record too large")
	ErrBadID           = errors.New("invalid id")
	// ErrBadCount: AuthorCount or Upvotes is negative or above MaxCount.
	ErrBadCount = errors.New("invalid count")
	// ErrBadDOI: DOI is set but is not a DOI ("10.", a registrant code, "/", a suffix).
	ErrBadDOI = errors.New("invalid doi")
	// ErrBadArxivID: ArxivID is set but is not an arXiv identifier.
	ErrBadArxivID = errors.New("invalid arxiv_id")
	// ErrBadSource: Source is not a short lower-case name.
	ErrBadSource = errors.New("invalid source")
	// ErrBadURL: URL is set but is not an absolute http or https URL (returned by CheckURL).
	ErrBadURL = errors.New("url must be http or https")
)

// Normalize folds white space (hard line breaks, tabs, runs of spaces) in the text fields, repairs invalid
// UTF-8 by replacing bad bytes with U+FFFD, drops empty authors and categories, fills AuthorCount from
// Authors when it is lower, writes DOI and ArxivID in their canonical forms (NormalizeDOI, ParseRef),
// and derives an ID from the title when the record has none.
//
// The ID only loses the white space around it: control characters and inner white space are left for
// Validate to reject, so that "a\x00b" is refused rather than silently becoming another paper's "ab".
// Out-of-range counts are likewise left for Validate.
func (p *Paper) Normalize() {
	p.ID = strings.TrimSpace(strings.ToValidUTF8(p.ID, "\uFFFD"))
	p.Title = Fold(p.Title)
	p.Abstract = Fold(p.Abstract)
	p.URL = Fold(p.URL)
	p.Venue = Fold(p.Venue)
	p.Source = Fold(p.Source)
	p.Authors = foldList(p.Authors)
	p.Categories = foldList(p.Categories)
	if p.AuthorCount >= 0 && p.AuthorCount < len(p.Authors) {
		p.AuthorCount = len(p.Authors)
	}
	if p.DOI = Fold(p.DOI); p.DOI != "" {
		if d, ok := NormalizeDOI(p.DOI); ok {
			p.DOI = d
		}
	}
	if p.ArxivID = Fold(p.ArxivID); p.ArxivID != "" {
		if id, ok := NormalizeArxivID(p.ArxivID); ok {
			p.ArxivID = id
		}
	}
	if p.ID == "" && p.Title != "" {
		p.ID = DerivedID(p.Title)
	}
}

// Validate reports why a normalized paper cannot be indexed, or nil.
func (p *Paper) Validate() error {
	switch {
	case p.Title == "":
		return ErrMissingTitle
	case p.Abstract == "":
		return ErrMissingAbstract
	case p.ID == "" || len(p.ID) > MaxIDLen:
		return fmt.Errorf("%w: must be 1 to %d bytes", ErrBadID, MaxIDLen)
	case strings.ContainsFunc(p.ID, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }):
		return fmt.Errorf("%w: %q contains white space or control characters", ErrBadID, p.ID)
	case len(p.Title) > MaxTitleLen:
		return fmt.Errorf("%w: title is %d bytes, limit %d", ErrTooLarge, len(p.Title), MaxTitleLen)
	case len(p.Abstract) > MaxAbstractLen:
		return fmt.Errorf("%w: abstract is %d bytes, limit %d", ErrTooLarge, len(p.Abstract), MaxAbstractLen)
	case len(p.Authors) > MaxAuthors:
		return fmt.Errorf("%w: %d authors, limit %d", ErrTooLarge, len(p.Authors), MaxAuthors)
	case len(p.Categories) > MaxCategories:
		return fmt.Errorf("%w: %d categories, limit %d", ErrTooLarge, len(p.Categories), MaxCategories)
	case len(p.URL) > MaxURLLen:
		return fmt.Errorf("%w: url is %d bytes, limit %d", ErrTooLarge, len(p.URL), MaxURLLen)
	case len(p.Venue) > MaxVenueLen:
		return fmt.Errorf("%w: venue is %d bytes, limit %d", ErrTooLarge, len(p.Venue), MaxVenueLen)
	case p.AuthorCount < 0 || p.AuthorCount > MaxCount:
		return fmt.Errorf("%w: author_count %d is outside 0 to %d", ErrBadCount, p.AuthorCount, MaxCount)
	case p.Upvotes < 0 || p.Upvotes > MaxCount:
		return fmt.Errorf("%w: upvotes %d is outside 0 to %d", ErrBadCount, p.Upvotes, MaxCount)
	case p.DOI != "" && !isCanonicalDOI(p.DOI):
		return fmt.Errorf("%w: %q is not a DOI such as 10.1234/abc", ErrBadDOI, clip(p.DOI))
	case p.ArxivID != "" && !isCanonicalArxivID(p.ArxivID):
		return fmt.Errorf("%w: %q is not an arXiv identifier such as 2504.16081 or hep-th/9901001", ErrBadArxivID, clip(p.ArxivID))
	case !validSource(p.Source):
		return fmt.Errorf("%w: %q: want up to %d lower-case letters, digits and '-'", ErrBadSource, clip(p.Source), MaxSourceLen)
	}
	return nil
}

// CheckURL reports whether u, a normalized URL, may come in from outside: empty, or an absolute http or
// https URL with a host. Readers apply it to every record at ingest; Validate does not, because it also
// vets papers already stored by older versions, which took any URL.
func CheckURL(u string) error {
	if u == "" {
		return nil
	}
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok || (!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https")) {
		if i := strings.IndexByte(u, ':'); i > 0 && i < 20 {
			return fmt.Errorf("%w, not %s", ErrBadURL, strings.ToLower(u[:i]))
		}
		return ErrBadURL
	}
	host, _, _ := strings.Cut(rest, "/")
	if host == "" || strings.ContainsAny(u, " \t\r\n") {
		return fmt.Errorf("%w: %q has no host", ErrBadURL, clip(u))
	}
	return nil
}

// validSource reports whether s is empty or a short lower-case name.
func validSource(s string) bool {
	if len(s) > MaxSourceLen {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) <= 80 {
		return s
	}
	return strings.ToValidUTF8(s[:80], "") + "…"
}

// DerivedID is the ID of a paper whose source gives none: "t-" and 16 hex digits of a hash of the
// title, lower-cased with white space folded, so the same title always gets the same ID.
func DerivedID(title string) string {
	key := strings.ToLower(Fold(title))
	return fmt.Sprintf("t-%016x", xxhash.Sum64String(key))
}

// Fold replaces invalid UTF-8 with U+FFFD, drops control characters and folds every run of white space
// into one space, trimming both ends.
func Fold(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if unicode.IsControl(r) {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func foldList(in []string) []string {
	out := in[:0:0]
	for _, s := range in {
		if s = Fold(s); s != "" {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

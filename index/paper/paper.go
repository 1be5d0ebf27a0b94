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

// Limits on one record. A record over a limit is rejected by Validate, never truncated silently.
const (
	MaxIDLen       = 256
	MaxTitleLen    = 2_000
	MaxAbstractLen = 100_000
	MaxAuthors     = 5_000
	MaxCategories  = 64
)

// Paper is one abstract and its metadata.
type Paper struct {
	// ID is stable: the source's own id (arXiv id, BEIR _id) or, failing that, DerivedID(Title).
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
}

// Errors returned by Validate. Wrap-checked with errors.Is.
var (
	ErrMissingTitle    = errors.New("missing title")
	ErrMissingAbstract = errors.New("missing abstract")
	ErrTooLarge        = errors.New("record too large")
	ErrBadID           = errors.New("invalid id")
)

// Normalize folds white space (hard line breaks, tabs, runs of spaces) in the text fields, repairs invalid
// UTF-8 by replacing bad bytes with U+FFFD, drops empty authors and categories, fills AuthorCount from
// Authors when it is lower, and derives an ID from the title when the record has none.
func (p *Paper) Normalize() {
	p.ID = strings.TrimSpace(Fold(p.ID))
	p.Title = Fold(p.Title)
	p.Abstract = Fold(p.Abstract)
	p.URL = strings.TrimSpace(Fold(p.URL))
	p.Authors = foldList(p.Authors)
	p.Categories = foldList(p.Categories)
	if p.AuthorCount < len(p.Authors) {
		p.AuthorCount = len(p.Authors)
	}
	if p.Upvotes < 0 {
		p.Upvotes = 0
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
	}
	return nil
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

package index

import (
	"fmt"
	"strings"
	"time"

	"github.com/kindred-search/kindred/index/bm25"
	"github.com/kindred-search/kindred/index/paper"
)

// Filter restricts results by publication date and category. The zero Filter matches everything.
type Filter struct {
	// From and To bound the publication date, both inclusive, at the precision given: To "2024"
	// includes all of 2024. Papers without a date never match a date-bounded filter.
	From, To paper.Date
	// Categories keeps papers in any of these categories, compared without regard to case ("cs.cl"
	// finds cs.CL).
	Categories []string
}

// IsZero reports whether f filters nothing.
func (f Filter) IsZero() bool { return f.From.IsZero() && f.To.IsZero() && len(f.Categories) == 0 }

func (f Filter) check() error {
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Time().Before(f.From.Time()) {
		return fmt.Errorf("%w: to (%s) is before from (%s)", ErrBadRequest, f.To, f.From)
	}
	if len(f.Categories) > MaxCategories {
		return fmt.Errorf("%w: %d categories, at most %d", ErrBadRequest, len(f.Categories), MaxCategories)
	}
	return nil
}

// MaxCategories bounds a filter's categories.
const MaxCategories = 64

// endOf is the first instant after the period a partial date names.
func endOf(d paper.Date) time.Time {
	t := d.Time()
	switch {
	case d.Month == 0:
		return t.AddDate(1, 0, 0)
	case d.Day == 0:
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(0, 0, 1)
}

// keywordFilter is f as the keyword index applies it, categories resolved to the index's own
// spelling. Called with mu held.
func (ix *Index) keywordFilter(f Filter) bm25.Filter {
	var bf bm25.Filter
	if !f.From.IsZero() || !f.To.IsZero() {
		bf.Dated, bf.From, bf.To = true, minDay, maxDay
		if !f.From.IsZero() {
			bf.From = dayNumber(f.From)
		}
		if !f.To.IsZero() {
			bf.To = timeDay(endOf(f.To)) - 1
		}
	}
	if len(f.Categories) > 0 {
		bf.Categories = ix.resolveCategories(f.Categories)
	}
	return bf
}

// Day numbers that bound every date a paper can have.
const (
	minDay = bm25.NoDate + 1
	maxDay = 1<<31 - 1
)

// resolveCategories maps category names to the spellings the index holds, ignoring case; a name
// the index has never seen is kept (it matches nothing).
func (ix *Index) resolveCategories(cs []string) []string {
	known := ix.kw.Categories()
	byFold := make(map[string][]string, len(known))
	for _, k := range known {
		f := strings.ToLower(k)
		byFold[f] = append(byFold[f], k)
	}
	var out []string
	for _, c := range cs {
		if ks, ok := byFold[strings.ToLower(strings.TrimSpace(c))]; ok {
			out = append(out, ks...)
		} else {
			out = append(out, c)
		}
	}
	return out
}

// EscapeQuery backslash-escapes the characters the query syntax gives meaning to, so that any text (a
// claim, a pasted title) searches as plain words, without notes.
func EscapeQuery(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		if strings.ContainsRune(`+-=&|><!(){}[]^"~*?:\/`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

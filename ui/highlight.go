package ui

import (
	"cmp"
	"html/template"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kindred-search/kindred/index"
)

// Highlights come from the engine as data (index.Highlights.Spans: byte ranges of the paper's own
// title and abstract, and Fragment: the window of the abstract worth showing). The page escapes the
// text itself and wraps the spans in <mark>, so no HTML from the engine or the paper is ever trusted.

// markedTitle is the title with its matches marked, or the escaped title when nothing matched.
func markedTitle(title string, hl *index.Highlights) template.HTML {
	if hl == nil {
		return escaped(title)
	}
	return marked(title, hl.Spans, "title", 0, len(title))
}

// markedSnippet is the abstract's best fragment with its matches marked, or the start of the
// abstract when the abstract did not match.
func markedSnippet(abstract string, hl *index.Highlights, clipRunes int) template.HTML {
	if hl != nil {
		start, end := hl.Fragment[0], hl.Fragment[1]
		if validRange(abstract, start, end) && slices.ContainsFunc(hl.Spans, func(s index.Span) bool { return s.Field == "abstract" }) {
			return marked(abstract, hl.Spans, "abstract", start, end)
		}
	}
	return escaped(clip(abstract, clipRunes))
}

// validRange reports whether text[start:end] is a non-empty slice cut at rune boundaries.
func validRange(text string, start, end int) bool {
	return 0 <= start && start < end && end <= len(text) &&
		(start == len(text) || utf8.RuneStart(text[start])) && (end == len(text) || utf8.RuneStart(text[end]))
}

// marked escapes text[start:end] and wraps the spans of field that lie inside it in <mark>, with "…"
// at an end that cuts the text. Spans out of range, off rune boundaries or overlapping an earlier
// span are ignored: they are checked here like any other input. White space at a cut end is trimmed.
func marked(text string, spans []index.Span, field string, start, end int) template.HTML {
	if !validRange(text, start, end) {
		return escaped(text)
	}
	for start < end && text[start] == ' ' {
		start++
	}
	for end > start && text[end-1] == ' ' {
		end--
	}
	var own []index.Span
	for _, s := range spans {
		if s.Field == field && s.Start >= start && s.End <= end && validRange(text, s.Start, s.End) {
			own = append(own, s)
		}
	}
	slices.SortFunc(own, func(a, b index.Span) int { return cmp.Compare(a.Start, b.Start) })
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	at := start
	for _, s := range own {
		if s.Start < at {
			continue // overlaps the span before
		}
		b.WriteString(template.HTMLEscapeString(text[at:s.Start]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(text[s.Start:s.End]))
		b.WriteString("</mark>")
		at = s.End
	}
	b.WriteString(template.HTMLEscapeString(text[at:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return template.HTML(b.String())
}

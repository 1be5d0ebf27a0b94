package index

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/kindred-search/kindred/index/paper"
)

// Span is one match in a paper's text: a byte range of its title or abstract.
type Span struct {
	Field string `json:"field"` // "title" or "abstract"
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Highlights mark where a paper matched the query. Spans are the matches as data, byte offsets into
// the paper's own title and abstract; Title and Abstract are the same matches rendered as HTML: the
// text escaped, matches in <mark>, the abstract cut to its best fragment (Fragment, a byte range)
// with "…" where it was cut.
type Highlights struct {
	Title    string `json:"title,omitempty"`
	Abstract string `json:"abstract,omitempty"`
	Spans    []Span `json:"spans,omitempty"`
	Fragment [2]int `json:"fragment,omitzero"`
}

// fragmentBytes is about how much of an abstract a highlight shows (Bleve's default was 200).
const fragmentBytes = 240

// highlight returns p's highlights for the analyzed terms in marks, or nil if nothing matched.
func (ix *Index) highlight(p paper.Paper, marks map[string]bool) *Highlights {
	if len(marks) == 0 {
		return nil
	}
	ts := ix.spans(p.Title, fieldTitle, marks)
	as := ix.spans(p.Abstract, fieldAbstract, marks)
	if len(ts) == 0 && len(as) == 0 {
		return nil
	}
	h := &Highlights{Spans: append(ts, as...)}
	if len(ts) > 0 {
		h.Title = markHTML(p.Title, ts, 0, len(p.Title))
	}
	if len(as) > 0 {
		start, end := bestFragment(p.Abstract, as)
		h.Fragment = [2]int{start, end}
		h.Abstract = markHTML(p.Abstract, as, start, end)
	}
	return h
}

// spans finds the tokens of text whose analyzed term is marked.
func (ix *Index) spans(text, field string, marks map[string]bool) []Span {
	var out []Span
	for _, t := range ix.emb.TokenSpans(text) {
		if marks[t.Term] {
			out = append(out, Span{Field: field, Start: t.Start, End: t.End})
		}
	}
	return out
}

// bestFragment picks the window of about fragmentBytes holding the most matches, widened to word
// boundaries.
func bestFragment(text string, spans []Span) (int, int) {
	if len(text) <= fragmentBytes {
		return 0, len(text)
	}
	best, bestN := 0, -1
	for i, s := range spans {
		n := 0
		for _, t := range spans[i:] {
			if t.End-s.Start > fragmentBytes {
				break
			}
			n++
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	// Start a little before the first match of the window, on a word boundary.
	start := max(spans[best].Start-40, 0)
	for start > 0 && !isBoundary(text, start) {
		start--
	}
	end := min(start+fragmentBytes, len(text))
	for end < len(text) && !isBoundary(text, end) {
		end++
	}
	return start, end
}

func isBoundary(text string, i int) bool {
	if !utf8.RuneStart(text[i]) {
		return false
	}
	return text[i] == ' ' || (i > 0 && text[i-1] == ' ')
}

// markHTML escapes text[start:end] with the spans inside it wrapped in <mark>, and "…" at cut ends.
func markHTML(text string, spans []Span, start, end int) string {
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	at := start
	for _, s := range spans {
		if s.Start < at || s.End > end {
			continue
		}
		b.WriteString(html.EscapeString(text[at:s.Start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.Start:s.End]))
		b.WriteString("</mark>")
		at = s.End
	}
	b.WriteString(html.EscapeString(text[at:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return strings.TrimSpace(b.String())
}

package ui

import (
	"html"
	"html/template"
	"strings"
	"unicode/utf8"
)

// The five entities html.EscapeString writes, which is how Bleve escapes highlighted text.
var fragmentEntities = []string{"&lt;", "&gt;", "&amp;", "&#39;", "&#34;"}

const (
	markOpen  = "<mark>"
	markClose = "</mark>"
)

// safeFragment reports whether s is a highlight fragment as Bleve's HTML formatter writes it: valid
// UTF-8 text in which '<', '>', '&', '\” and '"' appear only as the five entities html.EscapeString
// writes, plus <mark> and </mark> tags, balanced and not nested. Only such a string may be marked
// template.HTML; it can hold no other element, attribute or script whatever the paper's text was.
func safeFragment(s string) (template.HTML, bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	open := false
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			switch {
			case !open && strings.HasPrefix(s[i:], markOpen):
				open = true
				i += len(markOpen)
			case open && strings.HasPrefix(s[i:], markClose):
				open = false
				i += len(markClose)
			default:
				return "", false
			}
		case '&':
			n := entityLen(s[i:])
			if n == 0 {
				return "", false
			}
			i += n
		case '>', '"', '\'', 0:
			return "", false
		default:
			i++
		}
	}
	if open {
		return "", false
	}
	return template.HTML(s), true
}

func entityLen(s string) int {
	for _, e := range fragmentEntities {
		if strings.HasPrefix(s, e) {
			return len(e)
		}
	}
	return 0
}

var unmark = strings.NewReplacer(markOpen, "", markClose, "")

// fragmentText is the plain text of a safe fragment: marks removed, entities decoded, and Bleve's
// "…" at either end (added when the fragment is cut from longer text) trimmed.
func fragmentText(f template.HTML) string {
	s := unmark.Replace(string(f))
	s = html.UnescapeString(s)
	s = strings.TrimPrefix(s, "…")
	return strings.TrimSuffix(s, "…")
}

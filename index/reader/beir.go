package reader

import (
	"strings"
	"unicode/utf8"

	"github.com/kindred-search/kindred/index/paper"
)

// Derived titles. Some BEIR corpora (FiQA, ArguAna, Quora) have records with an empty title; rather
// than reject them, the BEIR shape gives them a display title made from the start of the text and
// marks it with Paper.TitleDerived. Every other shape and format requires a title.
const (
	derivedTitleWords = 12
	derivedTitleRunes = 120
)

// deriveTitle makes a display title from the start of text: its first sentence when that is at most
// derivedTitleWords words and derivedTitleRunes characters, else its first words within both limits
// followed by "…". Text without words gives "".
func deriveTitle(text string) string {
	words := strings.Fields(paper.Fold(text))
	var b strings.Builder
	for i, w := range words {
		if i == derivedTitleWords || utf8.RuneCountInString(b.String())+1+utf8.RuneCountInString(w) > derivedTitleRunes {
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if endsSentence(w) {
			return b.String()
		}
	}
	if b.Len() == 0 && len(words) > 0 {
		// One word longer than the limit: cut it.
		r := []rune(words[0])
		return string(r[:derivedTitleRunes]) + "…"
	}
	if b.Len() == len(strings.Join(words, " ")) {
		return b.String() // the whole text fits
	}
	return strings.TrimRight(b.String(), ",;:-–—") + "…"
}

// endsSentence reports whether word ends a sentence: a full stop, question or exclamation mark, not
// after a single letter ("J. Smith") or in a common abbreviation.
func endsSentence(w string) bool {
	w = strings.TrimRight(w, `"')]”’`)
	if !strings.HasSuffix(w, ".") && !strings.HasSuffix(w, "?") && !strings.HasSuffix(w, "!") {
		return false
	}
	if strings.HasSuffix(w, ".") {
		stem := strings.TrimSuffix(w, ".")
		if utf8.RuneCountInString(stem) <= 1 || abbreviations[strings.ToLower(stem)] || strings.Contains(stem, ".") {
			return false
		}
	}
	return true
}

var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "etc": true, "vs": true, "dr": true, "mr": true, "mrs": true, "ms": true,
	"prof": true, "fig": true, "eq": true, "no": true, "vol": true, "al": true, "approx": true, "st": true,
	"inc": true, "ltd": true, "co": true, "jr": true, "sr": true, "u.s": true,
}

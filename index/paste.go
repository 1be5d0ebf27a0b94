package index

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Pasted text. Abstracts pasted into similar text are often copied from a PDF: ligatures ("ﬁ",
// "ﬂ"), soft hyphens, and words cut at the end of a line ("comple-\nmentary"). Each of these turns a
// word into one no paper has, which both sides then miss, and hides from the check of whether the
// text is a paper of the index (dropSelves). pastedText undoes them before anything reads the text.

// lineBreakHyphen is a word cut by a hyphen at the end of a line, the rest starting the next one.
var lineBreakHyphen = regexp.MustCompile(`(\p{L}+)-[ \t]*\r?\n[ \t]*(\p{Ll}+)`)

// pastedText returns text, its invalid bytes replaced, in compatibility normal form (NFKC: ligatures become their letters),
// without soft hyphens, and with each word cut at a line break joined again when known reports the
// joined word (lower case) as one the index has; otherwise the hyphen stays, as in "cross-\nmodal",
// which is "cross-modal".
func pastedText(text string, known func(word string) bool) string {
	text = strings.ReplaceAll(norm.NFKC.String(strings.ToValidUTF8(text, "\ufffd")), "\u00ad", "")
	if !strings.Contains(text, "-") {
		return text
	}
	return lineBreakHyphen.ReplaceAllStringFunc(text, func(m string) string {
		g := lineBreakHyphen.FindStringSubmatch(m)
		if joined := g[1] + g[2]; known(strings.ToLower(joined)) {
			return joined
		}
		return g[1] + "-" + g[2]
	})
}

// holdsText reports whether text holds abstract, whatever the white space, punctuation and case:
// at least holdsShare of the abstract's word trigrams are in the text (a few differences, a word cut
// by a line break, a formula, are tolerated). An abstract of fewer than three words must be in the
// text as a whole.
func holdsText(text, abstract string) bool {
	a := plainWords(abstract)
	if len(a) == 0 {
		return false
	}
	t := plainWords(text)
	if len(a) < 3 {
		return strings.Contains(" "+strings.Join(t, " ")+" ", " "+strings.Join(a, " ")+" ")
	}
	have := make(map[[3]string]bool, len(t))
	for i := 0; i+3 <= len(t); i++ {
		have[[3]string{t[i], t[i+1], t[i+2]}] = true
	}
	in, n := 0, len(a)-2
	for i := 0; i+3 <= len(a); i++ {
		if have[[3]string{a[i], a[i+1], a[i+2]}] {
			in++
		}
	}
	return float64(in) >= holdsShare*float64(n)
}

// holdsShare is the share of an abstract's word trigrams a text must hold to hold the abstract.
const holdsShare = 0.9

// plainWords is text's runs of letters and digits, lower-cased, in compatibility normal form.
func plainWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(norm.NFKC.String(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

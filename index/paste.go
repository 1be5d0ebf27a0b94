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

// pastedText returns text, its invalid bytes replaced, in compatibility normal form (NFKC:
// ligatures become their letters), without soft hyphens, and with each word cut at a line break
// joined again when known reports the joined word (lower case) as one the index has; otherwise the
// hyphen stays, as in "cross-\nmodal", which is "cross-modal".
func pastedText(text string, known func(word string) bool) string {
	text = strings.ReplaceAll(norm.NFKC.String(strings.ToValidUTF8(text, "\ufffd")), "\u00ad", "")
	if !strings.Contains(text, "-") {
		return text
	}
	var b strings.Builder
	last := 0
	for _, m := range lineBreakHyphen.FindAllStringSubmatchIndex(text, -1) {
		head, tail := text[m[2]:m[3]], text[m[4]:m[5]]
		b.WriteString(text[last:m[0]])
		b.WriteString(head)
		if !known(strings.ToLower(head + tail)) {
			b.WriteByte('-')
		}
		b.WriteString(tail)
		last = m[1]
	}
	b.WriteString(text[last:])
	return b.String()
}

// pasted is pastedText with the words of this index.
func (ix *Index) pasted(text string) string {
	return pastedText(text, func(w string) bool { _, ok := ix.kw.TermOf(w); return ok })
}

// holdsText reports whether text holds abstract, whatever the white space, punctuation and case:
// at least holdsShare of the abstract's word trigrams are in the text (a few differences, a word cut
// by a line break, a formula, are tolerated). An abstract of fewer than three words must be in the
// text as a whole.
func holdsText(text, abstract string) bool { return newTextWords(text).holds(abstract) }

// textWords is a text's words and word trigrams, read once for the abstracts it is checked against.
type textWords struct {
	joined   string // the words, space-separated, with a space at each end
	trigrams map[[3]string]bool
}

func newTextWords(text string) textWords {
	t := plainWords(text)
	tw := textWords{joined: " " + strings.Join(t, " ") + " ", trigrams: make(map[[3]string]bool, len(t))}
	for i := 0; i+3 <= len(t); i++ {
		tw.trigrams[[3]string{t[i], t[i+1], t[i+2]}] = true
	}
	return tw
}

// holds is holdsText against the text tw was made from.
func (tw textWords) holds(abstract string) bool {
	a := plainWords(abstract)
	switch {
	case len(a) == 0:
		return false
	case len(a) < 3:
		return strings.Contains(tw.joined, " "+strings.Join(a, " ")+" ")
	}
	in, n := 0, len(a)-2
	for i := 0; i+3 <= len(a); i++ {
		if tw.trigrams[[3]string{a[i], a[i+1], a[i+2]}] {
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

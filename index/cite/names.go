package cite

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// name is an author's name in parts, as reference managers keep it: "Ludwig van Beethoven" is given
// "Ludwig", family "van Beethoven"; "Martin Luther King Jr." has the suffix "Jr.". A name that cannot
// be split safely (one word, a comma, the word "and") is literal.
type name struct {
	given, family, suffix string
	literal               string
}

// suffixes are the name suffixes kept apart from the family name.
var suffixes = map[string]bool{"Jr.": true, "Jr": true, "Sr.": true, "Sr": true, "II": true, "III": true, "IV": true}

// splitName splits a name written first name first at its last word, keeping lower-case particles
// with the family name and a suffix apart.
func splitName(s string) name {
	words := strings.Fields(s)
	if len(words) < 2 || strings.Contains(s, ",") || hasAnd(words) {
		return name{literal: strings.Join(words, " ")} // "Plato", "Procter and Gamble"
	}
	var n name
	if len(words) > 2 && suffixes[words[len(words)-1]] {
		n.suffix, words = words[len(words)-1], words[:len(words)-1]
	}
	// The family name is the last word, or starts at the first lower-case particle after the given
	// name ("van Beethoven", "de la Vallée Poussin"), as BibTeX's "von" part does.
	last := len(words) - 1
	for i := 1; i < last; i++ {
		if startsLower(words[i]) {
			last = i
			break
		}
	}
	n.given, n.family = strings.Join(words[:last], " "), strings.Join(words[last:], " ")
	return n
}

// keyName is the word of the name a citation key starts with: the last word of the family name, or
// of the literal.
func (n name) keyName() string {
	s := n.family
	if s == "" {
		s = n.literal
	}
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// hasAnd reports whether a name holds the word "and": a firm or group, not a person ("Procter and
// Gamble"), and a separator to BibTeX.
func hasAnd(words []string) bool {
	for _, w := range words {
		if strings.EqualFold(w, "and") {
			return true
		}
	}
	return false
}

func startsLower(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsLower(r)
}

package cite

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kindred-search/kindred/index/paper"
)

// Keys returns the citation key of each paper, in order: lastnameYEARfirstword, with a, b, c, ...
// appended to keys that several papers of ps share. BibTeX uses them as entry keys, CSL-JSON as
// "citation-key".
func Keys(ps ...paper.Paper) []string {
	base := make([]string, len(ps))
	count := make(map[string]int, len(ps))
	for i, p := range ps {
		base[i] = baseKey(p)
		count[base[i]]++
	}
	used := make(map[string]bool, len(ps))
	for _, b := range base {
		if count[b] == 1 {
			used[b] = true
		}
	}
	keys := make([]string, len(ps))
	next := make(map[string]int)
	for i, b := range base {
		if count[b] == 1 {
			keys[i] = b
			continue
		}
		for {
			k := b + suffix(next[b])
			next[b]++
			if !used[k] {
				used[k] = true
				keys[i] = k
				break
			}
		}
	}
	return keys
}

// suffix is the n-th disambiguating suffix: "a" to "z", then "aa", "ab", ...
func suffix(n int) string {
	s := ""
	for n >= 0 {
		s = string(rune('a'+n%26)) + s
		n = n/26 - 1
	}
	return s
}

// baseKey is lastnameYEARfirstword for one paper.
func baseKey(p paper.Paper) string {
	last := "anon"
	if len(p.Authors) > 0 {
		if l := asciiWord(splitName(p.Authors[0]).keyName()); l != "" {
			last = l
		}
	}
	year := ""
	if p.Published.Year > 0 {
		year = strconv.Itoa(p.Published.Year)
	}
	return last + year + firstWord(p.Title)
}

// firstWord is the first word of title that is not a stop word, ASCII-folded and lower-cased; the first
// word when all are stop words; "" when there is none.
func firstWord(title string) string {
	var words []string
	for _, w := range strings.FieldsFunc(asciiFold(title), func(r rune) bool { return !isKeyRune(r) }) {
		words = append(words, strings.ToLower(w))
	}
	for _, w := range words {
		if !stopWords[w] {
			return w
		}
	}
	if len(words) > 0 {
		return words[0]
	}
	return ""
}

// asciiWord folds s to ASCII and keeps its letters and digits, lower-cased: "D'Incà" gives "dinca".
func asciiWord(s string) string {
	var b strings.Builder
	for _, r := range asciiFold(s) {
		if isKeyRune(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func isKeyRune(r rune) bool { return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// asciiFold writes Latin letters without their diacritics ("é" as "e") and the letters that do not
// decompose as their usual ASCII spelling ("ß" as "ss", "ø" as "o"); other characters pass unchanged.
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case special[r] != "":
			b.WriteString(special[r])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var special = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE", 'ø': "o", 'Ø': "O", 'ł': "l", 'Ł': "L",
	'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D", 'þ': "th", 'Þ': "TH", 'ı': "i", 'ŋ': "n", 'Ŋ': "N", 'ħ': "h",
}

// stopWords are skipped when the first word of a title is taken for a key.
var stopWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(`a an the and or but of on in at to for from by with without via
		into onto over under about as is are was were be been being do does did can could should would
		will may might must shall we our us you your it its this that these those what which who whom
		how why when where not no than then there their they toward towards through beyond between
		among using based`) {
		m[w] = true
	}
	return m
}()

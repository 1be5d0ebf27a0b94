package index

import (
	"regexp"
	"strings"
)

// What an abstract says that is not its subject. Related papers select their terms from a cleaned
// copy of the source text, and explain themselves with the same terms, so that two papers are never
// related because both cite "Tian et al." or link to GitHub:
//
//   - citations, with the names and years they cite ("(Lei et al., 2024a; Cao et al., 2023)",
//     "Tian et al. (2024)", "[12]"), and the Latin abbreviations of academic prose (et al., e.g., i.e.,
//     cf., vs., viz., etc., resp., approx.): a closed class of forms that carry no topic;
//   - URLs and e-mail addresses (their pieces, "github", "https", "com", are the most common
//     "shared terms" between unrelated abstracts);
//   - LaTeX markup: commands (\mathbf, \emph), math between dollar signs, braces.
//
// Words common to the whole genre ("paper", "propose", "results") are left to the corpus statistics
// instead: see maxTermShare.
var (
	urlRE = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+|\b[\w-]+\.(?:com|org|io|net|ai)(?:/\S*)?`)
	// A citation in the running text: "Tian et al. (2024)", "Smith and Jones [12]", "Lei et al., 2024a".
	nameCiteRE = regexp.MustCompile(`\b\p{Lu}[\p{L}'-]+(?:\s+(?:and|&)\s+\p{Lu}[\p{L}'-]+)?\s+et\s+al\b\.?(?:,?\s*(?:\((?:19|20)\d\d[a-z]?\)|(?:19|20)\d\d[a-z]?))?|\[\d+(?:[,–-]\s*\d+)*\]`)
)

// cleanForTerms removes citation apparatus, URLs and LaTeX markup from text.
func cleanForTerms(text string) string {
	// Each expression only runs on texts that have what it looks for (most abstracts have none).
	if mayHaveURL(text) {
		text = removeURLs(text)
	}
	if strings.Contains(text, "(") {
		text = removeParenCitations(text)
	}
	if strings.Contains(text, "et al") || hasBracketNumber(text) {
		text = nameCiteRE.ReplaceAllString(text, " ")
	}
	if strings.ContainsAny(text, "$\\{}") {
		text = removeLaTeX(text)
	}
	if mayHaveAbbreviation(text) {
		text = removeAbbreviations(text)
	}
	return strings.Join(strings.Fields(text), " ")
}

// abbreviations are the Latin abbreviations and citation words removeAbbreviations blanks out, as
// lower-case words (a "." may follow each).
var abbreviations = []string{"et al", "e.g", "e. g", "i.e", "i. e", "cf", "vs", "viz", "etc", "resp", "approx", "ibid"}

// removeAbbreviations blanks out the words of abbreviations (any case), with a following dot.
func removeAbbreviations(text string) string {
	lower := asciiLower(text)
	b := []byte(text)
	changed := false
	for _, w := range abbreviations {
		for i := 0; ; {
			j := strings.Index(lower[i:], w)
			if j < 0 {
				break
			}
			j += i
			end := j + len(w)
			if (j == 0 || !isAlnum(lower[j-1])) && (end == len(lower) || !isAlnum(lower[end])) {
				if end < len(lower) && lower[end] == '.' {
					end++
				}
				for k := j; k < end; k++ {
					b[k] = ' '
				}
				changed = true
			}
			i = j + 1
		}
	}
	if !changed {
		return text
	}
	return string(b)
}

// removeLaTeX blanks out math between dollar signs (up to 200 bytes), commands (\mathbf, \emph*)
// and braces.
func removeLaTeX(text string) string {
	b := []byte(text)
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '$':
			if end := strings.IndexByte(text[i+1:min(len(text), i+202)], '$'); end >= 0 {
				for k := i; k <= i+1+end; k++ {
					b[k] = ' '
				}
				i += 1 + end
			}
		case c == '\\' && i+1 < len(b) && isLetter(b[i+1]):
			k := i + 1
			for k < len(b) && isLetter(b[k]) {
				k++
			}
			if k < len(b) && b[k] == '*' {
				k++
			}
			for j := i; j < k; j++ {
				b[j] = ' '
			}
			i = k - 1
		case c == '{' || c == '}':
			b[i] = ' '
		}
	}
	return string(b)
}

// asciiLower lower-cases the ASCII letters of s, keeping its length (strings.ToLower may not).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// cleanChanges reports whether cleanForTerms would change text (beyond white space): cheap checks
// first, then the cleaning itself.
func cleanChanges(text string) bool {
	if !mayHaveURL(text) && !strings.Contains(text, "(") && !strings.Contains(text, "et al") &&
		!hasBracketNumber(text) && !strings.ContainsAny(text, "$\\{}") && !mayHaveAbbreviation(text) {
		return false
	}
	return cleanForTerms(text) != strings.Join(strings.Fields(text), " ")
}

// removeURLs is urlRE.ReplaceAllString(text, " ") run only on the words (runs of what the
// expression's \S matches) that hold one of urlTriggers in any case: every match of urlRE lies
// inside one such word, and its \b boundaries see the same characters there, so the result is the
// same, in a fraction of the time (the expression costs more than the rest of cleanForTerms on the
// arXiv abstracts that mention a URL or a domain).
func removeURLs(text string) string {
	var b strings.Builder
	last := 0 // text[:last] is in b
	for i := 0; i < len(text); {
		if isRESpace(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && !isRESpace(text[j]) {
			j++
		}
		if word := text[i:j]; hasURLTrigger(word) {
			if r := urlRE.ReplaceAllString(word, " "); r != word {
				b.WriteString(text[last:i])
				b.WriteString(r)
				last = j
			}
		}
		i = j
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// isRESpace reports whether c is white space as \s means it in Go's regular expressions.
func isRESpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// urlTriggers are the pieces one of which every match of urlRE holds (lower case).
var urlTriggers = []string{"://", "www.", "@", ".com", ".org", ".io", ".net", ".ai"}

func hasURLTrigger(word string) bool {
	lower := asciiLower(word)
	for _, t := range urlTriggers {
		if strings.Contains(lower, t) {
			return true
		}
	}
	return false
}

func mayHaveURL(text string) bool {
	for _, s := range urlTriggers {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// mayHaveAbbreviation is a cheap test for what citationRE matches ("response" holds "resp" but is
// no abbreviation: words must stand alone).
func mayHaveAbbreviation(text string) bool {
	lower := asciiLower(text)
	for _, s := range []string{"e.g", "e. g", "i.e", "i. e"} {
		if strings.Contains(lower, s) {
			return true
		}
	}
	for _, w := range []string{"et al", "cf", "vs", "viz", "etc", "resp", "approx", "ibid"} {
		if hasWord(lower, w) {
			return true
		}
	}
	return false
}

// hasWord reports whether w occurs in s with no letter or digit on either side.
func hasWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(w)
		if (j == 0 || !isAlnum(s[j-1])) && (end == len(s) || !isAlnum(s[end])) {
			return true
		}
		i = j + 1
	}
}

// removeParenCitations blanks out the parentheticals that cite: those holding "et al" or a year
// (1900-2099, maybe with a letter: "2024a"): "(Lei et al., 2024a;b; Cao et al., 2023)", "(Sutton and
// Barto, 2018)".
func removeParenCitations(text string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(text); {
		open := strings.IndexByte(text[i:], '(')
		if open < 0 {
			break
		}
		open += i
		end := strings.IndexByte(text[open+1:], ')')
		if end < 0 {
			break
		}
		end += open + 1
		inner := text[open+1 : end]
		if strings.IndexByte(inner, '(') >= 0 {
			i = open + 1 // a nested parenthesis: try from the inner one
			continue
		}
		if len(inner) <= 600 && (strings.Contains(inner, "et al") || hasYear(inner)) {
			b.WriteString(text[last:open])
			b.WriteByte(' ')
			last = end + 1
		}
		i = end + 1
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// hasYear reports whether s holds a year 1900-2099 as a word of its own (a letter may follow it).
func hasYear(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') && isDigit(s[i+2]) && isDigit(s[i+3]) &&
			(i == 0 || !isAlnum(s[i-1])) && (i+4 == len(s) || !isDigit(s[i+4]) && (!isAlnum(s[i+4]) || i+5 == len(s) || !isAlnum(s[i+5]))) {
			return true
		}
	}
	return false
}

// hasBracketNumber reports whether s holds "[" and a digit: a numbered citation such as "[12]".
func hasBracketNumber(s string) bool {
	for i := strings.IndexByte(s, '['); i >= 0 && i+1 < len(s); {
		if isDigit(s[i+1]) {
			return true
		}
		j := strings.IndexByte(s[i+1:], '[')
		if j < 0 {
			return false
		}
		i += j + 1
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

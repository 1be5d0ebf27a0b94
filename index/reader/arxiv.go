package reader

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/kindred-search/kindred/index/paper"
)

// arxivID matches new-style ("2503.11731", "0704.0001v2") and old-style ("hep-th/9901001") arXiv ids.
var arxivID = regexp.MustCompile(`^(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$`)

func isArxivID(id string) bool { return arxivID.MatchString(id) }

// versionDate is the creation date of the first version in the arXiv snapshot's "versions" list
// ({"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}).
func versionDate(vs []version) (paper.Date, error) {
	v := vs[0]
	for _, w := range vs {
		if w.Version == "v1" {
			v = w
			break
		}
	}
	created := strings.TrimSpace(v.Created)
	for _, layout := range []string{"Mon, 2 Jan 2006 15:04:05 MST", time.RFC1123Z, time.RFC3339} {
		if t, err := time.Parse(layout, created); err == nil {
			return paper.ParseDate(t.Format("2006-01-02"))
		}
	}
	return paper.Date{}, fmt.Errorf("version %q created %q: want a date like %q", v.Version, v.Created,
		"Mon, 2 Apr 2007 19:18:42 GMT")
}

// parsedAuthors turns the snapshot's [[last, first, suffix], ...] into "first last suffix" names.
func parsedAuthors(parsed [][]string) []string {
	var out []string
	for _, parts := range parsed {
		if len(parts) == 0 {
			continue
		}
		var name []string
		if len(parts) > 1 && strings.TrimSpace(parts[1]) != "" {
			name = append(name, parts[1])
		}
		name = append(name, parts[0])
		for _, s := range parts[min(2, len(parts)):] {
			if strings.TrimSpace(s) != "" {
				name = append(name, s)
			}
		}
		out = append(out, strings.Join(name, " "))
	}
	return out
}

// unLaTeX writes the common LaTeX accents and special letters of author names in Unicode: `Bal\'azs`
// becomes "Balázs", `{\"O}zt{\"u}rk` "Öztürk", `Gr{\o}nbech` "Grønbech". It is deliberately small: an
// unknown command is kept as written, and an accent on a letter it has no precomposed form for is dropped.
func unLaTeX(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			i++
			continue
		}
		if letter, n := latexLetter(s[i+1:]); n > 0 {
			b.WriteString(letter)
			i += 1 + n
			continue
		}
		if out, n := latexAccent(s[i+1:]); n > 0 {
			b.WriteString(out)
			i += 1 + n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return dropBraces.Replace(b.String())
}

var dropBraces = strings.NewReplacer("{", "", "}", "")

// latexLetter reads a letter command such as "ss" or "o" (after the backslash) from the start of s and
// returns its letter and the bytes it used, or 0 bytes.
func latexLetter(s string) (string, int) {
	for _, l := range latexLetters {
		if !strings.HasPrefix(s, l.cmd) {
			continue
		}
		n := len(l.cmd)
		if n < len(s) && isASCIILetter(s[n]) {
			continue // a longer command, such as \lambda
		}
		if n+1 < len(s) && s[n] == ' ' && isASCIILetter(s[n+1]) {
			n++ // "\o rsted": the space only ends the command
		}
		return l.letter, n
	}
	return "", 0
}

// latexAccent reads an accent command with its base letter (after the backslash), as in `"o`, `"{o}`,
// `c{c}`, `c c` or `'{\i}`, and returns the accented letter and the bytes it used, or 0 bytes.
func latexAccent(s string) (string, int) {
	acc := s[0]
	if _, ok := accentBases[acc]; !ok {
		return "", 0
	}
	j := 1
	if isASCIILetter(acc) { // \c c or \c{c}: a letter command needs a separator
		if j < len(s) && s[j] == ' ' {
			j++
		} else if j == len(s) || s[j] != '{' {
			return "", 0
		}
	}
	brace := j < len(s) && s[j] == '{'
	if brace {
		j++
	}
	var base byte
	switch {
	case strings.HasPrefix(s[j:], `\i`):
		base, j = 'i', j+2
	case j < len(s) && isASCIILetter(s[j]):
		base, j = s[j], j+1
	default:
		return "", 0
	}
	if brace {
		if j == len(s) || s[j] != '}' {
			return "", 0
		}
		j++
	}
	if out, ok := accented[[2]byte{acc, base}]; ok {
		return out, j
	}
	return string(base), j
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// latexLetters lists letter commands, longer ones first so "ss" wins over a shorter prefix.
var latexLetters = []struct{ cmd, letter string }{
	{"ss", "ß"}, {"aa", "å"}, {"AA", "Å"}, {"ae", "æ"}, {"AE", "Æ"}, {"oe", "œ"}, {"OE", "Œ"},
	{"o", "ø"}, {"O", "Ø"}, {"l", "ł"}, {"L", "Ł"}, {"i", "ı"},
}

// accentBases maps each accent command to the letters it has precomposed forms for, in the order of
// the forms.
var accentBases = map[byte][2]string{
	'"':  {"aeiouyAEIOUY", "äëïöüÿÄËÏÖÜŸ"},
	'\'': {"aeiouyAEIOUYcnszlrgCNSZLRG", "áéíóúýÁÉÍÓÚÝćńśźĺŕǵĆŃŚŹĹŔǴ"},
	'`':  {"aeiouAEIOU", "àèìòùÀÈÌÒÙ"},
	'^':  {"aeiouAEIOU", "âêîôûÂÊÎÔÛ"},
	'~':  {"anoANO", "ãñõÃÑÕ"},
	'=':  {"aeiouAEIOU", "āēīōūĀĒĪŌŪ"},
	'.':  {"zZeEIg", "żŻėĖİġ"},
	'c':  {"cCsStT", "çÇşŞţŢ"},
	'v':  {"cCsSzZnNrReEdDtT", "čČšŠžŽňŇřŘěĚďĎťŤ"},
	'u':  {"aAgGuU", "ăĂğĞŭŬ"},
	'H':  {"oOuU", "őŐűŰ"},
	'r':  {"uUaA", "ůŮåÅ"},
	'k':  {"aAeE", "ąĄęĘ"},
}

// accented maps (accent, base letter) to the precomposed letter.
var accented = func() map[[2]byte]string {
	m := make(map[[2]byte]string)
	for acc, t := range accentBases {
		forms := []rune(t[1])
		if len(forms) != len(t[0]) {
			panic(fmt.Sprintf("reader: accent table for %q is misaligned", acc))
		}
		for i := range len(t[0]) {
			m[[2]byte{acc, t[0][i]}] = string(forms[i])
		}
	}
	return m
}()

// acceptedAt finds where an arXiv comment says the paper was accepted or published: "Accepted at
// CVPR 2025", "12 pages; to appear in NeurIPS 2024 (spotlight)", "Published in Nature Physics".
var acceptedAt = regexp.MustCompile(`(?i)(?:^|[;,.(]\s*|\s)(?:accepted|published|to appear|appearing|appears|appeared|presented)` +
	`(?:\s+(?:as\s+(?:an?\s+)?[\w-]+(?:\s+(?:paper|presentation))?|for\s+(?:publication|presentation)))?` +
	`\s+(?:at|in|to|by|for)\s+(?:the\s+)?([^;,()\[\]]+)`)

// venueFromComment returns the venue an arXiv comment names, conservatively: it must follow "accepted
// at", "published in" or the like, start with a capital letter or a digit, and be one to eight words
// ("CVPR 2025", "IEEE TPAMI"); anything else gives "".
func venueFromComment(c string) string {
	if !mayNameVenue(c) {
		return "" // most comments ("12 pages, 5 figures"): no need for the regexp
	}
	m := acceptedAt.FindStringSubmatch(c)
	if m == nil {
		return ""
	}
	v := sentenceStart(strings.TrimSpace(m[1]))
	v = strings.TrimSpace(strings.TrimRight(v, ". :"))
	words := strings.Fields(v)
	if len(words) == 0 || len(words) > 8 || len(v) > 80 {
		return ""
	}
	if c := v[0]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
		return ""
	}
	return v
}

// sentenceStart cuts s at the first ". " that ends a sentence, not an abbreviation: the word before it
// is a number, or not a short capitalised word ("Proc.", "Phys. Rev. D" go on).
func sentenceStart(s string) string {
	for off := 0; ; {
		i := strings.Index(s[off:], ". ")
		if i < 0 {
			return s
		}
		end := off + i
		word := s[strings.LastIndexByte(s[:end], ' ')+1 : end]
		abbrev := len(word) <= 5 && word != "" && 'A' <= word[0] && word[0] <= 'Z'
		if !abbrev || allDigits(word) {
			return s[:end]
		}
		off = end + 2
	}
}

// mayNameVenue reports whether c holds one of the verbs acceptedAt starts with, in any case.
func mayNameVenue(c string) bool {
	for i := 0; i+6 <= len(c); i++ {
		switch c[i] | 0x20 {
		case 'a', 'p', 't':
			w := strings.ToLower(c[i:min(i+9, len(c))])
			if strings.HasPrefix(w, "accepted") || strings.HasPrefix(w, "publish") || strings.HasPrefix(w, "to appear") ||
				strings.HasPrefix(w, "appear") || strings.HasPrefix(w, "presented") {
				return true
			}
		}
	}
	return false
}

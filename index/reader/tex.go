package reader

import (
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// texText turns a BibTeX field value into plain Unicode text, the way a reader of the typeset result
// would write it:
//
//   - accents and special letters become Unicode: {\"u}, \"u and \"{u} give "ü", \'e "é", {\c c} "ç",
//     \ss "ß", \o "ø", \ae "æ";
//   - TeX's ligatures and escapes: -- "–", --- "—", two backquotes or apostrophes curly double quotes,
//     ~ a space, \& "&", \% "%", \$ "$", \# "#", \_ "_", \{ "{", \textbackslash "\", \textbraceleft "{"
//     and the like;
//   - braces that protect case are removed, and so are font commands (\emph{x}, {\em x}, \textbf{x});
//   - math ($...$, \(...\)) is kept as written, braces and all, as are unknown commands and their
//     argument (\cite{x});
//   - white space is folded.
func texText(s string) string {
	if !strings.ContainsAny(s, "\\{}$~-`'!?") {
		return paper.Fold(s)
	}
	var b strings.Builder
	texWrite(&b, s)
	return paper.Fold(b.String())
}

// texSymbols are control words that stand for a character or a word.
var texSymbols = map[string]string{
	"textbackslash": `\`, "textbraceleft": "{", "textbraceright": "}", "textasciitilde": "~",
	"textasciicircum": "^", "textunderscore": "_", "textdollar": "$", "textpercent": "%",
	"textendash": "–", "textemdash": "—", "textquoteleft": "‘", "textquoteright": "’",
	"textquotedblleft": "“", "textquotedblright": "”", "textquotedbl": `"`, "ldots": "…", "dots": "…",
	"textellipsis": "…", "S": "§", "P": "¶", "copyright": "©", "textcopyright": "©",
	"textregistered": "®", "texttrademark": "™", "textdegree": "°", "textless": "<", "textgreater": ">",
	"textbar": "|", "guillemotleft": "«", "guillemotright": "»", "guillemetleft": "«",
	"guillemetright": "»", "pounds": "£", "euro": "€", "textasteriskcentered": "*", "textbullet": "•",
	"LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2e",
	"ss": "ß", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "o": "ø", "O": "Ø",
	"l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ",
	"NG": "Ŋ", "dj": "đ", "DJ": "Đ",
	"quad": " ", "qquad": " ", "space": " ", "newline": " ", "par": " ", "relax": "", "protect": "",
	"noopsort": "", "unskip": "",
}

// texDrop are font and formatting commands: the command goes, its argument (a group that follows, or
// the rest of the group it starts) stays.
var texDrop = map[string]bool{
	"emph": true, "textit": true, "textbf": true, "textsc": true, "texttt": true, "textrm": true,
	"textsf": true, "textup": true, "textsl": true, "textmd": true, "textnormal": true, "mbox": true,
	"hbox": true, "mkbibemph": true, "mkbibitalic": true, "mkbibbold": true, "mkbibquote": true,
	"enquote": true, "uppercase": true, "lowercase": true, "MakeUppercase": true, "MakeLowercase": true,
	"url": true, "nolinkurl": true, "em": true, "it": true, "bf": true, "sc": true, "rm": true, "tt": true,
	"sl": true, "sf": true, "itshape": true, "bfseries": true, "scshape": true, "upshape": true,
	"normalfont": true, "textsuperscript": true, "textsubscript": true, "nocase": true,
}

// texWrite writes the conversion of s to b.
func texWrite(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '{' || c == '}':
			i++
		case c == '$':
			end := mathEnd(s, i)
			if end < 0 {
				b.WriteByte('$')
				i++
				continue
			}
			b.WriteString(s[i:end])
			i = end
		case c == '~':
			b.WriteByte(' ')
			i++
		case c == '-':
			switch {
			case strings.HasPrefix(s[i:], "---"):
				b.WriteString("—")
				i += 3
			case strings.HasPrefix(s[i:], "--"):
				b.WriteString("–")
				i += 2
			default:
				b.WriteByte('-')
				i++
			}
		case strings.HasPrefix(s[i:], "``"):
			b.WriteString("“")
			i += 2
		case strings.HasPrefix(s[i:], "''"):
			b.WriteString("”")
			i += 2
		case strings.HasPrefix(s[i:], "!`"):
			b.WriteString("¡")
			i += 2
		case strings.HasPrefix(s[i:], "?`"):
			b.WriteString("¿")
			i += 2
		case c == '\\':
			i += texCommand(b, s, i)
		default:
			b.WriteByte(c)
			i++
		}
	}
}

// texCommand converts the command at s[i] (a backslash) and returns the bytes it used.
func texCommand(b *strings.Builder, s string, i int) int {
	if i+1 == len(s) {
		b.WriteByte('\\')
		return 1
	}
	c := s[i+1]
	if !isASCIILetter(c) {
		switch {
		case strings.IndexByte(`%&$#_{}`, c) >= 0:
			b.WriteByte(c)
			return 2
		case c == '\\' || c == ' ' || c == ',' || c == ';' || c == ':' || c == '\n':
			b.WriteByte(' ')
			return 2
		case c == '-' || c == '/' || c == '!':
			return 2 // discretionary hyphen, italic correction, negative space
		case c == '(' || c == '[':
			closing := `\)`
			if c == '[' {
				closing = `\]`
			}
			if end := strings.Index(s[i+2:], closing); end >= 0 {
				n := 2 + end + 2
				b.WriteString(s[i : i+n])
				return n
			}
		}
		if out, n := latexAccent(s[i+1:]); n > 0 {
			b.WriteString(out)
			return 1 + n
		}
		if _, ok := accentBases[c]; ok {
			return 2 // an accent on nothing we know: dropped
		}
		b.WriteString(s[i : i+2])
		return 2
	}
	j := i + 1
	for j < len(s) && isASCIILetter(s[j]) {
		j++
	}
	name := s[i+1 : j]
	if len(name) == 1 {
		if _, ok := accentBases[name[0]]; ok {
			if out, n := latexAccent(s[i+1:]); n > 0 {
				b.WriteString(out)
				return 1 + n
			}
		}
	}
	if sym, ok := texSymbols[name]; ok {
		b.WriteString(sym)
		return j - i + controlWordEnd(s[j:])
	}
	if texDrop[name] {
		return j - i + spaces(s[j:])
	}
	if name == "href" {
		// \href{url}{text}: the text stays.
		k := j + spaces(s[j:])
		if k < len(s) && s[k] == '{' {
			if end, ok := matchBrace(s, k); ok {
				return end + 1 - i
			}
		}
	}
	// Unknown: kept as written, with an argument that follows at once.
	n := j - i
	if j < len(s) && s[j] == '{' {
		if end, ok := matchBrace(s, j); ok {
			n = end + 1 - i
		}
	}
	b.WriteString(s[i : i+n])
	return n
}

// controlWordEnd is what ends a control word that takes no argument: the spaces after it, or an empty
// group "{}" (as in \ss{}, \textbackslash{}).
func controlWordEnd(s string) int {
	if strings.HasPrefix(s, "{}") {
		return 2
	}
	return spaces(s)
}

func spaces(s string) int {
	n := 0
	for n < len(s) && (s[n] == ' ' || s[n] == '\t' || s[n] == '\n') {
		n++
	}
	return n
}

// mathEnd returns the index after the '$' (or "$$") that closes the math starting at s[i], or -1.
func mathEnd(s string, i int) int {
	delim := "$"
	if strings.HasPrefix(s[i:], "$$") {
		delim = "$$"
	}
	for j := i + len(delim); j < len(s); j++ {
		switch {
		case s[j] == '\\':
			j++
		case strings.HasPrefix(s[j:], delim):
			return j + len(delim)
		}
	}
	return -1
}

// bibNames splits an author field ("Lovelace, Ada and Charles Babbage and {World Health
// Organization} and others") into names written first name first ("Ada Lovelace", "Charles
// Babbage", "World Health Organization"); "others" (et al.) is dropped.
func bibNames(s string) []string {
	var out []string
	for _, name := range splitDepth0(s, isAndAt) {
		name = strings.TrimSpace(name)
		if name == "" || strings.EqualFold(name, "others") {
			continue
		}
		if end, ok := matchBrace(name, 0); ok && end == len(name)-1 && name[0] == '{' {
			out = append(out, texText(name)) // a braced name is taken as written
			continue
		}
		parts := splitDepth0(name, func(s string, i int) int {
			if s[i] == ',' {
				return 1
			}
			return 0
		})
		for i := range parts {
			parts[i] = texText(parts[i])
		}
		var full string
		switch len(parts) {
		case 1:
			full = parts[0] // First von Last
		case 2:
			full = parts[1] + " " + parts[0] // von Last, First
		default:
			full = parts[2] + " " + parts[0] + " " + strings.Join(parts[1:2], " ") // von Last, Jr, First
			if len(parts) > 3 {
				full += " " + strings.Join(parts[3:], " ")
			}
		}
		if full = paper.Fold(full); full != "" {
			out = append(out, full)
		}
	}
	return out
}

// isAndAt reports the length of an " and " separator at s[i] (white space, "and" in any case, white
// space), or 0.
func isAndAt(s string, i int) int {
	if !isSpace(s[i]) {
		return 0
	}
	j := i
	for j < len(s) && isSpace(s[j]) {
		j++
	}
	if j+3 >= len(s) || !strings.EqualFold(s[j:j+3], "and") || !isSpace(s[j+3]) {
		return 0
	}
	return j + 4 - i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// splitDepth0 cuts s at the separators sep finds outside braces (sep returns a separator's length at
// s[i], or 0).
func splitDepth0(s string, sep func(s string, i int) int) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
			continue
		case '{':
			depth++
			continue
		case '}':
			depth--
			continue
		}
		if depth == 0 {
			if n := sep(s, i); n > 0 {
				out = append(out, s[start:i])
				i += n - 1
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

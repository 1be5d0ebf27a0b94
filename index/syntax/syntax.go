// Package syntax parses what people type into Kindred's search box into a query of clauses. It
// analyzes nothing and knows no index: the engine turns the clauses into terms, filters and expansions.
//
// The syntax, closest to Lucene's and Google Scholar's habits:
//
//	word                 a plain word (all words are OR-ed; BM25 ranks papers with more of them first)
//	"a phrase"           the words in that order (a paper must contain the phrase)
//	+word  -word         the paper must / must not contain word (also +"phrase", -"phrase")
//	a AND b, a && b      both required;  NOT a: must not;  OR, ||: the default, accepted and ignored
//	field:value          title:, abstract:, authors: (author:, au:), categories: (category:, cat:), date: (year:)
//	word^2               boost a word or phrase
//	prefix*  wi?d*card   patterns over the words of the index (not their stems)
//	word~  word~2        up to 1 (default) or 2 edits away
//	/regexp/             a regular expression over the words of the index
//	*                    every paper (newest first)
//	\x                   x taken literally
//
// # Lenient and strict
//
// By default any text parses: whatever is not valid syntax is searched as the plain words it contains
// and a Note says so (an unterminated quote, "venue:x", a lone "-", "title:" with nothing after it). A
// natural-language title such as "Chart-R1: Chain-of-Thought" is plain words without a note: only a
// known field name directly before a colon makes a field. With Options.Strict, the first such problem
// is returned as an error wrapping ErrSyntax instead.
package syntax

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Occur says how a clause combines with the others.
type Occur int

// Occurrences.
const (
	Should  Occur = iota // may match; more matches rank higher
	Must                 // must match
	MustNot              // must not match
)

func (o Occur) String() string { return [...]string{"should", "must", "must-not"}[o] }

// Kind is what a clause's text is.
type Kind int

// Kinds of clause.
const (
	Word     Kind = iota // one word (which the analyzer may still split, as in "chain-of-thought")
	Phrase               // words in order
	Prefix               // Text is the prefix, without its "*"
	Wildcard             // Text holds unescaped "*" and "?"
	Fuzzy                // Text within Fuzziness edits
	Regexp               // Text is the expression, without its slashes
	MatchAll             // "*" alone
)

func (k Kind) String() string {
	return [...]string{"word", "phrase", "prefix", "wildcard", "fuzzy", "regexp", "match-all"}[k]
}

// Fields a clause may name, canonical spellings.
const (
	FieldTitle      = "title"
	FieldAbstract   = "abstract"
	FieldAuthors    = "authors"
	FieldCategories = "categories"
	FieldDate       = "date"
)

// fieldNames maps every accepted spelling (lower case) to its canonical field.
var fieldNames = map[string]string{
	"title": FieldTitle, "ti": FieldTitle,
	"abstract": FieldAbstract, "abs": FieldAbstract,
	"authors": FieldAuthors, "author": FieldAuthors, "au": FieldAuthors,
	"categories": FieldCategories, "category": FieldCategories, "cat": FieldCategories,
	"date": FieldDate, "year": FieldDate,
}

// Clause is one element of a query.
type Clause struct {
	Occur Occur
	// Field is "" (title and abstract) or one of the Field constants.
	Field string
	Kind  Kind
	// Text is the clause's text with escapes resolved; see Kind for what it holds.
	Text string
	// Fuzziness is the edit distance of a Fuzzy clause: 1 or 2.
	Fuzziness int
	// Boost multiplies the clause's score; 1 unless given with "^".
	Boost float64
	// Pos is the byte offset of the clause in the input.
	Pos int
}

// Note says what the lenient parser did with input that was not valid syntax.
type Note struct {
	// Code is stable for programs: "unterminated_quote", "unknown_field", "empty_field",
	// "lone_operator", "bad_boost", "bad_fuzziness", "phrase_slop", "bad_regexp", "truncated",
	// "too_many_clauses", "ignored".
	Code string
	// Pos is the byte offset the note is about.
	Pos int
	// Message says it for people.
	Message string
}

// Query is a parsed query.
type Query struct {
	Clauses []Clause
	Notes   []Note
}

// Limits on a query. Longer input is cut (leniently, with a note) or refused (strictly).
const (
	MaxBytes   = 4096
	MaxClauses = 256
	MaxBoost   = 100
)

// Options control Parse.
type Options struct {
	// Strict returns the first syntax problem as an error instead of searching around it. Default false.
	Strict bool
}

// Errors returned by Parse.
var (
	// ErrEmpty: the query has nothing but white space.
	ErrEmpty = errors.New("the query is empty")
	// ErrSyntax wraps a strict parse's syntax error (a *SyntaxError).
	ErrSyntax = errors.New("query syntax error")
)

// SyntaxError is a strict parse's error, with where it happened.
type SyntaxError struct {
	Pos     int
	Code    string
	Message string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("at character %d: %s", e.Pos+1, e.Message) }

// Unwrap lets errors.Is match ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// Parse parses s. Leniently (the default) it fails only with ErrEmpty.
func Parse(s string, o Options) (Query, error) {
	if strings.TrimSpace(s) == "" {
		return Query{}, ErrEmpty
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	p := &parser{src: s, strict: o.Strict}
	if len(s) > MaxBytes {
		if p.problem(MaxBytes, "truncated", fmt.Sprintf("the query is longer than %d bytes; searched its first %d", MaxBytes, MaxBytes)) {
			return Query{}, p.err
		}
		cut := MaxBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		p.src = s[:cut]
	}
	p.parse()
	if p.err != nil {
		return Query{}, p.err
	}
	return Query{Clauses: p.clauses, Notes: p.notes}, nil
}

type parser struct {
	src     string
	pos     int
	strict  bool
	clauses []Clause
	notes   []Note
	err     error
}

// problem records a syntax problem: a note when lenient (returning false), the error when strict
// (returning true: stop).
func (p *parser) problem(pos int, code, msg string) bool {
	if p.strict {
		if p.err == nil {
			// What the lenient parse would have done ("; searched as words") is not done.
			what, _, _ := strings.Cut(msg, "; ")
			p.err = &SyntaxError{Pos: pos, Code: code, Message: what}
		}
		return true
	}
	p.notes = append(p.notes, Note{Code: code, Pos: pos, Message: msg})
	return false
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) peek() rune {
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return r
}

func (p *parser) skipSpace() {
	for !p.eof() {
		r, n := utf8.DecodeRuneInString(p.src[p.pos:])
		if !isSpace(r) {
			return
		}
		p.pos += n
	}
}

// rawToken is the text up to the next white space, escapes left in.
func (p *parser) rawToken() string {
	end := p.pos
	for end < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[end:])
		if isSpace(r) {
			break
		}
		if r == '\\' && end+n < len(p.src) {
			_, m := utf8.DecodeRuneInString(p.src[end+n:])
			if rr, _ := utf8.DecodeRuneInString(p.src[end+n:]); !isSpace(rr) {
				n += m
			}
		}
		end += n
	}
	return p.src[p.pos:end]
}

func (p *parser) parse() {
	pendingAnd, pendingNot := false, false
	for p.skipSpace(); !p.eof() && p.err == nil; p.skipSpace() {
		start := p.pos
		switch tok := p.rawToken(); tok {
		case "AND", "&&":
			p.pos += len(tok)
			if len(p.clauses) == 0 {
				if p.problem(start, "lone_operator", tok+" has nothing before it; ignored") {
					return
				}
			} else {
				pendingAnd = true
			}
			continue
		case "OR", "||":
			p.pos += len(tok) // OR is what words do anyway
			continue
		case "NOT":
			p.pos += len(tok)
			pendingNot = true
			continue
		case "+", "-", "!", "~", "^", "\\", "/", "|", "&":
			p.pos += len(tok)
			if p.problem(start, "lone_operator", fmt.Sprintf("a lone %q is not an operator here; ignored", tok)) {
				return
			}
			continue
		}
		occur := Should
		if c := p.src[p.pos]; c == '+' || c == '-' {
			if c == '+' {
				occur = Must
			} else {
				occur = MustNot
			}
			p.pos++
		}
		if pendingNot {
			occur, pendingNot = MustNot, false
		}
		n := len(p.clauses)
		p.clause(occur)
		if pendingAnd {
			pendingAnd = false
			if n > 0 && p.clauses[n-1].Occur == Should {
				p.clauses[n-1].Occur = Must
			}
			for i := n; i < len(p.clauses); i++ {
				if p.clauses[i].Occur == Should {
					p.clauses[i].Occur = Must
				}
			}
		}
		if len(p.clauses) > MaxClauses {
			p.clauses = p.clauses[:MaxClauses]
			if p.problem(start, "too_many_clauses", fmt.Sprintf("more than %d words; searched the first %d", MaxClauses, MaxClauses)) {
				return
			}
			return
		}
	}
	if pendingNot || pendingAnd {
		p.problem(len(p.src), "lone_operator", "an operator at the end of the query has nothing after it; ignored")
	}
}

// clause parses one clause at p.pos (after its +/- sign).
func (p *parser) clause(occur Occur) {
	start := p.pos
	field := ""
	if name, rest, ok := p.fieldPrefix(); ok {
		canon, known := fieldNames[strings.ToLower(name)]
		switch {
		case !known && rest == "":
			// "Background: we ..." is prose, not a field.
		case !known:
			// "venue:x" looks like a field but is none: its words are searched.
			if p.problem(start, "unknown_field", fmt.Sprintf("%s is not a field (fields: title, abstract, authors, categories, date); searched as words", name)) {
				return
			}
		case rest == "":
			if p.problem(start, "empty_field", fmt.Sprintf("%s: has no value; searched the word %q", name, name)) {
				return
			}
			p.pos += len(name) + 1
			p.add(Clause{Occur: occur, Kind: Word, Text: name, Boost: 1, Pos: start})
			return
		default:
			field = canon
			p.pos += len(name) + 1
		}
	}
	if !p.eof() && p.src[p.pos] == '"' {
		p.phrase(occur, field, start)
		return
	}
	tok := p.rawToken()
	p.pos += len(tok)
	p.word(occur, field, tok, start)
}

// fieldPrefix reports a "name:" at p.pos where name is letters only, and the text after the colon up
// to the next space.
func (p *parser) fieldPrefix() (name, rest string, ok bool) {
	i := p.pos
	for i < len(p.src) && (p.src[i] >= 'a' && p.src[i] <= 'z' || p.src[i] >= 'A' && p.src[i] <= 'Z') {
		i++
	}
	if i == p.pos || i >= len(p.src) || p.src[i] != ':' {
		return "", "", false
	}
	name = p.src[p.pos:i]
	save := p.pos
	p.pos = i + 1
	rest = p.rawToken()
	p.pos = save
	return name, rest, true
}

func (p *parser) phrase(occur Occur, field string, start int) {
	open := p.pos
	p.pos++ // the quote
	var b strings.Builder
	closed := false
	for !p.eof() {
		r, n := utf8.DecodeRuneInString(p.src[p.pos:])
		p.pos += n
		if r == '\\' && !p.eof() {
			r2, m := utf8.DecodeRuneInString(p.src[p.pos:])
			p.pos += m
			b.WriteRune(r2)
			continue
		}
		if r == '"' {
			closed = true
			break
		}
		b.WriteRune(r)
	}
	if !closed {
		if p.problem(open, "unterminated_quote", "a quote is not closed; its words were searched as words") {
			return
		}
		p.pos = open + 1
		return // the words after the quote are parsed as words by the caller's loop
	}
	c := Clause{Occur: occur, Field: field, Kind: Phrase, Text: b.String(), Boost: 1, Pos: start}
	// Suffixes: ~N (slop, not supported) and ^N (boost), in either order.
	suffix := p.rawToken()
	p.pos += len(suffix)
	for suffix != "" {
		switch suffix[0] {
		case '~':
			j := 1
			for j < len(suffix) && suffix[j] >= '0' && suffix[j] <= '9' {
				j++
			}
			if p.problem(p.pos-len(suffix), "phrase_slop", "phrase proximity (~N) is not supported; searched the exact phrase") {
				return
			}
			suffix = suffix[j:]
		case '^':
			j := 1
			for j < len(suffix) && (suffix[j] >= '0' && suffix[j] <= '9' || suffix[j] == '.') {
				j++
			}
			if !p.boost(&c, suffix[1:j], p.pos-len(suffix)) {
				return
			}
			suffix = suffix[j:]
		default:
			// Text glued to the closing quote ("a b"c): a word of its own.
			p.word(occur, field, suffix, p.pos-len(suffix))
			suffix = ""
		}
	}
	if strings.TrimSpace(c.Text) == "" {
		return
	}
	p.add(c)
}

// boost parses a boost value into c, reporting false if the parse must stop.
func (p *parser) boost(c *Clause, s string, pos int) bool {
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || !(v > 0):
		return !p.problem(pos, "bad_boost", fmt.Sprintf("boost %q is not a positive number; ignored", "^"+s))
	case v > MaxBoost:
		if p.problem(pos, "bad_boost", fmt.Sprintf("boost %v is over %d; used %d", v, MaxBoost, MaxBoost)) {
			return false
		}
		v = MaxBoost
	}
	c.Boost = v
	return true
}

// word parses a token that is not a phrase: suffixes, patterns, escapes.
func (p *parser) word(occur Occur, field, tok string, start int) {
	c := Clause{Occur: occur, Field: field, Kind: Word, Boost: 1, Pos: start}
	// /regexp/
	if len(tok) >= 3 && tok[0] == '/' && tok[len(tok)-1] == '/' && tok[len(tok)-2] != '\\' {
		c.Kind, c.Text = Regexp, tok[1:len(tok)-1]
		p.add(c)
		return
	}
	// Boost, then fuzziness, from the end (unescaped).
	if i := lastUnescaped(tok, '^'); i >= 0 {
		if !p.boost(&c, tok[i+1:], start+i) {
			return
		}
		tok = tok[:i]
	}
	if i := lastUnescaped(tok, '~'); i >= 0 {
		d := tok[i+1:]
		fz := 1
		if d != "" {
			v, err := strconv.Atoi(d)
			switch {
			case err != nil || v < 0:
				if p.problem(start+i, "bad_fuzziness", fmt.Sprintf("~%s is not an edit distance; used 1", d)) {
					return
				}
				v = 1
			case v > 2:
				if p.problem(start+i, "bad_fuzziness", fmt.Sprintf("~%d is more than the maximum 2 edits; used 2", v)) {
					return
				}
				v = 2
			}
			fz = v
		}
		tok = tok[:i]
		if fz > 0 {
			c.Kind, c.Fuzziness = Fuzzy, fz
		}
	}
	text, wild, prefixOnly := unescape(tok)
	switch {
	case wild && strings.Trim(text, "*") == "":
		c.Kind = MatchAll
	case wild && c.Kind == Fuzzy:
		if p.problem(start, "ignored", "a pattern cannot also be fuzzy; searched the pattern") {
			return
		}
		c.Kind, c.Fuzziness = Wildcard, 0
		if prefixOnly {
			c.Kind = Prefix
			text = strings.TrimSuffix(text, "*")
		}
	case prefixOnly:
		c.Kind, text = Prefix, strings.TrimSuffix(text, "*")
	case wild:
		c.Kind = Wildcard
	}
	c.Text = text
	if c.Kind != MatchAll && strings.TrimFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) == "" {
		return // punctuation only: nothing to search, nothing to say
	}
	p.add(c)
}

func (p *parser) add(c Clause) { p.clauses = append(p.clauses, c) }

// lastUnescaped is the index of the last c in s not preceded by a backslash, or -1.
func lastUnescaped(s string, c byte) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == c && (i == 0 || s[i-1] != '\\') {
			return i
		}
	}
	return -1
}

// unescape resolves backslash escapes. wild reports an unescaped "*" or "?"; prefixOnly that the only
// wildcard is one trailing "*" after at least one character. Escaped wildcards stay in text escaped
// ("\*"), so that a pattern can tell them from wildcards; other escapes are resolved.
func unescape(s string) (text string, wild, prefixOnly bool) {
	var b strings.Builder
	stars, qs := 0, 0
	lastStar := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			i++
			if s[i] == '*' || s[i] == '?' || s[i] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(s[i])
			continue
		}
		switch c {
		case '*':
			stars++
			lastStar = b.Len()
		case '?':
			qs++
		}
		b.WriteByte(c)
	}
	text = b.String()
	wild = stars+qs > 0
	prefixOnly = stars == 1 && qs == 0 && lastStar == len(text)-1 && lastStar > 0
	return text, wild, prefixOnly
}

// MatchPattern reports whether word matches a Wildcard clause's text ("*" any run, "?" one
// character, "\*" and "\?" themselves).
func MatchPattern(pattern, word string) bool {
	// Iterative glob matching with one backtrack point: linear in practice, O(len·len) at worst.
	p, w := 0, 0
	star, mark := -1, 0
	for w < len(word) {
		if p < len(pattern) {
			c := pattern[p]
			switch {
			case c == '\\' && p+1 < len(pattern):
				if pattern[p+1] == word[w] {
					p += 2
					w++
					continue
				}
			case c == '*':
				star, mark = p, w
				p++
				continue
			case c == '?':
				_, n := utf8.DecodeRuneInString(word[w:])
				p++
				w += n
				continue
			case c == word[w]:
				p++
				w++
				continue
			}
		}
		if star < 0 {
			return false
		}
		p = star + 1
		mark++
		w = mark
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// LiteralPrefix is the part of a Wildcard clause's text before its first wildcard, escapes resolved:
// the range of the dictionary a pattern can match in.
func LiteralPrefix(pattern string) string {
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c == '\\' && i+1 < len(pattern) {
			i++
			b.WriteByte(pattern[i])
			continue
		}
		if c == '*' || c == '?' {
			break
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Unescaped returns a Wildcard or Prefix clause's text with its escapes resolved, for display.
func Unescaped(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

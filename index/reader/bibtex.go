package reader

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// A BibTeX database is a sequence of entries, "@type{key, field = value, ...}" (or with parentheses
// instead of the outer braces); anything between entries is a comment. Values are {braced} (braces
// nest), "quoted", numbers or @string macro names, joined with '#'. Entries are cut out of the input
// by counting braces, then parsed; an entry that never closes is rejected when the next line starting
// with "@type{" (or the end of the input) shows it, so one stray brace loses one entry, not the file.

// looksBibTeX reports whether head, after lines starting with '%', starts with "@type{" or "@type(".
func looksBibTeX(head []byte) bool {
	for len(head) > 0 && head[0] == '%' {
		_, rest, ok := bytes.Cut(head, []byte("\n"))
		if !ok {
			return false
		}
		head = bytes.TrimLeft(rest, " \t\r\n")
	}
	return entryStart(head)
}

// entryStart reports whether b starts with '@', letters, optional white space and '{' or '('.
func entryStart(b []byte) bool {
	if len(b) < 3 || b[0] != '@' {
		return false
	}
	i := 1
	for i < len(b) && isASCIILetter(b[i]) {
		i++
	}
	if i == 1 {
		return false
	}
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i < len(b) && (b[i] == '{' || b[i] == '(')
}

// bibEntry is an entry being cut out of the input.
type bibEntry struct {
	line    int // of its '@'
	text    []byte
	open    byte // '{' or '(', once seen
	depth   int  // brace depth inside the entry's delimiters
	quote   bool // inside a "quoted" value of a parenthesised entry
	tooLong bool
}

// readBibTeX reads a BibTeX or BibLaTeX database.
func readBibTeX(br *bufio.Reader, opts Options, s *sink) error {
	lr := newLineReader(br, opts.MaxRecordBytes)
	db := newBibDB()
	var e *bibEntry
	finish := func(e *bibEntry) error {
		if e.tooLong {
			return s.rejectf(e.line, "record is longer than %d bytes", opts.MaxRecordBytes)
		}
		p, ok, err := db.entry(string(e.text))
		switch {
		case err != nil:
			return s.rejectf(e.line, "%v", err)
		case !ok:
			return nil // @string, @preamble, @comment
		}
		return s.paper(e.line, p)
	}
	for {
		if err := s.checkCtx(); err != nil {
			return err
		}
		line, tooLong, err := lr.next()
		if err == io.EOF {
			if e != nil {
				return s.rejectf(e.line, "unbalanced braces: BibTeX entry %s is not closed", entryName(e.text))
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("line %d: %w", lr.line+1, err)
		}
		if tooLong {
			if e != nil {
				e.tooLong = true
				e.text = e.text[:0]
			}
			continue
		}
		trimmed := bytes.TrimLeft(line, " \t")
		if e != nil && e.open != 0 && entryStart(trimmed) {
			// An entry starts while the last one is still open: its braces do not balance.
			last := e
			e = nil
			if last.tooLong {
				err = s.rejectf(last.line, "record is longer than %d bytes", opts.MaxRecordBytes)
			} else {
				err = s.rejectf(last.line, "unbalanced braces: BibTeX entry %s is not closed before the next entry at line %d", entryName(last.text), lr.line)
			}
			if err != nil {
				return err
			}
		}
		if e == nil && len(trimmed) > 0 && trimmed[0] == '%' {
			continue // a comment line between entries
		}
		for i := 0; i < len(line); i++ {
			c := line[i]
			if e == nil {
				if c == '@' && entryStart(line[i:]) {
					e = &bibEntry{line: lr.line}
				} else {
					continue
				}
			}
			if !e.tooLong {
				if len(e.text) >= opts.MaxRecordBytes {
					e.tooLong, e.text = true, e.text[:0]
				} else {
					e.text = append(e.text, c)
				}
			}
			if done := e.scan(line, &i); done {
				if err := finish(e); err != nil {
					return err
				}
				e = nil
			}
		}
		if e != nil && !e.tooLong {
			e.text = append(e.text, '\n')
		}
	}
}

// scan follows the delimiters at line[*i], already appended to the entry, and reports whether it
// closed the entry. A backslash escapes the character after it (`\{` is no brace), which it appends too.
func (e *bibEntry) scan(line []byte, i *int) bool {
	c := line[*i]
	if e.open == 0 {
		if c == '{' || c == '(' {
			e.open, e.depth = c, 1
		}
		return false
	}
	switch c {
	case '\\':
		if *i+1 < len(line) {
			*i++
			if !e.tooLong {
				e.text = append(e.text, line[*i])
			}
		}
	case '{':
		e.depth++
	case '}':
		e.depth--
		if e.open == '{' && e.depth == 0 {
			return true
		}
		if e.depth < 1 && e.open == '(' {
			e.depth = 1 // a stray '}' in a parenthesised entry; the parser will say so
		}
	case '"':
		if e.open == '(' && e.depth == 1 {
			e.quote = !e.quote
		}
	case ')':
		return e.open == '(' && e.depth == 1 && !e.quote
	}
	return false
}

// entryName is "@article{key" for messages.
func entryName(text []byte) string {
	head, _, _ := bytes.Cut(text, []byte(","))
	head, _, _ = bytes.Cut(head, []byte("\n"))
	name := strings.TrimSpace(string(head))
	if len(name) > 60 {
		name = name[:60] + "…"
	}
	return name
}

// bibField is one field of an entry: its name, lower-cased, and its value with the pieces joined and
// macros expanded, still in TeX.
type bibField struct {
	name, value string
}

// bibParser parses one entry's text.
type bibParser struct {
	s      string
	i      int
	macros map[string]string
}

func (p *bibParser) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid BibTeX entry: "+format, args...)
}

func (p *bibParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// ident reads a type, field or macro name.
func (p *bibParser) ident() string {
	start := p.i
	for p.i < len(p.s) && isIdentByte(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

func isIdentByte(c byte) bool {
	return isASCIILetter(c) || '0' <= c && c <= '9' || strings.IndexByte("_-:.+/'!?*&$", c) >= 0
}

// next describes the character at the parser's position for messages.
func (p *bibParser) next() string {
	if p.i >= len(p.s) {
		return "the end of the entry"
	}
	return fmt.Sprintf("%q", p.s[p.i])
}

// parse reads "@type{key, fields}" and returns the type (lower-cased), the key and the fields. For
// @string it defines the macro and returns no fields; @comment and @preamble are skipped whole.
func (p *bibParser) parse() (typ, key string, fields []bibField, err error) {
	p.i = 1 // after '@'
	typ = strings.ToLower(p.ident())
	p.space()
	open := p.s[p.i]
	close := byte('}')
	if open == '(' {
		close = ')'
	}
	p.i++
	switch typ {
	case "comment", "preamble":
		return typ, "", nil, nil
	case "string":
		p.space()
		name := strings.ToLower(p.ident())
		p.space()
		if name == "" || p.i >= len(p.s) || p.s[p.i] != '=' {
			return typ, "", nil, p.errorf("@string: want name = value, found %s", p.next())
		}
		p.i++
		v, err := p.value(close)
		if err != nil {
			return typ, "", nil, err
		}
		p.macros[name] = v
		return typ, "", nil, nil
	}
	p.space()
	start := p.i
	for p.i < len(p.s) && p.s[p.i] != ',' && p.s[p.i] != close {
		p.i++
	}
	key = strings.TrimSpace(p.s[start:p.i])
	if key == "" || strings.ContainsAny(key, "= \t\r\n{}\"") {
		return typ, "", nil, p.errorf("@%s has no key (want @%s{key, field = {value}, ...})", typ, typ)
	}
	seen := make(map[string]bool)
	for {
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == '%' {
			// A field commented out by hand ("% note = {...},"): skipped to the end of its line.
			for p.i < len(p.s) && p.s[p.i] != '\n' {
				p.i++
			}
			continue
		}
		if p.i >= len(p.s) {
			return typ, key, nil, p.errorf("@%s{%s is not closed", typ, key)
		}
		if p.s[p.i] == close {
			return typ, key, fields, nil
		}
		name := strings.ToLower(p.ident())
		if name == "" {
			return typ, key, nil, p.errorf("@%s{%s: want a field name, found %s", typ, key, p.next())
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '=' {
			return typ, key, nil, p.errorf("@%s{%s: field %q: want '=', found %s", typ, key, name, p.next())
		}
		p.i++
		v, err := p.value(close)
		if err != nil {
			return typ, key, nil, fmt.Errorf("%w (field %q of @%s{%s)", err, name, typ, key)
		}
		if !seen[name] { // BibTeX keeps the first of a repeated field
			seen[name] = true
			fields = append(fields, bibField{name, v})
		}
		p.space()
		if p.i < len(p.s) && p.s[p.i] != ',' && p.s[p.i] != close {
			return typ, key, nil, p.errorf("@%s{%s: after field %q want ',' or the end of the entry, found %s", typ, key, name, p.next())
		}
	}
}

// value reads pieces joined by '#' and returns their concatenation.
func (p *bibParser) value(close byte) (string, error) {
	var b strings.Builder
	for {
		p.space()
		if p.i >= len(p.s) {
			return "", p.errorf("value missing at the end of the entry")
		}
		switch c := p.s[p.i]; {
		case c == '{':
			end, ok := matchBrace(p.s, p.i)
			if !ok {
				return "", p.errorf("unbalanced braces in a value")
			}
			b.WriteString(p.s[p.i+1 : end])
			p.i = end + 1
		case c == '"':
			end, ok := matchQuote(p.s, p.i)
			if !ok {
				return "", p.errorf("unterminated quoted value")
			}
			b.WriteString(p.s[p.i+1 : end])
			p.i = end + 1
		case '0' <= c && c <= '9':
			start := p.i
			for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
				p.i++
			}
			b.WriteString(p.s[start:p.i])
		case isASCIILetter(c):
			name := strings.ToLower(p.ident())
			v, ok := p.macros[name]
			if !ok {
				return "", p.errorf("undefined macro %q (quote or brace the value: {%s})", name, name)
			}
			b.WriteString(v)
		default:
			return "", p.errorf("want a value ({...}, \"...\", a number or a macro), found %s", p.next())
		}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == '#' {
			p.i++
			continue
		}
		return b.String(), nil
	}
}

// matchBrace returns the index of the '}' that closes the '{' at s[open], skipping backslash escapes.
func matchBrace(s string, open int) (int, bool) {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i, true
			}
		}
	}
	return 0, false
}

// matchQuote returns the index of the '"' that ends the quoted value starting at s[open]: the first at
// brace depth 0 (`{"}` and `{\"u}` are part of the value).
func matchQuote(s string, open int) (int, bool) {
	depth := 0
	for i := open + 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
		case '"':
			if depth == 0 {
				return i, true
			}
		}
	}
	return 0, false
}

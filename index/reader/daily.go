package reader

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// The Daily Papers page, copied as plain text, reads (blank lines between blocks):
//
//	Daily Papers                          header lines, skipped, up to and including
//	byAK and the research community       the page's own date line
//	Oct 31
//	Bias Loss for Mobile Neural Networks  title
//	Compact convolutional neural ...      abstract (one paragraph; hard-wrapped lines are joined)
//	  • 4 authors                         optional
//	·                                     optional
//	Jul 23, 2021                          optional date; "Oct 24" has no year; "Jun 4 2" and
//	                                      "Oct 24, 2024 2" end with an upvote count
//
// A paragraph after an abstract or after the metadata lines starts the next entry, so an entry with
// neither authors, dot nor date is still read. An entry whose title is followed straight by metadata lines
// has no abstract and is rejected.

// dailyState is where the parser is within the page.
type dailyState int

const (
	inHeader      dailyState = iota // before the first entry, or after a repeated page header
	inTitle                         // on the title's lines
	afterTitle                      // blank line after the title: the abstract comes next
	inAbstract                      // on the abstract's lines
	afterAbstract                   // blank line after the abstract: metadata or the next title
	inMeta                          // on the authors, dot and date lines
)

// dailyEntry is the entry being assembled.
type dailyEntry struct {
	line            int // of the title
	title, abstract strings.Builder
	p               paper.Paper
	hasAuthors      bool
	hasDate         bool
	err             string // first reason to reject the entry, if any
}

func (e *dailyEntry) fail(format string, args ...any) {
	if e.err == "" {
		e.err = fmt.Sprintf(format, args...)
	}
}

// readDaily parses a Daily Papers page.
func readDaily(br *bufio.Reader, opts Options, s *sink) error {
	lr := newLineReader(br, opts.MaxRecordBytes)
	state := inHeader
	var e *dailyEntry
	emit := func() error {
		if e == nil {
			return nil
		}
		defer func() { e = nil }()
		if e.err != "" {
			return s.rejectf(e.line, "%s", e.err)
		}
		e.p.Title, e.p.Abstract, e.p.Source = e.title.String(), e.abstract.String(), "daily"
		return s.paper(e.line, e.p)
	}
	for {
		if err := s.checkCtx(); err != nil {
			return err
		}
		raw, tooLong, err := lr.next()
		if err == io.EOF {
			return emit()
		}
		if err != nil {
			return fmt.Errorf("line %d: %w", lr.line+1, err)
		}
		text := string(bytes.TrimSpace(raw))
		if tooLong {
			text = "\x00" // a text line whose content is lost; the entry holding it is rejected
		}
		if text == "" {
			switch state {
			case inTitle:
				state = afterTitle
			case inAbstract:
				state = afterAbstract
			}
			continue
		}

		if kind := dailyMetaKind(text); kind != metaNone {
			switch state {
			case inHeader:
				continue // the page's own date line, or debris before the first entry
			case inTitle, afterTitle:
				e.fail("missing abstract: the title is followed by %q", text)
			}
			state = inMeta
			dailyMeta(e, kind, text, opts.Year)
			continue
		}

		switch state {
		case inTitle, inAbstract:
			b := &e.title
			if state == inAbstract {
				b = &e.abstract
			}
			b.WriteByte(' ')
			b.WriteString(text)
		case afterTitle:
			state = inAbstract
			e.abstract.WriteString(text)
		default: // inHeader, afterAbstract, inMeta: a new entry or a repeated page header
			if err := emit(); err != nil {
				return err
			}
			if isDailyBoilerplate(text) {
				state = inHeader
				continue
			}
			state = inTitle
			e = &dailyEntry{line: lr.line}
			e.title.WriteString(text)
		}
		if tooLong {
			e.fail("line %d is longer than %d bytes", lr.line, opts.MaxRecordBytes)
		} else if e.title.Len()+e.abstract.Len() > opts.MaxRecordBytes {
			e.fail("entry is longer than %d bytes", opts.MaxRecordBytes)
			e.title.Reset()
			e.abstract.Reset()
		}
	}
}

// isDailyBoilerplate reports whether line belongs to the page header rather than to an entry.
func isDailyBoilerplate(line string) bool {
	switch line {
	case "new", "Subscribe", "Daily Papers", "byAK and the research community":
		return true
	}
	return strings.HasPrefix(line, "Get trending papers")
}

type metaKind int

const (
	metaNone    metaKind = iota
	metaAuthors          // "• 4 authors"
	metaDot              // "·"
	metaDate             // "Jul 23, 2021", "Oct 24", "Jun 4 2"
)

func dailyMetaKind(line string) metaKind {
	switch {
	case line == "·":
		return metaDot
	case strings.HasPrefix(line, "•"):
		return metaAuthors // checked by dailyMeta: a bullet line is never a title
	default:
		if _, _, ok := parseDailyDate(line, 1); ok {
			return metaDate
		}
	}
	return metaNone
}

// dailyMeta applies one metadata line to the entry.
func dailyMeta(e *dailyEntry, kind metaKind, line string, year int) {
	switch kind {
	case metaAuthors:
		if e.hasAuthors {
			e.fail("second authors line %q", line)
		}
		e.hasAuthors = true
		n, ok := parseAuthorCount(line)
		if !ok {
			e.fail("bad authors line %q: want \"• N authors\"", line)
		}
		e.p.AuthorCount = n
	case metaDate:
		if e.hasDate {
			e.fail("second date line %q", line)
		}
		e.hasDate = true
		d, upvotes, _ := parseDailyDate(line, year)
		date, err := paper.ParseDate(d)
		if err != nil {
			e.fail("bad date %q: %v", line, err)
		}
		e.p.Published, e.p.Upvotes = date, upvotes
	}
}

// parseAuthorCount reads "• 4 authors" (or "• 1 author").
func parseAuthorCount(line string) (int, bool) {
	f := strings.Fields(strings.TrimPrefix(line, "•"))
	if len(f) != 2 || (f[1] != "authors" && f[1] != "author") {
		return 0, false
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n < 0 || n > 1e6 {
		return 0, false
	}
	return n, true
}

// parseDailyDate reads "Jul 23, 2021", "Oct 24" (in year), "Jun 4 2" and "Oct 24, 2024 2" (the trailing
// number is the upvote count) into "YYYY-MM-DD" and the upvotes. The day is not checked against the month:
// paper.ParseDate does that.
func parseDailyDate(line string, year int) (date string, upvotes int, ok bool) {
	f := strings.Fields(line)
	if len(f) < 2 || len(f) > 4 {
		return "", 0, false
	}
	month := monthNumber(f[0])
	day, hasYear := strings.CutSuffix(f[1], ",")
	d, okDay := smallNumber(day, 2)
	if month == 0 || !okDay || d == 0 {
		return "", 0, false
	}
	rest := f[2:]
	if hasYear {
		if len(rest) == 0 || len(rest[0]) != 4 {
			return "", 0, false
		}
		y, okYear := smallNumber(rest[0], 4)
		if !okYear {
			return "", 0, false
		}
		year, rest = y, rest[1:]
	}
	switch len(rest) {
	case 0:
	case 1:
		n, okUp := smallNumber(rest[0], 9)
		if !okUp {
			return "", 0, false
		}
		upvotes = n
	default:
		return "", 0, false
	}
	return fmt.Sprintf("%04d-%02d-%02d", year, month, d), upvotes, true
}

// smallNumber parses 1 to maxDigits ASCII digits.
func smallNumber(s string, maxDigits int) (int, bool) {
	if len(s) == 0 || len(s) > maxDigits {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

var months = [...]string{"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}

// monthNumber maps "Jan" or "January" to 1, and so on; anything else to 0.
func monthNumber(s string) int {
	for i, m := range months {
		if s == m || s == m[:3] {
			return i + 1
		}
	}
	return 0
}

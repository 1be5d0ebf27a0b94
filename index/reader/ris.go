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

// RIS is line-based: each field is a line "TAG  - value" (two capital letters or a letter and a
// digit, two spaces, a hyphen, a space); a record runs from "TY  - TYPE" to "ER  -". A line that is not
// a tag line continues the value of the line before it.

// risTagLine splits a tag line into its tag and value. It also takes one space before the hyphen, which
// some exporters write.
func risTagLine(line []byte) (tag, value string, ok bool) {
	if len(line) < 4 || !isUpper(line[0]) || !(isUpper(line[1]) || '0' <= line[1] && line[1] <= '9') {
		return "", "", false
	}
	rest := line[2:]
	switch {
	case bytes.HasPrefix(rest, []byte("  -")):
		rest = rest[3:]
	case bytes.HasPrefix(rest, []byte(" -")):
		rest = rest[2:]
	default:
		return "", "", false
	}
	if len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t' {
		return "", "", false
	}
	return string(line[:2]), string(bytes.TrimSpace(rest)), true
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// looksRIS reports whether the first non-blank line of head is a "TY  - " line.
func looksRIS(head []byte) bool {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	tag, _, ok := risTagLine(bytes.TrimRight(line, "\r"))
	return ok && tag == "TY"
}

// risRecord is the record being read: its fields in order.
type risRecord struct {
	line    int // of its TY line
	fields  []risField
	size    int
	tooLong bool
}

type risField struct{ tag, value string }

// readRIS reads RIS records. A record without its "ER" line, or tag lines outside a record, are
// rejected at the line they start on; reading goes on with the next "TY".
func readRIS(br *bufio.Reader, opts Options, s *sink) error {
	lr := newLineReader(br, opts.MaxRecordBytes)
	var rec *risRecord
	orphan := 0 // line of the first tag line seen outside a record, until the next TY
	flushOrphan := func() error {
		if orphan == 0 {
			return nil
		}
		line := orphan
		orphan = 0
		return s.rejectf(line, "RIS fields outside a record: a record starts with a TY line")
	}
	for {
		if err := s.checkCtx(); err != nil {
			return err
		}
		raw, tooLong, err := lr.next()
		if err == io.EOF {
			if rec != nil {
				return s.rejectf(rec.line, "RIS record not ended by an ER line")
			}
			return flushOrphan()
		}
		if err != nil {
			return fmt.Errorf("line %d: %w", lr.line+1, err)
		}
		if tooLong {
			if rec != nil {
				rec.tooLong = true
			}
			continue
		}
		tag, value, isTag := risTagLine(raw)
		switch {
		case !isTag && rec == nil:
			continue // blank lines and debris between records
		case !isTag:
			if text := bytes.TrimSpace(raw); len(text) > 0 && len(rec.fields) > 0 {
				// A continuation of the last value.
				last := &rec.fields[len(rec.fields)-1]
				last.value += " " + string(text)
				rec.size += len(text) + 1
			}
		case tag == "TY":
			if err := flushOrphan(); err != nil {
				return err
			}
			if rec != nil {
				if err := s.rejectf(rec.line, "RIS record not ended by an ER line: the next TY is at line %d", lr.line); err != nil {
					return err
				}
			}
			rec = &risRecord{line: lr.line}
		case rec == nil:
			if orphan == 0 {
				orphan = lr.line
			}
		case tag == "ER":
			r := rec
			rec = nil
			var err error
			switch {
			case r.tooLong || r.size > opts.MaxRecordBytes:
				err = s.rejectf(r.line, "record is longer than %d bytes", opts.MaxRecordBytes)
			default:
				p, perr := r.paper()
				if perr != nil {
					err = s.rejectf(r.line, "%v", perr)
				} else {
					err = s.paper(r.line, p)
				}
			}
			if err != nil {
				return err
			}
		default:
			rec.fields = append(rec.fields, risField{tag, value})
			rec.size += len(value) + 6
		}
	}
}

// paper maps a RIS record: TI/T1 title, AU/A1 authors ("Last, First"), PY/Y1/DA date, AB/N2 abstract,
// DO DOI, UR link, JF/T2/JO/JA/J2/BT venue, ID the record's own id, and arXiv identifiers in AN, UR
// or DO.
func (r *risRecord) paper() (paper.Paper, error) {
	first := func(tags ...string) string {
		for _, t := range tags {
			for _, f := range r.fields {
				if f.tag == t && f.value != "" {
					return f.value
				}
			}
		}
		return ""
	}
	p := paper.Paper{
		Title:    first("TI", "T1"),
		Abstract: first("AB", "N2"),
		Venue:    first("JF", "T2", "JO", "JA", "J2", "BT"),
		Source:   "ris",
	}
	for _, f := range r.fields {
		switch f.tag {
		case "AU", "A1":
			if f.value != "" {
				p.Authors = append(p.Authors, invertName(f.value))
			}
		case "UR":
			setArxiv(&p, f.value)
			if p.URL == "" {
				p.URL = f.value
			}
		case "L1", "L2":
			setArxiv(&p, f.value)
		case "AN", "M1", "N1":
			setArxivFromText(&p, f.value)
		case "DO":
			setDOI(&p, f.value)
		}
	}
	chooseID(&p, first("ID"))
	var err error
	p.Published, err = risDate(first("DA"))
	if err == nil && p.Published.IsZero() {
		p.Published, err = risDate(first("PY", "Y1"))
	}
	if err != nil {
		return paper.Paper{}, fmt.Errorf("bad date: %w", err)
	}
	return p, nil
}

// invertName turns "Lovelace, Ada" into "Ada Lovelace" and "Smith, John, Jr." into "John Smith Jr.";
// a name without a comma is kept.
func invertName(s string) string {
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	switch {
	case len(parts) == 1 || parts[1] == "":
		return strings.TrimSpace(strings.TrimSuffix(s, ","))
	case len(parts) == 2:
		return parts[1] + " " + parts[0]
	}
	return strings.TrimSpace(parts[1] + " " + parts[0] + " " + strings.Join(parts[2:], " "))
}

// risDate reads "2020", "2020/05/17", "2020/05//" or "2020///Spring": year, month and day separated by
// slashes, any of them possibly empty. A value without a four-digit year is no date.
func risDate(s string) (paper.Date, error) {
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts[0]) != 4 || !allDigits(parts[0]) {
		return paper.Date{}, nil
	}
	y, _ := strconv.Atoi(parts[0])
	var m, d int
	if len(parts) > 1 && parts[1] != "" {
		v, err := strconv.Atoi(parts[1])
		if err != nil || len(parts[1]) > 2 {
			return paper.Date{}, fmt.Errorf("date %q: month %q is not a number", s, parts[1])
		}
		m = v
		if len(parts) > 2 && parts[2] != "" {
			v, err := strconv.Atoi(parts[2])
			if err != nil || len(parts[2]) > 2 {
				return paper.Date{}, fmt.Errorf("date %q: day %q is not a number", s, parts[2])
			}
			d = v
		}
	}
	if m == 0 && d != 0 {
		d = 0
	}
	return partsDate(y, m, d)
}

func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

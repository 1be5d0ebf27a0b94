package reader

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/kindred-search/kindred/index/paper"
)

// Format names an input format.
type Format string

// The formats Read understands.
const (
	// FormatAuto sniffs the format from the first bytes of the (decompressed) input with Detect.
	FormatAuto Format = ""
	// FormatJSONL is one JSON object a line, in any of the shapes listed in the package documentation.
	FormatJSONL Format = "jsonl"
	// FormatJSON is one JSON array of objects, in the same shapes as FormatJSONL.
	FormatJSON Format = "json"
	// FormatDaily is the plain text of a "Daily Papers" listing page.
	FormatDaily Format = "daily"
	// FormatCSL is CSL-JSON, as Zotero exports it: a JSON array of items, or one item a line.
	FormatCSL Format = "csl"
	// FormatBibTeX is a BibTeX or BibLaTeX database (.bib).
	FormatBibTeX Format = "bibtex"
	// FormatRIS is RIS, the tagged format of reference managers and publishers (.ris).
	FormatRIS Format = "ris"
	// FormatOpenAlex is OpenAlex work objects: one a line as in the snapshot, a JSON array, or API
	// pages ({"meta": ..., "results": [...]}).
	FormatOpenAlex Format = "openalex"
	// FormatPubMed is PubMed/MEDLINE XML: a PubmedArticleSet, as in the baseline and update files.
	FormatPubMed Format = "pubmed"
	// FormatS2 is Semantic Scholar paper objects: one a line, a JSON array, or API pages
	// ({"data": [...]}).
	FormatS2 Format = "s2"
)

// Formats lists the formats Options.Format may name, FormatAuto aside.
func Formats() []Format {
	return []Format{FormatJSONL, FormatJSON, FormatCSL, FormatBibTeX, FormatRIS, FormatOpenAlex,
		FormatPubMed, FormatS2, FormatDaily}
}

// formatList is Formats for messages: "jsonl, json, ... or daily".
func formatList() string {
	fs := Formats()
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = string(f)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Errors returned by Read and ReadFile; test for them with errors.Is.
var (
	// ErrRejected wraps the first rejected record when Options.Strict is set.
	ErrRejected = errors.New("rejected record")
	// ErrUnknownFormat means Options.Format is not one of the Format constants.
	ErrUnknownFormat = errors.New("unknown input format")
)

// DefaultMaxRecordBytes is the default of Options.MaxRecordBytes: 1 MiB.
const DefaultMaxRecordBytes = 1 << 20

// Options controls Read. The zero value is usable: every zero field means its default.
type Options struct {
	// Format of the input. Default FormatAuto: sniffed with Detect.
	Format Format
	// Strict makes the first rejected record stop the read with an error wrapping ErrRejected.
	// Default false: rejected records are reported to the reject callback and skipped.
	Strict bool
	// MaxRecordBytes bounds one input line (a JSON-lines record, a Daily Papers line or entry) or one
	// element of a JSON array; a longer record is rejected without being held in memory whole.
	// Default (0): DefaultMaxRecordBytes.
	MaxRecordBytes int
	// Year completes Daily Papers dates that omit the year ("Oct 24"). Default (0): the current year.
	Year int
}

// DefaultOptions returns the defaults spelled out: automatic format, lenient, 1 MiB records, this year.
func DefaultOptions() Options {
	return Options{Format: FormatAuto, MaxRecordBytes: DefaultMaxRecordBytes, Year: time.Now().Year()}
}

// withDefaults fills the zero fields of o.
func (o Options) withDefaults() Options {
	if o.MaxRecordBytes <= 0 {
		o.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if o.Year == 0 {
		o.Year = time.Now().Year()
	}
	return o
}

// Rejection describes one input record that did not become a paper.
type Rejection struct {
	File   string // the name given to Read, or the path given to ReadFile
	Line   int    // 1-based line where the record starts
	Reason string // why, e.g. "missing abstract" or "invalid JSON at column 17: ..."
}

// String formats the rejection as "file:line: reason", the form compilers use, so editors can jump to it.
func (r Rejection) String() string { return fmt.Sprintf("%s:%d: %s", r.File, r.Line, r.Reason) }

// sniffBytes is how much of the input Detect gets to see.
const sniffBytes = 64 << 10

var gzipMagic = []byte{0x1f, 0x8b}

// Read streams papers from r, which holds one input file; name labels it in rejections and errors.
// Input whose name ends in ".gz", or which starts with the gzip magic bytes, is decompressed on the fly.
//
// fn is called, in input order, with each valid paper, already normalized (paper.Normalize) and
// validated (paper.Validate); a nil fn only checks the input. reject, which may be nil, is called for
// each record that is skipped, with its line and reason. With opts.Strict the first rejection is instead
// returned, not passed to reject, as an error wrapping ErrRejected. Reading also stops when fn returns an error, which Read
// returns as is, and when ctx is done, returning ctx.Err().
//
// Memory use is bounded by opts.MaxRecordBytes (plus buffers), whatever the size of the input.
func Read(ctx context.Context, r io.Reader, name string, opts Options, fn func(paper.Paper) error, reject func(Rejection)) error {
	opts = opts.withDefaults()
	if opts.Format != FormatAuto && !slices.Contains(Formats(), opts.Format) {
		return fmt.Errorf("%s: %w %q (want %s)", name, ErrUnknownFormat, opts.Format, formatList())
	}
	br := bufio.NewReaderSize(r, sniffBytes)
	if head, err := br.Peek(len(gzipMagic)); bytes.Equal(head, gzipMagic) || (strings.HasSuffix(name, ".gz") && err == nil) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: gunzip: %w", name, err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, sniffBytes)
	}
	if head, _ := br.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM)) // peeked: cannot fail
	}
	format := opts.Format
	if format == FormatAuto {
		head, err := br.Peek(sniffBytes)
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
			return fmt.Errorf("%s: %w", name, err)
		}
		format = Detect(head)
	}
	s := &sink{ctx: ctx, name: name, strict: opts.Strict, fn: fn, reject: reject}
	var err error
	switch format {
	case FormatJSONL:
		err = readJSONL(br, opts, s, shapeAuto)
	case FormatJSON:
		err = readJSONArray(br, opts, s, shapeAuto)
	case FormatCSL:
		err = readJSONShape(br, opts, s, shapeCSL)
	case FormatOpenAlex:
		err = readJSONShape(br, opts, s, shapeOpenAlex)
	case FormatS2:
		err = readJSONShape(br, opts, s, shapeS2)
	case FormatBibTeX:
		err = readBibTeX(br, opts, s)
	case FormatRIS:
		err = readRIS(br, opts, s)
	case FormatPubMed:
		err = readPubMed(br, opts, s)
	default:
		err = readDaily(br, opts, s)
	}
	if err != nil && s.passThrough(err) {
		return err
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// ReadFile is Read on the file at path, which also names the file in rejections.
func ReadFile(ctx context.Context, path string, opts Options, fn func(paper.Paper) error, reject func(Rejection)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return Read(ctx, f, path, opts, fn, reject)
}

// Detect guesses the format of an input from its first bytes (after decompression), where the content
// tells it unambiguously. After a UTF-8 byte order mark and white space:
//
//   - '{' means FormatJSONL, unless the object is an API page: Semantic Scholar's ({"total": ...,
//     "data": [...]}) means FormatS2, OpenAlex's ({"meta": ..., "results": [...]}) FormatOpenAlex;
//   - '[' means FormatJSON;
//   - '@' (after any lines starting with '%') followed by an entry type and '{' means FormatBibTeX;
//   - a first line "TY  - ..." means FormatRIS;
//   - '<' with a PubmedArticleSet or PubmedArticle element means FormatPubMed;
//   - anything else means FormatDaily.
//
// CSL-JSON, OpenAlex and Semantic Scholar records in JSON lines or a JSON array are told apart per
// record by their keys, so they need no format of their own.
func Detect(head []byte) Format {
	head = bytes.TrimPrefix(head, utf8BOM)
	head = bytes.TrimLeft(head, " \t\r\n\f\v")
	switch {
	case len(head) == 0:
		return FormatJSONL
	case head[0] == '{':
		switch sh, ok := pageShape(head); {
		case ok && sh == shapeS2:
			return FormatS2
		case ok && sh == shapeOpenAlex:
			return FormatOpenAlex
		}
		return FormatJSONL
	case head[0] == '[':
		return FormatJSON
	case head[0] == '<':
		if bytes.Contains(head, []byte("<PubmedArticleSet")) || bytes.Contains(head, []byte("<PubmedArticle>")) ||
			bytes.Contains(head, []byte("<PubmedArticle ")) {
			return FormatPubMed
		}
	case looksBibTeX(head):
		return FormatBibTeX
	case looksRIS(head):
		return FormatRIS
	}
	return FormatDaily
}

var utf8BOM = []byte("\uFEFF")

// sink turns parsed records into calls of the user's callbacks, applying Normalize, Validate and Strict.
type sink struct {
	ctx    context.Context
	name   string
	strict bool
	fn     func(paper.Paper) error
	reject func(Rejection)
	// fnErr and strictErr are the errors to return unwrapped: fn's own, and the strict rejection.
	fnErr, strictErr error
}

// paper hands p, a record that starts at line, to fn unless it fails Normalize-then-Validate or has a
// URL that is not http(s).
func (s *sink) paper(line int, p paper.Paper) error {
	if err := normalize(&p); err != nil {
		return s.rejectf(line, "%v", err)
	}
	if s.fn == nil {
		return nil
	}
	if err := s.fn(p); err != nil {
		s.fnErr = err
		return err
	}
	return nil
}

// normalize applies paper.Normalize and the checks every record from outside must pass.
func normalize(p *paper.Paper) error {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	return paper.CheckURL(p.URL)
}

// rejectf reports the record at line as rejected for the reason given by format and args.
func (s *sink) rejectf(line int, format string, args ...any) error {
	r := Rejection{File: s.name, Line: line, Reason: fmt.Sprintf(format, args...)}
	if s.strict {
		s.strictErr = fmt.Errorf("%w: %s", ErrRejected, r)
		return s.strictErr
	}
	if s.reject != nil {
		s.reject(r)
	}
	return nil
}

// checkCtx reports whether reading should go on.
func (s *sink) checkCtx() error { return s.ctx.Err() }

// passThrough reports whether err must reach the caller without the file-name prefix: fn's own error,
// the strict rejection (which names the file already) and context errors.
func (s *sink) passThrough(err error) bool {
	return err == s.fnErr || err == s.strictErr || err == s.ctx.Err()
}

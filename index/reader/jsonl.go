package reader

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// readJSONShape reads records of one JSON shape in whatever container holds them: a JSON array, one
// object a line, or (for Semantic Scholar and OpenAlex) API pages.
func readJSONShape(br *bufio.Reader, opts Options, s *sink, sh shape) error {
	head, err := br.Peek(sniffBytes)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return err
	}
	head = bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(head) > 0 && head[0] == '[':
		return readJSONArray(br, opts, s, sh)
	case sh == shapeS2 && isS2Page(head), sh == shapeOpenAlex && isOpenAlexPage(head):
		return readPages(br, opts, s, sh)
	}
	return readJSONL(br, opts, s, sh)
}

// readJSONL reads one JSON object a line; blank lines are skipped.
func readJSONL(br *bufio.Reader, opts Options, s *sink, sh shape) error {
	lr := newLineReader(br, opts.MaxRecordBytes)
	for {
		if err := s.checkCtx(); err != nil {
			return err
		}
		text, tooLong, err := lr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("line %d: %w", lr.line+1, err)
		}
		if tooLong {
			err = s.rejectf(lr.line, "record is longer than %d bytes", opts.MaxRecordBytes)
		} else if len(bytes.TrimSpace(text)) == 0 {
			continue
		} else if p, perr := decodeRecord(text, sh); perr != nil {
			err = s.rejectf(lr.line, "%v", perr)
		} else {
			err = s.paper(lr.line, p)
		}
		if err != nil {
			return err
		}
	}
}

// readJSONArray reads one JSON array of objects. Unlike JSON lines, an array cannot be resynchronised
// after a syntax error or an oversized element, so those stop the read with an error; elements that are
// well-formed JSON but not valid papers are rejected and skipped as usual.
func readJSONArray(br *bufio.Reader, opts Options, s *sink, sh shape) error {
	cr := &countingReader{r: br, limit: int64(opts.MaxRecordBytes) + sniffBytes}
	dec := json.NewDecoder(cr)
	if tok, err := dec.Token(); err != nil {
		return arrayError(err, cr, dec)
	} else if tok != json.Delim('[') {
		return fmt.Errorf("line %d: want a JSON array, got %v", cr.lineAt(dec.InputOffset()), tok)
	}
	if err := readElements(dec, cr, opts, s, sh); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("line %d: unexpected data after the JSON array", cr.lineAt(dec.InputOffset()))
	}
	return nil
}

// readElements reads the elements of the array whose '[' dec has just returned, and its ']'.
func readElements(dec *json.Decoder, cr *countingReader, opts Options, s *sink, sh shape) error {
	for dec.More() {
		if err := s.checkCtx(); err != nil {
			return err
		}
		cr.start = dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if errors.Is(err, errElementTooLarge) {
				return fmt.Errorf("line %d: the next array element is longer than %d bytes",
					cr.lineAt(cr.start), opts.MaxRecordBytes)
			}
			return arrayError(err, cr, dec)
		}
		line := cr.lineAt(dec.InputOffset() - int64(len(raw)))
		var err error
		if len(raw) > opts.MaxRecordBytes {
			err = s.rejectf(line, "record is longer than %d bytes", opts.MaxRecordBytes)
		} else if p, perr := decodeRecord(raw, sh); perr != nil {
			err = s.rejectf(line, "%v", perr)
		} else {
			err = s.paper(line, p)
		}
		if err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return arrayError(err, cr, dec)
	}
	return nil
}

// arrayError locates a decoder error in the input.
func arrayError(err error, cr *countingReader, dec *json.Decoder) error {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("line %d: invalid JSON array: %v", cr.lineAt(max(syn.Offset-1, cr.start)),
			strings.TrimPrefix(err.Error(), "json: "))
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		return fmt.Errorf("line %d: invalid JSON array: unexpected end of input", cr.lineAt(dec.InputOffset()))
	}
	return err
}

var errElementTooLarge = errors.New("array element too large")

// countingReader feeds a json.Decoder, remembering where lines start so that a decoder offset maps to a
// line number, and failing once the decoder has read limit bytes past start: the decoder buffers a whole
// element, so this bounds its memory.
type countingReader struct {
	r     io.Reader
	limit int64
	start int64 // offset where the current element starts
	off   int64 // bytes read so far
	// nl holds the offsets of newlines not yet counted into lines; lines counts the ones before them.
	nl    []int64
	lines int
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.off-c.start > c.limit {
		return 0, errElementTooLarge
	}
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\n' {
			c.nl = append(c.nl, c.off+int64(i))
		}
	}
	c.off += int64(n)
	return n, err
}

// lineAt is the 1-based line of byte offset off. Offsets must not decrease from call to call.
func (c *countingReader) lineAt(off int64) int {
	i := 0
	for i < len(c.nl) && c.nl[i] < off {
		i++
	}
	c.lines += i
	c.nl = c.nl[i:]
	return c.lines + 1
}

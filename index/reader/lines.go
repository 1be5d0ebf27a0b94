package reader

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// lineReader reads lines of at most max bytes. A longer line is skipped up to its newline without being
// held in memory, and reported as too long, so one huge or newline-free record cannot exhaust memory.
type lineReader struct {
	r    *bufio.Reader
	max  int
	buf  []byte
	line int // 1-based number of the line last returned
}

func newLineReader(r *bufio.Reader, max int) *lineReader {
	return &lineReader{r: r, max: max}
}

// next returns the next line without its line ending ("\n" or "\r\n") and whether it was too long (then
// text is nil). At the end of the input it returns io.EOF; a last line without a newline is still a line.
// text is valid until the next call.
func (lr *lineReader) next() (text []byte, tooLong bool, err error) {
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if !tooLong {
			if len(lr.buf)+len(chunk) > lr.max+2 { // +2: the line ending does not count
				tooLong = true
				lr.buf = lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && (len(lr.buf) > 0 || tooLong):
			// The last line has no newline: return it now and io.EOF on the next call.
		case err != nil:
			return nil, false, err
		}
		lr.line++
		if tooLong {
			return nil, true, nil
		}
		text = bytes.TrimSuffix(lr.buf, []byte("\n"))
		text = bytes.TrimSuffix(text, []byte("\r"))
		if len(text) > lr.max {
			return nil, true, nil
		}
		return text, false, nil
	}
}

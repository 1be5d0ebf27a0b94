// Package load streams input files into an index: readers at the edge, the engine's Upsert in batches.
//
//	sum, err := load.Files(ctx, ix, []string{"arxiv.jsonl.gz"}, load.DefaultOptions())
//	fmt.Println(sum) // accepted, replaced, rejected with reasons, elapsed, papers/s
//
// Summary.Files has the counts of each file: FileSummary.Empty tells a file that gave no paper at all
// (the wrong format, or an export without abstracts), FileSummary.TopReason why.
//
// The first batch is large (FirstBatch papers) because the engine weighs a batch's vectors with idf
// statistics that include the batch itself: a large first batch gives the earliest papers the same
// good weights later ones get. Later batches are smaller (Batch) to bound memory.
package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

// Options configure a load.
type Options struct {
	// Reader options: format, strictness, record size limit.
	Reader reader.Options
	// FirstBatch is the size of the first batch. Default 10,000.
	FirstBatch int
	// Batch is the size of every later batch. Default 2,000.
	Batch int
	// Progress, if set, is called after every batch.
	Progress func(Progress)
	// Reject, if set, is called for every rejected record as it is met.
	Reject func(reader.Rejection)
	// MaxRejections caps how many rejections the Summary keeps verbatim. Default 100.
	MaxRejections int
}

// DefaultOptions returns the documented defaults.
func DefaultOptions() Options {
	return Options{Reader: reader.DefaultOptions(), FirstBatch: 10_000, Batch: 2_000, MaxRejections: 100}
}

// Progress is reported after every batch.
type Progress struct {
	File     string
	Accepted int
	Rejected int
	Elapsed  time.Duration
	// FileRead and FileSize are bytes of the current file read and in all (0 when unknown), for an ETA.
	FileRead, FileSize int64
}

// Summary is the outcome of a load.
type Summary struct {
	Read       int // valid records read (before de-duplication)
	Added      int
	Replaced   int // records that replaced a paper with the same ID
	Rejected   int
	Rejections []reader.Rejection // the first MaxRejections
	// Files has one entry per file read (or stream), in order, with its own counts.
	Files   []FileSummary
	Elapsed time.Duration
}

// FileSummary is the outcome of one file of a load.
type FileSummary struct {
	File     string
	Accepted int // valid records read
	Rejected int
	// Reasons counts the rejections by kind (see ReasonKind): {"missing abstract": 12}.
	Reasons map[string]int
}

// Empty reports whether the file gave no paper although it held records: the sign of a file in
// another format than the one read, or exported without abstracts.
func (f FileSummary) Empty() bool { return f.Accepted == 0 && f.Rejected > 0 }

// TopReason is the most common kind of rejection in the file (of equally common ones, the first in
// alphabetical order), or "" when nothing was rejected.
func (f FileSummary) TopReason() string {
	top, n := "", 0
	for r, c := range f.Reasons {
		if c > n || c == n && r < top {
			top, n = r, c
		}
	}
	return top
}

// ReasonKind reduces a rejection reason to the part that does not vary from record to record: the
// text before its first ':' (or " at column"), as in "missing abstract", "invalid JSON", "bad date",
// "invalid BibTeX entry" or "record is longer than 1048576 bytes".
func ReasonKind(reason string) string {
	kind, _, _ := strings.Cut(reason, ":")
	kind, _, _ = strings.Cut(kind, " at column")
	return strings.TrimSpace(kind)
}

// Rate is papers accepted per second.
func (s Summary) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Added+s.Replaced) / s.Elapsed.Seconds()
}

func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "accepted %d (%d new, %d replaced), rejected %d, in %s (%.0f papers/s)",
		s.Added+s.Replaced, s.Added, s.Replaced, s.Rejected, s.Elapsed.Round(time.Millisecond), s.Rate())
	return b.String()
}

// Files loads every file into ix, in order. With Reader.Strict the first rejection stops the load with
// an error; what was upserted before it stays.
func Files(ctx context.Context, ix *index.Index, files []string, opts Options) (Summary, error) {
	l := newLoader(ix, opts)
	for _, f := range files {
		l.startFile(f)
		fh, err := os.Open(f)
		if err != nil {
			l.flush(ctx)
			return l.done(), fmt.Errorf("read %w", err)
		}
		if fi, err := fh.Stat(); err == nil {
			l.size = fi.Size()
		}
		l.counter = &countingReader{r: fh}
		err = reader.Read(ctx, l.counter, f, l.opts.Reader, l.add(ctx), l.reject)
		fh.Close()
		l.doneBytes += l.counter.n
		if err != nil {
			l.flush(ctx)
			return l.done(), err
		}
	}
	err := l.flush(ctx)
	return l.done(), err
}

// maxReasonKinds bounds the kinds of rejection a FileSummary counts, whatever the input.
const maxReasonKinds = 32

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Reader loads one stream (name is used in rejections and to detect gzip).
func Reader(ctx context.Context, ix *index.Index, r io.Reader, name string, opts Options) (Summary, error) {
	l := newLoader(ix, opts)
	l.startFile(name)
	if err := reader.Read(ctx, r, name, l.opts.Reader, l.add(ctx), l.reject); err != nil {
		l.flush(ctx)
		return l.done(), err
	}
	err := l.flush(ctx)
	return l.done(), err
}

type loader struct {
	ix    *index.Index
	opts  Options
	file  string
	start time.Time
	buf   []paper.Paper
	first bool
	sum   Summary
	err   error
	// Bytes of the current file read so far and its size, for progress.
	counter   *countingReader
	size      int64
	doneBytes int64
}

func newLoader(ix *index.Index, opts Options) *loader {
	d := DefaultOptions()
	if opts.FirstBatch <= 0 {
		opts.FirstBatch = d.FirstBatch
	}
	if opts.Batch <= 0 {
		opts.Batch = d.Batch
	}
	if opts.MaxRejections <= 0 {
		opts.MaxRejections = d.MaxRejections
	}
	return &loader{ix: ix, opts: opts, start: time.Now(), first: true}
}

// startFile begins the counts of a new file.
func (l *loader) startFile(name string) {
	l.file = name
	l.sum.Files = append(l.sum.Files, FileSummary{File: name})
}

// cur is the summary of the file being read.
func (l *loader) cur() *FileSummary { return &l.sum.Files[len(l.sum.Files)-1] }

func (l *loader) add(ctx context.Context) func(paper.Paper) error {
	return func(p paper.Paper) error {
		l.sum.Read++
		l.cur().Accepted++
		l.buf = append(l.buf, p)
		size := l.opts.Batch
		if l.first {
			size = l.opts.FirstBatch
		}
		if len(l.buf) >= size {
			return l.flush(ctx)
		}
		return nil
	}
}

func (l *loader) reject(r reader.Rejection) {
	l.sum.Rejected++
	f := l.cur()
	f.Rejected++
	if f.Reasons == nil {
		f.Reasons = make(map[string]int)
	}
	if kind := ReasonKind(r.Reason); len(f.Reasons) < maxReasonKinds || f.Reasons[kind] > 0 {
		f.Reasons[kind]++
	}
	if len(l.sum.Rejections) < l.opts.MaxRejections {
		l.sum.Rejections = append(l.sum.Rejections, r)
	}
	if l.opts.Reject != nil {
		l.opts.Reject(r)
	}
}

func (l *loader) flush(ctx context.Context) error {
	if len(l.buf) == 0 || l.err != nil {
		return l.err
	}
	st, err := l.ix.Upsert(ctx, l.buf...)
	if err != nil {
		if errors.Is(err, index.ErrInvalidPaper) {
			err = fmt.Errorf("%s: %w", l.file, err)
		}
		l.err = err
		return err
	}
	l.sum.Added += st.Added
	// Duplicates within one batch replace each other before they reach the index.
	l.sum.Replaced += len(l.buf) - st.Added
	l.buf = l.buf[:0]
	l.first = false
	if l.opts.Progress != nil {
		pr := Progress{File: l.file, Accepted: l.sum.Added + l.sum.Replaced, Rejected: l.sum.Rejected, Elapsed: time.Since(l.start), FileSize: l.size}
		if l.counter != nil {
			pr.FileRead = l.counter.n
		}
		l.opts.Progress(pr)
	}
	return nil
}

func (l *loader) done() Summary {
	l.sum.Elapsed = time.Since(l.start)
	return l.sum
}

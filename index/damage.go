package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"go.etcd.io/bbolt"
	"golang.org/x/sync/errgroup"
)

// Damage is detected on open where it can be checked cheaply, and named: FORMAT's checksum and the
// identity vectors.bin must share with it (format.go, derived.go), bbolt's own check of Bleve's
// root.bolt, and the CRC-32 that zap keeps in the footer of every segment of the current snapshot,
// checked against the segment's bytes (about 60 ms for the 256 MB of segments of 75,000 arXiv
// abstracts, from the page cache). A panic of Bleve or bbolt on damaged data while the index opens
// is recovered into the same error. Damage to derived files is repaired by `kindred index --rebuild`;
// damage to Bleve's files is not, because they hold the papers: the error says to re-index them from
// their source files.

// textDamaged is the error for a damaged file of Bleve's, which nothing can rebuild. The detail is
// cut to one line: Bleve quotes whole files in some of its errors.
func textDamaged(file, detail string) error {
	detail = strings.Join(strings.Fields(detail), " ")
	if len(detail) > 200 {
		detail = detail[:200] + "…"
	}
	return fmt.Errorf("%w: %s is damaged (%s); it is part of the full-text index, which holds the papers themselves and cannot be rebuilt from anything else: re-index them from their source files into a new directory (kindred index --data NEW FILE...)", ErrDamaged, file, detail)
}

// checkBolt reads every bucket and key of Bleve's root.bolt (kilobytes to a few megabytes) before
// Bleve opens it, in this goroutine: a damaged page makes bbolt panic, and a panic here is recovered,
// where one in tx.Check's goroutine or in Bleve's would not be. bbolt checks its meta pages' own
// checksums when it opens the file.
func checkBolt(dir string) (err error) {
	path := filepath.Join(dir, bleveDir, "store", "root.bolt")
	if _, serr := os.Stat(path); serr != nil {
		return nil // absent: Bleve's open says what is missing
	}
	// A damaged page can point bbolt outside its memory map: a fault, which SetPanicOnFault turns
	// into a panic this goroutine recovers instead of a crash.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = textDamaged(path, fmt.Sprint("bbolt: ", r))
		}
	}()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		if errors.Is(err, bbolt.ErrTimeout) || errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("%w: %s", ErrLocked, path)
		}
		return textDamaged(path, err.Error())
	}
	defer db.Close()
	var sum uint32
	var walk func(b *bbolt.Bucket) error
	walk = func(b *bbolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			// Read every byte of the key and the value, as Bleve will.
			sum = crc32.Update(crc32.Update(sum, crc32.IEEETable, k), crc32.IEEETable, v)
			if v == nil {
				if sub := b.Bucket(k); sub != nil {
					return walk(sub)
				}
			}
			return nil
		})
	}
	err = db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bbolt.Bucket) error { return walk(b) })
	})
	if err != nil {
		return textDamaged(path, err.Error())
	}
	return nil
}

// openBleveChecked opens Bleve, turning a panic on damaged data into ErrDamaged, and then checks the
// segments of its current snapshot against their checksums.
func openBleveChecked(dir string, create, readOnly bool) (bl bleve.Index, err error) {
	path := filepath.Join(dir, bleveDir)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if bl != nil {
				bl.Close()
			}
			bl, err = nil, textDamaged(damagedFile(path, fmt.Sprint("panic while opening it: ", r)))
		}
	}()
	bl, err = openBleve(path, create, readOnly)
	if err != nil {
		if errors.Is(err, ErrDamaged) && !errors.Is(err, errBleveMissing) && !errors.Is(err, errMetaMissing) {
			return nil, textDamaged(damagedFile(path, strings.TrimPrefix(err.Error(), ErrDamaged.Error()+": ")))
		}
		return nil, err
	}
	if err := verifySegments(bl); err != nil {
		bl.Close()
		return nil, err
	}
	return bl, nil
}

// segmentError is a segment whose bytes do not match its footer's checksum.
type segmentError struct {
	path   string
	detail string
}

func (e *segmentError) Error() string { return e.path + ": " + e.detail }

// verifySegments checks every persisted segment of bl's current snapshot against the CRC-32 in its
// footer, in parallel. O(size of the segments).
func verifySegments(bl bleve.Index) error {
	adv, err := bl.Advanced()
	if err != nil {
		return nil
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	r, err := s.Reader()
	if err != nil {
		return nil
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	var paths []string
	for _, ss := range snap.Segments() {
		if p, ok := ss.Segment().(interface{ Path() string }); ok {
			paths = append(paths, p.Path())
		}
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, p := range paths {
		g.Go(func() error { return checkSegment(p) })
	}
	if err := g.Wait(); err != nil {
		var se *segmentError
		if errors.As(err, &se) {
			return textDamaged(se.path, se.detail)
		}
		return err
	}
	return nil
}

// checkSegment compares a zap file's CRC-32 (IEEE, of everything before it, big-endian in its last
// four bytes) with its content.
func checkSegment(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return &segmentError{path, err.Error()}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return &segmentError{path, err.Error()}
	}
	if fi.Size() < 64 {
		return &segmentError{path, fmt.Sprintf("%d bytes, shorter than a segment's footer: truncated", fi.Size())}
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil // cannot map it here: Bleve's own reads will tell
	}
	defer syscall.Munmap(b)
	n := len(b)
	if got, want := crc32.ChecksumIEEE(b[:n-4]), binary.BigEndian.Uint32(b[n-4:]); got != want {
		return &segmentError{path, fmt.Sprintf("its bytes have checksum %08x, its footer says %08x: changed or truncated", got, want)}
	}
	return nil
}

// damagedFile names the damaged file of the Bleve index at path after Bleve failed to open it: the
// first segment whose checksum fails, else root.bolt, which holds the rest (the mapping, the list of
// segments, the internal keys), else path. Stale segments a crash left behind are checked too,
// which is why this is only a diagnosis.
// The detail is the segment's checksum failure, or Bleve's error.
func damagedFile(path string, openErr string) (file, detail string) {
	files, _ := filepath.Glob(filepath.Join(path, "store", "*.zap"))
	slices.Sort(files)
	for _, f := range files {
		var se *segmentError
		if errors.As(checkSegment(f), &se) {
			return f, se.detail
		}
	}
	if root := filepath.Join(path, "store", "root.bolt"); fileExists(root) {
		return root, openErr
	}
	return path, openErr
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

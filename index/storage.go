package index

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/kindred-search/kindred/index/paper"
)

// A full disk is a state, not a crash. Before a batch, commit checks that the data directory's file
// system has room for it (Options.MinFreeBytes plus a multiple of the batch's text) and refuses it with
// ErrNoSpace otherwise, so that Bleve is rarely handed a batch it cannot write. When a batch fails all
// the same, Bleve's in-memory state no longer matches its files: scorch has introduced the segment that
// could not be persisted, its persister retries it in a loop, and a search over it may panic in one of
// Bleve's own goroutines, where no recover can reach. So the index is closed and reopened from its
// files before anything else touches it: the reopened index holds exactly what is durable. Bleve's
// background errors (a merge or a persist that failed, a panic its loops recovered) are reported to
// asyncErrors and also make the next write reopen the index first.

// spacePerTextByte is how many bytes of disk a batch may need per byte of its papers' text: the
// segment, its merges and the change log (about 4 on arXiv abstracts, doubled for merges).
const spacePerTextByte = 8

// asyncErrorCallback is the name under which asyncErrors is registered with scorch.
const asyncErrorCallback = "kindred"

// asyncErrors routes Bleve's background errors to the index whose directory they are about. Scorch
// only takes a callback by name from a process-wide registry filled at init.
var asyncErrors sync.Map // Bleve directory -> *bleveHealth

func init() {
	scorch.RegistryAsyncErrorCallbacks[asyncErrorCallback] = func(err error, path string) {
		if h, ok := asyncErrors.Load(filepath.Clean(path)); ok {
			h.(*bleveHealth).fail(err)
		}
	}
}

// bleveHealth records that Bleve reported an error in the background: the next write reopens it.
type bleveHealth struct {
	err    atomic.Pointer[error]
	once   sync.Once
	failCh chan struct{} // closed at the first error
}

func newBleveHealth() *bleveHealth { return &bleveHealth{failCh: make(chan struct{})} }

func (h *bleveHealth) fail(err error) {
	h.err.CompareAndSwap(nil, &err)
	h.once.Do(func() { close(h.failCh) })
}

// failed returns the first background error since the index was (re)opened, or nil.
func (h *bleveHealth) failed() error {
	if p := h.err.Load(); p != nil {
		return *p
	}
	return nil
}

// batchBytes is the text a batch of papers adds, for the free-space check.
func batchBytes(ps []paper.Paper) int64 {
	var n int64
	for _, p := range ps {
		n += int64(len(p.ID) + len(p.Title) + len(p.Abstract) + len(p.URL) + len(p.DOI) + len(p.Venue) + 64)
		for _, a := range p.Authors {
			n += int64(len(a))
		}
	}
	return n
}

// freeBytes is the space left to unprivileged writers on the file system of dir.
func freeBytes(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}

// checkSpace refuses a write that needs about need bytes beyond Options.MinFreeBytes.
func (ix *Index) checkSpace(need int64) error {
	if ix.opts.MinFreeBytes < 0 {
		return nil
	}
	free, err := freeBytes(ix.dir)
	if err != nil {
		return nil // not knowable here (another OS, a file system without statfs): let the write tell
	}
	if want := ix.opts.MinFreeBytes + need; free < want {
		return fmt.Errorf("%w: %s has %s free, a write needs %s", ErrNoSpace, ix.dir, byteSize(free), byteSize(want))
	}
	return nil
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n/1024)
}

// isNoSpace reports whether err says the disk is full (or the user's quota used up). Bleve often
// flattens the errors of its files into text, so the text is looked at too.
func isNoSpace(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "no space left on device") || strings.Contains(s, "disk quota exceeded")
}

// commit writes b, the batch of generation gen (0 for a batch that starts none) with about text bytes
// of papers, to Bleve and waits until it is durable. When Bleve fails, it is reopened from its files
// (see the top of this file); if the batch is there after all (scorch retried it before the close),
// commit succeeds, else the error says whether the disk was full (ErrNoSpace). Called with wmu held.
func (ix *Index) commit(b *bleve.Batch, gen uint64, text int64) error {
	if err := ix.healBleve(); err != nil {
		return err
	}
	if err := ix.checkSpace(text * spacePerTextByte); err != nil {
		return err
	}
	var err error
	if ix.testBatchHook != nil {
		err = ix.testBatchHook()
	}
	if err == nil {
		err = ix.batch(b)
	}
	if err == nil {
		err = ix.health.failed() // its persist failed in the background, or a loop of Bleve's died
	}
	if err == nil {
		return nil
	}
	disk, rerr := ix.reopenBleve()
	switch {
	case rerr != nil:
		err = errors.Join(err, rerr)
	case gen == 0:
	case disk == gen:
		return nil
	case disk != gen-1:
		return fmt.Errorf("%w: after a failed write the full-text index is at generation %d, the batch was %d: %v", ErrDamaged, disk, gen, err)
	}
	if isNoSpace(err) {
		return fmt.Errorf("%w: write full-text index: %v", ErrNoSpace, err)
	}
	return fmt.Errorf("write full-text index: %w", err)
}

// batch hands b to Bleve and waits for it to be durable, or for Bleve to report a background error:
// if scorch's persister or introducer died (they recover their panics and stop), Batch would wait
// for ever, and the reopen that follows the error is what unblocks the index. The abandoned call
// ends when the reopen closes the old index, or stays parked.
func (ix *Index) batch(b *bleve.Batch) error {
	done := make(chan error, 1)
	go func() { done <- ix.bl.Batch(b) }()
	select {
	case err := <-done:
		return err
	case <-ix.health.failCh:
		select {
		case err := <-done:
			return errors.Join(err, ix.health.failed())
		case <-time.After(batchGrace):
			return fmt.Errorf("the full-text index stopped in the background: %w", ix.health.failed())
		}
	}
}

// batchGrace is how long a batch may still take to return once Bleve has reported a background
// error: scorch's persister retries a failed persist, and may yet succeed.
const batchGrace = 10 * time.Second

// healBleve reopens Bleve when a background error or a failed reopen left it unfit for a batch.
// Called with wmu held.
func (ix *Index) healBleve() error {
	if ix.health.failed() == nil && !ix.blDown {
		return nil
	}
	if _, err := ix.reopenBleve(); err != nil {
		if isNoSpace(err) {
			return fmt.Errorf("%w: reopen full-text index: %v", ErrNoSpace, err)
		}
		return fmt.Errorf("reopen full-text index: %w", err)
	}
	return nil
}

// reopenBleve closes Bleve and opens it again from its files, so that it holds exactly what is
// durable, and returns the generation on disk. Searches wait meanwhile (a reopen takes milliseconds)
// and then read the reopened index; if the reopen fails, they fail until a write reopens it. Called
// with wmu held.
func (ix *Index) reopenBleve() (uint64, error) {
	var err error
	ix.publish(func() {
		if !ix.blDown {
			ix.bl.Close() // its error is the one the caller reports already
		}
		path := filepath.Join(ix.dir, bleveDir)
		ix.health = ix.watch(path)
		var bl bleve.Index
		if bl, err = openBleve(path, false, ix.opts.ReadOnly); err != nil {
			ix.blDown = true
			return
		}
		ix.bl, ix.blDown = bl, false
	})
	if err != nil {
		return 0, err
	}
	return ix.internalU64(keyGen)
}

// watch registers a fresh health record for the Bleve index at path.
func (ix *Index) watch(path string) *bleveHealth {
	h := newBleveHealth()
	asyncErrors.Store(filepath.Clean(path), h)
	return h
}

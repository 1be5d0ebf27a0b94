package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/bm25"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/vector"
)

// FormatVersion is the version of the data directory layout. Open refuses a directory whose FORMAT file
// names another version rather than misread it.
const FormatVersion = 1

// Index is the engine: a Bleve full-text index and a vector index over the same papers, with the idf
// statistics the vectors are weighted by. It is safe for concurrent use: searches run in parallel;
// writes are serialised and never let a search see a paper on one side only.
type Index struct {
	dir  string
	id   [16]byte // the index's identity (FORMAT's "id"), also in vectors.bin
	opts Options
	emb  *embed.Embedder

	// wmu serialises writers (Upsert, Delete, Save, Rebuild). Held before mu.
	wmu sync.Mutex

	// mu guards what searches read together: the IDs the keyword index and the vector index hold
	// (both change under mu, see publish.go), vec, kw and bl themselves being replaced, and closed.
	// Searches hold it for reading for their whole run; a write holds it exclusively only to publish
	// what it prepared outside it, and the save not at all.
	mu     sync.RWMutex
	bl     bleve.Index
	blDown bool         // bl is closed: a reopen after a failed write failed (storage.go)
	health *bleveHealth // Bleve's background errors since bl was opened
	vec    vector.Index
	kw     *bm25.Store  // the keyword index: postings, exact statistics, dates and categories
	stats  *embed.Stats // hashed feature frequencies for the vectors; safe for concurrent use on its own
	closed bool

	// gen is the generation of the last committed write, savedGen the one the vectors file on disk
	// reflects. Written with wmu held, read without locks.
	gen, savedGen atomic.Uint64

	// testBatchHook, set by tests only, runs before every Bleve batch; an error it returns is the
	// batch's (a fault injected), and it may block to make a write slow.
	testBatchHook func() error

	// overviewMu guards overview and overviewGen, the Overview cached for one generation.
	overviewMu  sync.Mutex
	overview    *Overview
	overviewGen uint64
}

// Open opens the index in dir, creating it if dir holds none. A directory written by another format
// version is refused with ErrVersion; a damaged one with ErrDamaged.
func Open(ctx context.Context, dir string, opts Options) (ix *Index, err error) {
	opts = opts.withDefaults()
	var bl bleve.Index
	defer func() {
		// Bleve, bbolt and the readers of the vectors file may panic on damaged data; the panic
		// becomes the error, and nothing of the failed open is kept.
		if r := recover(); r != nil {
			if bl == nil {
				ix, err = nil, textDamaged(filepath.Join(dir, bleveDir), fmt.Sprint("panic while opening it: ", r))
				return
			}
			bl.Close()
			ix, err = nil, fmt.Errorf("%w: %s: panic while reading it: %v; run `kindred index --rebuild --data %s` to rebuild it from the stored papers", ErrDamaged, filepath.Join(dir, vectorsName), r, dir)
		}
	}()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	ff, created, err := readOrCreateFormat(dir, opts)
	if err != nil {
		return nil, err
	}
	opts.Embed = ff.Embed
	emb, err := embed.New(ff.Embed)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	blPath := filepath.Join(dir, bleveDir)
	health := newBleveHealth()
	asyncErrors.Store(filepath.Clean(blPath), health)
	if !created {
		if err := checkBolt(dir); err != nil {
			return nil, err
		}
	}
	bl, err = openBleveChecked(dir, created, opts.ReadOnly)
	if errors.Is(err, errMetaMissing) && opts.Rebuild && !opts.ReadOnly {
		if werr := writeIndexMeta(blPath); werr != nil {
			return nil, fmt.Errorf("open index: %w", werr)
		}
		bl, err = openBleveChecked(dir, false, false)
	}
	if err != nil && !created && !opts.ReadOnly && interruptedCreate(dir, err) {
		// A crash while the index was being created (FORMAT written, Bleve missing or without its
		// mapping, no vectors ever saved) leaves nothing acknowledged: start the index afresh.
		if rerr := os.RemoveAll(blPath); rerr != nil {
			return nil, fmt.Errorf("open index: %w", rerr)
		}
		bl, err = openBleveChecked(dir, true, false)
	}
	switch {
	case errors.Is(err, errMetaMissing):
		return nil, fmt.Errorf("%w; run `kindred index --rebuild --data %s` to write it afresh", err, dir)
	case err != nil:
		return nil, err
	}
	ix = &Index{dir: dir, id: identityBytes(ff.ID), opts: opts, bl: bl, emb: emb, health: health}
	if opts.Rebuild {
		err = ix.rebuildOnOpen(ctx)
	} else {
		err = ix.loadDerived(ctx)
	}
	if err != nil {
		bl.Close()
		return nil, err
	}
	return ix, nil
}

func openBleve(path string, create, readOnly bool) (bleve.Index, error) {
	cfg := map[string]any{"bolt_timeout": "1s", "asyncErrorCallbackName": asyncErrorCallback}
	if readOnly {
		cfg["read_only"] = true
	}
	if create {
		m, err := newMapping()
		if err != nil {
			return nil, err
		}
		bl, err := bleve.NewUsing(path, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, cfg)
		if err != nil {
			return nil, fmt.Errorf("create full-text index: %w", err)
		}
		return bl, nil
	}
	bl, err := bleve.OpenUsing(path, cfg)
	if err != nil {
		if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
			return nil, fmt.Errorf("%w: %s is %w: the full-text index holds the papers themselves and cannot be rebuilt from anything else: re-index them from their source files into a new directory (kindred index --data NEW FILE...)", ErrDamaged, path, errBleveMissing)
		}
		if errors.Is(err, bleve.ErrorIndexMetaMissing) {
			return nil, fmt.Errorf("%w: %s is %w", ErrDamaged, filepath.Join(path, indexMetaName), errMetaMissing)
		}
		if isTimeout(err) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, path)
		}
		return nil, fmt.Errorf("%w: open full-text index %s: %v", ErrDamaged, path, err)
	}
	return bl, nil
}

// interruptedCreate reports whether dir looks like an index whose creation was cut short: Bleve is
// missing or never got its mapping stored, and no vectors file was ever written. No write can have
// been acknowledged in such a directory, because Upsert needs a fully created Bleve index.
func interruptedCreate(dir string, openErr error) bool {
	if _, err := os.Stat(filepath.Join(dir, vectorsName)); !errors.Is(err, os.ErrNotExist) {
		return false
	}
	if segs, _ := filepath.Glob(filepath.Join(dir, bleveDir, "store", "*.zap")); len(segs) > 0 {
		return false // Bleve persisted papers once: whatever is wrong, it is not a creation cut short
	}
	if _, err := os.Stat(filepath.Join(dir, bleveDir, indexMetaName)); errors.Is(err, os.ErrNotExist) {
		return true
	}
	return strings.Contains(openErr.Error(), "mapping")
}

// Errors of openBleve that Open handles itself, beside ErrDamaged: Bleve's directory, or its
// index_meta.json, is missing.
var (
	errBleveMissing = errors.New("missing")
	errMetaMissing  = errors.New("missing")
)

// indexMetaName is the file in which Bleve records the kind of an index; the mapping and the papers
// are elsewhere, so Open can write it afresh.
const indexMetaName = "index_meta.json"

// writeIndexMeta writes the index_meta.json Bleve wrote when it created the index at path.
func writeIndexMeta(path string) error {
	b, err := json.Marshal(map[string]any{"storage": bleve.Config.DefaultKVStore, "index_type": bleve.Config.DefaultIndexType})
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(path, indexMetaName), b)
}

// Close saves the vector side if it changed and closes the index. It is safe to call twice.
func (ix *Index) Close() error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	ix.mu.RLock()
	closed := ix.closed
	ix.mu.RUnlock()
	if closed {
		return nil
	}
	var err error
	if !ix.opts.ReadOnly {
		err = ix.saveLocked()
	}
	ix.publish(func() { ix.closed = true })
	if !ix.blDown {
		if cerr := ix.bl.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close full-text index: %w", cerr)
		}
	}
	asyncErrors.CompareAndDelete(filepath.Clean(filepath.Join(ix.dir, bleveDir)), ix.health)
	return err
}

// Dir is the data directory.
func (ix *Index) Dir() string { return ix.dir }

// Count is the number of papers held.
func (ix *Index) Count() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return 0
	}
	return ix.vec.Len()
}

// Get returns the paper with the given ID, or ErrNotFound.
func (ix *Index) Get(ctx context.Context, id string) (paper.Paper, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return paper.Paper{}, ErrClosed
	}
	return ix.getLocked(ctx, id)
}

func (ix *Index) getLocked(ctx context.Context, id string) (paper.Paper, error) {
	ps, err := ix.fetch(ctx, []string{id})
	if err != nil {
		return paper.Paper{}, err
	}
	p, ok := ps[id]
	if !ok {
		return paper.Paper{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	return p, nil
}

// fetch reads the stored records of ids from Bleve; absent IDs are missing from the map. It reads
// each document's stored fields directly, which costs about two thirds of a search for the IDs
// (170 against 250 µs for ten records of the arXiv file).
func (ix *Index) fetch(ctx context.Context, ids []string) (map[string]paper.Paper, error) {
	out := make(map[string]paper.Paper, len(ids))
	fields := make(map[string]any, len(storedFields))
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d, err := ix.bl.Document(id)
		if err != nil {
			return nil, fmt.Errorf("read paper %s: %w", id, err)
		}
		if d == nil {
			continue
		}
		clear(fields)
		d.VisitFields(func(f bleveindex.Field) {
			if slices.Contains(storedFields, f.Name()) {
				fields[f.Name()] = string(f.Value())
			}
		})
		p, err := fromStored(id, fields)
		if err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, nil
}

// Stats describes the index for /api/stats and `kindred bench`.
type Stats struct {
	Papers      int    `json:"papers"`
	VectorIndex string `json:"vector_index"`
	Generation  uint64 `json:"generation"`
	DiskBytes   int64  `json:"disk_bytes"`
	FormatVer   int    `json:"format_version"`
	EmbedDim    uint32 `json:"embed_dim"`
	EmbedTopK   int    `json:"embed_top_k"`
	Bigrams     bool   `json:"embed_bigrams"`
	VectorInfo  any    `json:"vector_params,omitempty"`
	// KeywordBytes is the keyword index's size in memory (postings, block bounds, dictionaries).
	KeywordBytes int64 `json:"keyword_index_bytes"`
}

// Stats returns counts and sizes.
func (ix *Index) Stats() Stats {
	ix.mu.RLock()
	s := Stats{Generation: ix.gen.Load(), FormatVer: FormatVersion, EmbedDim: ix.opts.Embed.Dim,
		EmbedTopK: ix.opts.Embed.TopK, Bigrams: !ix.opts.Embed.NoBigrams}
	if !ix.closed {
		s.Papers = ix.vec.Len()
		s.VectorIndex, s.VectorInfo = describeVectorIndex(ix.vec)
		s.KeywordBytes = ix.kw.Footprint()
	}
	ix.mu.RUnlock()
	s.DiskBytes = dirSize(ix.dir)
	return s
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// docCount is Bleve's document count.
func (ix *Index) docCount() (uint64, error) {
	n, err := ix.bl.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count documents: %w", err)
	}
	return n, nil
}

package index

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/bm25"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/vector"
)

// Bleve internal keys. Every write batch carries, atomically with its documents, the new generation and
// a log entry naming the IDs it changed; the vectors file records the generation it reflects. On open,
// the logs after that generation are replayed into the vector side, so a crash between the Bleve commit
// and the next save loses nothing. A save deletes the logs it covers.
var (
	keyGen      = []byte("kindred/gen")
	keyLogFloor = []byte("kindred/logfloor") // lowest generation whose log may still exist
)

func logKey(gen uint64) []byte { return fmt.Appendf(nil, "kindred/log/%016x", gen) }

// changeLog is the value of one log entry.
type changeLog struct {
	Upsert []string `json:"u,omitempty"`
	Delete []string `json:"d,omitempty"`
}

func (ix *Index) internalU64(key []byte) (uint64, error) {
	b, err := ix.bl.GetInternal(key)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", key, err)
	}
	if b == nil {
		return 0, nil
	}
	if len(b) != 8 {
		return 0, fmt.Errorf("%w: internal key %s has %d bytes", ErrDamaged, key, len(b))
	}
	return binary.LittleEndian.Uint64(b), nil
}

func u64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

// The vectors file, DIR/vectors.bin, all integers little-endian:
//
//	magic "KVEC" | version u32 = 5 | generation u64 | kind u32 (1 exact, 2 hnsw) |
//	identity [16]byte | statsLen u32 |
//	idf statistics (embed.Stats binary form, with its own CRC) | header CRC-32 u32 |
//	the keyword index (bm25.Store binary form, with its own CRC) |
//	the vector index in its own format (with its own CRC)
//
// The identity is the index's (FORMAT's "id"): a vectors file of another index is refused, however
// well its generation matches. Older versions are not misread but rebuilt from the stored papers on
// open: version 1 (before the keyword index) held a table of document lengths instead, version 2's
// keyword index lacked the DOI and arXiv keys Resolve looks up, versions 3 and 4 made vectors from
// text with its citations, URLs and markup (see vectorText), and version 3 had no identity.
const (
	vectorsMagic   = "KVEC"
	vectorsVersion = 5
)

// vectorsFile is what vectors.bin holds.
type vectorsFile struct {
	gen   uint64
	id    [16]byte // zero in a version-3 file
	stats *embed.Stats
	kw    *bm25.Store
	vec   vector.Index
}

// errOldVectors marks a vectors file of an older version (1 to 4), which open rebuilds.
var errOldVectors = errors.New("vectors file of an older version")

// loadDerived loads the vectors file and replays the change logs newer than it.
func (ix *Index) loadDerived(ctx context.Context) error {
	removeStaleTemps(ix.dir)
	gen, err := ix.internalU64(keyGen)
	if err != nil {
		return err
	}
	ix.gen.Store(gen)
	path := filepath.Join(ix.dir, vectorsName)
	f, err := os.Open(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		// Never saved: fine while every log since generation 1 is still there to replay.
		floor, ferr := ix.internalU64(keyLogFloor)
		if ferr != nil {
			return ferr
		}
		if floor > 1 {
			return fmt.Errorf("%w: %s is missing; run `kindred index --rebuild --data %s` to rebuild it from the stored papers", ErrDamaged, path, ix.dir)
		}
		ix.stats = embed.NewStats(ix.opts.Embed.Dim)
		ix.vec = ix.newVectorIndex(0)
		ix.kw = bm25.NewStore(ix.opts.Keyword)
		ix.savedGen.Store(0)
	case err != nil:
		return fmt.Errorf("open %s: %w", path, err)
	default:
		defer f.Close()
		vf, err := ix.readVectors(f)
		if errors.Is(err, errOldVectors) {
			// Written before the keyword index had its present keys: everything derived is rebuilt
			// from the records.
			return ix.rebuildOnOpen(ctx)
		}
		rebuild := fmt.Sprintf("run `kindred index --rebuild --data %s` to rebuild it from the stored papers", ix.dir)
		switch {
		case err != nil:
			return fmt.Errorf("%w: %s: %v; %s", ErrDamaged, path, err, rebuild)
		case vf.id != [16]byte{} && vf.id != ix.id:
			return fmt.Errorf("%w: %s belongs to another index (identity %x, this index's is %x); %s", ErrDamaged, path, vf.id, ix.id, rebuild)
		case vf.stats.Dim() != ix.opts.Embed.Dim:
			return fmt.Errorf("%w: %s: idf statistics over %d features, the index uses %d; %s", ErrDamaged, path, vf.stats.Dim(), ix.opts.Embed.Dim, rebuild)
		case vf.gen > gen:
			return fmt.Errorf("%w: %s is newer (generation %d) than the full-text index (generation %d); %s", ErrDamaged, path, vf.gen, gen, rebuild)
		}
		ix.stats, ix.kw, ix.vec = vf.stats, vf.kw, vf.vec
		ix.savedGen.Store(vf.gen)
	}
	if ix.savedGen.Load() < ix.gen.Load() {
		if err := ix.replay(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (ix *Index) readVectors(r io.Reader) (vectorsFile, error) {
	var vf vectorsFile
	fail := func(format string, args ...any) (vectorsFile, error) {
		return vectorsFile{}, fmt.Errorf(format, args...)
	}
	br := bufio.NewReaderSize(r, 1<<20)
	hdr := make([]byte, 8, 40)
	if _, err := io.ReadFull(br, hdr); err != nil {
		return fail("truncated header")
	}
	if string(hdr[:4]) != vectorsMagic {
		return fail("not a vectors file")
	}
	version := binary.LittleEndian.Uint32(hdr[4:])
	switch version {
	case 1, 2, 3, 4:
		return vf, errOldVectors
	case vectorsVersion:
		hdr = hdr[:40]
	default:
		return fail("vectors file version %d, want %d", version, vectorsVersion)
	}
	if _, err := io.ReadFull(br, hdr[8:]); err != nil {
		return fail("truncated header")
	}
	vf.gen = binary.LittleEndian.Uint64(hdr[8:])
	kind := binary.LittleEndian.Uint32(hdr[16:])
	if version == vectorsVersion {
		copy(vf.id[:], hdr[20:36])
	}
	ns := binary.LittleEndian.Uint32(hdr[len(hdr)-4:])
	if ns > 1<<30 {
		return fail("statistics length %d out of range", ns)
	}
	blob := make([]byte, ns+4)
	if _, err := io.ReadFull(br, blob); err != nil {
		return fail("truncated statistics")
	}
	crc := crc32.NewIEEE()
	crc.Write(hdr)
	crc.Write(blob[:ns])
	if crc.Sum32() != binary.LittleEndian.Uint32(blob[ns:]) {
		return fail("header checksum mismatch")
	}
	vf.stats = new(embed.Stats)
	if err := vf.stats.UnmarshalBinary(blob[:ns]); err != nil {
		return fail("%v", err)
	}
	var err error
	if vf.kw, err = bm25.ReadStore(br); err != nil {
		return fail("%v", err)
	}
	vk, ok := vectorKinds[kind]
	if !ok {
		return fail("unknown vector index kind %d", kind)
	}
	if vf.vec, err = vk.read(br); err != nil {
		return fail("%v", err)
	}
	if vf.vec.Len() != vf.kw.Len() {
		return fail("%d vectors but %d papers in the keyword index", vf.vec.Len(), vf.kw.Len())
	}
	return vf, nil
}

// Save writes the vector side to disk (atomically) if it changed since the last save, and drops the
// change logs it now covers. Bleve's side is durable after every write already; Save only shortens the
// replay on the next open.
func (ix *Index) Save() error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	return ix.saveLocked()
}

// Unsaved is the number of committed writes the vectors file does not reflect yet.
func (ix *Index) Unsaved() uint64 {
	return ix.gen.Load() - ix.savedGen.Load()
}

func (ix *Index) saveLocked() error {
	ix.mu.RLock()
	closed, vec, kw := ix.closed, ix.vec, ix.kw
	ix.mu.RUnlock()
	gen, savedGen := ix.gen.Load(), ix.savedGen.Load()
	if closed {
		return ErrClosed
	}
	if ix.opts.ReadOnly {
		return fmt.Errorf("save: index opened read-only")
	}
	if gen == savedGen {
		if _, err := os.Stat(filepath.Join(ix.dir, vectorsName)); err == nil {
			return nil
		}
	}
	stats, err := ix.stats.MarshalBinary()
	if err != nil {
		return fmt.Errorf("save: %w", err)
	}
	kind := kindOf(vec)
	path := filepath.Join(ix.dir, vectorsName)
	if fi, err := os.Stat(path); err == nil {
		// The new file is about the size of the old one; do not write most of it to find out.
		if err := ix.checkSpace(fi.Size()); err != nil {
			return fmt.Errorf("save vectors: %w", err)
		}
	}
	err = writeAtomic(path, func(f *os.File) error {
		bw := bufio.NewWriterSize(f, 1<<20)
		hdr := make([]byte, 0, 40)
		hdr = append(hdr, vectorsMagic...)
		hdr = binary.LittleEndian.AppendUint32(hdr, vectorsVersion)
		hdr = binary.LittleEndian.AppendUint64(hdr, gen)
		hdr = binary.LittleEndian.AppendUint32(hdr, kind)
		hdr = append(hdr, ix.id[:]...)
		hdr = binary.LittleEndian.AppendUint32(hdr, uint32(len(stats)))
		crc := crc32.NewIEEE()
		crc.Write(hdr)
		crc.Write(stats)
		bw.Write(hdr)
		bw.Write(stats)
		bw.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32()))
		// Writers are excluded (wmu is held) and WriteTo only reads: searches go on meanwhile.
		if _, err := kw.WriteTo(bw); err != nil {
			return err
		}
		if _, err := vec.WriteTo(bw); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		if isNoSpace(err) {
			return fmt.Errorf("%w: save vectors: %v", ErrNoSpace, err)
		}
		return fmt.Errorf("save vectors: %w", err)
	}
	ix.savedGen.Store(gen)
	return ix.dropLogs(gen)
}

// dropLogs deletes the change logs up to gen, which the vectors file now covers.
func (ix *Index) dropLogs(gen uint64) error {
	floor, err := ix.internalU64(keyLogFloor)
	if err != nil {
		return err
	}
	floor = max(floor, 1)
	if floor > gen {
		return nil
	}
	b := ix.bl.NewBatch()
	for g := floor; g <= gen; g++ {
		b.DeleteInternal(logKey(g))
	}
	b.SetInternal(keyLogFloor, u64(gen+1))
	if err := ix.commit(b, 0, 0); err != nil {
		return fmt.Errorf("drop change logs: %w", err)
	}
	return nil
}

// replay brings the vector side from savedGen up to gen using the change logs.
func (ix *Index) replay(ctx context.Context) error {
	final := map[string]bool{} // id -> present after the logs
	savedGen, gen := ix.savedGen.Load(), ix.gen.Load()
	for g := savedGen + 1; g <= gen; g++ {
		b, err := ix.bl.GetInternal(logKey(g))
		if err != nil {
			return fmt.Errorf("read change log %d: %w", g, err)
		}
		if b == nil {
			return fmt.Errorf("%w: change log %d is missing (vectors saved at %d, full-text index at %d); run `kindred index --rebuild --data %s`", ErrDamaged, g, savedGen, gen, ix.dir)
		}
		var cl changeLog
		if err := json.Unmarshal(b, &cl); err != nil {
			return fmt.Errorf("%w: change log %d: %v", ErrDamaged, g, err)
		}
		for _, id := range cl.Upsert {
			final[id] = true
		}
		for _, id := range cl.Delete {
			final[id] = false
		}
	}
	var upserts []string
	recount := false
	for id, present := range final {
		if ix.vec.Has(id) {
			recount = true // a replaced or deleted paper's old features are gone from Bleve
			ix.vec.Delete(id)
			ix.kw.Delete(id)
		}
		if present {
			upserts = append(upserts, id)
		}
	}
	if recount {
		s, err := ix.recountStats(ctx)
		if err != nil {
			return err
		}
		ix.stats = s
	}
	for start := 0; start < len(upserts); start += 2000 {
		ids := upserts[start:min(start+2000, len(upserts))]
		ps, err := ix.fetch(ctx, ids)
		if err != nil {
			return err
		}
		batch := make([]paper.Paper, 0, len(ps))
		for _, id := range ids {
			if p, ok := ps[id]; ok {
				batch = append(batch, p)
			}
		}
		feats := ix.features(batch)
		if !recount {
			for _, f := range feats {
				ix.stats.Add(f)
			}
		}
		if err := ix.addVectors(batch, feats); err != nil {
			return err
		}
		if err := ix.addKeyword(ix.kw, batch); err != nil {
			return err
		}
	}
	return nil
}

// eachPaper calls fn for every stored paper, in ID order, a page at a time.
func (ix *Index) eachPaper(ctx context.Context, fn func([]paper.Paper) error) error {
	const page = 2000
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), page, 0, false)
		req.Fields = storedFields
		req.SortBy([]string{"_id"})
		req.Score = "none"
		if after != nil {
			req.SearchAfter = after
		}
		res, err := ix.bl.SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("read stored papers: %w", err)
		}
		if len(res.Hits) == 0 {
			return nil
		}
		ps := make([]paper.Paper, 0, len(res.Hits))
		for _, h := range res.Hits {
			p, err := fromStored(h.ID, h.Fields)
			if err != nil {
				return err
			}
			ps = append(ps, p)
		}
		if err := fn(ps); err != nil {
			return err
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
		if len(res.Hits) < page {
			return nil
		}
	}
}

// recountStats counts the idf statistics of the stored papers afresh.
func (ix *Index) recountStats(ctx context.Context) (*embed.Stats, error) {
	s := embed.NewStats(ix.opts.Embed.Dim)
	err := ix.eachPaper(ctx, func(ps []paper.Paper) error {
		for _, f := range ix.features(ps) {
			s.Add(f)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("recount idf statistics: %w", err)
	}
	return s, nil
}

func (ix *Index) rebuildOnOpen(ctx context.Context) error {
	removeStaleTemps(ix.dir)
	gen, err := ix.internalU64(keyGen)
	if err != nil {
		return err
	}
	ix.gen.Store(gen)
	ix.stats = embed.NewStats(ix.opts.Embed.Dim)
	ix.vec = ix.newVectorIndex(0)
	ix.kw = bm25.NewStore(ix.opts.Keyword)
	return ix.Rebuild(ctx)
}

// Rebuild recomputes every derived structure (idf statistics, vectors, the vector index) from the
// paper records stored in Bleve, then saves. It is the repair for ErrDamaged; see OpenForRebuild.
func (ix *Index) Rebuild(ctx context.Context) error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	stats, err := ix.recountStats(ctx)
	if err != nil {
		return err
	}
	n, err := ix.docCount()
	if err != nil {
		return err
	}
	fresh := ix.newVectorIndex(int(n))
	kw := bm25.NewStore(ix.opts.Keyword)
	err = ix.eachPaper(ctx, func(ps []paper.Paper) error {
		feats := ix.features(ps)
		keys, vecs := ix.vectors(stats, ps, feats)
		if err := ix.addKeyword(kw, ps); err != nil {
			return err
		}
		return addAll(fresh, keys, vecs)
	})
	if err != nil {
		return fmt.Errorf("rebuild vectors: %w", err)
	}
	ix.publish(func() { ix.vec, ix.kw, ix.stats = fresh, kw, stats })
	ix.savedGen.Store(^uint64(0)) // force the save below
	if ix.opts.ReadOnly {
		return nil // rebuilt in memory for this session only
	}
	if err := ix.saveLocked(); err != nil {
		return err
	}
	return nil
}

// features analyzes papers in parallel, bounded by GOMAXPROCS.
func (ix *Index) features(ps []paper.Paper) []embed.Features {
	out := make([]embed.Features, len(ps))
	inParallel(len(ps), 64, func(i int) { out[i] = ix.paperFeatures(ps[i]) })
	return out
}

// vectors weights features into vectors with the statistics st, in parallel.
func (ix *Index) vectors(st *embed.Stats, ps []paper.Paper, feats []embed.Features) ([]string, []embed.Vector) {
	keys := make([]string, len(ps))
	vecs := make([]embed.Vector, len(ps))
	inParallel(len(ps), 128, func(i int) { keys[i], vecs[i] = ps[i].ID, ix.emb.Vector(feats[i], st) })
	return keys, vecs
}

func (ix *Index) addVectors(ps []paper.Paper, feats []embed.Features) error {
	keys, vecs := ix.vectors(ix.stats, ps, feats)
	return addAll(ix.vec, keys, vecs)
}

// batchAdder is implemented by vector indexes that insert a batch in parallel.
type batchAdder interface {
	AddBatch(keys []string, vecs []embed.Vector) error
}

func addAll(vi vector.Index, keys []string, vecs []embed.Vector) error {
	if ba, ok := vi.(batchAdder); ok {
		return ba.AddBatch(keys, vecs)
	}
	for i, k := range keys {
		if err := vi.Add(k, vecs[i]); err != nil {
			return fmt.Errorf("add vector %s: %w", k, err)
		}
	}
	return nil
}

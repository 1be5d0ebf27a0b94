package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/paper"
)

type embedVector = embed.Vector

// UpsertStats counts what an Upsert did.
type UpsertStats struct {
	Added    int `json:"added"`
	Replaced int `json:"replaced"`
}

// Upsert adds papers, replacing any paper with the same ID (within one call the last one wins).
// Every paper must pass paper.Validate after paper.Normalize; otherwise nothing is written and the
// error wraps ErrInvalidPaper. When Upsert returns nil, the papers are on disk in the full-text index
// and in the vector index in memory: a crash after that loses nothing (see Save).
//
// Idf statistics are updated with the whole batch before its vectors are computed, so a large first
// batch gives its own papers good weights; bulk loaders should send a large first batch.
func (ix *Index) Upsert(ctx context.Context, papers ...paper.Paper) (UpsertStats, error) {
	var st UpsertStats
	if len(papers) == 0 {
		return st, nil
	}
	ps, err := dedupe(papers)
	if err != nil {
		return st, err
	}
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	if err := ix.writable(); err != nil {
		return st, err
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	old, err := ix.fetch(ctx, ids)
	if err != nil {
		return st, err
	}
	kdocs, feats := ix.analyzeAll(ps)
	oldPapers := make([]paper.Paper, 0, len(old))
	for _, p := range old {
		oldPapers = append(oldPapers, p)
	}
	oldFeats := ix.features(oldPapers)

	b := ix.bl.NewBatch()
	for _, p := range ps {
		d, err := toDoc(p)
		if err != nil {
			return st, err
		}
		if err := b.Index(p.ID, d); err != nil {
			return st, fmt.Errorf("index paper %s: %w", p.ID, err)
		}
	}
	gen := ix.gen.Load() + 1
	logv, _ := json.Marshal(changeLog{Upsert: ids})
	b.SetInternal(keyGen, u64(gen))
	b.SetInternal(logKey(gen), logv)

	// Statistics first, so the batch's vectors are weighted with the batch counted in.
	for _, f := range oldFeats {
		ix.stats.Remove(f)
	}
	for _, f := range feats {
		ix.stats.Add(f)
	}
	undoStats := func() {
		for _, f := range feats {
			ix.stats.Remove(f)
		}
		for _, f := range oldFeats {
			ix.stats.Add(f)
		}
	}
	keys, vecs := ix.vectors(ix.stats, ps, feats)

	// The costly parts run while searches go on (see publish.go): Bleve's batch, which waits on its
	// disk writes, beside the graph's linking of the hidden vectors.
	var berr error
	var wg sync.WaitGroup
	wg.Go(func() { berr = ix.commit(b, gen, batchBytes(ps)) })
	staged, verr := stageVectors(ix.vec, keys, vecs)
	wg.Wait()
	if berr != nil {
		if verr == nil {
			staged.discard()
		}
		undoStats()
		return st, berr
	}
	if verr != nil {
		// Bleve holds the batch and its change log: reopening replays it into the vector side.
		ix.gen.Store(gen)
		return st, fmt.Errorf("%w: vector index: %v (reopen the index to repair)", ErrDamaged, verr)
	}
	var kerr error
	ix.publish(func() {
		verr = staged.publish()
		for _, d := range kdocs {
			if err := ix.kw.Add(d); err != nil && kerr == nil {
				kerr = err
			}
		}
		ix.compactKeyword()
		ix.gen.Store(gen)
	})
	tidyVectors(ix.vec)
	if kerr != nil {
		return st, fmt.Errorf("%w: keyword index: %v (reopen the index to repair)", ErrDamaged, kerr)
	}
	if verr != nil {
		return st, fmt.Errorf("%w: vector index: %v (reopen the index to repair)", ErrDamaged, verr)
	}
	st.Replaced = len(old)
	st.Added = len(ps) - len(old)
	return st, ix.growVectorIndex()
}

// Delete removes the papers with the given IDs and reports how many existed.
func (ix *Index) Delete(ctx context.Context, ids ...string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	if err := ix.writable(); err != nil {
		return 0, err
	}
	old, err := ix.fetch(ctx, ids)
	if err != nil {
		return 0, err
	}
	if len(old) == 0 {
		return 0, nil
	}
	present := make([]string, 0, len(old))
	oldPapers := make([]paper.Paper, 0, len(old))
	for id, p := range old {
		present = append(present, id)
		oldPapers = append(oldPapers, p)
	}
	oldFeats := ix.features(oldPapers)
	b := ix.bl.NewBatch()
	for _, id := range present {
		b.Delete(id)
	}
	gen := ix.gen.Load() + 1
	logv, _ := json.Marshal(changeLog{Delete: present})
	b.SetInternal(keyGen, u64(gen))
	b.SetInternal(logKey(gen), logv)

	// Unpublished first, so that no search finds a paper Bleve no longer has; put back if Bleve
	// refuses the batch.
	keys := make([]string, 0, len(present))
	vecs := make([]embed.Vector, 0, len(present))
	for _, id := range present {
		if v, ok := ix.vec.Get(id); ok {
			keys, vecs = append(keys, id), append(vecs, v)
		}
	}
	ix.publish(func() {
		for _, id := range present {
			unpublishVector(ix.vec, id)
			ix.kw.Delete(id)
		}
	})
	if err := ix.commit(b, gen, 0); err != nil {
		return 0, errors.Join(err, ix.restore(oldPapers, keys, vecs))
	}
	ix.gen.Store(gen)
	for _, f := range oldFeats {
		ix.stats.Remove(f)
	}
	ix.publish(ix.compactKeyword)
	tidyVectors(ix.vec)
	return len(present), nil
}

// restore publishes again papers a failed delete had unpublished, with their vectors. Called with
// wmu held.
func (ix *Index) restore(ps []paper.Paper, keys []string, vecs []embed.Vector) error {
	kdocs := ix.keywordDocs(ps)
	staged, err := stageVectors(ix.vec, keys, vecs)
	var kerr error
	ix.publish(func() {
		if err == nil {
			err = staged.publish()
		}
		for _, d := range kdocs {
			if e := ix.kw.Add(d); e != nil && kerr == nil {
				kerr = e
			}
		}
	})
	if err = errors.Join(err, kerr); err != nil {
		// The vectors and documents were the index's own a moment ago: only a bug gets here.
		return fmt.Errorf("%w: putting back the papers of a failed delete: %v (reopen the index to repair)", ErrDamaged, err)
	}
	return nil
}

func (ix *Index) writable() error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return ErrClosed
	}
	if ix.opts.ReadOnly {
		return fmt.Errorf("%w: index opened read-only", ErrBadRequest)
	}
	return nil
}

// dedupe normalises and validates papers, keeping the last of each ID in first-seen order.
func dedupe(papers []paper.Paper) ([]paper.Paper, error) {
	pos := make(map[string]int, len(papers))
	out := make([]paper.Paper, 0, len(papers))
	for i, p := range papers {
		p.Normalize()
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("%w: paper %d (%q): %v", ErrInvalidPaper, i, p.ID, err)
		}
		if j, ok := pos[p.ID]; ok {
			out[j] = p
			continue
		}
		pos[p.ID] = len(out)
		out = append(out, p)
	}
	return out, nil
}

package index

import (
	"context"
	"encoding/json"
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
	feats := ix.features(ctx, ps)
	kdocs := ix.keywordDocs(ps)
	oldPapers := make([]paper.Paper, 0, len(old))
	for _, p := range old {
		oldPapers = append(oldPapers, p)
	}
	oldFeats := ix.features(ctx, oldPapers)

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
	gen := ix.gen + 1
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
	keys, vecs := ix.vectors(ps, feats)
	prev := make(map[string]embed.Vector, len(old))
	for id := range old {
		if v, ok := ix.vec.Get(id); ok {
			prev[id] = v
		}
	}

	// Both sides are written at once (Bleve's batch waits on its disk writes, the graph on its
	// distance evaluations) while searches wait, so none sees one side without the other.
	ix.mu.Lock()
	var berr error
	var wg sync.WaitGroup
	wg.Go(func() { berr = ix.bl.Batch(b) })
	verr := addAll(ix.vec, keys, vecs)
	wg.Wait()
	if berr != nil {
		for _, k := range keys {
			if v, ok := prev[k]; ok {
				ix.vec.Add(k, v)
			} else {
				ix.vec.Delete(k)
			}
		}
		ix.mu.Unlock()
		for _, f := range feats {
			ix.stats.Remove(f)
		}
		for _, f := range oldFeats {
			ix.stats.Add(f)
		}
		return st, fmt.Errorf("write full-text index: %w", berr)
	}
	ix.gen = gen
	var kerr error
	for _, d := range kdocs {
		if err := ix.kw.Add(d); err != nil && kerr == nil {
			kerr = err
		}
	}
	ix.compactKeyword()
	ix.mu.Unlock()
	if kerr != nil {
		return st, fmt.Errorf("%w: keyword index: %v (reopen the index to repair)", ErrDamaged, kerr)
	}
	if verr != nil {
		// Bleve holds the batch and its change log: reopening replays it into the vector side.
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
	oldFeats := ix.features(ctx, oldPapers)
	b := ix.bl.NewBatch()
	for _, id := range present {
		b.Delete(id)
	}
	gen := ix.gen + 1
	logv, _ := json.Marshal(changeLog{Delete: present})
	b.SetInternal(keyGen, u64(gen))
	b.SetInternal(logKey(gen), logv)

	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.bl.Batch(b); err != nil {
		return 0, fmt.Errorf("write full-text index: %w", err)
	}
	ix.gen = gen
	for _, id := range present {
		ix.vec.Delete(id)
		ix.kw.Delete(id)
	}
	ix.compactKeyword()
	for _, f := range oldFeats {
		ix.stats.Remove(f)
	}
	return len(present), nil
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

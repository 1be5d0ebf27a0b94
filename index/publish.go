package index

import (
	"context"
	"fmt"
	"time"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/vector"
)

// A write does its costly parts outside mu: it reads the old records, analyzes the papers, computes
// their vectors, links them into the graph (hidden, see hnsw.Graph.Stage) and commits the Bleve batch
// while searches run. It takes mu exclusively only to publish what it prepared: the staged vectors
// and the keyword index's new documents, O(batch) with no disk I/O and no distance evaluation.
//
// What a search can see: the keyword index and the vector index hold the same IDs (they change
// together, under mu), and every one of them is in Bleve (an upsert reaches Bleve before it is
// published; a delete is unpublished before it reaches Bleve), so a search never finds a paper whose
// record it cannot read. Bleve may hold a paper the others do not have yet, or no longer have, for the
// length of a write; Get sees it.

// politeWait is how long a writer waits for a moment when no search holds mu before it queues for it.
// Searches that start while a writer waits politely go ahead; once the writer queues (sync.RWMutex
// prefers writers), new searches wait for it, but only for as long as the searches already running
// take, which the query budgets and the request deadline bound.
const politeWait = time.Second

// lockPolitely takes mu exclusively, first trying for politeWait without making searches queue.
func (ix *Index) lockPolitely() {
	deadline := time.Now().Add(politeWait)
	delay := 20 * time.Microsecond
	for !ix.mu.TryLock() {
		if time.Now().After(deadline) {
			ix.mu.Lock()
			return
		}
		time.Sleep(delay)
		delay = min(2*delay, time.Millisecond)
	}
}

// publish runs fn with mu held exclusively (see lockPolitely).
func (ix *Index) publish(fn func()) {
	ix.lockPolitely()
	defer ix.mu.Unlock()
	fn()
}

// stagedVectors is a batch of vectors prepared for the vector index: publish adds them (with mu held
// exclusively), discard drops them. Exactly one of the two must be called.
type stagedVectors struct {
	publish func() error
	discard func()
}

// stageVectors prepares keys and vecs for vi. A graph links them now, hidden, so that publishing
// them is a short step; an exact index, whose Add is a copy, adds them when they are published.
// Called with wmu held.
func stageVectors(vi vector.Index, keys []string, vecs []embed.Vector) (stagedVectors, error) {
	if g, ok := vi.(graphIndex); ok {
		st, err := g.Stage(context.Background(), keys, vecs)
		if err != nil {
			return stagedVectors{}, err
		}
		return stagedVectors{publish: func() error { st.Publish(); return nil }, discard: st.Discard}, nil
	}
	for i, v := range vecs {
		if err := v.Check(0); err != nil {
			return stagedVectors{}, fmt.Errorf("%w: key %q: %v", vector.ErrBadVector, keys[i], err)
		}
	}
	return stagedVectors{publish: func() error { return addAll(vi, keys, vecs) }, discard: func() {}}, nil
}

// unpublishVector removes key from vi, without the graph compaction a delete may run: called with mu
// held exclusively, where a compaction would keep searches waiting. tidyVectors runs it after.
func unpublishVector(vi vector.Index, key string) {
	if g, ok := vi.(graphIndex); ok {
		g.Tombstone(key)
		return
	}
	vi.Delete(key)
}

// tidyVectors compacts a graph whose tombstones passed its threshold. Searches run meanwhile; called
// with wmu held.
func tidyVectors(vi vector.Index) {
	if g, ok := vi.(graphIndex); ok {
		g.MaybeCompact()
	}
}

package bench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/load"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

// ref is a sampled paper: what queries are drawn from.
type ref struct{ id, title string }

// sample is a uniform sample of a corpus's papers.
type sample struct {
	papers []ref // in random order
	read   int   // valid papers read
}

// errEnough stops a read once it has the papers it wants.
var errEnough = errors.New("enough papers")

// sampleCorpus reads the first n papers of the corpus (all when n is 0) and keeps a uniform sample of
// k of them (reservoir sampling), so that memory stays bounded whatever the corpus's size.
func sampleCorpus(ctx context.Context, path string, n, k int, rng *rand.Rand) (sample, error) {
	var s sample
	err := reader.ReadFile(ctx, path, load.DefaultOptions().Reader, func(p paper.Paper) error {
		s.read++
		r := ref{p.ID, p.Title}
		if len(s.papers) < k {
			s.papers = append(s.papers, r)
		} else if j := rng.IntN(s.read); j < k {
			s.papers[j] = r
		}
		if s.read == n {
			return errEnough
		}
		return nil
	}, nil)
	if err != nil && !errors.Is(err, errEnough) {
		return s, fmt.Errorf("bench: sample the corpus: %w", err)
	}
	rng.Shuffle(len(s.papers), func(i, j int) { s.papers[i], s.papers[j] = s.papers[j], s.papers[i] })
	return s, nil
}

// buildStats describes the indexing stage.
type buildStats struct {
	accepted, rejected int
	papers             int // in the index: accepted less duplicates
	elapsed            time.Duration
}

// build indexes the corpus into dir, which it leaves closed. The time covers the load and the Close
// that saves the vector side: what it takes to get an index ready to serve.
func build(ctx context.Context, dir string, opts Options, say func(string, ...any)) (st buildStats, err error) {
	start := time.Now()
	ix, err := index.Open(ctx, dir, opts.Index)
	if err != nil {
		return st, err
	}
	lo := load.DefaultOptions()
	var last time.Time
	lo.Progress = func(p load.Progress) {
		if time.Since(last) >= 10*time.Second {
			last = time.Now()
			say("indexing: %d papers in %s", p.Accepted, p.Elapsed.Round(time.Second))
		}
	}
	var sum load.Summary
	if opts.N > 0 {
		sum, err = loadFirst(ctx, ix, opts.Corpus, opts.N, lo)
	} else {
		sum, err = load.Files(ctx, ix, []string{opts.Corpus}, lo)
	}
	st.papers = ix.Count()
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	st.elapsed = time.Since(start)
	st.accepted, st.rejected = sum.Added+sum.Replaced, sum.Rejected
	return st, err
}

// loadFirst is load.Files on one file that stops after n papers: it batches exactly as package load
// does (a first batch of lo.FirstBatch, then lo.Batch), so that the figures match a real load.
func loadFirst(ctx context.Context, ix *index.Index, path string, n int, lo load.Options) (load.Summary, error) {
	var sum load.Summary
	start := time.Now()
	buf := make([]paper.Paper, 0, min(n, lo.FirstBatch))
	first := true
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		st, err := ix.Upsert(ctx, buf...)
		if err != nil {
			return err
		}
		sum.Added += st.Added
		sum.Replaced += len(buf) - st.Added
		buf, first = buf[:0], false
		if lo.Progress != nil {
			lo.Progress(load.Progress{File: path, Accepted: sum.Added + sum.Replaced, Rejected: sum.Rejected, Elapsed: time.Since(start)})
		}
		return nil
	}
	err := reader.ReadFile(ctx, path, lo.Reader, func(p paper.Paper) error {
		sum.Read++
		buf = append(buf, p)
		size := lo.Batch
		if first {
			size = lo.FirstBatch
		}
		if len(buf) >= size || sum.Read == n {
			if err := flush(); err != nil {
				return err
			}
		}
		if sum.Read == n {
			return errEnough
		}
		return nil
	}, func(reader.Rejection) { sum.Rejected++ })
	if err == nil {
		err = flush()
	}
	if errors.Is(err, errEnough) {
		err = nil
	}
	sum.Elapsed = time.Since(start)
	return sum, err
}

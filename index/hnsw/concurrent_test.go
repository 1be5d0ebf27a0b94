package hnsw

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrent runs searches on every route alongside a parallel batch insert, single adds,
// upserts, deletes with compaction, and saves. Run with -race; it asserts that searches only ever
// return keys that were added at some point and that the final state is the one the writes imply.
func TestConcurrent(t *testing.T) {
	n := 1200
	if raceOn {
		n = 400
	}
	c := testCorpus(n, 20)
	g := New(Options{Seed: 1, Workers: 4, MaxTombstoneRatio: 0.1, M: 8, EfConstruction: 64})
	half := n / 2
	if err := g.AddBatch(context.Background(), c.keys[:half], c.docs[:half]); err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, k := range c.keys {
		known[k] = true
	}
	ctx, cancel := context.WithCancel(context.Background())
	var readers sync.WaitGroup
	errs := make(chan error, 8)
	for r := range 4 {
		readers.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				qs := c.queries
				if r%2 == 1 {
					qs = c.short
				}
				q := qs[i%len(qs)]
				h, _ := g.SearchWith(q, SearchParams{K: 10, Route: Route(i % 3)})
				for _, h := range h {
					if !known[h.Key] {
						errs <- fmt.Errorf("search returned unknown key %q", h.Key)
						return
					}
				}
				g.Has(c.keys[i%n])
				g.Get(c.keys[i%n])
				g.Len()
				if i%50 == 0 {
					g.Footprint()
					g.Keys(func(string) bool { return true })
				}
			}
		})
	}
	var writers sync.WaitGroup
	writers.Go(func() {
		if err := g.AddBatch(context.Background(), c.keys[half:], c.docs[half:]); err != nil {
			errs <- err
		}
	})
	writers.Go(func() {
		for i := 0; i < half; i += 3 {
			if i%2 == 0 {
				g.Delete(c.keys[i])
			} else if err := g.Add(c.keys[i], c.docs[(i+1)%n]); err != nil {
				errs <- err
			}
		}
	})
	writers.Go(func() {
		for range 3 {
			var b discard
			if _, err := g.WriteTo(&b); err != nil {
				errs <- err
			}
		}
	})
	writers.Wait()
	cancel()
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	want := n
	for i := 0; i < half; i += 3 {
		if i%2 == 0 {
			want--
		}
	}
	if g.Len() != want {
		t.Errorf("Len = %d, want %d", g.Len(), want)
	}
	// The graph is still sound: every live vector finds itself.
	for i := half; i < n; i += 10 {
		if h := g.SearchEf(c.docs[i], 1, 64); len(h) == 0 || h[0].Score < 0.999 {
			t.Errorf("vector %d does not find itself: %v", i, h)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

package index

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// TestSearchesDuringSlowWrite blocks writes inside their Bleve batch (an injected slow disk) and
// checks that searches proceed meanwhile, and that they see either all of a write or none of it: an
// upsert's papers appear only once it is published, a delete's papers vanish from searches before
// it reaches Bleve; the keyword and the vector index agree at every step. Both kinds of vector index
// are tried: the exact one adds on publish, the graph links hidden nodes first.
func TestSearchesDuringSlowWrite(t *testing.T) {
	for _, kind := range []string{VectorExact, VectorHNSW} {
		t.Run(kind, func(t *testing.T) {
			ix := openKind(t, t.TempDir(), kind)
			defer ix.Close()
			if _, err := ix.Upsert(t.Context(), testPapers()...); err != nil {
				t.Fatal(err)
			}
			entered, release := make(chan struct{}), make(chan struct{})
			ix.testBatchHook = func() error {
				entered <- struct{}{}
				<-release
				return nil
			}
			search := func(q string) []string {
				t.Helper()
				done := make(chan []string, 1)
				go func() {
					res, err := ix.Search(t.Context(), Request{Query: q, Ranking: Ranking{Mode: ModeHybrid}})
					if err != nil {
						t.Errorf("search %q during a write: %v", q, err)
					}
					done <- ids(res)
				}()
				select {
				case got := <-done:
					return got
				case <-time.After(30 * time.Second):
					t.Fatalf("search %q waited for a write blocked in its Bleve batch", q)
					return nil
				}
			}
			agree := func() {
				t.Helper()
				ix.mu.RLock()
				defer ix.mu.RUnlock()
				if ix.kw.Len() != ix.vec.Len() {
					t.Errorf("keyword index %d papers, vector index %d", ix.kw.Len(), ix.vec.Len())
				}
			}

			quokka := wordPapers("quokka", 3, 1)
			for i := range quokka {
				quokka[i].Title = "Quokka networks " + quokka[i].Title
			}
			var wg sync.WaitGroup
			wg.Go(func() {
				if _, err := ix.Upsert(t.Context(), quokka...); err != nil {
					t.Errorf("upsert: %v", err)
				}
			})
			<-entered
			for range 20 {
				if got := search("quokka"); len(got) != 0 {
					t.Fatalf("an unpublished upsert is visible: %v", got)
				}
				if got := search("state space"); len(got) == 0 {
					t.Fatalf("a search during the write found nothing")
				}
				agree()
			}
			close(release)
			wg.Wait()
			if got := search("quokka"); len(got) != len(quokka) {
				t.Fatalf("after the upsert: %v, want its %d papers", got, len(quokka))
			}

			release = make(chan struct{})
			wg.Go(func() {
				if n, err := ix.Delete(t.Context(), "mamba"); err != nil || n != 1 {
					t.Errorf("delete: %d, %v", n, err)
				}
			})
			<-entered
			for range 20 {
				if got := search("selective state spaces"); slices.Contains(got, "mamba") {
					t.Fatalf("a paper being deleted is still found: %v", got)
				}
				if _, err := ix.Get(t.Context(), "mamba"); err != nil {
					t.Fatalf("Bleve lost the paper before its delete was committed: %v", err)
				}
				agree()
			}
			close(release)
			wg.Wait()
			ix.testBatchHook = nil
			sameIDs(t, ix)
		})
	}
}

// TestSearchesDuringSlowSearch: a write waiting for a long search to finish does not make new
// searches queue behind it while it waits politely (see lockPolitely).
func TestSearchesDuringSlowSearch(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	if _, err := ix.Upsert(t.Context(), testPapers()...); err != nil {
		t.Fatal(err)
	}
	committed := make(chan struct{})
	var once sync.Once
	ix.testBatchHook = func() error { once.Do(func() { close(committed) }); return nil }
	ix.mu.RLock() // a search that takes its time
	var wg sync.WaitGroup
	wg.Go(func() {
		if _, err := ix.Upsert(t.Context(), wordPapers("slow", 2, 1)...); err != nil {
			t.Errorf("upsert: %v", err)
		}
	})
	<-committed
	// The writer now waits for the lock this test holds. Searches must not wait for the writer: with
	// a plain Lock they would queue behind it, and behind this test's read lock, for ever.
	done := make(chan error, 1)
	go func() {
		for range 10 {
			if _, err := ix.Search(t.Context(), Request{Query: "mixup"}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(politeWait):
		t.Errorf("searches queued behind a writer that waits for a long search")
	}
	ix.mu.RUnlock()
	wg.Wait()
	if ix.Count() != len(testPapers())+2 {
		t.Errorf("%d papers after the write", ix.Count())
	}
}

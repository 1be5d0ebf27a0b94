package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConcurrentReadsAndWrites hammers search and related papers while other clients upsert and delete
// through the API. Every result a reader gets must be fetchable by ID, unless a writer has (started
// to) delete it: readers never see a paper on one side of the index only. Run it with -race.
func TestConcurrentReadsAndWrites(t *testing.T) {
	ix := openSample(t, t.TempDir())
	c := newServer(t, ix, testOptions())
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()

	// deleting holds the IDs a writer is about to delete, or has deleted.
	var mu sync.Mutex
	deleting := map[string]bool{}
	mayBeGone := func(id string) bool {
		mu.Lock()
		defer mu.Unlock()
		return deleting[id]
	}

	const writers, ops = 2, 16
	var writersDone sync.WaitGroup
	errs := make(chan error, 64)
	report := func(err error) {
		select {
		case errs <- err:
		default:
		}
	}
	for w := range writers {
		writersDone.Go(func() {
			for i := range ops {
				if ctx.Err() != nil {
					return
				}
				id := fmt.Sprintf("hammer-%d-%d", w, i)
				body := fmt.Sprintf(`[{"id": %q, "title": "Pruning sparse networks, take %d", "abstract": "We prune sparse networks concurrently, run %d of writer %d."}]`, id, i, i, w)
				if r := c.post("/api/papers", "application/json", body); r.status != http.StatusOK {
					report(fmt.Errorf("upsert %s: %d %s", id, r.status, r.body))
					return
				}
				if i%2 == 1 { // delete every other paper, the previous one
					prev := fmt.Sprintf("hammer-%d-%d", w, i-1)
					mu.Lock()
					deleting[prev] = true
					mu.Unlock()
					if r := c.do(http.MethodDelete, "/api/papers/"+prev, nil, "Authorization", "Bearer "+testToken); r.status != http.StatusNoContent {
						report(fmt.Errorf("delete %s: %d %s", prev, r.status, r.body))
						return
					}
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { writersDone.Wait(); close(done) }()

	const readers = 4
	var readersDone sync.WaitGroup
	var checked sync.Map
	for rd := range readers {
		readersDone.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-done:
					return
				case <-ctx.Done():
					return
				default:
				}
				path := "/api/search?q=pruning+sparse&limit=20"
				if rd%2 == 1 {
					path = "/api/papers/t-ed7135eddfbfb09c/related?limit=20"
				}
				r := c.get(path)
				if r.status != http.StatusOK {
					report(fmt.Errorf("GET %s: %d %s", path, r.status, r.body))
					return
				}
				var s searchResponse
				if err := json.Unmarshal(r.body, &s); err != nil {
					report(fmt.Errorf("GET %s: %v", path, err))
					return
				}
				for _, res := range s.Results {
					id := res.Paper.ID
					if res.Paper.Title == "" || res.Paper.Abstract == "" {
						report(fmt.Errorf("result %s has no title or abstract", id))
					}
					g := c.get("/api/papers/" + url.PathEscape(id))
					switch {
					case g.status == http.StatusOK:
						checked.Store(id, true)
					case g.status == http.StatusNotFound && mayBeGone(id):
					default:
						report(fmt.Errorf("result %s of %s: GET gave %d %s", id, path, g.status, g.body))
					}
				}
			}
		})
	}
	readersDone.Wait()
	writersDone.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if ctx.Err() != nil {
		t.Fatalf("the writers did not finish in time")
	}
	seenHammer := 0
	checked.Range(func(k, _ any) bool {
		if strings.HasPrefix(k.(string), "hammer-") {
			seenHammer++
		}
		return true
	})
	if seenHammer == 0 {
		t.Errorf("no reader ever saw a paper written during the test; the test checked nothing concurrent")
	}
	// Afterwards: the odd papers stay, the even ones are gone.
	want := writers * ops / 2
	var s searchResponse
	c.get("/api/search?q=concurrently&mode=keyword&limit=100").decode(t, http.StatusOK, &s)
	if len(s.Results) != want {
		t.Errorf("after the test %d hammer papers match, want %d: %v", len(s.Results), want, s.ids())
	}
}

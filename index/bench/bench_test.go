package bench

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kindred-search/kindred/index"
)

func tinyOptions(corpus string) Options {
	o := DefaultOptions()
	o.Corpus = corpus
	o.Short, o.Titles, o.Related, o.Warmup = 5, -1, 5, 1
	o.Clients = []int{1, 3}
	o.HTTPDuration, o.HTTPRequests = 2*time.Second, 12
	return o
}

// TestRunCountsHTTPErrors serves a handler that fails every other request: the stages count the
// failures and time the rest, and the run itself succeeds.
func TestRunCountsHTTPErrors(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	o := tinyOptions(writeCorpus(t, 40))
	var calls int
	o.Handler = func(ix *index.Index) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls++ // safe: the only stage has one client
			if !strings.HasPrefix(r.URL.Path, "/api/search") || r.URL.Query().Get("mode") != "hybrid" || calls%2 == 0 {
				http.Error(w, "no", http.StatusServiceUnavailable)
				return
			}
			if _, err := ix.Search(r.Context(), index.Request{Query: r.URL.Query().Get("q")}); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
			}
		})
	}
	o.Clients = []int{1}
	rep, err := Run(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	st := rep.HTTP["c1"]
	if st.Requests != 12 || st.Errors != 6 || st.FirstError != "status 503" || st.HybridP50 <= 0 {
		t.Errorf("stage %+v; want 12 requests, 6 errors (status 503), latencies of the rest", st)
	}
	if rep.N != 40 || rep.Rejected != 1 || rep.Latency.Hybrid.Errors != 0 || rep.LatencyTitles != nil {
		t.Errorf("report %+v; want 40 papers, 1 rejected, no errors in process, no titles", rep)
	}
	if ents, _ := os.ReadDir(os.TempDir()); len(ents) != 0 {
		t.Errorf("the temporary data directory was left behind: %v", ents)
	}
}

// TestRunCancelled cancels a run while it measures: it stops with the context's error and removes its
// temporary data directory.
func TestRunCancelled(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	o := tinyOptions(writeCorpus(t, 40))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	o.Progress = func(line string) {
		if strings.HasPrefix(line, "reopened") {
			cancel()
		}
	}
	if _, err := Run(ctx, o); !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
	if ents, _ := os.ReadDir(os.TempDir()); len(ents) != 0 {
		t.Errorf("the temporary data directory was left behind: %v", ents)
	}
}

package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kindred-search/kindred/index"
)

// BenchmarkSearchPage measures a search page: "render" is the page alone over a recorded response of
// ten highlighted results, "sample" adds the engine's search over the sample corpus (67 papers).
func BenchmarkSearchPage(b *testing.B) {
	const target = "/search?q=sparse+attention"
	shared(b) // builds sharedIndex
	res, err := sharedIndex.Search(context.Background(), index.Request{Query: "sparse attention", Ranking: index.Ranking{Limit: 10}, Highlight: true})
	if err != nil {
		b.Fatal(err)
	}
	recorded := newHandler(b, fakeCore{res: res})
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{{"render", recorded}, {"sample", shared(b)}} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", target, nil)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				bc.h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}

// BenchmarkPaperPage measures a paper page with its ten related papers over the sample corpus.
func BenchmarkPaperPage(b *testing.B) {
	h := shared(b)
	req := httptest.NewRequest("GET", "/paper/cs/0112017", nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

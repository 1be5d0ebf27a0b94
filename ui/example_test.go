package ui_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/ui"
)

// ExampleNew serves the UI over an index and fetches a paper's page.
func ExampleNew() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "kindred-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ix, err := index.Open(ctx, dir, index.DefaultOptions())
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Upsert(ctx, paper.Paper{ID: "cs/0112017", Title: "A paper", Abstract: "About sparse attention."}); err != nil {
		log.Fatal(err)
	}

	h, err := ui.New(ix, ui.DefaultOptions())
	if err != nil {
		log.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/paper/cs/0112017", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	// Output: 200 text/html; charset=utf-8
}

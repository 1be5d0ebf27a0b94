package acceptance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/load"
)

// arxiv is the index of the whole arXiv file, built once by TestMain; nil when the tests skip.
var (
	arxiv     *index.Index
	skipWhy   string
	arxivFile = filepath.Join("..", "..", "..", "shared", "data", "arxiv", "arxiv-75k.jsonl.gz")
)

func TestMain(m *testing.M) {
	code := func() int {
		switch _, err := os.Stat(arxivFile); {
		case raceEnabled:
			skipWhy = "skipping: the 75k arXiv index is built without -race (.ci/test runs this package in its own step)"
		case err != nil && os.Getenv("CI") == "true":
			fmt.Fprintf(os.Stderr, "CI=true but %s is missing: %v\n", arxivFile, err)
			return 1
		case err != nil:
			skipWhy = fmt.Sprintf("skipping: %s not found (the shared data directory sits beside the repository; CI has it)", arxivFile)
		}
		if skipWhy != "" {
			return m.Run()
		}
		dir, err := os.MkdirTemp("", "kindred-acceptance-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		ctx := context.Background()
		start := time.Now()
		arxiv, err = index.Open(ctx, dir, index.DefaultOptions())
		if err == nil {
			var sum load.Summary
			sum, err = load.Files(ctx, arxiv, []string{arxivFile}, load.DefaultOptions())
			fmt.Fprintf(os.Stderr, "acceptance: indexed %s in %s: %s\n", filepath.Base(arxivFile), time.Since(start).Round(time.Second), sum)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "acceptance: build the arXiv index:", err)
			return 1
		}
		defer arxiv.Close()
		return m.Run()
	}()
	os.Exit(code)
}

// needArxiv skips the test when the arXiv index was not built, with the reason.
func needArxiv(t *testing.T) *index.Index {
	t.Helper()
	if arxiv == nil {
		t.Skip(skipWhy)
	}
	return arxiv
}

package cite_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index/cite"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

// arxivFile is the shared arXiv sample, beside the repository: ../shared from its root.
var arxivFile = filepath.Join("..", "..", "..", "shared", "data", "arxiv", "arxiv-75k.jsonl.gz")

// TestArxivBibTeXRoundTrip exports the first 5,000 records of the arXiv sample as BibTeX, reads the
// export back and compares every field BibTeX carries: real titles and abstracts, with their TeX,
// accents and math, rather than generated ones. No index is built.
func TestArxivBibTeXRoundTrip(t *testing.T) {
	if _, err := os.Stat(arxivFile); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data missing in CI: %v", err)
		}
		t.Skipf("%s not found (check out ../shared next to the repository): %v", arxivFile, err)
	}
	const n = 5000
	var ps []paper.Paper
	errEnough := errors.New("enough records")
	err := reader.ReadFile(t.Context(), arxivFile, reader.Options{},
		func(p paper.Paper) error {
			ps = append(ps, p)
			if len(ps) == n {
				return errEnough
			}
			return nil
		}, nil)
	if !errors.Is(err, errEnough) {
		t.Fatalf("read %d records of %s: %v", len(ps), arxivFile, err)
	}
	withDOI, withVenue := 0, 0
	for _, p := range ps {
		if p.DOI != "" {
			withDOI++
		}
		if p.Venue != "" {
			withVenue++
		}
	}
	t.Logf("%d papers, %d with a DOI, %d with a venue", len(ps), withDOI, withVenue)
	data := cite.BibTeX(ps...)
	got := readBack(t, data, reader.FormatBibTeX)
	if len(got) != len(ps) {
		t.Fatalf("exported %d papers, read back %d", len(ps), len(got))
	}
	type bibFields struct {
		Kept         kept
		PrimaryClass string
	}
	fields := func(p paper.Paper) bibFields {
		f := bibFields{Kept: keep(p)}
		if p.ArxivID != "" && len(p.Categories) > 0 {
			f.PrimaryClass = p.Categories[0]
		}
		return f
	}
	bad := 0
	for i := range ps {
		if diff := cmp.Diff(fields(ps[i]), fields(got[i])); diff != "" {
			if bad++; bad <= 5 {
				t.Errorf("paper %d (%s) changed in the round trip (-exported +read back):\n%s", i, ps[i].ID, diff)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d papers changed", bad, len(ps))
	}
}

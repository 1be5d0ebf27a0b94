package ui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/load"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/sample"
)

// hostileID is a valid paper ID (no white space) that tries to break out of an href and a path.
const hostileID = `evil/"><svg/onload=alert(3)>`

// extraPapers are added to the sample corpus: a hostile paper, arXiv-style IDs old and new (one with
// a slash), categories to filter on, and an ID the router would clean if it went in the path.
var extraPapers = []paper.Paper{
	{
		ID:    hostileID,
		Title: `Sparse attention <script>alert(1)</script> & "quoted" <img src=x onerror=alert(2)> tricks`,
		Abstract: `We study sparse attention for transformer language models <script>alert(1)</script> and ` +
			`<img src=x onerror=alert(2)> with $O(n \log n)$ cost & 'single' "double" quotes. ` +
			`</mark><b>bold</b> {{.Title}} javascript:alert(7)`,
		Authors:    []string{`<script>alert(6)</script>`, "Ada Lovelace"},
		Published:  paper.Date{Year: 2024, Month: 5, Day: 1},
		Categories: []string{"cs.CL", `<b>cs.XX</b>`},
		URL:        "javascript:alert(4)",
		DOI:        `10.1234/"><script>alert(5)</script>`,
		Venue:      `<script>alert(8)</script> Proceedings`,
		Source:     "jsonl",
	},
	{
		ID:         "cs/0112017",
		Title:      "Statistical language modeling of long documents with sparse attention",
		Abstract:   "We describe a statistical language model for long documents that attends sparsely to earlier sentences, and we evaluate perplexity on news articles and scientific abstracts.",
		Authors:    []string{"Jane Doe", "Richard Roe"},
		Published:  paper.Date{Year: 2001, Month: 12},
		Categories: []string{"cs.CL"},
	},
	{
		ID:         "2401.01234",
		Title:      "State space models for dense passage retrieval",
		Abstract:   "Selective state space models such as Mamba encode long passages in linear time. We train them as dense retrievers and compare them with transformer encoders on passage ranking benchmarks.",
		Authors:    []string{"A. One", "B. Two", "C. Three", "D. Four", "E. Five"},
		Published:  paper.Date{Year: 2024, Month: 1, Day: 3},
		Categories: []string{"cs.IR", "cs.LG"},
		URL:        "https://arxiv.org/abs/2401.01234v1",
	},
	diffusionPaper("2402.00001", "Denoising diffusion models for protein backbones", 2024, 2, []string{"José Müller", "Wen Li"}, "10.5555/diff.1", "ICML 2024"),
	diffusionPaper("2403.00002", "Latent diffusion models with sparse attention", 2024, 3, []string{"Jose Muller", "Priya Raman"}, "", ""),
	diffusionPaper("2301.00003", "Score-based diffusion models for audio", 2023, 1, []string{"José Müller", "Wen Li", "Priya Raman"}, "", "ICASSP 2023"),
	diffusionPaper("2205.00004", "Guided diffusion models for image editing", 2022, 5, []string{"Priya Raman"}, "", ""),
	diffusionPaper("2110.00005", "Discrete diffusion models for text", 2021, 10, []string{"Wen Li", "José Müller"}, "", ""),
	{
		ID:       "odd/../id",
		Title:    "Identifiers with dot segments in their paths",
		Abstract: "A test record whose identifier holds a dot-dot segment, which a router would clean out of a URL path; its page is reached by query instead.",
	},
}

// diffusionPaper is one of a few papers on one topic by a few authors, for author pages, facets and
// spelling suggestions ("difusion modles").
func diffusionPaper(id, title string, year, month int, authors []string, doi, venue string) paper.Paper {
	return paper.Paper{
		ID:    id,
		Title: title,
		Abstract: "We train " + strings.ToLower(title) + ". Diffusion models learn to reverse a noising process; " +
			"we study their sampling speed, guidance and likelihood on standard benchmarks.",
		Authors:    authors,
		Published:  paper.Date{Year: year, Month: month, Day: 15},
		Categories: []string{"cs.LG"},
		URL:        "https://arxiv.org/abs/" + id,
		DOI:        doi,
		Venue:      venue,
		ArxivID:    id,
		Source:     "arxiv",
	}
}

// testIndex builds an index in a temporary directory from the built-in sample corpus plus extraPapers.
func testIndex(tb testing.TB) *index.Index {
	tb.Helper()
	ix, err := buildIndex(context.Background(), tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := ix.Close(); err != nil {
			tb.Error(err)
		}
	})
	return ix
}

// sampleIndex builds an index of the built-in sample corpus alone, as kindred serve loads it.
func sampleIndex(tb testing.TB) *index.Index {
	tb.Helper()
	ctx := context.Background()
	ix, err := index.Open(ctx, tb.TempDir(), index.DefaultOptions())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	opts := load.DefaultOptions()
	opts.Reader.Year = sample.Year
	if _, err := load.Reader(ctx, ix, sample.Open(), sample.Name, opts); err != nil {
		tb.Fatal(err)
	}
	return ix
}

// buildIndex creates an index in dir from the built-in sample corpus plus extraPapers.
func buildIndex(ctx context.Context, dir string) (*index.Index, error) {
	ix, err := index.Open(ctx, dir, index.DefaultOptions())
	if err != nil {
		return nil, err
	}
	opts := load.DefaultOptions()
	opts.Reader.Year = sample.Year
	sum, err := load.Reader(ctx, ix, sample.Open(), sample.Name, opts)
	if err == nil && sum.Added < 50 {
		err = fmt.Errorf("sample corpus: %s; want about 63 papers", sum)
	}
	if err == nil {
		_, err = ix.Upsert(ctx, extraPapers...)
	}
	if err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// quietOptions are the defaults with logging discarded, or sent to w when it is not nil.
func quietOptions(w io.Writer) Options {
	o := DefaultOptions()
	if w == nil {
		w = io.Discard
	}
	o.Logger = slog.New(slog.NewTextHandler(w, nil))
	return o
}

func newHandler(tb testing.TB, core Core) http.Handler {
	tb.Helper()
	h, err := New(core, quietOptions(nil))
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// get serves one request and returns the response and its body.
func get(tb testing.TB, h http.Handler, method, target string) (*http.Response, string) {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	res := rec.Result()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return res, string(b)
}

// countResults counts the results listed on a page.
func countResults(body string) int { return strings.Count(body, `<li class="result">`) }

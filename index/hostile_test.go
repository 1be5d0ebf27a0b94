package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

// corpusPapers is the size of the shared test corpus: the first papers of the SciFact corpus, enough
// for every budget of budget.go to bite, small enough to build in seconds under -race.
const corpusPapers = 2000

var corpus struct {
	once sync.Once
	dir  string
	ix   *Index
	err  error
}

// TestMain removes the shared corpus the tests built, once all of them are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if corpus.ix != nil {
		corpus.ix.Close()
	}
	if corpus.dir != "" {
		os.RemoveAll(corpus.dir)
	}
	os.Exit(code)
}

// sharedCorpus is an index of the first corpusPapers SciFact abstracts, built once for the package and
// shared by the tests that only read it. It skips without ../shared, except under CI=true.
func sharedCorpus(t testing.TB) *Index {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "data", "scifact", "corpus.jsonl")
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is missing: %v", path, err)
		}
		t.Skipf("skipping: %s not found (the shared data directory sits beside the repository; CI has it)", path)
	}
	corpus.once.Do(func() {
		var ps []paper.Paper
		stop := errors.New("enough")
		err := reader.ReadFile(context.Background(), path, reader.DefaultOptions(), func(p paper.Paper) error {
			ps = append(ps, p)
			if len(ps) == corpusPapers {
				return stop
			}
			return nil
		}, func(reader.Rejection) {})
		if err != nil && !errors.Is(err, stop) {
			corpus.err = err
			return
		}
		if corpus.dir, corpus.err = os.MkdirTemp("", "kindred-corpus-"); corpus.err != nil {
			return
		}
		if corpus.ix, corpus.err = Open(context.Background(), corpus.dir, DefaultOptions()); corpus.err != nil {
			return
		}
		_, corpus.err = corpus.ix.Upsert(context.Background(), ps...)
	})
	if corpus.err != nil {
		t.Fatalf("building the shared corpus: %v", corpus.err)
	}
	return corpus.ix
}

// hostileQueries are queries that once took a machine (issue 14): match-everything patterns, many
// patterns, phrases and words, and absurdly long input. wantNotes are note codes the query must get:
// the budget that bounds it must have bitten, or the test would prove nothing.
func hostileQueries(ix *Index) []struct {
	name      string
	req       Request
	wantNotes []string
} {
	var common, prefixes, infixes, fuzzies, phrases []string
	for _, w := range strings.Fields("cell cells protein patients disease gene expression clinical risk treatment study human mice associated increased role response analysis") {
		common = append(common, w)
	}
	for c := 'a'; c <= 'z'; c++ {
		prefixes = append(prefixes, string(c)+"*")
		infixes = append(infixes, "*"+string(c)+"*")
		fuzzies = append(fuzzies, string(c)+"ell~2")
	}
	for i := range 40 {
		phrases = append(phrases, fmt.Sprintf("%q", common[i%len(common)]+" "+common[(i+1)%len(common)]))
	}
	words := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(common[i%len(common)])
			b.WriteByte(' ')
		}
		return b.String()
	}
	type q = struct {
		name      string
		req       Request
		wantNotes []string
	}
	return []q{
		{"star", Request{Query: "*"}, []string{"match_all"}},
		{"regexp matching everything", Request{Query: "/.*/"}, []string{"match_all"}},
		{"regexp matching every word", Request{Query: "title:/.+/"}, []string{"match_all"}},
		{"stars", Request{Query: "**"}, []string{"match_all"}},
		{"infix in the abstract", Request{Query: "abstract:*e*"}, []string{"expansion_limit"}},
		{"five one-letter prefixes", Request{Query: "t* s* c* p* m*"}, []string{"expansion_limit"}},
		{"every letter as a prefix", Request{Query: strings.Join(prefixes, " ")}, []string{"too_many_patterns", "too_common"}},
		{"every letter as an infix", Request{Query: strings.Join(infixes, " ")}, []string{"pattern_budget"}},
		{"many fuzzy words", Request{Query: strings.Join(fuzzies, " ")}, []string{"too_many_patterns"}},
		{"unanchored regexps", Request{Query: strings.Repeat("/.*a.*/ /.*e.*/ /.*i.*/ /.*o.*/ ", 4)}, []string{"pattern_budget"}},
		{"authors with wildcards", Request{Query: "authors:*a*"}, []string{"ignored"}},
		{"a 10,000-word phrase", Request{Query: `"` + words(10_000) + `"`}, []string{"truncated"}},
		{"a 300 KB term", Request{Query: strings.Repeat("a", 300<<10)}, []string{"truncated"}},
		{"2,000 words", Request{Query: words(2000)}, []string{"truncated"}},
		{"many phrases", Request{Query: strings.Join(phrases, " ")}, []string{"too_many_phrases"}},
		{"the commonest words", Request{Query: commonestWords(ix, 256)}, nil},
		{"a deep page behind a filter", Request{Query: "cell", Ranking: Ranking{Offset: MaxOffset, Filter: Filter{From: paper.Date{Year: 1900}}}}, nil},
		{"required infixes", Request{Query: "+*a* +*e* +*i*"}, []string{"expansion_limit"}},
		{"excluded infixes", Request{Query: "cell -*a* -*e* -*o*"}, []string{"expansion_limit"}},
	}
}

// commonestWords is the n commonest surface words of ix, as a query.
func commonestWords(ix *Index, n int) string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e := ix.kw.ExpandMatch("", func(w string) bool { return len(w) > 2 }, n, 0)
	// Terms are stems; each analyzes to itself or to a word of the same stem, which is what matters.
	return strings.Join(e.Terms, " ")
}

// TestHostileQueries fires every hostile query at the shared corpus, in every mode, and checks by
// counting work, not by timing, that each stayed within the bounds of budget.go: postings of the
// terms searched, postings moved onto, papers scored, dictionary words scanned, phrases matched in
// Bleve. Each must also carry the note of the budget that bounded it.
func TestHostileQueries(t *testing.T) {
	ix := sharedCorpus(t)
	n := ix.Count()
	for _, hq := range hostileQueries(ix) {
		for _, mode := range []Mode{ModeHybrid, ModeKeyword, ModeVector} {
			t.Run(hq.name+"/"+string(mode), func(t *testing.T) {
				req := hq.req
				req.Mode = mode
				req.Highlight = true
				res, err := ix.Search(t.Context(), req)
				if err != nil {
					t.Fatalf("search: %v", err)
				}
				w := res.Work
				if w.Postings > maxSearchPostings(n) {
					t.Errorf("postings %d, bound %d", w.Postings, maxSearchPostings(n))
				}
				if w.Visited > maxSearchPostings(n) {
					t.Errorf("visited %d postings, bound %d", w.Visited, maxSearchPostings(n))
				}
				if w.Scored > n {
					t.Errorf("scored %d papers of %d", w.Scored, n)
				}
				if w.Scanned > queryScanBudget {
					t.Errorf("scanned %d dictionary words, budget %d", w.Scanned, queryScanBudget)
				}
				if w.Phrases > maxPhrases {
					t.Errorf("matched %d phrases, at most %d", w.Phrases, maxPhrases)
				}
				if len(res.Results) > MaxLimit {
					t.Errorf("%d results", len(res.Results))
				}
				var codes []string
				for _, note := range res.Notes {
					codes = append(codes, note.Code)
				}
				for _, want := range hq.wantNotes {
					if !slices.Contains(codes, want) {
						t.Errorf("notes %v lack %q: the budget that bounds this query did not bite", codes, want)
					}
				}
			})
		}
	}
}

// TestHostileCancelled: a search whose context is done stops at the next check of it, whatever the
// query, and returns the context's error (which the API answers 503 with).
func TestHostileCancelled(t *testing.T) {
	ix := sharedCorpus(t)
	for _, cause := range []struct {
		name string
		ctx  func() context.Context
		want error
	}{
		{"client gone", func() context.Context {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			return ctx
		}, context.Canceled},
		{"deadline passed", func() context.Context {
			ctx, cancel := context.WithTimeout(t.Context(), 0)
			t.Cleanup(cancel)
			return ctx
		}, context.DeadlineExceeded},
	} {
		for _, hq := range hostileQueries(ix) {
			t.Run(cause.name+"/"+hq.name, func(t *testing.T) {
				res, err := ix.Search(cause.ctx(), hq.req)
				if !errors.Is(err, cause.want) {
					t.Fatalf("search: %v, want %v", err, cause.want)
				}
				if res.Work.Visited > 0 || res.Work.Scanned > 0 {
					t.Errorf("worked on after its context was done: %+v", res.Work)
				}
			})
		}
	}
}

// BenchmarkHostileQueries times each hostile query on the shared corpus (hybrid mode).
func BenchmarkHostileQueries(b *testing.B) {
	ix := sharedCorpus(b)
	for _, hq := range hostileQueries(ix) {
		b.Run(hq.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ix.Search(b.Context(), hq.req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

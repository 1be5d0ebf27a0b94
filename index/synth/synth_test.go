package synth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
	"github.com/kindred-search/kindred/index/sample"
	"github.com/kindred-search/kindred/index/synth"
)

// samplePapers reads the built-in sample corpus: 63 real abstracts, without categories.
func samplePapers(t testing.TB) []paper.Paper {
	t.Helper()
	var ps []paper.Paper
	ro := reader.DefaultOptions()
	ro.Year = sample.Year
	err := reader.Read(context.Background(), sample.Open(), sample.Name, ro,
		func(p paper.Paper) error { ps = append(ps, p); return nil }, nil)
	if err != nil || len(ps) == 0 {
		t.Fatalf("read the sample: %d papers, %v", len(ps), err)
	}
	return ps
}

// The project's shared data sits next to the repository: ../shared from the root.
var arxivFile = filepath.Join("..", "..", "..", "shared", "data", "arxiv", "arxiv-75k.jsonl.gz")

// arxivPapers reads the first n papers of the shared arXiv file. Without it the test is skipped,
// except in CI, where the data must be present.
func arxivPapers(t testing.TB, n int) []paper.Paper {
	t.Helper()
	if _, err := os.Stat(arxivFile); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data missing in CI: %v", err)
		}
		t.Skipf("shared arXiv file not found (check out ../shared next to the repository): %v", err)
	}
	errEnough := errors.New("enough")
	var ps []paper.Paper
	err := reader.ReadFile(context.Background(), arxivFile, reader.DefaultOptions(), func(p paper.Paper) error {
		if len(ps) == n {
			return errEnough
		}
		ps = append(ps, p)
		return nil
	}, nil)
	if err != nil && !errors.Is(err, errEnough) {
		t.Fatal(err)
	}
	return ps
}

func learn(t testing.TB, ps []paper.Paper) *synth.Model {
	t.Helper()
	m, err := synth.Learn(context.Background(), synth.Papers(ps), synth.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func generate(t testing.TB, m *synth.Model, seed uint64, n int) []paper.Paper {
	t.Helper()
	var out []paper.Paper
	err := m.Generate(rand.New(rand.NewPCG(seed, 0)), n, func(p paper.Paper) error {
		out = append(out, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDeterministic: the same source and seed give the same papers, through two separate Learns;
// another seed gives other papers.
func TestDeterministic(t *testing.T) {
	for _, tc := range []struct {
		name   string
		papers func(testing.TB) []paper.Paper
	}{
		{"sample", samplePapers},
		{"arxiv-2k", func(t testing.TB) []paper.Paper { return arxivPapers(t, 2000) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := tc.papers(t)
			a := generate(t, learn(t, ps), 7, 300)
			b := generate(t, learn(t, ps), 7, 300)
			if diff := cmp.Diff(a, b); diff != "" {
				t.Fatalf("same seed, different papers (-first +second):\n%s", diff)
			}
			c := generate(t, learn(t, ps), 8, 300)
			if cmp.Equal(a, c) {
				t.Fatal("seeds 7 and 8 gave the same papers")
			}
			if a[0].ID != "syn-0000001" || a[299].ID != "syn-0000300" {
				t.Errorf("IDs %s .. %s, want syn-0000001 .. syn-0000300", a[0].ID, a[299].ID)
			}
		})
	}
}

func meanWords(ps []paper.Paper, field func(paper.Paper) string) float64 {
	var n int
	for _, p := range ps {
		n += len(strings.Fields(field(p)))
	}
	return float64(n) / float64(len(ps))
}

func abstractOf(p paper.Paper) string { return p.Abstract }
func titleOf(p paper.Paper) string    { return p.Title }

// TestDistribution: generated papers have the source's mean abstract and title lengths, its
// vocabulary, its categories in about its proportions, and dates in its range.
func TestDistribution(t *testing.T) {
	for _, tc := range []struct {
		name       string
		papers     func(testing.TB) []paper.Paper
		categories bool
	}{
		{"sample", samplePapers, false},
		{"arxiv-3k", func(t testing.TB) []paper.Paper { return arxivPapers(t, 3000) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.papers(t)
			m := learn(t, src)
			gen := generate(t, m, 1, 3000)

			for _, f := range []struct {
				name string
				of   func(paper.Paper) string
				tol  float64
			}{{"abstract", abstractOf, 0.10}, {"title", titleOf, 0.15}} {
				want, got := meanWords(src, f.of), meanWords(gen, f.of)
				if math.Abs(got-want) > f.tol*want {
					t.Errorf("mean %s length %.1f words, source %.1f: more than %.0f%% off", f.name, got, want, 100*f.tol)
				}
			}
			if s := m.Summary(); s.Papers != len(src) || math.Abs(s.MeanAbstractWords-meanWords(src, abstractOf)) > 1e-9 {
				t.Errorf("summary %+v, want %d papers and a mean of %.2f abstract words", s, len(src), meanWords(src, abstractOf))
			}

			vocab := map[string]bool{}
			for _, p := range src {
				for _, w := range strings.Fields(strings.ToLower(p.Abstract)) {
					vocab[strings.Trim(w, `.,;:!?()[]{}"'`)] = true
				}
			}
			var words, known int
			for _, p := range gen {
				for _, w := range strings.Fields(strings.ToLower(p.Abstract)) {
					words++
					if vocab[strings.Trim(w, `.,;:!?()[]{}"'`)] {
						known++
					}
				}
			}
			if known != words {
				t.Errorf("%d of %d generated words are not in the source", words-known, words)
			}

			minYear, maxYear := 9999, 0
			for _, p := range src {
				if !p.Published.IsZero() {
					minYear, maxYear = min(minYear, p.Published.Year), max(maxYear, p.Published.Year)
				}
			}
			for _, p := range gen {
				if err := p.Validate(); err != nil {
					t.Fatalf("%s: %v", p.ID, err)
				}
				if y := p.Published.Year; y != 0 && (y < minYear || y > maxYear) {
					t.Fatalf("%s published in %d, the source spans %d-%d", p.ID, y, minYear, maxYear)
				}
			}

			if !tc.categories {
				return
			}
			share := func(ps []paper.Paper) map[string]float64 {
				s := map[string]float64{}
				for _, p := range ps {
					if len(p.Categories) > 0 {
						s[p.Categories[0]] += 1 / float64(len(ps))
					}
				}
				return s
			}
			srcShare, genShare := share(src), share(gen)
			for c, want := range srcShare {
				if want >= 0.05 && math.Abs(genShare[c]-want) > 0.25*want {
					t.Errorf("primary category %s: %.3f of generated papers, %.3f of the source", c, genShare[c], want)
				}
			}
		})
	}
}

// TestTopics: papers of one category share more vocabulary than papers of different categories, so a
// synthetic corpus has near neighbours as a real one does (on the first 3,000 arXiv papers the
// Jaccard overlap of long words is 1.27 times higher within a primary category than across).
func TestTopics(t *testing.T) {
	gen := generate(t, learn(t, arxivPapers(t, 3000)), 3, 2000)
	words := func(p paper.Paper) map[string]bool {
		s := map[string]bool{}
		for _, w := range strings.Fields(strings.ToLower(p.Abstract)) {
			if len(w) > 6 { // content words, roughly
				s[strings.Trim(w, ".,")] = true
			}
		}
		return s
	}
	jaccard := func(a, b map[string]bool) float64 {
		var both int
		for w := range a {
			if b[w] {
				both++
			}
		}
		return float64(both) / float64(len(a)+len(b)-both)
	}
	var same, other []float64
	for i := 0; i+1 < len(gen); i += 2 {
		a, b := gen[i], gen[i+1]
		if len(a.Categories) == 0 || len(b.Categories) == 0 {
			continue
		}
		j := jaccard(words(a), words(b))
		if a.Categories[0] == b.Categories[0] {
			same = append(same, j)
		} else {
			other = append(other, j)
		}
	}
	mean := func(xs []float64) float64 {
		var s float64
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	if len(same) < 50 || len(other) < 50 {
		t.Fatalf("too few pairs: %d same-category, %d other", len(same), len(other))
	}
	if ms, mo := mean(same), mean(other); ms < 1.15*mo {
		t.Errorf("vocabulary overlap %.4f within a category, %.4f across: want clearly more within", ms, mo)
	}
}

// TestRoundTrip: generated papers written as JSON lines read back through package reader unchanged,
// with no rejection.
func TestRoundTrip(t *testing.T) {
	gen := generate(t, learn(t, samplePapers(t)), 1, 500)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, p := range gen {
		if err := enc.Encode(p); err != nil {
			t.Fatal(err)
		}
	}
	var got []paper.Paper
	var rejected []reader.Rejection
	err := reader.Read(t.Context(), &buf, "synth.jsonl", reader.Options{Format: reader.FormatAuto},
		func(p paper.Paper) error { got = append(got, p); return nil },
		func(r reader.Rejection) { rejected = append(rejected, r) })
	if err != nil || len(rejected) > 0 {
		t.Fatalf("read back: %v; rejected %v", err, rejected)
	}
	want := make([]paper.Paper, len(gen))
	for i, p := range gen {
		p.Normalize()      // fills AuthorCount from Authors, as the reader does
		p.Source = "jsonl" // and the reader names the shape it read
		want[i] = p
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("read back (-generated +read):\n%s", diff)
	}
}

func TestLearnEmpty(t *testing.T) {
	for _, tc := range []struct {
		name   string
		papers []paper.Paper
	}{
		{"no papers", nil},
		{"no words", []paper.Paper{{ID: "x", Title: "T", Abstract: "... , ( ."}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := synth.Learn(t.Context(), synth.Papers(tc.papers), synth.Options{}); !errors.Is(err, synth.ErrEmpty) {
				t.Errorf("Learn: %v, want ErrEmpty", err)
			}
		})
	}
}

func TestLearnCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := synth.Learn(ctx, synth.Papers(samplePapers(t)), synth.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Learn with a cancelled context: %v", err)
	}
}

// TestLearnBounded: with tiny caps the model keeps no more than the caps, and still generates valid
// papers.
func TestLearnBounded(t *testing.T) {
	opts := synth.Options{MaxVocab: 50, FrequentWords: 10, Successors: 2, CategoryWords: 5, MaxCategories: 3, MaxNames: 4}
	ps := arxivPapers(t, 1000)
	m, err := synth.Learn(t.Context(), synth.Papers(ps), opts)
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Summary(); s.Words > 50 || s.Categories > 3 {
		t.Errorf("summary %+v over the caps", s)
	}
	for _, p := range generate(t, m, 1, 200) {
		if err := p.Validate(); err != nil {
			t.Fatalf("%s: %v", p.ID, err)
		}
	}
}

// FuzzLearn: whatever one paper's text, the model learned from it generates valid papers or Learn
// says there is nothing to learn.
func FuzzLearn(f *testing.F) {
	f.Add("A title", "An abstract. With two sentences, and a comma.", "cs.CL")
	f.Add("(", ") . , $\\alpha$ NeRF", "")
	f.Fuzz(func(t *testing.T, title, abstract, cat string) {
		p := paper.Paper{ID: "f", Title: title, Abstract: abstract, Categories: []string{cat}, Authors: []string{abstract}}
		p.Normalize()
		if p.Validate() != nil {
			return
		}
		m, err := synth.Learn(t.Context(), synth.Papers([]paper.Paper{p}), synth.Options{})
		if errors.Is(err, synth.ErrEmpty) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range generate(t, m, 1, 5) {
			g2 := g
			g2.Normalize()
			if err := g2.Validate(); err != nil {
				t.Fatalf("%+v: %v", g, err)
			}
		}
	})
}

func BenchmarkGenerate(b *testing.B) {
	for _, tc := range []struct {
		name   string
		papers func(testing.TB) []paper.Paper
	}{
		{"sample", samplePapers},
		{"arxiv-10k", func(t testing.TB) []paper.Paper { return arxivPapers(t, 10_000) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			m := learn(b, tc.papers(b))
			rng := rand.New(rand.NewPCG(1, 0))
			var bytes int
			b.ResetTimer()
			for b.Loop() {
				m.Generate(rng, 1, func(p paper.Paper) error { bytes += len(p.Abstract); return nil })
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "papers/s")
			b.SetBytes(int64(bytes / max(b.N, 1)))
		})
	}
}

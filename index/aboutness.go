package index

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/kindred-search/kindred/index/bm25"
)

// Aboutness. How much a term says what a paper is about is learned from the index by two statistics
// of the term: how often a paper that uses it has it in its title (titles say what papers are about:
// "diffusion" is in the titles of 47% of the papers that use it, "rapidly" of none of 1,173), and how
// bursty it is, its occurrences per paper that uses it (topics repeat: "video" 3.9 a paper,
// "revolutionized" 1.0; Church & Gale 1995). Scaffolding ("practitioners", "comprehensive", "novel",
// "https") scores near 0 on both; a topic scores 1 on either.
//
// Both statistics are smoothed with smoothDocs pseudo-papers of a prior, because a rare term's own
// statistics are noise. The prior of a term is what a large reference collection says of it: the
// rates of the 74,728 abstracts of the arXiv file, shipped as aboutness_prior.tsv for the terms that
// file finds to be scaffolding. Any other term gets the "topical" prior (rates at the thresholds): a
// word the reference does not know, or knows as a topic, is taken for one until the collection says
// otherwise. In a large collection its own statistics outweigh the prior; in a small one (the
// built-in sample, a Zotero library of a few hundred papers) the prior is what keeps "showcase",
// "practitioners" and "systematically" out of the related-papers terms, where every word is rare
// and so, by its own statistics, topical.
const (
	titleRate0 = 0.15 // a title rate at or above this is topical
	burst0     = 1.5  // occurrences per paper at or above this are topical
	burstFlat  = 1.05 // at or below this, not bursty at all
	smoothDocs = 10   // pseudo-papers of prior a term's statistics are smoothed with
)

// aboutness scores a term in [0, 1] by its statistics in the index, smoothed with its prior.
func aboutness(term string, st bm25.TermStats) float64 {
	p, ok := aboutnessPriors()[term]
	if !ok {
		p = topicalPrior
	}
	return aboutnessWith(st, p)
}

// aboutPrior is a term's prior title rate and occurrences per paper.
type aboutPrior struct{ title, burst float64 }

// topicalPrior is the prior of a term the reference collection does not list.
var topicalPrior = aboutPrior{titleRate0, burst0}

func aboutnessWith(st bm25.TermStats, p aboutPrior) float64 {
	n := float64(st.DF) + smoothDocs
	title := (float64(st.TitleDF) + smoothDocs*p.title) / n
	burst := (float64(st.CF) + smoothDocs*p.burst) / n
	a := min(1, title/titleRate0)
	b := min(1, max(0, (burst-burstFlat)/(burst0-burstFlat)))
	return max(a, b)
}

// The prior lists a term of the reference collection when at least priorMinDocs of its papers use it
// (rates from fewer are noise) and its aboutness there, smoothed with the topical prior, is below 1.
const priorMinDocs = 20

//go:embed aboutness_prior.tsv
var aboutnessPriorTSV string

var aboutnessPriors = sync.OnceValue(func() map[string]aboutPrior {
	m, err := parseAboutnessPrior(strings.NewReader(aboutnessPriorTSV))
	if err != nil {
		panic(fmt.Sprintf("index: the embedded aboutness_prior.tsv: %v", err)) // a build defect; TestEmbeddedAboutnessPrior catches it
	}
	return m
})

// parseAboutnessPrior reads the prior's TSV: "#" comment lines, then term, title rate and occurrences
// per paper.
func parseAboutnessPrior(r io.Reader) (map[string]aboutPrior, error) {
	m := map[string]aboutPrior{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: %d fields, want 3 (term, title rate, occurrences a paper)", line, len(f))
		}
		title, err1 := strconv.ParseFloat(f[1], 64)
		burst, err2 := strconv.ParseFloat(f[2], 64)
		if err1 != nil || err2 != nil || title < 0 || title > 1 || burst < 1 {
			return nil, fmt.Errorf("line %d: bad rates %q, %q (want a title rate in [0, 1] and occurrences a paper >= 1)", line, f[1], f[2])
		}
		if _, dup := m[f[0]]; dup {
			return nil, fmt.Errorf("line %d: term %q listed twice", line, f[0])
		}
		m[f[0]] = aboutPrior{title, burst}
	}
	return m, sc.Err()
}

// WriteAboutnessPrior writes, in the form of aboutness_prior.tsv, the prior this index's statistics
// give: its scaffolding terms with their title rates and occurrences per paper, sorted by term. Run
// over the arXiv file it reproduces the shipped prior (index/acceptance checks it; -update rewrites it).
func (ix *Index) WriteAboutnessPrior(w io.Writer) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return ErrClosed
	}
	var lines []string
	ix.kw.EachTerm(func(term string, st bm25.TermStats) {
		if st.DF < priorMinDocs || len(term) < 2 || isNumber(term) || aboutnessWith(st, topicalPrior) >= 1 {
			return
		}
		lines = append(lines, fmt.Sprintf("%s\t%.3f\t%.3f", term, float64(st.TitleDF)/float64(st.DF), float64(st.CF)/float64(st.DF)))
	})
	slices.Sort(lines)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Aboutness prior: the scaffolding terms of a reference collection (analyzed terms used by at least\n")
	fmt.Fprintf(bw, "# %d of its %d papers whose aboutness there is below 1), with the share of those papers that have\n", priorMinDocs, ix.kw.Len())
	fmt.Fprintf(bw, "# the term in the title and its occurrences a paper. Made by index.(*Index).WriteAboutnessPrior over\n")
	fmt.Fprintf(bw, "# the arXiv file (go test ./index/acceptance -run AboutnessPrior -update); see index/aboutness.go.\n")
	for _, l := range lines {
		fmt.Fprintln(bw, l)
	}
	return bw.Flush()
}

package index

import (
	"cmp"
	resyntax "regexp/syntax"
	"slices"
	"strings"

	"github.com/kindred-search/kindred/index/bm25"
	"github.com/kindred-search/kindred/index/syntax"
)

// The work one query may cause is bounded, whatever its text, so that no request can take the machine
// (README, "Limits"). The parser bounds its input (syntax.MaxBytes, syntax.MaxClauses); planning bounds
// what the clauses expand into (the limits below and those in plan.go); the keyword and vector sides
// then work in proportion to the postings of the planned terms, and check their context as they go.
const (
	// maxPatterns is how many prefix, wildcard, fuzzy and regexp clauses one query expands; the rest
	// are ignored with a note. Each looks at part of the dictionary and adds up to maxExpansions terms.
	maxPatterns = 16
	// maxPhrases is how many phrases one query matches in the full-text index (each costs a Bleve
	// search over its papers); the words of the rest are searched without the phrase, with a note.
	maxPhrases = 4
	// queryScanBudget bounds the dictionary words all the patterns of one query look at together:
	// about two scans of the whole dictionary of 75,000 arXiv abstracts (149,000 words).
	queryScanBudget = 300_000
	// maxVectorFetch bounds the neighbours the vector side asks the vector index for, over-fetching
	// for a filter included: a graph search costs in proportion to it.
	maxVectorFetch = 16_384
)

// patternPostings bounds the postings of the terms one pattern expands into, for an index of n papers:
// four a paper. A pattern matching much of the dictionary ("*e*", "t*") is searched with its most
// frequent words until their lists reach this size, not with every word it matches.
func patternPostings(n int) int { return max(4*n, 1<<14) }

// queryPostings bounds the postings of all the scored terms of one query, for an index of n papers:
// 32 a paper (an abstract has about a hundred distinct terms). A pasted abstract as the query stays
// well inside it (13 a paper on 75,000 arXiv abstracts); a query of the 256 commonest words does not
// (45 a paper), and its commonest words are left out until it fits: they weigh least in BM25 and cost
// most.
func queryPostings(n int) int { return max(32*n, 1<<16) }

// maxSearchPostings is the most postings one search of an index of n papers can involve or move
// onto: its scored terms, the expansions of its required and excluded patterns, and the lists of its
// other requirements and exclusions (phrases, words, authors, categories), none longer than n.
func maxSearchPostings(n int) int {
	return queryPostings(n) + maxPatterns*patternPostings(n) + (maxPhrases+syntax.MaxClauses)*n
}

// matchesEveryWord reports whether a pattern clause matches every word of any dictionary, like "*":
// a wildcard of stars and at most one "?" ("**", "*?"), or a regular expression such as ".*" or ".+".
// Such a clause is answered as "*" is, without looking at the dictionary.
func matchesEveryWord(c syntax.Clause) bool {
	switch c.Kind {
	case syntax.Wildcard:
		return strings.Trim(c.Text, "*") == "" || strings.Trim(c.Text, "*") == "?"
	case syntax.Regexp:
		re, err := resyntax.Parse(c.Text, resyntax.Perl)
		if err != nil {
			return false
		}
		re = re.Simplify()
		for re.Op == resyntax.OpCapture {
			re = re.Sub[0]
		}
		return (re.Op == resyntax.OpStar || re.Op == resyntax.OpPlus) &&
			(re.Sub[0].Op == resyntax.OpAnyChar || re.Sub[0].Op == resyntax.OpAnyCharNotNL)
	}
	return false
}

// workPlan counts what planning a query spent of its budgets.
type workPlan struct {
	patterns int  // pattern clauses expanded
	phrases  int  // phrases matched in the full-text index
	scanned  int  // dictionary words looked at by patterns
	spent    bool // the scan budget ran out (and the note says so)
}

// patternAllowed spends one pattern of the query's budget, or notes that the pattern is ignored.
func (pl *plan) patternAllowed(shown string) bool {
	pl.work.patterns++
	if pl.work.patterns > maxPatterns {
		if pl.work.patterns == maxPatterns+1 {
			pl.note("too_many_patterns", "the query has more than %d patterns (prefix*, wild?card, fuzzy~, /regexp/); %s and those after it were ignored", maxPatterns, shown)
		}
		return false
	}
	if pl.work.scanned >= queryScanBudget {
		if !pl.work.spent {
			pl.work.spent = true
			pl.note("pattern_budget", "the query's patterns have looked at %d words of the index; %s and the patterns after it were ignored", pl.work.scanned, shown)
		}
		return false
	}
	return true
}

// scanLeft is what is left of the query's dictionary scan budget for one pattern, at most perPattern.
func (pl *plan) scanLeft(perPattern int) int {
	return max(min(perPattern, queryScanBudget-pl.work.scanned), 1)
}

// phraseAllowed spends one phrase of the query's budget.
func (pl *plan) phraseAllowed(text string) bool {
	pl.work.phrases++
	if pl.work.phrases > maxPhrases {
		pl.note("too_many_phrases", "the query has more than %d phrases; the words of %q were searched without the phrase", maxPhrases, text)
		return false
	}
	return true
}

// fitPostings keeps terms, most frequent first (as expansions come), while their postings fit the
// per-pattern budget; at least the first one is kept.
func (ix *Index) fitPostings(terms []string) []string {
	budget, sum := patternPostings(ix.kw.Len()), 0
	for i, t := range terms {
		sum += ix.kw.DF(t)
		if sum > budget && i > 0 {
			return terms[:i]
		}
	}
	return terms
}

// fitQuery leaves out the commonest optional scored terms of pl until the postings of its distinct
// scored terms fit queryPostings. A term left out goes with all its repeats; required terms are kept:
// they bound the search by their own lists.
func (ix *Index) fitQuery(pl *plan) {
	cls := pl.kq.Clauses
	df := map[string]int{}
	required := map[string]bool{}
	sum := 0
	for _, c := range cls {
		if _, ok := df[c.Term]; !ok {
			df[c.Term] = ix.kw.DF(c.Term)
			sum += df[c.Term]
		}
		required[c.Term] = required[c.Term] || c.Required
	}
	budget := queryPostings(ix.kw.Len())
	if sum <= budget {
		return
	}
	var optional []string
	for t := range df {
		if !required[t] {
			optional = append(optional, t)
		}
	}
	slices.SortFunc(optional, func(a, b string) int {
		if c := cmp.Compare(df[b], df[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	drop := map[string]bool{}
	for _, t := range optional {
		if sum <= budget {
			break
		}
		sum -= df[t]
		drop[t] = true
	}
	kept := make([]bm25.Clause, 0, len(cls))
	for _, c := range cls {
		if !drop[c.Term] {
			kept = append(kept, c)
		}
	}
	pl.kq.Clauses = kept
	pl.note("too_common", "the query's words are together in too many papers to search them all; the %d commonest were left out", len(drop))
}

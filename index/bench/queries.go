package bench

import (
	"math/rand/v2"
	"strings"
	"unicode"

	"github.com/kindred-search/kindred/index"
)

// queries are what a run asks, already in the query syntax.
type queries struct {
	short   []string // short queries, or Options.Queries
	titles  []string // full titles; none with Options.Queries
	related []string // paper IDs
}

// drawQueries draws the run's queries from the sampled papers, cycling through them when the sample
// is smaller than the counts asked for.
func drawQueries(rng *rand.Rand, papers []ref, opts Options) queries {
	var q queries
	at := func(i int) ref { return papers[i%len(papers)] }
	if len(opts.Queries) > 0 {
		q.short = opts.Queries
	} else {
		for i := range opts.Short {
			q.short = append(q.short, index.EscapeQuery(shortQuery(rng, at(i).title)))
		}
		for i := range opts.Titles {
			q.titles = append(q.titles, index.EscapeQuery(at(i).title))
		}
	}
	for i := range opts.Related {
		q.related = append(q.related, at(i).id)
	}
	return q
}

// shortQuery is 2-4 consecutive words of a title, without the punctuation around them: what someone
// who half remembers a paper types. A title of fewer words is returned whole.
func shortQuery(rng *rand.Rand, title string) string {
	var words []string
	for _, w := range strings.Fields(title) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if w != "" {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return title
	}
	k := min(2+rng.IntN(3), len(words))
	i := rng.IntN(len(words) - k + 1)
	return strings.Join(words[i:i+k], " ")
}

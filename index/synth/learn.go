package synth

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

// ErrEmpty is returned by Learn when the source holds no paper.
var ErrEmpty = errors.New("synth: no papers to learn from")

// Options bound what Learn keeps, and so its memory. Zero fields take the default from DefaultOptions.
type Options struct {
	// MaxVocab caps the abstract words the model keeps, the most frequent first. Default 200,000.
	MaxVocab int
	// FrequentWords is how many of the most frequent words get a table of the words that follow them.
	// Default 2,048.
	FrequentWords int
	// Successors is how many following words each of those keeps. Default 32.
	Successors int
	// CategoryWords is how many words each primary category keeps, its most frequent. Default 4,000.
	CategoryWords int
	// MaxCategories caps the categories kept, the most frequent first. Default 1,000.
	MaxCategories int
	// MaxNames caps the author first names, and separately the last names, kept. Default 20,000.
	MaxNames int
}

// DefaultOptions returns the documented defaults.
func DefaultOptions() Options {
	return Options{MaxVocab: 200_000, FrequentWords: 2048, Successors: 32, CategoryWords: 4000,
		MaxCategories: 1000, MaxNames: 20_000}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	for _, f := range []struct {
		v   *int
		def int
	}{
		{&o.MaxVocab, d.MaxVocab}, {&o.FrequentWords, d.FrequentWords}, {&o.Successors, d.Successors},
		{&o.CategoryWords, d.CategoryWords}, {&o.MaxCategories, d.MaxCategories}, {&o.MaxNames, d.MaxNames},
	} {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
	o.FrequentWords = min(o.FrequentWords, o.MaxVocab)
	return o
}

// Source streams a corpus to fn, stopping at fn's first error and returning it. Learn calls it twice,
// so it must give the same papers each time.
type Source func(fn func(paper.Paper) error) error

// Papers is a Source over a slice.
func Papers(ps []paper.Paper) Source {
	return func(fn func(paper.Paper) error) error {
		for _, p := range ps {
			if err := fn(p); err != nil {
				return err
			}
		}
		return nil
	}
}

// LearnFile learns from a file in any format package reader reads (.gz included); rejected records
// are skipped.
func LearnFile(ctx context.Context, path string, ro reader.Options, opts Options) (*Model, error) {
	return Learn(ctx, func(fn func(paper.Paper) error) error {
		return reader.ReadFile(ctx, path, ro, fn, nil)
	}, opts)
}

// Length histograms are clamped at these many words; longer texts count in the last bucket.
const (
	maxTitleWords    = 64
	maxAbstractWords = 2048
	maxSentenceWords = 256
	maxCategories    = paper.MaxCategories
	maxAuthors       = 500
	maxWordBytes     = 64 // longer tokens (LaTeX, URLs) are not vocabulary
)

// Learn builds a model of the papers src gives, reading them twice: see the package documentation.
// It returns ErrEmpty for an empty source and ctx.Err() when ctx is done.
func Learn(ctx context.Context, src Source, opts Options) (*Model, error) {
	opts = opts.withDefaults()
	c := newCounts(opts)
	err := src(func(p paper.Paper) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		c.add(p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("synth: learn: %w", err)
	}
	if c.papers == 0 {
		return nil, ErrEmpty
	}
	m := c.model()
	if !m.word.ok() {
		return nil, fmt.Errorf("%w: the abstracts hold no words", ErrEmpty)
	}
	t := newTopics(m, opts)
	err = src(func(p paper.Paper) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		t.add(p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("synth: learn, second pass: %w", err)
	}
	t.finish()
	return m, nil
}

// counter counts strings, pruning itself to the cap most frequent (ties by the string, so the result
// does not depend on map order) whenever it holds twice the cap.
type counter struct {
	n   map[string]int64
	cap int
}

func newCounter(cap int) *counter { return &counter{n: map[string]int64{}, cap: cap} }

func (c *counter) add(s string) {
	c.n[s]++
	if len(c.n) >= 2*c.cap {
		c.prune()
	}
}

func (c *counter) prune() {
	for _, e := range c.sorted()[min(c.cap, len(c.n)):] {
		delete(c.n, e.key)
	}
}

type entry struct {
	key string
	n   int64
}

// sorted lists the counts, most frequent first.
func (c *counter) sorted() []entry {
	out := make([]entry, 0, len(c.n))
	for k, n := range c.n {
		out = append(out, entry{k, n})
	}
	slices.SortFunc(out, func(a, b entry) int {
		if a.n != b.n {
			return cmp.Compare(b.n, a.n)
		}
		return strings.Compare(a.key, b.key)
	})
	return out
}

// top returns the cap most frequent strings and their counts.
func (c *counter) top() ([]string, []int64) {
	es := c.sorted()
	es = es[:min(c.cap, len(es))]
	keys, ns := make([]string, len(es)), make([]int64, len(es))
	for i, e := range es {
		keys[i], ns[i] = e.key, e.n
	}
	return keys, ns
}

// counts is the first pass.
type counts struct {
	opts                  Options
	papers                int
	words, titles         *counter
	firsts, lasts         *counter
	cats, primary         *counter
	titleLen, abstractLen []int64
	sentenceLen           []int64
	nCats, nAuthors       []int64
	commas, tokens        int64
	months                map[int]int64 // year*100+month
	dated                 int
}

func newCounts(o Options) *counts {
	return &counts{
		opts:  o,
		words: newCounter(o.MaxVocab), titles: newCounter(max(o.MaxVocab/4, 1)),
		firsts: newCounter(o.MaxNames), lasts: newCounter(o.MaxNames),
		cats: newCounter(o.MaxCategories), primary: newCounter(o.MaxCategories),
		titleLen: make([]int64, maxTitleWords+1), abstractLen: make([]int64, maxAbstractWords+1),
		sentenceLen: make([]int64, maxSentenceWords+1),
		nCats:       make([]int64, maxCategories+1), nAuthors: make([]int64, maxAuthors+1),
		months: map[int]int64{},
	}
}

func (c *counts) add(p paper.Paper) {
	c.papers++
	c.abstractLen[min(len(strings.Fields(p.Abstract)), maxAbstractWords)]++
	c.titleLen[min(len(strings.Fields(p.Title)), maxTitleWords)]++
	sentence := 0
	tokens(p.Abstract, func(w string, comma, stop bool) {
		c.words.add(w)
		c.tokens++
		sentence++
		if comma {
			c.commas++
		}
		if stop {
			c.sentenceLen[min(sentence, maxSentenceWords)]++
			sentence = 0
		}
	})
	if sentence > 0 {
		c.sentenceLen[min(sentence, maxSentenceWords)]++
	}
	tokens(p.Title, func(w string, _, _ bool) { c.titles.add(w) })
	c.nCats[min(len(p.Categories), maxCategories)]++
	for i, cat := range p.Categories {
		c.cats.add(cat)
		if i == 0 {
			c.primary.add(cat)
		}
	}
	n := max(len(p.Authors), p.AuthorCount)
	c.nAuthors[min(n, maxAuthors)]++
	for _, a := range p.Authors {
		f := strings.Fields(a)
		if len(f) == 0 {
			continue
		}
		c.lasts.add(f[len(f)-1])
		if len(f) > 1 {
			c.firsts.add(strings.Join(f[:len(f)-1], " "))
		}
	}
	if !p.Published.IsZero() {
		c.dated++
		if p.Published.Month != 0 {
			c.months[p.Published.Year*100+p.Published.Month]++
		} else {
			c.months[p.Published.Year*100]++
		}
	}
}

// model turns the first pass's counts into a Model without its category and bigram tables.
func (c *counts) model() *Model {
	m := &Model{papers: c.papers}
	var wn []int64
	m.words, wn = c.words.top()
	m.word = newDist(wn)
	m.index = make(map[string]int32, len(m.words))
	for i, w := range m.words {
		m.index[w] = int32(i)
	}
	var tn []int64
	m.titleWords, tn = c.titles.top()
	m.titleWord = newDist(tn)
	var cn, pn []int64
	m.cats, cn = c.cats.top()
	m.cat = newDist(cn)
	m.primaries, pn = c.primary.top()
	m.primary = newDist(pn)
	var fn, ln []int64
	m.firsts, fn = c.firsts.top()
	m.first = newDist(fn)
	m.lasts, ln = c.lasts.top()
	m.last = newDist(ln)
	m.titleLen = newDist(c.titleLen)
	m.abstractLen = newDist(c.abstractLen)
	m.sentenceLen = newDist(c.sentenceLen)
	m.nCats = newDist(c.nCats)
	m.nAuthors = newDist(c.nAuthors)
	if c.tokens > 0 {
		m.commaRate = float64(c.commas) / float64(c.tokens)
	}
	m.dateRate = float64(c.dated) / float64(c.papers)
	ms := make([]int, 0, len(c.months))
	for k := range c.months {
		ms = append(ms, k)
	}
	slices.Sort(ms)
	mn := make([]int64, len(ms))
	for i, k := range ms {
		mn[i] = c.months[k]
	}
	m.months, m.month = ms, newDist(mn)
	return m
}

// tokens calls fn for each word of s: white-space separated, stripped of surrounding punctuation, a
// capital first letter lowered unless the word has other capitals (so "The" is "the", "NeRF" stays).
// comma and stop tell whether the word was followed by a comma (or ; :) or ended a sentence.
func tokens(s string, fn func(w string, comma, stop bool)) {
	for _, t := range strings.Fields(s) {
		core := strings.TrimRight(t, `.,;:!?)]}"'`)
		tail := t[len(core):]
		core = strings.TrimLeft(core, `([{"'`)
		if core == "" || len(core) > maxWordBytes {
			continue
		}
		stop := strings.ContainsAny(tail, ".!?")
		comma := !stop && strings.ContainsAny(tail, ",;:")
		fn(lowerInitial(core), comma, stop)
	}
}

func lowerInitial(w string) string {
	if len(w) < 2 || w[0] < 'A' || w[0] > 'Z' {
		return w
	}
	for i := 1; i < len(w); i++ {
		if w[i] >= 'A' && w[i] <= 'Z' {
			return w
		}
	}
	return string(w[0]+'a'-'A') + w[1:]
}

package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// Model is what Learn learned from a corpus. It is read-only once built, and safe for concurrent use
// by several Generate calls with their own generators.
type Model struct {
	papers int // learned from

	words []string         // abstract vocabulary, most frequent first
	word  dist             // over words
	index map[string]int32 // word -> position in words; learning only
	// succ and follow, for each of the most frequent words: the words that follow it, and the
	// probability that the next word is one of them.
	succ   []wordDist
	follow []float32

	titleWords []string
	titleWord  dist

	cats      []string // every category mentioned, most frequent first
	cat       dist
	primaries []string // first categories, most frequent first
	primary   dist
	// Per primary category (empty for rare ones): its own word distribution, and its distinctive words.
	topic    []wordDist
	keyTerms []wordDist

	firsts, lasts []string
	first, last   dist

	// Histograms indexed by length in words, or count.
	titleLen, abstractLen, sentenceLen, nCats, nAuthors dist

	commaRate float64 // commas per word
	dateRate  float64 // fraction of papers with a date
	months    []int   // year*100+month (month 0 when unknown), ascending
	month     dist    // over months
}

// dist samples an index with probability proportional to its count.
type dist struct{ cum []uint64 }

func newDist(counts []int64) dist {
	d := dist{cum: make([]uint64, len(counts))}
	var s uint64
	for i, n := range counts {
		s += uint64(max(n, 0))
		d.cum[i] = s
	}
	return d
}

func (d dist) total() uint64 {
	if len(d.cum) == 0 {
		return 0
	}
	return d.cum[len(d.cum)-1]
}

func (d dist) ok() bool { return d.total() > 0 }

// sample draws an index in O(log n). d must be ok.
func (d dist) sample(r *rand.Rand) int {
	x := r.Uint64N(d.total())
	return sort.Search(len(d.cum), func(i int) bool { return d.cum[i] > x })
}

func (d dist) count(i int) uint64 {
	if i == 0 {
		return d.cum[0]
	}
	return d.cum[i] - d.cum[i-1]
}

// mean is the mean index, for histograms.
func (d dist) mean() float64 {
	if !d.ok() {
		return 0
	}
	var s float64
	for i := range d.cum {
		s += float64(i) * float64(d.count(i))
	}
	return s / float64(d.total())
}

// wordDist samples word IDs.
type wordDist struct {
	ids []int32
	dist
}

func (w wordDist) sample(r *rand.Rand) int32 { return w.ids[w.dist.sample(r)] }

// Summary describes a model.
type Summary struct {
	Papers            int     // papers learned from
	Words             int     // abstract vocabulary
	Categories        int     // categories
	MeanTitleWords    float64 // of the source, in white-space separated words
	MeanAbstractWords float64
}

// Summary describes the model.
func (m *Model) Summary() Summary {
	return Summary{Papers: m.papers, Words: len(m.words), Categories: len(m.cats),
		MeanTitleWords: m.titleLen.mean(), MeanAbstractWords: m.abstractLen.mean()}
}

func (s Summary) String() string {
	return fmt.Sprintf("%d papers, %d words, %d categories, %.1f title words and %.1f abstract words on average",
		s.Papers, s.Words, s.Categories, s.MeanTitleWords, s.MeanAbstractWords)
}

// How a generated abstract draws its words: a key term of the paper with probability pKey, a content
// word it used already with probability pRepeat (real texts are bursty: a word seen once is likely to
// come again), a word of its category with probability pTopic, otherwise a word of the corpus
// (following the previous word when the bigram table knows it). Titles draw key terms with probability pTitleKey.
const (
	pKey      = 0.06
	pTopic    = 0.65
	pRepeat   = 0.10
	pTitleKey = 0.3
	minKeys   = 3
	maxKeys   = 7
)

// Generated text stays clear of paper's limits whatever the learned lengths.
const (
	maxAbstractBytes = paper.MaxAbstractLen / 2
	maxTitleBytes    = paper.MaxTitleLen / 2
)

// IDWidth is the number of digits in generated IDs: "syn-0000001".
const IDWidth = 7

// ID is the ID of the i-th generated paper, counting from 1.
func ID(i int) string { return fmt.Sprintf("syn-%0*d", IDWidth, i) }

// Generate calls fn with n papers, ID(1) to ID(n), stopping at fn's first error and returning it. The
// papers depend only on the model and the generator's state: the same seed gives the same papers. Each
// paper passes paper.Validate. Cost: O(words generated × log(vocabulary)).
func (m *Model) Generate(rng *rand.Rand, n int, fn func(paper.Paper) error) error {
	var g generator
	for i := 1; i <= n; i++ {
		if err := fn(m.paper(rng, i, &g)); err != nil {
			return err
		}
	}
	return nil
}

// generator holds buffers reused from one paper to the next.
type generator struct {
	b      strings.Builder
	keys   []int32
	used   []int32 // content words of the abstract so far
	common int     // words ranked below this are function words, not repeated on purpose
}

func (m *Model) paper(r *rand.Rand, i int, g *generator) paper.Paper {
	p := paper.Paper{ID: ID(i)}

	var topic, keyTerms wordDist
	if k := m.nCats.sample(r); k > 0 && m.primary.ok() {
		pi := m.primary.sample(r)
		topic, keyTerms = m.topic[pi], m.keyTerms[pi]
		p.Categories = append(make([]string, 0, k), m.primaries[pi])
		for try := 0; len(p.Categories) < k && try < 4*k; try++ {
			if c := m.cats[m.cat.sample(r)]; !slices.Contains(p.Categories, c) {
				p.Categories = append(p.Categories, c)
			}
		}
	}

	// Key terms: words of the category, else content words of the corpus (past its most frequent).
	g.keys, g.used = g.keys[:0], g.used[:0]
	common := m.common()
	g.common = common
	nk := minKeys + r.IntN(maxKeys-minKeys+1)
	for try := 0; len(g.keys) < nk && try < 10*nk; try++ {
		var id int32
		if keyTerms.ok() {
			id = keyTerms.sample(r)
		} else if id = int32(m.word.sample(r)); int(id) < common {
			continue
		}
		if !slices.Contains(g.keys, id) {
			g.keys = append(g.keys, id)
		}
	}

	p.Abstract = m.abstract(r, g, topic)
	p.Title = m.title(r, g)

	if na := m.nAuthors.sample(r); na > 0 {
		if m.last.ok() {
			p.Authors = make([]string, na)
			for j := range p.Authors {
				name := m.lasts[m.last.sample(r)]
				if m.first.ok() {
					name = m.firsts[m.first.sample(r)] + " " + name
				}
				p.Authors[j] = name
			}
		} else {
			p.AuthorCount = na
		}
	}
	if m.month.ok() && r.Float64() < m.dateRate {
		ym := m.months[m.month.sample(r)]
		p.Published = paper.Date{Year: ym / 100, Month: ym % 100}
		if p.Published.Month != 0 {
			p.Published.Day = 1 + r.IntN(28)
		}
	}
	return p
}

func (m *Model) abstract(r *rand.Rand, g *generator, topic wordDist) string {
	b := &g.b
	b.Reset()
	n := max(m.abstractLen.sample(r), 1)
	left := m.sentence(r)
	prev := int32(-1)
	for w := range n {
		id, fresh := m.next(r, prev, g, topic)
		if fresh && int(id) >= g.common {
			g.used = append(g.used, id)
		}
		word := m.words[id]
		if prev < 0 {
			word = upperInitial(word)
		}
		b.WriteString(word)
		prev = id
		left--
		last := w == n-1 || b.Len() > maxAbstractBytes
		switch {
		case left <= 0 || last:
			b.WriteByte('.')
			left, prev = m.sentence(r), -1
		case r.Float64() < m.commaRate:
			b.WriteByte(',')
		}
		if last {
			break
		}
		b.WriteByte(' ')
	}
	return b.String()
}

func (m *Model) sentence(r *rand.Rand) int {
	if !m.sentenceLen.ok() {
		return 20
	}
	return max(m.sentenceLen.sample(r), 1)
}

// next draws the word after prev (-1 at the start of a sentence); fresh is false for a key term or a
// repeat, which are not added to the words to repeat (that would make a few words swamp the text).
func (m *Model) next(r *rand.Rand, prev int32, g *generator, topic wordDist) (id int32, fresh bool) {
	u := r.Float64()
	switch {
	case len(g.keys) > 0 && u < pKey:
		return g.keys[r.IntN(len(g.keys))], false
	case len(g.used) > 0 && u < pKey+pRepeat:
		return g.used[r.IntN(len(g.used))], false
	case topic.ok() && u < pKey+pRepeat+pTopic:
		return topic.sample(r), true
	case prev >= 0 && int(prev) < len(m.succ) && m.succ[prev].ok() && r.Float32() < m.follow[prev]:
		return m.succ[prev].sample(r), true
	}
	return int32(m.word.sample(r)), true
}

// common is the rank below which words are function words ("the", "we", "model"): never key terms.
func (m *Model) common() int { return min(100, len(m.words)/10) }

func (m *Model) title(r *rand.Rand, g *generator) string {
	b := &g.b
	b.Reset()
	n := max(m.titleLen.sample(r), 1)
	for w := range n {
		var word string
		switch {
		case len(g.keys) > 0 && r.Float64() < pTitleKey:
			word = m.words[g.keys[r.IntN(len(g.keys))]]
		case m.titleWord.ok():
			word = m.titleWords[m.titleWord.sample(r)]
		default:
			word = m.words[m.word.sample(r)]
		}
		if w == 0 || len(word) > 3 {
			word = upperInitial(word)
		}
		if w > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(word)
		if b.Len() > maxTitleBytes {
			break
		}
	}
	return b.String()
}

func upperInitial(w string) string {
	if w == "" || w[0] < 'a' || w[0] > 'z' {
		return w
	}
	return string(w[0]-'a'+'A') + w[1:]
}

package index

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"time"
	"unicode"

	"golang.org/x/sync/errgroup"
	"golang.org/x/text/unicode/norm"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/bm25"
	"github.com/kindred-search/kindred/index/paper"
)

// The keyword index (package bm25) holds, beside each paper's analyzed title and abstract, exact-match
// keys that searches use as constraints. Their prefixes start with a NUL byte, which no analyzed term
// contains.
const (
	keyAuthor   = "\x00a:" // one token of an author's folded name: "vulic"
	keyName     = "\x00n:" // an author's whole folded name: "ivan vulic"
	keyCategory = "\x00c:" // a lower-cased category: "cs.cl"
	keyDOI      = "\x00d:" // the normalised DOI (paper.NormalizeDOI): "10.1103/physrevd.76.013009"
	keyArxiv    = "\x00x:" // the arXiv identifier without version: "2504.16081"
	// keyVerbatim marks a paper whose title and abstract cleanForTerms leaves as they are (most
	// papers): its terms in the keyword index are then those related papers select from (see
	// selectPaperTerms). It marks the papers that have it, not those that lack it, so that an index
	// written before it existed selects every paper's terms from its text, as it did.
	keyVerbatim = "\x00v:"
)

// FoldName folds a name for matching: accents and case removed, punctuation but hyphens and
// apostrophes turned into spaces, runs of spaces folded. "Ivan Vulić" and "ivan  vulic" fold alike.
func FoldName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // a combining accent
		}
		if f, ok := unfoldable[r]; ok {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(f)
			continue
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// unfoldable are letters that carry no combining accent in Unicode's decomposition.
var unfoldable = map[rune]string{
	'ł': "l", 'Ł': "l", 'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d", 'ß': "ss", 'æ': "ae", 'Æ': "ae",
	'œ': "oe", 'Œ': "oe", 'ı': "i", 'þ': "th", 'Þ': "th", 'ð': "d", 'Ð': "d",
}

// nameTokens are the tokens of a folded name that a search by one name matches ("vulic", "ivan").
func nameTokens(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool { return r == ' ' || r == '-' })
}

// dayNumber is a date's day count since 1970-01-01 (partial dates count from their first day), or
// bm25.NoDate.
func dayNumber(d paper.Date) int32 {
	if d.IsZero() {
		return bm25.NoDate
	}
	return timeDay(d.Time())
}

// timeDay is the day number of an instant, clamped into what a day number can hold.
func timeDay(t time.Time) int32 {
	days := t.Unix() / 86400
	if t.Unix() < 0 && t.Unix()%86400 != 0 {
		days-- // floor, not truncation, before 1970
	}
	return int32(min(max(days, math.MinInt32+1), math.MaxInt32))
}

// dayOf is the inverse of dayNumber for full dates.
func dayOf(n int32) time.Time { return time.Unix(int64(n)*86400, 0).UTC() }

// keywordDoc analyzes a paper into what the keyword index holds: the title's and the abstract's terms
// with their frequencies, the surface words they came from, and the author, category, DOI and arXiv
// keys.
func (ix *Index) keywordDoc(p paper.Paper) bm25.Doc {
	d, _ := ix.analyze(p, false)
	return d
}

// analyze tokenizes a paper once into its keyword document and, when withFeatures, its vector
// features. The features are those of vectorText(p), as paperFeatures gives them.
func (ix *Index) analyze(p paper.Paper, withFeatures bool) (bm25.Doc, embed.Features) {
	tt, at := ix.emb.Tokens(p.Title), ix.emb.Tokens(p.Abstract)
	d := bm25.Doc{ID: p.ID, Date: dayNumber(p.Published), Categories: p.Categories, TitleLen: len(tt), AbstractLen: len(at)}
	tf := make(map[string]*bm25.TermFreq, len(tt)+len(at))
	words := make(map[string]string, len(tt)+len(at))
	count := func(toks []embed.Token, title bool) {
		for _, t := range toks {
			f, ok := tf[t.Term]
			if !ok {
				f = &bm25.TermFreq{Term: t.Term}
				tf[t.Term] = f
			}
			if title {
				f.Title++
			} else {
				f.Abstract++
			}
			if w := strings.ToLower(t.Surface); len(w) <= maxWordLen {
				words[w] = t.Term
			}
		}
	}
	count(tt, true)
	count(at, false)
	d.Terms = make([]bm25.TermFreq, 0, len(tf))
	for _, f := range tf {
		d.Terms = append(d.Terms, *f)
	}
	d.Words = make([]bm25.Word, 0, len(words))
	for w, t := range words {
		d.Words = append(d.Words, bm25.Word{Word: w, Term: t})
	}
	for _, a := range p.Authors {
		f := FoldName(a)
		if f == "" {
			continue
		}
		d.Keys = append(d.Keys, keyName+f)
		for _, t := range nameTokens(f) {
			d.Keys = append(d.Keys, keyAuthor+t)
		}
	}
	for _, c := range p.Categories {
		d.Keys = append(d.Keys, keyCategory+strings.ToLower(c))
	}
	// Resolve finds papers by the identifiers people paste, whatever their ID is.
	if p.DOI != "" {
		d.Keys = append(d.Keys, keyDOI+p.DOI)
	}
	if p.ArxivID != "" {
		d.Keys = append(d.Keys, keyArxiv+p.ArxivID)
	}
	verbatim := !cleanChanges(p.Title) && !cleanChanges(p.Abstract)
	if verbatim {
		d.Keys = append(d.Keys, keyVerbatim)
	}
	if !withFeatures {
		return d, embed.Features{}
	}
	return d, ix.featuresFrom(p, verbatim, tt, at)
}

// paperFeatures are the vector features of vectorText(p).
func (ix *Index) paperFeatures(p paper.Paper) embed.Features {
	return ix.featuresFrom(p, !cleanChanges(p.Title) && !cleanChanges(p.Abstract), nil, nil)
}

// featuresFrom makes the features of vectorText(p), from the title's and the abstract's tokens when
// given and cleaning leaves the text as it is (verbatim, most papers): the title twice and the
// abstract analyze to the same terms as EmbedText. Otherwise the cleaned text is analyzed anew.
func (ix *Index) featuresFrom(p paper.Paper, verbatim bool, tt, at []embed.Token) embed.Features {
	if verbatim {
		if tt == nil {
			tt, at = ix.emb.Tokens(p.Title), ix.emb.Tokens(p.Abstract)
		}
		terms := make([]string, 0, 2*len(tt)+len(at))
		for range embedTitleCopies {
			for _, t := range tt {
				terms = append(terms, t.Term)
			}
		}
		for _, t := range at {
			terms = append(terms, t.Term)
		}
		return ix.emb.FeaturesOf(terms)
	}
	return ix.emb.Features(vectorText(p))
}

// analyzeAll is analyze over papers in parallel, bounded by GOMAXPROCS.
func (ix *Index) analyzeAll(ps []paper.Paper) ([]bm25.Doc, []embed.Features) {
	docs := make([]bm25.Doc, len(ps))
	feats := make([]embed.Features, len(ps))
	inParallel(len(ps), 64, func(i int) { docs[i], feats[i] = ix.analyze(ps[i], true) })
	return docs, feats
}

// inParallel calls f(i) for every i in [0, n), in chunks of chunk on up to GOMAXPROCS goroutines,
// and returns when all calls have.
func inParallel(n, chunk int, f func(i int)) {
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for start := 0; start < n; start += chunk {
		g.Go(func() error {
			for i := start; i < min(start+chunk, n); i++ {
				f(i)
			}
			return nil
		})
	}
	g.Wait()
}

// maxWordLen bounds the surface words kept for patterns: longer tokens are URLs, hashes and the like.
const maxWordLen = 64

// keywordDocs analyzes papers in parallel, bounded by GOMAXPROCS.
func (ix *Index) keywordDocs(ps []paper.Paper) []bm25.Doc {
	out := make([]bm25.Doc, len(ps))
	inParallel(len(ps), 64, func(i int) { out[i] = ix.keywordDoc(ps[i]) })
	return out
}

// addKeyword analyzes papers and adds them to kw.
func (ix *Index) addKeyword(kw *bm25.Store, ps []paper.Paper) error {
	for _, d := range ix.keywordDocs(ps) {
		if err := kw.Add(d); err != nil {
			return fmt.Errorf("keyword index: paper %s: %w", d.ID, err)
		}
	}
	return nil
}

// compactKeyword drops the keyword index's tombstones once they are a fifth of its documents (and
// at least a thousand): searches skip tombstones, but they cost memory and time. Called with mu held
// for writing.
func (ix *Index) compactKeyword() {
	if dead := ix.kw.Dead(); dead >= 1000 && dead*5 >= ix.kw.Docs() {
		ix.kw.Compact()
	}
}

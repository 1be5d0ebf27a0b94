package hnsw

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"encoding/json"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/kindred-search/kindred/embed"
)

// The arXiv sample lives in the project's shared data, next to the repository: ../shared from the
// root. Its vectors come from a quick tokenisation done here (lower-cased words minus a few stop
// words, unigrams and adjacent bigrams, FNV-1a hashed with a sign into 2^20 features, sublinear tf
// times idf, top 256 by magnitude, L2-normalised): close enough in shape to package embed's vectors
// to measure the graph, without depending on the embedder.
var arxivPath = filepath.Join("..", "..", "..", "shared", "data", "arxiv", "arxiv-75k.jsonl.gz")

// arxivCorpus holds the sample embedded: the last queries records are held out as queries, long
// (the abstract) and short (the title).
type arxivCorpus struct {
	keys        []string
	docs        []embed.Vector
	long, short []embed.Vector
}

const arxivQueries = 500

var arxivOnce = sync.OnceValues(loadArxiv)

// arxiv returns the embedded sample, skipping the test without the shared data (failing in CI).
func arxiv(tb testing.TB) *arxivCorpus {
	tb.Helper()
	if _, err := os.Stat(arxivPath); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("shared data missing in CI: %v", err)
		}
		tb.Skipf("shared data %s not found (check out ../shared next to the repository): %v", arxivPath, err)
	}
	c, err := arxivOnce()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func loadArxiv() (*arxivCorpus, error) {
	f, err := os.Open(arxivPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var ids []string
	var texts [][]string // per record: abstract terms, title terms
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var rec struct{ ID, Title, Abstract string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, err
		}
		ids = append(ids, rec.ID)
		texts = append(texts, []string{rec.Title + " " + rec.Abstract, rec.Title})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	tfs := make([]map[uint32]float64, len(texts))
	df := map[uint32]int{}
	for i, t := range texts {
		tfs[i] = features(t[0])
		for ix := range tfs[i] {
			df[ix]++
		}
	}
	n := float64(len(texts))
	idf := func(ix uint32) float64 { return math.Log((n + 1) / float64(df[ix]+1)) }
	c := &arxivCorpus{}
	split := len(texts) - arxivQueries
	for i := range texts {
		v := toVector(tfs[i], idf)
		if i < split {
			c.keys, c.docs = append(c.keys, ids[i]), append(c.docs, v)
			continue
		}
		c.long = append(c.long, v)
		c.short = append(c.short, toVector(features(texts[i][1]), idf))
	}
	return c, nil
}

var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and are as at be by for from has have in is it its of on or that
		the this to was were we which with our these this can be been their than into such also`) {
		stopWords[w] = true
	}
}

// features returns signed sublinear term frequencies of the text's unigrams and bigrams.
func features(text string) map[uint32]float64 {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	words = slices.DeleteFunc(words, func(w string) bool { return len(w) < 2 || stopWords[w] })
	counts := map[string]int{}
	for i, w := range words {
		counts[w]++
		if i > 0 {
			counts[words[i-1]+" "+w]++
		}
	}
	tf := map[uint32]float64{}
	for w, k := range counts {
		h := fnv.New32a()
		h.Write([]byte(w))
		x := h.Sum32()
		sign := 1.0
		if x>>31 == 1 {
			sign = -1
		}
		tf[x&(1<<20-1)] += sign * (1 + math.Log(float64(k)))
	}
	return tf
}

func toVector(tf map[uint32]float64, idf func(uint32) float64) embed.Vector {
	type e struct {
		ix uint32
		w  float64
	}
	var es []e
	for ix, t := range tf {
		if w := t * idf(ix); w != 0 {
			es = append(es, e{ix, w})
		}
	}
	slices.SortFunc(es, func(a, b e) int {
		if c := cmp.Compare(math.Abs(b.w), math.Abs(a.w)); c != 0 {
			return c
		}
		return cmp.Compare(a.ix, b.ix)
	})
	es = es[:min(len(es), 256)]
	slices.SortFunc(es, func(a, b e) int { return cmp.Compare(a.ix, b.ix) })
	var norm float64
	for _, x := range es {
		norm += x.w * x.w
	}
	v := embed.Vector{Idx: make([]uint32, len(es)), Val: make([]float32, len(es))}
	for i, x := range es {
		v.Idx[i], v.Val[i] = x.ix, float32(x.w/math.Sqrt(norm))
	}
	return v
}

// ArxivForTest exposes the embedded sample to the external test package (annbench_test.go):
// documents with their keys, and held-out long and short queries.
func ArxivForTest(tb testing.TB) (keys []string, docs, long, short []embed.Vector) {
	c := arxiv(tb)
	return c.keys, c.docs, c.long, c.short
}

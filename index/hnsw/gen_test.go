package hnsw

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/kindred-search/kindred/embed"
)

// corpus is a synthetic stand-in for embedded abstracts: clustered sparse vectors in a 2^20 space.
// A global vocabulary follows Zipf's law (the common words every abstract shares), topics are random
// sets of rarer features, and a document mixes one to three topics with background words, about 200
// non-zeros, weighted like tf-idf and L2-normalised.
type corpus struct {
	keys    []string
	docs    []embed.Vector
	queries []embed.Vector // held-out documents
	short   []embed.Vector // 10-feature queries drawn from a topic
}

type genConfig struct {
	docs, queries, topics, nnz int
	seed                       uint64
	topicWords                 int     // features per topic; default 300
	background                 float64 // share of a document's words from the global vocabulary; default 0.35
}

func genCorpus(c genConfig) corpus {
	r := rand.New(rand.NewPCG(c.seed, 99))
	const vocab = 30000
	feat := make([]uint32, vocab)
	seen := map[uint32]bool{}
	for i := range feat {
		for {
			f := r.Uint32N(1 << 20)
			if !seen[f] {
				seen[f], feat[i] = true, f
				break
			}
		}
	}
	zipf := rand.NewZipf(r, 1.1, 50, vocab-1)
	if c.topicWords == 0 {
		c.topicWords = 300
	}
	if c.background == 0 {
		c.background = 0.35
	}
	topics := make([][]int, c.topics)
	for t := range topics {
		for range c.topicWords {
			topics[t] = append(topics[t], 200+r.IntN(vocab-200))
		}
	}
	doc := func(nnz int) embed.Vector {
		ts := make([]int, 1+r.IntN(3))
		for i := range ts {
			ts[i] = r.IntN(c.topics)
		}
		tf := map[int]float64{}
		for len(tf) < nnz {
			if r.Float64() < c.background {
				tf[int(zipf.Uint64())]++
			} else {
				t := topics[ts[r.IntN(len(ts))]]
				// Topic words are skewed too: the first ones of a topic are its core.
				tf[t[int(float64(len(t))*r.Float64()*r.Float64())]]++
			}
		}
		return weigh(feat, tf)
	}
	var out corpus
	for i := range c.docs {
		out.keys = append(out.keys, fmt.Sprintf("d%06d", i))
		out.docs = append(out.docs, doc(c.nnz/2+r.IntN(c.nnz)))
	}
	for range c.queries {
		out.queries = append(out.queries, doc(c.nnz/2+r.IntN(c.nnz)))
		t := topics[r.IntN(c.topics)]
		tf := map[int]float64{}
		for len(tf) < 10 {
			if r.Float64() < 0.2 {
				tf[int(zipf.Uint64())]++
			} else {
				tf[t[int(float64(len(t))*r.Float64()*r.Float64())]]++
			}
		}
		out.short = append(out.short, weigh(feat, tf))
	}
	return out
}

// weigh turns term counts into an L2-normalised vector: sublinear tf times an idf that grows with
// the vocabulary rank, with one feature in ten negated as a signed feature hash would.
func weigh(feat []uint32, tf map[int]float64) embed.Vector {
	type e struct {
		ix uint32
		v  float32
	}
	var es []e
	var norm float64
	for w, n := range tf {
		x := (1 + math.Log(n)) * math.Log(2+float64(w)/50)
		if w%10 == 7 {
			x = -x
		}
		es = append(es, e{feat[w], float32(x)})
		norm += x * x
	}
	slices.SortFunc(es, func(a, b e) int { return int(a.ix) - int(b.ix) })
	var v embed.Vector
	for _, x := range es {
		v.Idx = append(v.Idx, x.ix)
		v.Val = append(v.Val, x.v/float32(math.Sqrt(norm)))
	}
	return v
}

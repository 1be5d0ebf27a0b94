package hnsw

import (
	"math/rand/v2"
	"os"
	"testing"
)

func BenchmarkDotReal(b *testing.B) {
	if os.Getenv("EXPLORE") == "" {
		b.Skip()
	}
	c := arxiv(b)
	docs := c.docs[:20000]
	var t table
	t.load(c.long[0])
	nv := make([]nvec, len(docs))
	for i := range docs {
		nv[i] = makeNvec(docs[i])
	}
	perm := rand.Perm(len(docs))
	b.Run("random", func(b *testing.B) {
		var s float32
		for i := 0; b.Loop(); i++ {
			s += t.dot(nv[perm[i%len(perm)]])
		}
	})
	b.Run("hot", func(b *testing.B) {
		var s float32
		for i := 0; b.Loop(); i++ {
			s += t.dot(nv[perm[i%64]])
		}
	})
}

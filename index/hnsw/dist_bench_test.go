package hnsw

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/kindred-search/kindred/embed"
)

func BenchmarkDot(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	vs := make([]embed.Vector, 256)
	for i := range vs {
		vs[i] = randVec(r, 256, 1<<20)
	}
	b.Run("merge-embed", func(b *testing.B) {
		var s float32
		for i := 0; b.Loop(); i++ {
			s += embed.Dot(vs[i&255], vs[(i*7+3)&255])
		}
		_ = s
	})
	b.Run("table", func(b *testing.B) {
		var t table
		t.load(vs[0])
		nv := make([]nvec, len(vs))
		for i := range vs {
			nv[i] = makeNvec(vs[i])
		}
		var s float32
		for i := 0; b.Loop(); i++ {
			s += t.dot(nv[i&255])
		}
		_ = s
	})
}

func randVec(r *rand.Rand, nnz int, dim uint32) embed.Vector {
	seen := map[uint32]bool{}
	for len(seen) < nnz {
		seen[r.Uint32N(dim)] = true
	}
	v := embed.Vector{}
	for ix := range seen {
		v.Idx = append(v.Idx, ix)
	}
	slices.Sort(v.Idx)
	var n float64
	for range v.Idx {
		x := float32(r.NormFloat64())
		v.Val = append(v.Val, x)
		n += float64(x) * float64(x)
	}
	for i := range v.Val {
		v.Val[i] /= float32(math.Sqrt(n))
	}
	return v
}

package hnsw

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/kindred-search/kindred/embed"
)

// The comparison split in two (filter hits first, then their products) gives dot's and
// embed.Dot's bits, for vectors that share many features, few, and none.
func TestDotAt(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var tb table
	for i := range 300 {
		q := randVec(r, 1+r.IntN(300), 1<<20)
		var v embed.Vector
		switch i % 3 {
		case 0: // half of q's features and some of its own
			v = mixVec(r, q, 0.5, 1<<20)
		case 1: // a dense space: many collisions of filter positions
			q, v = randVec(r, 200, 1<<12), randVec(r, 200, 1<<12)
		default:
			v = randVec(r, 1+r.IntN(300), 1<<20)
		}
		tb.load(q)
		nv := makeNvec(v)
		hits := tb.filterHits(nv, nil)
		got, want := tb.dotAt(nv, hits), tb.dot(nv)
		if math.Float32bits(got) != math.Float32bits(want) || got != embed.Dot(q, v) {
			t.Fatalf("case %d: dotAt %v, dot %v, embed.Dot %v", i, got, want, embed.Dot(q, v))
		}
	}
}

// mixVec is a vector with a share of q's features (and values) and random others.
func mixVec(r *rand.Rand, q embed.Vector, share float64, dim uint32) embed.Vector {
	m := map[uint32]float32{}
	for i, ix := range q.Idx {
		if r.Float64() < share {
			m[ix] = q.Val[i]
		}
	}
	o := randVec(r, 1+r.IntN(200), dim)
	for i, ix := range o.Idx {
		m[ix] = o.Val[i]
	}
	v := embed.Vector{}
	for ix := range m {
		v.Idx = append(v.Idx, ix)
	}
	slices.Sort(v.Idx)
	for _, ix := range v.Idx {
		v.Val = append(v.Val, m[ix])
	}
	return v
}

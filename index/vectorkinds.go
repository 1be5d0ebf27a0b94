package index

import (
	"io"

	"github.com/kindred-search/kindred/index/vector"
)

// vectorKind is one vector index implementation the vectors file can hold.
type vectorKind struct {
	name string
	read func(io.Reader) (vector.Index, error)
}

const (
	kindExact uint32 = 1
	kindHNSW  uint32 = 2
)

var vectorKinds = map[uint32]vectorKind{
	kindExact: {VectorExact, func(r io.Reader) (vector.Index, error) { return vector.ReadExact(r) }},
	kindHNSW:  {VectorHNSW, readGraph},
}

func kindOf(v vector.Index) uint32 {
	if _, ok := v.(*vector.Exact); ok {
		return kindExact
	}
	return kindHNSW
}

// newVectorIndex returns an empty vector index of the configured kind for a corpus of about n papers.
func (ix *Index) newVectorIndex(n int) vector.Index {
	switch ix.opts.VectorIndex {
	case VectorExact:
		return vector.NewExact()
	case VectorHNSW:
		return ix.newGraph()
	}
	if n >= ix.opts.ExactBelow {
		return ix.newGraph()
	}
	return vector.NewExact()
}

// growVectorIndex moves an exact index that outgrew Options.ExactBelow into a graph (VectorAuto only).
// Called with wmu held.
func (ix *Index) growVectorIndex() error {
	if ix.opts.VectorIndex != VectorAuto || kindOf(ix.vec) != kindExact || ix.vec.Len() < ix.opts.ExactBelow {
		return nil
	}
	g := ix.newGraph()
	var keys []string
	ix.vec.Keys(func(k string) bool { keys = append(keys, k); return true })
	vecs := make([]embedVector, len(keys))
	for i, k := range keys {
		vecs[i], _ = ix.vec.Get(k)
	}
	if err := addAll(g, keys, vecs); err != nil {
		return err
	}
	ix.publish(func() { ix.vec = g })
	return nil
}

func describeVectorIndex(v vector.Index) (string, any) {
	if d, ok := v.(interface{ Describe() any }); ok {
		return vectorKinds[kindOf(v)].name, d.Describe()
	}
	return vectorKinds[kindOf(v)].name, nil
}

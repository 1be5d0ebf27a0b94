package embed

import (
	"fmt"
	"math"
)

// Vector is a sparse vector: Idx holds feature indices in strictly increasing order, Val the weight of
// each. Vectors made by an Embedder are L2-normalised, so Dot of two of them is their cosine similarity.
type Vector struct {
	Idx []uint32
	Val []float32
}

// Len is the number of non-zero entries.
func (v Vector) Len() int { return len(v.Idx) }

// Dot returns the dot product of two sparse vectors by merging their sorted indices.
// Cost: O(a.Len() + b.Len()).
func Dot(a, b Vector) float32 {
	var s float32
	i, j := 0, 0
	for i < len(a.Idx) && j < len(b.Idx) {
		ai, bj := a.Idx[i], b.Idx[j]
		switch {
		case ai == bj:
			s += a.Val[i] * b.Val[j]
			i++
			j++
		case ai < bj:
			i++
		default:
			j++
		}
	}
	return s
}

// Norm returns the L2 norm of v.
func (v Vector) Norm() float64 {
	var s float64
	for _, x := range v.Val {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// Check reports whether v is well formed: equal lengths, indices strictly increasing and below dim
// (dim 0 skips that check), and every value finite.
func (v Vector) Check(dim uint32) error {
	if len(v.Idx) != len(v.Val) {
		return fmt.Errorf("vector has %d indices but %d values", len(v.Idx), len(v.Val))
	}
	for i, ix := range v.Idx {
		if i > 0 && ix <= v.Idx[i-1] {
			return fmt.Errorf("vector indices not strictly increasing at position %d", i)
		}
		if dim > 0 && ix >= dim {
			return fmt.Errorf("vector index %d out of range [0,%d)", ix, dim)
		}
		if f := float64(v.Val[i]); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("vector value at position %d is not finite", i)
		}
	}
	return nil
}

// Clone returns a deep copy of v.
func (v Vector) Clone() Vector {
	return Vector{Idx: append([]uint32(nil), v.Idx...), Val: append([]float32(nil), v.Val...)}
}

package annbench

import (
	"math"

	"github.com/kindred-search/kindred/embed"
)

// DefaultFoldDim is the number of dense dimensions sparse vectors are folded into for coder/hnsw:
// 1024 float32s (4 KiB a vector) is about what a sparse 230-entry abstract takes (1.8 KiB) twice
// over, and a common size for dense text embeddings.
const DefaultFoldDim = 1024

// fold maps a sparse vector to d dense dimensions: feature i adds its (signed) value to dimension
// i mod d; the result is L2-normalised again, so that collisions do not change its length. A vector
// that folds to zero stays zero.
func fold(v embed.Vector, d int) []float32 {
	out := make([]float32, d)
	for i, ix := range v.Idx {
		out[int(ix%uint32(d))] += v.Val[i]
	}
	var n float64
	for _, x := range out {
		n += float64(x) * float64(x)
	}
	if n > 0 {
		inv := float32(1 / math.Sqrt(n))
		for i := range out {
			out[i] *= inv
		}
	}
	return out
}

func denseDot(a, b []float32) float32 {
	var s float32
	b = b[:len(a)]
	for i, x := range a {
		s += x * b[i]
	}
	return s
}

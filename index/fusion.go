package index

import (
	"cmp"
	"math"
	"slices"
)

// Fusion names a way of merging the keyword and vector candidate lists.
type Fusion string

// Fusion families.
const (
	// FusionConvex scores alpha*vector + (1-alpha)*keyword over min-max normalised scores.
	FusionConvex Fusion = "convex"
	// FusionRRF scores sum over lists of 1/(k + rank).
	FusionRRF Fusion = "rrf"
)

// Candidate is one entry of a ranked list: an ID and the score its ranker gave.
type Candidate struct {
	ID    string
	Score float64
}

// Fused is one entry of a fused ranking. Ranks are 1-based; 0 means "not in that list".
type Fused struct {
	ID          string
	Score       float64
	KeywordRank int
	KeywordRaw  float64
	VectorRank  int
	VectorRaw   float64
	// KeywordPart and VectorPart are what each side added to Score (they sum to it).
	KeywordPart float64
	VectorPart  float64
}

// Norm names a score normalisation for convex fusion.
type Norm string

// Normalisations.
const (
	// NormMinMax maps each list's scores onto [0,1] from its lowest to its highest.
	NormMinMax Norm = "minmax"
	// NormMax divides each list's scores by its highest, using the theoretical lower bound 0 of both
	// BM25 and cosine similarity instead of the window's lowest score.
	NormMax Norm = "max"
	// NormZ standardises each list's scores (z-scores), then shifts them so the list's lowest is 0.
	NormZ Norm = "z"
	// NormNone uses the scores as they are: for sides already on one absolute scale (see
	// selfNormalised).
	NormNone Norm = "none"
)

// FuseOptions parameterise Fuse.
type FuseOptions struct {
	Method Fusion
	Alpha  float64 // convex: weight of the vector side, in [0,1]
	K      int     // rrf: the k constant, >= 1
	Norm   Norm    // convex: score normalisation, default NormMinMax
}

// Fuse merges two ranked candidate lists (each best first, IDs unique within a list) into one ranking,
// best first, ties broken by ID. It is a pure function.
//
// Convex fusion min-max normalises each list's scores into [0,1] over the list (a list whose scores are
// all equal normalises to 1), and a candidate absent from a list scores 0 on that side. An empty list
// contributes nothing, so when one side has no candidates (a query with no known terms, say) the other
// side's order is kept as is rather than diluted.
func Fuse(keyword, vec []Candidate, o FuseOptions) []Fused {
	byID := make(map[string]*Fused, len(keyword)+len(vec))
	out := make([]*Fused, 0, len(keyword)+len(vec))
	get := func(id string) *Fused {
		f, ok := byID[id]
		if !ok {
			f = &Fused{ID: id}
			byID[id] = f
			out = append(out, f)
		}
		return f
	}
	for i, c := range keyword {
		f := get(c.ID)
		f.KeywordRank, f.KeywordRaw = i+1, c.Score
	}
	for i, c := range vec {
		f := get(c.ID)
		f.VectorRank, f.VectorRaw = i+1, c.Score
	}
	switch o.Method {
	case FusionRRF:
		k := float64(max(o.K, 1))
		for _, f := range out {
			if f.KeywordRank > 0 {
				f.KeywordPart = 1 / (k + float64(f.KeywordRank))
			}
			if f.VectorRank > 0 {
				f.VectorPart = 1 / (k + float64(f.VectorRank))
			}
			f.Score = f.KeywordPart + f.VectorPart
		}
	default:
		alpha := o.Alpha
		if len(vec) == 0 {
			alpha = 0
		} else if len(keyword) == 0 {
			alpha = 1
		}
		kn, vn := normaliser(keyword, o.Norm), normaliser(vec, o.Norm)
		for _, f := range out {
			if f.KeywordRank > 0 {
				f.KeywordPart = (1 - alpha) * kn(f.KeywordRaw)
			}
			if f.VectorRank > 0 {
				f.VectorPart = alpha * vn(f.VectorRaw)
			}
			f.Score = f.KeywordPart + f.VectorPart
		}
	}
	res := make([]Fused, len(out))
	for i, f := range out {
		res[i] = *f
	}
	slices.SortFunc(res, func(a, b Fused) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return res
}

// normaliser returns the normalisation n over the list's scores.
func normaliser(l []Candidate, n Norm) func(float64) float64 {
	if len(l) == 0 {
		return func(float64) float64 { return 0 }
	}
	lo, hi, sum := l[0].Score, l[0].Score, 0.0
	for _, c := range l {
		lo, hi, sum = min(lo, c.Score), max(hi, c.Score), sum+c.Score
	}
	switch n {
	case NormNone:
		return func(s float64) float64 { return s }
	case NormMax:
		if hi <= 0 {
			return func(float64) float64 { return 0 }
		}
		return func(s float64) float64 { return max(s, 0) / hi }
	case NormZ:
		mean := sum / float64(len(l))
		var ss float64
		for _, c := range l {
			ss += (c.Score - mean) * (c.Score - mean)
		}
		sd := math.Sqrt(ss / float64(len(l)))
		if sd == 0 {
			return func(float64) float64 { return 1 }
		}
		return func(s float64) float64 { return (s - lo) / sd }
	}
	if hi <= 0 {
		return func(float64) float64 { return 0 } // no evidence is not full evidence
	}
	if hi == lo {
		return func(float64) float64 { return 1 }
	}
	return func(s float64) float64 { return (s - lo) / (hi - lo) }
}

// singleSide ranks one list on its own raw scores, in its own order (keyword or vector mode).
func singleSide(l []Candidate, keyword bool) []Fused {
	out := make([]Fused, len(l))
	for i, c := range l {
		f := Fused{ID: c.ID, Score: c.Score}
		if keyword {
			f.KeywordRank, f.KeywordRaw, f.KeywordPart = i+1, c.Score, c.Score
		} else {
			f.VectorRank, f.VectorRaw, f.VectorPart = i+1, c.Score, c.Score
		}
		out[i] = f
	}
	return out
}

// sortCandidates orders candidates best first, equal scores by ID.
func sortCandidates(c []Candidate) {
	slices.SortFunc(c, func(a, b Candidate) int {
		if d := cmp.Compare(b.Score, a.Score); d != 0 {
			return d
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

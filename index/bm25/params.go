package bm25

import "math"

// Params are the BM25 parameters. They are fixed when a Store is created (its bounds depend on them).
type Params struct {
	// K1 is the term-frequency saturation. Default 0.9.
	K1 float64
	// B is the length normalisation. Default 0.4. k1 0.9 and b 0.4 are Anserini's defaults and were
	// the best pair on the SciFact training split (README, "How ranking works").
	B float64
	// TitleWeight is how many times the title counts in the virtual document. Default 3: on the SciFact
	// training split 1 / 2 / 3 / 4 / 5 scored keyword nDCG@10 0.698 / 0.699 / 0.701 / 0.701 / 0.701 and
	// hybrid 0.707 at 2 and 3, 0.706 at 4; on 500 known-item queries of 2-4 title words of the arXiv
	// file, keyword MRR@10 0.426 / 0.479 / 0.513 / 0.531 (they favour titles by construction).
	TitleWeight int
}

// DefaultParams returns the documented defaults.
func DefaultParams() Params { return Params{K1: 0.9, B: 0.4, TitleWeight: 3} }

func (p Params) withDefaults() Params {
	d := DefaultParams()
	if p.K1 == 0 {
		p.K1 = d.K1
	}
	if p.B == 0 {
		p.B = d.B
	}
	if p.TitleWeight == 0 {
		p.TitleWeight = d.TitleWeight
	}
	return p
}

// IDF is BM25's inverse document frequency of a term found in df of n documents. It is positive for
// every df <= n, so every matching term adds to a score.
func IDF(n, df float64) float64 { return math.Log(1 + (n-df+0.5)/(df+0.5)) }

// lengthNorm holds the per-query constants of the length normalisation: a document of length dl
// normalises to a + c·dl.
type lengthNorm struct{ a, c float64 }

func (p Params) norm(avgdl float64) lengthNorm {
	if avgdl <= 0 {
		avgdl = 1
	}
	return lengthNorm{a: p.K1 * (1 - p.B), c: p.K1 * p.B / avgdl}
}

// impact is the saturated, length-normalised term frequency: tf·(k1+1)/(tf + k1·(1−b+b·dl/avgdl)).
// A term's score in a document is weight · idf · impact.
func (p Params) impact(tf float64, dl uint32, n lengthNorm) float64 {
	return tf * (p.K1 + 1) / (tf + n.a + n.c*float64(dl))
}

// MaxImpact is the highest impact any posting can have: k1 + 1 (tf going to infinity).
func (p Params) MaxImpact() float64 { return p.K1 + 1 }

package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/paper"
)

// RecommendRequest asks for papers like a set of seed papers and, optionally, unlike others: the
// shape of Semantic Scholar's recommendations API, and of a reading list's "more like these".
type RecommendRequest struct {
	// Positive are the IDs of the papers to find more of (1 to MaxSeeds).
	Positive []string
	// Negative are the IDs of papers whose topics to steer away from (0 to MaxSeeds).
	Negative []string
	Ranking
	// IDsOnly leaves the records and shared terms out of the results (see Request.IDsOnly).
	IDsOnly bool
}

// MaxSeeds bounds each list of seeds.
const MaxSeeds = 100

// Rocchio's weights (Rocchio 1971; Manning, Raghavan & Schütze, "Introduction to Information
// Retrieval", 9.1.1): the query is the positives' centroid minus negBeta times the negatives'.
const negBeta = 0.5

// Recommend ranks the papers most like the positive seeds and least like the negative ones; no seed
// is ever a result. The vector side searches the Rocchio vector (the positives' centroid minus half
// the negatives'); the keyword side is a "more like this" query of the terms the positives share,
// less the negatives' terms; both are fused as related papers are.
func (ix *Index) Recommend(ctx context.Context, req RecommendRequest) (Response, error) {
	start := time.Now()
	if len(req.Positive) == 0 {
		return Response{}, paramErr("positive", "positive must list at least one paper ID")
	}
	if len(req.Positive) > MaxSeeds || len(req.Negative) > MaxSeeds {
		return Response{}, paramErr("positive", "at most %d positive and %d negative papers", MaxSeeds, MaxSeeds)
	}
	r, err := ix.resolveRelated(req.Ranking)
	if err != nil {
		return Response{}, err
	}
	if req.Ranking.Alpha == nil {
		r.fuse.Alpha = ix.opts.Ranking.RecommendAlpha
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return Response{}, ErrClosed
	}
	skip := map[string]bool{}
	for _, id := range append(slices.Clone(req.Positive), req.Negative...) {
		skip[id] = true
	}
	ids := slices.Compact(slices.Sorted(func(yield func(string) bool) {
		for id := range skip {
			if !yield(id) {
				return
			}
		}
	}))
	papers, err := ix.fetch(ctx, ids)
	if err != nil {
		return Response{}, err
	}
	for _, id := range ids {
		if _, ok := papers[id]; !ok {
			return Response{}, fmt.Errorf("%w: %q", ErrNotFound, id)
		}
	}
	var pos, neg []embed.Vector
	for _, id := range req.Positive {
		if v, ok := ix.vec.Get(id); ok {
			pos = append(pos, v)
		}
	}
	for _, id := range req.Negative {
		if v, ok := ix.vec.Get(id); ok {
			neg = append(neg, v)
		}
	}
	src := likeSource{vec: rocchio(pos, neg, ix.emb.Options().TopK), seeds: skip}
	src.terms = func() ([]weightedTerm, error) { return ix.seedTerms(papers, req.Positive, req.Negative), nil }
	return ix.rankLike(ctx, r, req.Filter, req.IDsOnly, src, start)
}

// seedTerms is the "more like this" terms of a set of seeds: each positive's selected terms at its
// share of the weight, less negBeta times the negatives', the 2·mltTerms heaviest that stay positive.
func (ix *Index) seedTerms(papers map[string]paper.Paper, positive, negative []string) []weightedTerm {
	terms := map[string]float64{}
	selected := map[string]weightedTerm{} // a positive's selection of the term, for its number and surface
	for _, id := range positive {
		for _, t := range ix.selectTerms(EmbedText(papers[id]), mltTerms) {
			terms[t.term] += t.weight / float64(len(positive))
			selected[t.term] = t
		}
	}
	for _, id := range negative {
		for _, t := range ix.selectTerms(EmbedText(papers[id]), mltTerms) {
			terms[t.term] -= negBeta * t.weight / float64(len(negative))
		}
	}
	src := make([]weightedTerm, 0, len(terms))
	for t, w := range terms {
		if w > 0 {
			src = append(src, weightedTerm{id: selected[t].id, term: t, surface: selected[t].surface, weight: w})
		}
	}
	slices.SortFunc(src, func(a, b weightedTerm) int {
		if c := cmp.Compare(b.weight, a.weight); c != 0 {
			return c
		}
		return cmp.Compare(a.term, b.term)
	})
	return src[:min(len(src), 2*mltTerms)]
}

// dropSeeds keeps the first n candidates that are not seeds.
func dropSeeds(c []Candidate, skip map[string]bool, n int) []Candidate {
	out := make([]Candidate, 0, min(len(c), n))
	for _, x := range c {
		if !skip[x.ID] && len(out) < n {
			out = append(out, x)
		}
	}
	return out
}

// rocchio returns the positives' centroid minus negBeta times the negatives' centroid, cut to its
// topK largest weights by magnitude and L2-normalised.
func rocchio(pos, neg []embed.Vector, topK int) embed.Vector {
	acc := map[uint32]float64{}
	for _, v := range pos {
		for i, ix := range v.Idx {
			acc[ix] += float64(v.Val[i]) / float64(len(pos))
		}
	}
	for _, v := range neg {
		for i, ix := range v.Idx {
			acc[ix] -= negBeta * float64(v.Val[i]) / float64(len(neg))
		}
	}
	type entry struct {
		ix uint32
		w  float64
	}
	ents := make([]entry, 0, len(acc))
	for ix, w := range acc {
		if w != 0 {
			ents = append(ents, entry{ix, w})
		}
	}
	slices.SortFunc(ents, func(a, b entry) int {
		if c := cmp.Compare(math.Abs(b.w), math.Abs(a.w)); c != 0 {
			return c
		}
		return cmp.Compare(a.ix, b.ix)
	})
	ents = ents[:min(len(ents), topK)]
	slices.SortFunc(ents, func(a, b entry) int { return cmp.Compare(a.ix, b.ix) })
	var norm float64
	for _, e := range ents {
		norm += e.w * e.w
	}
	if norm == 0 {
		return embed.Vector{}
	}
	v := embed.Vector{Idx: make([]uint32, len(ents)), Val: make([]float32, len(ents))}
	for i, e := range ents {
		v.Idx[i], v.Val[i] = e.ix, float32(e.w/math.Sqrt(norm))
	}
	return v
}

// SplitIDs splits comma-separated paper IDs, trimming them and dropping empty ones.
func SplitIDs(s string) []string {
	var out []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

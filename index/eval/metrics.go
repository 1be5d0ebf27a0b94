// Package eval scores rankings against relevance judgements: nDCG@10, Recall@100 and MRR@10, the
// figures `kindred eval` prints, and writes TREC run files any external scorer can check.
//
//	qrels, _ := eval.ReadQrels(f)          // BEIR qrels TSV
//	queries, _ := eval.ReadQueries(g)      // BEIR queries.jsonl
//	rep, _ := eval.Run(ctx, ix, queries, qrels, eval.Options{Mode: index.ModeHybrid})
//	fmt.Println(rep.NDCG10, rep.Recall100, rep.MRR10)
package eval

import (
	"math"
	"slices"
)

// Qrels maps query ID -> document ID -> graded relevance (> 0 is relevant).
type Qrels map[string]map[string]int

// NDCG is nDCG@k with linear gain (as trec_eval's ndcg_cut): DCG = sum rel_i / log2(i+1) over the
// top k of ranked, divided by the DCG of the ideal order of the judged documents.
func NDCG(ranked []string, rel map[string]int, k int) float64 {
	var dcg float64
	for i, id := range ranked[:min(k, len(ranked))] {
		if g := rel[id]; g > 0 {
			dcg += float64(g) / math.Log2(float64(i+2))
		}
	}
	gains := make([]int, 0, len(rel))
	for _, g := range rel {
		if g > 0 {
			gains = append(gains, g)
		}
	}
	slices.SortFunc(gains, func(a, b int) int { return b - a })
	var idcg float64
	for i, g := range gains[:min(k, len(gains))] {
		idcg += float64(g) / math.Log2(float64(i+2))
	}
	if idcg == 0 {
		return 0
	}
	return dcg / idcg
}

// Recall is the share of relevant documents found in the top k.
func Recall(ranked []string, rel map[string]int, k int) float64 {
	total := 0
	for _, g := range rel {
		if g > 0 {
			total++
		}
	}
	if total == 0 {
		return 0
	}
	found := 0
	for _, id := range ranked[:min(k, len(ranked))] {
		if rel[id] > 0 {
			found++
		}
	}
	return float64(found) / float64(total)
}

// MRR is the reciprocal rank of the first relevant document in the top k, or 0.
func MRR(ranked []string, rel map[string]int, k int) float64 {
	for i, id := range ranked[:min(k, len(ranked))] {
		if rel[id] > 0 {
			return 1 / float64(i+1)
		}
	}
	return 0
}

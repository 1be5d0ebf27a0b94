package eval

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/kindred-search/kindred/index"
)

// Searcher is what Run needs of the engine.
type Searcher interface {
	Search(ctx context.Context, req index.Request) (index.Response, error)
}

// Options configure Run.
type Options struct {
	Mode   index.Mode
	Fusion index.Fusion
	Alpha  *float64
	// Depth is how many results each query retrieves (and the run file holds). Default 100.
	Depth int
}

// Ranking is one query's ranked document IDs and scores.
type Ranking struct {
	QueryID string
	IDs     []string
	Scores  []float64
}

// Report is the outcome of one evaluation run.
type Report struct {
	Mode      index.Mode    `json:"mode"`
	Queries   int           `json:"queries"`
	NDCG10    float64       `json:"ndcg_at_10"`
	Recall100 float64       `json:"recall_at_100"`
	MRR10     float64       `json:"mrr_at_10"`
	MedianMS  float64       `json:"median_query_ms"`
	Rankings  []Ranking     `json:"-"`
	Elapsed   time.Duration `json:"-"`
}

// Run searches every query that has judgements and averages the metrics over them. Queries are
// searched as plain text (query syntax characters escaped).
func Run(ctx context.Context, s Searcher, queries []Query, qrels Qrels, o Options) (Report, error) {
	depth := o.Depth
	if depth == 0 {
		depth = 100
	}
	rep := Report{Mode: o.Mode}
	var times []time.Duration
	start := time.Now()
	for _, q := range queries {
		rel, ok := qrels[q.ID]
		if !ok {
			continue
		}
		t0 := time.Now()
		res, err := s.Search(ctx, index.Request{Query: index.EscapeQuery(q.Text), Mode: o.Mode, Limit: depth,
			Fusion: o.Fusion, Alpha: o.Alpha})
		times = append(times, time.Since(t0))
		if err != nil {
			return rep, fmt.Errorf("query %s: %w", q.ID, err)
		}
		r := Ranking{QueryID: q.ID}
		for _, x := range res.Results {
			r.IDs = append(r.IDs, x.Paper.ID)
			r.Scores = append(r.Scores, x.Score)
		}
		rep.Rankings = append(rep.Rankings, r)
		rep.NDCG10 += NDCG(r.IDs, rel, 10)
		rep.Recall100 += Recall(r.IDs, rel, 100)
		rep.MRR10 += MRR(r.IDs, rel, 10)
	}
	rep.Elapsed = time.Since(start)
	rep.Queries = len(rep.Rankings)
	if rep.Queries == 0 {
		return rep, fmt.Errorf("no query has judgements in the qrels")
	}
	n := float64(rep.Queries)
	rep.NDCG10 /= n
	rep.Recall100 /= n
	rep.MRR10 /= n
	slices.Sort(times)
	rep.MedianMS = float64(times[len(times)/2].Microseconds()) / 1000
	return rep, nil
}

// WriteRun writes rankings in the standard TREC run format: "qid Q0 docid rank score tag" per line.
func WriteRun(w io.Writer, rankings []Ranking, tag string) error {
	bw := bufio.NewWriter(w)
	for _, r := range rankings {
		for i, id := range r.IDs {
			fmt.Fprintf(bw, "%s Q0 %s %d %.6f %s\n", r.QueryID, id, i+1, r.Scores[i], tag)
		}
	}
	return bw.Flush()
}

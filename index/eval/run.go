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
	Related(ctx context.Context, id string, req index.RelatedRequest) (index.Response, error)
	Similar(ctx context.Context, text string, req index.RelatedRequest) (index.Response, error)
	Recommend(ctx context.Context, req index.RecommendRequest) (index.Response, error)
}

// Task is what the queries are.
type Task string

// Tasks.
const (
	// TaskSearch: queries are texts searched as plain words (query syntax escaped).
	TaskSearch Task = "search"
	// TaskRelated: queries are IDs of papers in the index; each is ranked against the others (it never
	// counts as a result of its own).
	TaskRelated Task = "related"
	// TaskSimilar: queries are texts, such as abstracts, given to Similar.
	TaskSimilar Task = "similar"
	// TaskRecommend: queries are seed papers (positive, and optionally negative IDs) given to
	// Recommend; no seed counts as a result.
	TaskRecommend Task = "recommend"
)

// ParseTask accepts "search" (or ""), "related" and "similar".
func ParseTask(s string) (Task, error) {
	switch Task(s) {
	case "", TaskSearch:
		return TaskSearch, nil
	case TaskRelated, TaskSimilar, TaskRecommend:
		return Task(s), nil
	}
	return "", fmt.Errorf("unknown task %q (want search, related, similar or recommend)", s)
}

// Options configure Run.
type Options struct {
	Task   Task // default TaskSearch
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

// Failure is a query that failed: it counts as one with no results.
type Failure struct {
	QueryID string `json:"query_id"`
	Error   string `json:"error"`
}

// Report is the outcome of one evaluation run.
type Report struct {
	Task      Task          `json:"task"`
	Mode      index.Mode    `json:"mode"`
	Queries   int           `json:"queries"`
	NDCG10    float64       `json:"ndcg_at_10"`
	Recall100 float64       `json:"recall_at_100"`
	MRR10     float64       `json:"mrr_at_10"`
	MedianMS  float64       `json:"median_query_ms"`
	Failures  []Failure     `json:"failures,omitempty"`
	Rankings  []Ranking     `json:"-"`
	Elapsed   time.Duration `json:"-"`
}

// Run answers every query that has judgements and averages the metrics over them. A query that fails
// is reported in Failures and scores as no results; Run fails only when ctx is done or no query has
// judgements. Times are the engine's ranking alone: results carry IDs without their records (as a
// peer's timing of its match list does).
func Run(ctx context.Context, s Searcher, queries []Query, qrels Qrels, o Options) (Report, error) {
	depth := o.Depth
	if depth == 0 {
		depth = 100
	}
	task := o.Task
	if task == "" {
		task = TaskSearch
	}
	rep := Report{Task: task, Mode: o.Mode}
	rk := index.Ranking{Mode: o.Mode, Limit: depth, Fusion: o.Fusion, Alpha: o.Alpha}
	var times []time.Duration
	start := time.Now()
	for _, q := range queries {
		rel, ok := qrels[q.ID]
		if !ok {
			continue
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		t0 := time.Now()
		var res index.Response
		var err error
		switch task {
		case TaskRelated:
			res, err = s.Related(ctx, q.ID, index.RelatedRequest{Ranking: rk, IDsOnly: true})
		case TaskSimilar:
			res, err = s.Similar(ctx, q.Text, index.RelatedRequest{Ranking: rk, IDsOnly: true})
		case TaskRecommend:
			res, err = s.Recommend(ctx, index.RecommendRequest{Positive: q.Positive, Negative: q.Negative, Ranking: rk, IDsOnly: true})
		default:
			res, err = s.Search(ctx, index.Request{Query: index.EscapeQuery(q.Text), Ranking: rk, IDsOnly: true})
		}
		times = append(times, time.Since(t0))
		r := Ranking{QueryID: q.ID}
		if err != nil {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			rep.Failures = append(rep.Failures, Failure{QueryID: q.ID, Error: err.Error()})
		}
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

// QueriesFromQrels makes a query of every query ID of the judgements, in sorted order, with the ID
// as its text: the queries of TaskRelated, whose IDs are paper IDs.
func QueriesFromQrels(qr Qrels) []Query {
	ids := make([]string, 0, len(qr))
	for id := range qr {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]Query, len(ids))
	for i, id := range ids {
		out[i] = Query{ID: id, Text: id}
	}
	return out
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

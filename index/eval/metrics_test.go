package eval

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMetricsHandComputed(t *testing.T) {
	rel := map[string]int{"a": 1, "c": 1, "z": 1}
	l2 := math.Log2
	tests := []struct {
		name   string
		ranked []string
		ndcg   float64
		recall float64
		mrr    float64
	}{
		// DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) + 1/log2(4).
		{"a and c at 1 and 3", []string{"a", "b", "c"}, 1.5 / (1 + 1/l2(3) + 0.5), 2.0 / 3, 1},
		{"first hit at 2", []string{"b", "z"}, (1 / l2(3)) / (1 + 1/l2(3) + 0.5), 1.0 / 3, 0.5},
		{"ideal", []string{"a", "c", "z"}, 1, 1, 1},
		{"nothing relevant", []string{"x", "y"}, 0, 0, 0},
		{"empty ranking", nil, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := NDCG(tc.ranked, rel, 10); math.Abs(got-tc.ndcg) > 1e-12 {
				t.Errorf("NDCG = %v, want %v", got, tc.ndcg)
			}
			if got := Recall(tc.ranked, rel, 100); math.Abs(got-tc.recall) > 1e-12 {
				t.Errorf("Recall = %v, want %v", got, tc.recall)
			}
			if got := MRR(tc.ranked, rel, 10); math.Abs(got-tc.mrr) > 1e-12 {
				t.Errorf("MRR = %v, want %v", got, tc.mrr)
			}
		})
	}
	// Cut-offs apply: a hit at rank 11 counts for nothing in nDCG@10 and MRR@10.
	ranked := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "a"}
	if NDCG(ranked, rel, 10) != 0 || MRR(ranked, rel, 10) != 0 {
		t.Error("rank 11 counted at cut-off 10")
	}
	// Graded relevance: the higher grade first is ideal.
	graded := map[string]int{"hi": 2, "lo": 1}
	if got := NDCG([]string{"lo", "hi"}, graded, 10); got >= 1 {
		t.Errorf("swapped grades scored %v, want < 1", got)
	}
}

func TestReadQrels(t *testing.T) {
	tests := []struct {
		name, in string
		want     Qrels
		wantErr  bool
	}{
		{"beir with header", "query-id\tcorpus-id\tscore\n1\td1\t1\n1\td2\t2\n", Qrels{"1": {"d1": 1, "d2": 2}}, false},
		{"trec", "q1 0 d1 1\n", Qrels{"q1": {"d1": 1}}, false},
		{"bad grade", "1\td1\tyes\n", nil, true},
		{"too few fields", "1 d1\n", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadQrels(strings.NewReader(tc.in), "q.tsv")
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if diff := cmp.Diff(tc.want, got); !tc.wantErr && diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadQueries(t *testing.T) {
	got, err := ReadQueries(strings.NewReader(`{"_id":"0","text":"a claim"}`+"\n\n"+`{"id":"1","query":"q"}`+"\n"+
		`{"_id":"r","positive":["a","b"],"negative":["c"]}`+"\n"), "q.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	want := []Query{{ID: "0", Text: "a claim"}, {ID: "1", Text: "q"}, {ID: "r", Positive: []string{"a", "b"}, Negative: []string{"c"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := ReadQueries(strings.NewReader("{\"_id\":\"0\"}\n"), "q.jsonl"); err == nil || !strings.Contains(err.Error(), "q.jsonl:1") {
		t.Errorf("missing text: err = %v, want q.jsonl:1", err)
	}
}

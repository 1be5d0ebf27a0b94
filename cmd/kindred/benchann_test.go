package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestBenchANN(t *testing.T) {
	corpus := sampleCorpusFile(t)
	code, out, errOut := runBench(t, "ann", "--corpus", corpus, "--nq", "5", "--ef", "8,16", "--fold", "64")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var res map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		t.Fatalf("last line is not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"n", "queries", "recall_at_10", "exact_ms_p50", "hnsw_ms_p50", "speedup", "short_recall_at_10", "coder_recall_at_10"} {
		if _, ok := res[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	// 63 papers, 5 held out as queries (--nq): the graph over 58 must find the exact neighbours.
	if n := res["n"].(float64); n != 58 {
		t.Errorf("n = %v, want 58", n)
	}
	if r := res["recall_at_10"].(float64); r < 0.9 {
		t.Errorf("recall@10 = %v on 58 papers, want >= 0.9", r)
	}
}

func TestBenchANNUsage(t *testing.T) {
	for _, args := range [][]string{{"ann"}, {"ann", "--corpus", "x", "extra"}, {"ann", "--corpus", "x", "--ef", "0"}} {
		if code, _, _ := runBench(t, args...); code != exitUsage {
			t.Errorf("bench %v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

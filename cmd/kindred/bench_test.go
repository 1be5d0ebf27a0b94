package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kindred-search/kindred/index/sample"
)

// sampleCorpusFile writes the built-in sample (63 papers) to a file, as a user's corpus would be.
func sampleCorpusFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), sample.Name)
	b, err := io.ReadAll(sample.Open())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// tinyBench are the flags of a run that takes a second or two.
var tinyBench = []string{"--short", "20", "--titles", "10", "--related", "10", "--warmup", "2",
	"--http-seconds", "2", "--http-requests", "10", "--quiet"}

func runBench(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(t.Context(), append([]string{"bench"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// benchKeys are the keys the issue promises in `kindred bench --json`, as paths.
var benchKeys = func() []string {
	keys := []string{"n", "index_seconds", "index_rate_per_s", "peak_rss_mb", "disk_bytes_per_paper", "reopen_ms", "first_query_ms"}
	for _, m := range []string{"keyword", "vector", "hybrid", "related"} {
		keys = append(keys, "latency_ms."+m+".p50", "latency_ms."+m+".p99", "latency_ms."+m+".qps", "latency_ms."+m+".errors")
	}
	for _, m := range []string{"keyword", "vector", "hybrid"} {
		keys = append(keys, "latency_ms_titles."+m+".p50", "latency_ms_titles."+m+".p99")
	}
	for _, c := range []string{"c1", "c8", "c32"} {
		for _, k := range []string{"qps", "hybrid_p50_ms", "hybrid_p99_ms", "errors"} {
			keys = append(keys, "http."+c+"."+k)
		}
	}
	return keys
}()

// lookup returns the value at a dotted path of a decoded JSON object.
func lookup(obj map[string]any, path string) (any, bool) {
	var v any = obj
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

func num(t *testing.T, obj map[string]any, path string) float64 {
	t.Helper()
	v, ok := lookup(obj, path)
	if !ok {
		t.Fatalf("no %s in the report", path)
	}
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("%s = %v, not a number", path, v)
	}
	return f
}

// checkReport checks that a report has every promised key and sane values for a run of n papers.
func checkReport(t *testing.T, obj map[string]any, n int) {
	t.Helper()
	for _, k := range benchKeys {
		if v := num(t, obj, k); v < 0 {
			t.Errorf("%s = %v, want >= 0", k, v)
		}
	}
	if got := num(t, obj, "n"); got != float64(n) {
		t.Errorf("n = %v, want %d", got, n)
	}
	for _, k := range []string{"index_seconds", "index_rate_per_s", "disk_bytes_per_paper", "reopen_ms"} {
		if num(t, obj, k) <= 0 {
			t.Errorf("%s = %v, want > 0", k, num(t, obj, k))
		}
	}
	if runtime.GOOS == "linux" && num(t, obj, "peak_rss_mb") <= 0 {
		t.Errorf("peak_rss_mb = %v on Linux, want > 0", num(t, obj, "peak_rss_mb"))
	}
	for _, m := range []string{"latency_ms.keyword", "latency_ms.vector", "latency_ms.hybrid", "latency_ms.related", "latency_ms_titles.hybrid"} {
		if p50, p99 := num(t, obj, m+".p50"), num(t, obj, m+".p99"); p50 <= 0 || p50 > p99 {
			t.Errorf("%s: p50 %v, p99 %v; want 0 < p50 <= p99", m, p50, p99)
		}
		if e := num(t, obj, m+".errors"); e != 0 {
			v, _ := lookup(obj, m+".first_error")
			t.Errorf("%s: %v errors, first: %v", m, e, v)
		}
	}
	for _, c := range []string{"c1", "c8", "c32"} {
		if e := num(t, obj, "http."+c+".errors"); e != 0 {
			v, _ := lookup(obj, "http."+c+".first_error")
			t.Errorf("http %s: %v errors, first: %v", c, e, v)
		}
		if r := num(t, obj, "http."+c+".requests"); r < 1 || r > 10 {
			t.Errorf("http %s: %v requests, want 1-10 (--http-requests 10)", c, r)
		}
		if num(t, obj, "http."+c+".qps") <= 0 || num(t, obj, "http."+c+".hybrid_p50_ms") <= 0 {
			t.Errorf("http %s: no successful request", c)
		}
	}
}

func TestBenchJSON(t *testing.T) {
	corpus := sampleCorpusFile(t)
	code, out, errs := runBench(t, append([]string{"--corpus", corpus, "--n", "50", "--json"}, tinyBench...)...)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errs)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(out), &obj); err != nil {
		t.Fatalf("--json output is not one JSON object: %v\n%s", err, out)
	}
	checkReport(t, obj, 50)
	if n := num(t, obj, "latency_ms.keyword.queries"); n != 20 {
		t.Errorf("%v keyword queries, want 20 (--short)", n)
	}
	if n := num(t, obj, "latency_ms.related.queries"); n != 10 {
		t.Errorf("%v related queries, want 10 (--related)", n)
	}
	if n := num(t, obj, "latency_ms_titles.keyword.queries"); n != 10 {
		t.Errorf("%v title queries, want 10 (--titles)", n)
	}
	if errs != "" {
		t.Errorf("--quiet wrote to stderr:\n%s", errs)
	}
}

// TestBenchTableAndReuse prints the table into a kept data directory, then benchmarks that index again
// without re-indexing it.
func TestBenchTableAndReuse(t *testing.T) {
	corpus := sampleCorpusFile(t)
	data := filepath.Join(t.TempDir(), "data")
	code, out, errs := runBench(t, append([]string{"--corpus", corpus, "--data", data}, tinyBench...)...)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errs)
	}
	for _, want := range []string{"papers/s", "keyword, short", "hybrid, titles", "related", "c32"} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var obj map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &obj); err != nil {
		t.Fatalf("the last line is not the JSON report: %v\n%s", err, out)
	}
	checkReport(t, obj, 63)

	code, out, errs = runBench(t, append(append([]string{"--corpus", corpus, "--data", data, "--reuse", "--json"}, tinyBench...), "--titles", "0")...)
	if code != exitOK {
		t.Fatalf("--reuse: exit %d; stderr:\n%s", code, errs)
	}
	obj = nil
	if err := json.Unmarshal([]byte(out), &obj); err != nil {
		t.Fatal(err)
	}
	if obj["reused"] != true || num(t, obj, "n") != 63 || num(t, obj, "index_seconds") != 0 || num(t, obj, "latency_ms.hybrid.errors") != 0 {
		t.Errorf("--reuse: reused %v, n %v, index_seconds %v, hybrid errors %v; want true, 63, 0, 0",
			obj["reused"], obj["n"], obj["index_seconds"], num(t, obj, "latency_ms.hybrid.errors"))
	}
	if _, ok := obj["latency_ms_titles"]; ok {
		t.Errorf("--titles 0 still reported full-title latencies")
	}
}

func TestBenchErrors(t *testing.T) {
	corpus := sampleCorpusFile(t)
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no corpus", nil, exitUsage, "--corpus is required"},
		{"reuse without data", []string{"--corpus", corpus, "--reuse"}, exitUsage, "--reuse needs --data"},
		{"bad clients", []string{"--corpus", corpus, "--clients", "1,x"}, exitUsage, "--clients"},
		{"no clients", []string{"--corpus", corpus, "--clients", ","}, exitUsage, "--clients"},
		{"bad vector index", []string{"--corpus", corpus, "--vector-index", "flat"}, exitUsage, "--vector-index"},
		{"zero seconds", []string{"--corpus", corpus, "--http-seconds", "0"}, exitUsage, "--http-seconds"},
		{"negative n", []string{"--corpus", corpus, "--n", "-1"}, exitUsage, "negative"},
		{"zero short", []string{"--corpus", corpus, "--short", "0"}, exitUsage, "--short"},
		{"arguments", []string{"--corpus", corpus, "extra"}, exitUsage, "unexpected arguments"},
		{"missing corpus", []string{"--corpus", filepath.Join(t.TempDir(), "none.jsonl")}, exitFailure, "no such file"},
		{"data not empty", []string{"--corpus", corpus, "--data", full, "--quiet"}, exitFailure, "not empty"},
		{"reuse of no index", []string{"--corpus", corpus, "--data", t.TempDir(), "--reuse", "--quiet"}, exitFailure, "holds no index"},
		{"missing queries", []string{"--corpus", corpus, "--queries", filepath.Join(t.TempDir(), "q.jsonl")}, exitFailure, "queries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runBench(t, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, tt.code, tt.want)
			}
		})
	}
	if ents, err := os.ReadDir(full); err != nil || len(ents) != 1 {
		t.Errorf("the non-empty data directory was touched: %v %v", ents, err)
	}
}

// TestBenchQueriesFile replaces the sampled queries with a BEIR queries file, and an interrupt stops
// the run.
func TestBenchQueriesFile(t *testing.T) {
	corpus := sampleCorpusFile(t)
	qf := filepath.Join(t.TempDir(), "queries.jsonl")
	q := `{"_id": "1", "text": "Pruning: (large) language models?"}` + "\n" + `{"_id": "2", "text": "video generation"}` + "\n"
	if err := os.WriteFile(qf, []byte(q), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runBench(t, append([]string{"--corpus", corpus, "--queries", qf, "--json"}, tinyBench...)...)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errs)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(out), &obj); err != nil {
		t.Fatal(err)
	}
	if n, e := num(t, obj, "latency_ms.hybrid.queries"), num(t, obj, "latency_ms.hybrid.errors"); n != 2 || e != 0 {
		t.Errorf("hybrid: %v queries, %v errors; want the file's 2 and none", n, e)
	}
	if _, ok := obj["latency_ms_titles"]; ok {
		t.Errorf("a queries file still reported full-title latencies")
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var stderr bytes.Buffer
	if code := run(ctx, []string{"bench", "--corpus", corpus, "--quiet"}, strings.NewReader(""), io.Discard, &stderr); code != exitFailure || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("a cancelled run: exit %d, stderr %q; want %d and interrupted", code, stderr.String(), exitFailure)
	}
}

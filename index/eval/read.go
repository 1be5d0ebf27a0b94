package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Query is one evaluation query: a text, or (for TaskRecommend) seed paper IDs.
type Query struct {
	ID       string
	Text     string
	Positive []string
	Negative []string
}

// ReadQueries reads BEIR queries.jsonl ({"_id","text"} per line; "id"/"query" are accepted too).
func ReadQueries(r io.Reader, name string) ([]Query, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	var out []Query
	for line := 1; sc.Scan(); line++ {
		b := strings.TrimSpace(sc.Text())
		if b == "" {
			continue
		}
		var q struct {
			ID       string   `json:"_id"`
			ID2      string   `json:"id"`
			Text     string   `json:"text"`
			Query    string   `json:"query"`
			Positive []string `json:"positive"`
			Negative []string `json:"negative"`
		}
		if err := json.Unmarshal([]byte(b), &q); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		id, text := cmpOr(q.ID, q.ID2), cmpOr(q.Text, q.Query)
		if id == "" || (strings.TrimSpace(text) == "" && len(q.Positive) == 0) {
			return nil, fmt.Errorf("%s:%d: query needs an id and a text (or positive seed IDs)", name, line)
		}
		out = append(out, Query{ID: id, Text: text, Positive: q.Positive, Negative: q.Negative})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ReadQueriesFile is ReadQueries over a file; a file with no query is an error.
func ReadQueriesFile(path string) ([]Query, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("queries: %w", err)
	}
	defer f.Close()
	qs, err := ReadQueries(f, path)
	if err != nil {
		return nil, err
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("queries: %s holds no query", path)
	}
	return qs, nil
}

// ReadQrels reads a qrels file: BEIR TSV (query-id, corpus-id, score, with a header line) or TREC
// format (qid 0 docid rel), separated by tabs or spaces.
func ReadQrels(r io.Reader, name string) (Qrels, error) {
	sc := bufio.NewScanner(r)
	out := Qrels{}
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if line == 1 && (f[0] == "query-id" || f[0] == "qid") {
			continue
		}
		var q, d, s string
		switch len(f) {
		case 3:
			q, d, s = f[0], f[1], f[2]
		case 4:
			q, d, s = f[0], f[2], f[3]
		default:
			return nil, fmt.Errorf("%s:%d: want 3 (BEIR) or 4 (TREC) fields, got %d", name, line, len(f))
		}
		g, err := strconv.Atoi(s)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: relevance %q is not an integer", name, line, s)
		}
		if out[q] == nil {
			out[q] = map[string]int{}
		}
		out[q][d] = g
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

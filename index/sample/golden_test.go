package sample_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenQueries are what the ranking golden pins: plain words short and long, phrases, the query
// syntax, natural text that is not syntax, and patterns.
var goldenQueries = []string{
	"state space models for long sequences",
	"pruning sparse",
	"diffusion",
	"large language models reasoning",
	`"language models"`,
	"+mamba -transformer",
	"title:attention",
	"distill*",
	"atention~",
	"Chart-R1: Chain-of-Thought Supervision for Reliable Chart Reasoning",
	"data augmentation / regularization (CutMix)",
	"date:2024 transformers",
}

// goldenRelated are the papers whose related lists the golden pins, by title prefix.
var goldenRelated = []string{"CutMix", "Sparse Model Soups", "Mamba"}

type goldenHit struct {
	ID          string  `json:"id"`
	Score       float64 `json:"score"`
	KeywordRank int     `json:"keyword_rank,omitempty"`
	VectorRank  int     `json:"vector_rank,omitempty"`
}

type goldenList struct {
	Query string      `json:"query"`
	Mode  index.Mode  `json:"mode"`
	Total int         `json:"total"`
	Hits  []goldenHit `json:"hits"`
}

func golden(res index.Response) []goldenHit {
	out := make([]goldenHit, len(res.Results))
	for i, r := range res.Results {
		h := goldenHit{ID: r.Paper.ID, Score: math.Round(r.Score*1e4) / 1e4}
		if r.Keyword != nil {
			h.KeywordRank = r.Keyword.Rank
		}
		if r.Vector != nil {
			h.VectorRank = r.Vector.Rank
		}
		out[i] = h
	}
	return out
}

// TestRankingGolden pins the rankings of the built-in sample: fixed queries and related lists in the
// three modes, with IDs, scores rounded to 4 decimals and each side's rank. Any change in ranking
// shows up in review as a diff of testdata/golden/ranking.json; regenerate it with
// go test ./index/sample -run RankingGolden -update.
func TestRankingGolden(t *testing.T) {
	ix := openSample(t)
	var got []goldenList
	modes := []index.Mode{index.ModeKeyword, index.ModeVector, index.ModeHybrid}
	for _, q := range goldenQueries {
		for _, m := range modes {
			res, err := ix.Search(t.Context(), index.Request{Query: q, Ranking: index.Ranking{Mode: m, Limit: 5}})
			if err != nil {
				t.Fatalf("%q %s: %v", q, m, err)
			}
			got = append(got, goldenList{Query: q, Mode: m, Total: res.Total, Hits: golden(res)})
		}
	}
	for _, title := range goldenRelated {
		id := titleID(t, ix, title)
		for _, m := range modes {
			res, err := ix.Related(t.Context(), id, index.RelatedRequest{Ranking: index.Ranking{Mode: m, Limit: 5}})
			if err != nil {
				t.Fatalf("related %s %s: %v", id, m, err)
			}
			got = append(got, goldenList{Query: fmt.Sprintf("related:%s", title), Mode: m, Total: res.Total, Hits: golden(res)})
		}
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata", "golden", "ranking.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run RankingGolden -update to create it)", err)
	}
	if !bytes.Equal(want, b) {
		var w []goldenList
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		t.Errorf("rankings differ from %s (-want +got); if the change is intended, regenerate with -update:\n%s", path, cmp.Diff(w, got))
	}
}

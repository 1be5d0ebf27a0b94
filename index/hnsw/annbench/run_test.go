package annbench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/hnsw"
)

// synthetic returns n clustered sparse vectors: each mixes the features of one of n/20 topics with
// common ones, about 100 non-zeros, L2-normalised.
func synthetic(r *rand.Rand, n, nnz int) []embed.Vector {
	topics := make([][]uint32, max(1, n/20))
	for t := range topics {
		for range 300 {
			topics[t] = append(topics[t], r.Uint32N(1<<20))
		}
	}
	out := make([]embed.Vector, n)
	for i := range out {
		t := topics[r.IntN(len(topics))]
		w := map[uint32]float32{}
		for len(w) < nnz {
			f := t[r.IntN(len(t))]
			if r.IntN(3) == 0 {
				f = r.Uint32N(2000) // common features
			}
			w[f] += r.Float32()
		}
		var v embed.Vector
		for f := range w {
			v.Idx = append(v.Idx, f)
		}
		slices.Sort(v.Idx)
		var norm float64
		for _, f := range v.Idx {
			norm += float64(w[f] * w[f])
		}
		for _, f := range v.Idx {
			v.Val = append(v.Val, w[f]/float32(math.Sqrt(norm)))
		}
		out[i] = v
	}
	return out
}

func testConfig() Config {
	r := rand.New(rand.NewPCG(1, 1))
	all := synthetic(r, 640, 100)
	cfg := Config{Docs: all[:600], Queries: all[600:620], Ef: []int{8, 32}, Options: hnsw.Options{EfSearch: 32, Seed: 1}}
	for i := range cfg.Docs {
		cfg.Keys = append(cfg.Keys, fmt.Sprint("doc", i))
	}
	for _, q := range all[620:] {
		cfg.Short = append(cfg.Short, embed.Vector{Idx: q.Idx[:8], Val: q.Val[:8]})
	}
	return cfg
}

func TestRun(t *testing.T) {
	var out bytes.Buffer
	res, err := Run(t.Context(), testConfig(), &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(out.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var last map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatalf("last line is not JSON: %v", err)
	}
	for _, k := range []string{"n", "queries", "recall_at_10", "exact_ms_p50", "hnsw_ms_p50", "speedup",
		"short_recall_at_10", "coder_recall_at_10", "fold_recall_at_10"} {
		if _, ok := last[k]; !ok {
			t.Errorf("JSON line lacks %q", k)
		}
	}
	if res.N != 600 || res.Queries != 20 || res.Ef != 32 || len(res.Rows) != 2 || len(res.CoderRows) != 2 {
		t.Errorf("result shape: %+v", res)
	}
	if res.RecallAt10 < 0.9 || res.ShortRecallAt10 != 1 || res.AutoRecallAt10 < 0.9 {
		t.Errorf("recall: graph %.3f, short %.3f, auto %.3f", res.RecallAt10, res.ShortRecallAt10, res.AutoRecallAt10)
	}
	if res.CoderError != "" {
		t.Errorf("coder/hnsw failed: %s", res.CoderError)
	}
	if res.BuildRate <= 0 || res.BytesPerVector <= 0 || res.ExactMsP50 <= 0 {
		t.Errorf("missing figures: %+v", res)
	}
}

func TestRunErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Run(ctx, testConfig(), &bytes.Buffer{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Run = %v, want context.Canceled", err)
	}
	if _, err := Run(t.Context(), Config{}, &bytes.Buffer{}); !errors.Is(err, ErrConfig) {
		t.Errorf("empty Run = %v, want ErrConfig", err)
	}
	cfg := testConfig()
	cfg.Keys = cfg.Keys[:1]
	if _, err := Run(t.Context(), cfg, &bytes.Buffer{}); !errors.Is(err, ErrConfig) {
		t.Errorf("mismatched keys = %v, want ErrConfig", err)
	}
}

func TestFold(t *testing.T) {
	v := embed.Vector{Idx: []uint32{1, 5, 1029}, Val: []float32{0.6, 0.8, -0.6}}
	got := fold(v, 1024)
	// 1 and 1029 collide in dimension 5 - 1024 = ... 1029 mod 1024 = 5: 0.8 - 0.6 = 0.2 there.
	var norm float64
	for _, x := range got {
		norm += float64(x) * float64(x)
	}
	if math.Abs(norm-1) > 1e-5 {
		t.Errorf("folded norm^2 = %v, want 1", norm)
	}
	if got[1] <= 0 || got[5] <= 0 || got[1] < got[5] {
		t.Errorf("fold = [1]%v [5]%v, want 0.6 and 0.2 renormalised", got[1], got[5])
	}
}

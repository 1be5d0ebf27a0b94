package index

import (
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index/paper"
)

func TestRankingParams(t *testing.T) {
	n := func(v int) *int { return &v }
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name   string
		in     RankingParams
		want   Ranking
		params []string // the parameters reported bad, in order
	}{
		{"defaults", RankingParams{}, Ranking{Mode: ModeHybrid}, nil},
		{"everything", RankingParams{Mode: "keyword", Limit: n(20), Offset: n(40), From: "2024", To: "2024-06",
			Categories: []string{"cs.CL, cs.lg", "cs.CL"}, Fusion: "rrf", Alpha: f(0.5)},
			Ranking{Mode: ModeKeyword, Limit: 20, Offset: 40, Fusion: FusionRRF, Alpha: f(0.5),
				Filter: Filter{From: paper.Date{Year: 2024}, To: paper.Date{Year: 2024, Month: 6}, Categories: []string{"cs.CL", "cs.lg"}}}, nil},
		{"semantic is vector", RankingParams{Mode: "semantic"}, Ranking{Mode: ModeVector}, nil},
		{"every problem", RankingParams{Mode: "fuzzy", Limit: n(0), Offset: n(-1), From: "2024-13", To: "x", Fusion: "max", Alpha: f(2)},
			Ranking{}, []string{"mode", "limit", "offset", "from", "to", "fusion", "alpha"}},
		{"to before from", RankingParams{From: "2024", To: "2023"}, Ranking{Mode: ModeHybrid}, []string{"to"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := tt.in.Check()
			var params []string
			for _, e := range errs {
				params = append(params, e.Param)
				if !errors.Is(e, ErrBadRequest) {
					t.Errorf("%v does not wrap ErrBadRequest", e)
				}
			}
			if diff := cmp.Diff(tt.params, params); diff != "" {
				t.Errorf("bad parameters (-want +got):\n%s", diff)
			}
			if tt.params == nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("Ranking (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestRankingParamsFrom(t *testing.T) {
	v := url.Values{"mode": {"vector"}, "limit": {" 5 "}, "category": {"cs.CL,cs.CV", "cs.LG"}, "alpha": {"0.25"}}
	p, err := RankingParamsFrom(v)
	if err != nil {
		t.Fatal(err)
	}
	rk, err := p.Ranking()
	if err != nil {
		t.Fatal(err)
	}
	if rk.Mode != ModeVector || rk.Limit != 5 || *rk.Alpha != 0.25 || len(rk.Filter.Categories) != 3 {
		t.Errorf("ranking %+v", rk)
	}
	for _, bad := range []url.Values{{"limit": {"ten"}}, {"offset": {"1.5"}}, {"alpha": {"half"}}} {
		_, err := RankingParamsFrom(bad)
		var pe *ParamError
		if !errors.As(err, &pe) || !errors.Is(err, ErrBadRequest) {
			t.Errorf("%v: err %v", bad, err)
		}
	}
}

func TestSplitCategories(t *testing.T) {
	got := SplitCategories("cs.CL, cs.LG", "cs.cl", " ", "stat.ML,,")
	if diff := cmp.Diff([]string{"cs.CL", "cs.LG", "stat.ML"}, got); diff != "" {
		t.Errorf("SplitCategories (-want +got):\n%s", diff)
	}
}

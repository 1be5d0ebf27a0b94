package index

import (
	"github.com/kindred-search/kindred/index/syntax"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestFuse(t *testing.T) {
	kw := []Candidate{{"a", 10}, {"b", 6}, {"c", 2}}
	vec := []Candidate{{"b", 0.9}, {"d", 0.5}, {"a", 0.1}}
	approx := cmpopts.EquateApprox(0, 1e-9)
	tests := []struct {
		name    string
		kw, vec []Candidate
		o       FuseOptions
		want    []Fused
	}{
		{
			name: "convex minmax alpha 0.5",
			kw:   kw, vec: vec,
			o: FuseOptions{Method: FusionConvex, Alpha: 0.5, Norm: NormMinMax},
			// kw norm: a 1, b 0.5, c 0; vec norm: b 1, d 0.5, a 0.
			want: []Fused{
				{ID: "b", Score: 0.75, KeywordRank: 2, KeywordRaw: 6, VectorRank: 1, VectorRaw: 0.9},
				{ID: "a", Score: 0.5, KeywordRank: 1, KeywordRaw: 10, VectorRank: 3, VectorRaw: 0.1},
				{ID: "d", Score: 0.25, VectorRank: 2, VectorRaw: 0.5},
				{ID: "c", Score: 0, KeywordRank: 3, KeywordRaw: 2},
			},
		},
		{
			name: "convex max-normalised alpha 0",
			kw:   kw, vec: vec,
			o: FuseOptions{Method: FusionConvex, Alpha: 0, Norm: NormMax},
			want: []Fused{
				{ID: "a", Score: 1, KeywordRank: 1, KeywordRaw: 10, VectorRank: 3, VectorRaw: 0.1},
				{ID: "b", Score: 0.6, KeywordRank: 2, KeywordRaw: 6, VectorRank: 1, VectorRaw: 0.9},
				{ID: "c", Score: 0.2, KeywordRank: 3, KeywordRaw: 2},
				{ID: "d", Score: 0, VectorRank: 2, VectorRaw: 0.5},
			},
		},
		{
			name: "rrf k=60",
			kw:   kw, vec: vec,
			o: FuseOptions{Method: FusionRRF, K: 60},
			want: []Fused{
				{ID: "b", Score: 1.0/62 + 1.0/61, KeywordRank: 2, KeywordRaw: 6, VectorRank: 1, VectorRaw: 0.9},
				{ID: "a", Score: 1.0/61 + 1.0/63, KeywordRank: 1, KeywordRaw: 10, VectorRank: 3, VectorRaw: 0.1},
				{ID: "d", Score: 1.0 / 62, VectorRank: 2, VectorRaw: 0.5},
				{ID: "c", Score: 1.0 / 63, KeywordRank: 3, KeywordRaw: 2},
			},
		},
		{
			name: "empty vector side keeps keyword order",
			kw:   kw,
			o:    FuseOptions{Method: FusionConvex, Alpha: 0.9},
			want: []Fused{
				{ID: "a", Score: 1, KeywordRank: 1, KeywordRaw: 10},
				{ID: "b", Score: 0.5, KeywordRank: 2, KeywordRaw: 6},
				{ID: "c", Score: 0, KeywordRank: 3, KeywordRaw: 2},
			},
		},
		{
			name: "ties broken by id",
			kw:   []Candidate{{"z", 1}, {"y", 1}},
			o:    FuseOptions{Method: FusionConvex},
			want: []Fused{
				{ID: "y", Score: 1, KeywordRank: 2, KeywordRaw: 1},
				{ID: "z", Score: 1, KeywordRank: 1, KeywordRaw: 1},
			},
		},
		{name: "both empty", o: FuseOptions{Method: FusionRRF, K: 60}, want: []Fused{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Fuse(tc.kw, tc.vec, tc.o)
			if diff := cmp.Diff(tc.want, got, approx, cmpopts.IgnoreFields(Fused{}, "KeywordPart", "VectorPart")); diff != "" {
				t.Errorf("Fuse (-want +got):\n%s", diff)
			}
			for _, f := range got {
				if math.Abs(f.KeywordPart+f.VectorPart-f.Score) > 1e-12 {
					t.Errorf("%s: parts %v + %v do not sum to score %v", f.ID, f.KeywordPart, f.VectorPart, f.Score)
				}
			}
		})
	}
}

func TestNormZ(t *testing.T) {
	n := normaliser([]Candidate{{"a", 3}, {"b", 1}}, NormZ)
	// mean 2, sd 1: (s - lo) / sd.
	if got := n(3); math.Abs(got-2) > 1e-12 {
		t.Errorf("z(3) = %v, want 2", got)
	}
}

func TestEscapeQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain words", "plain words"},
		{`a+b -c "d" e:f (g) h~ i* j?`, `a\+b \-c \"d\" e\:f \(g\) h\~ i\* j\?`},
		{`back\slash/slash`, `back\\slash\/slash`},
	}
	for _, tc := range tests {
		if got := EscapeQuery(tc.in); got != tc.want {
			t.Errorf("EscapeQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
		// Escaped text is plain words: even a strict parse has nothing to say about it.
		if q, err := syntax.Parse(EscapeQuery(tc.in), syntax.Options{Strict: true}); err != nil || len(q.Notes) > 0 {
			t.Errorf("escaped %q: %v, notes %v", tc.in, err, q.Notes)
		}
		for _, c := range must(syntax.Parse(EscapeQuery(tc.in), syntax.Options{})).Clauses {
			if c.Kind != syntax.Word || c.Occur != syntax.Should || c.Field != "" {
				t.Errorf("escaped %q gives clause %+v, want plain words", tc.in, c)
			}
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

package embed

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func newEmbedder(t testing.TB, o Options) *Embedder {
	t.Helper()
	e, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestTerms(t *testing.T) {
	e := newEmbedder(t, Options{})
	tests := []struct {
		name, text string
		want       []string
	}{
		{"stems and lowercases", "Running Models", []string{"run", "model"}},
		{"drops stop words", "the state of the art", []string{"state", "art"}},
		{"possessive", "Bayes's rule", []string{"bay", "rule"}},
		{"empty", "", []string{}},
		{"punctuation only", "-- ,; !", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, e.Terms(tc.text)); diff != "" {
				t.Errorf("Terms(%q) (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestFeatures(t *testing.T) {
	e := newEmbedder(t, Options{})
	tests := []struct {
		name     string
		opts     Options
		text     string
		wantNNZ  int
		wantMaxT float32
	}{
		{"unigrams and bigrams", Options{}, "sparse vectors sparse", 5 - 0, float32(1 + math.Log(2))},
		{"unigrams only", Options{NoBigrams: true}, "sparse vectors sparse", 2, float32(1 + math.Log(2))},
		{"empty", Options{}, "", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEmbedder(t, tc.opts)
			f := e.Features(tc.text)
			// "sparse vectors sparse" -> spars, vector, spars; bigrams "spars vector", "vector spars".
			want := tc.wantNNZ
			if !tc.opts.NoBigrams && tc.text != "" {
				want = 4
			}
			if len(f.Idx) != want || len(f.TF) != want {
				t.Fatalf("got %d features, want %d", len(f.Idx), want)
			}
			var maxT float32
			for _, v := range f.TF {
				maxT = max(maxT, abs32(v))
			}
			if math.Abs(float64(maxT-tc.wantMaxT)) > 1e-6 {
				t.Errorf("max |tf| = %v, want %v", maxT, tc.wantMaxT)
			}
		})
	}
	_ = e
}

func TestVectorNormalisedTopKDeterministic(t *testing.T) {
	e := newEmbedder(t, Options{TopK: 8})
	s := NewStats(e.Options().Dim)
	docs := []string{
		"state space models for long sequences",
		"structured state space sequence models are efficient",
		"convolutional networks for image classification",
	}
	for _, d := range docs {
		s.Add(e.Features(d))
	}
	text := "efficient structured state space models for very long sequences of tokens in language"
	v1, v2 := e.Embed(text, s), e.Embed(text, s)
	if diff := cmp.Diff(v1, v2); diff != "" {
		t.Fatalf("not deterministic (-first +second):\n%s", diff)
	}
	if v1.Len() != 8 {
		t.Errorf("Len = %d, want TopK 8", v1.Len())
	}
	if err := v1.Check(e.Options().Dim); err != nil {
		t.Error(err)
	}
	if n := v1.Norm(); math.Abs(n-1) > 1e-5 {
		t.Errorf("norm = %v, want 1", n)
	}
	// Related texts are closer than unrelated ones.
	q := e.Embed("state space models", s)
	if a, b := Dot(q, e.Embed(docs[0], s)), Dot(q, e.Embed(docs[2], s)); a <= b {
		t.Errorf("cos(related)=%v <= cos(unrelated)=%v", a, b)
	}
	if got := e.Embed("", s); got.Len() != 0 {
		t.Errorf("empty text gave %d entries", got.Len())
	}
}

func TestIDFOrdersRareAboveCommon(t *testing.T) {
	e := newEmbedder(t, Options{})
	s := NewStats(e.Options().Dim)
	for range 10 {
		s.Add(e.Features("model"))
	}
	s.Add(e.Features("mamba model"))
	common, _ := e.Hash("model")
	rare, _ := e.Hash("mamba")
	if s.IDF(rare) <= s.IDF(common) {
		t.Errorf("idf(rare)=%v <= idf(common)=%v", s.IDF(rare), s.IDF(common))
	}
	f := e.Features("mamba model")
	s.Remove(f)
	if got := s.Docs(); got != 10 {
		t.Errorf("Docs after Remove = %d, want 10", got)
	}
}

func TestStatsRoundTrip(t *testing.T) {
	e := newEmbedder(t, Options{Dim: 1 << 12})
	s := NewStats(1 << 12)
	s.Add(e.Features("hashed bag of words vectors"))
	s.Add(e.Features("bag of words"))
	b, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got Stats
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if got.n != s.n || !cmp.Equal(got.df, s.df) {
		t.Error("round trip changed the statistics")
	}
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"truncated", b[:len(b)-3]},
		{"flipped byte", append(append([]byte(nil), b[:10]...), append([]byte{b[10] ^ 1}, b[11:]...)...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := new(Stats).UnmarshalBinary(tc.b); err == nil {
				t.Error("want error")
			}
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	for _, o := range []Options{{Dim: 1000}, {Dim: 512}, {TopK: -1}} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) succeeded", o)
		}
	}
}

func FuzzEmbed(f *testing.F) {
	e := newEmbedder(f, Options{Dim: 1 << 16, TopK: 32})
	s := NewStats(1 << 16)
	s.Add(e.Features("a seed document about neural networks"))
	for _, seed := range []string{"", "hello world", "\xff\xfe invalid", "$\\alpha$-divergence <script>", strings.Repeat("x ", 500)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		v := e.Embed(text, s)
		if err := v.Check(1 << 16); err != nil {
			t.Fatal(err)
		}
		if v.Len() > 32 {
			t.Fatalf("Len %d > TopK", v.Len())
		}
		if v.Len() > 0 && math.Abs(v.Norm()-1) > 1e-4 {
			t.Fatalf("norm %v", v.Norm())
		}
		if utf8.ValidString(text) && v.Len() > 0 && Dot(v, v) < 0.999 {
			t.Fatalf("self similarity %v", Dot(v, v))
		}
	})
}

func BenchmarkEmbed(b *testing.B) {
	e := newEmbedder(b, Options{})
	s := NewStats(e.Options().Dim)
	text := strings.Repeat("Compact convolutional neural networks have witnessed exceptional improvements in performance in recent years. ", 12)
	s.Add(e.Features(text))
	b.ReportAllocs()
	for b.Loop() {
		e.Embed(text, s)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "vectors/s")
}

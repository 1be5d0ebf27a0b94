package bm25

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// tiny is three documents small enough to score by hand (TitleWeight 2, k1 0.9, b 0.4, avgdl 4):
//
//	a: title "x",  abstract "x y"    dl 2·1+2 = 4
//	b: title "y",  abstract "y z z"  dl 2·1+3 = 5
//	c: title "z",  abstract "w"      dl 2·1+1 = 3
func tiny(t *testing.T) *Store {
	t.Helper()
	s := NewStore(Params{K1: 0.9, B: 0.4, TitleWeight: 2})
	for _, d := range []Doc{
		{ID: "a", TitleLen: 1, AbstractLen: 2, Date: 100, Categories: []string{"cs.CL"}, Keys: []string{"@ada"},
			Terms: []TermFreq{{"x", 1, 1}, {"y", 0, 1}}, Words: []Word{{"x", "x"}, {"ys", "y"}}},
		{ID: "b", TitleLen: 1, AbstractLen: 3, Date: 200, Categories: []string{"cs.LG"}, Keys: []string{"@bob"},
			Terms: []TermFreq{{"y", 1, 1}, {"z", 0, 2}}, Words: []Word{{"y", "y"}, {"zed", "z"}}},
		{ID: "c", TitleLen: 1, AbstractLen: 1, Date: NoDate, Keys: []string{"@ada"},
			Terms: []TermFreq{{"z", 1, 0}, {"w", 0, 1}}, Words: []Word{{"zeds", "z"}, {"w", "w"}}},
	} {
		if err := s.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestSearchHandComputed(t *testing.T) {
	// idf(df 1 of 3) = ln(1 + 2.5/1.5); idf(df 2 of 3) = ln(1 + 1.5/2.5);
	// impact(tf, dl) = tf·1.9 / (tf + 0.9·(0.6 + 0.4·dl/4)).
	const (
		xInA  = 1.433519677478677  // idf1 · impact(3, 4)
		yzInB = 1.2687627832003852 // idf2 · (impact(3, 5) + impact(2, 5))
		zInC  = 0.6355920964888951 // idf2 · impact(2, 3): the title counts twice
		yInA  = 0.47000362924573563
	)
	tests := []struct {
		name string
		q    Query
		want []Hit
	}{
		{"one rare term", Query{Clauses: []Clause{{Term: "x", Weight: 1}}}, []Hit{{"a", 0, xInA}}},
		{"two terms", Query{Clauses: []Clause{{Term: "y", Weight: 1}, {Term: "z", Weight: 1}}},
			[]Hit{{"b", 1, yzInB}, {"c", 2, zInC}, {"a", 0, yInA}}},
		{"weight doubles", Query{Clauses: []Clause{{Term: "x", Weight: 2}}}, []Hit{{"a", 0, 2 * xInA}}},
		{"repeated clause sums", Query{Clauses: []Clause{{Term: "x", Weight: 1}, {Term: "x", Weight: 1}}}, []Hit{{"a", 0, 2 * xInA}}},
		{"unknown term", Query{Clauses: []Clause{{Term: "nope", Weight: 1}}}, nil},
		{"title only", Query{Clauses: []Clause{{Term: "z", Weight: 1, Field: FieldTitle}}}, []Hit{{"c", 2, zInC}}},
		{"required", Query{Clauses: []Clause{{Term: "y", Weight: 1, Required: true}, {Term: "z", Weight: 1}}},
			[]Hit{{"b", 1, yzInB}, {"a", 0, yInA}}},
		{"required unknown", Query{Clauses: []Clause{{Term: "nope", Weight: 1, Required: true}, {Term: "z", Weight: 1}}}, nil},
		{"excluded", Query{Clauses: []Clause{{Term: "y", Weight: 1}, {Term: "z", Weight: 1}}, Exclude: []Clause{{Term: "w"}}},
			[]Hit{{"b", 1, yzInB}, {"a", 0, yInA}}},
		{"key", Query{Clauses: []Clause{{Term: "y", Weight: 1}, {Term: "z", Weight: 1}}, Keys: []string{"@ada"}},
			[]Hit{{"c", 2, zInC}, {"a", 0, yInA}}},
		{"category", Query{Clauses: []Clause{{Term: "y", Weight: 1}}, Filter: Filter{Categories: []string{"cs.LG"}}},
			[]Hit{{"b", 1, 0.470003629245735 * 1.4285714285714286}}},
		{"date", Query{Clauses: []Clause{{Term: "z", Weight: 1}}, Filter: Filter{Dated: true, From: 150, To: 300}},
			[]Hit{{"b", 1, 0.47000362924573563 * 1.2709030100334449}}},
		{"constraints only: newest first, undated last", Query{Keys: []string{"@ada"}}, []Hit{{"a", 0, 0}, {"c", 2, 0}}},
		{"match all", Query{}, []Hit{{"b", 1, 0}, {"a", 0, 0}, {"c", 2, 0}}},
		{"set", Query{Clauses: []Clause{{Term: "z", Weight: 1}}, Sets: [][]uint32{{2}}}, []Hit{{"c", 2, zInC}}},
	}
	s := tiny(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := s.Search(t.Context(), tt.q, 10)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("Search (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSearchRejectsBadWeights(t *testing.T) {
	s := tiny(t)
	for _, w := range []float64{-1, math.NaN(), math.Inf(1)} {
		if _, _, err := s.Search(t.Context(), Query{Clauses: []Clause{{Term: "x", Weight: w}}}, 10); err == nil {
			t.Errorf("weight %v: no error", w)
		}
	}
}

func TestReplaceAndDelete(t *testing.T) {
	s := tiny(t)
	if err := s.Add(Doc{ID: "a", TitleLen: 1, AbstractLen: 1, Terms: []TermFreq{{"q", 1, 1}}}); err != nil {
		t.Fatal(err)
	}
	if got := s.DF("x"); got != 0 {
		t.Errorf("DF(x) after replacing a = %d, want 0", got)
	}
	if got := s.DF("y"); got != 1 {
		t.Errorf("DF(y) after replacing a = %d, want 1", got)
	}
	hits, _, _ := s.Search(t.Context(), Query{Clauses: []Clause{{Term: "q", Weight: 1}}}, 10)
	if len(hits) != 1 || hits[0].ID != "a" {
		t.Errorf("hits for q = %v", hits)
	}
	if !s.Delete("b") || s.Delete("b") || s.Len() != 2 || s.Dead() != 2 {
		t.Errorf("after deleting b: Len %d Dead %d", s.Len(), s.Dead())
	}
	if got := s.DF("z"); got != 1 {
		t.Errorf("DF(z) = %d, want 1", got)
	}
	s.Compact()
	if s.Dead() != 0 || s.Len() != 2 || s.DF("y") != 0 {
		t.Errorf("after Compact: Dead %d Len %d DF(y) %d", s.Dead(), s.Len(), s.DF("y"))
	}
	if _, ok := s.TermOf("ys"); ok {
		t.Errorf("word of a term no document has survived Compact")
	}
}

func TestExpand(t *testing.T) {
	s := tiny(t)
	tests := []struct {
		name string
		got  Expansion
		want []string
	}{
		{"prefix over words, not stems", s.ExpandPrefix("ze", 10), []string{"z"}},
		{"prefix of nothing", s.ExpandPrefix("q", 10), nil},
		{"match", s.ExpandMatch("", func(w string) bool { return len(w) == 1 }, 10, 0), []string{"y", "w", "x"}},
		{"fuzzy", s.ExpandFuzzy("zedd", 1, 10), []string{"z"}},
		{"fuzzy keeps the first letter", s.ExpandFuzzy("xed", 2, 10), []string{"x"}},
		{"limit", s.ExpandMatch("", func(string) bool { return true }, 2, 0), []string{"y", "z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got.Terms); diff != "" {
				t.Errorf("terms (-want +got):\n%s", diff)
			}
		})
	}
	if e := s.ExpandMatch("", func(string) bool { return true }, 0, 2); !e.Truncated || e.Scanned != 2 {
		t.Errorf("budget: %+v", e)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		max  int
		want int
	}{
		{"atention", "attention", 2, 1},
		{"atention", "retention", 2, 2},
		{"atention", "atant", 2, 3},
		{"", "ab", 2, 2},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 1, 2},
		{"modles", "models", 2, 1}, // a transposition is one edit
		{"modles", "modules", 2, 1},
		{"ab", "ba", 1, 1},
		{"ca", "abc", 3, 3}, // optimal string alignment: no edit of a transposed pair
		{"abcd", "badc", 2, 2},
		{"abcd", "badc", 1, 2},
	} {
		if got := editDistance([]rune(tt.a), tt.b, tt.max); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
	// The early exit never changes a distance within the bound: against the full table.
	rng := rand.New(rand.NewPCG(3, 4))
	word := func() string {
		b := make([]byte, rng.IntN(7))
		for i := range b {
			b[i] = "abc"[rng.IntN(3)]
		}
		return string(b)
	}
	for range 20000 {
		a, b, m := word(), word(), rng.IntN(4)
		full := osa(a, b)
		want := min(full, m+1)
		if got := editDistance([]rune(a), b, m); got != want {
			t.Fatalf("editDistance(%q, %q, %d) = %d, full distance %d", a, b, m, got, full)
		}
	}
}

// osa is the optimal string alignment distance by the whole table, for testing editDistance.
func osa(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func TestMatchesCount(t *testing.T) {
	c := newCorpus(t, 11, 4000, 500, true)
	q := Query{Clauses: []Clause{{Term: vocabTerm(0), Weight: 1}, {Term: vocabTerm(3), Weight: 1}}}
	exact, err := c.s.Matches(t.Context(), q, 0, nil)
	if err != nil || !exact.Exact {
		t.Fatalf("Matches = %+v, %v", exact, err)
	}
	if want := len(c.exhaustive(q, 1<<30)); exact.N != want {
		t.Errorf("exact count %d, oracle %d", exact.N, want)
	}
	est, _ := c.s.Matches(t.Context(), q, 1000, nil)
	if est.Exact || math.Abs(float64(est.N-exact.N)) > 0.15*float64(exact.N) {
		t.Errorf("estimate %+v, exact %d", est, exact.N)
	}
	q.Keys = []string{"author7"}
	got, _ := c.s.Matches(t.Context(), q, 0, nil)
	if want := len(c.exhaustive(q, 1<<30)); got.N != want {
		t.Errorf("count with a key %d, oracle %d", got.N, want)
	}
}

func TestCodecRoundTrip(t *testing.T) {
	c := newCorpus(t, 2, 2000, 400, true)
	buf, back := roundTrip(t, c.s)
	if back.Len() != c.s.Len() || back.Dead() != 0 || back.Words() != c.s.Words() {
		t.Fatalf("read back Len %d Dead %d Words %d, want %d 0 %d", back.Len(), back.Dead(), back.Words(), c.s.Len(), c.s.Words())
	}
	for i := range 100 {
		q := Query{Clauses: []Clause{{Term: vocabTerm(i % 30), Weight: 1}, {Term: vocabTerm(i*7%400 + 1), Weight: 1}}}
		want, _, _ := c.s.Search(t.Context(), q, 10)
		got, _, _ := back.Search(t.Context(), q, 10)
		for i := range want {
			want[i].Doc = 0 // renumbered
		}
		for i := range got {
			got[i].Doc = 0
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("query %d after a round trip (-want +got):\n%s", i, diff)
		}
	}
	// As one section of a larger stream, through a buffer smaller than the store (the decoder
	// refills its window and reads long runs past it), the store ends where it ended.
	for _, size := range []int{16, 64, 4096} {
		br := bufio.NewReaderSize(io.MultiReader(bytes.NewReader(buf.Bytes()), strings.NewReader("TAIL")), size)
		sec, err := ReadStore(br)
		if err != nil {
			t.Fatalf("buffer %d: %v", size, err)
		}
		rest, _ := io.ReadAll(br)
		if string(rest) != "TAIL" || sec.Len() != c.s.Len() || sec.Words() != c.s.Words() {
			t.Fatalf("buffer %d: Len %d Words %d, rest %q", size, sec.Len(), sec.Words(), rest)
		}
	}
	// Every truncation and a flipped byte anywhere must fail cleanly.
	b := buf.Bytes()
	for _, n := range []int{0, 3, 10, len(b) / 3, len(b) / 2, len(b) - 5, len(b) - 1} {
		if _, err := ReadStore(bytes.NewReader(b[:n])); !errors.Is(err, ErrCorrupt) {
			t.Errorf("truncated to %d bytes: err %v", n, err)
		}
	}
	for _, at := range []int{5, 40, len(b) / 4, len(b) / 2, len(b) - 2} {
		bad := bytes.Clone(b)
		bad[at] ^= 0x5a
		if _, err := ReadStore(bytes.NewReader(bad)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("byte %d flipped: err %v", at, err)
		}
	}
}

func FuzzReadStore(f *testing.F) {
	s := NewStore(DefaultParams())
	s.Add(Doc{ID: "a", TitleLen: 1, AbstractLen: 2, Terms: []TermFreq{{"x", 1, 1}}, Words: []Word{{"x", "x"}}, Keys: []string{"k"}, Categories: []string{"c"}})
	var buf bytes.Buffer
	s.WriteTo(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("KBM25"))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := ReadStore(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error not wrapping ErrCorrupt: %v", err)
			}
			return
		}
		// Whatever reads back must be searchable.
		st.Search(t.Context(), Query{Clauses: []Clause{{Term: "x", Weight: 1}}}, 5)
	})
}

func TestCorrectAndNewest(t *testing.T) {
	s := tiny(t)
	if got := s.Correct("zedz", 1, 1); got != "zeds" && got != "zed" {
		t.Errorf("Correct(zedz) = %q", got)
	}
	if got := s.Correct("qqq", 2, 1); got != "" {
		t.Errorf("Correct(qqq) = %q, want none", got)
	}
	hits, err := s.SearchNewest(t.Context(), Query{Clauses: []Clause{{Term: "y", Weight: 1}, {Term: "z", Weight: 1}}}, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	if diff := cmp.Diff([]string{"b", "a", "c"}, ids); diff != "" {
		t.Errorf("newest (-want +got):\n%s", diff)
	}
}

// TestDFAfterWrites: document frequencies stay exact through queries, additions and deletions in any
// order (a cached frequency once went stale when a paper was added after a deletion and a query).
func TestDFAfterWrites(t *testing.T) {
	s := tiny(t)
	s.Delete("c")
	if got := s.DF("z"); got != 1 {
		t.Fatalf("DF(z) after deleting c = %d, want 1", got)
	}
	s.Add(Doc{ID: "d", TitleLen: 1, AbstractLen: 1, Terms: []TermFreq{{"z", 1, 0}}, Keys: []string{"@ada"}})
	if got := s.DF("z"); got != 2 {
		t.Errorf("DF(z) after adding d = %d, want 2", got)
	}
	if got := s.DF("@ada"); got != 2 {
		t.Errorf("DF(@ada) = %d, want 2", got)
	}
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadStore(&buf)
	if err != nil {
		t.Fatalf("read back after writes: %v", err)
	}
	if back.DF("z") != 2 || back.Len() != 3 {
		t.Errorf("read back DF(z) %d Len %d", back.DF("z"), back.Len())
	}
}

// TestLowerBound checks the branch-free search against the standard library's on every length up to
// two blocks and every target around the values.
func TestLowerBound(t *testing.T) {
	for n := 0; n <= 2*blockSize; n++ {
		a := make([]uint32, n)
		for i := range a {
			a[i] = uint32(3*i + i%2) // increasing, uneven gaps
		}
		for x := uint32(0); x <= uint32(3*n+2); x++ {
			want, _ := slices.BinarySearch(a, x)
			if got := lowerBound(a, x); got != want {
				t.Fatalf("lowerBound(len %d, %d) = %d, want %d", n, x, got, want)
			}
		}
	}
}

// TestInterpolate checks interpolate against the standard library's search on blocks of even and
// uneven spreads, for every target in the range it is given.
func TestInterpolate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		n := rng.IntN(blockSize + 1)
		below := uint32(rng.IntN(1000))
		a := make([]uint32, n)
		d := below
		for i := range a {
			gap := uint32(1 + rng.IntN(3))
			if trial%3 == 0 && i == n/2 {
				gap = 5000 // a cluster each side of a hole
			}
			d += gap
			a[i] = d
		}
		last := d
		if n == 0 {
			last = below + 1
		}
		for x := below; x <= last; x++ {
			want, _ := slices.BinarySearch(a, x)
			if got := interpolate(a, x, below, last); got != want {
				t.Fatalf("trial %d: interpolate(len %d, %d, below %d, last %d) = %d, want %d", trial, n, x, below, last, got, want)
			}
		}
	}
}

// TestDocTerms checks the forward index against the documents added: every live document's terms
// with their frequencies, in TermID order, as added, after a round trip through the binary form
// (which rebuilds it from the postings) and after Compact (which renumbers documents and terms).
func TestDocTerms(t *testing.T) {
	c := newCorpus(t, 3, 1500, 300, true)
	check := func(name string, s *Store) {
		t.Helper()
		if len(c.docs) != s.Len() {
			t.Fatalf("%s: %d live documents, want %d", name, s.Len(), len(c.docs))
		}
		for id, doc := range c.docs {
			d, ok := s.DocNum(id)
			if !ok {
				t.Fatalf("%s: %s missing", name, id)
			}
			want := map[string][2]int{}
			for _, tf := range distinctTerms(doc.Terms) {
				want[tf.Term] = [2]int{min(tf.Title, 255), min(tf.Abstract, 255)}
			}
			got := map[string][2]int{}
			ts := s.DocTerms(d, nil)
			for i, dt := range ts {
				if i > 0 && dt.Term <= ts[i-1].Term {
					t.Fatalf("%s: %s: terms out of order: %v", name, id, ts)
				}
				got[s.Term(dt.Term)] = [2]int{dt.Title, dt.Abstract}
				if tid, ok := s.TermID(s.Term(dt.Term)); !ok || tid != dt.Term {
					t.Fatalf("%s: TermID(%q) = %d, %v; want %d", name, s.Term(dt.Term), tid, ok, dt.Term)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%s: %s (-added +forward):\n%s", name, id, diff)
			}
		}
	}
	check("added", c.s)
	_, back := roundTrip(t, c.s)
	check("read back", back)
	if c.s.Dead() == 0 {
		t.Fatal("the corpus has no tombstones: Compact would do nothing")
	}
	c.s.Compact()
	check("compacted", c.s)
	if got := c.s.DocTerms(uint32(c.s.Docs()), nil); len(got) != 0 {
		t.Fatalf("a document number never assigned has terms %v", got)
	}
}

func TestHasKey(t *testing.T) {
	s := tiny(t)
	for _, tc := range []struct {
		id, key string
		want    bool
	}{
		{"a", "@ada", true}, {"b", "@ada", false}, {"c", "@ada", true}, {"b", "@bob", true},
		{"a", "x", false}, // a text term is not a key
		{"a", "@nobody", false},
	} {
		d, _ := s.DocNum(tc.id)
		if got := s.HasKey(tc.key, d); got != tc.want {
			t.Errorf("HasKey(%q, %s) = %v, want %v", tc.key, tc.id, got, tc.want)
		}
	}
}

// roundTrip writes s in its binary form and reads it back.
func roundTrip(t *testing.T, s *Store) (*bytes.Buffer, *Store) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadStore(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return &buf, back
}

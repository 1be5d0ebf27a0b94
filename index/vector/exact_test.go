package vector

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/embed"
)

func newExact(t testing.TB, vs map[string]embed.Vector) *Exact {
	t.Helper()
	x := NewExact()
	for _, k := range slices.Sorted(maps.Keys(vs)) {
		if err := x.Add(k, vs[k]); err != nil {
			t.Fatalf("Add(%q): %v", k, err)
		}
	}
	return x
}

func randomCorpus(r *rand.Rand, n int, dim uint32, nnz int) map[string]embed.Vector {
	vs := make(map[string]embed.Vector, n)
	for i := range n {
		vs[fmt.Sprintf("p%05d", i)] = randomVector(r, dim, nnz)
	}
	return vs
}

func keysOf(x *Exact) []string {
	var ks []string
	x.Keys(func(k string) bool { ks = append(ks, k); return true })
	slices.Sort(ks)
	return ks
}

// checkSame fails unless x holds exactly the vectors in want and searches like the brute force over them.
func checkSame(t *testing.T, x *Exact, want map[string]embed.Vector, queries []embed.Vector) {
	t.Helper()
	if x.Len() != len(want) {
		t.Errorf("Len() = %d, want %d", x.Len(), len(want))
	}
	if diff := cmp.Diff(slices.Sorted(maps.Keys(want)), keysOf(x), cmpEmptyStrings); diff != "" {
		t.Errorf("Keys (-want +got):\n%s", diff)
	}
	for k, v := range want {
		got, ok := x.Get(k)
		if !ok || !x.Has(k) {
			t.Errorf("Get(%q) / Has(%q): missing", k, k)
			continue
		}
		if diff := cmp.Diff(v, got); diff != "" {
			t.Errorf("Get(%q) (-want +got):\n%s", k, diff)
		}
	}
	for i, q := range queries {
		for _, k := range []int{1, 3, 10, len(want) + 1} {
			if diff := cmp.Diff(bruteForce(want, q, k), x.Search(q, k), cmpEmpty); diff != "" {
				t.Errorf("Search(query %d, %d) (-brute force +got):\n%s", i, k, diff)
			}
		}
	}
}

var cmpEmptyStrings = cmp.FilterValues(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())

func TestExactAddGet(t *testing.T) {
	x := NewExact()
	if x.Len() != 0 || x.Has("a") {
		t.Fatalf("new index: Len() = %d, Has(a) = %v", x.Len(), x.Has("a"))
	}
	if v, ok := x.Get("a"); ok || v.Len() != 0 {
		t.Errorf("Get on an empty index = %v, %v", v, ok)
	}
	want := map[string]embed.Vector{
		"a":     vec(1, 0.6, 5, 0.8),
		"b":     vec(5, 1),
		"empty": {},
		"":      vec(7, 1), // the empty key is a key like any other
	}
	x = newExact(t, want)
	checkSame(t, x, want, []embed.Vector{vec(5, 1), vec(1, 1, 7, 1)})
	if x.Has("c") {
		t.Error("Has(c) = true for an absent key")
	}
}

func TestExactAddCopiesVector(t *testing.T) {
	x := NewExact()
	v := vec(1, 0.5, 2, 0.5)
	if err := x.Add("a", v); err != nil {
		t.Fatal(err)
	}
	v.Val[0], v.Idx[1] = 99, 3 // the caller reuses its buffers
	got, _ := x.Get("a")
	if diff := cmp.Diff(vec(1, 0.5, 2, 0.5), got); diff != "" {
		t.Errorf("stored vector changed with the caller's slice (-want +got):\n%s", diff)
	}
}

func TestExactReplace(t *testing.T) {
	x := newExact(t, map[string]embed.Vector{"a": vec(1, 1), "b": vec(2, 1), "c": vec(1, 0.5)})
	if err := x.Add("a", vec(2, 0.25)); err != nil {
		t.Fatal(err)
	}
	want := map[string]embed.Vector{"a": vec(2, 0.25), "b": vec(2, 1), "c": vec(1, 0.5)}
	checkSame(t, x, want, []embed.Vector{vec(1, 1), vec(2, 1)})
	if diff := cmp.Diff([]Hit{{"c", 0.5}}, x.Search(vec(1, 1), 10)); diff != "" {
		t.Errorf("the replaced vector is still found (-want +got):\n%s", diff)
	}
}

func TestExactDelete(t *testing.T) {
	start := map[string]embed.Vector{
		"a": vec(1, 1), "b": vec(1, 0.5, 2, 0.5), "c": vec(2, 1), "d": vec(1, 0.25, 3, 1),
	}
	queries := []embed.Vector{vec(1, 1), vec(2, 1), vec(1, 1, 2, 1, 3, 1)}
	for _, tc := range []struct {
		name   string
		delete []string
	}{
		{"first added", []string{"a"}},
		{"middle, so the last moves into its place", []string{"b"}},
		{"last added", []string{"d"}},
		{"two, the second being the moved one", []string{"a", "d"}},
		{"all", []string{"c", "a", "d", "b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := newExact(t, start)
			want := maps.Clone(start)
			for _, k := range tc.delete {
				if !x.Delete(k) {
					t.Errorf("Delete(%q) = false for a present key", k)
				}
				if x.Delete(k) {
					t.Errorf("second Delete(%q) = true", k)
				}
				delete(want, k)
				checkSame(t, x, want, queries)
			}
			// The slot freed by a delete is reused correctly.
			if err := x.Add("e", vec(3, 0.5)); err != nil {
				t.Fatal(err)
			}
			want["e"] = vec(3, 0.5)
			checkSame(t, x, want, queries)
		})
	}
	x := NewExact()
	if x.Delete("absent") {
		t.Error("Delete on an empty index = true")
	}
}

func TestExactKeysStops(t *testing.T) {
	x := newExact(t, map[string]embed.Vector{"a": vec(1, 1), "b": vec(1, 1), "c": vec(1, 1)})
	calls := 0
	x.Keys(func(string) bool { calls++; return calls < 2 })
	if calls != 2 {
		t.Errorf("Keys called fn %d times after it returned false on call 2", calls)
	}
	// fn may write to the index: Keys holds no lock while calling it.
	x.Keys(func(k string) bool { x.Delete(k); return true })
	if x.Len() != 0 {
		t.Errorf("Len() = %d after deleting every key from Keys", x.Len())
	}
}

func TestExactSearch(t *testing.T) {
	x := newExact(t, map[string]embed.Vector{
		"best":     vec(1, 0.8, 2, 0.6),
		"tie-b":    vec(1, 0.5),
		"tie-a":    vec(1, 0.5),
		"tie-c":    vec(2, 0.5, 9, 0.5),
		"low":      vec(1, 0.1),
		"disjoint": vec(7, 1),
		"negative": vec(1, -1),
		"empty":    {},
	})
	q := vec(1, 1, 2, 1)
	for _, tc := range []struct {
		name string
		q    embed.Vector
		k    int
		want []Hit
	}{
		{"all positive hits, best first, ties by key", q, 10, []Hit{{"best", 1.4}, {"tie-a", 0.5}, {"tie-b", 0.5}, {"tie-c", 0.5}, {"low", 0.1}}},
		{"top 1", q, 1, []Hit{{"best", 1.4}}},
		{"ties cut by key", q, 3, []Hit{{"best", 1.4}, {"tie-a", 0.5}, {"tie-b", 0.5}}},
		{"k far above Len", q, 1000, []Hit{{"best", 1.4}, {"tie-a", 0.5}, {"tie-b", 0.5}, {"tie-c", 0.5}, {"low", 0.1}}},
		{"only the disjoint vector's feature", vec(7, 1), 10, []Hit{{"disjoint", 1}}},
		{"no shared feature", vec(8, 1), 10, nil},
		{"k zero", q, 0, nil},
		{"k negative", q, -1, nil},
		{"empty query", embed.Vector{}, 10, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := x.Search(tc.q, tc.k)
			if diff := cmp.Diff(tc.want, got, cmpEmpty, cmp.Comparer(approx)); diff != "" {
				t.Errorf("Search (-want +got):\n%s", diff)
			}
		})
	}
}

func approx(a, b float32) bool { return math.Abs(float64(a-b)) < 1e-6 }

// Exact.Search is the oracle the graph index is measured against; a malformed query must not crash it.
// hnsw.Graph.SearchWith answers such a query with no hits.
func TestExactSearchMalformedQuery(t *testing.T) {
	x := newExact(t, map[string]embed.Vector{"a": vec(1, 1, 2, 1, 3, 1)})
	for _, tc := range []struct {
		name string
		q    embed.Vector
	}{
		{"more indices than values", embed.Vector{Idx: []uint32{1, 2, 3}, Val: []float32{1}}},
		{"more values than indices", embed.Vector{Idx: []uint32{1}, Val: []float32{1, 1, 1}}},
		{"NaN value", vec(1, float32(math.NaN()))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := x.Search(tc.q, 10); len(got) != 0 {
				t.Errorf("Search = %v, want no hits", got)
			}
		})
	}
}

// "up to k hits" holds for any k: a caller asking for everything must not crash the search.
func TestExactSearchHugeK(t *testing.T) {
	x := newExact(t, map[string]embed.Vector{"a": vec(1, 1), "b": vec(1, 0.5)})
	if diff := cmp.Diff([]Hit{{"a", 1}, {"b", 0.5}}, x.Search(vec(1, 1), math.MaxInt)); diff != "" {
		t.Errorf("Search (-want +got):\n%s", diff)
	}
}

func TestExactAddBadVector(t *testing.T) {
	good := vec(1, 0.5, 4, 0.5)
	for _, tc := range []struct {
		name string
		v    embed.Vector
	}{
		{"unsorted indices", vec(4, 0.5, 1, 0.5)},
		{"duplicate index", vec(1, 0.5, 1, 0.5)},
		{"more indices than values", embed.Vector{Idx: []uint32{1, 2}, Val: []float32{1}}},
		{"more values than indices", embed.Vector{Idx: []uint32{1}, Val: []float32{1, 2}}},
		{"NaN", vec(1, float32(math.NaN()))},
		{"+Inf", vec(1, float32(math.Inf(1)))},
		{"-Inf", vec(1, 1, 2, float32(math.Inf(-1)))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := newExact(t, map[string]embed.Vector{"kept": good})
			if err := x.Add("new", tc.v); !errors.Is(err, ErrBadVector) {
				t.Errorf("Add(new) = %v, want ErrBadVector", err)
			}
			if err := x.Add("kept", tc.v); !errors.Is(err, ErrBadVector) {
				t.Errorf("Add(kept) = %v, want ErrBadVector", err)
			}
			checkSame(t, x, map[string]embed.Vector{"kept": good}, []embed.Vector{vec(1, 1)})
		})
	}
}

// Random adds, replaces and deletes, checked against a map and the brute-force search after each round.
func TestExactRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	const dim, nnz = 64, 6
	x := NewExact()
	want := map[string]embed.Vector{}
	var queries []embed.Vector
	for range 5 {
		queries = append(queries, randomVector(r, dim, nnz))
	}
	for round := range 10 {
		for range 40 {
			key := fmt.Sprint("k", r.IntN(60))
			if r.IntN(4) == 0 {
				if got := x.Delete(key); got != hasKey(want, key) {
					t.Fatalf("round %d: Delete(%q) = %v", round, key, got)
				}
				delete(want, key)
				continue
			}
			v := randomVector(r, dim, nnz)
			if err := x.Add(key, v); err != nil {
				t.Fatal(err)
			}
			want[key] = v
		}
		checkSame(t, x, want, queries)
	}
}

func hasKey(m map[string]embed.Vector, k string) bool { _, ok := m[k]; return ok }

// The Index contract: searches may run while one goroutine writes. Run with -race.
func TestExactConcurrent(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x := newExact(t, randomCorpus(r, 200, 128, 8))
	q := randomVector(r, 128, 8)
	var wg sync.WaitGroup
	wg.Go(func() {
		w := rand.New(rand.NewPCG(5, 6))
		for i := range 300 {
			key := fmt.Sprintf("p%05d", w.IntN(250))
			if i%3 == 0 {
				x.Delete(key)
			} else if err := x.Add(key, randomVector(w, 128, 8)); err != nil {
				t.Error(err)
			}
		}
	})
	for range 2 {
		wg.Go(func() {
			for range 100 {
				hits := x.Search(q, 5)
				sorted := slices.Clone(hits)
				SortHits(sorted)
				if !slices.Equal(hits, sorted) {
					t.Errorf("hits out of order: %v", hits)
				}
				x.Keys(func(k string) bool { _, _ = x.Get(k); return true })
				_ = x.Len()
				var buf bytes.Buffer
				if _, err := x.WriteTo(&buf); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

func encode(t testing.TB, x *Exact) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := x.WriteTo(&buf)
	if err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	if n != int64(buf.Len()) {
		t.Errorf("WriteTo reported %d bytes, wrote %d", n, buf.Len())
	}
	return buf.Bytes()
}

func TestExactRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	deleted := newExact(t, randomCorpus(r, 30, 256, 10))
	for _, k := range []string{"p00000", "p00013", "p00029"} {
		deleted.Delete(k)
	}
	for _, tc := range []struct {
		name string
		x    *Exact
	}{
		{"empty", NewExact()},
		{"one empty vector", newExact(t, map[string]embed.Vector{"a": {}})},
		{"small", newExact(t, map[string]embed.Vector{"a": vec(1, 0.6, 5, 0.8), "b": vec(5, 1), "ü/ключ": {Idx: []uint32{0, math.MaxUint32}, Val: []float32{1, -0.5}}})},
		{"random", newExact(t, randomCorpus(r, 200, 1<<20, 30))},
		{"after deletes", deleted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := encode(t, tc.x)
			got, err := ReadExact(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("ReadExact: %v", err)
			}
			want := map[string]embed.Vector{}
			tc.x.Keys(func(k string) bool { want[k], _ = tc.x.Get(k); return true })
			var queries []embed.Vector
			for _, k := range slices.Sorted(maps.Keys(want))[:min(5, len(want))] {
				queries = append(queries, want[k])
			}
			checkSame(t, got, want, queries)
			if diff := cmp.Diff(b, encode(t, got)); diff != "" {
				t.Errorf("writing the read index gives other bytes (-first +second):\n%s", diff)
			}
		})
	}
}

// errWriter fails once it has taken limit bytes.
type errWriter struct{ limit int }

var errDiskFull = errors.New("disk full")

func (w *errWriter) Write(p []byte) (int, error) {
	if len(p) > w.limit {
		n := w.limit
		w.limit = 0
		return n, errDiskFull
	}
	w.limit -= len(p)
	return len(p), nil
}

func TestExactWriteToError(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	x := newExact(t, randomCorpus(r, 3, 100, 4))
	size := len(encode(t, x))
	for limit := range size {
		if _, err := x.WriteTo(&errWriter{limit: limit}); !errors.Is(err, errDiskFull) {
			t.Errorf("WriteTo failing after %d of %d bytes = %v, want the writer's error", limit, size, err)
		}
	}
}

// exactFile builds a file in the exact format by hand; sum appends the right checksum.
type exactFile struct{ b []byte }

func (f *exactFile) u32(vs ...uint32) *exactFile {
	for _, v := range vs {
		f.b = binary.LittleEndian.AppendUint32(f.b, v)
	}
	return f
}

func (f *exactFile) str(s string) *exactFile { f.b = append(f.b, s...); return f }

func (f *exactFile) f32(vs ...float32) *exactFile {
	for _, v := range vs {
		f.u32(math.Float32bits(v))
	}
	return f
}

func (f *exactFile) header(count uint32) *exactFile {
	return f.str(exactMagic).u32(exactVersion, count)
}

func (f *exactFile) sum() []byte {
	return binary.LittleEndian.AppendUint32(slices.Clone(f.b), crc32.ChecksumIEEE(f.b))
}

func TestReadExactCorrupt(t *testing.T) {
	small := encode(t, newExact(t, map[string]embed.Vector{"a": vec(1, 0.6, 5, 0.8), "bb": vec(5, 1)}))
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"magic only", []byte(exactMagic)},
		{"bad magic", append([]byte("KVEY"), small[4:]...)},
		{"another format's magic", append([]byte("KVHN"), small[4:]...)},
		{"version 0", new(exactFile).str(exactMagic).u32(0, 0).sum()},
		{"version 2", new(exactFile).str(exactMagic).u32(2, 0).sum()},
		{"no checksum", new(exactFile).header(0).b},
		{"wrong checksum", append(new(exactFile).header(0).b, 1, 2, 3, 4)},
		{"trailing byte", append(slices.Clone(small), 0)},
		{"trailing copy", append(slices.Clone(small), small...)},
		{"count above the entries", new(exactFile).header(2).u32(1).str("a").u32(1, 3).f32(1).sum()},
		{"count below the entries", new(exactFile).header(0).u32(1).str("a").u32(1, 3).f32(1).sum()},
		{"key length out of range", new(exactFile).header(1).u32(math.MaxUint32).sum()},
		{"key length past the end", new(exactFile).header(1).u32(1 << 20).str("a").sum()},
		{"vector length out of range", new(exactFile).header(1).u32(1).str("a").u32(math.MaxUint32).sum()},
		{"vector length past the end", new(exactFile).header(1).u32(1).str("a").u32(1 << 20).sum()},
		{"unsorted indices, checksum right", new(exactFile).header(1).u32(1).str("a").u32(2, 5, 3).f32(1, 1).sum()},
		{"duplicate index, checksum right", new(exactFile).header(1).u32(1).str("a").u32(2, 3, 3).f32(1, 1).sum()},
		{"NaN value, checksum right", new(exactFile).header(1).u32(1).str("a").u32(1, 3).f32(float32(math.NaN())).sum()},
		{"Inf value, checksum right", new(exactFile).header(1).u32(1).str("a").u32(1, 3).f32(float32(math.Inf(1))).sum()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, err := ReadExact(bytes.NewReader(tc.in))
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("ReadExact = %v, want ErrCorrupt", err)
			}
			if x != nil {
				t.Errorf("ReadExact returned an index (Len %d) with an error", x.Len())
			}
		})
	}
	// The hand-built files are right but for the damage: the same builder makes a readable file.
	ok := new(exactFile).header(1).u32(1).str("a").u32(2, 3, 5).f32(1, 1).sum()
	if x, err := ReadExact(bytes.NewReader(ok)); err != nil || x.Len() != 1 {
		t.Fatalf("ReadExact(hand-built file) = %v, %v", x, err)
	}
}

func testFile(t *testing.T) []byte {
	t.Helper()
	return encode(t, newExact(t, map[string]embed.Vector{
		"2106.01234": vec(1, 0.6, 5, 0.8),
		"b":          vec(5, 1),
		"":           {},
		"hep-th/1":   vec(0, 0.5, 70000, -0.5, 1<<20, 0.25),
	}))
}

func TestReadExactTruncated(t *testing.T) {
	b := testFile(t)
	for n := range len(b) {
		x, err := ReadExact(bytes.NewReader(b[:n]))
		if !errors.Is(err, ErrCorrupt) || x != nil {
			t.Errorf("ReadExact(first %d of %d bytes) = %v, %v; want ErrCorrupt", n, len(b), x, err)
		}
	}
}

func TestReadExactFlippedByte(t *testing.T) {
	b := testFile(t)
	for i := range b {
		for _, mask := range []byte{0x01, 0x80, 0xff} {
			c := slices.Clone(b)
			c[i] ^= mask
			x, err := ReadExact(bytes.NewReader(c))
			if !errors.Is(err, ErrCorrupt) || x != nil {
				t.Errorf("ReadExact with byte %d of %d xor %#x = %v, %v; want ErrCorrupt", i, len(b), mask, x, err)
			}
		}
	}
}

// ReadExact never panics, damage is always ErrCorrupt, and what it accepts it writes back stably.
func FuzzReadExact(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, x := range []*Exact{
		NewExact(),
		newExact(f, map[string]embed.Vector{"a": vec(1, 0.6, 5, 0.8), "b": {}}),
		newExact(f, randomCorpus(r, 5, 1000, 4)),
	} {
		f.Add(encode(f, x))
	}
	f.Add([]byte{})
	f.Add([]byte(exactMagic))
	f.Add(new(exactFile).header(2).u32(1).str("a").u32(1, 3).f32(1).u32(1).str("a").u32(0).sum()) // a key twice
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := ReadExact(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("ReadExact error %v does not wrap ErrCorrupt", err)
			}
			if x != nil {
				t.Fatal("ReadExact returned an index with an error")
			}
			return
		}
		again := encode(t, x)
		y, err := ReadExact(bytes.NewReader(again))
		if err != nil {
			t.Fatalf("ReadExact of a rewritten index: %v", err)
		}
		if diff := cmp.Diff(again, encode(t, y)); diff != "" {
			t.Errorf("rewrite is not stable (-first +second):\n%s", diff)
		}
	})
}

// BenchmarkExactSearch times one top-10 search over random sparse vectors shaped like the embedder's:
// about 200 entries in a 2^20 space, half of them from a small pool of common features so that
// documents share terms with the query.
func BenchmarkExactSearch(b *testing.B) {
	const dim, nnz, common = 1 << 20, 200, 4096
	r := rand.New(rand.NewPCG(42, 42))
	vector := func() embed.Vector {
		seen := map[uint32]float32{}
		for i := range nnz {
			ix := r.Uint32N(dim)
			if i%2 == 0 {
				ix = r.Uint32N(common) * (dim / common)
			}
			seen[ix] = r.Float32()
		}
		var v embed.Vector
		var norm float64
		for _, ix := range slices.Sorted(maps.Keys(seen)) {
			v.Idx = append(v.Idx, ix)
			v.Val = append(v.Val, seen[ix])
			norm += float64(seen[ix]) * float64(seen[ix])
		}
		for i := range v.Val {
			v.Val[i] /= float32(math.Sqrt(norm))
		}
		return v
	}
	queries := make([]embed.Vector, 16)
	for i := range queries {
		queries[i] = vector()
	}
	x := NewExact()
	for _, n := range []int{1_000, 10_000} {
		for x.Len() < n {
			if err := x.Add(fmt.Sprintf("p%06d", x.Len()), vector()); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			i := 0
			for b.Loop() {
				if len(x.Search(queries[i%len(queries)], 10)) == 0 {
					b.Fatal("no hits")
				}
				i++
			}
		})
	}
}

package hnsw

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/vector"
)

// TestRoundTrip saves graphs (empty, one node, a corpus with tombstones) and expects the loaded
// graph to give the same searches, the same keys and the same file again.
func TestRoundTrip(t *testing.T) {
	c := testCorpus(size(1000), 20)
	withDead := build(t, c, Options{M: 8, EfConstruction: 48, Seed: 2, MaxTombstoneRatio: -1, EfSearch: 40,
		DropPrunedConnections: true, Seeds: -1, ExactMaxPostings: 5000})
	for _, k := range c.keys[:size(1000)/10] {
		withDead.Delete(k)
	}
	one := New(Options{})
	if err := one.Add("a", vec(3, 1)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		g    *Graph
	}{
		{"empty", New(Options{})},
		{"one", one},
		{"corpus with tombstones", withDead},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := encode(t, tc.g)
			got, err := Read(bytes.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(encode(t, got), file) {
				t.Error("saving the loaded graph gives a different file")
			}
			wantOpts, gotOpts := tc.g.Options(), got.Options()
			if d := cmp.Diff(wantOpts, gotOpts); d != "" {
				t.Errorf("options (-want +got):\n%s", d)
			}
			if got.Len() != tc.g.Len() || got.Footprint().Tombstones != tc.g.Footprint().Tombstones {
				t.Errorf("Len %d, tombstones %d; want %d, %d", got.Len(), got.Footprint().Tombstones, tc.g.Len(), tc.g.Footprint().Tombstones)
			}
			for _, q := range append(c.queries[:10:10], c.short[:10]...) {
				for _, r := range []Route{RouteGraph, RoutePostings} {
					p := SearchParams{K: 10, Route: r}
					want, _ := tc.g.SearchWith(q, p)
					have, _ := got.SearchWith(q, p)
					if d := cmp.Diff(want, have); d != "" {
						t.Fatalf("route %v (-before +after):\n%s", r, d)
					}
				}
			}
			// The loaded graph stays writable.
			if err := got.Add("new", vec(5, 1)); err != nil {
				t.Fatal(err)
			}
			if h := got.Search(vec(5, 1), 1); len(h) != 1 || h[0].Key != "new" {
				t.Errorf("search after adding to a loaded graph = %v", h)
			}
		})
	}
}

// TestReadCorrupt damages a valid file in ways a disk or a bug could and expects ErrCorrupt.
func TestReadCorrupt(t *testing.T) {
	c := testCorpus(200, 1)
	file := encode(t, build(t, c, fast))
	// resum fixes the trailing checksum, so that the damage reaches the structural checks.
	resum := func(b []byte) []byte {
		binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
		return b
	}
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(file)) }
	const nodesAt = 4 + 4 + 44 + 8 // magic, version, options, count and entry
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"magic only", file[:4]},
		{"truncated header", file[:20]},
		{"truncated body", file[:len(file)/2]},
		{"no checksum", file[:len(file)-4]},
		{"trailing data", append(bytes.Clone(file), 0)},
		{"bad magic", edit(func(b []byte) []byte { b[0] = 'X'; return resum(b) })},
		{"future version", edit(func(b []byte) []byte { b[4] = 9; return resum(b) })},
		{"flipped bit", edit(func(b []byte) []byte { b[len(b)/2] ^= 1; return b })},
		{"M zero", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], 0); return resum(b) })},
		{"entry past count", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[nodesAt-4:], 1000); return resum(b) })},
		{"huge count", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[nodesAt-8:], 1<<31); return resum(b) })},
		{"huge key length", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[nodesAt:], 1<<30); return resum(b) })},
		{"link out of range", edit(func(b []byte) []byte { return resum(corruptFirstLink(t, b, nodesAt)) })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Read(bytes.NewReader(tc.data))
			if !errors.Is(err, vector.ErrCorrupt) {
				t.Fatalf("Read = %v, %v; want ErrCorrupt", g, err)
			}
		})
	}
}

// corruptFirstLink points the first node's first layer-0 link past the node table.
func corruptFirstLink(t *testing.T, b []byte, at int) []byte {
	t.Helper()
	u32 := func() uint32 { v := binary.LittleEndian.Uint32(b[at:]); at += 4; return v }
	keyLen := u32()
	at += int(keyLen)
	u32() // flags
	u32() // level
	nnz := u32()
	at += 8 * int(nnz)
	if k := u32(); k == 0 {
		t.Fatal("first node has no links")
	}
	binary.LittleEndian.PutUint32(b[at:], 1<<20)
	return b
}

func FuzzRead(f *testing.F) {
	c := testCorpus(30, 1)
	small := build(f, c, Options{M: 2, EfConstruction: 4})
	small.Delete(c.keys[0])
	f.Add(encode(f, small))
	f.Add(encode(f, New(Options{})))
	f.Add([]byte("KHNW"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := Read(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, vector.ErrCorrupt) {
				t.Fatalf("Read error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		// Whatever loads must be searchable, writable and saveable without panicking.
		g.Search(vec(1, 1), 5)
		for _, v := range c.docs[:2] {
			g.SearchWith(v, SearchParams{K: 5, Route: RouteGraph})
			g.SearchWith(v, SearchParams{K: 5, Route: RoutePostings})
		}
		if err := g.Add("fuzz", c.docs[1]); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := g.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
	})
}

// TestBuildPostings checks the bulk builder against node-by-node appends, dense and sparse paths.
func TestBuildPostings(t *testing.T) {
	c := testCorpus(300, 1)
	big := vec(3, 0.6, denseFeatures+5, 0.8)
	for _, tc := range []struct {
		name string
		docs []embed.Vector
	}{
		{"dense", c.docs},
		{"sparse", append(c.docs[:10:10], big)},
		{"empty", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var nodes []*node
			want := newPostings()
			for i, d := range tc.docs {
				nodes = append(nodes, &node{vec: makeNvec(d)})
				want.add(uint32(i), nodes[i].vec)
			}
			got := buildPostings(nodes)
			total := 0
			for f, list := range want.more {
				a, b := got.lists(f)
				if d := cmp.Diff(list, append(slices.Clone(a), b...), cmp.AllowUnexported(posting{})); d != "" {
					t.Fatalf("feature %d (-append +bulk):\n%s", f, d)
				}
				total += len(list)
			}
			// And nothing else: the bulk lists hold exactly the postings appended.
			n := len(got.base)
			for _, l := range got.more {
				n += len(l)
			}
			if n != total {
				t.Errorf("bulk lists hold %d postings, want %d", n, total)
			}
		})
	}
}

// TestFormatExample checks the worked example at the top of write.go.
func TestFormatExample(t *testing.T) {
	g := New(Options{})
	if err := g.Add("b", vec(3, 0.6, 9, 0.8)); err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0x4b, 0x48, 0x4e, 0x57, 1, 0, 0, 0,
		16, 0, 0, 0, 200, 0, 0, 0, 128, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xc9, 0x3f,
		0, 0, 0, 0, 32, 0, 0, 0, 0, 0, 0, 0,
		32, 0, 0, 0,
		1, 0, 0, 0, 1, 0, 0, 0,
		1, 0, 0, 0, 'b', 0, 0, 0, 0, 0, 0, 0, 0,
		2, 0, 0, 0, 3, 0, 0, 0, 9, 0, 0, 0,
		0x9a, 0x99, 0x19, 0x3f, 0xcd, 0xcc, 0x4c, 0x3f,
		0, 0, 0, 0,
	}
	want = binary.LittleEndian.AppendUint32(want, crc32.ChecksumIEEE(want))
	if d := cmp.Diff(want, encode(t, g)); d != "" {
		t.Errorf("file (-want +got):\n%s", d)
	}
	t.Logf("crc % x", want[len(want)-4:])
}

package hnsw

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index/vector"
)

// TestRoundTrip saves graphs (empty, one node, a corpus with tombstones) and expects the loaded
// graph to give the same searches, the same keys and the same file again.
func TestRoundTrip(t *testing.T) {
	c := testCorpus(1000, 20)
	withDead := build(t, c, Options{Seed: 2, MaxTombstoneRatio: -1, EfSearch: 40, DropPrunedConnections: true})
	for _, k := range c.keys[:100] {
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
	file := encode(t, build(t, c, Options{}))
	// resum fixes the trailing checksum, so that the damage reaches the structural checks.
	resum := func(b []byte) []byte {
		binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
		return b
	}
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(file)) }
	const nodesAt = 4 + 4 + 40 + 8 // magic, version, options, count and entry
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

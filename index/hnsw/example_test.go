package hnsw_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/hnsw"
)

func Example() {
	g := hnsw.New(hnsw.DefaultOptions())
	keys := []string{"cats", "dogs", "pets"}
	vecs := []embed.Vector{
		{Idx: []uint32{1, 2}, Val: []float32{0.8, 0.6}},
		{Idx: []uint32{3, 4}, Val: []float32{0.8, 0.6}},
		{Idx: []uint32{1, 3}, Val: []float32{0.6, 0.8}},
	}
	if err := g.AddBatch(context.Background(), keys, vecs); err != nil {
		panic(err)
	}
	q := embed.Vector{Idx: []uint32{1}, Val: []float32{1}}
	for _, h := range g.Search(q, 10) {
		fmt.Printf("%s %.1f\n", h.Key, h.Score)
	}

	// Save and load.
	var file bytes.Buffer
	if _, err := g.WriteTo(&file); err != nil {
		panic(err)
	}
	loaded, err := hnsw.Read(&file)
	if err != nil {
		panic(err)
	}
	hits, stats := loaded.SearchStats(q, 1, 0)
	fmt.Println(hits[0].Key, stats.Route)
	// Output:
	// cats 0.8
	// pets 0.6
	// cats postings
}

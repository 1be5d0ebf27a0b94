package embed_test

import (
	"fmt"

	"github.com/kindred-search/kindred/embed"
)

func Example() {
	e, err := embed.New(embed.DefaultOptions())
	if err != nil {
		panic(err)
	}
	stats := embed.NewStats(e.Options().Dim)
	for _, abstract := range []string{
		"Structured state space models for long sequences.",
		"Convolutional networks for image classification.",
	} {
		stats.Add(e.Features(abstract))
	}
	q := e.Embed("state space models", stats)
	d := e.Embed("Structured state space models for long sequences.", stats)
	fmt.Printf("%d features, cosine %.2f\n", q.Len(), embed.Dot(q, d))
	// Output: 5 features, cosine 0.67
}

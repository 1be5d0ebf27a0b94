package synth_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/synth"
)

func Example() {
	corpus := []paper.Paper{
		{ID: "1", Title: "Sparse attention for long documents", Abstract: "We propose sparse attention. It scales to long documents, and it is fast.", Categories: []string{"cs.CL"}},
		{ID: "2", Title: "Pruning large language models", Abstract: "We prune large language models without retraining. The pruned models are fast.", Categories: []string{"cs.LG", "cs.CL"}},
	}
	m, err := synth.Learn(context.Background(), synth.Papers(corpus), synth.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Summary())
	m.Generate(rand.New(rand.NewPCG(1, 0)), 2, func(p paper.Paper) error {
		fmt.Println(p.ID, p.Validate() == nil)
		return nil
	})
	// Output:
	// 2 papers, 21 words, 2 categories, 4.5 title words and 12.5 abstract words on average
	// syn-0000001 true
	// syn-0000002 true
}

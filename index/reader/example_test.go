package reader_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

func Example() {
	input := `{"id": "2503.11742", "title": "Safe Vision-Language Models", "abstract": "VLMs inherit\nbiases.", "authors": ["M. D'Incà"], "date": "2025-03-18", "comment": null}
{"_id": "4983", "title": "Microstructural development of white matter", "text": "Alterations of ...", "metadata": {}}
{"title": "A paper without an abstract"}
{"title": "Broken", }
`
	err := reader.Read(context.Background(), strings.NewReader(input), "papers.jsonl", reader.DefaultOptions(),
		func(p paper.Paper) error {
			fmt.Println(strings.TrimSpace(fmt.Sprintf("%s %q %s %s", p.ID, p.Abstract, p.Published, p.URL)))
			return nil
		},
		func(r reader.Rejection) { fmt.Println("skipped", r) })
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// 2503.11742 "VLMs inherit biases." 2025-03-18 https://arxiv.org/abs/2503.11742
	// 4983 "Alterations of ..."
	// skipped papers.jsonl:3: missing abstract
	// skipped papers.jsonl:4: invalid JSON at column 21: invalid character '}' looking for beginning of object key string
}

func ExampleRead_dailyPapers() {
	page := `Daily Papers

Oct 31

Mamba: Linear-Time Sequence Modeling with Selective State Spaces

Foundation models, now powering most of the exciting applications in deep learning, ...

  • 2 authors
·
Dec 1, 2023 12
`
	opts := reader.DefaultOptions()
	opts.Year = 2025 // for dates such as "Oct 24"
	err := reader.Read(context.Background(), strings.NewReader(page), "page.txt", opts,
		func(p paper.Paper) error {
			fmt.Println(p.Title)
			fmt.Println(p.ID, p.AuthorCount, p.Published, p.Upvotes)
			return nil
		}, nil)
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// Mamba: Linear-Time Sequence Modeling with Selective State Spaces
	// t-df89530678434b9f 2 2023-12-01 12
}

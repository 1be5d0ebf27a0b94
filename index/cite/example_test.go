package cite_test

import (
	"fmt"
	"strings"

	"github.com/kindred-search/kindred/index/cite"
	"github.com/kindred-search/kindred/index/paper"
)

var attention = paper.Paper{
	ID: "1706.03762", ArxivID: "1706.03762", Title: "Attention Is All You Need",
	Abstract: "The dominant sequence transduction models are based on complex recurrent networks.",
	Authors:  []string{"Ashish Vaswani", "Noam Shazeer"}, Venue: "NeurIPS 2017",
	Published: paper.Date{Year: 2017, Month: 6, Day: 12}, Categories: []string{"cs.CL"},
}

func ExampleBibTeX() {
	fmt.Print(string(cite.BibTeX(attention)))
	// Output:
	// @article{vaswani2017attention,
	//   title = {{Attention Is All You Need}},
	//   author = {Vaswani, Ashish and Shazeer, Noam},
	//   journal = {NeurIPS 2017},
	//   year = {2017},
	//   month = jun,
	//   date = {2017-06-12},
	//   eprint = {1706.03762},
	//   archivePrefix = {arXiv},
	//   primaryClass = {cs.CL},
	//   abstract = {The dominant sequence transduction models are based on complex recurrent networks.},
	// }
}

func ExampleRIS() {
	// RIS lines end in CRLF, as the specification asks; they are shown with LF here.
	fmt.Print(strings.ReplaceAll(string(cite.RIS(attention)), "\r\n", "\n"))
	// Output:
	// TY  - JOUR
	// ID  - 1706.03762
	// TI  - Attention Is All You Need
	// AU  - Vaswani, Ashish
	// AU  - Shazeer, Noam
	// PY  - 2017
	// DA  - 2017/06/12
	// T2  - NeurIPS 2017
	// AB  - The dominant sequence transduction models are based on complex recurrent networks.
	// AN  - arXiv:1706.03762
	// KW  - cs.CL
	// ER  -
}

func ExampleKeys() {
	fmt.Println(cite.Keys(attention, attention, paper.Paper{Title: "On the Origin of Species"}))
	// Output: [vaswani2017attentiona vaswani2017attentionb anonorigin]
}

// Package sample embeds Kindred's built-in sample corpus: a "Daily Papers" listing page of 63 paper
// abstracts, as copied from a browser. `kindred serve` loads it into a data directory that holds no
// index yet, so a fresh install has something to search.
//
//	opts := load.DefaultOptions()
//	opts.Reader.Year = sample.Year
//	sum, err := load.Reader(ctx, ix, sample.Open(), sample.Name, opts)
package sample

import (
	_ "embed"
	"io"
	"strings"
)

// Name is the corpus's file name, which labels it in rejections.
const Name = "daily-papers.txt"

// Year is the year of the listing. Dates on the page without a year ("Oct 24") are in it: its entries
// from October are arXiv 2510.* papers. Pass it as reader.Options.Year.
const Year = 2025

//go:embed daily-papers.txt
var text string

// Open returns a new reader over the corpus's text.
func Open() io.Reader { return strings.NewReader(text) }

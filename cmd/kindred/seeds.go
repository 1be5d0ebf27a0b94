package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kindred-search/kindred/index/eval"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

func seedsCommand() command {
	return command{
		name:    "seeds",
		summary: "write a \"papers like these\" evaluation from a corpus's authors: seed papers and the rest of each author's papers as relevant (for kindred eval --task recommend)",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			corpus := fs.String("corpus", "", "`FILE` of papers with authors, in any format `kindred index` reads (required)")
			n := fs.Int("n", 300, "number of authors (queries)")
			k := fs.Int("k", 3, "seed papers a query")
			seed := fs.Uint64("seed", 1, "random seed")
			out := fs.String("o", "", "output `DIR`: recommend.queries.jsonl and recommend.qrels.tsv (required)")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected arguments %q", args)
				}
				if *corpus == "" || *out == "" {
					return usagef("--corpus and -o are required")
				}
				if *n < 1 || *k < 1 {
					return usagef("--n and --k must be at least 1")
				}
				var ps []eval.SeedPaper
				err := reader.ReadFile(ctx, *corpus, reader.DefaultOptions(), func(p paper.Paper) error {
					ps = append(ps, eval.SeedPaper{ID: p.ID, Authors: p.Authors})
					return nil
				}, nil)
				if err != nil {
					return err
				}
				qs, qr, err := eval.AuthorSeeds(ps, *n, *k, *seed)
				if err != nil {
					return err
				}
				if err := os.MkdirAll(*out, 0o755); err != nil {
					return err
				}
				write := func(name string, fn func(*os.File) error) error {
					f, err := os.Create(filepath.Join(*out, name))
					if err != nil {
						return err
					}
					if err := fn(f); err != nil {
						f.Close()
						return fmt.Errorf("%s: %w", name, err)
					}
					return f.Close()
				}
				if err := write("recommend.queries.jsonl", func(f *os.File) error { return eval.WriteSeedQueries(f, qs) }); err != nil {
					return err
				}
				if err := write("recommend.qrels.tsv", func(f *os.File) error { return eval.WriteQrels(f, qr) }); err != nil {
					return err
				}
				fmt.Fprintf(e.stderr, "wrote %d queries of %d seeds each from %d papers to %s\n", len(qs), *k, len(ps), *out)
				return nil
			}
		},
	}
}

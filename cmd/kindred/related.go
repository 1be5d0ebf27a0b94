package main

import (
	"context"
	"flag"

	"github.com/kindred-search/kindred/index"
)

func relatedCommand() command {
	return command{
		name:    "related",
		summary: "list papers related to a paper in the index (by ID, arXiv ID or link, or DOI) or to pasted text (--text), with shared terms",
		usage:   "ID | --text TEXT",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			data := dataFlag(fs)
			text := fs.String("text", "", "find papers related to this text instead of a paper ID")
			var rf rankFlags
			addRankFlags(fs, &rf)
			return func(ctx context.Context, e *env, args []string) error {
				if (len(args) == 1) == (*text != "") {
					return usagef("give exactly one of a paper ID or --text")
				}
				rk, err := rf.ranking()
				if err != nil {
					return err
				}
				if rf.format, err = rf.output(); err != nil {
					return err
				}
				ix, err := openReadOnly(ctx, *data)
				if err != nil {
					return err
				}
				defer ix.Close()
				req := index.RelatedRequest{Ranking: rk}
				var res index.Response
				q := *text
				if q != "" {
					res, err = ix.Similar(ctx, q, req)
				} else {
					if q, err = ix.Resolve(ctx, args[0]); err == nil {
						res, err = ix.Related(ctx, q, req)
					}
				}
				if err != nil {
					return err
				}
				return printResults(e.stdout, q, res, rf)
			}
		},
	}
}

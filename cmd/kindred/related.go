package main

import (
	"context"
	"flag"
	"strings"

	"github.com/kindred-search/kindred/index"
)

func relatedCommand() command {
	return command{
		name:    "related",
		summary: "list papers related to a paper in the index (by ID), to several (papers like these, --not for papers unlike), or to pasted text (--text), with shared terms",
		usage:   "ID... | --text TEXT",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			data := dataFlag(fs)
			text := fs.String("text", "", "find papers related to this text instead of a paper ID")
			not := fs.String("not", "", "comma-separated IDs of papers whose topics to steer away from (with several IDs, or one)")
			var rf rankFlags
			addRankFlags(fs, &rf)
			return func(ctx context.Context, e *env, args []string) error {
				if (len(args) > 0) == (*text != "") {
					return usagef("give paper IDs or --text, not both")
				}
				rk, err := rf.ranking()
				if err != nil {
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
				switch {
				case q != "":
					res, err = ix.Similar(ctx, q, req)
				case len(args) == 1 && *not == "":
					q = args[0]
					res, err = ix.Related(ctx, q, req)
				default:
					q = strings.Join(args, " ")
					res, err = ix.Recommend(ctx, index.RecommendRequest{Positive: args, Negative: index.SplitIDs(*not), Ranking: rk})
				}
				if err != nil {
					return err
				}
				return printResults(e.stdout, q, res, rf)
			}
		},
	}
}

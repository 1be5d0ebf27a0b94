package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/kindred-search/kindred/index"
)

func relatedCommand() command {
	return command{
		name:    "related",
		summary: "list papers related to a paper in the index (by ID, arXiv ID or link, or DOI), to several (papers like these; --not for papers unlike), or to pasted text (--text), with shared terms",
		usage:   "REF... | --text TEXT",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			data := dataFlag(fs)
			text := fs.String("text", "", "find papers related to this text instead of a paper ID")
			not := fs.String("not", "", "comma-separated IDs of papers whose topics to steer away from (with several IDs, or one)")
			var rf rankFlags
			d := index.DefaultRankingOptions()
			addRankFlags(fs, &rf, fmt.Sprintf("%g for one paper or --text, %g for several papers or --not", d.RelatedAlpha, d.RecommendAlpha))
			return func(ctx context.Context, e *env, args []string) error {
				if (len(args) > 0) == (*text != "") {
					return usagef("give paper IDs or --text, not both")
				}
				rk, err := rf.ranking()
				if err != nil {
					return err
				}
				if rf.format, err = rf.output(); err != nil {
					return err
				}
				ix, err := openSearcher(ctx, *data)
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
					if q, err = ix.Resolve(ctx, args[0]); err == nil {
						res, err = ix.Related(ctx, q, req)
					}
				default:
					q = strings.Join(args, " ")
					var pos, neg []string
					if pos, err = resolveAll(ctx, ix, args); err == nil {
						if neg, err = resolveAll(ctx, ix, index.SplitIDs(*not)); err == nil {
							res, err = ix.Recommend(ctx, index.RecommendRequest{Positive: pos, Negative: neg, Ranking: rk})
						}
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

// resolveAll maps pasted references to paper IDs.
func resolveAll(ctx context.Context, ix searcher, refs []string) ([]string, error) {
	out := make([]string, len(refs))
	for i, r := range refs {
		id, err := ix.Resolve(ctx, r)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

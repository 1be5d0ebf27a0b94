package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/cite"
	"github.com/kindred-search/kindred/index/paper"
)

// rankFlags are the ranking flags search and related share.
type rankFlags struct {
	mode, fusion, from, to, category string
	alpha                            optionalFloat
	limit, offset                    int
	explain, json, strict            bool
	// format is the output: text, json or a citation format (see output).
	format string
}

// addRankFlags adds the ranking and output flags search and related share; alphaDefault says what
// the index uses when --alpha is not given.
func addRankFlags(fs *flag.FlagSet, r *rankFlags, alphaDefault string) {
	fs.StringVar(&r.mode, "mode", "hybrid", "ranking: keyword (BM25 over the words), vector (nearest neighbours of hashed word and bigram vectors; semantic is an old alias) or hybrid (both, fused)")
	fs.StringVar(&r.fusion, "fusion", "", "hybrid fusion: convex or rrf (default convex)")
	fs.Var(&r.alpha, "alpha", "convex fusion `weight` of the vector side, 0..1 (default: the index's, "+alphaDefault+")")
	fs.StringVar(&r.from, "from", "", "only papers published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)")
	fs.StringVar(&r.to, "to", "", "only papers published on or before this date")
	fs.StringVar(&r.category, "category", "", "only papers in one of these categories (comma-separated, e.g. cs.CL,cs.LG)")
	fs.IntVar(&r.limit, "limit", 10, "number of results (1-100)")
	fs.IntVar(&r.offset, "offset", 0, "results to skip")
	fs.BoolVar(&r.explain, "explain", false, "print each result's keyword and vector ranks and scores")
	fs.BoolVar(&r.json, "json", false, "print JSON (the same as --format json)")
	fs.StringVar(&r.format, "format", "text", "output: text, json, or the results' papers as citations: bibtex, ris or csl")
}

// output checks --format and --json: "text", "json" or a citation format.
func (r rankFlags) output() (string, error) {
	switch {
	case r.json && r.format != "text" && r.format != "json":
		return "", usagef("--json asks for --format json, not %s", r.format)
	case r.json:
		return "json", nil
	case r.format == "text" || r.format == "json":
		return r.format, nil
	}
	if _, ok := cite.ParseFormat(r.format); !ok {
		return "", usagef("unknown --format %q (want text, json, bibtex, ris or csl)", r.format)
	}
	return r.format, nil
}

// ranking checks the flags with the engine's parser of ranking parameters; a bad one is a usage error.
func (r rankFlags) ranking() (index.Ranking, error) {
	p := index.RankingParams{Mode: r.mode, Limit: &r.limit, Offset: &r.offset, From: r.from, To: r.to,
		Categories: []string{r.category}, Fusion: r.fusion}
	p.Alpha = r.alpha.v
	rk, err := p.Ranking()
	if err != nil {
		return rk, usagef("--%s", err)
	}
	return rk, nil
}

func searchCommand() command {
	return command{
		name:    "search",
		summary: "search the index (words, \"phrases\", +must, -not, title:word, authors:name, date:2024, word^2, prefix*, fuzzy~)",
		usage:   "QUERY...",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			data := dataFlag(fs)
			var rf rankFlags
			addRankFlags(fs, &rf, "0.3, 0.5 for queries of at most four words")
			fs.BoolVar(&rf.strict, "strict", false, "fail on a query syntax error instead of searching around it")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) == 0 {
					return usagef("no query")
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
				q := strings.Join(args, " ")
				res, err := ix.Search(ctx, index.Request{Query: q, Ranking: rk, Strict: rf.strict})
				if err != nil {
					return err
				}
				return printResults(e.stdout, q, res, rf)
			}
		},
	}
}

func openReadOnly(ctx context.Context, dir string) (*index.Index, error) {
	opts := index.DefaultOptions()
	opts.ReadOnly = true
	return index.Open(ctx, dir, opts)
}

// jsonResult is one result in --json output.
type jsonResult struct {
	Rank        int              `json:"rank"`
	ID          string           `json:"id"`
	Title       string           `json:"title"`
	Score       float64          `json:"score"`
	Published   paper.Date       `json:"published,omitzero"`
	Authors     []string         `json:"authors,omitempty"`
	Categories  []string         `json:"categories,omitempty"`
	URL         string           `json:"url,omitempty"`
	Keyword     *index.Component `json:"keyword,omitempty"`
	Vector      *index.Component `json:"vector,omitempty"`
	SharedTerms []string         `json:"shared_terms,omitempty"`
}

// printResults writes a page of results in rf.format, which output has checked.
func printResults(w io.Writer, q string, res index.Response, rf rankFlags) error {
	if f, ok := cite.ParseFormat(rf.format); ok {
		ps := make([]paper.Paper, len(res.Results))
		for i, r := range res.Results {
			ps[i] = r.Paper
		}
		_, err := w.Write(f.Write(ps...))
		return err
	}
	if rf.format == "json" {
		out := struct {
			Query      string             `json:"query"`
			Mode       index.Mode         `json:"mode"`
			Total      int                `json:"total"`
			TotalExact bool               `json:"total_exact"`
			TookMS     float64            `json:"took_ms"`
			Notes      []index.Note       `json:"query_notes,omitempty"`
			Author     *index.AuthorMatch `json:"author,omitempty"`
			Suggestion string             `json:"suggestion,omitempty"`
			Results    []jsonResult       `json:"results"`
		}{q, res.Mode, res.Total, res.TotalExact, float64(res.Took.Microseconds()) / 1000, res.Notes, res.Author, res.Suggestion, make([]jsonResult, len(res.Results))}
		for i, r := range res.Results {
			p := r.Paper
			out.Results[i] = jsonResult{rf.offset + i + 1, p.ID, p.Title, r.Score, p.Published, p.Authors, p.Categories, p.URL, r.Keyword, r.Vector, r.SharedTerms}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note: %s\n", n.Message)
	}
	if res.Author != nil {
		fmt.Fprintf(w, "author: %s (%d papers): search authors:\"%s\"\n", res.Author.Name, res.Author.Papers, res.Author.Name)
	}
	if res.Suggestion != "" {
		fmt.Fprintf(w, "did you mean: %s\n", res.Suggestion)
	}
	if len(res.Results) == 0 {
		fmt.Fprintf(w, "no results (mode %s)\n", res.Mode)
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, r := range res.Results {
		fmt.Fprintf(tw, "%d\t%.4f\t%s\t%s\t%s\n", rf.offset+i+1, r.Score, r.Paper.ID, clip(r.Paper.Title, 90), r.Paper.Published)
		if rf.explain {
			fmt.Fprintf(tw, "\t\t%s\n", explain(r))
		}
		if len(r.SharedTerms) > 0 {
			fmt.Fprintf(tw, "\t\tshares: %s\n", strings.Join(r.SharedTerms, ", "))
		}
	}
	tw.Flush()
	total := fmt.Sprint(res.Total)
	if !res.TotalExact {
		total = "about " + total
	}
	fmt.Fprintf(w, "%d of %s (mode %s, %s)\n", len(res.Results), total, res.Mode, res.Took.Round(time.Microsecond))
	return nil
}

func explain(r index.Result) string {
	part := func(name string, c *index.Component) string {
		if c == nil {
			return name + ": -"
		}
		return fmt.Sprintf("%s: #%d %.4f", name, c.Rank, c.Score)
	}
	return part("keyword", r.Keyword) + "  " + part("vector", r.Vector)
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

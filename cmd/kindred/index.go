package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/load"
	"github.com/kindred-search/kindred/index/reader"
)

func indexCommand() command {
	return command{
		name:    "index",
		summary: "add papers from files (JSON Lines, arXiv snapshot, BEIR corpus, Daily Papers text; .gz ok) to the index",
		usage:   "FILE...",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			data := dataFlag(fs)
			format := fs.String("format", "", "input format: jsonl, json (one array) or daily (default: detected per file)")
			strict := fs.Bool("strict", false, "stop at the first rejected record with a non-zero exit")
			rebuild := fs.Bool("rebuild", false, "rebuild vectors, graph and idf statistics from the stored papers (repairs a damaged index); files are optional")
			vectorIdx := fs.String("vector-index", index.VectorAuto, "vector index for a new index: auto, hnsw or exact")
			quiet := fs.Bool("quiet", false, "no progress output")
			return func(ctx context.Context, e *env, files []string) error {
				if len(files) == 0 && !*rebuild {
					return usagef("no input files")
				}
				f, err := parseFormat(*format)
				if err != nil {
					return err
				}
				opts := index.DefaultOptions()
				opts.Rebuild = *rebuild
				opts.VectorIndex = *vectorIdx
				start := time.Now()
				ix, err := index.Open(ctx, *data, opts)
				if err != nil {
					return err
				}
				if *rebuild {
					fmt.Fprintf(e.stderr, "rebuilt vectors and statistics for %d papers in %s\n", ix.Count(), time.Since(start).Round(time.Millisecond))
				}
				if len(files) == 0 {
					return ix.Close()
				}
				lo := load.DefaultOptions()
				lo.Reader.Format = f
				lo.Reader.Strict = *strict
				lo.Reject = func(r reader.Rejection) { fmt.Fprintf(e.stderr, "rejected %s\n", r) }
				if !*quiet {
					lo.Progress = newProgress(e)
				}
				sum, lerr := load.Files(ctx, ix, files, lo)
				n := ix.Count()
				cerr := ix.Close()
				fmt.Fprintf(e.stdout, "%s\nindex %s now holds %d papers\n", sum, *data, n)
				if lerr != nil {
					return lerr
				}
				return cerr
			}
		},
	}
}

func parseFormat(s string) (reader.Format, error) {
	switch reader.Format(s) {
	case reader.FormatAuto, reader.FormatJSONL, reader.FormatJSON, reader.FormatDaily:
		return reader.Format(s), nil
	}
	return "", usagef("unknown --format %q (want jsonl, json or daily)", s)
}

// newProgress shows a progress bar on a terminal and a plain line every few seconds elsewhere.
func newProgress(e *env) func(load.Progress) {
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		var file string
		return func(p load.Progress) {
			if bar == nil || p.File != file {
				if bar != nil {
					bar.Finish()
				}
				file = p.File
				bar = progressbar.NewOptions64(max(p.FileSize, -1),
					progressbar.OptionSetWriter(e.stderr),
					progressbar.OptionSetDescription(p.File),
					progressbar.OptionShowBytes(true),
					progressbar.OptionSetPredictTime(true),
					progressbar.OptionThrottle(200*time.Millisecond),
					progressbar.OptionClearOnFinish())
			}
			bar.Set64(p.FileRead)
			bar.Describe(fmt.Sprintf("%s: %d papers, %.0f/s", p.File, p.Accepted, float64(p.Accepted)/p.Elapsed.Seconds()))
		}
	}
	var last time.Time
	return func(p load.Progress) {
		if time.Since(last) < 5*time.Second {
			return
		}
		last = time.Now()
		eta := ""
		if p.FileSize > 0 && p.FileRead > 0 && p.FileRead < p.FileSize {
			left := time.Duration(float64(p.Elapsed) * float64(p.FileSize-p.FileRead) / float64(p.FileRead))
			eta = fmt.Sprintf(", %.0f%% of %s, about %s left", 100*float64(p.FileRead)/float64(p.FileSize), p.File, left.Round(time.Second))
		}
		fmt.Fprintf(e.stderr, "indexed %d papers (%d rejected) in %s, %.0f papers/s%s\n",
			p.Accepted, p.Rejected, p.Elapsed.Round(time.Second), float64(p.Accepted)/p.Elapsed.Seconds(), eta)
	}
}

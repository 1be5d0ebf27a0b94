package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/load"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

func indexCommand() command {
	return command{
		name:    "index",
		summary: "add papers from files (JSON Lines or arrays, arXiv snapshot, BEIR corpus, CSL-JSON, BibTeX, RIS, OpenAlex, PubMed XML, Semantic Scholar, Daily Papers text; .gz ok) to the index",
		usage:   "FILE...",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			data := dataFlag(fs)
			format := fs.String("format", "", "input format: jsonl, json (one array), csl (CSL-JSON, as Zotero exports it), bibtex, ris, openalex, pubmed (PubMed/MEDLINE XML), s2 (Semantic Scholar) or daily (default: detected per file)")
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
					return lockedHint(*data, err)
				}
				if *rebuild {
					fmt.Fprintf(e.stderr, "rebuilt vectors and statistics for %d papers in %s\n", ix.Count(), time.Since(start).Round(time.Millisecond))
				}
				if len(files) == 0 {
					return ix.Close()
				}
				if err := removeSample(ctx, ix, *data, e.stdout); err != nil {
					n := ix.Count()
					ix.Close()
					if errors.Is(err, index.ErrNoSpace) {
						return fmt.Errorf("the disk is full, nothing was loaded: %v; the index holds %d papers, all of them on disk; free some space and run the same command again", err, n)
					}
					return err
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
				// The summary counts only what Upsert acknowledged, which is on disk: it is true even
				// when the load failed. "now holds" is said only of a load that completed.
				fmt.Fprintln(e.stdout, sum)
				switch {
				case errors.Is(lerr, index.ErrNoSpace):
					return fmt.Errorf("the disk is full, the load stopped: %v; the index holds %d papers, all of them on disk; free some space and run the same command again (papers already in the index are replaced, not added twice)", lerr, n)
				case lerr != nil:
					return fmt.Errorf("%w (the index holds %d papers, all of them on disk)", lerr, n)
				case cerr != nil:
					return fmt.Errorf("the papers are indexed and on disk (the index holds %d), but saving the vectors file failed: %w; the next run replays what it lacks", n, cerr)
				}
				fmt.Fprintf(e.stdout, "index %s now holds %d papers\n", *data, n)
				return emptyFiles(sum.Files)
			}
		},
	}
}

func parseFormat(s string) (reader.Format, error) {
	if f := reader.Format(s); f == reader.FormatAuto || slices.Contains(reader.Formats(), f) {
		return f, nil
	}
	return "", usagef("unknown --format %q (want %s)", s, formatNames())
}

// formatNames lists the formats --format takes: "jsonl, json, ... or daily".
func formatNames() string {
	var names []string
	for _, f := range reader.Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// emptyFiles is the error for the files that gave no paper although they held records, one hint each
// by their most common reason (the other files are indexed all the same); nil when there are none.
func emptyFiles(files []load.FileSummary) error {
	var hints []string
	for _, f := range files {
		if f.Empty() {
			hints = append(hints, emptyHint(f))
		}
	}
	if len(hints) == 0 {
		return nil
	}
	return errors.New(strings.Join(hints, "; "))
}

// emptyHint says why a file gave nothing and what to do about it, in one line.
func emptyHint(f load.FileSummary) string {
	name, reason := f.File, f.TopReason()
	switch {
	case reason == paper.ErrMissingAbstract.Error() && isReferenceExport(name):
		return fmt.Sprintf("no record in %s had an abstract: export abstracts from Zotero (File > Export Library, format CSL JSON or Better BibTeX with the abstract field)", name)
	case reason == paper.ErrMissingAbstract.Error():
		return fmt.Sprintf(`no record in %s had an abstract: each needs one ("abstract", or "text" in a BEIR corpus)`, name)
	case reason == paper.ErrMissingTitle.Error():
		return fmt.Sprintf("no record in %s had a title: each needs one", name)
	case reason == "invalid JSON" || strings.HasPrefix(reason, "not a JSON object"):
		return fmt.Sprintf("no record in %s is a JSON object: if the file is in another format, name it with --format (%s)", name, formatNames())
	case strings.HasPrefix(reason, "record is longer than"):
		return fmt.Sprintf("every record in %s is too long (%s): if the file is one JSON document, try --format json", name, reason)
	case reason == "invalid BibTeX entry" || reason == "unbalanced braces":
		return fmt.Sprintf("no entry in %s could be read as BibTeX (%s): export it again from your reference manager", name, reason)
	}
	return fmt.Sprintf("no record in %s could be indexed: %d rejected, most for %q", name, f.Rejected, reason)
}

// isReferenceExport reports whether a file name is that of a reference manager's export.
func isReferenceExport(name string) bool {
	switch strings.ToLower(filepath.Ext(strings.TrimSuffix(name, ".gz"))) {
	case ".bib", ".bibtex", ".biblatex", ".ris", ".json", ".csl", ".csljson":
		return true
	}
	return false
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

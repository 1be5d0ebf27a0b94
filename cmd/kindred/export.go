package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/kindred-search/kindred/index/cite"
	"github.com/kindred-search/kindred/index/paper"
)

func exportCommand() command {
	return command{
		name:    "export",
		summary: "write papers of the index (by ID, arXiv ID or link, or DOI; - reads them from stdin) as BibTeX, RIS or CSL-JSON",
		usage:   "ID... | -",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			data := dataFlag(fs)
			format := fs.String("format", string(cite.FormatBibTeX), "bibtex, ris, csl, or json (the papers as a JSON array)")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) == 0 {
					return usagef("no paper to export")
				}
				f, ok := cite.ParseFormat(*format)
				if !ok && *format != "json" {
					return usagef("unknown --format %q (want bibtex, ris, csl or json)", *format)
				}
				refs, err := exportRefs(e, args)
				if err != nil {
					return err
				}
				ix, err := openReadOnly(ctx, *data)
				if err != nil {
					return err
				}
				defer ix.Close()
				ps, missing, err := ix.Lookup(ctx, refs...)
				if err != nil {
					return err
				}
				if err := writePapers(e, f, ps); err != nil {
					return err
				}
				if len(missing) > 0 {
					list := strings.Join(missing[:min(len(missing), 10)], ", ")
					if len(missing) > 10 {
						list += ", …"
					}
					return fmt.Errorf("%d of %d not in the index: %s", len(missing), len(refs), list)
				}
				return nil
			}
		},
	}
}

// exportRefs are the references of the command line, or of stdin for "-".
func exportRefs(e *env, args []string) ([]string, error) {
	if len(args) != 1 || args[0] != "-" {
		return args, nil
	}
	var refs []string
	sc := bufio.NewScanner(e.stdin)
	for sc.Scan() {
		if ref := strings.TrimSpace(sc.Text()); ref != "" {
			refs = append(refs, ref)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read stdin: %w", err)
	}
	if len(refs) == 0 {
		return nil, errors.New("no paper to export on stdin")
	}
	return refs, nil
}

// writePapers writes the papers in citation format f, or as a JSON array when f is "".
func writePapers(e *env, f cite.Format, ps []paper.Paper) error {
	if f != "" {
		_, err := e.stdout.Write(f.Write(ps...))
		return err
	}
	if ps == nil {
		ps = []paper.Paper{}
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(ps)
}

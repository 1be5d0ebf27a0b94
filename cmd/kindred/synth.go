package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
	"github.com/kindred-search/kindred/index/synth"
)

func synthCommand() command {
	return command{
		name:    "synth",
		summary: "write a synthetic corpus whose vocabulary and lengths follow a real one (JSON Lines, gzip for .gz), for scale tests",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			like := fs.String("like", "", "`FILE` of real papers to learn from, in any format `kindred index` reads (required)")
			n := fs.Int("n", 1000, "number of papers to write")
			seed := fs.Uint64("seed", 1, "random seed: the same seed and FILE give the same papers")
			out := fs.String("o", "-", "output `FILE`, gzip-compressed when it ends in .gz; - for standard output")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected arguments %q", args)
				}
				if *like == "" {
					return usagef("--like FILE is required")
				}
				if *n < 0 {
					return usagef("--n must not be negative")
				}
				start := time.Now()
				m, err := synth.LearnFile(ctx, *like, reader.DefaultOptions(), synth.DefaultOptions())
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stderr, "learned from %s: %s, in %s\n", *like, m.Summary(), time.Since(start).Round(time.Millisecond))
				start = time.Now()
				write := func(w io.Writer) error { return writeSynth(ctx, w, m, *seed, *n) }
				if *out == "-" {
					err = write(e.stdout)
				} else {
					err = writeSynthFile(*out, strings.HasSuffix(*out, ".gz"), write)
				}
				if err != nil {
					return err
				}
				el := time.Since(start)
				fmt.Fprintf(e.stderr, "wrote %d papers to %s in %s (%.0f papers/s)\n", *n, *out, el.Round(time.Millisecond), float64(*n)/el.Seconds())
				return nil
			}
		},
	}
}

// writeSynth writes n papers of m as JSON lines, in the plain shape package reader reads.
func writeSynth(ctx context.Context, w io.Writer, m *synth.Model, seed uint64, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	i := 0
	err := m.Generate(rand.New(rand.NewPCG(seed, 0)), n, func(p paper.Paper) error {
		if i++; i%10_000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return enc.Encode(p)
	})
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return bw.Flush()
}

// writeSynthFile writes path through a temporary file in its directory, renamed over path only once
// complete, so an interrupted run leaves no half-written corpus behind.
func writeSynthFile(path string, gz bool, write func(io.Writer) error) error {
	var werr error // write's own error, passed on as it is
	err := writeAtomic(path, 0o644, func(f io.Writer) error {
		if !gz {
			werr = write(f)
			return werr
		}
		zw := gzip.NewWriter(f)
		if werr = write(zw); werr != nil {
			return werr
		}
		return zw.Close()
	})
	if err != nil && err != werr {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return err
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// command is one subcommand. run returns a usageError for bad arguments.
type command struct {
	name    string
	summary string
	usage   string // arguments after the flags, for the help line
	flags   func(fs *flag.FlagSet) func(ctx context.Context, env *env, args []string) error
	// sub holds subcommands ("kindred bench ann"), which parse their own flags.
	sub map[string]func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch: its streams. Commands never call os.Exit.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// usageError marks an error in how the command was called (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func commands() []command {
	return []command{
		indexCommand(),
		searchCommand(),
		relatedCommand(),
		exportCommand(),
		evalCommand(),
		benchCommand(),
		serveCommand(),
		synthCommand(),
		seedsCommand(),
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		// A panic is a bug; it still ends as one line and a failure, not a stack trace and the
		// usage code (2) that the Go runtime exits with.
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "kindred: internal error, please report it: %v\n", r)
			code = exitFailure
		}
	}()
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return run(ctx, []string{args[1], "-h"}, stdin, stdout, stderr)
		}
		printHelp(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintln(stdout, "kindred", version())
		return exitOK
	}
	cmds := commands()
	i := slices.IndexFunc(cmds, func(c command) bool { return c.name == args[0] })
	if i < 0 {
		fmt.Fprintf(stderr, "kindred: unknown command %q; run `kindred help` for the list\n", args[0])
		return exitUsage
	}
	c := cmds[i]
	if len(args) > 1 && c.sub[args[1]] != nil {
		return report(c.name+" "+args[1], c.sub[args[1]](ctx, e, args[2:]), stderr)
	}
	fs := flag.NewFlagSet("kindred "+c.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	exec := c.flags(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: kindred %s [flags] %s\n\n%s\n\nflags:\n", c.name, c.usage, c.summary)
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args[1:])); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage // the flag package has printed the error and the usage
	}
	return report(c.name, exec(ctx, e, fs.Args()), stderr)
}

// report prints a command's error as one line and returns the exit code.
func report(name string, err error, stderr io.Writer) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "kindred %s: %v\nrun `kindred %s -h` for usage\n", name, err, name)
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "kindred %s: interrupted\n", name)
		return exitFailure
	default:
		fmt.Fprintf(stderr, "kindred %s: %v\n", name, err)
		return exitFailure
	}
}

// reorder moves flags after positional arguments to the front, so `kindred search --data D query
// --limit 5` works as people type it. A "--" ends flag parsing.
func reorder(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, pos...)
}

func printHelp(w io.Writer) {
	fmt.Fprintf(w, "kindred %s: search engine for research-paper abstracts\n\nusage: kindred COMMAND [flags] [args]\n\ncommands:\n", version())
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	fmt.Fprintf(tw, "  help COMMAND\tshow a command's flags\n")
	fmt.Fprintf(tw, "  version\tprint the version\n")
	tw.Flush()
	fmt.Fprintf(w, "\nThe data directory defaults to $KINDRED_DATA, else %s.\n", defaultDataDir())
}

func version() string { return "0.1.0 (" + runtime.Version() + ")" }

// defaultDataDir is $KINDRED_DATA, else the per-user data directory:
// $XDG_DATA_HOME/kindred, else ~/.local/share/kindred (on macOS ~/Library/Application Support/kindred).
func defaultDataDir() string {
	if d := os.Getenv("KINDRED_DATA"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "kindred")
	}
	if runtime.GOOS == "darwin" {
		if d, err := os.UserConfigDir(); err == nil {
			return filepath.Join(d, "kindred")
		}
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "kindred")
	}
	return "kindred-data"
}

func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", defaultDataDir(), "data directory (env KINDRED_DATA)")
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// optionalFloat is a float flag that may be left unset (v nil): unlike a sentinel default, it shows
// no default in the help and takes every number, so that an out-of-range one is reported as such.
type optionalFloat struct{ v *float64 }

func (o *optionalFloat) String() string {
	if o == nil || o.v == nil {
		return ""
	}
	return strconv.FormatFloat(*o.v, 'g', -1, 64)
}

func (o *optionalFloat) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return errors.New("not a number")
	}
	o.v = &x
	return nil
}

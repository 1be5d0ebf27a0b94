// Command kindred indexes research-paper abstracts and searches them: keyword, nearest-neighbour and
// hybrid ranking, related papers, an HTTP API and a web UI. Run `kindred help` for the commands.
package main

import (
	"context"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// Bleve prints some of its troubles through the standard logger as well as returning them; the
	// commands report errors as one line of their own (serve logs these as warnings).
	log.SetOutput(io.Discard)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

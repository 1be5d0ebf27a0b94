package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	stdlog "log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kindred-search/kindred/api"
	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/load"
	"github.com/kindred-search/kindred/index/reader"
	"github.com/kindred-search/kindred/index/sample"
	"github.com/kindred-search/kindred/ui"
)

// serveConfig is what `kindred serve` runs with, from its flags and the environment.
type serveConfig struct {
	dir        string
	addr       string // HOST:PORT; port 0 picks a free one, reported in the "listening" log record
	adminToken string
	sample     bool          // load the built-in sample into a data directory that holds no index
	saveEvery  time.Duration // how often unsaved writes are saved
	timeout    time.Duration // how long a read may work before it answers 503 timeout
	// shutdownWait bounds how long in-flight requests may take to finish once the server stops.
	shutdownWait time.Duration
}

func serveCommand() command {
	return command{
		name:    "serve",
		summary: "serve the HTTP API and web UI (a data directory with no index gets the built-in sample corpus)",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			cfg := serveConfig{shutdownWait: 30 * time.Second}
			data := dataFlag(fs)
			fs.StringVar(&cfg.addr, "addr", envOr("KINDRED_ADDR", "127.0.0.1:8080"), "listen address `HOST:PORT`; port 0 picks a free one (env KINDRED_ADDR)")
			// No default shown for the token: `kindred serve -h` must not print a secret from the environment.
			fs.StringVar(&cfg.adminToken, "admin-token", "", "`TOKEN` that enables the write endpoints; clients send Authorization: Bearer TOKEN. "+
				"A flag shows in the process list (ps) to every user of the machine: prefer the environment variable KINDRED_ADMIN_TOKEN, which does not")
			fs.BoolVar(&cfg.sample, "sample", true, "load the built-in sample corpus when the data directory holds no index")
			fs.DurationVar(&cfg.saveEvery, "save-every", 30*time.Second, "how often to save the vector index when writes are unsaved")
			fs.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "how long a search, related-papers or similar-text request may work before it stops and answers 503 timeout")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected arguments %q", args)
				}
				if cfg.saveEvery <= 0 {
					return usagef("--save-every must be positive")
				}
				if cfg.timeout <= 0 {
					return usagef("--timeout must be positive")
				}
				cfg.dir = *data
				if cfg.adminToken == "" {
					cfg.adminToken = os.Getenv("KINDRED_ADMIN_TOKEN")
				}
				gin.SetMode(gin.ReleaseMode)
				return serve(ctx, cfg, slog.New(slog.NewTextHandler(e.stderr, nil)))
			}
		},
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// serve opens the index, serves HTTP until ctx is done, then lets in-flight requests finish and closes
// the index, which saves it. A clean shutdown returns nil.
func serve(ctx context.Context, cfg serveConfig, log *slog.Logger) (err error) {
	// What Bleve prints through the standard logger goes to the server's log.
	stdlog.SetOutput(slog.NewLogLogger(log.Handler(), slog.LevelWarn).Writer())
	ix, err := index.Open(ctx, cfg.dir, index.DefaultOptions())
	if err != nil {
		return err
	}
	defer func() {
		n := ix.Count()
		if cerr := ix.Close(); cerr != nil {
			log.Error("closing the index", "err", cerr)
			err = errors.Join(err, cerr)
			return
		}
		log.Info("index saved and closed", "papers", n)
	}()
	if cfg.sample && isFresh(ix) {
		if err := loadSample(ctx, ix, log); err != nil {
			return err
		}
		if err := writeSampleFile(ctx, cfg.dir); err != nil {
			return fmt.Errorf("record the built-in sample: %w", err)
		}
	}
	log.Info("index open", "dir", cfg.dir, "papers", ix.Count())

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	// DIR/SERVER lets `kindred search` and `related` ask this server while it holds the directory.
	if removeServerFile, err := writeServerFile(cfg.dir, ln.Addr()); err != nil {
		log.Warn("could not write the server file; the CLI cannot reach this server through the data directory", "err", err)
	} else {
		defer removeServerFile()
	}
	webUI, err := ui.New(ix, ui.Options{Logger: log, Sample: holdsSample(cfg.dir)})
	if err != nil {
		return err
	}
	h := api.New(ix, api.Options{AdminToken: cfg.adminToken, Logger: log, Version: version(), UI: webUI, Timeout: cfg.timeout})
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      2 * time.Minute, // an upsert of a large batch embeds every paper
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if cfg.adminToken == "" {
		log.Info("writes disabled: set --admin-token or KINDRED_ADMIN_TOKEN to enable POST and DELETE /api/papers")
	}

	saveCtx, stopSaving := context.WithCancel(context.Background())
	var saving sync.WaitGroup
	saving.Go(func() { saveLoop(saveCtx, ix, cfg.saveEvery, log) })
	defer func() {
		stopSaving()
		saving.Wait()
	}()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "url", "http://"+ln.Addr().String()+"/")

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: waiting for in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownWait)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// isFresh reports whether ix was just created: no papers and never written to. An index whose papers
// were all deleted is not fresh, and does not get the sample back.
func isFresh(ix *index.Index) bool {
	return ix.Count() == 0 && ix.Stats().Generation == 0
}

func loadSample(ctx context.Context, ix *index.Index, log *slog.Logger) error {
	opts := load.DefaultOptions()
	opts.Reader.Year = sample.Year
	opts.Reject = func(r reader.Rejection) { log.Warn("sample record rejected", "at", r.String()) }
	sum, err := load.Reader(ctx, ix, sample.Open(), sample.Name, opts)
	if err != nil {
		return fmt.Errorf("load the built-in sample: %w", err)
	}
	log.Info("the data directory held no index: loaded the built-in sample corpus", "file", sample.Name,
		"papers", sum.Added+sum.Replaced, "rejected", sum.Rejected, "took", sum.Elapsed.Round(time.Millisecond))
	return nil
}

// saver is what saveLoop needs of the index.
type saver interface {
	Unsaved() uint64
	Save() error
}

// maxSaveBackoff bounds the wait between saves that keep failing.
const maxSaveBackoff = 10 * time.Minute

// saveLoop saves the vector side every interval when it has unsaved writes, so that a crash replays
// little on the next open. Close saves the rest on shutdown. A save that fails (a full disk) is
// retried after twice the wait, up to maxSaveBackoff, and logged once, not at every retry; the wait
// is back to every once a save succeeds again.
func saveLoop(ctx context.Context, ix saver, every time.Duration, log *slog.Logger) {
	wait, failures := every, 0
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		wait = every
		if n := ix.Unsaved(); n > 0 {
			switch err := ix.Save(); {
			case errors.Is(err, index.ErrClosed):
				return
			case err != nil:
				failures++
				wait = min(every<<min(failures, 30), max(maxSaveBackoff, every))
				if failures == 1 {
					log.Error("saving the index failed; retrying less and less often until it works (the writes are on disk in the full-text index, a crash loses none)", "err", err, "next_try_in", wait)
				}
			case failures > 0:
				log.Info("index saved again", "writes", n, "failed_tries", failures)
				failures = 0
			default:
				log.Info("index saved", "writes", n)
			}
		}
		t.Reset(wait)
	}
}

package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
)

// Core is what the handlers need from the engine: exactly the *index.Index methods they call, so that
// the HTTP layer depends on this interface and not on the index's internals. *index.Index implements it.
type Core interface {
	Search(ctx context.Context, req index.Request) (index.Response, error)
	// Resolve maps a reference as people paste it (an ID, arXiv identifier or link, DOI or doi.org
	// link) to the ID of the paper it names; Get and Related take that ID.
	Resolve(ctx context.Context, ref string) (string, error)
	Get(ctx context.Context, id string) (paper.Paper, error)
	// Lookup resolves many references at once: the papers named, each once, and the references
	// naming none.
	Lookup(ctx context.Context, refs ...string) ([]paper.Paper, []string, error)
	Related(ctx context.Context, id string, req index.RelatedRequest) (index.Response, error)
	Similar(ctx context.Context, text string, req index.RelatedRequest) (index.Response, error)
	Recommend(ctx context.Context, req index.RecommendRequest) (index.Response, error)
	Upsert(ctx context.Context, papers ...paper.Paper) (index.UpsertStats, error)
	Delete(ctx context.Context, ids ...string) (int, error)
	Stats() index.Stats
	// Count feeds the paper-count gauge of /metrics; it must be cheap.
	Count() int
}

var _ Core = (*index.Index)(nil)

// Options configure the handler. Zero fields take the default from DefaultOptions.
type Options struct {
	// AdminToken enables the write endpoints (POST /api/papers, DELETE /api/papers/{id}) for requests
	// bearing "Authorization: Bearer <AdminToken>". Default "": writes are disabled and answer 403.
	AdminToken string
	// MaxBodyBytes bounds a request body; a larger one is refused with 413. Default 8 MiB.
	MaxBodyBytes int64
	// GzipMinBytes is the smallest response body that is gzip-compressed for clients that accept it.
	// Default 1 KiB.
	GzipMinBytes int
	// Logger receives one access-log record per request, and the internal errors clients never see.
	// Default slog.Default().
	Logger *slog.Logger
	// Version is reported by /api/stats. Default "dev".
	Version string
	// UI, when set, serves every GET and HEAD request whose path is not under /api/ and is neither
	// /healthz nor /metrics: the web pages and their assets. Default nil: such paths answer 404.
	UI http.Handler
	// Timeout bounds the time a read (a search, related papers, similar text, a paper, a UI page) may
	// work: past it the engine stops and the request answers 503 timeout. Writes are bounded by
	// MaxBodyBytes instead, and a write that has reached the disk is never abandoned halfway.
	// Default 10 s; negative: no limit.
	Timeout time.Duration
}

// DefaultOptions returns the documented defaults.
func DefaultOptions() Options {
	return Options{MaxBodyBytes: 8 << 20, GzipMinBytes: 1 << 10, Logger: slog.Default(), Version: "dev", Timeout: 10 * time.Second}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = d.MaxBodyBytes
	}
	if o.GzipMinBytes <= 0 {
		o.GzipMinBytes = d.GzipMinBytes
	}
	if o.Logger == nil {
		o.Logger = d.Logger
	}
	if o.Version == "" {
		o.Version = d.Version
	}
	if o.Timeout == 0 {
		o.Timeout = d.Timeout
	}
	return o
}

// server holds what the handlers share. It has no mutable state: the core is safe for concurrent use.
type server struct {
	core Core
	opts Options
}

// New returns the HTTP handler of the API (and of the UI, when Options.UI is set) over core.
func New(core Core, opts Options) http.Handler {
	return newRouter(core, opts)
}

func newRouter(core Core, opts Options) *gin.Engine {
	opts = opts.withDefaults()
	s := &server{core: core, opts: opts}
	m := newMetrics(core)

	r := gin.New()
	r.HandleMethodNotAllowed = true
	// Paper IDs may hold a slash (old arXiv IDs such as hep-th/9901001): clients escape it as %2F, and
	// routing on the raw path keeps it inside the {id} segment.
	r.UseRawPath = true
	r.UnescapePathValues = true
	r.Use(accessLog(opts.Logger), m.middleware(), recovery(opts.Logger), limitBody(opts.MaxBodyBytes), gzipResponses(opts.GzipMinBytes))
	r.NoMethod(func(c *gin.Context) {
		writeError(c, http.StatusMethodNotAllowed, codeMethodNotAllowed, "method "+c.Request.Method+" is not allowed here (allowed: "+c.Writer.Header().Get("Allow")+")")
	})
	limit := deadline(opts.Timeout)
	r.NoRoute(limit, s.noRoute)

	r.GET("/healthz", s.healthz)
	r.GET("/metrics", gin.WrapH(m.handler()))

	a := r.Group("/api", checkQueryString)
	a.GET("/openapi.json", serveOpenAPI)
	reads := a.Group("", limit)
	reads.GET("/search", s.search)
	reads.GET("/papers/:id", s.getPaper)
	reads.GET("/papers/:id/related", s.related)
	reads.POST("/similar", s.similar)
	reads.POST("/recommend", s.recommend)
	reads.POST("/export", s.export)
	reads.GET("/stats", s.stats)

	w := a.Group("", s.requireAdmin)
	w.POST("/papers", s.upsert)
	w.DELETE("/papers/:id", s.deletePaper)
	return r
}

// noRoute answers paths no route matches: the UI's, when there is one, or a JSON 404.
func (s *server) noRoute(c *gin.Context) {
	p := c.Request.URL.Path
	if s.opts.UI == nil || p == "/api" || strings.HasPrefix(p, "/api/") {
		writeError(c, http.StatusNotFound, codeNotFound, "no such endpoint: "+c.Request.Method+" "+p+" (see /api/openapi.json)")
		return
	}
	if m := c.Request.Method; m != http.MethodGet && m != http.MethodHead {
		c.Header("Allow", "GET, HEAD")
		writeError(c, http.StatusMethodNotAllowed, codeMethodNotAllowed, "method "+m+" is not allowed here (allowed: GET, HEAD)")
		return
	}
	c.Set(routeKey, "ui")
	c.Status(http.StatusOK) // gin has set 404 for an unmatched path; the UI decides
	s.opts.UI.ServeHTTP(c.Writer, c.Request)
}

func (s *server) healthz(c *gin.Context) {
	writeJSON(c, http.StatusOK, gin.H{"status": "ok"})
}

// statsResponse is /api/stats: the index's statistics and the server's version.
type statsResponse struct {
	Version string `json:"version"`
	index.Stats
}

func (s *server) stats(c *gin.Context) {
	writeJSON(c, http.StatusOK, statsResponse{Version: s.opts.Version, Stats: s.core.Stats()})
}

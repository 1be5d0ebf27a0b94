package ui

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
)

// Core is what the pages need from the engine: exactly the *index.Index methods they call.
type Core interface {
	Search(ctx context.Context, req index.Request) (index.Response, error)
	Get(ctx context.Context, id string) (paper.Paper, error)
	Related(ctx context.Context, id string, req index.RelatedRequest) (index.Response, error)
	Similar(ctx context.Context, text string, req index.RelatedRequest) (index.Response, error)
	// Author is an author's profile: their papers newest first, their terms and co-authors.
	Author(ctx context.Context, name string, rk index.Ranking) (index.AuthorProfile, error)
	// Lookup returns the papers that references name, in order, and the references naming none.
	Lookup(ctx context.Context, refs ...string) ([]paper.Paper, []string, error)
	// Recommend ranks papers like a set of seed papers (the reading list's "more like these").
	Recommend(ctx context.Context, req index.RecommendRequest) (index.Response, error)
	// Overview describes the index for the home page.
	Overview() index.Overview
}

var _ Core = (*index.Index)(nil)

// Limits on what a page accepts.
const (
	// MaxQueryLen is the longest query, in bytes, the search page accepts.
	MaxQueryLen = 1_000
	// MaxSimilarLen is the longest text, in characters, the similar page accepts: over two maximal
	// arXiv abstracts, and a URL short enough for common proxy limits (the page takes it by GET).
	MaxSimilarLen = 5_000
)

// Options configure the UI. Zero fields take the default from DefaultOptions.
type Options struct {
	// Name is the site name in the header and page titles. Default "Kindred".
	Name string
	// PageSize is the number of results on a search page, 1..index.MaxLimit. Default 10.
	PageSize int
	// RelatedSize is the number of related papers on a paper page, 1..index.MaxLimit. Default 10.
	RelatedSize int
	// Examples are the example queries on the home page. Default: a few that find papers in the
	// built-in sample corpus.
	Examples []string
	// Logger receives internal errors (the page shows a generic message). Default slog.Default().
	Logger *slog.Logger
	// Now is the clock the "last 7 / 30 / 365 days" shortcuts count back from. Default time.Now.
	Now func() time.Time
	// Sample says the index holds the built-in sample corpus (kindred serve loaded it into an empty
	// data directory); the pages say so. Default false.
	Sample bool
}

// DefaultOptions returns the documented defaults.
func DefaultOptions() Options {
	return Options{
		Name:        "Kindred",
		PageSize:    10,
		RelatedSize: 10,
		Examples:    []string{`sparse attention`, `"language models" pruning`, `title:mamba`, `contrastive learning -image`},
		Logger:      slog.Default(),
		Now:         time.Now,
	}
}

func (o Options) withDefaults() (Options, error) {
	d := DefaultOptions()
	if o.Name == "" {
		o.Name = d.Name
	}
	if o.PageSize == 0 {
		o.PageSize = d.PageSize
	}
	if o.RelatedSize == 0 {
		o.RelatedSize = d.RelatedSize
	}
	if o.Examples == nil {
		o.Examples = d.Examples
	}
	if o.Logger == nil {
		o.Logger = d.Logger
	}
	if o.Now == nil {
		o.Now = d.Now
	}
	if o.PageSize < 1 || o.PageSize > index.MaxLimit {
		return o, fmt.Errorf("ui: PageSize %d out of range 1..%d", o.PageSize, index.MaxLimit)
	}
	if o.RelatedSize < 1 || o.RelatedSize > index.MaxLimit {
		return o, fmt.Errorf("ui: RelatedSize %d out of range 1..%d", o.RelatedSize, index.MaxLimit)
	}
	return o, nil
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// contentSecurityPolicy allows this origin only, no inline script or style, no plugins, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// server holds the parsed pages; it is immutable after New and safe for concurrent use.
type server struct {
	core    Core
	opts    Options
	pages   map[string]*template.Template // by page name: "search", "paper", "author", ..., "error"
	version map[string]string             // static file name -> content hash, for cache-busting URLs
}

// New returns the UI's handler over core. It serves GET and HEAD; the caller mounts it for every
// path outside its API.
func New(core Core, opts Options) (http.Handler, error) {
	if core == nil {
		return nil, errors.New("ui: nil Core")
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &server{core: core, opts: opts}
	if s.version, err = hashStatic(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parsePages(); err != nil {
		return nil, err
	}
	static, err := s.staticHandler()
	if err != nil {
		return nil, err
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.serveSearch)
	mux.HandleFunc("GET /search", s.serveSearch)
	mux.HandleFunc("GET /paper", s.servePaper) // ?id=, for IDs with empty or dot segments
	mux.HandleFunc("GET /paper/{id...}", s.servePaper)
	mux.HandleFunc("GET /similar", s.serveSimilar)
	mux.HandleFunc("GET /author", s.serveAuthor)
	mux.HandleFunc("GET /cite", s.serveCite)
	mux.HandleFunc("GET /list", s.serveList)
	mux.HandleFunc("GET /list/export", s.serveListExport)
	mux.HandleFunc("GET /recommend", s.serveRecommend)
	mux.Handle("GET /static/", static)
	mux.HandleFunc("GET /", s.serveNotFound)
	return secure(mux), nil
}

// secure sets the security headers on every response, including the mux's own 404s and 405s.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		// Queries are in our URLs; do not hand them to arXiv when a reader follows a source link.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// pageNames are the pages, each templates/NAME.html inside templates/layout.html.
var pageNames = []string{"search", "paper", "author", "list", "recommend", "similar", "error"}

func (s *server) parsePages() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(s.funcs()).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("ui: parse %s page: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

func (s *server) funcs() template.FuncMap {
	return template.FuncMap{
		"asset":     s.assetURL,
		"paperURL":  paperURL,
		"authorURL": func(name string) string { return authorURL(name, 1) },
		"minus1":    func(n int) int { return n - 1 },
	}
}

// hashStatic returns a short content hash of every embedded static file.
func hashStatic() (map[string]string, error) {
	out := map[string]string{}
	err := fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[path[len("static/"):]] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ui: read assets: %w", err)
	}
	return out, nil
}

// assetURL is the versioned URL of a static file.
func (s *server) assetURL(name string) (string, error) {
	v, ok := s.version[name]
	if !ok {
		return "", fmt.Errorf("ui: no asset %q", name)
	}
	return "/static/" + name + "?v=" + v, nil
}

func (s *server) staticHandler() (http.Handler, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("ui: assets: %w", err)
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Path[len("/static/"):]
		if name == "" || strings.HasSuffix(name, "/") {
			// A directory: its listing is nobody's business.
			s.serveNotFound(w, r)
			return
		}
		if v := r.URL.Query().Get("v"); v != "" && v == s.version[name] {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		files.ServeHTTP(w, r)
	}), nil
}

// layout is what every page's frame needs.
type layout struct {
	Name  string // site name
	Title string // page title, before " · Name"
	Nav   string // current section: "search", "similar" or ""
	// HeaderSearch shows a compact search box in the header (pages without their own).
	HeaderSearch bool
	// Wide pages have a column beside their main one.
	Wide bool
	// Sample marks the index as the built-in sample corpus.
	Sample bool
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render executes a page into a buffer first, so a template error becomes a clean 500 rather than
// half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := s.pages[page].ExecuteTemplate(buf, "layout", data); err != nil {
		s.opts.Logger.Error("ui: render", "page", page, "path", r.URL.Path, "err", err)
		if page != "error" {
			s.renderProblem(w, r, internalProblem())
			return
		}
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

func (s *server) serveNotFound(w http.ResponseWriter, r *http.Request) {
	s.renderProblem(w, r, &problem{
		Status:  http.StatusNotFound,
		Title:   "Page not found",
		Details: []string{"There is no page at this address."},
		Hint:    "Search for papers with the box above, or start again from the home page.",
	})
}

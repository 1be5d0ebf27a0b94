package index

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/bm25"
	"github.com/kindred-search/kindred/index/hnsw"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/vector"
)

// Mode is a ranking mode.
type Mode string

// Ranking modes.
const (
	ModeKeyword Mode = "keyword" // exact BM25 over title and abstract
	ModeVector  Mode = "vector"  // nearest neighbours of the query's hashed word and bigram vector
	ModeHybrid  Mode = "hybrid"  // both, fused (the default)
)

// ParseMode accepts "keyword", "vector" (or its old name "semantic"), "hybrid" and "" (hybrid).
func ParseMode(s string) (Mode, error) {
	switch s {
	case "", string(ModeHybrid):
		return ModeHybrid, nil
	case string(ModeKeyword):
		return ModeKeyword, nil
	case string(ModeVector), "semantic":
		return ModeVector, nil
	}
	return "", fmt.Errorf("%w: unknown mode %q (want keyword, vector or hybrid)", ErrBadRequest, s)
}

// ParseFusion accepts "convex", "rrf" and "" (the index default).
func ParseFusion(s string) (Fusion, error) {
	switch Fusion(s) {
	case "", FusionConvex, FusionRRF:
		return Fusion(s), nil
	}
	return "", fmt.Errorf("%w: unknown fusion %q (want convex or rrf)", ErrBadRequest, s)
}

// Limits on requests.
const (
	MaxLimit  = 100
	MaxOffset = 10_000
	MaxWindow = 1_000
)

// Ranking holds the options search, related papers and similar text share. Zero fields take the
// index's defaults (see RankingOptions).
type Ranking struct {
	Mode   Mode // default ModeHybrid
	Limit  int  // 1..MaxLimit, default 10
	Offset int  // 0..MaxOffset
	Filter Filter
	// Fusion, Alpha, RRFK and Window override the index's RankingOptions for this request when set.
	Fusion Fusion
	Alpha  *float64
	RRFK   int
	Window int
}

// Request is a search.
type Request struct {
	Query string
	Ranking
	// Highlight asks for the spans of the query's terms in each result's title and abstract.
	Highlight bool
	// Strict makes a query-syntax problem an ErrBadQuery instead of being searched around with a
	// note.
	Strict bool
	// IDsOnly leaves the records out of the results (Paper holds only the ID): what evaluation needs,
	// without the cost of reading the records from the full-text index.
	IDsOnly bool
	// Facets asks for the matches' counts per category and per year.
	Facets bool
	// Sort orders the results: SortRelevance (default) or SortNewest.
	Sort Sort
}

// Component is one ranker's view of a result. Rank is 1-based. In related papers, similar text and
// recommendations the vector side ranks by the cosine less half the paper's local density (see
// density.go) and fuses that; Score is still the cosine.
type Component struct {
	Rank  int     `json:"rank"`
	Score float64 `json:"score"` // the ranker's own score: BM25, or cosine similarity
	// Contribution is what this side added to the result's final score; the sides' contributions sum
	// to Result.Score.
	Contribution float64 `json:"contribution"`
}

// Result is one ranked paper with the reasons for its rank.
type Result struct {
	Paper paper.Paper `json:"paper"`
	// Score is the final score in the request's mode (fused score for hybrid).
	Score   float64    `json:"score"`
	Keyword *Component `json:"keyword,omitempty"`
	Vector  *Component `json:"vector,omitempty"`
	// Highlights are set when requested and the paper matched query terms.
	Highlights *Highlights `json:"highlights,omitempty"`
	// SharedTerms (related papers only) are the terms this paper shares most strongly with the source.
	SharedTerms []string `json:"shared_terms,omitempty"`
}

// Work counts what a request cost in the keyword index (see bm25.Stats) and in planning its query
// (see budget.go).
type Work struct {
	Postings int // postings of the query's terms
	Visited  int // postings the search moved onto
	Scored   int // papers scored completely
	Scanned  int // dictionary words the query's patterns looked at
	Phrases  int // phrases matched in the full-text index
}

func (w *Work) add(s bm25.Stats) {
	w.Postings += s.Postings
	w.Visited += s.Visited
	w.Scored += s.Scored
}

// Response is a page of results.
type Response struct {
	Mode Mode `json:"mode"`
	// Total is how many papers match the query's words and filters (in every mode: the vector side
	// ranks papers by the same words). It does not depend on the page. It is exact when TotalExact
	// is set, else an estimate from the first part of the index (see bm25.Store.Matches).
	Total      int  `json:"total"`
	TotalExact bool `json:"total_exact"`
	// Notes say what was done with query text that was not searched as given.
	Notes []Note `json:"notes,omitempty"`
	// Author is set when the query is exactly an author's name.
	Author *AuthorMatch `json:"author,omitempty"`
	// Suggestion is the query with misspelled words corrected, when it found few papers.
	Suggestion string `json:"suggestion,omitempty"`
	// Facets count the matches by category and year, when asked for.
	Facets  *Facets       `json:"facets,omitempty"`
	Results []Result      `json:"results"`
	Took    time.Duration `json:"-"`
	Work    Work          `json:"-"`
}

type resolved struct {
	mode   Mode
	limit  int
	offset int
	fuse   FuseOptions
	window int
}

// resolve checks a request's ranking options and fills in the index's defaults.
func (ix *Index) resolve(rk Ranking) (resolved, error) {
	r := resolved{mode: rk.Mode, limit: rk.Limit, offset: rk.Offset, window: rk.Window}
	if r.mode == "" {
		r.mode = ModeHybrid
	}
	if _, err := ParseMode(string(r.mode)); err != nil {
		return r, err
	}
	if r.limit == 0 {
		r.limit = 10
	}
	if r.limit < 1 || r.limit > MaxLimit {
		return r, fmt.Errorf("%w: limit must be between 1 and %d", ErrBadRequest, MaxLimit)
	}
	if r.offset < 0 || r.offset > MaxOffset {
		return r, fmt.Errorf("%w: offset must be between 0 and %d", ErrBadRequest, MaxOffset)
	}
	ro := ix.opts.Ranking
	r.fuse = FuseOptions{Method: ro.Fusion, Alpha: ro.Alpha, K: ro.RRFK, Norm: ro.Norm}
	if rk.Fusion != "" {
		if _, err := ParseFusion(string(rk.Fusion)); err != nil {
			return r, err
		}
		r.fuse.Method = rk.Fusion
	}
	if rk.Alpha != nil {
		if !(*rk.Alpha >= 0 && *rk.Alpha <= 1) {
			return r, fmt.Errorf("%w: alpha must be between 0 and 1", ErrBadRequest)
		}
		r.fuse.Alpha = *rk.Alpha
	}
	if rk.RRFK != 0 {
		if rk.RRFK < 1 || rk.RRFK > 10_000 {
			return r, fmt.Errorf("%w: rrf k must be between 1 and 10000", ErrBadRequest)
		}
		r.fuse.K = rk.RRFK
	}
	if r.window == 0 {
		r.window = ro.Window
	}
	if r.window < 1 || r.window > MaxWindow {
		return r, fmt.Errorf("%w: window must be between 1 and %d", ErrBadRequest, MaxWindow)
	}
	// A page beyond the fusion window would be empty; widen the window to cover it.
	r.window = min(max(r.window, r.offset+r.limit), MaxWindow+MaxOffset)
	if err := rk.Filter.check(); err != nil {
		return r, err
	}
	return r, nil
}

// countBudget bounds the postings counting a query's matches may visit before it estimates.
const countBudget = 400_000

// Search runs a query in the request's mode.
func (ix *Index) Search(ctx context.Context, req Request) (Response, error) {
	start := time.Now()
	r, err := ix.resolve(req.Ranking)
	if err != nil {
		return Response{}, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return Response{}, ErrClosed
	}
	pl, err := ix.planQuery(ctx, req.Query, req.Filter, req.Strict)
	if err != nil {
		return Response{}, err
	}
	out := Response{Mode: r.mode, Notes: pl.notes, Author: pl.author, TotalExact: true,
		Work: Work{Scanned: pl.work.scanned, Phrases: min(pl.work.phrases, maxPhrases)}}
	if pl.short && req.Alpha == nil {
		r.fuse.Alpha = ix.opts.Ranking.ShortAlpha
	}
	if pl.none {
		out.Results = []Result{}
		out.Took = time.Since(start)
		return out, nil
	}
	if req.Sort == SortNewest {
		return ix.searchNewest(ctx, req, r, pl, out, start)
	}
	var kw, vc []Candidate
	var kwSide, vcSide func() error
	if r.mode != ModeVector || !pl.scored {
		n := r.window
		if r.mode == ModeKeyword || !pl.scored {
			n = r.offset + r.limit
		}
		kwSide = func() (err error) {
			kw, err = ix.keywordSide(ctx, pl.kq, n, &out.Work)
			return err
		}
	}
	if r.mode != ModeKeyword && pl.scored && pl.text != "" {
		vcSide = func() (err error) {
			vc, err = ix.vectorSide(ctx, ix.queryVector(pl.text), r.window, pl.kq, graphParams{})
			return err
		}
	}
	var c bm25.Count
	var facets *Facets
	count := func() (err error) {
		c, facets, err = ix.countMatches(ctx, pl.kq, req.Facets)
		return err
	}
	if err := concurrently(kwSide, vcSide, count); err != nil {
		return Response{}, err
	}
	if r.mode == ModeHybrid && pl.short && r.fuse.Method != FusionRRF {
		// Short queries: every candidate scored on both sides (see complete).
		qv := ix.queryVector(pl.text)
		if kw, vc, err = ix.complete(bm25.Query{Clauses: pl.kq.Clauses}, qv, kw, vc); err != nil {
			return Response{}, err
		}
	}
	out.Total, out.TotalExact, out.Facets = c.N, c.Exact, facets
	fused := r.rankAs(mode(r, pl), kw, vc)
	if n := min(len(fused), ix.opts.Ranking.Window); n > out.Total {
		// The vector side found papers without the query's words: count them too. Capped at the
		// default window, the count does not grow as the user pages.
		out.Total = n
	}
	if c.N < suggestBelow && pl.scored { // the papers with the words, not the vector side's neighbours
		out.Suggestion = ix.suggest(req.Query)
	}
	var marks map[string]bool
	if req.Highlight {
		marks = pl.marks
	}
	if out.Results, err = ix.materialise(ctx, pageOf(fused, r.offset, r.limit), marks, req.IDsOnly, nil); err != nil {
		return Response{}, err
	}
	out.Took = time.Since(start)
	return out, nil
}

// mode is the mode a query is ranked in: a query of constraints only ranks its matches newest first
// (keyword mode), whatever was asked.
func mode(r resolved, pl plan) Mode {
	if !pl.scored {
		return ModeKeyword
	}
	return r.mode
}

// suggestBelow is the number of matches under which a search offers a corrected spelling.
const suggestBelow = 5

// searchNewest answers a search sorted by date: the papers matching its words and filters, newest
// first.
func (ix *Index) searchNewest(ctx context.Context, req Request, r resolved, pl plan, out Response, start time.Time) (Response, error) {
	hits, err := ix.kw.SearchNewest(ctx, pl.kq, r.offset+r.limit)
	if err != nil {
		return Response{}, err
	}
	c, facets, err := ix.countMatches(ctx, pl.kq, req.Facets)
	if err != nil {
		return Response{}, err
	}
	out.Total, out.TotalExact, out.Facets = c.N, c.Exact, facets
	page := make([]Fused, 0, r.limit)
	for i := r.offset; i < len(hits); i++ {
		page = append(page, Fused{ID: hits[i].ID})
	}
	var marks map[string]bool
	if req.Highlight {
		marks = pl.marks
	}
	if out.Results, err = ix.materialise(ctx, page, marks, req.IDsOnly, nil); err != nil {
		return Response{}, err
	}
	out.Took = time.Since(start)
	return out, nil
}

// queryVector embeds a query's text for the vector side, leaving out the terms no paper has.
func (ix *Index) queryVector(text string) embed.Vector {
	f := ix.emb.FeaturesOfKnown(ix.emb.Terms(text), func(t string) bool { return ix.kw.DF(t) > 0 })
	return ix.emb.Vector(f, ix.stats)
}

// concurrently runs the parts of a query (nil ones are skipped) at the same time: the keyword side,
// the vector side, the count, so that a query takes as long as its slowest part rather than their
// sum: on a laptop a query rarely has the machine to itself, but it rarely has only one core either.
// All read the index under the caller's read lock and write only their own results, so concurrently
// returns only when every part has ended, even when one panics. The first part runs on the caller's
// goroutine; a panic in any part is raised again there (the first in argument order), where the
// recovery of the API can answer it. The error is the first part's that failed, in argument order.
func concurrently(parts ...func() error) error {
	parts = slices.DeleteFunc(slices.Clone(parts), func(f func() error) bool { return f == nil })
	type result struct {
		err   error
		panic any
	}
	call := func(f func() error) (res result) {
		defer func() { res.panic = recover() }()
		res.err = f()
		return res
	}
	results := make([]result, len(parts))
	done := make([]chan result, len(parts))
	for i := 1; i < len(parts); i++ {
		done[i] = make(chan result, 1)
		go func() { done[i] <- call(parts[i]) }()
	}
	if len(parts) > 0 {
		results[0] = call(parts[0])
	}
	for i := 1; i < len(parts); i++ {
		results[i] = <-done[i]
	}
	for _, r := range results {
		if r.panic != nil {
			panic(r.panic)
		}
	}
	for _, r := range results {
		if r.err != nil {
			return r.err
		}
	}
	return nil
}

// keywordSide runs q in the keyword index for its best n papers.
func (ix *Index) keywordSide(ctx context.Context, q bm25.Query, n int, w *Work) ([]Candidate, error) {
	hits, st, err := ix.kw.Search(ctx, q, n)
	w.add(st)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("keyword search: %w", err)
	}
	out := make([]Candidate, len(hits))
	for i, h := range hits {
		out[i] = Candidate{ID: h.ID, Score: h.Score}
	}
	return out, nil
}

// rankAs orders the candidates for a mode: one side on its own scores, or both fused.
func (r resolved) rankAs(mode Mode, kw, vc []Candidate) []Fused {
	switch mode {
	case ModeKeyword:
		return singleSide(kw, true)
	case ModeVector:
		return singleSide(vc, false)
	}
	return Fuse(kw, vc, r.fuse)
}

func pageOf(f []Fused, offset, limit int) []Fused {
	if offset >= len(f) {
		return nil
	}
	return f[offset:min(offset+limit, len(f))]
}

// vectorSide returns the n nearest neighbours of v that satisfy q's filter and constraints, searched
// with effort ef (0: the graph's own). With constraints it over-fetches neighbours, then keeps those
// the keyword index passes.
func (ix *Index) vectorSide(ctx context.Context, v embed.Vector, n int, q bm25.Query, g graphParams) ([]Candidate, error) {
	if v.Len() == 0 {
		return nil, nil
	}
	k := n
	pass := ix.constraints(ctx, q)
	if pass != nil {
		k = min(k*8, max(ix.vec.Len(), 1))
	}
	k = min(k, maxVectorFetch)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var hits []vector.Hit
	if gs, ok := ix.vec.(graphSearcher); ok && (g.ef > 0 || g.from != "") {
		hits, _ = gs.SearchWith(v, hnsw.SearchParams{K: k, Ef: g.ef, From: g.from})
	} else {
		hits = ix.vec.Search(v, k)
	}
	out := make([]Candidate, 0, min(len(hits), n))
	for _, h := range hits {
		if pass != nil && !pass(h.Key) {
			continue
		}
		if len(out) == n {
			break
		}
		out = append(out, Candidate{ID: h.Key, Score: float64(h.Score)})
	}
	return out, nil
}

// graphParams are the HNSW graph's per-search parameters: its effort (0: the graph's default) and
// the key of the stored vector the query is, to start from (see hnsw.SearchParams).
type graphParams struct {
	ef   int
	from string
}

// graphSearcher is a vector index whose search can be given graphParams (the HNSW graph).
type graphSearcher interface {
	SearchWith(q embed.Vector, p hnsw.SearchParams) ([]vector.Hit, hnsw.Stats)
}

// constraints returns a test of q's filter and requirements (not its words), or nil when q has none.
func (ix *Index) constraints(ctx context.Context, q bm25.Query) func(id string) bool {
	c := bm25.Query{Keys: q.Keys, ExcludeKeys: q.ExcludeKeys, Sets: q.Sets, ExcludeSets: q.ExcludeSets, Filter: q.Filter}
	for _, cl := range q.Clauses {
		if cl.Required {
			c.Clauses = append(c.Clauses, bm25.Clause{Term: cl.Term, Required: true, Field: cl.Field})
		}
	}
	c.Exclude = q.Exclude
	if len(c.Clauses)+len(c.Keys)+len(c.ExcludeKeys)+len(c.Sets)+len(c.ExcludeSets)+len(c.Exclude) == 0 &&
		!c.Filter.Dated && len(c.Filter.Categories) == 0 {
		return nil
	}
	// The documents passing are collected once, in a bitset over the document numbers.
	ok := make([]uint64, (ix.kw.Docs()+63)/64)
	ix.kw.Matches(ctx, c, 0, func(d uint32) { ok[d>>6] |= 1 << (d & 63) })
	return func(id string) bool {
		d, found := ix.kw.DocNum(id)
		return found && ok[d>>6]&(1<<(d&63)) != 0
	}
}

// materialise turns a page of fused entries into results with their papers and, when marks is set,
// highlights of those terms. Papers in have are not read again.
func (ix *Index) materialise(ctx context.Context, page []Fused, marks map[string]bool, idsOnly bool, have map[string]paper.Paper) ([]Result, error) {
	out := make([]Result, len(page))
	if len(page) == 0 {
		return out, nil
	}
	if idsOnly {
		for i, f := range page {
			out[i] = result(f, paper.Paper{ID: f.ID})
		}
		return out, nil
	}
	ids := make([]string, 0, len(page))
	for _, f := range page {
		if _, ok := have[f.ID]; !ok {
			ids = append(ids, f.ID)
		}
	}
	papers, err := ix.fetch(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i, f := range page {
		p, ok := papers[f.ID]
		if !ok {
			p, ok = have[f.ID]
		}
		if !ok {
			return nil, fmt.Errorf("%w: %s is in the vector index but not in the full-text index; reopen the index to repair", ErrDamaged, f.ID)
		}
		out[i] = result(f, p)
		if marks != nil {
			out[i].Highlights = ix.highlight(p, marks)
		}
	}
	return out, nil
}

// result is a fused entry with its paper and each side's part in its score.
func result(f Fused, p paper.Paper) Result {
	r := Result{Paper: p, Score: f.Score}
	if f.KeywordRank > 0 {
		r.Keyword = &Component{Rank: f.KeywordRank, Score: f.KeywordRaw, Contribution: f.KeywordPart}
	}
	if f.VectorRank > 0 {
		r.Vector = &Component{Rank: f.VectorRank, Score: f.VectorRaw, Contribution: f.VectorPart}
	}
	return r
}

package index

import (
	"context"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/vector"
)

// Mode is a ranking mode.
type Mode string

// Ranking modes.
const (
	ModeKeyword Mode = "keyword" // Bleve BM25 over title and abstract
	ModeVector  Mode = "vector"  // nearest neighbours of the query's hashed vector
	ModeHybrid  Mode = "hybrid"  // both, fused (the default)
)

// ParseMode accepts "keyword", "vector" (or "semantic"), "hybrid" and "" (hybrid).
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

// Request is a search.
type Request struct {
	Query  string
	Mode   Mode // default ModeHybrid
	Limit  int  // 1..MaxLimit, default 10
	Offset int  // 0..MaxOffset
	Filter Filter
	// Fusion, Alpha, RRFK and Window override the index's RankingOptions for this request when set.
	Fusion Fusion
	Alpha  *float64
	RRFK   int
	Window int
	// Highlight asks for highlighted title and abstract fragments.
	Highlight bool
}

// Component is one ranker's view of a result. Rank is 1-based.
type Component struct {
	Rank  int     `json:"rank"`
	Score float64 `json:"score"` // the ranker's own score: BM25, or cosine similarity
	// Contribution is what this side added to the result's final score; the sides' contributions sum
	// to Result.Score.
	Contribution float64 `json:"contribution"`
}

// Highlights are HTML fragments: the paper's text HTML-escaped, with query matches in <mark>.
type Highlights struct {
	Title    string `json:"title,omitempty"`
	Abstract string `json:"abstract,omitempty"`
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

// Response is a page of results.
type Response struct {
	Mode Mode `json:"mode"`
	// Total is how many papers matched: Bleve's hit count for keyword mode, the number of fused
	// candidates for hybrid, the number of neighbours found for vector.
	Total   int           `json:"total"`
	Results []Result      `json:"results"`
	Took    time.Duration `json:"-"`
}

type resolved struct {
	mode   Mode
	limit  int
	offset int
	fuse   FuseOptions
	window int
}

func (ix *Index) resolve(mode Mode, limit, offset int, fusion Fusion, alpha *float64, rrfk, window int) (resolved, error) {
	r := resolved{mode: mode, limit: limit, offset: offset, window: window}
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
	if fusion != "" {
		if _, err := ParseFusion(string(fusion)); err != nil {
			return r, err
		}
		r.fuse.Method = fusion
	}
	if alpha != nil {
		if !(*alpha >= 0 && *alpha <= 1) {
			return r, fmt.Errorf("%w: alpha must be between 0 and 1", ErrBadRequest)
		}
		r.fuse.Alpha = *alpha
	}
	if rrfk != 0 {
		if rrfk < 1 || rrfk > 10_000 {
			return r, fmt.Errorf("%w: rrf k must be between 1 and 10000", ErrBadRequest)
		}
		r.fuse.K = rrfk
	}
	if r.window == 0 {
		r.window = ro.Window
	}
	if r.window < 1 || r.window > MaxWindow {
		return r, fmt.Errorf("%w: window must be between 1 and %d", ErrBadRequest, MaxWindow)
	}
	// A page beyond the fusion window would be empty; widen the window to cover it.
	r.window = min(max(r.window, r.offset+r.limit), MaxWindow+MaxOffset)
	return r, nil
}

// Search runs a query in the request's mode.
func (ix *Index) Search(ctx context.Context, req Request) (Response, error) {
	start := time.Now()
	r, err := ix.resolve(req.Mode, req.Limit, req.Offset, req.Fusion, req.Alpha, req.RRFK, req.Window)
	if err != nil {
		return Response{}, err
	}
	if err := req.Filter.check(); err != nil {
		return Response{}, err
	}
	kq, text, plain, err := parseQuery(req.Query, ix.opts.Ranking.TitleBoost)
	if err != nil {
		return Response{}, err
	}
	if err := checkFields(kq); err != nil {
		return Response{}, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return Response{}, ErrClosed
	}
	var kw, vc []Candidate
	total := 0
	if r.mode != ModeVector {
		n := r.window
		if r.mode == ModeKeyword {
			n = r.offset + r.limit
		}
		var terms []string
		if plain {
			terms = ix.emb.Terms(text)
		}
		kw, total, err = ix.keywordCandidates(ctx, kq, req.Filter, n, terms, r.mode == ModeKeyword)
		if err != nil {
			return Response{}, err
		}
	}
	if r.mode != ModeKeyword {
		qv := ix.emb.Embed(text, ix.stats)
		vc, err = ix.vectorCandidates(ctx, qv, r.window, req.Filter, "")
		if err != nil {
			return Response{}, err
		}
	}
	fused := r.rank(kw, vc)
	if r.mode != ModeKeyword {
		total = len(fused)
	}
	page := pageOf(fused, r.offset, r.limit)
	var hq query.Query
	if req.Highlight {
		hq = kq
	}
	results, err := ix.materialise(ctx, page, hq)
	if err != nil {
		return Response{}, err
	}
	return Response{Mode: r.mode, Total: total, Results: results, Took: time.Since(start)}, nil
}

// rank orders the candidates for the request's mode: one side on its own scores, or both fused.
func (r resolved) rank(kw, vc []Candidate) []Fused {
	switch r.mode {
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

// keywordCandidates runs q, restricted by f, in Bleve and returns its top n hits with BM25 scores,
// and the total hits when wantTotal is set (otherwise total is 0). With rescore terms, Bleve's top
// rescoreDepth hits are re-scored by standard BM25 for those terms, and a query of plain words first
// tries the essential-words search of splitCommon.
func (ix *Index) keywordCandidates(ctx context.Context, q query.Query, f Filter, n int, rescore []string, wantTotal bool) ([]Candidate, int, error) {
	if len(rescore) > 0 {
		if sp, ok := ix.splitCommon(q, rescore); ok {
			return ix.splitCandidates(ctx, sp, q, f, n, rescore, wantTotal)
		}
		c, total, err := ix.rescored(ctx, q, q, f, max(n, rescoreDepth), rescore)
		if err != nil {
			return nil, 0, err
		}
		if !wantTotal {
			total = 0
		}
		return c[:min(n, len(c))], total, nil
	}
	res, err := ix.bl.SearchInContext(ctx, bleve.NewSearchRequestOptions(withFilter(q, f), n, 0, false))
	if err != nil {
		return nil, 0, searchError(ctx, err)
	}
	total := 0
	if wantTotal {
		total = int(res.Total)
	}
	out := make([]Candidate, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = Candidate{ID: h.ID, Score: h.Score}
	}
	return out, total, nil
}

// splitCandidates is keywordCandidates for a query split into essential and common words (see
// commonSplit): the essential search, then the common-words-only search when the bound says a paper
// from it could rank in the top n.
func (ix *Index) splitCandidates(ctx context.Context, sp commonSplit, q query.Query, f Filter, n int, terms []string, wantTotal bool) ([]Candidate, int, error) {
	size := max(n, rescoreDepth)
	c, essTotal, err := ix.rescored(ctx, sp.essential, q, f, size, terms)
	if err != nil {
		return nil, 0, err
	}
	if len(c) >= n && c[n-1].Score > sp.bound {
		ix.common.served.Add(1)
		total := 0
		if wantTotal {
			// Counting the whole query, unscored, is cheaper than counting the rest.
			if total, err = ix.count(ctx, withFilter(q, f)); err != nil {
				return nil, 0, err
			}
		}
		return c[:n], total, nil
	}
	ix.common.completed.Add(1)
	rest, restTotal, err := ix.rescored(ctx, sp.rest, q, f, size, terms)
	if err != nil {
		return nil, 0, err
	}
	c = append(c, rest...)
	sortCandidates(c)
	return c[:min(n, len(c))], essTotal + restTotal, nil
}

// rescored runs cq, restricted by f, for its best size hits and re-scores them (rescore, with the
// locations of q's terms); total is how many papers cq matched.
func (ix *Index) rescored(ctx context.Context, cq, q query.Query, f Filter, size int, terms []string) (c []Candidate, total int, err error) {
	res, err := ix.bl.SearchInContext(ctx, bleve.NewSearchRequestOptions(withFilter(cq, f), size, 0, false))
	if err != nil {
		return nil, 0, searchError(ctx, err)
	}
	if c, err = ix.rescore(ctx, res.Hits, q, terms); err != nil {
		return nil, 0, err
	}
	return c, int(res.Total), nil
}

// rescore re-scores hits by standard BM25 for terms: a second search, restricted to those hits,
// reads their term locations (reading locations for every match of a common word costs more than
// the whole search).
func (ix *Index) rescore(ctx context.Context, hits search.DocumentMatchCollection, q query.Query, terms []string) ([]Candidate, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	lreq := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), q}), len(ids), 0, false)
	lreq.IncludeLocations = true
	lreq.Score = "none"
	lres, err := ix.bl.SearchInContext(ctx, lreq)
	if err != nil {
		return nil, searchError(ctx, err)
	}
	return ix.bm25(lres.Hits, terms), nil
}

// count returns how many papers match q.
func (ix *Index) count(ctx context.Context, q query.Query) (int, error) {
	req := bleve.NewSearchRequestOptions(q, 0, 0, false)
	req.Score = "none"
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return 0, searchError(ctx, err)
	}
	return int(res.Total), nil
}

// vectorCandidates returns the n nearest neighbours of v that pass the filter, excluding skip.
// With a filter it over-fetches, then keeps the neighbours Bleve says pass.
func (ix *Index) vectorCandidates(ctx context.Context, v embed.Vector, n int, f Filter, skip string) ([]Candidate, error) {
	if v.Len() == 0 {
		return nil, nil
	}
	k := n
	if skip != "" {
		k++
	}
	if !f.IsZero() {
		k = min(k*8, max(ix.vec.Len(), 1))
	}
	hits := ix.vec.Search(v, k)
	if !f.IsZero() {
		var err error
		if hits, err = ix.filterHits(ctx, hits, f); err != nil {
			return nil, err
		}
	}
	out := make([]Candidate, 0, min(len(hits), n))
	for _, h := range hits {
		if h.Key == skip {
			continue
		}
		if len(out) == n {
			break
		}
		out = append(out, Candidate{ID: h.Key, Score: float64(h.Score)})
	}
	return out, nil
}

// filterHits keeps the hits whose papers pass f, in order.
func (ix *Index) filterHits(ctx context.Context, hits []vector.Hit, f Filter) ([]vector.Hit, error) {
	if len(hits) == 0 {
		return hits, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.Key
	}
	req := bleve.NewSearchRequestOptions(withFilter(query.NewDocIDQuery(ids), f), len(ids), 0, false)
	req.Score = "none"
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("filter neighbours: %w", err)
	}
	pass := make(map[string]bool, len(res.Hits))
	for _, h := range res.Hits {
		pass[h.ID] = true
	}
	out := hits[:0:0]
	for _, h := range hits {
		if pass[h.Key] {
			out = append(out, h)
		}
	}
	return out, nil
}

// materialise turns a page of fused entries into results with their papers and, when hq is set,
// highlights of hq's terms.
func (ix *Index) materialise(ctx context.Context, page []Fused, hq query.Query) ([]Result, error) {
	out := make([]Result, len(page))
	if len(page) == 0 {
		return out, nil
	}
	ids := make([]string, len(page))
	for i, f := range page {
		ids[i] = f.ID
	}
	papers, err := ix.fetch(ctx, ids)
	if err != nil {
		return nil, err
	}
	var hl map[string]*Highlights
	if hq != nil {
		if hl, err = ix.highlight(ctx, ids, hq); err != nil {
			return nil, err
		}
	}
	for i, f := range page {
		p, ok := papers[f.ID]
		if !ok {
			return nil, fmt.Errorf("%w: %s is in the vector index but not in the full-text index; reopen the index to repair", ErrDamaged, f.ID)
		}
		r := Result{Paper: p, Score: f.Score, Highlights: hl[f.ID]}
		if f.KeywordRank > 0 {
			r.Keyword = &Component{Rank: f.KeywordRank, Score: f.KeywordRaw, Contribution: f.KeywordPart}
		}
		if f.VectorRank > 0 {
			r.Vector = &Component{Rank: f.VectorRank, Score: f.VectorRaw, Contribution: f.VectorPart}
		}
		out[i] = r
	}
	return out, nil
}

// highlight returns HTML fragments for the papers among ids that contain any of hq's terms.
func (ix *Index) highlight(ctx context.Context, ids []string, hq query.Query) (map[string]*Highlights, error) {
	// Any matching term is enough to highlight: a vector-only result may not satisfy the whole query.
	loose := query.NewDisjunctionQuery(leaves(hq))
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), loose}), len(ids), 0, false)
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.Highlight.AddField(fieldTitle)
	req.Highlight.AddField(fieldAbstract)
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(ctx, err)
	}
	out := make(map[string]*Highlights, len(res.Hits))
	for _, h := range res.Hits {
		var hl Highlights
		if fr := h.Fragments[fieldTitle]; len(fr) > 0 {
			hl.Title = fr[0]
		}
		if fr := h.Fragments[fieldAbstract]; len(fr) > 0 {
			hl.Abstract = fr[0]
		}
		if hl != (Highlights{}) {
			out[h.ID] = &hl
		}
	}
	return out, nil
}

// leaves returns the positive leaf queries of q.
func leaves(q query.Query) []query.Query {
	var out []query.Query
	var walk func(query.Query)
	walk = func(q query.Query) {
		switch q := q.(type) {
		case nil:
		case *query.BooleanQuery:
			walk(q.Must)
			walk(q.Should)
		case *query.ConjunctionQuery:
			for _, c := range q.Conjuncts {
				walk(c)
			}
		case *query.DisjunctionQuery:
			for _, c := range q.Disjuncts {
				walk(c)
			}
		default:
			out = append(out, q)
		}
	}
	walk(q)
	if len(out) == 0 {
		return []query.Query{query.NewMatchNoneQuery()}
	}
	return out
}

// searchError classifies an error from a Bleve search of a user's query: cancellation stays itself;
// anything else is what Bleve says about the query (an invalid regexp, too many expansions of a
// wildcard), since parsing and checkFields have already caught the rest.
func searchError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("%w: %v", ErrBadQuery, err)
}

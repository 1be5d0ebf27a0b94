package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/kindred-search/kindred/embed"
)

// RelatedRequest asks for papers related to one paper or to a piece of text.
type RelatedRequest struct {
	Mode   Mode // default ModeHybrid
	Limit  int  // 1..MaxLimit, default 10
	Offset int
	Filter Filter
	Fusion Fusion
	Alpha  *float64
	RRFK   int
	Window int
}

// Number of distinctive terms in a "more like this" query, and of shared terms a result explains
// itself with.
const (
	mltTerms    = 25
	sharedTerms = 5
)

// Related ranks the papers most related to the paper with the given ID, which is itself excluded.
// The keyword side is a "more like this" query of the paper's most distinctive terms (tf x idf); the
// vector side is the nearest neighbours of the paper's own vector. Each result carries the terms it
// shares most strongly with the source.
func (ix *Index) Related(ctx context.Context, id string, req RelatedRequest) (Response, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return Response{}, ErrClosed
	}
	p, err := ix.getLocked(ctx, id)
	if err != nil {
		return Response{}, err
	}
	v, _ := ix.vec.Get(id)
	return ix.related(ctx, EmbedText(p), v, id, req)
}

// Similar ranks the papers most related to a pasted text, such as an abstract not in the index.
func (ix *Index) Similar(ctx context.Context, text string, req RelatedRequest) (Response, error) {
	if strings.TrimSpace(text) == "" {
		return Response{}, fmt.Errorf("%w: the text is empty", ErrBadQuery)
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return Response{}, ErrClosed
	}
	return ix.related(ctx, text, ix.emb.Embed(text, ix.stats), "", req)
}

func (ix *Index) related(ctx context.Context, text string, v embed.Vector, skip string, req RelatedRequest) (Response, error) {
	start := time.Now()
	r, err := ix.resolve(req.Mode, req.Limit, req.Offset, req.Fusion, req.Alpha, req.RRFK, req.Window)
	if err != nil {
		return Response{}, err
	}
	if err := req.Filter.check(); err != nil {
		return Response{}, err
	}
	src := ix.termWeights(text)
	var kw, vc []Candidate
	if r.mode != ModeVector {
		if mq := moreLikeThis(src); mq != nil {
			extra := 0
			if skip != "" {
				extra = 1
			}
			all, _, err := ix.keywordCandidates(ctx, mq, req.Filter, r.window+extra, nil, false)
			if err != nil {
				return Response{}, err
			}
			kw = all[:0]
			for _, c := range all {
				if c.ID != skip && len(kw) < r.window {
					kw = append(kw, c)
				}
			}
		}
	}
	if r.mode != ModeKeyword {
		if vc, err = ix.vectorCandidates(ctx, v, r.window, req.Filter, skip); err != nil {
			return Response{}, err
		}
	}
	fused := r.rank(kw, vc)
	results, err := ix.materialise(ctx, pageOf(fused, r.offset, r.limit), nil)
	if err != nil {
		return Response{}, err
	}
	for i := range results {
		results[i].SharedTerms = ix.shared(src, EmbedText(results[i].Paper))
	}
	return Response{Mode: r.mode, Total: len(fused), Results: results, Took: time.Since(start)}, nil
}

// weightedTerm is an analyzed term with its weight in a text and a readable surface form.
type weightedTerm struct {
	term    string
	surface string
	weight  float64
}

// termWeights weighs the distinct analyzed terms of text by sublinear tf x idf, heaviest first.
func (ix *Index) termWeights(text string) []weightedTerm {
	toks := ix.emb.Tokens(text)
	tf := map[string]int{}
	surface := map[string]string{}
	for _, t := range toks {
		tf[t.Term]++
		if _, ok := surface[t.Term]; !ok {
			surface[t.Term] = strings.ToLower(t.Surface)
		}
	}
	out := make([]weightedTerm, 0, len(tf))
	for t, n := range tf {
		if len(t) < 2 || isNumber(t) {
			continue
		}
		ixf, _ := ix.emb.Hash(t)
		w := (1 + math.Log(float64(n))) * float64(ix.stats.IDF(ixf))
		out = append(out, weightedTerm{term: t, surface: surface[t], weight: w})
	}
	slices.SortFunc(out, func(a, b weightedTerm) int {
		if c := cmp.Compare(b.weight, a.weight); c != 0 {
			return c
		}
		return cmp.Compare(a.term, b.term)
	})
	return out
}

func isNumber(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' }) < 0
}

// moreLikeThis builds a disjunction of the heaviest terms over title and abstract, each boosted by
// its weight. It returns nil when the text has no usable terms.
func moreLikeThis(src []weightedTerm) query.Query {
	n := min(len(src), mltTerms)
	if n == 0 {
		return nil
	}
	qs := make([]query.Query, 0, 2*n)
	for _, t := range src[:n] {
		for _, f := range []string{fieldTitle, fieldAbstract} {
			tq := query.NewTermQuery(t.term)
			tq.SetField(f)
			tq.SetBoost(t.weight)
			qs = append(qs, tq)
		}
	}
	return query.NewDisjunctionQuery(qs)
}

// shared returns the source's terms that also occur in text, strongest first (source weight x
// sublinear tf in text), as readable words.
func (ix *Index) shared(src []weightedTerm, text string) []string {
	tf := map[string]int{}
	for _, t := range ix.emb.Terms(text) {
		tf[t]++
	}
	type scored struct {
		w float64
		s string
	}
	var hits []scored
	for _, t := range src {
		if n := tf[t.term]; n > 0 {
			hits = append(hits, scored{t.weight * (1 + math.Log(float64(n))), t.surface})
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int { return cmp.Compare(b.w, a.w) })
	out := make([]string, 0, sharedTerms)
	for _, h := range hits {
		if len(out) == sharedTerms {
			break
		}
		if !slices.Contains(out, h.s) {
			out = append(out, h.s)
		}
	}
	return out
}

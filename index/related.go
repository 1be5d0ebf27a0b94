package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/bm25"
	"github.com/kindred-search/kindred/index/paper"
)

// RelatedRequest asks for papers related to one paper or to a piece of text.
type RelatedRequest struct {
	Ranking
	// IDsOnly leaves the records and shared terms out of the results (see Request.IDsOnly).
	IDsOnly bool
}

// Number of distinctive terms in a "more like this" query, and of shared terms a result explains
// itself with.
const (
	mltTerms    = 25
	sharedTerms = 5
)

// similarTerms is mltTerms for pasted text, whose keyword side gains more from more terms than a
// related-papers query's, for a cost no latency target bounds: 40 terms against 25 gave hybrid
// nDCG@10 0.0932 against 0.0924 (1,000 arXiv abstracts pasted, their papers left out of the index)
// and 0.0907 against 0.0900 pasted PDF-like, the keyword side alone 0.0729 against 0.0684 there and
// 0.5816 against 0.5694 on SciFact's query-by-document set (its hybrid, 0.5851 against 0.5821, is
// within that small set's noise); 60 and 100 terms gave little more (README, "Measured: related
// papers"). Related papers keep 25: 40 added 0.0002 there at 1.6 times the keyword side's cost.
const similarTerms = 40

// Related ranks the papers most related to the paper with the given ID, which is itself excluded.
// The keyword side is a "more like this" query of the paper's most distinctive terms, scored by
// BM25; the vector side is the nearest neighbours of the paper's own vector, searched from its own
// place in the graph. Each result carries the terms it shares most strongly with the source.
func (ix *Index) Related(ctx context.Context, id string, req RelatedRequest) (Response, error) {
	start := time.Now()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return Response{}, ErrClosed
	}
	v, _ := ix.vec.Get(id)
	src := likeSource{vec: v, from: id, seeds: map[string]bool{id: true}}
	src.terms = func() ([]weightedTerm, error) {
		// From the keyword index when it holds the paper's terms as the text gives them (most
		// papers): no record to read, no text to analyze; the readable forms wait for surfaces.
		if d, ok := ix.kw.DocNum(id); ok {
			if ts, ok := ix.selectPaperTerms(d, mltTerms); ok {
				return ts, nil
			}
		}
		p, err := ix.getLocked(ctx, id)
		if err != nil {
			return nil, err
		}
		return ix.selectTerms(EmbedText(p), mltTerms), nil
	}
	src.surfaces = func(ts []weightedTerm) error {
		if !slices.ContainsFunc(ts, func(t weightedTerm) bool { return t.surface == "" }) {
			return nil // selected from the text
		}
		p, err := ix.getLocked(ctx, id)
		if err == nil {
			ix.fillSurfaces(EmbedText(p), ts)
		}
		return err
	}
	return ix.related(ctx, src, req, start)
}

// Similar ranks the papers most related to a pasted text, such as an abstract not in the index.
func (ix *Index) Similar(ctx context.Context, text string, req RelatedRequest) (Response, error) {
	start := time.Now()
	if strings.TrimSpace(text) == "" {
		return Response{}, fmt.Errorf("%w: the text is empty", ErrBadQuery)
	}
	if len(text) > MaxTextBytes {
		return Response{}, fmt.Errorf("%w: the text is %d bytes, at most %d", ErrBadRequest, len(text), MaxTextBytes)
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return Response{}, ErrClosed
	}
	text = ix.pasted(text)
	src := likeSource{vec: ix.emb.Embed(cleanForTerms(text), ix.stats), text: text}
	src.terms = func() ([]weightedTerm, error) { return ix.selectTerms(text, similarTerms), nil }
	return ix.related(ctx, src, req, start)
}

// MaxTextBytes bounds a pasted text for Similar: a long abstract is 3,000 bytes.
const MaxTextBytes = 100_000

func (ix *Index) related(ctx context.Context, src likeSource, req RelatedRequest, start time.Time) (Response, error) {
	r, err := ix.resolveRelated(req.Ranking)
	if err != nil {
		return Response{}, err
	}
	return ix.rankLike(ctx, r, req.Filter, req.IDsOnly, src, start)
}

// likeSource is what related papers, similar text and recommendations rank papers like.
type likeSource struct {
	// terms selects the source's terms, the keyword side's "more like this" query. It may fail (a
	// source paper that cannot be read): the ranking fails with its error.
	terms func() ([]weightedTerm, error)
	// surfaces, when set, gives the selected terms that have none their readable forms, which the
	// shared terms show (see selectPaperTerms). It may fail as terms may.
	surfaces func([]weightedTerm) error
	// vec is the source's vector; from, when set, the key of the stored vector it is, where the
	// graph search starts.
	vec  embed.Vector
	from string
	// seeds are left out of the results.
	seeds map[string]bool
	// text, for similar text, is the pasted text: a paper of the index whose abstract it holds is
	// the text itself and is left out of the results, as Related leaves out the paper itself (see
	// dropSelves).
	text string
}

// Papers whose vector is at least selfScreen similar to a pasted text's, at most selfCandidates of
// them, are read to see whether the text holds their abstract: the screen keeps the reads to the few
// papers close enough to be the text itself. A pasted title and abstract scores 0.95 or more against
// its own paper's vector on the arXiv file (1,000 sampled papers), less for a short abstract, whose
// title (twice in the paper's vector) weighs more. A cosine threshold alone would drop close papers
// or keep short ones: the text decides.
const (
	selfScreen     = 0.5
	selfCandidates = 3
)

// dropSelves removes from both sides' lists the papers whose abstract the pasted text holds (see
// holdsText: a copy from a PDF, cut and joined differently, still holds it). The vector scores
// screen the candidates: in keyword mode, where the vector side did not run, the keyword candidates
// are scored against the text's vector for it.
func (ix *Index) dropSelves(ctx context.Context, text string, qv embed.Vector, kw, vc []Candidate) ([]Candidate, []Candidate, error) {
	scored := vc
	if vc == nil {
		scored = ix.vectorScores(qv, kw)
		sortCandidates(scored)
	}
	var ids []string
	for _, c := range scored {
		if c.Score < selfScreen || len(ids) == selfCandidates {
			break
		}
		ids = append(ids, c.ID)
	}
	if len(ids) == 0 {
		return kw, vc, nil
	}
	papers, err := ix.fetch(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	tw := newTextWords(text)
	self := map[string]bool{}
	for id, p := range papers {
		if tw.holds(p.Abstract) {
			self[id] = true
		}
	}
	if len(self) == 0 {
		return kw, vc, nil
	}
	return dropSeeds(kw, self, len(kw)), dropSeeds(vc, self, len(vc)), nil
}

// resolveRelated resolves the ranking parameters of related papers and recommendations: their own
// window and alpha unless the request sets them.
func (ix *Index) resolveRelated(rk Ranking) (resolved, error) {
	r, err := ix.resolve(rk)
	if err != nil {
		return resolved{}, err
	}
	if rk.Window == 0 {
		r.window = max(ix.opts.Ranking.RelatedWindow, r.offset+r.limit)
	}
	if rk.Alpha == nil {
		r.fuse.Alpha = ix.opts.Ranking.RelatedAlpha
	}
	return r, nil
}

// rankLike ranks the papers like a source: every candidate scored on both sides, fused, and each
// result with the terms it shares with the source. Related papers, similar text and recommendations
// all end here. Called with mu held for reading.
//
// The vector side needs no terms, so it starts at once and the terms are selected meanwhile; then
// each side, as it ends, scores its own candidates on the other side (complete's work, split in two
// halves that run at the same time).
func (ix *Index) rankLike(ctx context.Context, r resolved, f Filter, idsOnly bool, ls likeSource, start time.Time) (Response, error) {
	filter := ix.keywordFilter(f)
	out := Response{Mode: r.mode, TotalExact: true}
	both := r.mode == ModeHybrid && r.fuse.Method != FusionRRF
	seeds, qv := ls.seeds, ls.vec
	var src []weightedTerm
	selected := make(chan struct{})
	var kw, vc, kwMore, vcMore []Candidate
	// The local densities of each side's vector candidates, looked up on the side that found them
	// (their nodes were just read) and taken off the vector scores after the merge.
	var vcDensity, moreDensity map[string]float32
	// Read ahead: the vector side's chain is the shorter one (it has no terms to select), and its
	// best papers are most of the page (eight of the ten related papers on the author proxy's 1,000
	// papers), so it reads their records and their shared terms while the keyword side runs; the
	// page then reads only the rest. It stops as soon as the keyword side ends, so that it never
	// delays the ranking.
	var ahead map[string]paper.Paper
	var aheadShared map[string][]int
	var kwDone atomic.Bool
	// The readable forms of the selected terms, which only the shared terms show.
	surfaces := func() error {
		if idsOnly || ls.surfaces == nil || len(src) == 0 {
			return nil
		}
		return ls.surfaces(src)
	}
	var vcSide func() error
	if r.mode != ModeKeyword {
		vcSide = func() error {
			g := graphParams{ef: ix.opts.Ranking.RelatedEf, from: ls.from}
			all, err := ix.vectorSide(ctx, qv, r.window+len(seeds), bm25.Query{Filter: filter}, g)
			if err != nil {
				return err
			}
			vc = dropSeeds(all, seeds, r.window)
			vcDensity = ix.densityOf(vc)
			<-selected
			if both && len(src) > 0 {
				// Neither list holds a seed, so neither does what one side adds to the other.
				if kwMore, err = ix.keywordScores(moreLikeThis(src, bm25.Filter{}), vc); err != nil {
					return err
				}
			}
			if !idsOnly {
				best := lessDensity(vc, ix.opts.Ranking.RelatedDensity, vcDensity)
				ahead, aheadShared = ix.readAhead(ctx, best[min(r.offset, len(best)):min(r.offset+r.limit, len(best))], src, &kwDone)
			}
			return nil
		}
	}
	kwSide := func() error {
		defer kwDone.Store(true)
		var err error
		func() {
			defer close(selected) // even if terms fails or panics: the vector side waits for it
			src, err = ls.terms()
		}()
		if err != nil || r.mode == ModeVector || len(src) == 0 {
			return err
		}
		all, err := ix.likeSide(ctx, src, filter, r.window+len(seeds), &out.Work)
		if err != nil {
			return err
		}
		kw = dropSeeds(all, seeds, r.window)
		if both {
			vcMore = ix.vectorScores(qv, kw)
			moreDensity = ix.densityOf(vcMore)
		}
		return nil
	}
	if err := concurrently(kwSide, vcSide); err != nil {
		return Response{}, err
	}
	if both {
		kw, vc = merged(kw, kwMore), merged(vc, vcMore)
	}
	if ls.text != "" {
		// After the merge, so that every candidate has its vector score: a pasted abstract's own
		// paper would otherwise top both sides and squeeze every other score into the bottom of the
		// min-max range (the author proxy's 1,000 papers pasted as title and abstract: hybrid nDCG@10
		// 0.058 with it and the text's vector made from the raw text, 0.095 without, from the
		// cleaned text; README, "Measured: related papers").
		var err error
		if kw, vc, err = ix.dropSelves(ctx, ls.text, qv, kw, vc); err != nil {
			return Response{}, err
		}
	}
	cosines := vc
	vc = lessDensity(vc, ix.opts.Ranking.RelatedDensity, vcDensity, moreDensity)
	fused := r.rankAs(r.mode, kw, vc)
	page := pageOf(fused, r.offset, r.limit)
	showCosines(page, cosines)
	// The records are read from Bleve while the shared terms are found in the keyword index.
	records := func() (err error) {
		out.Results, err = ix.materialise(ctx, page, nil, idsOnly, ahead)
		return err
	}
	var shared [][]int
	var sharedTerms func() error
	if !idsOnly {
		sharedTerms = func() error {
			shared = make([][]int, len(page))
			for i, f := range page {
				if s, ok := aheadShared[f.ID]; ok {
					shared[i] = s
				} else {
					shared[i] = ix.shared(src, f.ID)
				}
			}
			return surfaces()
		}
	}
	if err := concurrently(records, sharedTerms); err != nil {
		return Response{}, err
	}
	for i := range shared { // materialise keeps the page's order
		out.Results[i].SharedTerms = surfacesOf(src, shared[i])
	}
	out.Total = len(fused)
	out.Took = time.Since(start)
	return out, nil
}

// readAhead reads the records of the candidates, and the terms each shares with the source, one
// candidate at a time until stop is set. A record it cannot read is left to the page, which reports
// the error.
func (ix *Index) readAhead(ctx context.Context, cands []Candidate, src []weightedTerm, stop *atomic.Bool) (map[string]paper.Paper, map[string][]int) {
	papers := make(map[string]paper.Paper, len(cands))
	shared := make(map[string][]int, len(cands))
	for _, c := range cands {
		if stop.Load() || ctx.Err() != nil {
			break
		}
		ps, err := ix.fetch(ctx, []string{c.ID})
		p, ok := ps[c.ID]
		if err != nil || !ok {
			continue
		}
		papers[c.ID], shared[c.ID] = p, ix.shared(src, c.ID)
	}
	return papers, shared
}

// weightedTerm is an analyzed term with its weight in a text and a readable surface form.
type weightedTerm struct {
	id      bm25.TermID // the term's number in the keyword index
	term    string
	surface string
	// weight is the term's BM25 weight in the source: idf · saturated, length-normalised tf.
	weight float64
	// first is the index of the term's first token in the cleaned text it was selected from (-1
	// when selected from the forward index).
	first int
}

// A term in more than maxTermShare of the papers is left out: it finds half the index. Scaffolding
// below that share ("practitioners", "comprehensive") is weighed down by its aboutness instead (a
// cap of 10% also dropped "video" from a video survey's terms in the arXiv file, where it is in 11%
// of the papers).
const maxTermShare = 0.5

// minCommonDocs keeps the share rule off tiny collections, where a fifth of the papers is one paper.
const minCommonDocs = 20

// A term less than minAboutness about its paper is not selected: its weight is a fifth of what its
// rarity would give, too little to find a related paper, enough to show as a shared term where
// nothing better is shared (the built-in sample's "rather", "showcase"). On the dev sets it changes
// no figure (author proxy, 300 and 1,000 papers, depth 10 and 100; SciFact's query-by-document set).
const minAboutness = 0.2

// selectTerms weighs the distinct analyzed terms of text by their BM25 weight against the index
// (exact document frequencies) times their aboutness, after removing what is markup or citation
// apparatus (see cleanForTerms), and returns the n heaviest, heaviest first. Terms found in no other
// paper, or in more than maxTermShare of them, are left out: they cannot find a related paper, or
// find them all; so are terms less than minAboutness about the text.
func (ix *Index) selectTerms(text string, n int) []weightedTerm {
	text = cleanForTerms(text)
	toks := ix.emb.TokenSpans(text)
	// Each distinct term the keyword index knows with its count and where it first occurs (its
	// readable form); at is -1 for a term it does not know (no document frequency: never selected).
	at := make(map[string]int, len(toks))
	cs := make([]termCount, 0, len(toks))
	for i, t := range toks {
		if j, ok := at[t.Term]; ok {
			if j >= 0 {
				cs[j].n++
			}
			continue
		}
		id, ok := ix.kw.TermID(t.Term)
		if !ok {
			at[t.Term] = -1
			continue
		}
		at[t.Term] = len(cs)
		cs = append(cs, termCount{id: id, n: 1, first: i})
	}
	out := ix.weighTerms(cs, float64(len(toks)), n)
	for i := range out {
		t := toks[out[i].first]
		out[i].surface = strings.ToLower(text[t.Start:t.End])
	}
	return out
}

// selectPaperTerms is selectTerms(EmbedText(p), n) for the paper with keyword document number d,
// read from the keyword index's forward index instead of from the paper's text, without the
// surfaces (see fillSurfaces). It reports false where the two could differ, and the caller then
// selects from the text: a paper that cleanForTerms changes (it lacks keyVerbatim: its terms in the
// index are those of the text before cleaning) or with a frequency the index caps.
func (ix *Index) selectPaperTerms(d uint32, n int) ([]weightedTerm, bool) {
	if !ix.kw.HasKey(keyVerbatim, d) {
		return nil, false
	}
	ts := ix.kw.DocTerms(d, make([]bm25.DocTerm, 0, 128))
	cs := make([]termCount, 0, len(ts))
	dl := 0
	for _, t := range ts {
		if t.Title == bm25.MaxTF || t.Abstract == bm25.MaxTF {
			return nil, false
		}
		// EmbedText holds the title twice: the counts and the length selectTerms would see.
		c := embedTitleCopies*t.Title + t.Abstract
		dl += c
		cs = append(cs, termCount{id: t.Term, n: c, first: -1})
	}
	return ix.weighTerms(cs, float64(dl), n), true
}

// fillSurfaces sets the readable form of terms selected by selectPaperTerms: each term's first
// occurrence in text, as selectTerms gives it. It looks the text's words up in the keyword index's
// word dictionary, which maps every word of an indexed paper to its term, instead of analyzing them
// (173 -> 114 us on the arXiv file); a word the dictionary leaves out for its length, or a term not found, sends
// it to the analyzer.
func (ix *Index) fillSurfaces(text string, terms []weightedTerm) {
	want := make(map[bm25.TermID]int, len(terms))
	for i, t := range terms {
		if t.surface == "" {
			want[t.id] = i
		}
	}
	// Not cleaned: the paper's text is its cleaned text (keyVerbatim) but for white space, which
	// moves no word.
	if words, ok := ix.emb.WordSpans(text); ok {
		var buf []byte
		for _, w := range words {
			if len(want) == 0 {
				return
			}
			if len(w.Term) > maxWordLen {
				break // its term, unknown here, could come first
			}
			var ok bool
			if buf, ok = asciiLowerTo(buf[:0], w.Term); !ok {
				buf = append(buf[:0], strings.ToLower(w.Term)...)
			}
			if id, ok := ix.kw.WordTerm(buf); ok {
				if i, ok := want[id]; ok {
					terms[i].surface = string(buf)
					delete(want, id)
				}
			}
		}
	}
	byTerm := make(map[string]int, len(want))
	for _, i := range want {
		byTerm[terms[i].term] = i
	}
	text = cleanForTerms(text) // the positions selectTerms reads
	for _, t := range ix.emb.TokenSpans(text) {
		if i, ok := byTerm[t.Term]; ok && terms[i].surface == "" {
			terms[i].surface = strings.ToLower(text[t.Start:t.End])
		}
	}
	for _, i := range byTerm { // not in the text (cannot happen for a paper's own terms): the term itself
		if terms[i].surface == "" {
			terms[i].surface = terms[i].term
		}
	}
}

// asciiLowerTo appends s lower-cased to dst, as strings.ToLower would, when s is ASCII; it reports
// false (dst unusable) otherwise.
func asciiLowerTo(dst []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return dst, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, true
}

// termCount is a distinct term of a source text with its count there, before weighing; first is
// the index of its first token when it was counted from the text, else -1.
type termCount struct {
	id    bm25.TermID
	n     int
	first int
}

// weighTerms weighs a text's distinct terms (its length dl tokens) and returns the n heaviest,
// heaviest first, ties by term (see selectTerms).
func (ix *Index) weighTerms(cs []termCount, dl float64, n int) []weightedTerm {
	docs := float64(ix.kw.Len())
	p := ix.kw.Params()
	k1, b := p.K1, p.B
	norm := k1 * (1 - b + b*dl/ix.kw.AvgLen())
	out := make([]weightedTerm, 0, len(cs))
	for _, tc := range cs {
		t := ix.kw.Term(tc.id)
		if len(t) < 2 || isNumber(t) {
			continue
		}
		// The document frequency first: it is cached across writes, the other statistics are not.
		df := float64(ix.kw.DFOf(tc.id))
		if df < 2 || (df > maxTermShare*docs && df > minCommonDocs) {
			continue
		}
		c := float64(tc.n)
		imp := c * (k1 + 1) / (c + norm)
		ab := aboutness(t, ix.kw.StatsOf(tc.id))
		if ab < minAboutness {
			continue
		}
		w := bm25.IDF(docs, df) * imp * ab
		out = append(out, weightedTerm{id: tc.id, term: t, weight: w, first: tc.first})
	}
	slices.SortFunc(out, func(a, b weightedTerm) int {
		if c := cmp.Compare(b.weight, a.weight); c != 0 {
			return c
		}
		return cmp.Compare(a.term, b.term)
	})
	return out[:min(len(out), n)]
}

func isNumber(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' }) < 0
}

// moreLikeThis is the keyword query of a text's selected terms, each weighted by its BM25 weight in
// the source, so that a candidate scores Σ idf² · impact(source) · impact(candidate): a symmetric
// BM25 similarity that leans on the rarer shared terms. On the author proxy (1,000 arXiv papers) it
// scored nDCG@10 0.073 against 0.068 for weight 1 and 0.073 for impact(source) alone (README,
// "Related papers").
func moreLikeThis(src []weightedTerm, f bm25.Filter) bm25.Query {
	q := bm25.Query{Filter: f, Clauses: make([]bm25.Clause, len(src))}
	for i, t := range src {
		q.Clauses[i] = bm25.Clause{Term: t.term, Weight: t.weight}
	}
	return q
}

// In a collection of at least findMinDocs papers, the "more like this" query finds its candidates
// with its terms in at most findShare of the papers, findDepth times as many as it keeps, and then
// scores them on all its terms (likeSide). The common terms hold most of the query's postings
// (terms in more than 5% of the 75k arXiv file: 80% of them) and weigh least (idf twice: once in
// the source's weight, once in the candidate's score), so a paper they alone would bring in cannot
// outscore the many that share a rare term. On the author proxy (300 and 1,000 papers, depth 10
// and 100) hybrid nDCG@10 moved by -0.0004 to +0.0000, the keyword side's by -0.0002 to +0.0002,
// and the query took 2.6 times less (README, "Measured: related papers").
const (
	findShare = 0.05
	findDepth = 2
)

// findMinDocs is a variable for the tests, which have no 10,000 papers.
var findMinDocs = 10_000

// likeSide is the keyword side of a "more like this" query: its best n papers, found by its
// distinctive terms and scored on all of them (see findShare).
func (ix *Index) likeSide(ctx context.Context, src []weightedTerm, f bm25.Filter, n int, w *Work) ([]Candidate, error) {
	docs := ix.kw.Len()
	if docs < findMinDocs {
		return ix.keywordSide(ctx, moreLikeThis(src, f), n, w)
	}
	var find []weightedTerm
	for _, t := range src {
		if float64(ix.kw.DFOf(t.id)) <= findShare*float64(docs) {
			find = append(find, t)
		}
	}
	if len(find) == 0 || len(find) == len(src) {
		return ix.keywordSide(ctx, moreLikeThis(src, f), n, w)
	}
	found, err := ix.keywordSide(ctx, moreLikeThis(find, f), findDepth*n, w)
	if err != nil {
		return nil, err
	}
	// The filter was applied in finding them.
	scored, err := ix.keywordScores(moreLikeThis(src, bm25.Filter{}), found)
	if err != nil {
		return nil, err
	}
	sortCandidates(scored)
	return scored[:min(len(scored), n)], nil
}

// shared returns the source's selected terms that also occur in the paper with the given ID, as
// positions in src, strongest first (source weight x sublinear tf in the paper, the title counted
// as the keyword index counts it); surfacesOf makes them readable words. It reads the paper's terms
// from the keyword index's forward index, not the paper's text: O(paper's terms + selected terms ·
// log paper's terms).
func (ix *Index) shared(src []weightedTerm, id string) []int {
	d, ok := ix.kw.DocNum(id)
	if !ok {
		return nil
	}
	type scored struct {
		w float64
		i int
	}
	ts := ix.kw.DocTerms(d, make([]bm25.DocTerm, 0, 128))
	var hits []scored
	for i, t := range src {
		j, ok := slices.BinarySearchFunc(ts, t.id, func(dt bm25.DocTerm, id bm25.TermID) int { return cmp.Compare(dt.Term, id) })
		if !ok {
			continue
		}
		if n := ix.kw.Params().TitleWeight*ts[j].Title + ts[j].Abstract; n > 0 {
			hits = append(hits, scored{t.weight * (1 + math.Log(float64(n))), i})
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int { return cmp.Compare(b.w, a.w) })
	out := make([]int, len(hits))
	for k, h := range hits {
		out[k] = h.i
	}
	return out
}

// surfacesOf returns the readable forms of the first sharedTerms distinct terms of src at the
// positions shared gave.
func surfacesOf(src []weightedTerm, at []int) []string {
	out := make([]string, 0, min(len(at), sharedTerms))
	for _, i := range at {
		if len(out) == sharedTerms {
			break
		}
		if s := src[i].surface; !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

package index

import (
	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/bm25"
	"github.com/kindred-search/kindred/index/hnsw"
)

// Vector index kinds for Options.VectorIndex.
const (
	VectorAuto  = "auto"  // exact below Options.ExactBelow papers, HNSW graph above
	VectorHNSW  = "hnsw"  // always the HNSW graph
	VectorExact = "exact" // always the exact scan
)

// Options configure an Index. Zero fields take the default from DefaultOptions.
type Options struct {
	// Embed configures the text-to-vector embedder. Fixed when the index is created: an index
	// reopened with other embed options keeps the ones it was built with. Default embed.DefaultOptions().
	Embed embed.Options
	// VectorIndex chooses the vector index: VectorAuto, VectorHNSW or VectorExact. Default VectorAuto.
	VectorIndex string
	// HNSW configures the graph (see hnsw.Options). Default hnsw.DefaultOptions() with EfConstruction
	// 64: on arXiv abstracts it builds the graph about three times faster than 200 and still recalls
	// 0.98-0.99 of the exact top 10 at the default efSearch (kindred bench ann), and most queries are
	// answered exactly from the graph's inverted lists anyway.
	HNSW hnsw.Options
	// Keyword holds the BM25 parameters of the keyword index. Fixed when the index is created (an
	// existing index keeps its own). Default bm25.DefaultParams(): k1 0.9, b 0.4, the title counted three times.
	Keyword bm25.Params
	// ExactBelow is the corpus size under which VectorAuto uses the exact scan, which is as fast as a
	// graph walk there and exact. Default 2,000.
	ExactBelow int
	// Ranking holds the ranking defaults used when a Request leaves a field unset.
	Ranking RankingOptions
	// Rebuild ignores the derived files (vectors, graph, idf statistics) and rebuilds them from the paper
	// records stored in the full-text index: the repair for ErrDamaged.
	Rebuild bool
	// ReadOnly opens the index for searching only; writes fail.
	ReadOnly bool
	// MinFreeBytes is the disk space a write leaves free on the data directory's file system: a write
	// that would leave less (counting about 8 bytes of disk per byte of its papers' text) is refused
	// with ErrNoSpace before it reaches the disk, and so is a save of the vectors file that would not
	// fit. Bleve's background merges need room too. Default 64 MiB; negative: no check at all, a full
	// disk is found when a write fails (ErrNoSpace all the same).
	MinFreeBytes int64
}

// RankingOptions are the defaults of the ranking core.
type RankingOptions struct {
	// Alpha weighs the vector side in convex fusion of a search: alpha*vector + (1-alpha)*keyword.
	// Default 0.3, tuned on the SciFact training split (see README "How ranking works").
	Alpha float64
	// ShortAlpha is Alpha for short searches (at most four distinct terms), which also score every
	// candidate on both sides. Default 0.5, tuned on 500 known-item queries of 2-4 title words.
	ShortAlpha float64
	// RelatedAlpha is Alpha for related papers and similar text. Default 0.8, tuned on the author
	// proxy (300 and 1,000 arXiv papers) together with RelatedDensity.
	RelatedAlpha float64
	// RecommendAlpha is Alpha for recommendations from seed papers. Default 0.7, tuned on 500
	// three-seed sets of the arXiv file (kindred seeds); the centroid of several seeds is a
	// smoother query than one paper, and trusts the vector side a little less.
	RecommendAlpha float64
	// RelatedDensity is how much of a candidate's local density its vector score loses in related
	// papers, similar text and recommendations: the score is the cosine similarity less
	// RelatedDensity times the mean similarity of the candidate to its closest neighbours (see
	// density.go). Default 0.5, tuned on the author proxy; a negative value turns it off.
	RelatedDensity float64
	// RelatedWindow is how many candidates each side contributes to related papers. Default 30: with
	// every candidate scored on both sides, 30 ranks the top 10 as 100 does.
	RelatedWindow int
	// RelatedEf is the graph's search effort (efSearch) for related papers, whose query is a whole
	// abstract: the keyword side and the scoring of every candidate on both sides make up for the
	// neighbours a smaller effort misses. Default 32 (the graph's own default is 128): on the author
	// proxy (1,000 arXiv papers) nDCG@10 is 0.0923 at 32 and at 64, and related papers cost 28% less.
	RelatedEf int
	// RRFK is reciprocal rank fusion's k. Default 60.
	RRFK int
	// Window is how many candidates each side contributes to fusion. Default 100.
	Window int
	// Fusion is the default fusion family. Default FusionConvex.
	Fusion Fusion
	// Norm is convex fusion's score normalisation. Default NormMinMax.
	Norm Norm
}

// DefaultOptions returns the documented defaults.
func DefaultOptions() Options {
	return Options{
		Embed:        embed.DefaultOptions(),
		HNSW:         defaultGraphOptions(),
		Keyword:      bm25.DefaultParams(),
		VectorIndex:  VectorAuto,
		ExactBelow:   2000,
		Ranking:      DefaultRankingOptions(),
		MinFreeBytes: 64 << 20,
	}
}

// DefaultRankingOptions returns the ranking defaults.
func DefaultRankingOptions() RankingOptions {
	return RankingOptions{Alpha: 0.3, ShortAlpha: 0.5, RelatedAlpha: 0.8, RecommendAlpha: 0.7, RelatedDensity: 0.5, RelatedWindow: 30, RelatedEf: 32, RRFK: 60, Window: 100, Fusion: FusionConvex, Norm: NormMinMax}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Embed == (embed.Options{}) {
		o.Embed = d.Embed
	}
	if o.HNSW == (hnsw.Options{}) {
		o.HNSW = d.HNSW
	}
	if o.Keyword == (bm25.Params{}) {
		o.Keyword = bm25.DefaultParams()
	}
	if o.VectorIndex == "" {
		o.VectorIndex = d.VectorIndex
	}
	if o.ExactBelow == 0 {
		o.ExactBelow = d.ExactBelow
	}
	if o.MinFreeBytes == 0 {
		o.MinFreeBytes = d.MinFreeBytes
	}
	r, dr := &o.Ranking, d.Ranking
	if r.Alpha == 0 {
		r.Alpha = dr.Alpha
	}
	if r.ShortAlpha == 0 {
		r.ShortAlpha = dr.ShortAlpha
	}
	if r.RelatedAlpha == 0 {
		r.RelatedAlpha = dr.RelatedAlpha
	}
	if r.RecommendAlpha == 0 {
		r.RecommendAlpha = dr.RecommendAlpha
	}
	if r.RelatedDensity == 0 {
		r.RelatedDensity = dr.RelatedDensity
	}
	if r.RelatedWindow == 0 {
		r.RelatedWindow = dr.RelatedWindow
	}
	if r.RelatedEf == 0 {
		r.RelatedEf = dr.RelatedEf
	}
	if r.RRFK == 0 {
		r.RRFK = dr.RRFK
	}
	if r.Window == 0 {
		r.Window = dr.Window
	}
	if r.Fusion == "" {
		r.Fusion = dr.Fusion
	}
	if r.Norm == "" {
		r.Norm = dr.Norm
	}
	return o
}

func defaultGraphOptions() hnsw.Options {
	o := hnsw.DefaultOptions()
	o.EfConstruction = 64
	return o
}

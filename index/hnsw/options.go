package hnsw

import (
	"math"
	"runtime"
)

// Options configures a Graph. The zero value of every field means its default, so Options{} and
// DefaultOptions() build the same graph.
type Options struct {
	// M is the number of links a node keeps on each layer above 0; layer 0 keeps Mmax0 = 2*M.
	// Larger M raises recall and memory (8 bytes a link). Default 16.
	M int
	// EfConstruction is the size of the candidate list searched for a new node's neighbours.
	// Larger is a better graph and a slower build. Default 200.
	EfConstruction int
	// EfSearch is the size of the candidate list of a graph search; Search uses max(EfSearch, k).
	// Default 128: the smallest power of two with recall@10 >= 0.97 for abstract-length queries
	// on the graph route, measured on arXiv abstracts (see the package documentation).
	EfSearch int
	// Seed seeds the generator of node levels, so two builds of the same input with Workers = 1 are
	// identical. Default 0 (a valid seed).
	Seed int64
	// MaxTombstoneRatio bounds deleted-but-kept nodes: when tombstones exceed this fraction of all
	// nodes, the graph is rebuilt from its live vectors (see Compact). Default 0.2; negative never
	// compacts automatically.
	MaxTombstoneRatio float64
	// DropPrunedConnections turns off keepPrunedConnections of the paper's Algorithm 4: by default a
	// new node whose heuristic keeps fewer than M neighbours is topped up to M with the closest of
	// the candidates the heuristic pruned. Sparse text vectors make the heuristic prune hard, so
	// keeping them is worth about two points of recall. Default false.
	DropPrunedConnections bool
	// ExactMaxNNZ routes a query with at most this many non-zero entries to the exact search over
	// the inverted lists instead of the graph. Default 32; negative never routes by length.
	ExactMaxNNZ int
	// ExactMaxPostings routes any query whose inverted lists hold at most this many postings in
	// total to the exact search, whatever its length. Default: PostingsPerEf times the search's ef
	// (cost model in the package documentation); negative never routes by postings.
	ExactMaxPostings int
	// Seeds is how many extra entry points a graph search takes from the inverted lists (the nodes
	// scoring best on the query's heaviest rare features) besides the one the greedy descent
	// reaches. Default 32; negative disables. See the package documentation.
	Seeds int
	// Workers bounds the goroutines of AddBatch and Compact. Default runtime.GOMAXPROCS(0);
	// 1 makes a build deterministic.
	Workers int
}

// Defaults, exported for documentation and flags.
const (
	DefaultM                 = 16
	DefaultEfConstruction    = 200
	DefaultEfSearch          = 128
	DefaultMaxTombstoneRatio = 0.2
	DefaultExactMaxNNZ       = 32
	DefaultSeeds             = 32
)

// DefaultOptions returns the options New uses for zero fields.
func DefaultOptions() Options {
	return Options{
		M:                 DefaultM,
		EfConstruction:    DefaultEfConstruction,
		EfSearch:          DefaultEfSearch,
		MaxTombstoneRatio: DefaultMaxTombstoneRatio,
		ExactMaxNNZ:       DefaultExactMaxNNZ,
		Seeds:             DefaultSeeds,
		Workers:           runtime.GOMAXPROCS(0),
	}
}

// withDefaults fills zero fields and clamps the rest to values the algorithms can run with.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.M <= 0 {
		o.M = d.M
	}
	o.M = max(o.M, 2)
	if o.EfConstruction <= 0 {
		o.EfConstruction = d.EfConstruction
	}
	o.EfConstruction = max(o.EfConstruction, o.M)
	if o.EfSearch <= 0 {
		o.EfSearch = d.EfSearch
	}
	if o.MaxTombstoneRatio == 0 || math.IsNaN(o.MaxTombstoneRatio) {
		o.MaxTombstoneRatio = d.MaxTombstoneRatio
	}
	if o.ExactMaxNNZ == 0 {
		o.ExactMaxNNZ = d.ExactMaxNNZ
	}
	if o.Seeds == 0 {
		o.Seeds = d.Seeds
	}
	if o.Workers <= 0 {
		o.Workers = d.Workers
	}
	return o
}

// levelMult is the paper's mL = 1/ln(M), which makes each layer about M times smaller than the one
// below and keeps the expected number of layers at log_M(N).
func (o Options) levelMult() float64 { return 1 / math.Log(float64(o.M)) }

// mmax is the link capacity of a node on layer lc.
func (o Options) mmax(lc int) int {
	if lc == 0 {
		return 2 * o.M
	}
	return o.M
}

// PostingsPerEf is the default postings budget per unit of ef: a graph search makes about 17*ef
// distance evaluations, each costing as much as accumulating about 130 postings, so below
// 17*130 = 2,200 postings per unit of ef the exact route is also the faster one.
const PostingsPerEf = 2200

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
	// Default 128: the smallest power of two with recall@10 >= 0.97 on the graph route for
	// held-out abstracts as queries over 74k arXiv abstracts (0.977; 0.954 at 64, 0.987 at 256).
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
	// the candidates the heuristic pruned, and an overfull list drops its farthest link instead of
	// running the heuristic again. Sparse text makes the heuristic prune hard; keeping the pruned
	// links measured 0.945 against 0.933 recall@10 at ef=64 on 10k arXiv abstracts, equal at
	// ef=128. Default false.
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

// PostingsPerEf is the default postings budget per unit of ef. A graph search makes about 18*ef
// distance evaluations, and one evaluation cost as much as accumulating 90 to 145 postings on 74k
// arXiv abstracts (0.7-1.6 us against 5-18 ns, the spread being the machine's load, which hurts
// the postings' random memory access more). Below 18*90 ~ 1,500 postings per unit of ef the exact
// route is then no slower than the graph.
const PostingsPerEf = 1500

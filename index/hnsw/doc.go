// Package hnsw is a Hierarchical Navigable Small World graph (Malkov & Yashunin, arXiv 1603.09320)
// over the sparse, L2-normalised vectors of package embed, with inverted lists beside it that answer
// sparse queries exactly. *Graph implements vector.Index.
//
//	g := hnsw.New(hnsw.DefaultOptions())
//	err := g.AddBatch(ctx, keys, vecs) // parallel build
//	hits := g.Search(q, 10)            // best first
//	_, err = g.WriteTo(f)              // hnsw.Read(f) loads it back
//
// # Basics
//
// Similarity is the dot product (the cosine, vectors being normalised) and distance is 1 - dot,
// computed on the sparse vectors themselves. Each node draws its level from floor(-ln(U) * mL) with
// mL = 1/ln(M) and a seedable generator (Options.Seed). An insert descends greedily from the entry
// point (the node of the highest level, replaced when a higher one arrives) and on each of its own
// layers runs the ef-bounded SEARCH-LAYER with EfConstruction candidates: a min-heap of candidates
// to expand, a max-heap of the ef best results, stopping when the closest candidate is farther
// than the worst result. The neighbour-selection heuristic (Algorithm 4) keeps a candidate only if
// it is closer to the new node than to every neighbour already kept, then tops the list up to M
// with the closest pruned ones (keepPrunedConnections). Lists hold M links, 2*M on layer 0; an
// overfull neighbour list drops its farthest link. A search walks the same way with
// max(EfSearch, k) candidates.
//
// Cost: a search makes about 18*ef distance evaluations of O(nnz) each on the graph route, an
// insert about as many at EfConstruction. Memory: on the arXiv sample (230 non-zeros an abstract)
// a node takes about 2.4 KB of vector, 0.5 KB of links and 2.9 KB of inverted lists.
//
// # Sparse queries and the inverted lists
//
// A query of a few words shares no feature with almost every abstract, so to a graph walk nearly
// every node is at distance 1.0: the greedy descent has no gradient to follow and stops where it
// entered (recall@10 of 0.78 at ef=64 on 500 arXiv titles as queries). The graph therefore keeps
// an inverted list per feature (node id and value; tombstones stay in the lists and are skipped at
// query time, compaction drops them) and answers such queries exactly by term-at-a-time
// accumulation: a query with at most Options.ExactMaxNNZ non-zeros (default 32; titles have 18 on
// average), or whose lists hold at most Options.ExactMaxPostings postings in total, takes that
// route. Its hits equal vector.Exact's, scores bit for bit.
//
// Is it worth it for long queries too? Measured on 74k arXiv abstracts with 500 held-out
// abstracts as queries: their lists hold 351k postings on average, answered exactly in 1.9 ms,
// against 1.8 ms for the graph at ef=128 (recall@10 0.977), on a quiet machine; under load the
// postings suffered more (6.8 ms against 3.5 ms). So the postings route is the cheaper one for
// long queries only on small corpora or when the query's features are rare, and the default budget
// (PostingsPerEf * ef, 192k postings at the default ef) sends a long query to the lists only when
// they are no slower; on a corpus of a few thousand abstracts that is every query. SearchWith can
// force either route, and Stats reports which one answered and the work it did.
//
// The lists also seed the graph route: besides the entry point the greedy descent reaches, layer 0
// starts from the 32 nodes (Options.Seeds) scoring best on the query's heaviest rare features.
// Sparse text has many small, loosely linked regions, and the descent alone often lands in the
// wrong one: seeds lift recall@10 at ef=128 on the arXiv sample from 0.955 to 0.977 for the same
// time, and titles forced onto the graph route reach 0.97 at ef=128 where they had 0.78 at ef=64.
//
// # Deletes and compaction
//
// Delete leaves a tombstone: searches walk through it (it keeps the graph connected) but never
// return it, and an Add of an existing key tombstones the old node and inserts a new one. When
// tombstones exceed Options.MaxTombstoneRatio of all nodes (default 0.2, so a fifth of the graph
// may be dead), the write that crossed the threshold rebuilds the graph from the live vectors, as
// Compact does. With a fifth of the nodes tombstoned, recall@10 stays within 0.02 of a fresh
// build of the rest (TestRecallAfterDelete).
//
// # Concurrency
//
// Any number of searches run alongside a writer. Writers (Add, AddBatch, Delete, Compact, WriteTo)
// are serialised; AddBatch links its nodes with Options.Workers goroutines that lock one node's
// link list at a time, as hnswlib does. With Workers = 1 a build is deterministic.
//
// # Caveats
//
//   - Get returns a copy: vectors are stored in a layout of their own (see dist.go).
//   - A compaction is a full rebuild; writers wait for it, searches do not.
//   - Hits have positive similarity, as vector.Exact's: a vector sharing nothing with the query is
//     never returned, so a search may return fewer than k hits.
//   - The file format (write.go) stores vectors, links and tombstones; the inverted lists are
//     rebuilt on load. A 74k-abstract graph is a 155 MB file that Read loads in 0.34 s
//     (BenchmarkRead; 0.7-1.0 s on a heavily loaded machine).
//   - Build rate: AddBatch with two workers on two cores builds the 74k arXiv abstracts at 800/s
//     (BenchmarkBuild; 1,100/s for the first 20k), and slower on a busy machine (270-620/s was
//     measured while other jobs shared the cores).
package hnsw

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
// Cost: a search makes about 20*ef distance evaluations of O(nnz) each on the graph route; an
// insert about twice as many at EfConstruction. Memory: on the arXiv sample (230 non-zeros an
// abstract) a node takes about 2.3 KB of vector, 0.3 KB of links and 1.9 KB of inverted lists.
//
// # Sparse queries and the inverted lists
//
// A query of a few words shares no feature with almost every abstract, so to a graph walk nearly
// every node is at distance 1.0: the greedy descent has no gradient to follow and stops where it
// entered (recall@10 of 0.82 at ef=64 on arXiv titles). The graph therefore keeps an inverted list
// per feature (node id and value, tombstones skipped at query time) and answers such queries exactly
// by term-at-a-time accumulation: a query with at most Options.ExactMaxNNZ non-zeros (default 32),
// or whose lists hold at most Options.ExactMaxPostings postings in total, takes that route.
//
// It is also worth it for long queries on corpora of this size, which is why the postings budget
// is large by default. On 20k arXiv abstracts a 230-entry query touches about 107k postings and
// is answered exactly in 0.5 ms, where the graph needs 1.3 ms at ef=128 for recall@10 of 0.97; a
// posting costs about 4.5 ns and a graph distance evaluation about 0.6 us, so the default budget
// is 250 postings per evaluation the graph would make (20*EfSearch), 640k at the default EfSearch
// of 128. The graph takes over for longer lists: larger corpora or queries made of common words.
// SearchWith can force either route, and Stats reports which one answered and its work.
//
// # Deletes and compaction
//
// Delete leaves a tombstone: searches walk through it (it keeps the graph connected) but never
// return it, and an Add of an existing key tombstones the old node and inserts a new one. When
// tombstones exceed Options.MaxTombstoneRatio of all nodes (default 0.2), the write that crossed
// the threshold rebuilds the graph from the live vectors, as Compact does. With a fifth of the nodes
// tombstoned, recall@10 stays within 0.02 of a fresh build of the rest (TestRecallAfterDelete).
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
//     rebuilt on load.
package hnsw

// Package bm25 is Kindred's keyword ranking core: an in-memory inverted index over analyzed paper
// text, and an exact Okapi BM25 top-k search over it with dynamic pruning (MaxScore with block-max
// bounds). Every keyword path of the engine (search, related papers, similar text, eval) scores through
// it, so their scores are comparable.
//
// # Basics
//
//	s := bm25.NewStore(bm25.DefaultParams())
//	s.Add(bm25.Doc{ID: "2106.01234", TitleLen: 6, AbstractLen: 120,
//		Terms: []bm25.TermFreq{{Term: "diffus", Title: 1, Abstract: 4}, ...}})
//	hits, stats := s.Search(bm25.Query{Clauses: []bm25.Clause{{Term: "diffus", Weight: 1}}}, 10)
//
// The package analyzes nothing: callers hand it terms (Kindred uses Bleve's English analyzer, the one
// its full-text index and its vectors use). A document is a virtual text of its title counted
// Params.TitleWeight times (3 by default) plus its abstract, the document BM25 scores:
//
//	score(d) = Σ_clauses weight · idf(df) · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))
//	idf(df)  = ln(1 + (N − df + 0.5)/(df + 0.5))
//	tf       = TitleWeight·tf_title + tf_abstract,   dl = TitleWeight·len_title + len_abstract
//
// with N, df and avgdl exact over the live documents.
//
// # Layout and cost
//
// Documents are numbered in insertion order, so every posting list is appended to in order and stays
// sorted. A posting is 6 bytes (a document number and the title and abstract term frequencies, each
// capped at 255); every 128 postings form a block with its last document number and the highest term
// score any of its postings can reach. A replaced or deleted document leaves a tombstone that searches
// skip; Compact drops them. Search visits a small fraction of the postings of common terms: terms whose
// summed upper bounds cannot lift a document into the current top k are only probed for documents the
// other terms found (MaxScore, Turtle & Flood 1995), and block bounds skip documents whose best case
// is out of reach. Cost is O(postings of the rare terms · log(block)) plus the probes.
//
// # Caveats
//
//   - A Store is not safe for concurrent use on its own except for concurrent reads: the engine guards
//     it with its read-write lock. Reads may run in parallel (their caches are atomic).
//   - Upper bounds are stored for the average document length of the moment they were computed and
//     corrected upwards when it grows, so they are always bounds; they are recomputed when the average
//     drifts by a quarter.
package bm25

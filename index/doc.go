// Package index is Kindred's engine: every paper is indexed twice, in a Bleve full-text index and as a
// hashed bag-of-words vector in a vector index (an HNSW graph, or an exact scan for small corpora),
// and one ranking core answers keyword, vector, hybrid and related-papers queries over both.
//
// # Basics
//
//	ix, err := index.Open(ctx, dir, index.DefaultOptions())
//	if err != nil { ... }
//	defer ix.Close()
//	st, err := ix.Upsert(ctx, papers...)            // durable when it returns
//	res, err := ix.Search(ctx, index.Request{Query: "state space models"})
//	rel, err := ix.Related(ctx, "2111.00396", index.RelatedRequest{Limit: 5})
//
// Searches run concurrently with each other and with one writer at a time. A write prepares its batch
// (analysis, vectors, the graph's linking, the Bleve commit) while searches run and publishes it to
// the keyword and vector indexes under a short exclusive lock, so no search ever sees a paper on one
// side only (publish.go). The work of one search is bounded whatever its query (budget.go), and it
// stops when its context is done.
//
// # The data directory
//
//	DIR/FORMAT        JSON: {"format": 1, "id": "...", "embed": {...}, "crc32": ...}; the format version
//	                  is checked on open and an index of another version is refused (ErrVersion), never
//	                  misread. The identity and the embed options are fixed when the index is created;
//	                  the checksum refuses an edited FORMAT (format.go).
//	DIR/bleve/        the Bleve (scorch) index: the paper records (title and abstract stored with term
//	                  vectors, the rest of the record as stored JSON), plus internal keys: the write
//	                  generation and one change log per generation not yet covered by vectors.bin.
//	DIR/vectors.bin   derived data: idf statistics, the keyword index and the vector index, stamped
//	                  with the generation it reflects and the index's identity; format in derived.go.
//
// Bleve is the source of truth. Each write is one Bleve batch that carries the documents, the new
// generation and that generation's change log, and Bleve persists the batch before Upsert returns.
// vectors.bin is written atomically (temporary file, fsync, rename, fsync of the directory) by Save and
// Close. On open, the change logs newer than vectors.bin are replayed into the vector side, so a crash
// at any moment loses no acknowledged write. Everything in vectors.bin can be rebuilt from the records
// with Options.Rebuild (`kindred index --rebuild`).
//
// Open verifies what it can cheaply (damage.go): FORMAT's checksum, vectors.bin's checksums and
// identity, root.bolt read through, every segment of Bleve's snapshot against its CRC-32. Damage is
// ErrDamaged with the file named; Bleve's files cannot be rebuilt, and the error says to re-index. A
// full disk is ErrNoSpace, not a crash: writes are refused before they reach Bleve when the disk is
// nearly full, and a Bleve batch that fails is followed by a reopen from the files (storage.go).
//
// # Caveats
//
//   - One process at a time: Bleve locks the directory (ErrLocked).
//   - A vector is weighted with the idf statistics of the moment it is inserted. Bulk loaders send a
//     large first batch so the first papers are weighted well (package load does).
//   - Filtered vector search over-fetches neighbours (8x) and filters them; a very selective filter can
//     leave the vector side short, never wrong.
package index

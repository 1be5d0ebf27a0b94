// Package bench measures the engine on one real corpus: how fast it indexes, how much memory and disk
// it takes, how fast it reopens, and how long its queries take, in process and through an HTTP handler
// under concurrent clients. `kindred bench` is its command line.
//
//	opts := bench.DefaultOptions()
//	opts.Corpus = "arxiv.jsonl.gz"
//	opts.Handler = func(ix *index.Index) http.Handler { return api.New(ix, api.Options{}) }
//	rep, err := bench.Run(ctx, opts)
//	fmt.Println(rep.Latency.Hybrid.P50) // milliseconds
//
// # Basics
//
// Run goes through these stages, in order, and reports each in Report:
//
//  1. Sample: read the corpus (its first Options.N papers) once and keep a fixed-seed sample of
//     papers, from which it draws short queries (2-4 consecutive title words, the way people type),
//     full titles, and source papers for related-papers queries. Options.Queries replaces the queries.
//  2. Index: stream the corpus into a fresh data directory as package load does (load.Files when the
//     whole corpus is wanted); time it and read the peak resident set size.
//  3. Reopen: close the index, measure the data directory, and time Open plus the first query.
//  4. In process: after a warm-up, run every query once in each mode, one at a time, and every related
//     query, and report the nearest-rank median and 99th percentile and the rate.
//  5. HTTP: serve Options.Handler on a loopback port and run hybrid /api/search queries from 1, 8 and
//     32 concurrent clients for a bounded time each, counting requests that fail or answer other than
//     200.
//
// Every stage is bounded in count or time, and cancelling ctx stops the run.
//
// # Caveats
//
//   - Reopen runs with the index files in the page cache: it measures a warm restart, not a cold boot.
//   - Peak RSS is the process's high-water mark (VmHWM in /proc/self/status), so it includes whatever
//     the process held before Run; it is 0 where /proc is missing (anything but Linux).
//   - The HTTP clients share the machine with the server; on a small machine the clients' own work
//     lowers the rate at high concurrency.
package bench

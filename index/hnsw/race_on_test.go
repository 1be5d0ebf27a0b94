//go:build race

package hnsw

// raceOn shrinks the corpora of the heavier tests under the race detector, which slows the graph
// tenfold, so that go test -race stays within a minute.
const raceOn = true

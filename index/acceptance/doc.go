// Package acceptance holds the acceptance tests that need the 74,728 arXiv abstracts of the shared
// data directory: the ranking checks of the issues, run on a real index of the whole file. The index
// is built once for the package (a minute or two on two cores). The tests skip where the data is
// absent, except under CI=true, and under the race detector, which makes the build 5-10x slower:
// .ci/test runs this package in a step of its own, without -race.
package acceptance

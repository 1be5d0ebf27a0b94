// Package embed turns text into sparse hashed bag-of-words vectors.
//
// Text goes through Bleve's English analysis (the same analyzer the full-text index uses), then
// unigrams and adjacent-pair bigrams are feature-hashed with a signed hash into a large sparse space,
// weighted by sublinear tf x idf, L2-normalised, and cut to the top-K weights.
// The package does no I/O and knows nothing of storage.
package embed

// Package synth generates synthetic paper abstracts whose vocabulary, lengths, categories, authors and
// dates follow a real corpus, for measuring Kindred at sizes no real file on hand reaches.
//
// # Basics
//
// Learn reads a corpus twice (a Source may be replayed) and returns a Model; Generate writes n papers
// from it, the same papers for the same seed:
//
//	m, err := synth.LearnFile(ctx, "arxiv.jsonl.gz", reader.DefaultOptions(), synth.DefaultOptions())
//	if err != nil { ... }
//	rng := rand.New(rand.NewPCG(seed, 0))
//	err = m.Generate(rng, 1_000_000, func(p paper.Paper) error { return enc.Encode(p) })
//
// `kindred synth --like FILE --n N --seed S -o OUT.jsonl.gz` does exactly this, and `kindred index` reads
// its output.
//
// # The model
//
// The first pass counts words (a Zipf-like vocabulary, capped at Options.MaxVocab), the length of titles,
// abstracts and sentences in words, commas per word, categories (the first one of a paper is its
// primary category), the number of authors and their first and last names, and publication months.
// The second pass, over the words the first one kept, counts for each of the Options.FrequentWords most
// frequent words the words that follow it (a cheap bigram model, so function-word phrasing reads like
// the source) and for each primary category the words it uses far more often than the corpus does.
//
// A generated paper picks a primary category and a handful of key terms from that category's words,
// then draws each abstract word from its key terms (papers repeat their subject), its category's words
// or, most of the time, the corpus at large, following the previous word where the bigram table knows
// it. So papers of one category share a vocabulary and papers with the same key terms are near
// neighbours, as in a real corpus; a corpus without categories (the built-in sample) still works, with
// key terms drawn from the whole vocabulary.
//
// # Caveats
//
//   - The text is word salad: statistics, not language. It measures sizes and speeds, never quality.
//   - Memory is bounded by the options, not by the corpus: word and name counts are pruned to twice
//     their cap as they grow (the counts of rare words are then approximate), and so are the bigram and
//     category tables.
//   - IDs are "syn-0000001", "syn-0000002", ...: generating twice with the same seed gives the same IDs
//     and the same papers, so indexing both is an idempotent rerun.
package synth

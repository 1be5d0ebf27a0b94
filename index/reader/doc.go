// Package reader streams input files into valid paper.Paper values: the one place where input formats
// are parsed and checked, so that the engine only ever sees papers that pass paper.Validate.
//
// # Basics
//
// Read (or ReadFile) calls fn for each good paper, in input order, and reject for each record it skips,
// with the file, line and reason:
//
//	err := reader.ReadFile(ctx, "arxiv.jsonl.gz", reader.DefaultOptions(),
//		func(p paper.Paper) error { return idx.Add(p) },
//		func(r reader.Rejection) { log.Print(r) }) // "arxiv.jsonl.gz:1207: missing abstract"
//
// The format is sniffed from the first bytes (see Detect) unless Options.Format names it, and gzip
// input is decompressed transparently. Memory stays bounded by Options.MaxRecordBytes, whatever the
// size of the file: a longer line is skipped without being read into memory whole.
//
// # Formats
//
// JSON lines (FormatJSONL): one JSON object a line; blank lines are skipped. Each record's shape is told
// by its keys, so one file may mix them:
//
//   - The plain shape, below: what the HTTP API accepts and what paper.Paper marshals to.
//   - arXiv's metadata snapshot (arxiv-metadata-oai-snapshot.json): "id", "title", "abstract",
//     "authors" as one string ("A. Smith, B. Jones and C. Wu") or "authors_parsed" ([[last, first,
//     suffix], ...], preferred), "categories" space-separated, "versions" (Published is the creation
//     date of v1) and "update_date" (the fallback date). Common LaTeX accents in names become Unicode.
//   - arXiv listings as {"id", "title", "abstract", "authors": [...], "categories": [...], "date",
//     "comment"}.
//   - BEIR corpus.jsonl: {"_id", "title", "text", "metadata"}; the text is the abstract.
//
// A record with any arXiv key ("versions", "authors_parsed", "update_date", "comment", "comments",
// "submitter", "journal-ref") and an arXiv id, but no "url", gets URL https://arxiv.org/abs/<id>.
//
// JSON (FormatJSON): one JSON array of the same objects, possibly pretty-printed. Invalid JSON or an
// oversized element stops the read with an error, as an array cannot be resynchronised.
//
// Daily Papers (FormatDaily): the text of a "Daily Papers" listing page, as copied from a browser: after
// a header, each entry is a title line, an abstract paragraph, and optionally a line "• 12 authors", a
// line "·" and a date line: "Jul 23, 2021", "Oct 24" (the year is Options.Year) or "Jun 4 2" and
// "Oct 24, 2024 2", whose trailing number is the upvote count. Blank lines separate the title from the
// abstract; an entry may lack any of the optional lines. Such papers have no id in the source, so their
// ID is derived from the title (paper.DerivedID), and no URL. Rejections point at the entry's title line.
//
// # The plain JSON shape
//
// One object per paper; only "title" and "abstract" are required, and unknown keys are ignored (the
// comments below are not part of the format):
//
//	{
//	  "id": "1706.03762",             // string or integer; default: derived from the title
//	  "title": "Attention Is All You Need",
//	  "abstract": "The dominant sequence transduction models ...",
//	  "authors": ["A. Vaswani", "N. Shazeer"],  // or one string: "A. Vaswani, N. Shazeer and N. Parmar"
//	  "author_count": 8,              // when there are more authors than names listed
//	  "published": "2017-06-12",      // or "date"; "YYYY", "YYYY-MM" or "YYYY-MM-DD" (or RFC 3339)
//	  "categories": ["cs.CL", "cs.LG"], // or one space-separated string: "cs.CL cs.LG"
//	  "url": "https://arxiv.org/abs/1706.03762",
//	  "upvotes": 12
//	}
//
// Text fields have their white space folded and invalid UTF-8 repaired (paper.Normalize); LaTeX in titles
// and abstracts is kept as written.
//
// # Rejections
//
// A record is rejected, and reading goes on, when its line is longer than Options.MaxRecordBytes, it is
// not valid JSON (the reason gives the column), not an object, has a field of the wrong JSON type, a bad
// date, or fails paper.Validate (no title, no abstract, too large). With Options.Strict the first
// rejection instead stops the read with an error wrapping ErrRejected.
package reader

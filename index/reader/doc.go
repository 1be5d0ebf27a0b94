// Package reader streams input files into valid paper.Paper values: the one place where input formats
// are parsed and checked, so that the engine only ever sees papers that pass paper.Validate. It reads
// JSON lines and arrays (Kindred's own shape, arXiv, BEIR, CSL-JSON, OpenAlex, Semantic Scholar),
// BibTeX, RIS, PubMed XML and Daily Papers pages.
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
//     date of v1), "update_date" (the fallback date), "doi" and "journal-ref" (the venue). Common
//     LaTeX accents in names become Unicode.
//   - arXiv listings as {"id", "title", "abstract", "authors": [...], "categories": [...], "date",
//     "comment"}. A comment saying where the paper was accepted ("Accepted at CVPR 2025") gives the
//     venue ("CVPR 2025"); the rule is conservative and ignores anything less clear.
//   - BEIR corpus.jsonl: {"_id", "title", "text", "metadata"}; the text is the abstract.
//   - CSL-JSON items, as Zotero exports them (told by "issued", "container-title", "DOI",
//     "citation-key", "author" as a list of objects, or a CSL-only "type"); see FormatCSL.
//   - OpenAlex works (told by "authorships", "abstract_inverted_index", "primary_location",
//     "publication_year" or an openalex.org id); see FormatOpenAlex.
//   - Semantic Scholar papers (told by "paperId", "externalIds" or "corpusId"); see FormatS2.
//
// A record with any arXiv key ("versions", "authors_parsed", "update_date", "comment", "comments",
// "submitter", "journal-ref") and an arXiv id, but no "url", gets URL https://arxiv.org/abs/<id>.
//
// JSON (FormatJSON): one JSON array of the same objects, possibly pretty-printed. Invalid JSON or an
// oversized element stops the read with an error, as an array cannot be resynchronised.
//
// CSL-JSON (FormatCSL): "id", "title" (Zotero's rich-text tags such as <i> removed), "abstract",
// "author" [{"family", "given"} or {"literal"}], "issued" ({"date-parts": [[2020, 5, 17]]}, or "raw"
// or "literal", of which a full date or the first year is kept), "DOI", "URL", "container-title" (the
// venue), and arXiv identifiers in "number", "note", "URL" or an arXiv DOI. A JSON array or one item a
// line.
//
// BibTeX and BibLaTeX (FormatBibTeX): entries "@type{key, field = value, ...}" (or in parentheses)
// with braced, quoted, numeric and @string macro values joined by '#' (the month macros jan..dec
// are predefined); @comment, @preamble, lines starting with '%' and text between entries are skipped.
// title, abstract, author ("Last, First and First Last and {Org Name} and others"), date (BibLaTeX)
// or year, month and day, doi, url, journaltitle, journal or booktitle (the venue; "arXiv preprint"
// and "CoRR" are not venues), and arXiv identifiers from eprint with archivePrefix or eprinttype
// arXiv, from "arXiv:..." in journal or note, an arxiv.org url or an arXiv DOI (primaryClass then
// gives the category). TeX is written as Unicode: accents ({\"u}, \'e, {\c c}), letters (\ss, \o),
// ligatures (--, ---, curly quotes), escapes (\&, \%, \_), font commands and the braces that protect
// case are removed; math ($...$) and unknown commands are kept as written. An entry whose braces do
// not balance is rejected at the next line starting with "@type{", so a stray brace loses one entry.
//
// RIS (FormatRIS): records from "TY  - " to "ER  - ", one "TAG  - value" a line, a line without a tag
// continuing the value before it. TI or T1 (title), AU or A1 (authors, "Last, First"), DA, PY or Y1
// ("2020/05/17/"), AB or N2 (abstract), DO, UR, JF, T2, JO, JA, J2 or BT (the venue), ID (the
// record's own id), and arXiv identifiers in AN ("arXiv:2504.16081"), UR or DO. A record without its
// ER line, and tag lines outside a record, are rejected.
//
// OpenAlex (FormatOpenAlex): work objects, one a line as in the snapshot's .gz parts, a JSON array,
// or API pages ({"meta": {...}, "results": [...]}, one after another): "id" ("https://openalex.org/W2741809807"), "doi", "title" or "display_name",
// "publication_date" or "publication_year", "authorships"[].author.display_name, and
// "abstract_inverted_index" ({"word": [positions]}) rebuilt into text in word order;
// primary_location.source.display_name is the venue unless the source is a repository such as
// arXiv, and an arxiv.org link among the locations gives the arXiv identifier.
//
// PubMed/MEDLINE XML (FormatPubMed): the baseline and update files' PubmedArticleSet (or efetch
// output), read token by token so no file sits in memory whole. PMID, ArticleTitle, the
// AbstractText sections joined with their labels ("BACKGROUND: ... METHODS: ..."), the AuthorList
// (ForeName and LastName, or CollectiveName), Journal/Title as the venue, the PubDate (Year, Month,
// Day, or a MedlineDate such as "1998 Dec-1999 Jan", whose start is kept; the electronic ArticleDate
// when there is none) and the DOI from the ArticleIdList or ELocationID. Inline markup (<i>, <sup>)
// is kept as text. PubmedBookArticle is rejected; DeleteCitation is skipped. Malformed XML stops
// the read with an error naming the line.
//
// Semantic Scholar (FormatS2): Graph API paper objects or records of the "papers" dataset, one a line,
// a JSON array, or API pages ({"total": ..., "offset": ..., "data": [...]}, one after another):
// "paperId" (or "corpusId"), "title", "abstract", "authors"[].name, "publicationDate" or "year",
// "externalIds" {"DOI", "ArXiv"}, "venue" (or "publicationVenue" or "journal" {"name"}), "url".
//
// Daily Papers (FormatDaily): the text of a "Daily Papers" listing page, as copied from a browser: after
// a header, each entry is a title line, an abstract paragraph, and optionally a line "• 12 authors", a
// line "·" and a date line: "Jul 23, 2021", "Oct 24" (the year is Options.Year) or "Jun 4 2" and
// "Oct 24, 2024 2", whose trailing number is the upvote count. Blank lines separate the title from the
// abstract; an entry may lack any of the optional lines. Such papers have no id in the source, so their
// ID is derived from the title (paper.DerivedID), and no URL. Rejections point at the entry's title line.
//
// Every paper records the reader it came from in Paper.Source: "arxiv", "beir", "jsonl" (the plain
// shape), "csl-json", "bibtex", "ris", "openalex", "pubmed", "s2" or "daily".
//
// # IDs
//
// The readers of bibliographic formats (CSL-JSON, BibTeX, RIS, OpenAlex, PubMed, Semantic Scholar)
// give a paper its ID by one rule, so that the same paper read from two sources replaces rather than
// duplicates itself: its arXiv identifier without version ("2504.16081") when one is known, else its
// DOI, normalised ("10.1038/s41586-019-1500-0"), else the source's own identifier (the BibTeX key or
// the first of BibLaTeX's "ids", the CSL or RIS id, "pmid:31452104", the OpenAlex "W2741809807", the
// Semantic Scholar paperId or "CorpusId:215416146"), else the ID derived from the title. arXiv records
// have their arXiv identifier as ID already. A plain record's "id" is kept as given (it is Kindred's
// own); without one, "arxiv_id", then "doi", then the title give it. BEIR's "_id" is always kept, as
// relevance judgements refer to it. In the bibliographic formats, a DOI or arXiv identifier field
// that holds something else (a reference manager's field holds whatever its user typed) is dropped,
// not a reason to reject the paper; in the plain shape, written for Kindred, it is rejected as
// "invalid doi" or "invalid arxiv_id".
//
// # Derived titles
//
// Some BEIR corpora (FiQA, ArguAna) have records with an empty title. Those get a display title made
// from the start of the text: its first sentence when that is at most 12 words, else its first 12
// words (at most 120 characters) followed by "…", with Paper.TitleDerived set. Every other shape and
// format requires a title.
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
//	  "url": "https://arxiv.org/abs/1706.03762", // http or https only
//	  "upvotes": 12,
//	  "doi": "10.48550/arXiv.1706.03762", // normalised: "10.48550/arxiv.1706.03762"
//	  "arxiv_id": "1706.03762",
//	  "venue": "NeurIPS 2017",
//	  "source": "jsonl",              // default "jsonl"; kept when given, as in a paper's own JSON
//	  "title_derived": false
//	}
//
// Text fields have their white space folded and invalid UTF-8 repaired (paper.Normalize); LaTeX in titles
// and abstracts is kept as written.
//
// # Rejections
//
// A record is rejected, and reading goes on, when its line (or entry, or article) is longer than
// Options.MaxRecordBytes, it is not valid JSON (the reason gives the column), not an object, has a
// field of the wrong JSON type, is not valid BibTeX or RIS, has a bad date, a URL that is not http or
// https (paper.CheckURL), or fails paper.Validate (no title, no abstract, too large, an ID with
// control characters, a count out of range). Rejections name the line where the record starts. With
// Options.Strict the first rejection instead stops the read with an error wrapping ErrRejected.
package reader

// Package cite writes papers as citations for reference managers: BibTeX (for LaTeX, BibLaTeX and
// Zotero), RIS (for EndNote, Mendeley and Zotero) and CSL-JSON (for Zotero, Pandoc and citeproc). It
// is pure: papers in, bytes out, no I/O and no dependency on the engine.
//
//	ps := []paper.Paper{p1, p2}
//	os.WriteFile("refs.bib", cite.BibTeX(ps...), 0o644)
//	os.WriteFile("refs.ris", cite.RIS(ps...), 0o644)
//	os.WriteFile("refs.json", cite.CSLJSON(ps...), 0o644)
//
// Format names the three for the API's and the CLI's format parameter ("bibtex", "ris", "csl") and
// gives each one's writer, media type and file name extension:
//
//	f, ok := cite.ParseFormat("ris")
//	w.Header().Set("Content-Type", f.MediaType()) // application/x-research-info-systems
//	w.Write(f.Write(ps...))
//
// # Keys
//
// Every paper gets a citation key (Keys): the first author's last name, the year and the first word of
// the title that is not a stop word, ASCII-folded and lower-cased ("vaswani2017attention");
// "anon" stands for a paper without authors, and the year is left out when unknown. Papers of one
// export whose keys collide get the suffixes a, b, c, ... in their order ("smith2020deepa",
// "smith2020deepb"). Keys depend only on the papers and their order, so the same export gives the
// same keys.
//
// # Round trip
//
// What this package writes, package reader reads back to the same paper: ID, title, abstract,
// authors, date, DOI and venue (and the arXiv identifier and URL). The ID survives because the readers
// follow one rule (the arXiv identifier, else the DOI, else the file's own ID), and the exports carry
// each: the arXiv identifier (BibTeX eprint, RIS AN, CSL number), the DOI, and otherwise the paper's
// ID itself (BibLaTeX "ids", RIS ID, CSL id). So a paper whose ID is not its arXiv identifier or DOI
// although it has one (a plain JSON record with an id of its own) comes back under that identifier.
//
// # Caveats
//
//   - BibTeX text is escaped so that BibTeX, BibLaTeX and Zotero read it back as written: \ { } % & $
//     # _ ~ ^ become \textbackslash{}, \textbraceleft{}, \textbraceright{}, \%, \&, \$, \#, \_,
//     \textasciitilde{} and \textasciicircum{} (the braces as text commands, so that every tool's
//     brace counting balances), and TeX ligatures are broken ("--" is written -{}-). Non-ASCII
//     characters are kept as UTF-8, which BibLaTeX (with biber) and Zotero read; LaTeX math in
//     an abstract is therefore printed as written, not typeset. Titles are wrapped in braces to keep
//     their capitals.
//   - Authors are split at their last word ("Ada Lovelace" is Lovelace, Ada), with lower-case
//     particles ("van") and suffixes ("Jr.") kept with the last name; a name with a comma, or one
//     word, is written whole.
//   - RIS can write a name only as "Last, First", so a name that itself holds a comma comes back
//     reordered; CSL-JSON titles that hold Zotero's rich-text tags (<i>, <sup>, ...) come back without
//     them, as Zotero would print them.
//   - The venue is written as a journal (BibTeX @article, RIS JOUR, CSL article-journal); a paper
//     without one is @misc, GEN and article.
package cite

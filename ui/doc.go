// Package ui serves Kindred's web pages: server-rendered HTML over the engine, with its CSS, a little
// JavaScript and the favicon embedded in the binary, so the UI works offline and loads nothing from any
// other host.
//
//	ix, err := index.Open(ctx, dir, index.DefaultOptions())
//	...
//	h, err := ui.New(ix, ui.DefaultOptions())
//	...
//	http.ListenAndServe("localhost:8080", h)
//
// # Pages
//
//	/                      the search box, examples, and what the index holds (index.Overview)
//	/search?q=&mode=&from=&to=&category=&sort=&page=
//	                       results, 10 a page, with facet counts, sorting and date shortcuts beside
//	                       them; the URL holds the whole state
//	/paper/{id}            one paper (IDs may contain '/': /paper/cs/0112017): its venue, DOI and
//	                       citations, a map of related papers and the related list;
//	                       /paper?id= for the rare ID the router would clean ("a/../b")
//	/author?name=&page=    an author's papers, newest first, their terms and co-authors
//	/similar?text=         papers related to a pasted abstract (GET, so results can be shared)
//	/list?ids=A,B          a reading list, as app.js opens it from localStorage
//	/list/export?ids=&format=
//	                       the list as a BibTeX, RIS or CSL-JSON file
//	/recommend?positive=A,B
//	                       papers like the list's (index.Recommend)
//	/cite?id=&format=      one paper as a citation file
//	/static/...            embedded assets, cached for a year when asked for by their versioned URL
//
// Every page works without JavaScript; app.js adds the "/" shortcut to focus the search box, re-runs
// the search when the ranking mode changes, leaves empty filters out of the URL, keeps the reading
// list (the Save buttons, hidden without it) and copies citations to the clipboard.
//
// # Safety
//
// Paper text is untrusted. html/template escapes everything; highlights come from the engine as
// byte spans (index.Highlights.Spans), and marked escapes the text itself and adds the <mark> tags,
// so no HTML from the engine or from a paper is ever passed through. Every response carries a Content-Security-Policy that allows scripts, styles and
// images from this origin only and no inline script, plus nosniff, no-referrer and frame denial.
//
// # Caveats
//
// The bar beside each result splits its final score between the keyword and the vector side by what
// each side contributed to the fusion (index.Component.Contribution). A side that ranked a paper last
// in its window contributes nothing under min-max normalisation, even though it found the paper.
package ui

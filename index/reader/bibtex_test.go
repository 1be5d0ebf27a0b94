package reader

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

func TestTeXText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain", "Attention Is All You Need", "Attention Is All You Need"},
		{"braced umlaut", `{\"u}ber`, "über"},
		{"umlaut", `\"uber`, "über"},
		{"umlaut with braced letter", `\"{u}ber`, "über"},
		{"acute", `Ren\'e`, "René"},
		{"cedilla in braces", `Fran{\c c}ois`, "François"},
		{"cedilla with argument", `Fran\c{c}ois`, "François"},
		{"eszett, space eaten", `Stra\ss e`, "Straße"},
		{"eszett with empty group", `Stra\ss{}e`, "Straße"},
		{"eszett in braces", `Stra{\ss}e`, "Straße"},
		{"dotless i with accent", `Mart\'{\i}nez`, "Martínez"},
		{"caron, double acute, tilde, breve", `\v{s}\H{o}\~n\u{g}`, "šőñğ"},
		{"letters", `\o \O \ae \AE \oe \l \aa`, "øØæÆœłå"},
		{"accent without a precomposed form", `\'Q`, "Q"},
		{"en dash", "pages 1--20", "pages 1–20"},
		{"em dash", "a---b", "a—b"},
		{"quotes", "``quoted''", "“quoted”"},
		{"single quotes kept", "the `x' and 'y'", "the `x' and 'y'"},
		{"inverted marks", "!`Hola! ?`Qu\\'e?", "¡Hola! ¿Qué?"},
		{"tie and thin space", `Table~2 and 10\,000`, "Table 2 and 10 000"},
		{"escapes", `50\% \& \$5 \# \_ \{ \}`, "50% & $5 # _ { }"},
		{"text symbols", `\textbackslash{}alpha \textbraceleft{}x\textbraceright{} \textasciitilde{} \textasciicircum{}`, `\alpha {x} ~ ^`},
		{"named dashes and dots", `\textendash{} \textemdash\ \ldots`, "– — …"},
		{"case protection removed", `{BERT} for {S}parse {R}etrieval`, "BERT for Sparse Retrieval"},
		{"math kept", `$O(n \log n)$ cost`, `$O(n \log n)$ cost`},
		{"braced math kept", `{$K_{3,3}$} minors`, "$K_{3,3}$ minors"},
		{"display math kept", `$$a_{1}$$`, `$$a_{1}$$`},
		{"inline math kept", `\(x^{2}\) is`, `\(x^{2}\) is`},
		{"unmatched dollar", `costs $5`, "costs $5"},
		{"font commands dropped", `\emph{Table~2}, {\em minors}, \textbf{bold} and \textsc{Caps}`, "Table 2, minors, bold and Caps"},
		{"href keeps its text", `see \href{https://x.org}{the site}`, "see the site"},
		{"url keeps its address", `\url{https://x.org/a_b}`, "https://x.org/a_b"},
		{"unknown command kept with its argument", `see \cite{smith2020} and \foo`, `see \cite{smith2020} and \foo`},
		{"TeX logos", `\LaTeX{} and \TeX`, "LaTeX and TeX"},
		{"hyphens split by a group stay two", "pre-{}-training", "pre--training"},
		{"quote marks split by a group stay two", "`{}` and '{}'", "`` and ''"},
		{"line breaks and spaces folded", "a\n    b\\\\c", "a b c"},
		{"dangling backslash", `a\`, `a\`},
		{"non-ASCII kept", "Zürich 量子", "Zürich 量子"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := texText(tc.in); got != tc.want {
				t.Errorf("texText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestBibNames(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"last, first", "Vaswani, Ashish and Shazeer, Noam", []string{"Ashish Vaswani", "Noam Shazeer"}},
		{"first last", "Ada Lovelace and Charles Babbage", []string{"Ada Lovelace", "Charles Babbage"}},
		{"others dropped", "Vaswani, Ashish and others", []string{"Ashish Vaswani"}},
		{"braced institution", "{World Health Organization} and Doe, J.", []string{"World Health Organization", "J. Doe"}},
		{"braced and is no separator", "{Procter and Gamble}", []string{"Procter and Gamble"}},
		{"braced others is a name", "{others}", []string{"others"}},
		{"jr", "Smith, Jr., John", []string{"John Smith Jr."}},
		{"von", "van Beethoven, Ludwig", []string{"Ludwig van Beethoven"}},
		{"accents", `{\"O}zt{\"u}rk, G{\"u}l and Fran\c{c}ois, Ren\'e`, []string{"Gül Öztürk", "René François"}},
		{"upper-case AND", "A. One AND B. Two", []string{"A. One", "B. Two"}},
		{"line breaks", "Ada Lovelace and\n      Charles Babbage", []string{"Ada Lovelace", "Charles Babbage"}},
		{"and inside a word", "Sandy Anderson and Brandon Candy", []string{"Sandy Anderson", "Brandon Candy"}},
		{"empty", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, bibNames(tc.in)); diff != "" {
				t.Errorf("bibNames(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

// bib is one paper as the BibTeX reader gives it, with the fields every test shares filled in.
func bib(p paper.Paper) paper.Paper {
	p.Source = "bibtex"
	if p.Title == "" {
		p.Title = "T"
	}
	if p.Abstract == "" {
		p.Abstract = "A."
	}
	p.AuthorCount = len(p.Authors)
	return p
}

func TestReadBibTeX(t *testing.T) {
	const good = "@article{good, title = {T}, abstract = {A.}}"
	for _, tc := range []struct {
		name, input string
		want        result // File "in.bib" is filled in
	}{
		{"fields", `@article{vaswani2017attention,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam},
  journal = {Advances in Neural Information Processing Systems},
  year = {2017}, month = dec,
  abstract = {The dominant sequence
    transduction models.},
  url = {https://papers.nips.cc/paper/7181},
  keywords = {ignored},
}`, result{Papers: []paper.Paper{bib(paper.Paper{
			ID: "vaswani2017attention", Title: "Attention Is All You Need", Abstract: "The dominant sequence transduction models.",
			Authors: []string{"Ashish Vaswani", "Noam Shazeer"}, Published: paper.Date{Year: 2017, Month: 12},
			Venue: "Advances in Neural Information Processing Systems", URL: "https://papers.nips.cc/paper/7181",
		})}}},
		{"field names and types in any case", `@ARTICLE{k, TITLE = {T}, Abstract = {A.}, Year = 2020}`,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "k", Published: paper.Date{Year: 2020}})}}},
		{"missing abstract rejected at the entry's line", "% a comment\n\n" + `@book{knuth1984,
  title = {The {\TeX}book},
  year = 1984
}` + "\n" + good,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "good"})}, Rejections: []Rejection{{Line: 3, Reason: "missing abstract"}}}},
		{"missing title", "@misc{k, abstract = {A.}}",
			result{Rejections: []Rejection{{Line: 1, Reason: "missing title"}}}},
		{"string macros and concatenation", `@string{acl = "Proceedings of ACL"}
@STRING(yr = {2024})
@inproceedings{k, title = "T", abstract = "A.", booktitle = acl # " " # yr, year = yr}`,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "k", Venue: "Proceedings of ACL 2024", Published: paper.Date{Year: 2024}})}}},
		{"month as name, number and macro", `@a{k1, title={T}, abstract={A.}, year={2020}, month={March}}
@a{k2, title={T}, abstract={A.}, year={2020}, month={3}}
@a{k3, title={T}, abstract={A.}, year={2020}, month=mar}`,
			result{Papers: []paper.Paper{
				bib(paper.Paper{ID: "k1", Published: paper.Date{Year: 2020, Month: 3}}),
				bib(paper.Paper{ID: "k2", Published: paper.Date{Year: 2020, Month: 3}}),
				bib(paper.Paper{ID: "k3", Published: paper.Date{Year: 2020, Month: 3}}),
			}}},
		{"biblatex date, range, and a year that is not one", `@a{k1, title={T}, abstract={A.}, date={2024-08-11}}
@a{k2, title={T}, abstract={A.}, date={2020-05/2020-06}, year={1999}}
@a{k3, title={T}, abstract={A.}, year={forthcoming}}
@a{k4, title={T}, abstract={A.}, year={2021}, month={Foo}}`,
			result{Papers: []paper.Paper{
				bib(paper.Paper{ID: "k1", Published: paper.Date{Year: 2024, Month: 8, Day: 11}}),
				bib(paper.Paper{ID: "k2", Published: paper.Date{Year: 2020, Month: 5}}),
				bib(paper.Paper{ID: "k3"}),
				bib(paper.Paper{ID: "k4", Published: paper.Date{Year: 2021}}),
			}}},
		{"impossible day", `@a{k, title={T}, abstract={A.}, year={2021}, month=feb, day={30}}`,
			result{Rejections: []Rejection{{Line: 1, Reason: `bad date: date "2021-02-30": day 30 out of range for 2021-02`}}}},
		{"arXiv eprint gives the ID", `@misc{key, title={T}, abstract={A.}, eprint={2504.16081v2}, archivePrefix={arXiv}, primaryClass={cs.IR}, doi={10.1000/x}}`,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "2504.16081", ArxivID: "2504.16081", DOI: "10.1000/x", Categories: []string{"cs.IR"}})}}},
		{"arXiv from eprinttype, journal, url, DOI and note", `@a{k1, title={T}, abstract={A.}, eprinttype={arxiv}, eprint={hep-th/9901001}}
@a{k2, title={T}, abstract={A.}, journal={arXiv preprint arXiv:2504.16081}}
@a{k3, title={T}, abstract={A.}, url={https://arxiv.org/abs/2504.16082v1}}
@a{k4, title={T}, abstract={A.}, doi={10.48550/arXiv.2504.16083}}
@a{k5, title={T}, abstract={A.}, note={arXiv: 2504.16084}}`,
			result{Papers: []paper.Paper{
				bib(paper.Paper{ID: "hep-th/9901001", ArxivID: "hep-th/9901001"}),
				bib(paper.Paper{ID: "2504.16081", ArxivID: "2504.16081"}),
				bib(paper.Paper{ID: "2504.16082", ArxivID: "2504.16082", URL: "https://arxiv.org/abs/2504.16082v1"}),
				bib(paper.Paper{ID: "2504.16083", ArxivID: "2504.16083", DOI: "10.48550/arxiv.2504.16083"}),
				bib(paper.Paper{ID: "2504.16084", ArxivID: "2504.16084"}),
			}}},
		{"an eprint of another archive is not arXiv", `@a{k, title={T}, abstract={A.}, eprinttype={pubmed}, eprint={2504.16081}}`,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "k"})}}},
		{"DOI gives the ID; a DOI link and escapes are undone", `@a{k, title={T}, abstract={A.}, doi={https://doi.org/10.1000/A\_B}}`,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "10.1000/a_b", DOI: "10.1000/a_b"})}}},
		{"a DOI field that is no DOI is dropped", `@a{k, title={T}, abstract={A.}, doi={n/a}}`,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "k"})}}},
		{"ids give the own ID", `@a{smith2020, ids = {pmid:123, old2020}, title={T}, abstract={A.}}`,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "pmid:123"})}}},
		{"arXiv-only journals are no venue", `@a{k1, title={T}, abstract={A.}, journal={CoRR}}
@a{k2, title={T}, abstract={A.}, journaltitle={Nature}, journal={Ignored}}`,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "k1"}), bib(paper.Paper{ID: "k2", Venue: "Nature"})}}},
		{"quoted values with braces and quotes inside", `@a{k, title = "A {"}quoted{"} {Word}", abstract = "B \"{u}ber all."}`,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "k", Title: `A "quoted" Word`, Abstract: "B über all."})}}},
		{"escaped braces inside a value", `@a{k, title = {a \{ b}, abstract = {A.}}`,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "k", Title: "a { b"})}}},
		{"parenthesised entry with a parenthesis in a quoted value", `@article(k, title = "x ) y", abstract = {(A.)})`,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "k", Title: "x ) y", Abstract: "(A.)"})}}},
		{"repeated field: the first is kept", `@a{k, title={First}, title={Second}, abstract={A.}}`,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "k", Title: "First"})}}},
		{"comments, preamble and text between entries skipped", `This file was written by hand. Email: me@example.org
% @article{commented, title = {No}, abstract = {No}}
@comment{jabref-meta: databaseType:biblatex;}
@preamble{"\newcommand{\noopsort}[1]{}"}
` + good,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "good"})}}},
		{"a field commented out inside an entry", "@a{k,\n  title = {T},\n  % note = {an old note},\n  abstract = {A.}}",
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "k"})}}},
		{"two entries on one line", `@a{k1, title={T}, abstract={A.}} @a{k2, title={T}, abstract={A.}}`,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "k1"}), bib(paper.Paper{ID: "k2"})}}},
		{"CRLF", "@a{k,\r\n title={T},\r\n abstract={A.}\r\n}\r\n",
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "k"})}}},
		{"bad url rejected", `@a{k, title={T}, abstract={A.}, url={javascript:alert(1)}}`,
			result{Rejections: []Rejection{{Line: 1, Reason: "url must be http or https, not javascript"}}}},

		{"unclosed entry before the next one", "@a{k1, title={T, abstract={A.}}\n\n" + good,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "good"})}, Rejections: []Rejection{{Line: 1, Reason: "unbalanced braces: BibTeX entry @a{k1 is not closed before the next entry at line 3"}}}},
		{"unclosed entry at the end", good + "\n@a{k2, title={T},\n abstract={A.}",
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "good"})}, Rejections: []Rejection{{Line: 2, Reason: "unbalanced braces: BibTeX entry @a{k2 is not closed"}}}},
		{"missing equals sign", "@a{k, title {T}, abstract={A.}}\n" + good,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "good"})}, Rejections: []Rejection{{Line: 1, Reason: `invalid BibTeX entry: @a{k: field "title": want '=', found '{'`}}}},
		{"missing comma", "@a{k, title = {T} abstract = {A.}}",
			result{Rejections: []Rejection{{Line: 1, Reason: `invalid BibTeX entry: @a{k: after field "title" want ',' or the end of the entry, found 'a'`}}}},
		{"no key", "@a{title = {T}, abstract = {A.}}",
			result{Rejections: []Rejection{{Line: 1, Reason: "invalid BibTeX entry: @a has no key (want @a{key, field = {value}, ...})"}}}},
		{"undefined macro", "@a{k, title = T, abstract = {A.}}",
			result{Rejections: []Rejection{{Line: 1, Reason: `invalid BibTeX entry: undefined macro "t" (quote or brace the value: {t}) (field "title" of @a{k)`}}}},
		{"unterminated quote", `@a{k, title = "T, abstract = {A.}}`,
			result{Rejections: []Rejection{{Line: 1, Reason: `invalid BibTeX entry: unterminated quoted value (field "title" of @a{k)`}}}},
		{"missing value", "@a{k, title = }",
			result{Rejections: []Rejection{{Line: 1, Reason: `invalid BibTeX entry: want a value ({...}, "...", a number or a macro), found '}' (field "title" of @a{k)`}}}},
		{"bad @string", "@string{x}\n" + good,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "good"})}, Rejections: []Rejection{{Line: 1, Reason: "invalid BibTeX entry: @string: want name = value, found '}'"}}}},
		{"an at sign that starts no entry", "me@example.org {x}\n@ twitter\n" + good,
			result{Papers: []paper.Paper{bib(paper.Paper{ID: "good"})}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mustRead(t, tc.input, "in.bib", Options{Format: FormatBibTeX})
			want := tc.want
			for i := range want.Rejections {
				want.Rejections[i].File = "in.bib"
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadBibTeXLimits(t *testing.T) {
	const max = 200
	good := "@a{good, title = {T}, abstract = {A.}}"
	long := "@a{long, title = {T},\n abstract = {" + strings.Repeat("word ", 60) + "}}"
	longLine := "@a{longline, title = {T},\n abstract = {" + strings.Repeat("x", 300) + "}}"
	for _, tc := range []struct {
		name, input string
		want        result
	}{
		{"entry over the limit", long + "\n" + good, result{
			Papers:     []paper.Paper{bib(paper.Paper{ID: "good"})},
			Rejections: []Rejection{{File: "in.bib", Line: 1, Reason: "record is longer than 200 bytes"}},
		}},
		{"line over the limit inside an entry", longLine + "\n" + good, result{
			Papers:     []paper.Paper{bib(paper.Paper{ID: "good"})},
			Rejections: []Rejection{{File: "in.bib", Line: 1, Reason: "record is longer than 200 bytes"}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mustRead(t, tc.input, "in.bib", Options{Format: FormatBibTeX, MaxRecordBytes: max})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}
}

package index

import (
	"regexp"
	"strings"
)

// What an abstract says that is not its subject. Related papers select their terms from a cleaned
// copy of the source text, and explain themselves with the same terms, so that two papers are never
// related because both cite "Tian et al." or link to GitHub:
//
//   - citation apparatus and the Latin abbreviations of academic prose (et al., e.g., i.e., cf., vs.,
//     viz., etc., resp., approx.): a closed class of forms that carry no topic;
//   - URLs and e-mail addresses (their pieces, "github", "https", "com", are the most common
//     "shared terms" between unrelated abstracts);
//   - LaTeX markup: commands (\mathbf, \emph), math between dollar signs, braces.
//
// Words common to the whole genre ("paper", "propose", "results") are left to the corpus statistics
// instead: see maxTermShare.
var (
	urlRE      = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+|\b[\w-]+\.(?:com|org|io|net|ai)(?:/\S*)?`)
	latexRE    = regexp.MustCompile(`\$[^$]{0,200}\$|\\[a-zA-Z]+\*?|[{}]`)
	citationRE = regexp.MustCompile(`(?i)\b(?:et\s+al|e\.\s?g|i\.\s?e|cf|vs|viz|etc|resp|approx|ibid)\b\.?`)
)

// cleanForTerms removes citation apparatus, URLs and LaTeX markup from text.
func cleanForTerms(text string) string {
	text = urlRE.ReplaceAllString(text, " ")
	text = latexRE.ReplaceAllString(text, " ")
	text = citationRE.ReplaceAllString(text, " ")
	return strings.Join(strings.Fields(text), " ")
}

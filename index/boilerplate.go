package index

import (
	"regexp"
	"strings"
)

// What an abstract says that is not its subject. Related papers select their terms from a cleaned
// copy of the source text, and explain themselves with the same terms, so that two papers are never
// related because both cite "Tian et al." or link to GitHub:
//
//   - citations, with the names and years they cite ("(Lei et al., 2024a; Cao et al., 2023)",
//     "Tian et al. (2024)", "[12]"), and the Latin abbreviations of academic prose (et al., e.g., i.e.,
//     cf., vs., viz., etc., resp., approx.): a closed class of forms that carry no topic;
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
	// A parenthetical that cites: "(Lei et al., 2024a;b; Cao et al., 2023)", "(Sutton and Barto, 2018)".
	parenCiteRE = regexp.MustCompile(`\([^()]{0,300}?(?:\bet\s+al\b|\b(?:19|20)\d\d[a-z]?\b)[^()]{0,300}?\)`)
	// A citation in the running text: "Tian et al. (2024)", "Smith and Jones [12]", "Lei et al., 2024a".
	nameCiteRE = regexp.MustCompile(`\b\p{Lu}[\p{L}'-]+(?:\s+(?:and|&)\s+\p{Lu}[\p{L}'-]+)?\s+et\s+al\b\.?(?:,?\s*(?:\((?:19|20)\d\d[a-z]?\)|(?:19|20)\d\d[a-z]?))?|\[\d+(?:[,–-]\s*\d+)*\]`)
)

// cleanForTerms removes citation apparatus, URLs and LaTeX markup from text.
func cleanForTerms(text string) string {
	// Each expression only runs on texts that have what it looks for (most abstracts have none).
	if strings.Contains(text, "://") || strings.Contains(text, "www.") || strings.Contains(text, "@") || strings.Contains(text, ".com") ||
		strings.Contains(text, ".org") || strings.Contains(text, ".io") || strings.Contains(text, ".net") || strings.Contains(text, ".ai") {
		text = urlRE.ReplaceAllString(text, " ")
	}
	if strings.Contains(text, "(") {
		text = parenCiteRE.ReplaceAllString(text, " ")
	}
	if strings.Contains(text, "et al") || strings.Contains(text, "[") {
		text = nameCiteRE.ReplaceAllString(text, " ")
	}
	if strings.ContainsAny(text, "$\\{}") {
		text = latexRE.ReplaceAllString(text, " ")
	}
	text = citationRE.ReplaceAllString(text, " ")
	return strings.Join(strings.Fields(text), " ")
}

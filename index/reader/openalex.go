package reader

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// oaLocation is an OpenAlex location: where a work is hosted, and the source (journal, repository)
// it belongs to.
type oaLocation struct {
	LandingPageURL string `json:"landing_page_url"`
	PDFURL         string `json:"pdf_url"`
	Source         *struct {
		DisplayName string `json:"display_name"`
		Type        string `json:"type"` // "journal", "conference", "repository", ...
	} `json:"source"`
}

type oaAuthorship struct {
	Author struct {
		DisplayName string `json:"display_name"`
	} `json:"author"`
	RawAuthorName string `json:"raw_author_name"`
}

// maxInvertedWords bounds the words of an abstract_inverted_index: an abstract has fewer than
// paper.MaxAbstractLen bytes, so fewer words.
const maxInvertedWords = paper.MaxAbstractLen / 2

// openAlex maps an OpenAlex work (a line of the snapshot, or an element of the API's "results"): "id"
// ("https://openalex.org/W2741809807"), "doi", "title" or "display_name", "publication_date" or
// "publication_year", "authorships"[].author.display_name, "abstract_inverted_index" rebuilt into
// text, primary_location.source.display_name as the venue (unless the source is a repository), and arXiv identifiers from the locations'
// arxiv.org links.
func (rec *record) openAlex() (paper.Paper, error) {
	p := paper.Paper{
		Title:  stripMarkup(cmpOr(rec.Title, rawString(rec.DisplayName))),
		Source: "openalex",
	}
	var err error
	if p.Abstract, err = invertedAbstract(rec.InvertedIndex); err != nil {
		return paper.Paper{}, err
	}
	if strings.TrimSpace(p.Abstract) == "" {
		p.Abstract = rec.Abstract
	}
	if len(rec.Authorships) > 0 && string(rec.Authorships) != "null" {
		var as []oaAuthorship
		if err := json.Unmarshal(rec.Authorships, &as); err != nil {
			return paper.Paper{}, fieldError("authorships", err)
		}
		for _, a := range as {
			p.Authors = append(p.Authors, cmpOr(a.Author.DisplayName, a.RawAuthorName))
		}
	}
	var primary oaLocation
	if isObject(rec.PrimaryLocation) {
		if err := json.Unmarshal(rec.PrimaryLocation, &primary); err != nil {
			return paper.Paper{}, fieldError("primary_location", err)
		}
	}
	if primary.Source != nil && primary.Source.Type != "repository" {
		p.Venue = primary.Source.DisplayName // a repository such as arXiv is no venue
	}
	var locs []oaLocation
	if len(rec.Locations) > 0 && string(rec.Locations) != "null" {
		if err := json.Unmarshal(rec.Locations, &locs); err != nil {
			return paper.Paper{}, fieldError("locations", err)
		}
	}
	for _, l := range append([]oaLocation{primary}, locs...) {
		setArxiv(&p, l.LandingPageURL)
		setArxiv(&p, l.PDFURL)
	}
	setDOI(&p, rec.DOI)
	own := strings.TrimPrefix(string(rec.ID), "https://openalex.org/")
	chooseID(&p, own)
	switch {
	case httpURL(primary.LandingPageURL) != "":
		p.URL = httpURL(primary.LandingPageURL)
	case p.DOI != "":
		p.URL = "https://doi.org/" + p.DOI
	case httpURL(string(rec.ID)) != "":
		p.URL = string(rec.ID)
	}
	if d := rawString(rec.PublicationDate); d != "" {
		p.Published, err = paper.ParseDate(d)
	} else if y := rawText(rec.PublicationYear); y != "" {
		p.Published, err = paper.ParseDate(y)
	}
	if err != nil {
		return paper.Paper{}, fmt.Errorf("bad date: %w", err)
	}
	return p, nil
}

// invertedAbstract rebuilds the text of an abstract_inverted_index, {"word": [positions], ...}, by
// putting each word at its positions. A position given twice keeps one word; gaps are closed up.
func invertedAbstract(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var inv map[string][]int
	if err := json.Unmarshal(raw, &inv); err != nil {
		return "", fieldError("abstract_inverted_index", err)
	}
	type placed struct {
		pos  int
		word string
	}
	var words []placed
	for w, ps := range inv {
		for _, pos := range ps {
			if pos < 0 {
				return "", fmt.Errorf("abstract_inverted_index: negative position %d for %q", pos, w)
			}
			words = append(words, placed{pos, w})
		}
		if len(words) > maxInvertedWords {
			return "", fmt.Errorf("abstract_inverted_index: more than %d words", maxInvertedWords)
		}
	}
	slices.SortFunc(words, func(a, b placed) int {
		if a.pos != b.pos {
			return a.pos - b.pos
		}
		return strings.Compare(a.word, b.word)
	})
	var b strings.Builder
	for i, w := range words {
		if i > 0 && w.pos == words[i-1].pos {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.word)
	}
	return b.String(), nil
}

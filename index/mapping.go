package index

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/kindred-search/kindred/embed"
	"github.com/kindred-search/kindred/index/paper"
)

// Field names in the Bleve index.
const (
	fieldTitle      = "title"
	fieldAbstract   = "abstract"
	fieldAuthors    = "authors"
	fieldCategories = "categories"
	fieldDate       = "date"
	fieldMeta       = "meta"
	nameAnalyzer    = "kindred_name"
)

// newMapping builds the index mapping: title and abstract as English text through the same analyzer
// the embedder uses (stored, with term vectors for phrases and highlighting); authors as lower-cased
// words, so authors:hinton matches; categories as exact keywords; the date as a datetime; and the rest
// of the record as one stored-only JSON field, so a paper reads back whole from Bleve alone.
func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	m.DefaultAnalyzer = embed.AnalyzerName
	m.DefaultField = fieldAbstract
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	if err := m.AddCustomAnalyzer(nameAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name},
	}); err != nil {
		return nil, fmt.Errorf("name analyzer: %w", err)
	}

	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = embed.AnalyzerName
		f.Store = true
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	authors := bleve.NewTextFieldMapping()
	authors.Analyzer = nameAnalyzer
	authors.Store = false
	authors.IncludeInAll = false
	authors.DocValues = false
	cats := bleve.NewKeywordFieldMapping()
	cats.Analyzer = keyword.Name
	cats.Store = false
	cats.IncludeInAll = false
	date := bleve.NewDateTimeFieldMapping()
	date.Store = false
	date.IncludeInAll = false
	meta := bleve.NewTextFieldMapping()
	meta.Index = false
	meta.Store = true
	meta.IncludeInAll = false
	meta.IncludeTermVectors = false
	meta.DocValues = false

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldTitle, text())
	dm.AddFieldMappingsAt(fieldAbstract, text())
	dm.AddFieldMappingsAt(fieldAuthors, authors)
	dm.AddFieldMappingsAt(fieldCategories, cats)
	dm.AddFieldMappingsAt(fieldDate, date)
	dm.AddFieldMappingsAt(fieldMeta, meta)
	m.DefaultMapping = dm
	return m, nil
}

// doc is what Bleve indexes for one paper.
type doc struct {
	Title      string     `json:"title"`
	Abstract   string     `json:"abstract"`
	Authors    []string   `json:"authors,omitempty"`
	Categories []string   `json:"categories,omitempty"`
	Date       *time.Time `json:"date,omitempty"`
	Meta       string     `json:"meta"`
}

// meta is the part of a Paper stored only as JSON.
type meta struct {
	Authors      []string   `json:"a,omitempty"`
	AuthorCount  int        `json:"n,omitempty"`
	Published    paper.Date `json:"d,omitzero"`
	Categories   []string   `json:"c,omitempty"`
	URL          string     `json:"u,omitempty"`
	Upvotes      int        `json:"v,omitempty"`
	DOI          string     `json:"o,omitempty"`
	Venue        string     `json:"j,omitempty"`
	ArxivID      string     `json:"x,omitempty"`
	Source       string     `json:"s,omitempty"`
	TitleDerived bool       `json:"t,omitempty"`
}

func toDoc(p paper.Paper) (doc, error) {
	b, err := json.Marshal(meta{p.Authors, p.AuthorCount, p.Published, p.Categories, p.URL, p.Upvotes,
		p.DOI, p.Venue, p.ArxivID, p.Source, p.TitleDerived})
	if err != nil {
		return doc{}, fmt.Errorf("paper %s: encode metadata: %w", p.ID, err)
	}
	d := doc{Title: p.Title, Abstract: p.Abstract, Authors: p.Authors, Categories: p.Categories, Meta: string(b)}
	if t := p.Published.Time(); !p.Published.IsZero() && !t.Before(minIndexedDate) && t.Before(maxIndexedDate) {
		d.Date = &t // dates Bleve cannot hold stay in the metadata only
	}
	return d, nil
}

// fromStored rebuilds a Paper from Bleve's stored fields.
func fromStored(id string, fields map[string]any) (paper.Paper, error) {
	p := paper.Paper{ID: id}
	p.Title, _ = fields[fieldTitle].(string)
	p.Abstract, _ = fields[fieldAbstract].(string)
	raw, _ := fields[fieldMeta].(string)
	var m meta
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return p, fmt.Errorf("%w: paper %s: stored metadata: %v", ErrDamaged, id, err)
	}
	p.Authors, p.AuthorCount, p.Published = m.Authors, m.AuthorCount, m.Published
	p.Categories, p.URL, p.Upvotes = m.Categories, m.URL, m.Upvotes
	p.DOI, p.Venue, p.ArxivID, p.Source, p.TitleDerived = m.DOI, m.Venue, m.ArxivID, m.Source, m.TitleDerived
	return p, nil
}

// storedFields are the fields a search asks Bleve to return to rebuild a Paper.
var storedFields = []string{fieldTitle, fieldAbstract, fieldMeta}

// EmbedText is a paper's text as related papers read it: the title twice (it is the densest summary
// of the paper), then the abstract.
func EmbedText(p paper.Paper) string { return p.Title + ". " + p.Title + ". " + p.Abstract }

// embedTitleCopies is how many times EmbedText holds the title.
const embedTitleCopies = 2

// vectorText is the text a paper's vector is made from: EmbedText without citations, URLs and
// markup (see cleanForTerms), which would relate papers that cite the same names or link to GitHub.
func vectorText(p paper.Paper) string { return cleanForTerms(EmbedText(p)) }

// Bleve stores datetimes as int64 nanoseconds; dates outside what that can hold stay in the metadata.
var (
	minIndexedDate = time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)
	maxIndexedDate = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

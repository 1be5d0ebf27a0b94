package reader

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// record is the union of the JSON shapes we accept; which fields are set tells the shape apart. The
// keys of the plain shape are decoded strictly (a wrong JSON type rejects the record); the keys only
// other shapes use are kept raw and decoded once the shape is known, so a plain record with, say, a
// "year" string of its own is not rejected for it.
type record struct {
	ID       idString   `json:"id"`
	BEIRID   idString   `json:"_id"`
	Title    string     `json:"title"`
	Abstract string     `json:"abstract"`
	Text     string     `json:"text"` // BEIR's abstract
	Authors  stringList `json:"authors"`
	// AuthorsParsed is the arXiv snapshot's [[last, first, suffix], ...].
	AuthorsParsed [][]string `json:"authors_parsed"`
	AuthorCount   int        `json:"author_count"`
	Categories    stringList `json:"categories"`
	Published     string     `json:"published"`
	Date          string     `json:"date"`
	UpdateDate    string     `json:"update_date"` // arXiv snapshot: last update, the fallback date
	Versions      []version  `json:"versions"`    // arXiv snapshot
	URL           string     `json:"url"`
	Upvotes       int        `json:"upvotes"`
	DOI           string     `json:"doi"` // plain, arXiv snapshot, OpenAlex
	Venue         string     `json:"venue"`
	ArxivID       string     `json:"arxiv_id"`
	Source        string     `json:"source"`
	TitleDerived  bool       `json:"title_derived"`

	// Keys whose presence alone marks an arXiv record, whatever their value (often null); the text of
	// the comment and journal reference can give the venue.
	Comment   optText `json:"comment"`
	Comments  optText `json:"comments"`
	Submitter optText `json:"submitter"`
	JournalRe optText `json:"journal-ref"`

	// CSL-JSON.
	Author         json.RawMessage `json:"author"`
	Issued         json.RawMessage `json:"issued"`
	ContainerTitle json.RawMessage `json:"container-title"`
	CSLDOI         json.RawMessage `json:"DOI"`
	CSLURL         json.RawMessage `json:"URL"`
	Type           json.RawMessage `json:"type"`
	Number         json.RawMessage `json:"number"`
	Note           json.RawMessage `json:"note"`
	CitationKey    json.RawMessage `json:"citation-key"`

	// OpenAlex works.
	DisplayName     json.RawMessage `json:"display_name"`
	PublicationDate json.RawMessage `json:"publication_date"`
	PublicationYear json.RawMessage `json:"publication_year"`
	Authorships     json.RawMessage `json:"authorships"`
	InvertedIndex   json.RawMessage `json:"abstract_inverted_index"`
	PrimaryLocation json.RawMessage `json:"primary_location"`
	Locations       json.RawMessage `json:"locations"`

	// Semantic Scholar (the API's camel case; the datasets' lower case matches too, as encoding/json
	// matches keys without regard to case when no key matches exactly).
	PaperID          json.RawMessage `json:"paperId"`
	CorpusID         json.RawMessage `json:"corpusId"`
	ExternalIDs      json.RawMessage `json:"externalIds"`
	S2Date           json.RawMessage `json:"publicationDate"`
	Year             json.RawMessage `json:"year"`
	PublicationVenue json.RawMessage `json:"publicationVenue"`
	Journal          json.RawMessage `json:"journal"`
}

type version struct {
	Version string `json:"version"`
	Created string `json:"created"`
}

// optText records that a key occurred, and its text when the value is a string.
type optText struct {
	set  bool
	text string
}

func (o *optText) UnmarshalJSON(b []byte) error {
	o.set = true
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &o.text)
	}
	return nil
}

// idString is an id given as a JSON string or integer.
type idString string

func (s *idString) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) > 0 && b[0] == '"':
		return json.Unmarshal(b, (*string)(s))
	case string(b) == "null":
		return nil
	}
	if _, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		*s = idString(b)
		return nil
	}
	return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeFor[idString]()}
}

// stringList is a JSON array of strings or one string to be split by the field's own rule. An array of
// objects with a "name" (Semantic Scholar's authors) is read as the list of names.
type stringList struct {
	list   []string
	single string
	isOne  bool
}

func (l *stringList) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) > 0 && b[0] == '"':
		l.isOne = true
		return json.Unmarshal(b, &l.single)
	case len(b) > 0 && b[0] == '[':
		err := json.Unmarshal(b, &l.list)
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			var named []struct {
				Name string `json:"name"`
			}
			if json.Unmarshal(b, &named) == nil {
				l.list = make([]string, len(named))
				for i, n := range named {
					l.list[i] = n.Name
				}
				return nil
			}
			return &json.UnmarshalTypeError{Value: "array of " + typ.Value, Type: reflect.TypeFor[stringList]()}
		}
		return err
	case string(b) == "null":
		return nil
	}
	return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeFor[stringList]()}
}

// split returns the list, or the single string cut by sep.
func (l stringList) split(sep func(string) []string) []string {
	if l.isOne {
		return sep(l.single)
	}
	return l.list
}

// shape is a JSON record's layout; shapeAuto tells it per record by its keys.
type shape int

const (
	shapeAuto shape = iota
	shapeCSL
	shapeOpenAlex
	shapeS2
)

// DecodeRecord turns one JSON object, in any shape Read accepts in JSON lines, into a normalized paper
// that passes Validate and paper.CheckURL; otherwise it returns an error saying why. It is Read's
// per-record step, for callers such as an HTTP handler that receive records one at a time.
func DecodeRecord(data []byte) (paper.Paper, error) {
	p, err := decodeRecord(data, shapeAuto)
	if err != nil {
		return paper.Paper{}, err
	}
	if err := normalize(&p); err != nil {
		return paper.Paper{}, err
	}
	return p, nil
}

// decodeRecord maps one JSON object onto a Paper, not yet normalized, reading it as sh.
func decodeRecord(data []byte, sh shape) (paper.Paper, error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return paper.Paper{}, errors.New("empty record")
	}
	if trimmed[0] != '{' {
		if !json.Valid(trimmed) {
			return paper.Paper{}, jsonError(json.Unmarshal(data, new(any)))
		}
		return paper.Paper{}, fmt.Errorf("not a JSON object but %s", jsonKind(trimmed))
	}
	var rec record
	if err := json.Unmarshal(data, &rec); err != nil {
		return paper.Paper{}, jsonError(err)
	}
	if sh == shapeAuto {
		sh = rec.shape()
	}
	switch sh {
	case shapeCSL:
		return rec.csl()
	case shapeOpenAlex:
		return rec.openAlex()
	case shapeS2:
		return rec.s2()
	}
	return rec.paper()
}

// shape tells the record's layout by its keys: OpenAlex and Semantic Scholar by keys no other shape
// has, CSL-JSON by its dates, container titles, upper-case DOI, citation keys, authors as objects or a
// type only CSL uses. Anything else is one of the shapes rec.paper reads.
func (rec *record) shape() shape {
	switch {
	case rec.Authorships != nil || rec.InvertedIndex != nil || rec.PrimaryLocation != nil ||
		rec.PublicationYear != nil || strings.HasPrefix(string(rec.ID), "https://openalex.org/"):
		return shapeOpenAlex
	case rec.PaperID != nil || rec.ExternalIDs != nil || rec.CorpusID != nil || rec.PublicationVenue != nil:
		return shapeS2
	case rec.Issued != nil || rec.ContainerTitle != nil || rec.CSLDOI != nil || rec.CitationKey != nil ||
		isObjectArray(rec.Author) || cslOnlyTypes[rawString(rec.Type)]:
		return shapeCSL
	}
	return shapeAuto
}

// paper maps the decoded record by its shape: arXiv, BEIR or plain.
func (rec *record) paper() (paper.Paper, error) {
	p := paper.Paper{
		ID:           string(rec.ID),
		Title:        rec.Title,
		Abstract:     rec.Abstract,
		AuthorCount:  rec.AuthorCount,
		URL:          rec.URL,
		Upvotes:      rec.Upvotes,
		Venue:        rec.Venue,
		Source:       rec.Source,
		TitleDerived: rec.TitleDerived,
	}
	beir := p.ID == "" && rec.BEIRID != ""
	// BEIR: "_id" and "text".
	if p.ID == "" {
		p.ID = string(rec.BEIRID)
	}
	if strings.TrimSpace(p.Abstract) == "" {
		p.Abstract = rec.Text
		beir = beir || rec.Text != ""
	}
	p.Authors = rec.Authors.split(splitAuthors)
	p.Categories = rec.Categories.split(strings.Fields)

	arxiv := len(rec.Versions) > 0 || len(rec.AuthorsParsed) > 0 || rec.UpdateDate != "" ||
		rec.Comment.set || rec.Comments.set || rec.Submitter.set || rec.JournalRe.set
	switch {
	case arxiv:
		p.Source = cmp.Or(p.Source, "arxiv")
		if names := parsedAuthors(rec.AuthorsParsed); len(names) > 0 {
			p.Authors = names
		}
		if rec.Authors.isOne || len(rec.AuthorsParsed) > 0 {
			// The snapshot writes accents in LaTeX; the lists of newer dumps are plain Unicode already.
			for i, a := range p.Authors {
				p.Authors[i] = unLaTeX(a)
			}
		}
		id := strings.TrimSpace(p.ID)
		if isArxivID(id) {
			p.ArxivID, _ = paper.NormalizeArxivID(id)
			p.ID = cmp.Or(p.ArxivID, p.ID)
			if p.URL == "" {
				p.URL = "https://arxiv.org/abs/" + id
			}
		}
		// The snapshot's "doi" may list several DOIs; the first is the paper's.
		if f := strings.Fields(rec.DOI); len(f) > 0 {
			setDOI(&p, f[0])
		}
		if p.Venue == "" {
			p.Venue = cmp.Or(strings.TrimSpace(rec.JournalRe.text), venueFromComment(rec.Comment.text),
				venueFromComment(rec.Comments.text))
		}
	case beir:
		p.Source = cmp.Or(p.Source, "beir")
		if strings.TrimSpace(p.Title) == "" {
			p.Title, p.TitleDerived = deriveTitle(p.Abstract), true
		}
	default:
		p.Source = cmp.Or(p.Source, "jsonl")
		p.DOI, p.ArxivID = rec.DOI, rec.ArxivID
		if strings.TrimSpace(p.ID) == "" {
			// Without an id of its own, the plain shape follows the ID rule.
			if id, ok := paper.NormalizeArxivID(p.ArxivID); ok {
				p.ID = id
			} else if d, ok := paper.NormalizeDOI(p.DOI); ok && len(d) <= paper.MaxIDLen {
				p.ID = d
			}
		}
	}

	var err error
	switch {
	case rec.Published != "":
		p.Published, err = paper.ParseDate(rec.Published)
	case rec.Date != "":
		p.Published, err = paper.ParseDate(rec.Date)
	case len(rec.Versions) > 0:
		p.Published, err = versionDate(rec.Versions)
	case rec.UpdateDate != "":
		p.Published, err = paper.ParseDate(rec.UpdateDate)
	}
	if err != nil {
		return paper.Paper{}, fmt.Errorf("bad date: %w", err)
	}
	return p, nil
}

// splitAuthors cuts "A. Smith, B. Jones and C. Wu" into names.
func splitAuthors(s string) []string {
	s = paper.Fold(s)
	var out []string
	for _, part := range strings.Split(s, ", ") {
		for _, name := range strings.Split(part, " and ") {
			if name = strings.TrimSuffix(strings.TrimSpace(name), ","); name != "" {
				out = append(out, name)
			}
		}
	}
	return out
}

// jsonError rewords a decoding error of the record data: syntax errors get their column, type errors
// their field and the JSON type expected.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("invalid JSON at column %d: %v", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "?"
		}
		return fmt.Errorf("field %q: got JSON %s, want %s", field, typ.Value, wantKind(typ))
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

// jsonKind names the JSON type of the value that data starts with.
func jsonKind(data []byte) string {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return "nothing"
	}
	switch data[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// wantKind names the JSON type the field of a type error should have had.
func wantKind(e *json.UnmarshalTypeError) string {
	switch e.Type {
	case reflect.TypeFor[idString]():
		return "string or integer"
	case reflect.TypeFor[stringList]():
		return "string or array of strings"
	}
	switch e.Type.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int:
		return "integer"
	case reflect.Slice:
		return "array"
	case reflect.Struct:
		return "object"
	}
	return e.Type.String()
}

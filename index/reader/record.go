package reader

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// record is the union of the JSON shapes we accept; which fields are set tells the shape apart.
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

	// Keys whose presence alone marks an arXiv record, whatever their value (often null).
	Comment   present `json:"comment"`
	Comments  present `json:"comments"`
	Submitter present `json:"submitter"`
	JournalRe present `json:"journal-ref"`
}

type version struct {
	Version string `json:"version"`
	Created string `json:"created"`
}

// present records that a key occurred, without decoding its value.
type present bool

func (p *present) UnmarshalJSON([]byte) error { *p = true; return nil }

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

// stringList is a JSON array of strings or one string to be split by the field's own rule.
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

// DecodeRecord turns one JSON object, in any shape Read accepts in JSON lines, into a normalized paper
// that passes Validate; otherwise it returns an error saying why. It is Read's per-record step, for
// callers such as an HTTP handler that receive records one at a time.
func DecodeRecord(data []byte) (paper.Paper, error) {
	p, err := decodeRecord(data)
	if err != nil {
		return paper.Paper{}, err
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return paper.Paper{}, err
	}
	return p, nil
}

// decodeRecord maps one JSON object onto a Paper, not yet normalized.
func decodeRecord(data []byte) (paper.Paper, error) {
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
	return rec.paper()
}

// paper maps the decoded record by its shape.
func (rec *record) paper() (paper.Paper, error) {
	p := paper.Paper{
		ID:          string(rec.ID),
		Title:       rec.Title,
		Abstract:    rec.Abstract,
		AuthorCount: rec.AuthorCount,
		URL:         rec.URL,
		Upvotes:     rec.Upvotes,
	}
	// BEIR: "_id" and "text".
	if p.ID == "" {
		p.ID = string(rec.BEIRID)
	}
	if strings.TrimSpace(p.Abstract) == "" {
		p.Abstract = rec.Text
	}
	p.Authors = rec.Authors.split(splitAuthors)
	p.Categories = rec.Categories.split(strings.Fields)

	arxiv := len(rec.Versions) > 0 || len(rec.AuthorsParsed) > 0 || rec.UpdateDate != "" ||
		bool(rec.Comment) || bool(rec.Comments) || bool(rec.Submitter) || bool(rec.JournalRe)
	if arxiv {
		if names := parsedAuthors(rec.AuthorsParsed); len(names) > 0 {
			p.Authors = names
		}
		if rec.Authors.isOne || len(rec.AuthorsParsed) > 0 {
			// The snapshot writes accents in LaTeX; the lists of newer dumps are plain Unicode already.
			for i, a := range p.Authors {
				p.Authors[i] = unLaTeX(a)
			}
		}
		if p.URL == "" && isArxivID(strings.TrimSpace(p.ID)) {
			p.URL = "https://arxiv.org/abs/" + strings.TrimSpace(p.ID)
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

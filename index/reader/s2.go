package reader

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// s2Paper holds the Semantic Scholar keys that need decoding beyond the plain shape's.
type s2Paper struct {
	ExternalIDs struct {
		DOI   *string `json:"DOI"`
		ArXiv *string `json:"ArXiv"`
	}
	Venue struct {
		Name string `json:"name"`
	}
}

// s2 maps a Semantic Scholar paper (the Graph API's paper object or a record of the "papers"
// dataset): "paperId", "title", "abstract", "authors" [{"name"}], "publicationDate" or "year",
// "externalIds" {"DOI", "ArXiv"}, "venue" (or "publicationVenue"/"journal" {"name"}), "url".
func (rec *record) s2() (paper.Paper, error) {
	p := paper.Paper{
		Title:    rec.Title,
		Abstract: rec.Abstract,
		Authors:  rec.Authors.split(splitAuthors),
		Venue:    rec.Venue,
		URL:      httpURL(rec.URL),
		Source:   "s2",
	}
	var x s2Paper
	if len(rec.ExternalIDs) > 0 {
		if err := json.Unmarshal(rec.ExternalIDs, &x.ExternalIDs); err != nil {
			return paper.Paper{}, fieldError("externalIds", err)
		}
	}
	if e := x.ExternalIDs; e.ArXiv != nil {
		setArxiv(&p, *e.ArXiv)
	}
	if e := x.ExternalIDs; e.DOI != nil {
		setDOI(&p, *e.DOI)
	}
	for _, raw := range []json.RawMessage{rec.PublicationVenue, rec.Journal} {
		if p.Venue == "" && isObject(raw) && json.Unmarshal(raw, &x.Venue) == nil {
			p.Venue = x.Venue.Name
		}
	}
	own := rawString(rec.PaperID)
	if own == "" {
		if c := rawText(rec.CorpusID); c != "" {
			own = "CorpusId:" + c
		}
	}
	if p.URL == "" && own != "" && !strings.Contains(own, ":") {
		p.URL = "https://www.semanticscholar.org/paper/" + own
	}
	chooseID(&p, own)
	var err error
	if d := rawString(rec.S2Date); d != "" {
		p.Published, err = paper.ParseDate(d)
	} else if y := rawText(rec.Year); y != "" {
		p.Published, err = paper.ParseDate(y)
	}
	if err != nil {
		return paper.Paper{}, fmt.Errorf("bad date: %w", err)
	}
	return p, nil
}

// isObject reports whether raw JSON is an object.
func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

// fieldError words a decoding error of one raw field like jsonError does for the whole record.
func fieldError(field string, err error) error {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if typ.Field != "" {
			field += "." + typ.Field
		}
		return fmt.Errorf("field %q: got JSON %s, want %s", field, typ.Value, wantKind(typ))
	}
	return fmt.Errorf("field %q: %v", field, err)
}

// s2PageKeys are the keys a Semantic Scholar search or bulk-search page has before its "data".
var s2PageKeys = map[string]bool{"total": true, "offset": true, "next": true, "token": true}

// isS2Page reports whether head starts with a Semantic Scholar API page: an object whose keys are
// "total", "offset", "next" or "token" up to a "data" array.
func isS2Page(head []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(head))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return false
		}
		if key == "data" {
			tok, err := dec.Token()
			return err == nil && tok == json.Delim('[')
		}
		if !s2PageKeys[key] {
			return false
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return false
		}
	}
	return false
}

// readS2Pages reads Semantic Scholar API pages, {"total": 2, "offset": 0, "data": [{paper}, ...]},
// one after another (as a script saves them, one a line or not). The papers are streamed: a page is
// never held whole.
func readS2Pages(br *bufio.Reader, opts Options, s *sink) error {
	cr := &countingReader{r: br, limit: int64(opts.MaxRecordBytes) + sniffBytes}
	dec := json.NewDecoder(cr)
	for {
		cr.start = dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return arrayError(err, cr, dec)
		}
		if tok != json.Delim('{') {
			return fmt.Errorf("line %d: want a Semantic Scholar page {\"data\": [...]}, got %v", cr.lineAt(dec.InputOffset()), tok)
		}
		for dec.More() {
			cr.start = dec.InputOffset()
			tok, err := dec.Token()
			if err != nil {
				return arrayError(err, cr, dec)
			}
			if tok == "data" {
				if tok, err := dec.Token(); err != nil {
					return arrayError(err, cr, dec)
				} else if tok != json.Delim('[') {
					return fmt.Errorf("line %d: \"data\" is not an array", cr.lineAt(dec.InputOffset()))
				}
				if err := readElements(dec, cr, opts, s, shapeS2); err != nil {
					return err
				}
				continue
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return arrayError(err, cr, dec)
			}
		}
		if _, err := dec.Token(); err != nil { // the page's '}'
			return arrayError(err, cr, dec)
		}
	}
}

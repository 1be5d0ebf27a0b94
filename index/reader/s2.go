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

// pageKeys are the keys an API page may have before its list of records: Semantic Scholar's search
// pages ({"total", "offset", "next", "token", "data"}) and OpenAlex's ({"meta", "group_by",
// "results"}).
var pageKeys = map[string]bool{"total": true, "offset": true, "next": true, "token": true, "meta": true, "group_by": true}

// pageShape reports whether head starts with an API page, an object whose keys are those of
// pageKeys up to the list of records: "data" (Semantic Scholar) or "results" (OpenAlex).
func pageShape(head []byte) (shape, bool) {
	dec := json.NewDecoder(bytes.NewReader(head))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return shapeAuto, false
	}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return shapeAuto, false
		}
		if sh, ok := pageLists[key]; ok {
			tok, err := dec.Token()
			return sh, err == nil && tok == json.Delim('[')
		}
		if !pageKeys[key] {
			return shapeAuto, false
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return shapeAuto, false
		}
	}
	return shapeAuto, false
}

// pageLists maps the key of a page's records to their shape.
var pageLists = map[string]shape{"data": shapeS2, "results": shapeOpenAlex}

// isS2Page reports whether head starts with a Semantic Scholar API page.
func isS2Page(head []byte) bool {
	sh, ok := pageShape(head)
	return ok && sh == shapeS2
}

// isOpenAlexPage reports whether head starts with an OpenAlex API page.
func isOpenAlexPage(head []byte) bool {
	sh, ok := pageShape(head)
	return ok && sh == shapeOpenAlex
}

// readPages reads API pages of records of shape sh, one after another (as a script saves them, one a
// line or not): Semantic Scholar's {"total": 2, "offset": 0, "data": [{paper}, ...]} or OpenAlex's
// {"meta": {...}, "results": [{work}, ...]}. The records are streamed: a page is never held whole.
func readPages(br *bufio.Reader, opts Options, s *sink, sh shape) error {
	cr := &countingReader{r: br, limit: int64(opts.MaxRecordBytes) + sniffBytes}
	dec := json.NewDecoder(cr)
	list := "data"
	if sh == shapeOpenAlex {
		list = "results"
	}
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
			return fmt.Errorf("line %d: want an API page {%q: [...]}, got %v", cr.lineAt(dec.InputOffset()), list, tok)
		}
		for dec.More() {
			cr.start = dec.InputOffset()
			tok, err := dec.Token()
			if err != nil {
				return arrayError(err, cr, dec)
			}
			if tok == list {
				if tok, err := dec.Token(); err != nil {
					return arrayError(err, cr, dec)
				} else if tok != json.Delim('[') {
					return fmt.Errorf("line %d: %q is not an array", cr.lineAt(dec.InputOffset()), list)
				}
				if err := readElements(dec, cr, opts, s, sh); err != nil {
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

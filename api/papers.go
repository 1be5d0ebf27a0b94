package api

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kindred-search/kindred/index/cite"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

// maxRejectionsListed caps the rejections an upsert response lists; "rejected" counts them all.
const maxRejectionsListed = 100

// getPaper serves GET /api/papers/{id}: the paper a reference names (Core.Resolve), as JSON or, with
// format, as a citation. A reference with slashes (a link, a DOI) comes escaped, %2F for each slash.
func (s *server) getPaper(c *gin.Context) {
	f, err := formatParam(c.Query("format"))
	if err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	id, err := s.core.Resolve(ctx, c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	p, err := s.core.Get(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	if f != "" {
		writeCitations(c, f, cite.Keys(p)[0], []paper.Paper{p})
		return
	}
	writeJSON(c, http.StatusOK, p)
}

// deletePaper serves DELETE /api/papers/{id}: 204, or 404 when no paper has the ID.
func (s *server) deletePaper(c *gin.Context) {
	id := c.Param("id")
	n, err := s.core.Delete(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	if n == 0 {
		writeError(c, http.StatusNotFound, codeNotFound, "paper not found: "+quote(id))
		return
	}
	c.Status(http.StatusNoContent)
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// upsertResponse is the body of POST /api/papers.
type upsertResponse struct {
	Accepted   int         `json:"accepted"` // valid records, stored
	Added      int         `json:"added"`    // of which new papers
	Replaced   int         `json:"replaced"` // of which replaced a paper with the same ID
	Rejected   int         `json:"rejected"`
	IDs        []string    `json:"ids"`        // of the accepted records, in order (IDs derived from titles included)
	Rejections []rejection `json:"rejections"` // the first maxRejectionsListed
}

// rejection says why one record of the batch was not stored.
type rejection struct {
	Index  int    `json:"index"`          // 0-based position of the record in the batch
	Line   int    `json:"line,omitempty"` // 1-based line of an NDJSON record
	Reason string `json:"reason"`
}

// record is one record of an upsert batch, not yet decoded.
type record struct {
	data []byte
	line int // NDJSON only
}

// upsert serves POST /api/papers: a JSON array (application/json) or JSON lines (application/x-ndjson)
// of papers in the shapes package reader accepts. Each record is decoded and validated by the reader,
// so the rules are the same as `kindred index`; good records are stored even when others are rejected.
func (s *server) upsert(c *gin.Context) {
	var split func([]byte) ([]record, bool)
	switch mediaType(c) {
	case "application/json":
		split = func(b []byte) ([]record, bool) { return splitArray(c, b) }
	case "application/x-ndjson", "application/ndjson":
		split = func(b []byte) ([]record, bool) { return splitLines(b), true }
	default:
		writeError(c, http.StatusUnsupportedMediaType, codeUnsupportedMediaType,
			"Content-Type must be application/json (a JSON array of papers) or application/x-ndjson (one paper a line)")
		return
	}
	body, ok := readBody(c)
	if !ok {
		return
	}
	recs, ok := split(body)
	if !ok {
		return
	}
	out := upsertResponse{IDs: []string{}, Rejections: []rejection{}}
	papers := make([]paper.Paper, 0, len(recs))
	for i, r := range recs {
		p, err := reader.DecodeRecord(r.data)
		if err != nil {
			out.Rejected++
			if len(out.Rejections) < maxRejectionsListed {
				out.Rejections = append(out.Rejections, rejection{Index: i, Line: r.line, Reason: err.Error()})
			}
			continue
		}
		papers = append(papers, p)
		out.IDs = append(out.IDs, p.ID)
	}
	st, err := s.core.Upsert(c.Request.Context(), papers...)
	if err != nil {
		fail(c, err)
		return
	}
	out.Accepted = len(papers)
	out.Added = st.Added
	// Records repeating an ID within the batch replace each other before they reach the index.
	out.Replaced = len(papers) - st.Added
	writeJSON(c, http.StatusOK, out)
}

// splitArray cuts a JSON array into its elements. Unlike JSON lines, an array that is not valid JSON
// cannot be resynchronised, so that answers 400 with where the JSON went wrong.
func splitArray(c *gin.Context, body []byte) ([]record, bool) {
	var elems []json.RawMessage
	if err := json.Unmarshal(body, &elems); err != nil {
		msg := jsonMessage(body, err)
		if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' && json.Valid(trimmed) {
			msg = "want a JSON array of papers, got an object (wrap one paper in [ ])"
		}
		writeError(c, http.StatusBadRequest, codeBadJSON, msg)
		return nil, false
	}
	out := make([]record, len(elems))
	for i, e := range elems {
		out[i] = record{data: e}
	}
	return out, true
}

// splitLines cuts JSON lines into records, skipping blank lines.
func splitLines(body []byte) []record {
	var out []record
	for i, line := range bytes.Split(body, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		out = append(out, record{data: bytes.TrimSuffix(line, []byte("\r")), line: i + 1})
	}
	return out
}

package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/cite"
	"github.com/kindred-search/kindred/index/paper"
)

// Limits of POST /api/export.
const (
	// maxExportIDs bounds the references of one export.
	maxExportIDs = 1000
	// maxRefBytes bounds one reference: far more than any ID (paper.MaxIDLen), DOI link or arXiv link.
	maxRefBytes = 1024
	// maxMissingListed caps the references listed in X-Kindred-Missing; X-Kindred-Missing-Count
	// counts them all.
	maxMissingListed = 100
)

// formatParam reads the format parameter of the endpoints that return papers: "" or "json" (the
// default: the JSON response) gives "", else a citation format.
func formatParam(s string) (cite.Format, error) {
	if s == "" || s == "json" {
		return "", nil
	}
	if f, ok := cite.ParseFormat(s); ok {
		return f, nil
	}
	return "", &index.ParamError{Param: "format", Message: fmt.Sprintf("format must be json, bibtex, ris or csl, not %q", s)}
}

// writeCitations answers with the papers in a citation format, named name plus the format's
// extension for clients that save it.
func writeCitations(c *gin.Context, f cite.Format, name string, ps []paper.Paper) {
	h := c.Writer.Header()
	h.Set("Content-Type", f.MediaType()+"; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="`+name+f.Ext()+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	c.Status(http.StatusOK)
	c.Writer.Write(f.Write(ps...))
}

// resultPapers are the papers of a page of results, in rank order.
func resultPapers(res index.Response) []paper.Paper {
	out := make([]paper.Paper, len(res.Results))
	for i, r := range res.Results {
		out[i] = r.Paper
	}
	return out
}

// exportRequest is the body of POST /api/export.
type exportRequest struct {
	// IDs are references as GET /api/papers/{id} takes them: IDs, arXiv identifiers and links, DOIs.
	IDs []string `json:"ids"`
	// Format is bibtex (the default), ris, csl or json.
	Format string `json:"format"`
}

// export serves POST /api/export: the papers of a reading list in one citation file. References that
// name no paper do not fail the request: they are listed in the X-Kindred-Missing header (the first
// maxMissingListed, comma-separated, percent-encoded where needed) and counted in
// X-Kindred-Missing-Count.
func (s *server) export(c *gin.Context) {
	var req exportRequest
	if !decodeJSON(c, &req) {
		return
	}
	if req.Format == "" {
		req.Format = string(cite.FormatBibTeX)
	}
	f, err := formatParam(req.Format)
	if err != nil {
		fail(c, err)
		return
	}
	switch {
	case len(req.IDs) == 0:
		fail(c, badParam("ids is empty: give the papers to export"))
		return
	case len(req.IDs) > maxExportIDs:
		fail(c, badParam("ids has %d references, at most %d", len(req.IDs), maxExportIDs))
		return
	}
	for i, ref := range req.IDs {
		if strings.TrimSpace(ref) == "" || len(ref) > maxRefBytes {
			fail(c, badParam("ids[%d] must be 1 to %d bytes, not blank", i, maxRefBytes))
			return
		}
	}
	ps, missing, err := s.core.Lookup(c.Request.Context(), req.IDs...)
	if err != nil {
		fail(c, err)
		return
	}
	if len(missing) > 0 {
		listed := make([]string, 0, min(len(missing), maxMissingListed))
		for _, m := range missing[:min(len(missing), maxMissingListed)] {
			listed = append(listed, headerEscape(m))
		}
		c.Header("X-Kindred-Missing", strings.Join(listed, ","))
		c.Header("X-Kindred-Missing-Count", strconv.Itoa(len(missing)))
	}
	if f == "" {
		if ps == nil {
			ps = []paper.Paper{}
		}
		writeJSON(c, http.StatusOK, ps)
		return
	}
	writeCitations(c, f, "kindred-export", ps)
}

// headerEscape percent-encodes what a comma-separated header value cannot carry as is: commas, per
// cent signs, white space, control characters and non-ASCII bytes. url.PathUnescape decodes it.
func headerEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == ',' || c == '%' {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

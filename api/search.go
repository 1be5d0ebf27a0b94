package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
)

// rankParams are the ranking parameters search, related and similar share, as the client gave them.
// Decoding checks their syntax; the core checks their ranges, except limit's, which the core reads 0 as
// "default" and a client that says 0 means something else.
type rankParams struct {
	Mode     string   `json:"mode"`
	Limit    *int     `json:"limit"`
	Offset   *int     `json:"offset"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	Category []string `json:"category"`
	Alpha    *float64 `json:"alpha"`
	Fusion   string   `json:"fusion"`
}

// ranking is rankParams decoded.
type ranking struct {
	mode          index.Mode
	limit, offset int
	filter        index.Filter
	fusion        index.Fusion
	alpha         *float64
}

func badParam(format string, args ...any) error {
	return fmt.Errorf("%w: %s", index.ErrBadRequest, fmt.Sprintf(format, args...))
}

// rankQuery reads rankParams from the URL query. Category may repeat and each may be comma-separated.
func rankQuery(c *gin.Context) (rankParams, error) {
	p := rankParams{Mode: c.Query("mode"), From: c.Query("from"), To: c.Query("to"), Fusion: c.Query("fusion")}
	if s, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return p, badParam("limit must be between 1 and %d", index.MaxLimit)
		}
		p.Limit = &n
	}
	if s, ok := c.GetQuery("offset"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return p, badParam("offset must be between 0 and %d", index.MaxOffset)
		}
		p.Offset = &n
	}
	if s, ok := c.GetQuery("alpha"); ok {
		a, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return p, badParam("alpha must be a number between 0 and 1")
		}
		p.Alpha = &a
	}
	p.Category = c.QueryArray("category")
	return p, nil
}

func (p rankParams) decode() (ranking, error) {
	var r ranking
	var err error
	if r.mode, err = index.ParseMode(p.Mode); err != nil {
		return r, err
	}
	if r.fusion, err = index.ParseFusion(p.Fusion); err != nil {
		return r, err
	}
	if p.Limit != nil {
		if *p.Limit < 1 || *p.Limit > index.MaxLimit {
			return r, badParam("limit must be between 1 and %d", index.MaxLimit)
		}
		r.limit = *p.Limit
	}
	if p.Offset != nil {
		r.offset = *p.Offset
	}
	r.alpha = p.Alpha
	if r.filter.From, err = paper.ParseDate(p.From); err != nil {
		return r, badParam("from: %v", err)
	}
	if r.filter.To, err = paper.ParseDate(p.To); err != nil {
		return r, badParam("to: %v", err)
	}
	for _, cs := range p.Category {
		for _, c := range strings.Split(cs, ",") {
			if c = strings.TrimSpace(c); c != "" {
				r.filter.Categories = append(r.filter.Categories, c)
			}
		}
	}
	return r, nil
}

func (r ranking) relatedRequest() index.RelatedRequest {
	return index.RelatedRequest{Mode: r.mode, Limit: r.limit, Offset: r.offset, Filter: r.filter, Fusion: r.fusion, Alpha: r.alpha}
}

// resultsResponse is the body of search, related and similar.
type resultsResponse struct {
	Query   string         `json:"query,omitempty"` // search
	ID      string         `json:"id,omitempty"`    // related
	Mode    index.Mode     `json:"mode"`
	Total   int            `json:"total"`
	TookMS  float64        `json:"took_ms"`
	Results []index.Result `json:"results"`
}

func newResultsResponse(res index.Response) resultsResponse {
	out := resultsResponse{Mode: res.Mode, Total: res.Total, TookMS: float64(res.Took.Microseconds()) / 1000, Results: res.Results}
	if out.Results == nil {
		out.Results = []index.Result{}
	}
	return out
}

// search serves GET /api/search?q=...
func (s *server) search(c *gin.Context) {
	q, ok := c.GetQuery("q")
	if !ok {
		fail(c, badParam("missing parameter q (the query)"))
		return
	}
	p, err := rankQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	r, err := p.decode()
	if err != nil {
		fail(c, err)
		return
	}
	res, err := s.core.Search(c.Request.Context(), index.Request{Query: q, Mode: r.mode, Limit: r.limit, Offset: r.offset,
		Filter: r.filter, Fusion: r.fusion, Alpha: r.alpha, Highlight: true})
	if err != nil {
		fail(c, err)
		return
	}
	out := newResultsResponse(res)
	out.Query = q
	writeJSON(c, http.StatusOK, out)
}

// related serves GET /api/papers/{id}/related.
func (s *server) related(c *gin.Context) {
	id := c.Param("id")
	p, err := rankQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	r, err := p.decode()
	if err != nil {
		fail(c, err)
		return
	}
	res, err := s.core.Related(c.Request.Context(), id, r.relatedRequest())
	if err != nil {
		fail(c, err)
		return
	}
	out := newResultsResponse(res)
	out.ID = id
	writeJSON(c, http.StatusOK, out)
}

// similarRequest is the body of POST /api/similar.
type similarRequest struct {
	Text string `json:"text"`
	rankParams
}

// similar serves POST /api/similar: papers related to a pasted text.
func (s *server) similar(c *gin.Context) {
	var req similarRequest
	if !decodeJSON(c, &req) {
		return
	}
	r, err := req.decode()
	if err != nil {
		fail(c, err)
		return
	}
	res, err := s.core.Similar(c.Request.Context(), req.Text, r.relatedRequest())
	if err != nil {
		fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, newResultsResponse(res))
}

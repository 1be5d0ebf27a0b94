package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kindred-search/kindred/index"
)

// RankParams are the ranking parameters of the JSON bodies of POST /api/similar and /api/recommend
// (the same names as the query parameters of search and related, which index.RankingParamsFrom
// reads). Category is an array here. Clients (the CLI beside a running server) send them too.
type RankParams struct {
	Mode     string   `json:"mode,omitempty"`
	Limit    *int     `json:"limit,omitempty"`
	Offset   *int     `json:"offset,omitempty"`
	From     string   `json:"from,omitempty"`
	To       string   `json:"to,omitempty"`
	Category []string `json:"category,omitempty"`
	Alpha    *float64 `json:"alpha,omitempty"`
	Fusion   string   `json:"fusion,omitempty"`
}

// NewRankParams is the body form of rk, leaving out what rk leaves to the index.
func NewRankParams(rk index.Ranking) RankParams {
	p := RankParams{Mode: string(rk.Mode), Category: rk.Filter.Categories, Fusion: string(rk.Fusion), Alpha: rk.Alpha}
	if rk.Limit != 0 {
		p.Limit = &rk.Limit
	}
	if rk.Offset != 0 {
		p.Offset = &rk.Offset
	}
	if !rk.Filter.From.IsZero() {
		p.From = rk.Filter.From.String()
	}
	if !rk.Filter.To.IsZero() {
		p.To = rk.Filter.To.String()
	}
	return p
}

func (p RankParams) ranking() (index.Ranking, error) {
	return index.RankingParams{Mode: p.Mode, Limit: p.Limit, Offset: p.Offset, From: p.From, To: p.To,
		Categories: p.Category, Fusion: p.Fusion, Alpha: p.Alpha}.Ranking()
}

func badParam(format string, args ...any) error {
	return fmt.Errorf("%w: %s", index.ErrBadRequest, fmt.Sprintf(format, args...))
}

// rankQuery reads the ranking parameters from the URL query.
func rankQuery(c *gin.Context) (index.Ranking, error) {
	p, err := index.RankingParamsFrom(c.Request.URL.Query())
	if err != nil {
		return index.Ranking{}, err
	}
	return p.Ranking()
}

// Results is the body of search, related, similar and recommend; clients decode it too.
type Results struct {
	Query string     `json:"query,omitempty"` // search
	ID    string     `json:"id,omitempty"`    // related
	Mode  index.Mode `json:"mode"`
	Total int        `json:"total"`
	// TotalExact is false when Total is an estimate (queries matching a large part of the index).
	TotalExact bool    `json:"total_exact"`
	TookMS     float64 `json:"took_ms"`
	// QueryNote sums up QueryNotes in one line for people; both are absent when the query was
	// searched as given.
	QueryNote  string             `json:"query_note,omitempty"`
	QueryNotes []index.Note       `json:"query_notes,omitempty"`
	Author     *index.AuthorMatch `json:"author,omitempty"`
	Suggestion string             `json:"suggestion,omitempty"`
	Facets     *index.Facets      `json:"facets,omitempty"`
	Results    []index.Result     `json:"results"`
}

func newResults(res index.Response) Results {
	out := Results{Mode: res.Mode, Total: res.Total, TotalExact: res.TotalExact, TookMS: float64(res.Took.Microseconds()) / 1000,
		QueryNotes: res.Notes, Author: res.Author, Suggestion: res.Suggestion, Facets: res.Facets, Results: res.Results}
	if out.Results == nil {
		out.Results = []index.Result{}
	}
	if len(res.Notes) > 0 {
		msgs := make([]string, len(res.Notes))
		for i, n := range res.Notes {
			msgs[i] = n.Message
		}
		out.QueryNote = strings.Join(msgs, "; ")
	}
	return out
}

// Response is the engine's response that r was written from (Took rounded to the microsecond, and
// without what the API leaves out: the work counts).
func (r Results) Response() index.Response {
	return index.Response{Mode: r.Mode, Total: r.Total, TotalExact: r.TotalExact, Notes: r.QueryNotes, Author: r.Author,
		Suggestion: r.Suggestion, Facets: r.Facets, Results: r.Results, Took: time.Duration(r.TookMS * float64(time.Millisecond))}
}

// search serves GET /api/search?q=...
func (s *server) search(c *gin.Context) {
	q, ok := c.GetQuery("q")
	if !ok {
		fail(c, badParam("missing parameter q (the query)"))
		return
	}
	if len(q) > MaxQueryBytes {
		fail(c, tooLong("q", len(q), MaxQueryBytes))
		return
	}
	rk, err := rankQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	f, err := formatParam(c.Query("format"))
	if err != nil {
		fail(c, err)
		return
	}
	strict := false
	switch v := c.Query("syntax"); v {
	case "", "lenient":
	case "strict":
		strict = true
	default:
		fail(c, badParam("syntax must be lenient or strict, not %q", v))
		return
	}
	sort, err := index.ParseSort(c.Query("sort"))
	if err != nil {
		fail(c, err)
		return
	}
	facets := false
	switch v := c.Query("facets"); v {
	case "", "false", "0":
	case "true", "1":
		facets = true
	default:
		fail(c, badParam("facets must be true or false, not %q", v))
		return
	}
	res, err := s.core.Search(c.Request.Context(), index.Request{Query: q, Ranking: rk, Highlight: f == "", Strict: strict, Sort: sort, Facets: facets})
	if err != nil {
		fail(c, err)
		return
	}
	if f != "" {
		writeCitations(c, f, "kindred-search", resultPapers(res))
		return
	}
	out := newResults(res)
	out.Query = q
	writeJSON(c, http.StatusOK, out)
}

// related serves GET /api/papers/{id}/related; id is any reference Core.Resolve takes.
func (s *server) related(c *gin.Context) {
	rk, err := rankQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
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
	res, err := s.core.Related(ctx, id, index.RelatedRequest{Ranking: rk})
	if err != nil {
		fail(c, err)
		return
	}
	if f != "" {
		writeCitations(c, f, "kindred-related", resultPapers(res))
		return
	}
	out := newResults(res)
	out.ID = id
	writeJSON(c, http.StatusOK, out)
}

// similarRequest is the body of POST /api/similar.
type similarRequest struct {
	Text string `json:"text"`
	RankParams
}

// similar serves POST /api/similar: papers related to a pasted text.
func (s *server) similar(c *gin.Context) {
	var req similarRequest
	if !decodeJSON(c, &req) {
		return
	}
	if len(req.Text) > MaxTextBytes {
		fail(c, tooLong("text", len(req.Text), MaxTextBytes))
		return
	}
	rk, err := req.ranking()
	if err != nil {
		fail(c, err)
		return
	}
	res, err := s.core.Similar(c.Request.Context(), req.Text, index.RelatedRequest{Ranking: rk})
	if err != nil {
		fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, newResults(res))
}

package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kindred-search/kindred/index"
)

// recommendRequest is the body of POST /api/recommend.
type recommendRequest struct {
	Positive []string `json:"positive"`
	Negative []string `json:"negative"`
	RankParams
}

// recommend serves POST /api/recommend: papers like the positive seeds and unlike the negative ones.
func (s *server) recommend(c *gin.Context) {
	var req recommendRequest
	if !decodeJSON(c, &req) {
		return
	}
	rk, err := req.ranking()
	if err != nil {
		fail(c, err)
		return
	}
	res, err := s.core.Recommend(c.Request.Context(), index.RecommendRequest{Positive: req.Positive, Negative: req.Negative, Ranking: rk})
	if err != nil {
		fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, newResults(res))
}

package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// requireAdmin guards the write endpoints. With no admin token configured, writes are disabled (403);
// otherwise a request needs "Authorization: Bearer <token>": none is 401, a wrong one 403.
func (s *server) requireAdmin(c *gin.Context) {
	if s.opts.AdminToken == "" {
		writeError(c, http.StatusForbidden, codeForbidden,
			"writes are disabled: start the server with --admin-token or KINDRED_ADMIN_TOKEN to enable them")
		return
	}
	scheme, token, ok := strings.Cut(c.GetHeader("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		c.Header("WWW-Authenticate", `Bearer realm="kindred"`)
		writeError(c, http.StatusUnauthorized, codeUnauthorized, "this endpoint needs an admin token: send Authorization: Bearer <token>")
		return
	}
	// Comparing digests keeps the comparison constant-time in the token's length too.
	got, want := sha256.Sum256([]byte(strings.TrimSpace(token))), sha256.Sum256([]byte(s.opts.AdminToken))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		writeError(c, http.StatusForbidden, codeForbidden, "the admin token is wrong")
		return
	}
	c.Next()
}

package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kindred-search/kindred/index"
)

// Limits on one request, beside Options.MaxBodyBytes and Options.Timeout (README, "Limits").
const (
	// MaxQueryBytes bounds the q parameter of a search; a longer one is refused with 400. The query
	// parser searches only the first syntax.MaxBytes (4 KiB) of what it is given, with a note, so the
	// limit only turns away input that no person types.
	MaxQueryBytes = 8 << 10
	// MaxTextBytes bounds the text of POST /api/similar (the engine's index.MaxTextBytes).
	MaxTextBytes = index.MaxTextBytes
)

// timeoutKey is the context key under which deadline stores the request's time limit, for the
// message of a request that ran out of it.
const timeoutKey = "kindred.timeout"

// deadline gives each request a context that expires after d (none when d <= 0). The engine checks
// its context inside its loops and returns context.DeadlineExceeded, which statusOf answers with 503
// timeout. A request's context is also cancelled when its client goes away, and the engine stops
// working for it then.
func deadline(d time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		if d <= 0 {
			c.Next()
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		c.Set(timeoutKey, d)
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// timeoutMessage is the message of a request that ran out of time.
func timeoutMessage(c *gin.Context) string {
	msg := "the request took longer than the server allows"
	if d := c.GetDuration(timeoutKey); d > 0 {
		msg = "the request took longer than the server's limit of " + d.String()
	}
	return msg + "; try a more specific query"
}

// checkQueryString refuses a query string that does not parse: a malformed escape ("%zz") or more
// parameters than net/url accepts (10,000). Go's URL.Query drops what it cannot parse, which would
// make such a request look like one without its parameters ("missing parameter q").
func checkQueryString(c *gin.Context) {
	if _, err := url.ParseQuery(c.Request.URL.RawQuery); err != nil {
		msg := "the query string is malformed: " + err.Error()
		if strings.Contains(err.Error(), "exceeded limit") {
			msg = "the query string has too many parameters"
		}
		writeError(c, http.StatusBadRequest, codeInvalidParameter, msg)
		return
	}
	c.Next()
}

// tooLong is the error for a text parameter past its limit, naming the parameter.
func tooLong(param string, n, limit int) error {
	return badParam("%s is %d bytes long; the limit is %d bytes", param, n, limit)
}

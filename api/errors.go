package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kindred-search/kindred/index"
)

// Error codes, the machine-readable half of every error response.
const (
	codeInvalidParameter     = "invalid_parameter"
	codeBadQuery             = "bad_query"
	codeNotFound             = "not_found"
	codeMethodNotAllowed     = "method_not_allowed"
	codePayloadTooLarge      = "payload_too_large"
	codeUnsupportedMediaType = "unsupported_media_type"
	codeBadJSON              = "bad_json"
	codeUnauthorized         = "unauthorized"
	codeForbidden            = "forbidden"
	codeInternal             = "internal"
	codeUnavailable          = "unavailable"
	codeTimeout              = "timeout"
	codeInsufficientStorage  = "insufficient_storage"
)

// errorBody is the one shape of every error response:
//
//	{"error":{"code":"invalid_parameter","message":"limit must be between 1 and 100"}}
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError aborts the request with an error response.
func writeError(c *gin.Context, status int, code, message string) {
	c.Abort()
	writeJSON(c, status, errorBody{errorDetail{Code: code, Message: message}})
}

// fail answers err, returned by the core, with the status and code that errors.Is finds for it. The
// message of a client error is the core's, without the sentinel's own prefix; a server error gets a
// generic message, and its text goes to the log (through c.Error) only.
func fail(c *gin.Context, err error) {
	status, code := statusOf(err)
	msg := err.Error()
	switch {
	case code == codeTimeout:
		c.Error(err)
		msg = timeoutMessage(c)
	case code == codeInsufficientStorage:
		c.Error(err)
		msg = "the server's disk is full: nothing of this write was stored; try again once space is freed"
	case status == http.StatusServiceUnavailable:
		c.Error(err)
		msg = "the index is not available; try again later"
	case status >= 500:
		c.Error(err)
		msg = "internal error"
	default:
		for _, sentinel := range []error{index.ErrBadRequest, index.ErrBadQuery, index.ErrInvalidPaper} {
			msg = strings.TrimPrefix(msg, sentinel.Error()+": ")
		}
	}
	writeError(c, status, code, msg)
}

// statusOf maps an error of the core to an HTTP status and an error code. It is the only place that
// does. Only the errors about the request itself are 4xx; everything else, a storage failure or a
// damaged index included, is a 5xx whose text goes to the log only.
func statusOf(err error) (int, string) {
	switch {
	case errors.Is(err, index.ErrNotFound):
		return http.StatusNotFound, codeNotFound
	case errors.Is(err, index.ErrBadQuery):
		return http.StatusBadRequest, codeBadQuery
	case errors.Is(err, index.ErrBadRequest), errors.Is(err, index.ErrInvalidPaper):
		return http.StatusBadRequest, codeInvalidParameter
	case errors.Is(err, index.ErrNoSpace):
		return http.StatusInsufficientStorage, codeInsufficientStorage
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, codeTimeout
	case errors.Is(err, index.ErrClosed), errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, codeUnavailable
	}
	return http.StatusInternalServerError, codeInternal
}

// writeJSON writes v as the response body. HTML is not escaped: highlights are HTML fragments meant to
// be read as such, and nosniff keeps browsers from reading a JSON body as a page.
func writeJSON(c *gin.Context, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		c.Error(err)
		status = http.StatusInternalServerError
		b.Reset()
		b.WriteString(`{"error":{"code":"internal","message":"internal error"}}` + "\n")
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	c.Status(status)
	c.Writer.Write(b.Bytes())
}

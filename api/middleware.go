package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// routeKey is the context key under which a handler that serves a path no route matched names it for
// the logs and metrics ("ui"); routed requests are named by their route template.
const routeKey = "kindred.route"

// routeOf is the route template of the request, bounded in number as a metrics label must be.
func routeOf(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	if r := c.GetString(routeKey); r != "" {
		return r
	}
	return "unmatched"
}

// recovery turns a panic in a handler into a logged 500 with the usual error shape. It runs inside the
// access log and the metrics, so that they count the 500, and answers through the writer it was given,
// not one a later middleware (gzip) swapped in and never finished. It re-panics http.ErrAbortHandler,
// which net/http uses to abort a response on purpose.
func recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		w := c.Writer
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if err, ok := r.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(r)
			}
			c.Writer = w
			log.Error("panic", "method", c.Request.Method, "path", c.Request.URL.Path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				writeError(c, http.StatusInternalServerError, codeInternal, "internal error")
			}
			c.Abort()
		}()
		c.Next()
	}
}

// accessLog logs one record per request: method, path (without the query, which may be long or
// private), route, status, latency and bytes written, plus the internal error of a failed request.
func accessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		attrs := []slog.Attr{
			slog.String("method", c.Request.Method),
			slog.String("path", c.Request.URL.Path),
			slog.String("route", routeOf(c)),
			slog.Int("status", status),
			slog.Duration("latency", time.Since(start)),
			slog.Int("bytes", max(c.Writer.Size(), 0)),
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		if len(c.Errors) > 0 {
			attrs = append(attrs, slog.String("error", c.Errors.String()))
		}
		log.LogAttrs(c.Request.Context(), level, "request", attrs...)
	}
}

// limitBody refuses a body longer than limit with 413: at once when Content-Length says so, else when a
// handler reads past the limit (the handler sees an *http.MaxBytesError and answers 413 itself).
func limitBody(limit int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > limit {
			writeError(c, http.StatusRequestEntityTooLarge, codePayloadTooLarge, tooLargeMessage(limit))
			return
		}
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}

func tooLargeMessage(limit int64) string {
	return "the request body is larger than " + strconv.FormatInt(limit, 10) + " bytes"
}

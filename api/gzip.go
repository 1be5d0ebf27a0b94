package api

import (
	"compress/gzip"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// gzipResponses compresses response bodies of at least minSize bytes for clients that accept gzip.
// It holds back the first minSize bytes to learn whether the body reaches that size; a response that
// already has a Content-Encoding (a pre-compressed asset), a partial response, or a type that does not
// compress (images, fonts) is passed through untouched.
func gzipResponses(minSize int) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Method == http.MethodHead || c.Request.Header.Get("Range") != "" || !acceptsGzip(c.Request.Header.Get("Accept-Encoding")) {
			c.Next()
			return
		}
		orig := c.Writer
		w := &gzipWriter{ResponseWriter: orig, minSize: minSize}
		c.Writer = w
		c.Next()
		// Not deferred: after a panic the buffered start of a body must not go out; recovery answers.
		w.finish()
		c.Writer = orig
	}
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip (and does not give it q=0).
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

var gzipPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }}

// gzipWriter buffers the start of a body until it can decide whether to compress it.
type gzipWriter struct {
	gin.ResponseWriter
	minSize int
	buf     []byte
	decided bool
	gz      *gzip.Writer // nil: pass through
}

func (w *gzipWriter) Write(p []byte) (int, error) {
	if !w.decided {
		if len(w.buf)+len(p) < w.minSize {
			w.buf = append(w.buf, p...)
			return len(p), nil
		}
		w.decide(true)
		if err := w.flushBuf(); err != nil {
			return 0, err
		}
	}
	if w.gz != nil {
		return w.gz.Write(p)
	}
	return w.ResponseWriter.Write(p)
}

func (w *gzipWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// Flush sends what is buffered; a body flushed before it reached minSize is sent uncompressed.
func (w *gzipWriter) Flush() {
	if !w.decided {
		w.decide(false)
		w.flushBuf()
	}
	if w.gz != nil {
		w.gz.Flush()
	}
	w.ResponseWriter.Flush()
}

// decide chooses compression once the body is known to be big (or not).
func (w *gzipWriter) decide(big bool) {
	w.decided = true
	h := w.Header()
	st := w.Status()
	if !big || st < 200 || st == http.StatusNoContent || st == http.StatusNotModified || st == http.StatusPartialContent ||
		h.Get("Content-Encoding") != "" || h.Get("Content-Range") != "" || !compressible(h.Get("Content-Type")) {
		return
	}
	h.Del("Content-Length")
	h.Set("Content-Encoding", "gzip")
	h.Add("Vary", "Accept-Encoding")
	gz := gzipPool.Get().(*gzip.Writer)
	gz.Reset(w.ResponseWriter)
	w.gz = gz
}

func (w *gzipWriter) flushBuf() error {
	if len(w.buf) == 0 {
		return nil
	}
	var err error
	if w.gz != nil {
		_, err = w.gz.Write(w.buf)
	} else {
		_, err = w.ResponseWriter.Write(w.buf)
	}
	w.buf = nil
	return err
}

// finish writes out a small body, or ends the gzip stream.
func (w *gzipWriter) finish() {
	if !w.decided {
		w.decide(false)
		w.flushBuf()
	}
	if w.gz != nil {
		w.gz.Close()
		w.gz.Reset(nil)
		gzipPool.Put(w.gz)
		w.gz = nil
	}
}

// compressible reports whether a media type is text-like enough to gain from gzip.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		mt == "application/json", mt == "application/javascript", mt == "application/xml",
		mt == "image/svg+xml", strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"),
		mt == "application/x-bibtex", mt == "application/x-research-info-systems":
		return true
	}
	return false
}

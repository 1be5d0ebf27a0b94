package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// mediaType is the request's Content-Type without parameters, lower-cased; "" when absent or malformed.
func mediaType(c *gin.Context) string {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil {
		return ""
	}
	return strings.ToLower(mt)
}

// readBody reads the whole request body, which limitBody has bounded. On failure it has answered the
// request (413 past the limit, 400 for an empty or unreadable body) and returns false.
func readBody(c *gin.Context) ([]byte, bool) {
	if c.Request.Body == nil {
		writeError(c, http.StatusBadRequest, codeBadJSON, "the request body is empty")
		return nil, false
	}
	b, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(c, http.StatusRequestEntityTooLarge, codePayloadTooLarge, tooLargeMessage(tooBig.Limit))
		return nil, false
	case err != nil:
		writeError(c, http.StatusBadRequest, codeBadJSON, "cannot read the request body")
		return nil, false
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	if len(bytes.TrimSpace(b)) == 0 {
		writeError(c, http.StatusBadRequest, codeBadJSON, "the request body is empty")
		return nil, false
	}
	return b, true
}

// decodeJSON decodes a JSON object body into v, refusing unknown fields. On failure it has answered
// the request (415, 413 or 400 with where the JSON went wrong) and returns false.
func decodeJSON(c *gin.Context, v any) bool {
	if mediaType(c) != "application/json" {
		writeError(c, http.StatusUnsupportedMediaType, codeUnsupportedMediaType, "Content-Type must be application/json")
		return false
	}
	b, ok := readBody(c)
	if !ok {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			off := dec.InputOffset()
			rest := bytes.TrimLeft(b[off:], " \t\r\n")
			err = fmt.Errorf("unexpected data after the JSON value at %s", position(b, int64(len(b)-len(rest))))
		}
	}
	if err != nil {
		writeError(c, http.StatusBadRequest, codeBadJSON, jsonMessage(b, err))
		return false
	}
	return true
}

// jsonMessage explains a decoding error of body, with the line, column and byte offset of a syntax
// error and the field of a type error.
func jsonMessage(body []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at %s: %s", position(body, syn.Offset-1), strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Sprintf("invalid JSON: got %s, want %s", typ.Value, jsonType(typ))
		}
		return fmt.Sprintf("invalid JSON: field %q: got %s, want %s", strings.TrimPrefix(typ.Field, "RankParams."), typ.Value, jsonType(typ))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Sprintf("invalid JSON at %s: unexpected end of input", position(body, int64(len(body))))
	}
	return "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")
}

// jsonType names the JSON type a Go type decodes from.
func jsonType(e *json.UnmarshalTypeError) string {
	switch t := e.Type.String(); {
	case t == "string":
		return "string"
	case t == "int", t == "float64", t == "*int", t == "*float64":
		return "number"
	case strings.HasPrefix(t, "[]"):
		return "array"
	case strings.HasPrefix(t, "api.") || strings.HasPrefix(t, "struct"):
		return "object"
	default:
		return t
	}
}

// position locates the byte at offset off (0-based) of body as "line L, column C (byte offset N)", with
// 1-based lines and columns counted in bytes.
func position(body []byte, off int64) string {
	off = min(max(off, 0), int64(len(body)))
	before := body[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return fmt.Sprintf("line %d, column %d (byte offset %d)", line, col, off)
}

package api

import (
	"errors"
	"net/http"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"deflate, gzip;q=0.8, br", true},
		{"br", false},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"*", false},
	}
	for _, tt := range tests {
		if got := acceptsGzip(tt.header); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestCompressible(t *testing.T) {
	tests := []struct {
		contentType string
		want        bool
	}{
		{"application/json; charset=utf-8", true},
		{"text/html; charset=utf-8", true},
		{"text/plain; version=0.0.4", true},
		{"image/svg+xml", true},
		{"application/problem+json", true},
		{"application/javascript", true},
		{"image/png", false},
		{"font/woff2", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := compressible(tt.contentType); got != tt.want {
			t.Errorf("compressible(%q) = %v, want %v", tt.contentType, got, tt.want)
		}
	}
}

func TestPosition(t *testing.T) {
	body := []byte("[\n  {\"a\": x}\n]")
	tests := []struct {
		off  int64
		want string
	}{
		{0, "line 1, column 1 (byte offset 0)"},
		{1, "line 1, column 2 (byte offset 1)"},
		{2, "line 2, column 1 (byte offset 2)"},
		{10, "line 2, column 9 (byte offset 10)"},
		{99, "line 3, column 2 (byte offset 14)"},
		{-5, "line 1, column 1 (byte offset 0)"},
	}
	for _, tt := range tests {
		if got := position(body, tt.off); got != tt.want {
			t.Errorf("position(%d) = %q, want %q", tt.off, got, tt.want)
		}
	}
}

func TestStatusOfUnknownError(t *testing.T) {
	if st, code := statusOf(errors.New("disk on fire")); st != http.StatusInternalServerError || code != codeInternal {
		t.Errorf("statusOf(unknown) = %d %s, want 500 internal", st, code)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kindred-search/kindred/api"
	"github.com/kindred-search/kindred/index"
)

// searcher is what search and related ask: the index itself, opened read-only, or the JSON API of
// the `kindred serve` that holds it open. *index.Index implements it.
type searcher interface {
	Search(ctx context.Context, req index.Request) (index.Response, error)
	Resolve(ctx context.Context, ref string) (string, error)
	Related(ctx context.Context, id string, req index.RelatedRequest) (index.Response, error)
	Similar(ctx context.Context, text string, req index.RelatedRequest) (index.Response, error)
	Recommend(ctx context.Context, req index.RecommendRequest) (index.Response, error)
	Close() error
}

var _ searcher = (*index.Index)(nil)

// openSearcher opens the index in dir read-only; when a running `kindred serve` holds it (the index
// is locked and DIR/SERVER names the server), it asks that server instead, so the same commands
// work while the server runs.
func openSearcher(ctx context.Context, dir string) (searcher, error) {
	ix, err := openReadOnly(ctx, dir)
	if err == nil {
		return ix, nil
	}
	if !errors.Is(err, index.ErrLocked) {
		return nil, err
	}
	sf, ferr := readServerFile(dir)
	if ferr != nil {
		return nil, err // locked by something else, such as a `kindred index` running
	}
	c := &remote{base: strings.TrimSuffix(sf.URL, "/"), client: &http.Client{Timeout: 2 * time.Minute}}
	if herr := c.ping(ctx); herr != nil {
		return nil, fmt.Errorf("%w; %s names the server %s (pid %d), which does not answer: %v",
			err, filepath.Join(dir, serverFileName), sf.URL, sf.PID, herr)
	}
	return c, nil
}

// remote asks a Kindred server's JSON API what searcher asks the index, and maps the answers and
// errors back to the engine's, so the commands print the same.
type remote struct {
	base   string // "http://127.0.0.1:8080"
	client *http.Client
}

func (c *remote) Close() error { return nil }

func (c *remote) ping(ctx context.Context) error {
	var out struct {
		Status string `json:"status"`
	}
	return c.do(ctx, http.MethodGet, "/healthz", nil, &out)
}

// rankQuery writes the ranking options as the API's query parameters.
func rankQuery(rk index.Ranking) url.Values {
	v := url.Values{}
	if rk.Mode != "" {
		v.Set("mode", string(rk.Mode))
	}
	if rk.Limit != 0 {
		v.Set("limit", strconv.Itoa(rk.Limit))
	}
	if rk.Offset != 0 {
		v.Set("offset", strconv.Itoa(rk.Offset))
	}
	if !rk.Filter.From.IsZero() {
		v.Set("from", rk.Filter.From.String())
	}
	if !rk.Filter.To.IsZero() {
		v.Set("to", rk.Filter.To.String())
	}
	if len(rk.Filter.Categories) > 0 {
		v.Set("category", strings.Join(rk.Filter.Categories, ","))
	}
	if rk.Fusion != "" {
		v.Set("fusion", string(rk.Fusion))
	}
	if rk.Alpha != nil {
		v.Set("alpha", strconv.FormatFloat(*rk.Alpha, 'g', -1, 64))
	}
	return v
}

func (c *remote) Search(ctx context.Context, req index.Request) (index.Response, error) {
	v := rankQuery(req.Ranking)
	v.Set("q", req.Query)
	if req.Strict {
		v.Set("syntax", "strict")
	}
	var out api.Results
	err := c.do(ctx, http.MethodGet, "/api/search?"+v.Encode(), nil, &out)
	return out.Response(), err
}

func (c *remote) Resolve(ctx context.Context, ref string) (string, error) {
	var p struct {
		ID string `json:"id"`
	}
	err := c.do(ctx, http.MethodGet, "/api/papers/"+url.PathEscape(ref), nil, &p)
	return p.ID, err
}

func (c *remote) Related(ctx context.Context, id string, req index.RelatedRequest) (index.Response, error) {
	var out api.Results
	err := c.do(ctx, http.MethodGet, "/api/papers/"+url.PathEscape(id)+"/related?"+rankQuery(req.Ranking).Encode(), nil, &out)
	return out.Response(), err
}

func (c *remote) Similar(ctx context.Context, text string, req index.RelatedRequest) (index.Response, error) {
	body := struct {
		Text string `json:"text"`
		api.RankParams
	}{text, api.NewRankParams(req.Ranking)}
	var out api.Results
	err := c.do(ctx, http.MethodPost, "/api/similar", body, &out)
	return out.Response(), err
}

func (c *remote) Recommend(ctx context.Context, req index.RecommendRequest) (index.Response, error) {
	body := struct {
		Positive []string `json:"positive"`
		Negative []string `json:"negative,omitempty"`
		api.RankParams
	}{req.Positive, req.Negative, api.NewRankParams(req.Ranking)}
	var out api.Results
	err := c.do(ctx, http.MethodPost, "/api/recommend", body, &out)
	return out.Response(), err
}

// do sends one request and decodes the JSON answer into out, or the API's error into an error that
// errors.Is matches with the engine's sentinel and that reads as the engine's own would.
func (c *remote) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("ask the server: %w", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("read the server's answer: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		return apiError(res.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("read the server's answer: %w", err)
	}
	return nil
}

// remoteError is an error the server answered, with the engine's sentinel it stands for.
type remoteError struct {
	msg  string
	kind error
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.kind }

// apiError turns the API's error body ({"error": {"code", "message"}}) back into the engine's error.
// The API strips the sentinel's prefix from client errors; it is put back, so the message reads
// as the engine's.
func apiError(status int, body []byte) error {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error.Code == "" {
		return fmt.Errorf("the server answered %d %s", status, http.StatusText(status))
	}
	msg := e.Error.Message
	switch e.Error.Code {
	case "bad_query":
		return &remoteError{index.ErrBadQuery.Error() + ": " + msg, index.ErrBadQuery}
	case "invalid_parameter":
		return &remoteError{index.ErrBadRequest.Error() + ": " + msg, index.ErrBadRequest}
	case "not_found":
		return &remoteError{msg, index.ErrNotFound}
	case "unavailable":
		return &remoteError{"the server is shutting down: " + msg, index.ErrClosed}
	}
	return fmt.Errorf("the server answered %d: %s", status, msg)
}

// Package api is Kindred's HTTP interface: JSON endpoints over a Core (the engine, *index.Index), and
// the web UI's handler mounted beside them.
//
//	ix, err := index.Open(ctx, dir, index.DefaultOptions())
//	...
//	h := api.New(ix, api.Options{AdminToken: token, UI: ui})
//	srv := &http.Server{Addr: "127.0.0.1:8080", Handler: h}
//
// # Basics
//
// A handler decodes the request, makes one call into the Core, maps the error and encodes the result;
// ranking lives in the engine. Every error has one shape,
//
//	{"error":{"code":"invalid_parameter","message":"limit must be between 1 and 100"}}
//
// and statusOf is the one place where the engine's errors become statuses. Bad input always gets a
// 4xx; a 5xx means a bug or an unavailable index, and its cause goes to the log, never to the client.
//
// The endpoints are listed in the repository README ("HTTP API") and described by the OpenAPI document served at
// /api/openapi.json. Writes (POST /api/papers, DELETE /api/papers/{id}) need Options.AdminToken.
//
// Every request goes through an access log (log/slog), Prometheus metrics in a registry of the
// handler's own (served at /metrics), panic recovery, a request-body limit (413) and gzip compression of
// large responses, in that order. Reads also get a deadline (Options.Timeout, 503 timeout past it) and
// /api/ requests a check of their query string (limits.go).
//
// # Caveats
//
// Paper IDs may hold a slash (hep-th/9901001), and so do the references GET /api/papers/{id} and
// related papers accept (arXiv and doi.org links, DOIs); clients must escape it as %2F in paths.
// DELETE takes the exact ID only.
package api

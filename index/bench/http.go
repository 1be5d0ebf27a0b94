package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// HTTPStage is the outcome of concurrent clients running hybrid searches through HTTP. A request
// fails when it gets no response, or one other than 200, or its body cannot be read.
type HTTPStage struct {
	Clients    int     `json:"clients"`
	Requests   int     `json:"requests"`
	Seconds    float64 `json:"seconds"`
	QPS        float64 `json:"qps"` // successful requests a second
	HybridP50  float64 `json:"hybrid_p50_ms"`
	HybridP99  float64 `json:"hybrid_p99_ms"`
	Errors     int     `json:"errors"`
	FirstError string  `json:"first_error,omitempty"`
}

func (s HTTPStage) String() string {
	out := fmt.Sprintf("%d requests in %.1f s, %.0f q/s, p50 %.2f ms, p99 %.2f ms, %d errors",
		s.Requests, s.Seconds, s.QPS, s.HybridP50, s.HybridP99, s.Errors)
	if s.FirstError != "" {
		out += " (first: " + s.FirstError + ")"
	}
	return out
}

// requestTimeout bounds one HTTP request; a request that takes longer fails.
const requestTimeout = 30 * time.Second

// httpStages serves h on a loopback port and runs one stage of hybrid searches for qs for each number
// of clients in opts.Clients.
func httpStages(ctx context.Context, h http.Handler, qs []string, opts Options, say func(string, ...any)) (map[string]HTTPStage, error) {
	out := map[string]HTTPStage{}
	err := serveLoopback(ctx, h, func(base string) error {
		client := newClient(slices.Max(opts.Clients))
		defer client.CloseIdleConnections()
		for _, c := range opts.Clients {
			st, err := loadHTTP(ctx, client, base, qs, c, opts)
			if err != nil {
				return err
			}
			out[fmt.Sprintf("c%d", c)] = st
			say("http, c%d: %s", c, st)
		}
		return nil
	})
	return out, err
}

// serveLoopback serves h on a free loopback port while fn runs with the server's base URL.
func serveLoopback(ctx context.Context, h http.Handler, fn func(base string) error) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 2 * requestTimeout, IdleTimeout: time.Minute}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	err = fn("http://" + ln.Addr().String())
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if serr := srv.Shutdown(sctx); serr != nil {
		err = errors.Join(err, fmt.Errorf("bench: shut the server down: %w", serr))
	}
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, fmt.Errorf("bench: serve: %w", serr))
	}
	return err
}

// newClient returns a client that keeps a connection open for each of up to clients concurrent
// requests, so that a stage measures requests, not connection set-up. It never uses a proxy.
func newClient(clients int) *http.Client {
	return &http.Client{
		Timeout: requestTimeout,
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns:        max(clients, 32),
			MaxIdleConnsPerHost: max(clients, 32),
			IdleConnTimeout:     time.Minute,
		},
	}
}

// loadHTTP runs hybrid searches for qs, in turn, from the given number of concurrent clients until
// opts.HTTPDuration has passed or opts.HTTPRequests have been sent. Requests under way at the
// deadline finish and count.
func loadHTTP(ctx context.Context, client *http.Client, base string, qs []string, clients int, opts Options) (HTTPStage, error) {
	urls := make([]string, len(qs))
	for i, q := range qs {
		urls[i] = base + "/api/search?" + url.Values{"q": {q}, "mode": {"hybrid"}, "limit": {strconv.Itoa(opts.Limit)}}.Encode()
	}
	type worker struct {
		ds    []time.Duration
		errs  int
		first error
	}
	ws := make([]worker, clients)
	var next atomic.Int64
	start := time.Now()
	deadline := start.Add(opts.HTTPDuration)
	var wg sync.WaitGroup
	for w := range ws {
		wg.Go(func() {
			me := &ws[w]
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := int(next.Add(1) - 1)
				if opts.HTTPRequests > 0 && i >= opts.HTTPRequests {
					return
				}
				t := time.Now()
				if err := get(ctx, client, urls[i%len(urls)]); err != nil {
					me.errs++
					if me.first == nil {
						me.first = err
					}
					continue
				}
				me.ds = append(me.ds, time.Since(t))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := ctx.Err(); err != nil {
		return HTTPStage{}, err
	}
	st := HTTPStage{Clients: clients, Seconds: round(elapsed.Seconds(), 3)}
	var all []time.Duration
	for _, w := range ws {
		all = append(all, w.ds...)
		st.Errors += w.errs
		if w.first != nil && st.FirstError == "" {
			st.FirstError = w.first.Error()
		}
	}
	st.Requests = len(all) + st.Errors
	st.QPS = round(float64(len(all))/elapsed.Seconds(), 1)
	if len(all) > 0 {
		st.HybridP50, st.HybridP99 = ms(Percentile(all, 50)), ms(Percentile(all, 99))
	}
	return st, nil
}

// get fetches u and reads the whole body, as a browser would.
func get(ctx context.Context, client *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
)

type getFunc func(context.Context, string) (paper.Paper, error)

func isNotFound(err error) bool { return errors.Is(err, index.ErrNotFound) }

// TestCrashAPI runs `kindred serve` with writes enabled and a save every 200 ms over an index seeded
// with an HNSW graph, lets clients upsert batches of 1 to 20 papers, replace some and delete some,
// and kills the server at a random moment (every third time as soon as it saves vectors.bin). The
// index must then reopen, pass Check, and hold every acknowledged upsert and no acknowledged delete;
// the next server starts from the same directory, so the state accumulates across restarts.
func TestCrashAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("kills real processes; skipped with -short")
	}
	kills := crashEnvInt(t, "KINDRED_CRASH_ITERATIONS", 5)
	rng := crashRng(t)
	bin := kindredBinary(t)
	corpus, seeded := synthCorpus(t, bin, 300)
	dir := filepath.Join(t.TempDir(), "data")
	if code, stdout, stderr := runKindred(t, bin, 5*time.Minute, "index", "--quiet", "--vector-index", "hnsw", "--data", dir, corpus); code != exitOK {
		t.Fatalf("seeding the index: exit %d\n%s%s", code, stdout, stderr)
	}

	const token = "crash-test-token"
	seed := &apiClient{name: "seed", state: map[string]apiState{}}
	for _, p := range seeded {
		seed.state[p.ID] = apiState{true, p.Title}
	}
	clients := []*apiClient{seed}
	for c := range 2 {
		clients = append(clients, &apiClient{name: fmt.Sprint("c", c), token: token, pool: seeded,
			state: map[string]apiState{}, pending: map[string][]apiState{}})
	}
	stages := stageCounts{}
	for i := range kills {
		p := startKindred(t, bin, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--admin-token", token,
			"--sample=false", "--save-every", "200ms")
		base := "http://" + p.listening(t, time.Minute)

		ctx, cancel := context.WithCancel(t.Context())
		hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{}}
		var wg sync.WaitGroup
		for _, c := range clients[1:] {
			crng := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
			wg.Go(func() { c.run(ctx, t, hc, base, crng) })
		}
		atSave := i%3 == 1
		deadline := time.Now().Add(uniform(rng, 100*time.Millisecond, 1500*time.Millisecond))
		if atSave {
			deadline = time.Now().Add(10 * time.Second)
		}
		stage, after := killAt(p, dir, deadline, atSave, "serving writes", false)
		cancel()
		wg.Wait()
		hc.CloseIdleConnections()
		if stage == stageExited {
			t.Fatalf("the server exited by itself: %v\n%s", p.err, p.stderr)
		}
		stages[stage]++

		ix := readOnlyIndex(t, dir, stage)
		want := 0
		var acked apiAcks
		for _, c := range clients {
			want += c.verify(t, ix.Get, stage)
			acked.add(c.acked)
		}
		if got := ix.Count(); got != want {
			t.Fatalf("killed %s: the index holds %d papers, the clients' acknowledged writes leave %d", stage, got, want)
		}
		ix.Close()
		t.Logf("kill %d: %s, %s after start; %d papers; acknowledged so far: %s",
			i+1, stage, after.Round(time.Millisecond), want, acked)
	}
	var acked apiAcks
	for _, c := range clients {
		acked.add(c.acked)
	}
	if acked.upserts == 0 || acked.deletes == 0 {
		t.Errorf("the clients got too few writes acknowledged to test anything: %s", acked)
	}
	t.Logf("%d kills of kindred serve: %s; acknowledged %s", kills, stages, acked)
}

// apiState is what a client knows of one of its papers: present with a title, or deleted.
type apiState struct {
	present bool
	title   string
}

type apiAcks struct{ upserts, papers, deletes int }

func (a *apiAcks) add(b apiAcks) {
	a.upserts += b.upserts
	a.papers += b.papers
	a.deletes += b.deletes
}

func (a apiAcks) String() string {
	return fmt.Sprintf("%d upserts of %d papers, %d deletes", a.upserts, a.papers, a.deletes)
}

// apiClient writes papers with IDs of its own ("api-NAME-000001"), one request at a time, and records
// the outcome: state after acknowledged writes; pending, for a write whose answer never came, the
// states the paper may be in.
type apiClient struct {
	name, token string
	pool        []paper.Paper // texts to reuse
	next        int
	state       map[string]apiState
	pending     map[string][]apiState
	acked       apiAcks
	errors      int // lost or undone writes found by verify
}

// run writes until ctx is done or a request fails (the server was killed).
func (c *apiClient) run(ctx context.Context, t *testing.T, hc *http.Client, base string, rng *rand.Rand) {
	for ctx.Err() == nil {
		var present []string
		for id, s := range c.state {
			if s.present {
				present = append(present, id)
			}
		}
		slices.Sort(present)
		var ok bool
		switch u := rng.Float64(); {
		case u < 0.2 && len(present) > 0:
			ok = c.delete(ctx, t, hc, base, present[rng.IntN(len(present))])
		case u < 0.35 && len(present) > 0:
			ids := make([]string, 1+rng.IntN(min(5, len(present))))
			for i := range ids {
				ids[i] = present[rng.IntN(len(present))]
			}
			ok = c.upsert(ctx, t, hc, base, rng, ids)
		default:
			ids := make([]string, 1+rng.IntN(20))
			for i := range ids {
				c.next++
				ids[i] = fmt.Sprintf("api-%s-%06d", c.name, c.next)
			}
			ok = c.upsert(ctx, t, hc, base, rng, ids)
		}
		if !ok {
			return
		}
	}
}

func (c *apiClient) request(ctx context.Context, hc *http.Client, method, url, ctype string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// upsert writes ids (repeats allowed: the last one wins) with fresh titles, as a JSON array or NDJSON.
func (c *apiClient) upsert(ctx context.Context, t *testing.T, hc *http.Client, base string, rng *rand.Rand, ids []string) bool {
	var body bytes.Buffer
	ndjson := rng.IntN(2) == 0
	after := map[string]apiState{}
	if !ndjson {
		body.WriteByte('[')
	}
	for i, id := range ids {
		src := c.pool[rng.IntN(len(c.pool))]
		p := paper.Paper{ID: id, Title: fmt.Sprintf("%s (%s #%d)", src.Title, c.name, rng.Uint32()), Abstract: src.Abstract,
			Categories: src.Categories, Published: src.Published}
		b, _ := json.Marshal(p)
		if i > 0 && !ndjson {
			body.WriteByte(',')
		}
		body.Write(b)
		if ndjson {
			body.WriteByte('\n')
		}
		after[id] = apiState{true, p.Title}
	}
	ctype := "application/x-ndjson"
	if !ndjson {
		body.WriteByte(']')
		ctype = "application/json"
	}
	for id, s := range after {
		c.pending[id] = []apiState{c.state[id], s}
	}
	status, resp, err := c.request(ctx, hc, "POST", base+"/api/papers", ctype, body.Bytes())
	if err != nil {
		return false // no answer: the outcome stays pending
	}
	var r struct{ Accepted, Rejected int }
	if status != http.StatusOK || json.Unmarshal(resp, &r) != nil || r.Accepted != len(ids) || r.Rejected != 0 {
		t.Errorf("upsert of %d papers: %d %s", len(ids), status, resp)
		return false
	}
	for id, s := range after {
		c.state[id] = s
		delete(c.pending, id)
	}
	c.acked.upserts++
	c.acked.papers += len(ids)
	return true
}

func (c *apiClient) delete(ctx context.Context, t *testing.T, hc *http.Client, base, id string) bool {
	c.pending[id] = []apiState{c.state[id], {}}
	status, resp, err := c.request(ctx, hc, "DELETE", base+"/api/papers/"+url.PathEscape(id), "", nil)
	if err != nil {
		return false
	}
	if status != http.StatusNoContent {
		t.Errorf("delete %s, acknowledged present: %d %s", id, status, resp)
		return false
	}
	c.state[id] = apiState{}
	delete(c.pending, id)
	c.acked.deletes++
	return true
}

// verify checks every paper the client wrote against the index, settles the pending ones to what the
// index holds, and returns how many of its papers are present.
func (c *apiClient) verify(t *testing.T, get getFunc, stage string) int {
	t.Helper()
	ids := make([]string, 0, len(c.state)+len(c.pending))
	for id := range c.state {
		ids = append(ids, id)
	}
	for id := range c.pending {
		if _, ok := c.state[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	present := 0
	for _, id := range ids {
		if t.Failed() && c.errors >= 10 {
			t.Fatalf("killed %s: too many errors", stage)
		}
		var got apiState
		p, err := get(t.Context(), id)
		switch {
		case err == nil:
			got = apiState{true, p.Title}
		case !isNotFound(err):
			t.Fatalf("killed %s: get %s: %v", stage, id, err)
		}
		if alts, ok := c.pending[id]; ok {
			if !slices.Contains(alts, got) {
				c.errors++
				t.Errorf("killed %s: %s is %+v, neither the state before its unanswered write nor after: %+v", stage, id, got, alts)
			}
			delete(c.pending, id)
		} else if want := c.state[id]; got != want {
			c.errors++
			switch {
			case want.present && !got.present:
				t.Errorf("killed %s: acknowledged upsert of %s lost", stage, id)
			case !want.present && got.present:
				t.Errorf("killed %s: acknowledged delete of %s undone", stage, id)
			default:
				t.Errorf("killed %s: %s has title %q, the acknowledged upsert %q", stage, id, got.title, want.title)
			}
		}
		c.state[id] = got
		if got.present {
			present++
		}
	}
	return present
}

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kindred-search/kindred/index"
)

// kindred runs the command line and returns its exit code, stdout and stderr.
func kindred(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestSampleApart: serve loads the sample into an empty directory and says so in the UI; a later
// index of the user's own files removes the sample first and says so; the sample never comes back.
func TestSampleApart(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := startServe(t, "--data", dir, "--addr", "127.0.0.1:0")
	sf, ok, err := readSampleFile(dir)
	if err != nil || !ok || len(sf.IDs) != 63 || sf.Corpus != "daily-papers.txt" {
		t.Fatalf("DIR/SAMPLE: %+v, %v, %v", sf, ok, err)
	}
	if _, body := httpDo(t, "GET", base+"/", ""); !strings.Contains(string(body), "This is the built-in sample:") {
		t.Errorf("the home page does not say it is the built-in sample")
	}
	if code := stop(); code != exitOK {
		t.Fatalf("serve: exit %d", code)
	}

	papers := writeInput(t, t.TempDir(), "mine.jsonl", `{"id": "m1", "title": "My quokka paper", "abstract": "Quokkas in the wild."}`+"\n"+
		`{"id": "m2", "title": "My numbat paper", "abstract": "Numbats in the wild."}`+"\n")
	code, stdout, stderr := kindred(t, "index", "--quiet", "--data", dir, papers)
	if code != exitOK {
		t.Fatalf("index: exit %d: %s", code, stderr)
	}
	if want := dir + " held the built-in sample corpus, which kindred serve loads into an empty directory: removed its 63 papers before adding yours"; !strings.Contains(stdout, want) {
		t.Errorf("index output lacks %q:\n%s", want, stdout)
	}
	if !strings.Contains(stdout, "now holds 2 papers") {
		t.Errorf("index output:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, sampleFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("DIR/SAMPLE left behind: %v", err)
	}

	// A second index says nothing about the sample; serve neither reloads it nor calls it the sample.
	if _, stdout, _ := kindred(t, "index", "--quiet", "--data", dir, papers); strings.Contains(stdout, "sample") {
		t.Errorf("second index mentions the sample:\n%s", stdout)
	}
	base, logs, stop := startServe(t, "--data", dir, "--addr", "127.0.0.1:0")
	if _, body := httpDo(t, "GET", base+"/", ""); strings.Contains(string(body), "built-in sample") || !strings.Contains(string(body), "<strong>2</strong> papers") {
		t.Errorf("the home page after indexing my papers:\n%s", body)
	}
	if strings.Contains(logs.String(), "loaded the built-in sample") {
		t.Errorf("the sample was loaded again:\n%s", logs)
	}
	stop()
}

var tookRE = regexp.MustCompile(`(, )[0-9.]+[µnm]?s\)\n|("took_ms": )[0-9.e-]+`)

// TestCLIWhileServing: while serve holds the data directory, search and related ask it through
// DIR/SERVER and print what they print when they open the index themselves.
func TestCLIWhileServing(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := startServe(t, "--data", dir, "--addr", "127.0.0.1:0")
	sf, err := readServerFile(dir)
	if err != nil || sf.URL != base+"/" || sf.PID != os.Getpid() {
		t.Fatalf("DIR/SERVER: %+v, %v; want %s/ and pid %d", sf, err, base, os.Getpid())
	}
	ids := sampleIDs(t, dir)
	commands := [][]string{
		{"search", "pruning", "language", "models"},
		{"search", "--mode", "keyword", "--limit", "3", "--offset", "2", "--explain", "sparse"},
		{"search", "--format", "json", "--from", "2024", "--category", "cs.XX", "attention"},
		{"search", "--format", "bibtex", "--limit", "2", "diffusion"},
		{"search", `"unclosed quote`},
		{"related", "--limit", "3", ids[0]},
		{"related", "--limit", "3", "--format", "json", "--mode", "vector", ids[1]},
		{"related", "--limit", "3", "--text", "We prune large language models without retraining."},
		{"related", "--limit", "3", ids[0], ids[1], "--not", ids[2]},
	}
	failing := [][]string{
		{"search", "--strict", `"unclosed quote`},
		{"related", "no-such-paper"},
	}
	type outcome struct {
		code           int
		stdout, stderr string
	}
	runAll := func() []outcome {
		var out []outcome
		for _, c := range append(commands, failing...) {
			code, stdout, stderr := kindred(t, append(c[:1:1], append([]string{"--data", dir}, c[1:]...)...)...)
			out = append(out, outcome{code, tookRE.ReplaceAllString(stdout, "${1}${2}T"), stderr})
		}
		return out
	}
	served := runAll()
	if code := stop(); code != exitOK {
		t.Fatalf("serve: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, serverFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("DIR/SERVER left after shutdown: %v", err)
	}
	direct := runAll()
	for i, c := range append(commands, failing...) {
		s, d := served[i], direct[i]
		if s != d {
			t.Errorf("%q through the server:\nexit %d\n%s%s\nopening the index:\nexit %d\n%s%s", c, s.code, s.stdout, s.stderr, d.code, d.stdout, d.stderr)
		}
		if wantFail := i >= len(commands); (d.code != exitOK) != wantFail || (!wantFail && d.stdout == "") {
			t.Errorf("%q: exit %d, stdout %q", c, d.code, d.stdout)
		}
	}
}

// sampleIDs are three IDs of the sample, from DIR/SAMPLE.
func sampleIDs(t *testing.T, dir string) []string {
	t.Helper()
	sf, ok, err := readSampleFile(dir)
	if err != nil || !ok || len(sf.IDs) < 3 {
		t.Fatalf("DIR/SAMPLE: %+v, %v, %v", sf, ok, err)
	}
	return sf.IDs[:3]
}

// TestLockedWithoutServer: a locked index whose SERVER file names no running server is an error
// that says so; without a SERVER file it is the plain lock error.
func TestLockedWithoutServer(t *testing.T) {
	dir := t.TempDir()
	ix, err := index.Open(t.Context(), dir, index.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	code, _, stderr := kindred(t, "search", "--data", dir, "anything")
	if code != exitFailure || !strings.Contains(stderr, index.ErrLocked.Error()) || strings.Contains(stderr, "SERVER") {
		t.Errorf("without a server file: exit %d, %s", code, stderr)
	}
	b, _ := json.Marshal(serverFile{URL: "http://127.0.0.1:1/", PID: 99999999})
	if err := os.WriteFile(filepath.Join(dir, serverFileName), b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = kindred(t, "search", "--data", dir, "anything")
	if want := "names the server http://127.0.0.1:1/ (pid 99999999), which does not answer"; code != exitFailure || !strings.Contains(stderr, want) {
		t.Errorf("with a stale server file: exit %d, %s; want %q", code, stderr, want)
	}
	code, _, stderr = kindred(t, "index", "--data", dir, "--quiet", "x.jsonl")
	if want := "kindred serve (pid 99999999, http://127.0.0.1:1/) holds it"; code != exitFailure || !strings.Contains(stderr, want) {
		t.Errorf("index into a served directory: exit %d, %s; want %q", code, stderr, want)
	}
}

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
	"github.com/kindred-search/kindred/index/sample"
)

// The crash tests run the real kindred binary and kill it with SIGKILL, which an in-process run of
// the command cannot simulate: nothing deferred runs, no file is closed, whatever the kernel holds
// stays and nothing else does.

// crashEnvInt reads a positive integer from the environment, else def.
func crashEnvInt(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return n
}

// crashRng is the generator of kill times, seeded from KINDRED_CRASH_SEED (default 1) so that a
// failing sequence can be replayed; the seed is logged.
func crashRng(t *testing.T) *rand.Rand {
	t.Helper()
	seed := uint64(crashEnvInt(t, "KINDRED_CRASH_SEED", 1))
	t.Logf("kill times seeded with KINDRED_CRASH_SEED=%d", seed)
	return rand.New(rand.NewPCG(seed, 0x6b696c6c))
}

// kindredBinary builds the command into a temporary directory. The build cache makes every build
// after the first a link only.
func kindredBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kindred")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	start := time.Now()
	out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built kindred in %s", time.Since(start).Round(time.Millisecond))
	return bin
}

// synthCorpus writes n synthetic papers modelled on the built-in sample with `kindred synth`, and
// returns the file and its papers as the index will hold them.
func synthCorpus(t *testing.T, bin string, n int) (string, []paper.Paper) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "corpus.jsonl.gz")
	like := filepath.Join("..", "..", "index", "sample", sample.Name)
	code, stdout, stderr := runKindred(t, bin, time.Minute, "synth", "--like", like, "--n", strconv.Itoa(n), "--seed", "1", "-o", path)
	if code != exitOK {
		t.Fatalf("kindred synth: exit %d\n%s%s", code, stdout, stderr)
	}
	var ps []paper.Paper
	var rejected []reader.Rejection
	err := reader.ReadFile(t.Context(), path, reader.DefaultOptions(),
		func(p paper.Paper) error { ps = append(ps, p); return nil },
		func(r reader.Rejection) { rejected = append(rejected, r) })
	if err != nil || len(rejected) > 0 || len(ps) != n {
		t.Fatalf("reading the synthetic corpus back: %d papers of %d, %v, rejected %v", len(ps), n, err, rejected)
	}
	return path, ps
}

// crashLog collects a child's stderr and reports its lines as they come.
type crashLog struct {
	mu    sync.Mutex
	b     bytes.Buffer
	lines chan string // buffered; lines are dropped when nobody reads
}

func (l *crashLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	start := l.b.Len()
	l.b.Write(p)
	// Report the complete lines this write finished.
	all := l.b.Bytes()
	from := bytes.LastIndexByte(all[:start], '\n') + 1
	for _, line := range strings.SplitAfter(string(all[from:]), "\n") {
		if strings.HasSuffix(line, "\n") {
			select {
			case l.lines <- strings.TrimSuffix(line, "\n"):
			default:
			}
		}
	}
	return len(p), nil
}

func (l *crashLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// crashProc is a running kindred process.
type crashProc struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	stderr *crashLog
	start  time.Time
	done   chan struct{} // closed when the process has exited
	err    error         // of Wait, once done
}

// startKindred starts bin with args. t.Cleanup kills it if it is still running.
func startKindred(t *testing.T, bin string, args ...string) *crashProc {
	t.Helper()
	p := &crashProc{stderr: &crashLog{lines: make(chan string, 256)}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stdout = &p.stdout
	p.cmd.Stderr = p.stderr
	p.cmd.Env = append(os.Environ(), "KINDRED_ADMIN_TOKEN=", "KINDRED_ADDR=")
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.start = time.Now()
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.kill() })
	return p
}

// exited reports whether the process has exited.
func (p *crashProc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill sends SIGKILL and waits for the process to be gone. It reports whether the process was still
// running, that is whether the kill interrupted it.
func (p *crashProc) kill() bool {
	if p.exited() {
		return false
	}
	err := p.cmd.Process.Kill()
	<-p.done
	return err == nil && p.cmd.ProcessState.ExitCode() == -1 // -1: ended by a signal
}

// wait waits for the process to exit by itself, at most d, and returns its exit code.
func (p *crashProc) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(d):
		p.kill()
		t.Fatalf("%s did not finish in %s; stderr:\n%s", p.cmd, d, p.stderr)
	}
	return p.cmd.ProcessState.ExitCode()
}

// runKindred runs bin to completion, at most d.
func runKindred(t *testing.T, bin string, d time.Duration, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	p := startKindred(t, bin, args...)
	code = p.wait(t, d)
	return code, p.stdout.String(), p.stderr.String()
}

var crashListeningRE = regexp.MustCompile(`msg=listening addr=(\S+)`)

// listening waits for `kindred serve` to log its address.
func (p *crashProc) listening(t *testing.T, d time.Duration) string {
	t.Helper()
	timeout := time.After(d)
	for {
		select {
		case line := <-p.stderr.lines:
			if m := crashListeningRE.FindStringSubmatch(line); m != nil {
				return m[1]
			}
		case <-p.done:
			t.Fatalf("serve exited (%v) before listening; stderr:\n%s", p.err, p.stderr)
		case <-timeout:
			t.Fatalf("serve did not report its address in %s; stderr:\n%s", d, p.stderr)
		}
	}
}

// Stages a kill can interrupt, told from the data directory at the moment of the kill. The names of
// the engine's files are part of its documented layout (index/doc.go); the temporary file is the one
// writeAtomic creates beside vectors.bin.
const (
	stageNothing = "before the index existed"
	stageSaving  = "while saving vectors.bin"
	stageSaved   = "after saving vectors.bin, closing"
	stageExited  = "after the process had exited"
)

func savingVectors(dir string) bool {
	ents, _ := os.ReadDir(dir)
	return slices.ContainsFunc(ents, func(e os.DirEntry) bool {
		return strings.HasPrefix(e.Name(), ".vectors.bin.tmp-")
	})
}

// dirStage tells what the directory shows of the process's progress; busy names the stage when
// nothing else shows (indexing, serving writes). With closing, a vectors.bin saved since the process
// started means it was closing: a bulk index saves once, at the end.
func dirStage(dir string, since time.Time, busy string, closing bool) string {
	if _, err := os.Stat(filepath.Join(dir, "FORMAT")); err != nil {
		return stageNothing
	}
	if savingVectors(dir) {
		return stageSaving
	}
	if fi, err := os.Stat(filepath.Join(dir, "vectors.bin")); closing && err == nil && fi.ModTime().After(since) {
		return stageSaved
	}
	return busy
}

// killAt kills p when the clock reaches at, or as soon as vectors.bin is being saved when atSave is
// set (then at is the deadline), and returns the stage it interrupted (see dirStage) and when, since p
// started.
func killAt(p *crashProc, dir string, at time.Time, atSave bool, busy string, closing bool) (string, time.Duration) {
	for time.Now().Before(at) && !p.exited() {
		if atSave && savingVectors(dir) {
			break
		}
		time.Sleep(500 * time.Microsecond)
	}
	stage := dirStage(dir, p.start, busy, closing)
	after := time.Since(p.start)
	if !p.kill() {
		return stageExited, after
	}
	return stage, after
}

// waitCreated waits until p has created the Bleve index in dir (or exited) and returns when.
func waitCreated(p *crashProc, dir string) time.Time {
	for !p.exited() && time.Since(p.start) < time.Minute {
		if _, err := os.Stat(filepath.Join(dir, "bleve", "index_meta.json")); err == nil {
			break
		}
		time.Sleep(500 * time.Microsecond)
	}
	return time.Now()
}

// readOnlyIndex opens dir read-only, the way `kindred search` does: the directory is left as the crash
// left it, and the next run of kindred recovers it by itself. It returns nil when dir holds no index
// (the process was killed before creating one).
func readOnlyIndex(t *testing.T, dir, stage string) *index.Index {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "FORMAT")); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	opts := index.DefaultOptions()
	opts.ReadOnly = true
	ix, err := index.Open(t.Context(), dir, opts)
	if err != nil {
		t.Fatalf("killed %s: the index does not reopen: %v\n%s", stage, err, listDir(dir))
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Check(t.Context()); err != nil {
		t.Fatalf("killed %s: %v\n%s", stage, err, listDir(dir))
	}
	return ix
}

// listDir lists the files under dir with their sizes, for failure messages.
func listDir(dir string) string {
	var b strings.Builder
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			fi, _ := d.Info()
			rel, _ := filepath.Rel(dir, path)
			fmt.Fprintf(&b, "  %s %d\n", rel, fi.Size())
		}
		return nil
	})
	return b.String()
}

// copyDir copies the regular files under src to dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// stageCounts counts kills by stage, for the test log.
type stageCounts map[string]int

func (s stageCounts) String() string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d %s", s[k], k)
	}
	return b.String()
}

// uniform draws a duration in [lo, hi).
func uniform(r *rand.Rand, lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(r.Int64N(int64(hi-lo)))
}

// scanLines returns the non-empty lines of s.
func scanLines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	return out
}

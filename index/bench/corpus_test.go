package bench

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/load"
)

// writeCorpus writes n papers as JSON lines, with one invalid record after the first, and returns the
// file's path. Paper i has ID "p<i>".
func writeCorpus(t *testing.T, n int) string {
	t.Helper()
	topics := []string{"graph neural networks", "protein folding", "sparse attention", "quantum error correction", "diffusion models"}
	var b strings.Builder
	for i := range n {
		topic := topics[i%len(topics)]
		p := map[string]any{
			"id":       fmt.Sprintf("p%d", i),
			"title":    fmt.Sprintf("On %s: study number %d", topic, i),
			"abstract": fmt.Sprintf("We study %s in setting %d and report results on %d benchmarks.", topic, i, i%7),
		}
		line, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
		if i == 0 {
			b.WriteString(`{"id": "bad", "title": "no abstract"}` + "\n")
		}
	}
	path := filepath.Join(t.TempDir(), "corpus.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func ids(rs []ref) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.id
	}
	return out
}

func TestSampleCorpus(t *testing.T) {
	path := writeCorpus(t, 200)
	draw := func(seed uint64, n, k int) sample {
		t.Helper()
		s, err := sampleCorpus(t.Context(), path, n, k, rand.New(rand.NewPCG(seed, 0)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := draw(1, 0, 20), draw(1, 0, 20)
	if a.read != 200 || len(a.papers) != 20 {
		t.Fatalf("read %d, kept %d; want 200 and 20", a.read, len(a.papers))
	}
	if !slices.Equal(ids(a.papers), ids(b.papers)) {
		t.Errorf("the same seed drew %v, then %v", ids(a.papers), ids(b.papers))
	}
	if c := draw(2, 0, 20); slices.Equal(ids(a.papers), ids(c.papers)) {
		t.Errorf("seeds 1 and 2 drew the same sample %v", ids(a.papers))
	}
	// A sample of the whole corpus has each paper once.
	all := ids(draw(1, 0, 500).papers)
	slices.Sort(all)
	if len(slices.Compact(all)) != 200 {
		t.Errorf("a sample larger than the corpus kept %d distinct papers, want 200", len(all))
	}
	// With a limit, the sample comes from the first n papers only.
	lim := draw(1, 30, 10)
	if lim.read != 30 {
		t.Errorf("read %d papers with n=30", lim.read)
	}
	for _, id := range ids(lim.papers) {
		var i int
		if _, err := fmt.Sscanf(id, "p%d", &i); err != nil || i >= 30 {
			t.Errorf("paper %s is not among the first 30", id)
		}
	}
}

func TestLoadFirst(t *testing.T) {
	path := writeCorpus(t, 50)
	lo := load.DefaultOptions()
	lo.FirstBatch, lo.Batch = 10, 4
	var batches []int
	lo.Progress = func(p load.Progress) { batches = append(batches, p.Accepted) }
	ix, err := index.Open(t.Context(), t.TempDir(), index.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	sum, err := loadFirst(t.Context(), ix, path, 23, lo)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 23 || sum.Added != 23 || sum.Rejected != 1 || ix.Count() != 23 {
		t.Errorf("summary %+v, %d papers in the index; want 23 read and added, 1 rejected", sum, ix.Count())
	}
	// Batches as package load makes them: 10 first, then 4 at a time, then what is left.
	if want := []int{10, 14, 18, 22, 23}; !slices.Equal(batches, want) {
		t.Errorf("accepted after each batch %v, want %v", batches, want)
	}
}

func TestShortQuery(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 0))
	titles := []string{
		"Attention Is All You Need",
		"LoRA: Low-Rank Adaptation of Large Language Models",
		"$\\alpha$-divergence (re)visited, again!",
		"Transformers",
		"Two words",
		"?!",
	}
	for _, title := range titles {
		var words []string
		for _, w := range strings.Fields(title) {
			if w = strings.Trim(w, "$\\:(),!?"); w != "" {
				words = append(words, w)
			}
		}
		for range 50 {
			q := shortQuery(rng, title)
			got := strings.Fields(q)
			switch {
			case len(words) == 0:
				if q != title {
					t.Errorf("shortQuery(%q) = %q, want the title itself", title, q)
				}
			case len(got) < min(2, len(words)) || len(got) > 4:
				t.Errorf("shortQuery(%q) = %q: %d words, want 2-4", title, q, len(got))
			case !strings.Contains(" "+strings.Join(words, " ")+" ", " "+q+" "):
				t.Errorf("shortQuery(%q) = %q: not consecutive words of the title", title, q)
			}
		}
	}
}

func TestDrawQueries(t *testing.T) {
	papers := []ref{{"a", "Sparse Attention (revisited)"}, {"b", "Graph Networks: a survey"}}
	opts := Options{Short: 5, Titles: 3, Related: 4}
	q := drawQueries(rand.New(rand.NewPCG(1, 0)), papers, opts)
	if len(q.short) != 5 || len(q.titles) != 3 || len(q.related) != 4 {
		t.Fatalf("drew %d short, %d titles, %d related; want 5, 3, 4", len(q.short), len(q.titles), len(q.related))
	}
	if want := []string{`Sparse Attention \(revisited\)`, `Graph Networks\: a survey`, `Sparse Attention \(revisited\)`}; !slices.Equal(q.titles, want) {
		t.Errorf("titles %q, want %q (escaped, cycling through the sample)", q.titles, want)
	}
	if want := []string{"a", "b", "a", "b"}; !slices.Equal(q.related, want) {
		t.Errorf("related %q, want %q", q.related, want)
	}
	opts.Queries = []string{"given"}
	q = drawQueries(rand.New(rand.NewPCG(1, 0)), papers, opts)
	if !slices.Equal(q.short, []string{"given"}) || q.titles != nil || len(q.related) != 4 {
		t.Errorf("with given queries: short %q, titles %q, %d related; want the given ones, no titles, 4 related", q.short, q.titles, len(q.related))
	}
}

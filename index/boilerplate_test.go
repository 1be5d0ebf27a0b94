package index

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index/paper"
)

func TestCleanForTerms(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain words stay", "plain words stay"},
		{"Compared to the existing surveys (Lei et al., 2024a;b; Melnik et al., 2024; Cao et al., 2023) which focus",
			"Compared to the existing surveys which focus"},
		{"reinforcement learning (Sutton and Barto, 2018) framework", "reinforcement learning framework"},
		{"Inspired by Tian et al. (2024), we", "Inspired by , we"},
		{"as in [12, 14-16] and [3]", "as in and"},
		{"code at https://github.com/x/y and www.example.org/p or mail a@b.edu", "code at and or mail"},
		{"a loss $\\mathcal{L}_{\\text{cls}}$ with \\emph{care}", "a loss with care"},
		{"models (e.g., BERT) vs. GPT, i.e. large", "models ( , BERT) GPT, large"},
		{"keeps (2D) and (CNNs) and (ours)", "keeps (2D) and (CNNs) and (ours)"},
		{"drops (CVPR 2024) venues", "drops venues"},
		{"not a year: 20245 or 1899 or x2024", "not a year: 20245 or 1899 or x2024"},
	}
	for _, tt := range tests {
		if got := cleanForTerms(tt.in); got != tt.want {
			t.Errorf("cleanForTerms(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
		if changes := cleanChanges(tt.in); changes != (tt.want != tt.in) {
			t.Errorf("cleanChanges(%q) = %v", tt.in, changes)
		}
	}
}

// TestFeaturesFromTokens: the features made from the keyword analysis's tokens are exactly those of
// the cleaned text analyzed anew, so statistics added on insert and removed on delete always match.
func TestFeaturesFromTokens(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	papers := append(testPapers(), paper.Paper{ID: "cite", Title: "Surveys (Lei et al., 2024)",
		Abstract: "Prior work (Cao et al., 2023) at https://github.com/a/b with $x^2$ e.g. this."})
	for _, p := range papers {
		_, got := ix.analyze(p, true)
		want := ix.emb.Features(vectorText(p))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: features from tokens differ from the cleaned text's (-want +got):\n%s", p.ID, diff)
		}
		if diff := cmp.Diff(want, ix.paperFeatures(p)); diff != "" {
			t.Errorf("%s: paperFeatures differs (-want +got):\n%s", p.ID, diff)
		}
	}
}

// FuzzRemoveURLs: removing URLs word by word gives what the expression gives over the whole text.
func FuzzRemoveURLs(f *testing.F) {
	for _, s := range []string{
		"Code is at https://github.com/x/y. Contact a.b@c.org or see www.EXAMPLE.com/page and model.ai today",
		"no links here", "x.COM", "e.g. foo@bar", "@@ .com. ..io", "HTTPS://A\tb\nwww.x", "a-b.net/\u00e9t\u00e9 c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := removeURLs(s), urlRE.ReplaceAllString(s, " "); got != want {
			t.Fatalf("removeURLs(%q) = %q, the expression gives %q", s, got, want)
		}
	})
}

// BenchmarkCleanForTerms cleans the first 3,000 title-and-abstract texts of the arXiv file (skipped
// without ../shared).
func BenchmarkCleanForTerms(b *testing.B) {
	texts := arxivTexts(b, 3000)
	i := 0
	for b.Loop() {
		cleanForTerms(texts[i%len(texts)])
		i++
	}
}

// arxivTexts returns the EmbedText of the first n papers of the arXiv file, skipping b without it.
func arxivTexts(b *testing.B, n int) []string {
	f, err := os.Open(filepath.Join("..", "..", "shared", "data", "arxiv", "arxiv-75k.jsonl.gz"))
	if err != nil {
		b.Skipf("skipping: the arXiv file of ../shared: %v", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var texts []string
	for sc.Scan() && len(texts) < n {
		var p struct{ Title, Abstract string }
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			b.Fatal(err)
		}
		texts = append(texts, EmbedText(paper.Paper{Title: p.Title, Abstract: p.Abstract}))
	}
	return texts
}

package index

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPastedText(t *testing.T) {
	known := func(w string) bool { return slices.Contains([]string{"complementary", "information", "efficient"}, w) }
	tests := []struct{ name, in, want string }{
		{"plain text is unchanged", "Cut and mix image patches.", "Cut and mix image patches."},
		{"ligatures", "We ﬁnd ﬂows", "We find flows"},
		{"soft hyphens", "infor\u00admation", "information"},
		{"a known word cut at a line break", "shared and comple-\nmentary semantic", "shared and complementary semantic"},
		{"with spaces and CRLF", "in-  \r\n  formation", "information"},
		{"a capital after the break is a new word", "Transformer-\nBased", "Transformer-\nBased"},
		{"an unknown join keeps its hyphen", "cross-\nmodal alignment", "cross-modal alignment"},
		{"a hyphen inside a line stays", "state-of-the-art", "state-of-the-art"},
		{"ligature and cut together", "eﬃ-\ncient", "efficient"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pastedText(tt.in, known); got != tt.want {
				t.Errorf("pastedText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHoldsText(t *testing.T) {
	abstract := "We propose CutMix, an augmentation strategy: patches are cut and pasted among training images, " +
		"and the ground truth labels are mixed proportionally to the area of the patches. By making efficient use of " +
		"training pixels and retaining the regularization effect of regional dropout, CutMix consistently outperforms " +
		"the state-of-the-art augmentation strategies on CIFAR and ImageNet classification tasks."
	tests := []struct {
		name, text, abstract string
		want                 bool
	}{
		{"the abstract itself", abstract, abstract, true},
		{"with its title, other case and white space", "CutMix\n\n" + strings.ToUpper(strings.ReplaceAll(abstract, " ", "  \n")), abstract, true},
		{"copied from a PDF, a word cut", strings.Replace(abstract, "augmentation", "augmen- tation", 1), abstract, true},
		{"half of it", abstract[:len(abstract)/2], abstract, false},
		{"another text on its topic", "Cutting and mixing image patches is a data augmentation strategy for training images.", abstract, false},
		{"an empty abstract", abstract, "", false},
		{"a two-word abstract in the text", "about graph neural networks", "neural networks", true},
		{"a two-word abstract not in the text", "about graph neural nets", "neural networks", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := holdsText(tt.text, tt.abstract); got != tt.want {
				t.Errorf("holdsText = %v, want %v", got, tt.want)
			}
		})
	}
}

func FuzzPastedText(f *testing.F) {
	for _, s := range []string{"comple-\nmentary", "ﬁ-\nnd", "a-\nb-\nc", "\u00ad-\n", "x-\r\n\ty"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := pastedText(s, func(string) bool { return true })
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("pastedText(%q) = %q, not UTF-8", s, out)
		}
		if strings.ContainsAny(out, "\u00ad\ufb01\ufb02") {
			t.Fatalf("pastedText(%q) = %q keeps a soft hyphen or a ligature", s, out)
		}
	})
}

// A search pasted from a PDF finds what the same words typed find; a strict query is taken as sent.
func TestSearchPastedFromPDF(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	if _, err := ix.Upsert(t.Context(), testPapers()...); err != nil {
		t.Fatal(err)
	}
	search := func(q string, strict bool) []string {
		t.Helper()
		res, err := ix.Search(t.Context(), Request{Query: q, Strict: strict, Ranking: Ranking{Mode: ModeKeyword, Limit: 5}})
		if err != nil {
			t.Fatal(err)
		}
		return ids(res)
	}
	typed := search("localizable classifiers", false)
	if len(typed) == 0 || typed[0] != "cutmix" {
		t.Fatalf("typed query found %v, want cutmix first", typed)
	}
	if got := search("localiz-\nable classi\ufb01ers", false); !slices.Equal(got, typed) {
		t.Errorf("pasted query found %v, want %v as typed", got, typed)
	}
	if got := search("classi\ufb01ers", true); slices.Contains(got, "cutmix") {
		t.Errorf("strict query with a ligature found %v: strict text is taken as sent", got)
	}
}

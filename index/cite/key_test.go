package cite

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

func TestKeys(t *testing.T) {
	p := func(author string, year int, title string) paper.Paper {
		var as []string
		if author != "" {
			as = []string{author, "Someone Else"}
		}
		return paper.Paper{Title: title, Authors: as, Published: paper.Date{Year: year}}
	}
	for _, tc := range []struct {
		name   string
		papers []paper.Paper
		want   []string
	}{
		{"plain", []paper.Paper{p("Ashish Vaswani", 2017, "Attention Is All You Need")}, []string{"vaswani2017attention"}},
		{"stop words skipped", []paper.Paper{p("Charles Darwin", 1859, "On the Origin of Species")}, []string{"darwin1859origin"}},
		{"only stop words", []paper.Paper{p("A. Nonymous", 2000, "The And Of")}, []string{"nonymous2000the"}},
		{"accents folded", []paper.Paper{p("Gül Öztürk", 2024, "Élan vital")}, []string{"ozturk2024elan"}},
		{"letters without decomposition", []paper.Paper{p("Søren Łukasiewicz-Straße", 2020, "Æther")}, []string{"lukasiewiczstrasse2020aether"}},
		{"apostrophe dropped", []paper.Paper{p("Moreno D'Incà", 2025, "Safe Vision-Language Models")}, []string{"dinca2025safe"}},
		{"particle and suffix", []paper.Paper{p("Ludwig van Beethoven", 1808, "Symphony"), p("Martin Luther King Jr.", 1963, "Dream")}, []string{"beethoven1808symphony", "king1963dream"}},
		{"word before a hyphen", []paper.Paper{p("A. Lee", 2025, "BERT-style retrieval")}, []string{"lee2025bert"}},
		{"no authors", []paper.Paper{p("", 2020, "Anonymous work")}, []string{"anon2020anonymous"}},
		{"a name with no Latin letter", []paper.Paper{p("王小明", 2020, "量子 computing")}, []string{"anon2020computing"}},
		{"no year", []paper.Paper{p("Ada Lovelace", 0, "Sketch of the Analytical Engine")}, []string{"lovelacesketch"}},
		{"no title word", []paper.Paper{p("Ada Lovelace", 1843, "量子")}, []string{"lovelace1843"}},
		{"collisions get a, b, c in order", []paper.Paper{
			p("John Smith", 2020, "Deep nets"), p("Jane Doe", 2020, "Deep nets"), p("John Smith", 2020, "Deep learning"), p("Jo Smith", 2020, "Deep"),
		}, []string{"smith2020deepa", "doe2020deep", "smith2020deepb", "smith2020deepc"}},
		{"a suffix never repeats another key", []paper.Paper{
			p("John Smith", 2020, "Deep"), p("John Smith", 2020, "Deepa"), p("John Smith", 2020, "Deep"),
		}, []string{"smith2020deepb", "smith2020deepa", "smith2020deepc"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Keys(tc.papers...)); diff != "" {
				t.Errorf("Keys (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSuffix(t *testing.T) {
	for n, want := range map[int]string{0: "a", 1: "b", 25: "z", 26: "aa", 27: "ab", 51: "az", 52: "ba", 701: "zz", 702: "aaa"} {
		if got := suffix(n); got != want {
			t.Errorf("suffix(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestManyCollisions(t *testing.T) {
	ps := make([]paper.Paper, 100)
	for i := range ps {
		ps[i] = paper.Paper{Title: "Deep", Authors: []string{"John Smith"}, Published: paper.Date{Year: 2020}}
	}
	seen := map[string]bool{}
	for _, k := range Keys(ps...) {
		if seen[k] {
			t.Fatalf("key %q given twice", k)
		}
		seen[k] = true
	}
}

func TestSplitName(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want name
	}{
		{"Ada Lovelace", name{given: "Ada", family: "Lovelace"}},
		{"Ludwig van Beethoven", name{given: "Ludwig", family: "van Beethoven"}},
		{"Charles de la Vallée Poussin", name{given: "Charles", family: "de la Vallée Poussin"}},
		{"van Gogh", name{given: "van", family: "Gogh"}},
		{"Martin Luther King Jr.", name{given: "Martin Luther", family: "King", suffix: "Jr."}},
		{"A Jr.", name{given: "A", family: "Jr."}},
		{"Plato", name{literal: "Plato"}},
		{"World Health Organization, Inc.", name{literal: "World Health Organization, Inc."}},
		{"Procter and Gamble", name{literal: "Procter and Gamble"}},
		{"Procter AND Gamble", name{literal: "Procter AND Gamble"}},
	} {
		if got := splitName(tc.in); got != tc.want {
			t.Errorf("splitName(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

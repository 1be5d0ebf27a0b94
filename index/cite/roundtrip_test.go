package cite_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index/cite"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
)

// exports are the three writers with the reader format that reads them back.
var exports = []struct {
	name   string
	write  func(...paper.Paper) []byte
	format reader.Format
}{
	{"BibTeX", cite.BibTeX, reader.FormatBibTeX},
	{"RIS", cite.RIS, reader.FormatRIS},
	{"CSL-JSON", cite.CSLJSON, reader.FormatCSL},
}

// kept is what a round trip must preserve of a paper.
type kept struct {
	ID, Title, Abstract string
	Authors             []string
	Published           paper.Date
	DOI, Venue, ArxivID string
	URL                 string
}

func keep(p paper.Paper) kept {
	return kept{p.ID, p.Title, p.Abstract, p.Authors, p.Published, p.DOI, p.Venue, p.ArxivID, p.URL}
}

// readBack reads an export with the reader, both with the format named and detected.
func readBack(t *testing.T, data []byte, format reader.Format) []paper.Paper {
	t.Helper()
	var out []paper.Paper
	for _, f := range []reader.Format{format, reader.FormatAuto} {
		var got []paper.Paper
		var rejected []reader.Rejection
		err := reader.Read(t.Context(), bytes.NewReader(data), "export", reader.Options{Format: f},
			func(p paper.Paper) error { got = append(got, p); return nil },
			func(r reader.Rejection) { rejected = append(rejected, r) })
		if err != nil || len(rejected) > 0 {
			t.Fatalf("reading the export back (format %q): %v; rejected %v\n%s", f, err, rejected, data)
		}
		if out != nil {
			if diff := cmp.Diff(out, got); diff != "" {
				t.Errorf("detected format reads differently (-named +detected):\n%s", diff)
			}
		}
		out = got
	}
	return out
}

func checkRoundTrip(t *testing.T, ps []paper.Paper) {
	t.Helper()
	for _, ex := range exports {
		t.Run(ex.name, func(t *testing.T) {
			data := ex.write(ps...)
			got := readBack(t, data, ex.format)
			var want, have []kept
			for _, p := range ps {
				want = append(want, keep(p))
			}
			for _, p := range got {
				have = append(have, keep(p))
			}
			if diff := cmp.Diff(want, have); diff != "" {
				t.Errorf("round trip through %s (-exported +read back):\n%s\nexport:\n%s", ex.name, diff, data)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	checkRoundTrip(t, hardPapers)
}

// TestRoundTripGenerated exports generated papers, full of the characters that need escaping, and
// reads them back.
func TestRoundTripGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ps := make([]paper.Paper, 300)
	for i := range ps {
		ps[i] = genPaper(rng, i)
	}
	checkRoundTrip(t, ps)
}

// genWords are the pieces generated text is made of: words, TeX specials, ligature makers,
// non-ASCII letters and marks.
var genWords = strings.Fields(`the sparse retrieval model of BERT-style pre-training ß Öztürk 量子 — – “ ” … é ü ç
	\ \\ { } {} % & $ $$ # _ ~ ^ - -- --- ' '' ` + "``" + ` ! !` + "`" + ` ? ?` + "`" + ` @ " < > | / : ; , .
	\emph{x} $K_{3,3}$ \& \'e {\"u} 50% x_1 a^2 C:\path arXiv: doi: and AND others`)

func genText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := range 1 + rng.IntN(n) {
		if i > 0 && rng.IntN(4) > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(genWords[rng.IntN(len(genWords))])
	}
	return b.String()
}

var genGiven = []string{"Ada", "Jean-Paul", "Gül", "Søren", "J.", "Martin Luther", "Ludwig van", "Seo-yeon", "D'Arcy"}
var genFamily = []string{"Lovelace", "Öztürk", "Kierkegaard", "D'Incà", "Müller-Straße", "Smith", "King Jr.", "de la Cruz", "O'Brien", "50%_{x}"}

// genPaper makes a valid paper whose ID follows the readers' rule (its arXiv identifier, else its
// DOI, else an ID of its own).
func genPaper(rng *rand.Rand, i int) paper.Paper {
	p := paper.Paper{
		Title:    genText(rng, 12),
		Abstract: genText(rng, 60),
	}
	for range rng.IntN(4) {
		switch rng.IntN(6) {
		case 0:
			p.Authors = append(p.Authors, genFamily[rng.IntN(len(genFamily))]) // one word
		default:
			p.Authors = append(p.Authors, genGiven[rng.IntN(len(genGiven))]+" "+genFamily[rng.IntN(len(genFamily))])
		}
	}
	if rng.IntN(2) == 0 {
		p.Venue = strings.ReplaceAll(genText(rng, 5), "arXiv:", "ACL")
	}
	switch rng.IntN(3) {
	case 1:
		p.Published = paper.Date{Year: 1900 + rng.IntN(130)}
	case 2:
		p.Published = paper.Date{Year: 1900 + rng.IntN(130), Month: 1 + rng.IntN(12), Day: rng.IntN(29)}
	}
	switch rng.IntN(4) {
	case 0:
		p.ArxivID = fmt.Sprintf("%02d%02d.%05d", 15+rng.IntN(10), 1+rng.IntN(12), i)
		p.ID = p.ArxivID
		if rng.IntN(2) == 0 {
			p.URL = "https://arxiv.org/abs/" + p.ArxivID
		}
	case 1:
		p.DOI = fmt.Sprintf("10.%d/x_%d(%d)<a>;b", 1000+rng.IntN(9000), i, rng.IntN(100))
		p.ID = p.DOI
		p.URL = "https://doi.org/" + p.DOI
	case 2:
		p.ID = fmt.Sprintf("pmid:%d", 1000+i)
	}
	p.Normalize() // derives the ID of the rest from the title
	return p
}

// FuzzRoundTrip exports a paper made of arbitrary text and reads it back. The few inputs a format
// cannot carry are left out of its check: rich-text tags in CSL-JSON titles (Zotero's markup, which
// the reader removes), "arXiv" venues in BibTeX (the reader takes them for an identifier, not a
// venue) and names with commas in RIS (which has no other way to write "Last, First").
func FuzzRoundTrip(f *testing.F) {
	for _, p := range hardPapers {
		a := ""
		if len(p.Authors) > 0 {
			a = p.Authors[0]
		}
		f.Add(p.Title, p.Abstract, a, p.Venue)
	}
	f.Add("--- `` '' !` ?` ~ ^", "\\{}%&$#_", "van der Waals Jr.", "CoRR")
	f.Fuzz(func(t *testing.T, title, abstract, author, venue string) {
		p := paper.Paper{Title: title, Abstract: abstract, Authors: []string{author}, Venue: venue}
		p.Normalize()
		if p.Validate() != nil {
			return
		}
		for _, ex := range exports {
			got := readBack(t, ex.write(p), ex.format)
			if len(got) != 1 {
				t.Fatalf("%s: read back %d papers, want 1", ex.name, len(got))
			}
			want, have := keep(p), keep(got[0])
			switch ex.format {
			case reader.FormatCSL:
				if strings.Contains(p.Title+p.Venue, "<") {
					want.Title, have.Title, want.Venue, have.Venue = "", "", "", ""
				}
			case reader.FormatBibTeX:
				if v := strings.ToLower(p.Venue); strings.Contains(v, "arxiv") || v == "corr" || v == "preprint" {
					want.Venue, have.Venue, want.ID, have.ID, want.ArxivID, have.ArxivID = "", "", "", "", "", ""
				}
			case reader.FormatRIS:
				if strings.Contains(author, ",") {
					want.Authors, have.Authors = nil, nil
				}
			}
			if diff := cmp.Diff(want, have); diff != "" {
				t.Errorf("round trip through %s (-exported +read back):\n%s\nexport:\n%s", ex.name, diff, ex.write(p))
			}
		}
	})
}

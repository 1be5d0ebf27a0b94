package ui

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kindred-search/kindred/index"
)

func TestMarked(t *testing.T) {
	const hostile = `Bits & <b>Bytes</b> "quoted"`
	span := func(field string, s, e int) index.Span { return index.Span{Field: field, Start: s, End: e} }
	tests := []struct {
		name, field string
		text        string
		spans       []index.Span
		start, end  int
		want        string
	}{
		{"nothing matched", "title", "sparse attention", nil, 0, 16, "sparse attention"},
		{"two marks", "title", "sparse attention", []index.Span{span("title", 0, 6), span("title", 7, 16)}, 0, 16, "<mark>sparse</mark> <mark>attention</mark>"},
		{"escaped around and inside", "title", hostile, []index.Span{span("title", 10, 15)}, 0, len(hostile),
			"Bits &amp; &lt;b&gt;<mark>Bytes</mark>&lt;/b&gt; &#34;quoted&#34;"},
		{"other field ignored", "title", "sparse", []index.Span{span("abstract", 0, 6)}, 0, 6, "sparse"},
		{"cut ends get ellipses, spaces trimmed", "abstract", "one two three four", []index.Span{span("abstract", 8, 13)}, 3, 14, "…two <mark>three</mark>…"},
		{"span outside the window ignored", "abstract", "one two three", []index.Span{span("abstract", 0, 3)}, 4, 13, "…two three"},
		{"out of range ignored", "title", "abc", []index.Span{span("title", 2, 9), span("title", -1, 1)}, 0, 3, "abc"},
		{"off a rune boundary ignored", "title", "éa", []index.Span{span("title", 1, 3)}, 0, 3, "éa"},
		{"overlap ignored", "title", "abcdef", []index.Span{span("title", 0, 3), span("title", 2, 5)}, 0, 6, "<mark>abc</mark>def"},
		{"unsorted spans", "title", "ab cd", []index.Span{span("title", 3, 5), span("title", 0, 2)}, 0, 5, "<mark>ab</mark> <mark>cd</mark>"},
		{"bad window shows the text escaped", "title", "<i>", nil, 2, 1, "&lt;i&gt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(marked(tt.text, tt.spans, tt.field, tt.start, tt.end)); got != tt.want {
				t.Errorf("marked = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMarkedSnippet(t *testing.T) {
	abs := "We study sparse attention. " + strings.Repeat("filler words here ", 30)
	hl := &index.Highlights{Spans: []index.Span{{Field: "abstract", Start: 9, End: 15}}, Fragment: [2]int{0, 40}}
	if got, want := string(markedSnippet(abs, hl, 300)), "We study <mark>sparse</mark> attention. filler words…"; got != want {
		t.Errorf("snippet = %q, want %q", got, want)
	}
	// Title spans only: the snippet is the start of the abstract.
	hl = &index.Highlights{Spans: []index.Span{{Field: "title", Start: 0, End: 3}}}
	if got := string(markedSnippet(abs, hl, 20)); got != "We study sparse atte…" {
		t.Errorf("snippet without abstract spans = %q", got)
	}
	if got := string(markedSnippet("<b>x</b>", nil, 300)); got != "&lt;b&gt;x&lt;/b&gt;" {
		t.Errorf("snippet without highlights = %q", got)
	}
}

// FuzzMarked checks that whatever text and spans the engine hands over, the rendering holds no markup
// but <mark> tags, balanced, and reads back as the text it shows.
func FuzzMarked(f *testing.F) {
	f.Add("sparse <script>alert(1)</script> & 'q'", []byte{0, 6, 7, 14}, 0, 40)
	f.Add("éé", []byte{1, 3}, 0, 4)
	f.Add("", []byte{}, 0, 0)
	f.Fuzz(func(t *testing.T, text string, raw []byte, start, end int) {
		var spans []index.Span
		for i := 0; i+1 < len(raw); i += 2 {
			spans = append(spans, index.Span{Field: "abstract", Start: int(raw[i]), End: int(raw[i+1])})
		}
		got := string(marked(text, spans, "abstract", start, end))
		if strings.Count(got, "<mark>") != strings.Count(got, "</mark>") {
			t.Fatalf("unbalanced marks: %q", got)
		}
		plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got)
		if strings.ContainsAny(plain, `<>"'`+"\x00") {
			t.Fatalf("markup outside marks: %q", got)
		}
		shown := strings.TrimSuffix(strings.TrimPrefix(html.UnescapeString(plain), "…"), "…")
		if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
			return // paper.Normalize leaves neither in paper text
		}
		if !strings.Contains(text, shown) {
			t.Fatalf("shows %q, which is not part of %q", shown, text)
		}
	})
}

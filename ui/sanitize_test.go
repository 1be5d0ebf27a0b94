package ui

import (
	"html"
	"html/template"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafeFragment(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"plain text", "sparse attention", true},
		{"empty", "", true},
		{"marks", "<mark>sparse</mark> <mark>attention</mark>", true},
		{"entities", "a &lt;b&gt; &amp; &#39;c&#39; &#34;d&#34;", true},
		{"escaped script", "&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>", true},
		{"ellipses", "…dows or a <mark>sparse</mark> set…", true},
		{"unicode", "Schrödinger <mark>équation</mark> ∇·E", true},
		{"script", "<script>alert(1)</script>", false},
		{"img", `<img src=x onerror=alert(2)>`, false},
		{"mark with attribute", `<mark onclick="x">a</mark>`, false},
		{"upper-case mark", "<MARK>a</MARK>", false},
		{"nested marks", "<mark><mark>a</mark></mark>", false},
		{"unclosed mark", "<mark>a", false},
		{"close without open", "a</mark>", false},
		{"mark prefix", "<markx>a</mark>", false},
		{"bare less-than", "a < b", false},
		{"bare greater-than", "a > b", false},
		{"double quote", `say "hi"`, false},
		{"single quote", "it's", false},
		{"bare ampersand", "R&D", false},
		{"other entity", "&nbsp;", false},
		{"numeric entity for <", "&#60;script&#62;", false},
		{"comment", "<!-- x -->", false},
		{"NUL", "a\x00b", false},
		{"invalid UTF-8", "a\xffb", false},
		{"close tag of other element", "</p>", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := safeFragment(tt.in)
			if ok != tt.ok {
				t.Fatalf("safeFragment(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if ok && string(got) != tt.in {
				t.Errorf("safeFragment(%q) = %q, want the input unchanged", tt.in, got)
			}
			if !ok && got != "" {
				t.Errorf("rejected fragment returned %q", got)
			}
		})
	}
}

func TestHighlighted(t *testing.T) {
	const title = `Bits & <b>Bytes</b>`
	tests := []struct {
		name, fragment, plain string
		whole, ok             bool
		want                  string // when not the fragment itself
	}{
		{"whole title", "Bits &amp; &lt;b&gt;<mark>Bytes</mark>&lt;/b&gt;", title, true, true, ""},
		{"cut title", "…&lt;b&gt;<mark>Bytes</mark>&lt;/b&gt;", title, true, false, ""},
		{"piece of an abstract", "…&lt;b&gt;<mark>Bytes</mark>…", title, false, true, ""},
		{"cut words trimmed", "…ts &amp; &lt;b&gt;<mark>Bytes</mark>&lt;/b&gt; and mo…", "Bits & <b>Bytes</b> and more", false, true,
			"…&amp; &lt;b&gt;<mark>Bytes</mark>&lt;/b&gt; and…"},
		{"whole words kept", "…&amp; <mark>Bytes</mark>…", "Bits & Bytes", false, true, ""},
		{"another text", "<mark>Other</mark> words", title, false, false, ""},
		{"unsafe", "<b>Bytes</b>", title, false, false, ""},
		{"empty", "", title, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := highlighted(tt.fragment, tt.plain, tt.whole)
			want := tt.fragment
			if tt.want != "" {
				want = tt.want
			}
			if ok != tt.ok || (ok && string(got) != want) {
				t.Errorf("highlighted(%q) = %q, %v; want %q, %v", tt.fragment, got, ok, want, tt.ok)
			}
		})
	}
}

// markText writes text as Bleve's HTML formatter does: escaped, with the runes where marks[i] is odd
// wrapped in <mark>.
func markText(text string, marks []byte) string {
	var b strings.Builder
	open := false
	i := 0
	for _, r := range text {
		want := i < len(marks) && marks[i]%2 == 1
		if want != open {
			if want {
				b.WriteString(markOpen)
			} else {
				b.WriteString(markClose)
			}
			open = want
		}
		b.WriteString(html.EscapeString(string(r)))
		i++
	}
	if open {
		b.WriteString(markClose)
	}
	return b.String()
}

// FuzzSafeFragment checks that whatever safeFragment accepts holds no markup but marks, and that it
// accepts everything Bleve's formatter writes, whose text then reads back unchanged.
func FuzzSafeFragment(f *testing.F) {
	for _, s := range []string{"", "a <mark>b</mark>", "<script>", "&lt;&amp;&#39;&#34;&gt;", "<mark><mark>", "…x…", "R&D", "\xff"} {
		f.Add(s, []byte{0, 1, 1, 0})
	}
	f.Fuzz(func(t *testing.T, s string, marks []byte) {
		if got, ok := safeFragment(s); ok {
			rest := unmark.Replace(string(got))
			if strings.ContainsAny(rest, `<>"'`+"\x00") {
				t.Fatalf("accepted %q: markup or quotes outside marks", s)
			}
			if html.EscapeString(html.UnescapeString(rest)) != rest {
				t.Fatalf("accepted %q: not exactly escaped text", s)
			}
			if strings.Count(string(got), markOpen) != strings.Count(string(got), markClose) {
				t.Fatalf("accepted %q: unbalanced marks", s)
			}
		}
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return // paper.Normalize leaves neither in paper text
		}
		frag := markText(s, marks)
		got, ok := safeFragment(frag)
		if !ok {
			t.Fatalf("rejected a formatter's fragment %q of %q", frag, s)
		}
		if got != template.HTML(frag) {
			t.Fatalf("changed %q to %q", frag, got)
		}
		if text := fragmentText(got); text != strings.TrimSuffix(strings.TrimPrefix(s, "…"), "…") {
			t.Fatalf("text of %q is %q, want %q", frag, text, s)
		}
		// Cut from longer text, with partial words trimmed, it stays safe.
		if h, ok := highlighted("…"+frag+"…", "x"+s+"y", false); ok {
			if _, safe := safeFragment(string(h)); !safe {
				t.Fatalf("highlighted(%q) = %q, not a safe fragment", "…"+frag+"…", h)
			}
		}
	})
}

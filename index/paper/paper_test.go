package paper

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only white space", " \t\r\n\u00a0\u2028 ", ""},
		{"plain", "Attention Is All You Need", "Attention Is All You Need"},
		{"trims both ends", "  padded\t", "padded"},
		{"runs of spaces", "a   b    c", "a b c"},
		{"hard line breaks", "Calculation of prompt\n  diphoton\r\nproduction", "Calculation of prompt diphoton production"},
		{"tabs", "a\tb\t\tc", "a b c"},
		{"unicode white space", "a\u00a0b\u2003c\u2028d\u0085e", "a b c d e"},
		{"invalid byte", "caf\xe9 au lait", "caf\uFFFD au lait"},
		{"run of invalid bytes is one replacement", "a\xff\xfe\xfdb", "a\uFFFDb"},
		{"truncated multi-byte sequence", "na\xc3", "na\uFFFD"},
		{"control characters dropped", "a\x00b\x07c\x1bd\u0080e\u009ff\x7fg", "abcdefg"},
		{"control character between spaces", "a \x00 b", "a b"},
		{"leading control then space", "\x00 a", "a"},
		{"non-ASCII kept", "Öztürk: 量子 — ∑", "Öztürk: 量子 — ∑"},
		{"U+FFFD itself kept", "a\uFFFDb", "a\uFFFDb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Fold(tc.in); got != tc.want {
				t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := Fold(Fold(tc.in)); got != tc.want {
				t.Errorf("Fold is not idempotent on %q: %q", tc.in, got)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	const title = "Attention Is All You Need"
	for _, tc := range []struct {
		name string
		in   Paper
		want Paper
	}{
		{
			name: "already normal",
			in:   Paper{ID: "1706.03762", Title: title, Abstract: "The dominant models.", Authors: []string{"A. Vaswani"}, AuthorCount: 8, Upvotes: 3},
			want: Paper{ID: "1706.03762", Title: title, Abstract: "The dominant models.", Authors: []string{"A. Vaswani"}, AuthorCount: 8, Upvotes: 3},
		},
		{
			name: "white space folded in every text field",
			in: Paper{
				ID: " 1706.03762\n", Title: "Attention Is\n  All You\tNeed ", Abstract: "\tThe dominant\r\nsequence  models.\n",
				Authors: []string{" Ashish\nVaswani "}, Categories: []string{" cs.CL\t"}, URL: "  https://arxiv.org/abs/1706.03762\n",
			},
			want: Paper{
				ID: "1706.03762", Title: title, Abstract: "The dominant sequence models.",
				Authors: []string{"Ashish Vaswani"}, AuthorCount: 1, Categories: []string{"cs.CL"}, URL: "https://arxiv.org/abs/1706.03762",
			},
		},
		{
			name: "invalid UTF-8 repaired",
			in:   Paper{ID: "x", Title: "Caf\xe9", Abstract: "na\xefve \xff", Authors: []string{"Bal\xe1zs"}},
			want: Paper{ID: "x", Title: "Caf\uFFFD", Abstract: "na\uFFFDve \uFFFD", Authors: []string{"Bal\uFFFDzs"}, AuthorCount: 1},
		},
		{
			name: "control characters dropped from text",
			in:   Paper{ID: "x", Title: "A\x07B", Abstract: "\x1b[1mbold\x1b[0m", Venue: "J\x00ACM"},
			want: Paper{ID: "x", Title: "AB", Abstract: "[1mbold[0m", Venue: "JACM"},
		},
		{
			name: "control characters kept in the ID for Validate to reject",
			in:   Paper{ID: " x\x00y\n", Title: "T", Abstract: "A"},
			want: Paper{ID: "x\x00y", Title: "T", Abstract: "A"},
		},
		{
			name: "invalid UTF-8 in the ID repaired",
			in:   Paper{ID: "caf\xe9", Title: "T", Abstract: "A"},
			want: Paper{ID: "caf\uFFFD", Title: "T", Abstract: "A"},
		},
		{
			name: "empty authors and categories dropped",
			in:   Paper{ID: "x", Title: "T", Abstract: "A", Authors: []string{"", "  ", "Ada Lovelace", "\t\n", "\x00"}, Categories: []string{"", "cs.LG", " "}},
			want: Paper{ID: "x", Title: "T", Abstract: "A", Authors: []string{"Ada Lovelace"}, AuthorCount: 1, Categories: []string{"cs.LG"}},
		},
		{
			name: "all-empty lists become nil",
			in:   Paper{ID: "x", Title: "T", Abstract: "A", Authors: []string{"", " "}, Categories: []string{}},
			want: Paper{ID: "x", Title: "T", Abstract: "A"},
		},
		{
			name: "author count raised to the number of authors",
			in:   Paper{ID: "x", Title: "T", Abstract: "A", Authors: []string{"a", "b", "c"}, AuthorCount: 1},
			want: Paper{ID: "x", Title: "T", Abstract: "A", Authors: []string{"a", "b", "c"}, AuthorCount: 3},
		},
		{
			name: "author count above the listed authors kept",
			in:   Paper{ID: "x", Title: "T", Abstract: "A", Authors: []string{"a", "b"}, AuthorCount: 12},
			want: Paper{ID: "x", Title: "T", Abstract: "A", Authors: []string{"a", "b"}, AuthorCount: 12},
		},
		{
			name: "negative author count kept for Validate to reject",
			in:   Paper{ID: "x", Title: "T", Abstract: "A", Authors: []string{"a"}, AuthorCount: -4},
			want: Paper{ID: "x", Title: "T", Abstract: "A", Authors: []string{"a"}, AuthorCount: -4},
		},
		{
			name: "negative upvotes kept for Validate to reject",
			in:   Paper{ID: "x", Title: "T", Abstract: "A", Upvotes: -7},
			want: Paper{ID: "x", Title: "T", Abstract: "A", Upvotes: -7},
		},
		{
			name: "DOI normalised",
			in:   Paper{ID: "x", Title: "T", Abstract: "A", DOI: " https://doi.org/10.1103/PhysRevD.76.013009\n"},
			want: Paper{ID: "x", Title: "T", Abstract: "A", DOI: "10.1103/physrevd.76.013009"},
		},
		{
			name: "DOI with doi: prefix",
			in:   Paper{ID: "x", Title: "T", Abstract: "A", DOI: "doi:10.1000/ABC"},
			want: Paper{ID: "x", Title: "T", Abstract: "A", DOI: "10.1000/abc"},
		},
		{
			name: "malformed DOI kept for Validate to reject",
			in:   Paper{ID: "x", Title: "T", Abstract: "A", DOI: " n/a "},
			want: Paper{ID: "x", Title: "T", Abstract: "A", DOI: "n/a"},
		},
		{
			name: "arXiv ID loses prefix and version",
			in:   Paper{ID: "x", Title: "T", Abstract: "A", ArxivID: "arXiv:2504.16081v2"},
			want: Paper{ID: "x", Title: "T", Abstract: "A", ArxivID: "2504.16081"},
		},
		{
			name: "venue and source folded",
			in:   Paper{ID: "x", Title: "T", Abstract: "A", Venue: " CVPR\n 2025 ", Source: " bibtex", TitleDerived: true},
			want: Paper{ID: "x", Title: "T", Abstract: "A", Venue: "CVPR 2025", Source: "bibtex", TitleDerived: true},
		},
		{
			name: "ID derived from the title when empty",
			in:   Paper{Title: " Attention  Is All\nYou Need", Abstract: "A"},
			want: Paper{ID: DerivedID(title), Title: title, Abstract: "A"},
		},
		{
			name: "ID of only white space counts as empty",
			in:   Paper{ID: " \t\n", Title: title, Abstract: "A"},
			want: Paper{ID: DerivedID(title), Title: title, Abstract: "A"},
		},
		{
			name: "no title leaves the ID empty",
			in:   Paper{Title: " \n ", Abstract: "A"},
			want: Paper{Abstract: "A"},
		},
		{
			name: "inner white space of an ID kept for Validate to reject",
			in:   Paper{ID: "a  b", Title: "T", Abstract: "A"},
			want: Paper{ID: "a  b", Title: "T", Abstract: "A"},
		},
		{
			name: "date left alone",
			in:   Paper{ID: "x", Title: "T", Abstract: "A", Published: Date{Year: 2017, Month: 6}},
			want: Paper{ID: "x", Title: "T", Abstract: "A", Published: Date{Year: 2017, Month: 6}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.in
			got.Normalize()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Normalize (-want +got):\n%s", diff)
			}
			again := got
			again.Authors = append([]string(nil), got.Authors...)
			again.Normalize()
			if diff := cmp.Diff(got, again); diff != "" {
				t.Errorf("Normalize is not idempotent (-once +twice):\n%s", diff)
			}
		})
	}
}

func TestNormalizeDoesNotAliasInput(t *testing.T) {
	authors := []string{"", "Ada Lovelace"}
	p := Paper{ID: "x", Title: "T", Abstract: "A", Authors: authors}
	p.Normalize()
	if diff := cmp.Diff([]string{"", "Ada Lovelace"}, authors); diff != "" {
		t.Errorf("Normalize changed the caller's slice (-want +got):\n%s", diff)
	}
}

func TestDerivedID(t *testing.T) {
	form := regexp.MustCompile(`^t-[0-9a-f]{16}$`)
	// Stored papers keep their derived IDs across releases: a change of hash or folding would orphan
	// them, so one value is pinned.
	if got, want := DerivedID("Attention Is All You Need"), "t-06c3748b4f82d0a8"; got != want {
		t.Errorf("DerivedID changed: got %q, want %q", got, want)
	}
	for _, tc := range []struct {
		name string
		a, b string
		same bool
	}{
		{"identical", "Attention Is All You Need", "Attention Is All You Need", true},
		{"case", "Attention Is All You Need", "ATTENTION is all you need", true},
		{"spaces", "Attention Is All You Need", "  Attention  Is All   You Need ", true},
		{"line breaks and tabs", "Attention Is All You Need", "Attention Is\nAll\tYou\r\nNeed", true},
		{"case and space together", "Deep  Residual\nLearning", "deep residual learning", true},
		{"control characters ignored", "Deep Residual Learning", "Deep\x00 Residual Learning", true},
		{"different words", "Attention Is All You Need", "Attention Is Not All You Need", false},
		{"punctuation matters", "mixup: Beyond Empirical Risk Minimization", "mixup Beyond Empirical Risk Minimization", false},
		{"word boundary matters", "Deep Residual Learning", "DeepResidual Learning", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := DerivedID(tc.a), DerivedID(tc.b)
			for _, id := range []string{a, b} {
				if !form.MatchString(id) {
					t.Errorf("DerivedID = %q, want t- and 16 hex digits", id)
				}
			}
			if (a == b) != tc.same {
				t.Errorf("DerivedID(%q) = %s, DerivedID(%q) = %s; same = %v, want %v", tc.a, a, tc.b, b, a == b, tc.same)
			}
			// Normalize must derive the same ID however the source spelled the title.
			pa, pb := Paper{Title: tc.a, Abstract: "x"}, Paper{Title: tc.b, Abstract: "x"}
			pa.Normalize()
			pb.Normalize()
			if (pa.ID == pb.ID) != tc.same {
				t.Errorf("Normalize gave IDs %s and %s; same = %v, want %v", pa.ID, pb.ID, pa.ID == pb.ID, tc.same)
			}
			if err := pa.Validate(); err != nil {
				t.Errorf("a derived ID fails Validate: %v", err)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	valid := func() Paper {
		return Paper{ID: "2106.01234", Title: "A title", Abstract: "An abstract.", Authors: []string{"A. Author"}, Categories: []string{"cs.CL"}}
	}
	n := func(k int) []string {
		s := make([]string, k)
		for i := range s {
			s[i] = fmt.Sprint("x", i)
		}
		return s
	}
	for _, tc := range []struct {
		name   string
		modify func(*Paper)
		want   error // nil for a valid paper
	}{
		{"valid", func(*Paper) {}, nil},
		{"old-style arXiv id", func(p *Paper) { p.ID = "hep-th/9901001v2" }, nil},
		{"no authors or categories", func(p *Paper) { p.Authors, p.Categories = nil, nil }, nil},
		{"missing title", func(p *Paper) { p.Title = "" }, ErrMissingTitle},
		{"missing abstract", func(p *Paper) { p.Abstract = "" }, ErrMissingAbstract},
		{"missing both reports the title", func(p *Paper) { p.Title, p.Abstract = "", "" }, ErrMissingTitle},
		{"empty id", func(p *Paper) { p.ID = "" }, ErrBadID},
		{"id at the limit", func(p *Paper) { p.ID = strings.Repeat("a", MaxIDLen) }, nil},
		{"id too long", func(p *Paper) { p.ID = strings.Repeat("a", MaxIDLen+1) }, ErrBadID},
		{"id limit is in bytes", func(p *Paper) { p.ID = strings.Repeat("é", MaxIDLen/2+1) }, ErrBadID},
		{"id with a space", func(p *Paper) { p.ID = "a b" }, ErrBadID},
		{"id with a tab", func(p *Paper) { p.ID = "a\tb" }, ErrBadID},
		{"id with a newline", func(p *Paper) { p.ID = "a\n" }, ErrBadID},
		{"id with a no-break space", func(p *Paper) { p.ID = "a\u00a0b" }, ErrBadID},
		{"id with NUL", func(p *Paper) { p.ID = "a\x00b" }, ErrBadID},
		{"id with DEL", func(p *Paper) { p.ID = "a\x7fb" }, ErrBadID},
		{"id with a C1 control", func(p *Paper) { p.ID = "a\u0085b" }, ErrBadID},
		{"title at the limit", func(p *Paper) { p.Title = strings.Repeat("t", MaxTitleLen) }, nil},
		{"title too long", func(p *Paper) { p.Title = strings.Repeat("t", MaxTitleLen+1) }, ErrTooLarge},
		{"title limit is in bytes", func(p *Paper) { p.Title = strings.Repeat("é", MaxTitleLen/2+1) }, ErrTooLarge},
		{"abstract at the limit", func(p *Paper) { p.Abstract = strings.Repeat("a", MaxAbstractLen) }, nil},
		{"abstract too long", func(p *Paper) { p.Abstract = strings.Repeat("a", MaxAbstractLen+1) }, ErrTooLarge},
		{"authors at the limit", func(p *Paper) { p.Authors = n(MaxAuthors) }, nil},
		{"too many authors", func(p *Paper) { p.Authors = n(MaxAuthors + 1) }, ErrTooLarge},
		{"categories at the limit", func(p *Paper) { p.Categories = n(MaxCategories) }, nil},
		{"too many categories", func(p *Paper) { p.Categories = n(MaxCategories + 1) }, ErrTooLarge},
		{"url at the limit", func(p *Paper) { p.URL = "https://x.org/" + strings.Repeat("a", MaxURLLen-14) }, nil},
		{"url too long", func(p *Paper) { p.URL = "https://x.org/" + strings.Repeat("a", MaxURLLen-13) }, ErrTooLarge},
		{"venue too long", func(p *Paper) { p.Venue = strings.Repeat("v", MaxVenueLen+1) }, ErrTooLarge},
		{"author count zero", func(p *Paper) { p.AuthorCount = 0 }, nil},
		{"author count at the limit", func(p *Paper) { p.AuthorCount = MaxCount }, nil},
		{"negative author count", func(p *Paper) { p.AuthorCount = -1 }, ErrBadCount},
		{"author count above the limit", func(p *Paper) { p.AuthorCount = MaxCount + 1 }, ErrBadCount},
		{"upvotes at the limit", func(p *Paper) { p.Upvotes = MaxCount }, nil},
		{"negative upvotes", func(p *Paper) { p.Upvotes = -7 }, ErrBadCount},
		{"upvotes above the limit", func(p *Paper) { p.Upvotes = 1 << 40 }, ErrBadCount},
		{"DOI", func(p *Paper) { p.DOI = "10.1103/physrevd.76.013009" }, nil},
		{"DOI not normalised", func(p *Paper) { p.DOI = "https://doi.org/10.1103/x" }, ErrBadDOI},
		{"DOI upper-case", func(p *Paper) { p.DOI = "10.1103/X" }, ErrBadDOI},
		{"not a DOI", func(p *Paper) { p.DOI = "n/a" }, ErrBadDOI},
		{"DOI with a space", func(p *Paper) { p.DOI = "10.1103/a b" }, ErrBadDOI},
		{"arXiv ID", func(p *Paper) { p.ArxivID = "2504.16081" }, nil},
		{"old-style arXiv ID", func(p *Paper) { p.ArxivID = "hep-th/9901001" }, nil},
		{"arXiv ID with version", func(p *Paper) { p.ArxivID = "2504.16081v2" }, ErrBadArxivID},
		{"not an arXiv ID", func(p *Paper) { p.ArxivID = "4983" }, ErrBadArxivID},
		{"source", func(p *Paper) { p.Source = "csl-json" }, nil},
		{"source upper-case", func(p *Paper) { p.Source = "BibTeX" }, ErrBadSource},
		{"source too long", func(p *Paper) { p.Source = strings.Repeat("s", MaxSourceLen+1) }, ErrBadSource},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := valid()
			tc.modify(&p)
			err := p.Validate()
			switch {
			case tc.want == nil && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Errorf("Validate() = %v, want an error wrapping %q", err, tc.want)
			}
		})
	}
}

// A record that only has white space where the title or abstract should be is rejected once normalized.
func TestNormalizeThenValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Paper
		want error
	}{
		{"blank title", Paper{ID: "x", Title: " \n\t", Abstract: "A"}, ErrMissingTitle},
		{"blank abstract", Paper{ID: "x", Title: "T", Abstract: "\r\n \x00"}, ErrMissingAbstract},
		{"id with inner space", Paper{ID: " a b ", Title: "T", Abstract: "A"}, ErrBadID},
		{"no id, so derived", Paper{Title: "T", Abstract: "A"}, nil},
		{"NUL in id", Paper{ID: "a\x00b", Title: "T", Abstract: "A"}, ErrBadID},
		{"escape character in id", Paper{ID: "\x1b[1mx", Title: "T", Abstract: "A"}, ErrBadID},
		{"trailing newline of an id trimmed", Paper{ID: "a1\n", Title: "T", Abstract: "A"}, nil},
		{"negative author count", Paper{ID: "x", Title: "T", Abstract: "A", AuthorCount: -4}, ErrBadCount},
		{"negative author count with authors", Paper{ID: "x", Title: "T", Abstract: "A", Authors: []string{"a"}, AuthorCount: -4}, ErrBadCount},
		{"negative upvotes", Paper{ID: "x", Title: "T", Abstract: "A", Upvotes: -1}, ErrBadCount},
		{"DOI link", Paper{ID: "x", Title: "T", Abstract: "A", DOI: "https://doi.org/10.1000/X"}, nil},
		{"garbage DOI", Paper{ID: "x", Title: "T", Abstract: "A", DOI: "unknown"}, ErrBadDOI},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.in
			p.Normalize()
			err := p.Validate()
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("Validate() after Normalize = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestCheckURL(t *testing.T) {
	for _, tc := range []struct {
		name, url string
		ok        bool
		reason    string
	}{
		{"empty", "", true, ""},
		{"https", "https://arxiv.org/abs/2504.16081", true, ""},
		{"http", "http://example.org", true, ""},
		{"upper-case scheme", "HTTPS://example.org/x", true, ""},
		{"javascript", "javascript:alert(1)", false, "url must be http or https, not javascript"},
		{"data", "data:text/html,<script>", false, "url must be http or https, not data"},
		{"ftp", "ftp://example.org/paper.pdf", false, "url must be http or https, not ftp"},
		{"file", "file:///etc/passwd", false, "url must be http or https, not file"},
		{"relative", "/etc/passwd", false, "url must be http or https"},
		{"no host", "https:///path", false, `url must be http or https: "https:///path" has no host`},
		{"scheme-relative", "//example.org/x", false, "url must be http or https"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckURL(tc.url)
			if tc.ok {
				if err != nil {
					t.Errorf("CheckURL(%q) = %v, want nil", tc.url, err)
				}
				return
			}
			if !errors.Is(err, ErrBadURL) || err.Error() != tc.reason {
				t.Errorf("CheckURL(%q) = %v, want %q wrapping ErrBadURL", tc.url, err, tc.reason)
			}
		})
	}
}

func ExampleDerivedID() {
	fmt.Println(DerivedID("Attention Is All You Need") == DerivedID("attention is all\nyou need"))
	// Output: true
}

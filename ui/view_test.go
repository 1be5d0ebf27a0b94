package ui

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
)

func TestShortAuthors(t *testing.T) {
	tests := []struct {
		name string
		p    paper.Paper
		want string
	}{
		{"none", paper.Paper{}, ""},
		{"count only", paper.Paper{AuthorCount: 4}, "4 authors"},
		{"one by count", paper.Paper{AuthorCount: 1}, "1 author"},
		{"one", paper.Paper{Authors: []string{"A"}}, "A"},
		{"three", paper.Paper{Authors: []string{"A", "B", "C"}}, "A, B, C"},
		{"four", paper.Paper{Authors: []string{"A", "B", "C", "D"}}, "A, B, C et al."},
		{"two named of five", paper.Paper{Authors: []string{"A", "B"}, AuthorCount: 5}, "A, B et al."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shortAuthors(tt.p).String(); got != tt.want {
				t.Errorf("shortAuthors = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDateOf(t *testing.T) {
	tests := []struct {
		d    paper.Date
		want dateView
	}{
		{paper.Date{}, dateView{}},
		{paper.Date{Year: 2024}, dateView{"2024", "2024"}},
		{paper.Date{Year: 2024, Month: 6}, dateView{"2024-06", "Jun 2024"}},
		{paper.Date{Year: 2024, Month: 6, Day: 3}, dateView{"2024-06-03", "3 Jun 2024"}},
	}
	for _, tt := range tests {
		if got := dateOf(tt.d); got != tt.want {
			t.Errorf("dateOf(%v) = %+v, want %+v", tt.d, got, tt.want)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"one two three four five", 15, "one two three…"},
		{"one two three four five", 12, "one two thre…"}, // no space near the end: cut the word
		{"unbrokenlongword", 5, "unbro…"},
		{"ééééé éé ééééé", 10, "ééééé éé…"},
		{"ends with a comma, then more", 18, "ends with a comma…"},
	}
	for _, tt := range tests {
		if got := clip(tt.in, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestSplitOf(t *testing.T) {
	tests := []struct {
		name         string
		mode         index.Mode
		kw, vec      *index.Component
		wantKw       int
		wantNil      bool
		labelHasText string
	}{
		{"both first", index.ModeHybrid, &index.Component{Rank: 1, Score: 8, Contribution: 0.7}, &index.Component{Rank: 1, Score: .3, Contribution: 0.3}, 70, false, "Keyword: rank 1, BM25 score 8.000. Vector: rank 1, cosine similarity 0.300."},
		{"keyword better", index.ModeHybrid, &index.Component{Rank: 1, Contribution: 0.6}, &index.Component{Rank: 3, Contribution: 0.2}, 75, false, "75% keyword, 25% vector"},
		{"vector only in hybrid", index.ModeHybrid, nil, &index.Component{Rank: 2, Contribution: 0.1}, 0, false, "Keyword: not among its top candidates."},
		{"keyword mode", index.ModeKeyword, &index.Component{Rank: 4, Contribution: 3}, nil, 100, false, "Vector: not used in keyword mode."},
		{"vector mode", index.ModeVector, nil, &index.Component{Rank: 4, Contribution: 0.2}, 0, false, "Keyword: not used in vector mode."},
		{"found by both, one contributing nothing", index.ModeHybrid, &index.Component{Rank: 100, Contribution: 0}, &index.Component{Rank: 1, Contribution: 0.3}, 0, false, "Keyword: rank 100"},
		{"neither", index.ModeHybrid, nil, nil, 0, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := splitOf(tt.mode, index.Result{Keyword: tt.kw, Vector: tt.vec})
			if tt.wantNil {
				if s != nil {
					t.Fatalf("split = %+v, want nil", s)
				}
				return
			}
			if s.Keyword != tt.wantKw || s.Keyword+s.Vector != 100 {
				t.Errorf("split = %d/%d, want %d keyword, summing to 100", s.Keyword, s.Vector, tt.wantKw)
			}
			if !strings.Contains(s.Label, tt.labelHasText) {
				t.Errorf("label %q lacks %q", s.Label, tt.labelHasText)
			}
		})
	}
}

func TestMakePager(t *testing.T) {
	urlOf := func(n int) string { return "p" + string(rune('0'+n%10)) }
	render := func(p *pager) string {
		if p == nil {
			return "<nil>"
		}
		var b strings.Builder
		if p.Prev != "" {
			b.WriteString("< ")
		}
		for _, l := range p.Pages {
			switch {
			case l.Gap:
				b.WriteString("… ")
			case l.Current:
				b.WriteString("[" + string(rune('0'+l.Number%10)) + "] ")
			default:
				b.WriteString(string(rune('0'+l.Number%10)) + " ")
			}
		}
		if p.Next != "" {
			b.WriteString(">")
		}
		return strings.TrimSpace(b.String())
	}
	tests := []struct {
		current, last int
		want          string
	}{
		{1, 1, "<nil>"},
		{1, 2, "[1] 2 >"},
		{2, 2, "< 1 [2]"},
		{1, 9, "[1] 2 3 … 9 >"},
		{5, 9, "< 1 … 3 4 [5] 6 7 … 9 >"},
		{4, 9, "< 1 2 3 [4] 5 6 … 9 >"},
		{9, 9, "< 1 … 7 8 [9]"},
	}
	for _, tt := range tests {
		if got := render(makePager(tt.current, tt.last, urlOf)); got != tt.want {
			t.Errorf("makePager(%d, %d) = %q, want %q", tt.current, tt.last, got, tt.want)
		}
	}
}

func TestSourceLink(t *testing.T) {
	tests := []struct {
		name string
		p    paper.Paper
		want *link
	}{
		{"own URL", paper.Paper{ID: "x", URL: "https://www.aclweb.org/anthology/P19-1001"}, &link{"View at aclweb.org", "https://www.aclweb.org/anthology/P19-1001"}},
		{"arXiv URL", paper.Paper{ID: "x", URL: "https://arxiv.org/abs/2401.01234v2"}, &link{"View on arXiv", "https://arxiv.org/abs/2401.01234v2"}},
		{"new arXiv ID", paper.Paper{ID: "2401.01234"}, &link{"View on arXiv", "https://arxiv.org/abs/2401.01234"}},
		{"versioned ID", paper.Paper{ID: "0704.0001v2"}, &link{"View on arXiv", "https://arxiv.org/abs/0704.0001v2"}},
		{"old arXiv ID", paper.Paper{ID: "cs/0112017"}, &link{"View on arXiv", "https://arxiv.org/abs/cs/0112017"}},
		{"old ID with subject class", paper.Paper{ID: "math.AG/0601001"}, &link{"View on arXiv", "https://arxiv.org/abs/math.AG/0601001"}},
		{"old ID with hyphen", paper.Paper{ID: "hep-th/9901001"}, &link{"View on arXiv", "https://arxiv.org/abs/hep-th/9901001"}},
		{"derived ID", paper.Paper{ID: "t-0123456789abcdef"}, nil},
		{"javascript URL", paper.Paper{ID: "x", URL: "javascript:alert(1)"}, nil},
		{"data URL", paper.Paper{ID: "x", URL: "data:text/html,<script>"}, nil},
		{"relative URL", paper.Paper{ID: "x", URL: "/etc/passwd"}, nil},
		{"bad URL falls back to the ID", paper.Paper{ID: "2401.01234", URL: "javascript:x"}, &link{"View on arXiv", "https://arxiv.org/abs/2401.01234"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, sourceLink(tt.p)); diff != "" {
				t.Errorf("sourceLink (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPlainWords(t *testing.T) {
	tests := map[string]string{
		`"sparse attention`:  "sparse attention",
		`title:(mamba`:       "title mamba",
		`+a -b c^2 d~ e* f?`: "a b c 2 d e f",
		`plain words`:        "plain words",
		`:::`:                "",
	}
	for in, want := range tests {
		if got := plainWords(in); got != want {
			t.Errorf("plainWords(%q) = %q, want %q", in, got, want)
		}
	}
}

// idCore records the ID the paper page asked for.
type idCore struct {
	fakeCore
	got *string
}

func (c idCore) Get(_ context.Context, id string) (paper.Paper, error) {
	*c.got = id
	return paper.Paper{ID: id, Title: "T", Abstract: "A"}, nil
}

// FuzzPaperURL checks that the link paperURL makes for any valid ID reaches the paper page with
// that same ID, through the router's path cleaning and unescaping.
func FuzzPaperURL(f *testing.F) {
	for _, id := range []string{"cs/0112017", "2401.01234v2", "t-0123456789abcdef", hostileID, "odd/../id", "a//b", "/lead", "trail/", ".", "%2F", "x?y#z", "ü/ß", "a/./b"} {
		f.Add(id)
	}
	var got string
	h, err := New(idCore{got: &got}, quietOptions(nil))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, id string) {
		p := paper.Paper{ID: id, Title: "T", Abstract: "A"}
		p.Normalize()
		if p.ID != id || p.Validate() != nil || strings.ContainsFunc(id, unicode.IsControl) {
			return // not an ID a paper can have
		}
		got = ""
		target := paperURL(id)
		if _, err := url.Parse(target); err != nil {
			t.Fatalf("paperURL(%q) = %q: %v", id, target, err)
		}
		res, _ := get(t, h, http.MethodGet, target)
		if res.StatusCode != http.StatusOK || got != id {
			t.Fatalf("paperURL(%q) = %q: status %d, page asked for %q", id, target, res.StatusCode, got)
		}
	})
}

// FuzzParseSearch checks that the search parameters never panic the parser, and that a form that
// parses comes back unchanged through the URL its page links to.
func FuzzParseSearch(f *testing.F) {
	f.Add("sparse attention", "keyword", "2020", "2024-06-30", "cs.CL,cs.LG", "2")
	f.Add(`"unclosed`, "", "", "", "", "")
	f.Add("a", "vector", "2024-13", "x", " , ", "-1")
	f.Add("é & <b>", "semantic", "0001", "9999-12-31", "<b>", "1001")
	s := &server{opts: DefaultOptions()}
	f.Fuzz(func(t *testing.T, q, mode, from, to, category, page string) {
		v := url.Values{"q": {q}, "mode": {mode}, "from": {from}, "to": {to}, "category": {category}, "page": {page}}
		form, req, invalid, prob := s.parseSearch(v)
		if (prob == nil) != (len(invalid) == 0) {
			t.Fatalf("problem %v but invalid fields %v", prob, invalid)
		}
		if prob != nil {
			return
		}
		if req.Offset != (form.Page-1)*s.opts.PageSize || req.Offset > index.MaxOffset {
			t.Fatalf("offset %d for page %d", req.Offset, form.Page)
		}
		u, err := url.Parse(form.url(form.Page))
		if err != nil {
			t.Fatal(err)
		}
		again, _, _, prob := s.parseSearch(u.Query())
		if prob != nil {
			t.Fatalf("the form's own URL %s does not parse: %v", u, prob.Details)
		}
		if diff := cmp.Diff(form, again); diff != "" {
			t.Fatalf("round trip through %s (-first +again):\n%s", u, diff)
		}
	})
}

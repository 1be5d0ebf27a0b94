package syntax

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func w(text string) Clause { return Clause{Kind: Word, Text: text, Boost: 1} }

func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  []Clause
		notes []string // note codes
	}{
		{"words", "state space models", []Clause{w("state"), w("space"), w("models")}, nil},
		{"phrase", `"state space" models`, []Clause{{Kind: Phrase, Text: "state space", Boost: 1}, w("models")}, nil},
		{"must and must not", "+mamba -transformer", []Clause{{Occur: Must, Kind: Word, Text: "mamba", Boost: 1}, {Occur: MustNot, Kind: Word, Text: "transformer", Boost: 1}}, nil},
		{"must phrase", `+"large language"`, []Clause{{Occur: Must, Kind: Phrase, Text: "large language", Boost: 1}}, nil},
		{"field", "title:mamba", []Clause{{Field: FieldTitle, Kind: Word, Text: "mamba", Boost: 1}}, nil},
		{"field alias and case", "AU:vulic", []Clause{{Field: FieldAuthors, Kind: Word, Text: "vulic", Boost: 1}}, nil},
		{"field phrase", `authors:"Ivan Vulić"`, []Clause{{Field: FieldAuthors, Kind: Phrase, Text: "Ivan Vulić", Boost: 1}}, nil},
		{"date", "date:2025-03", []Clause{{Field: FieldDate, Kind: Word, Text: "2025-03", Boost: 1}}, nil},
		{"boost", "mamba^2", []Clause{{Kind: Word, Text: "mamba", Boost: 2}}, nil},
		{"prefix", "distill*", []Clause{{Kind: Prefix, Text: "distill", Boost: 1}}, nil},
		{"wildcard", "dis?ill*", []Clause{{Kind: Wildcard, Text: "dis?ill*", Boost: 1}}, nil},
		{"leading wildcard", "*e*", []Clause{{Kind: Wildcard, Text: "*e*", Boost: 1}}, nil},
		{"escaped star is no wildcard", `a\*b`, []Clause{w(`a\*b`)}, nil},
		{"fuzzy", "atention~", []Clause{{Kind: Fuzzy, Text: "atention", Fuzziness: 1, Boost: 1}}, nil},
		{"fuzzy 2 with boost", "atention~2^3", []Clause{{Kind: Fuzzy, Text: "atention", Fuzziness: 2, Boost: 3}}, nil},
		{"regexp", "/(a+)+$/", []Clause{{Kind: Regexp, Text: "(a+)+$", Boost: 1}}, nil},
		{"match all", "*", []Clause{{Kind: MatchAll, Text: "*", Boost: 1}}, nil},
		{"AND", "a AND b c", []Clause{{Occur: Must, Kind: Word, Text: "a", Boost: 1}, {Occur: Must, Kind: Word, Text: "b", Boost: 1}, w("c")}, nil},
		{"OR is the default", "a OR b || c", []Clause{w("a"), w("b"), w("c")}, nil},
		{"NOT", "a NOT b", []Clause{w("a"), {Occur: MustNot, Kind: Word, Text: "b", Boost: 1}}, nil},

		// Natural text: never an error, and only real mistakes get a note.
		{"pasted title", "Chart-R1: Chain-of-Thought Supervision", []Clause{w("Chart-R1:"), w("Chain-of-Thought"), w("Supervision")}, nil},
		{"ratio", "3:1 ratio", []Clause{w("3:1"), w("ratio")}, nil},
		{"prose colon", "Background: we study", []Clause{w("Background:"), w("we"), w("study")}, nil},
		{"slashes", "myelopathy / tropical spastic paraparesis (HAM/TSP)", []Clause{w("myelopathy"), w("tropical"), w("spastic"), w("paraparesis"), w("(HAM/TSP)")}, []string{"lone_operator"}},
		{"unterminated quote", `"unterminated words`, []Clause{w("unterminated"), w("words")}, []string{"unterminated_quote"}},
		{"empty field", "title:", []Clause{w("title")}, []string{"empty_field"}},
		{"unknown field", "venue:x", []Clause{w("venue:x")}, []string{"unknown_field"}},
		{"lone tilde", "~", nil, []string{"lone_operator"}},
		{"backslash", `\`, nil, []string{"lone_operator"}},
		{"operators only", "!important && || -", []Clause{w("!important")}, []string{"lone_operator", "lone_operator"}},
		{"bad boost", "a^x", []Clause{w("a")}, []string{"bad_boost"}},
		{"big fuzziness", "a~5", []Clause{{Kind: Fuzzy, Text: "a", Fuzziness: 2, Boost: 1}}, []string{"bad_fuzziness"}},
		{"phrase slop", `"a b"~3`, []Clause{{Kind: Phrase, Text: "a b", Boost: 1}}, []string{"phrase_slop"}},
		{"AND at the start", "AND a", []Clause{w("a")}, []string{"lone_operator"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i := range q.Clauses {
				q.Clauses[i].Pos = 0
			}
			if diff := cmp.Diff(tt.want, q.Clauses); diff != "" {
				t.Errorf("Parse(%q) clauses (-want +got):\n%s", tt.in, diff)
			}
			var codes []string
			for _, n := range q.Notes {
				codes = append(codes, n.Code)
			}
			if diff := cmp.Diff(tt.notes, codes); diff != "" {
				t.Errorf("Parse(%q) notes (-want +got):\n%s\n%v", tt.in, diff, q.Notes)
			}
			// Strict: an error exactly when leniency needed a note.
			_, err = Parse(tt.in, Options{Strict: true})
			if (err != nil) != (len(tt.notes) > 0) {
				t.Errorf("strict Parse(%q) error %v, lenient notes %v", tt.in, err, q.Notes)
			}
			if err != nil && !errors.Is(err, ErrSyntax) {
				t.Errorf("strict error %v does not wrap ErrSyntax", err)
			}
		})
	}
}

func TestParseEmptyAndLimits(t *testing.T) {
	for _, in := range []string{"", "   ", "\t\n"} {
		if _, err := Parse(in, Options{}); !errors.Is(err, ErrEmpty) {
			t.Errorf("Parse(%q) err %v, want ErrEmpty", in, err)
		}
	}
	long := strings.Repeat("word ", 2000)
	q, err := Parse(long, Options{})
	if err != nil || len(q.Clauses) > MaxClauses || len(q.Notes) == 0 {
		t.Errorf("long query: %d clauses, notes %v, err %v", len(q.Clauses), q.Notes, err)
	}
	if _, err := Parse(long, Options{Strict: true}); !errors.Is(err, ErrSyntax) {
		t.Errorf("long strict query: err %v", err)
	}
}

func TestMatchPattern(t *testing.T) {
	for _, tt := range []struct {
		pattern, word string
		want          bool
	}{
		{"dis*", "distillation", true},
		{"*e*", "model", true},
		{"*e*", "graph", false},
		{"d?st*", "distil", true},
		{"d?st*", "dst", false},
		{`a\*b`, "a*b", true},
		{`a\*b`, "axb", false},
		{"*", "", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXbY", false},
		{"é?", "éa", true},
		{"?", "é", true},
	} {
		if got := MatchPattern(tt.pattern, tt.word); got != tt.want {
			t.Errorf("MatchPattern(%q, %q) = %v, want %v", tt.pattern, tt.word, got, tt.want)
		}
	}
	if got := LiteralPrefix(`di\*s*x`); got != "di*s" {
		t.Errorf("LiteralPrefix = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"state space", `"a b"^2 -c +d`, "title:x authors:\"y z\"", "a~2 b* c?d /e+/", "*", `\`, "a AND NOT b", "x^", `"`, "date:2024..2025"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s, Options{})
		if err != nil {
			if !errors.Is(err, ErrEmpty) || strings.TrimSpace(s) != "" {
				t.Fatalf("lenient Parse(%q): %v", s, err)
			}
			return
		}
		if len(q.Clauses) > MaxClauses {
			t.Fatalf("%d clauses", len(q.Clauses))
		}
		for _, c := range q.Clauses {
			if c.Boost <= 0 || c.Boost > MaxBoost {
				t.Fatalf("clause %+v: boost out of range", c)
			}
			if c.Kind == Fuzzy && (c.Fuzziness < 1 || c.Fuzziness > 2) {
				t.Fatalf("clause %+v: fuzziness out of range", c)
			}
			if c.Field != "" && fieldNames[c.Field] != c.Field {
				t.Fatalf("clause %+v: field not canonical", c)
			}
			if c.Pos < 0 || c.Pos > len(strings.ToValidUTF8(s, "\uFFFD")) {
				t.Fatalf("clause %+v: position out of range", c)
			}
		}
		sq, serr := Parse(s, Options{Strict: true})
		if serr == nil && len(q.Notes) == 0 && !cmp.Equal(sq, q) {
			t.Fatalf("strict and lenient disagree on %q", s)
		}
	})
}

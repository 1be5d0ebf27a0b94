package paper

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRef(t *testing.T) {
	arxiv := func(id string) Ref { return Ref{Kind: RefArxiv, Value: id} }
	doi := func(d string) Ref { return Ref{Kind: RefDOI, Value: d} }
	for _, tc := range []struct {
		name, in string
		want     Ref
		ok       bool
	}{
		{"new-style with version", "2504.16081v2", arxiv("2504.16081"), true},
		{"new-style", "2504.16081", arxiv("2504.16081"), true},
		{"four-digit number before 2015", "0704.0001", arxiv("0704.0001"), true},
		{"arXiv prefix", "arXiv:2504.16081", arxiv("2504.16081"), true},
		{"arXiv prefix, lower case, space", "arxiv: 2504.16081v1", arxiv("2504.16081"), true},
		{"abs link with version", "https://arxiv.org/abs/2504.16081v3", arxiv("2504.16081"), true},
		{"abs link over http, www", "http://www.arxiv.org/abs/2504.16081", arxiv("2504.16081"), true},
		{"abs link without scheme", "arxiv.org/abs/2504.16081", arxiv("2504.16081"), true},
		{"pdf link", "https://arxiv.org/pdf/2504.16081", arxiv("2504.16081"), true},
		{"pdf link with .pdf and version", "https://arxiv.org/pdf/2504.16081v2.pdf", arxiv("2504.16081"), true},
		{"html link", "https://arxiv.org/html/2504.16081v1", arxiv("2504.16081"), true},
		{"export mirror", "https://export.arxiv.org/abs/2504.16081", arxiv("2504.16081"), true},
		{"link with query and fragment", "https://arxiv.org/abs/2504.16081?context=cs#x", arxiv("2504.16081"), true},
		{"old-style", "hep-th/9901001", arxiv("hep-th/9901001"), true},
		{"old-style with version", "hep-th/9901001v2", arxiv("hep-th/9901001"), true},
		{"old-style with subject class", "math.GT/0309136", arxiv("math.GT/0309136"), true},
		{"old-style with prefix", "arXiv:cond-mat/0611123", arxiv("cond-mat/0611123"), true},
		{"old-style abs link", "https://arxiv.org/abs/hep-th/9901001v1", arxiv("hep-th/9901001"), true},
		{"surrounding white space and a full stop", "  arXiv:2504.16081.\n", arxiv("2504.16081"), true},
		{"arXiv's own DOI", "10.48550/arXiv.2504.16081", arxiv("2504.16081"), true},
		{"arXiv's own DOI as a link", "https://doi.org/10.48550/ARXIV.2504.16081", arxiv("2504.16081"), true},
		{"doi prefix", "doi:10.1234/x", doi("10.1234/x"), true},
		{"DOI prefix and space", "DOI: 10.1234/X", doi("10.1234/x"), true},
		{"doi.org link", "https://doi.org/10.1234/X", doi("10.1234/x"), true},
		{"dx.doi.org link", "http://dx.doi.org/10.1103/PhysRevD.76.013009", doi("10.1103/physrevd.76.013009"), true},
		{"doi.org link without scheme", "doi.org/10.1234/x", doi("10.1234/x"), true},
		{"escaped link", "https://doi.org/10.1002/%28SICI%291097-4571", doi("10.1002/(sici)1097-4571"), true},
		{"bare DOI", "10.1234/x", doi("10.1234/x"), true},
		{"DOI with parentheses and slashes", "10.1016/0370-2693(90)90000-X", doi("10.1016/0370-2693(90)90000-x"), true},
		{"DOI with dotted registrant", "10.1000.10/123", doi("10.1000.10/123"), true},

		{"empty", "", Ref{}, false},
		{"words", "attention is all you need", Ref{}, false},
		{"month 13", "2513.00001", Ref{}, false},
		{"month 00", "2500.00001", Ref{}, false},
		{"before new-style identifiers", "0612.0001", Ref{}, false},
		{"five digits before 2015", "1412.00001", Ref{}, false},
		{"four digits since 2015", "1501.0001", Ref{}, false},
		{"too few digits", "2504.160", Ref{}, false},
		{"unknown old-style archive", "foo-bar/9901001", Ref{}, false},
		{"old-style from 2010", "hep-th/1001001", Ref{}, false},
		{"other host", "https://example.org/abs/2504.16081", Ref{}, false},
		{"arXiv listing page", "https://arxiv.org/list/cs.CL/recent", Ref{}, false},
		{"DOI without suffix", "10.1234/", Ref{}, false},
		{"DOI with short registrant", "10.12/x", Ref{}, false},
		{"DOI with a space", "10.1234/a b", Ref{}, false},
		{"doi prefix, no DOI", "doi:", Ref{}, false},
		{"plain number", "4983", Ref{}, false},
		{"PMID", "pmid:12345", Ref{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ParseRef(tc.in)
			if ok != tc.ok {
				t.Fatalf("ParseRef(%q) ok = %v, want %v (got %+v)", tc.in, ok, tc.ok, got)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseRef(%q) (-want +got):\n%s", tc.in, diff)
			}
			if !ok {
				return
			}
			again, ok := ParseRef(got.String())
			if !ok || again != got {
				t.Errorf("ParseRef(%q) = %+v, %v: String() does not parse back", got.String(), again, ok)
			}
		})
	}
}

func TestNormalizeDOI(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"10.1103/PhysRevD.76.013009", "10.1103/physrevd.76.013009", true},
		{"https://doi.org/10.7717/peerj.4375", "10.7717/peerj.4375", true},
		{"doi:doi:10.1000/x", "10.1000/x", true},
		{"info:doi/10.1000/x", "10.1000/x", true},
		{"urn:doi:10.1000/x", "10.1000/x", true},
		{" 10.1000/x ", "10.1000/x", true},
		{"10.1000/x%zz", "10.1000/x%zz", true}, // not a valid escape: kept as written
		{"10.1000/" + strings.Repeat("x", MaxDOILen), "", false},
		{"https://example.org/10.1000/x", "", false},
		{"10.1000/x\x00", "", false},
		{"", "", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := NormalizeDOI(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("NormalizeDOI(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestNormalizeArxivID(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"2504.16081", "2504.16081", true},
		{"2504.16081V2", "2504.16081", true},
		{"ArXiv:0704.0001v1", "0704.0001", true},
		{"HEP-TH/9901001", "hep-th/9901001", true},
		{"math.gt/0309136", "math.GT/0309136", true},
		{"2504.16081v", "", false},
		{"t-06c3748b4f82d0a8", "", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := NormalizeArxivID(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("NormalizeArxivID(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// FuzzParseRef checks that whatever ParseRef accepts is canonical: the value passes Validate's checks
// and the reference's String form parses back to itself.
func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"2504.16081v2", "arXiv:hep-th/9901001", "https://arxiv.org/pdf/2504.16081v2.pdf",
		"https://doi.org/10.1234/X", "doi:10.48550/arXiv.2504.16081", "10.1002/%28SICI%29", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := ParseRef(s)
		if !ok {
			if r != (Ref{}) {
				t.Errorf("ParseRef(%q) = %+v, false: want the zero Ref", s, r)
			}
			return
		}
		p := Paper{ID: "x", Title: "T", Abstract: "A"}
		switch r.Kind {
		case RefArxiv:
			p.ArxivID = r.Value
		case RefDOI:
			p.DOI = r.Value
		default:
			t.Fatalf("ParseRef(%q): kind %q", s, r.Kind)
		}
		if err := p.Validate(); err != nil {
			t.Errorf("ParseRef(%q) = %+v, which fails Validate: %v", s, r, err)
		}
		if again, ok := ParseRef(r.String()); !ok || again != r {
			t.Errorf("ParseRef(%q) = %+v; its String %q parses as %+v, %v", s, r, r.String(), again, ok)
		}
	})
}

func ExampleParseRef() {
	for _, s := range []string{"https://arxiv.org/abs/2504.16081v3", "hep-th/9901001", "https://doi.org/10.1234/X", "Attention"} {
		r, ok := ParseRef(s)
		fmt.Println(r.Kind, r.Value, ok)
	}
	// Output:
	// arxiv 2504.16081 true
	// arxiv hep-th/9901001 true
	// doi 10.1234/x true
	//   false
}

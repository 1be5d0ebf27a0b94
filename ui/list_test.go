package ui

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestListIDs(t *testing.T) {
	tests := []struct {
		name, raw string
		want      []string
	}{
		{"none", "", nil},
		{"comma-separated", "ids=a,b,c", []string{"a", "b", "c"}},
		{"repeated", "ids=a&ids=b", []string{"a", "b"}},
		{"each once", "ids=a,b,a&ids=b", []string{"a", "b"}},
		{"an escaped comma stays in its ID", "ids=10.1%2Cx,b", []string{"10.1,x", "b"}},
		{"escaped slashes and spaces", "ids=cs%2F0112017,+a+", []string{"cs/0112017", "a"}},
		{"empty parts dropped", "ids=,a,,", []string{"a"}},
		{"other parameters ignored", "x=a&ids=b&idsx=c", []string{"b"}},
		{"bad escapes dropped", "ids=%zz,a", []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, listIDs(tt.raw, "ids")); diff != "" {
				t.Errorf("listIDs(%q) (-want +got):\n%s", tt.raw, diff)
			}
		})
	}
	if got := listIDs("ids="+idsParam([]string{"a,b", "c/d", "é"}), "ids"); !cmp.Equal(got, []string{"a,b", "c/d", "é"}) {
		t.Errorf("idsParam does not round-trip: %q", got)
	}
	var many []string
	for i := range maxListIDs + 5 {
		many = append(many, strings.Repeat("x", i+1))
	}
	if got := listIDs("ids="+strings.Join(many, ","), "ids"); len(got) != maxListIDs {
		t.Errorf("%d IDs kept, want at most %d", len(got), maxListIDs)
	}
}

// TestCitations: a paper and a list as citation files.
func TestCitations(t *testing.T) {
	h := shared(t)
	tests := []struct {
		target, ctype, file string
		want                []string
		entries             int
	}{
		{"/cite?id=2402.00001", "application/x-bibtex; charset=utf-8", "muller2024denoising.bib",
			[]string{"@article{muller2024denoising,", "doi = {10.5555/diff.1}", "journal = {ICML 2024}"}, 1},
		{"/cite?id=cs%2F0112017&format=ris", "application/x-research-info-systems; charset=utf-8", "doe2001statistical.ris",
			[]string{"TY  - GEN", "AU  - Doe, Jane"}, 1},
		{"/cite?id=2402.00001&format=csl", "application/vnd.citationstyles.csl+json; charset=utf-8", "muller2024denoising.json",
			[]string{`"DOI": "10.5555/diff.1"`}, 1},
		{"/list/export?ids=2402.00001,nope,2301.00003&format=bibtex", "application/x-bibtex; charset=utf-8", "kindred-list.bib",
			[]string{"@article{muller2024denoising,", "@article{muller2023score,"}, 2},
		{"/list/export?ids=2402.00001,2301.00003&format=ris", "application/x-research-info-systems; charset=utf-8", "kindred-list.ris",
			[]string{"TI  - Denoising diffusion models for protein backbones"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res, body := get(t, h, "GET", tt.target)
			if res.StatusCode != 200 {
				t.Fatalf("status %d:\n%s", res.StatusCode, clipBody(body))
			}
			if got := res.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type %q, want %q", got, tt.ctype)
			}
			if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="`+tt.file+`"`; got != want {
				t.Errorf("Content-Disposition %q, want %q", got, want)
			}
			if res.Header.Get("Content-Security-Policy") == "" {
				t.Error("no Content-Security-Policy")
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
			n := strings.Count(body, "\n@") + strings.Count(body, "TY  -") + strings.Count(body, `"type":`)
			if strings.HasPrefix(body, "@") {
				n++
			}
			if n != tt.entries {
				t.Errorf("%d entries, want %d:\n%s", n, tt.entries, body)
			}
		})
	}
}

package cite_test

import (
	"bytes"
	"testing"

	"github.com/kindred-search/kindred/index/cite"
	"github.com/kindred-search/kindred/index/paper"
)

func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		name      string
		format    cite.Format
		write     func(...paper.Paper) []byte
		mediaType string
		ext       string
	}{
		{"bibtex", cite.FormatBibTeX, cite.BibTeX, "application/x-bibtex", ".bib"},
		{"ris", cite.FormatRIS, cite.RIS, "application/x-research-info-systems", ".ris"},
		{"csl", cite.FormatCSL, cite.CSLJSON, "application/vnd.citationstyles.csl+json", ".json"},
	} {
		f, ok := cite.ParseFormat(tc.name)
		if !ok || f != tc.format {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", tc.name, f, ok, tc.format)
		}
		if got := f.MediaType(); got != tc.mediaType {
			t.Errorf("%s: MediaType = %q, want %q", tc.name, got, tc.mediaType)
		}
		if got := f.Ext(); got != tc.ext {
			t.Errorf("%s: Ext = %q, want %q", tc.name, got, tc.ext)
		}
		if !bytes.Equal(f.Write(hardPapers...), tc.write(hardPapers...)) {
			t.Errorf("%s: Write differs from its writer", tc.name)
		}
	}
	for _, s := range []string{"", "json", "text", "BibTeX", "bib", " ris", "csl-json", "endnote"} {
		if f, ok := cite.ParseFormat(s); ok {
			t.Errorf("ParseFormat(%q) = %q, want no format", s, f)
		}
	}
	if got := cite.Format("xml").Write(hardPapers...); got != nil {
		t.Errorf("an unknown format wrote %q", got)
	}
	if len(cite.Formats()) != 3 {
		t.Errorf("Formats() = %v", cite.Formats())
	}
}

package cite

import "github.com/kindred-search/kindred/index/paper"

// Format names a citation format, as the API's and the CLI's format parameter spells it.
type Format string

// The formats this package writes.
const (
	FormatBibTeX Format = "bibtex" // BibTeX, written by BibTeX
	FormatRIS    Format = "ris"    // RIS, written by RIS
	FormatCSL    Format = "csl"    // CSL-JSON, written by CSLJSON
)

// Formats lists the formats, in the order messages name them.
func Formats() []Format { return []Format{FormatBibTeX, FormatRIS, FormatCSL} }

// ParseFormat reads a format name: "bibtex", "ris" or "csl". It reports false for anything else.
func ParseFormat(s string) (Format, bool) {
	switch f := Format(s); f {
	case FormatBibTeX, FormatRIS, FormatCSL:
		return f, true
	}
	return "", false
}

// Write writes the papers in the format; an unknown format writes nothing.
func (f Format) Write(ps ...paper.Paper) []byte {
	switch f {
	case FormatBibTeX:
		return BibTeX(ps...)
	case FormatRIS:
		return RIS(ps...)
	case FormatCSL:
		return CSLJSON(ps...)
	}
	return nil
}

// MediaType is the format's MIME type, without parameters: application/x-bibtex,
// application/x-research-info-systems or application/vnd.citationstyles.csl+json.
func (f Format) MediaType() string {
	switch f {
	case FormatBibTeX:
		return "application/x-bibtex"
	case FormatRIS:
		return "application/x-research-info-systems"
	case FormatCSL:
		return "application/vnd.citationstyles.csl+json"
	}
	return "application/octet-stream"
}

// Ext is the usual file name extension of the format, with its dot: ".bib", ".ris" or ".json".
func (f Format) Ext() string {
	switch f {
	case FormatBibTeX:
		return ".bib"
	case FormatRIS:
		return ".ris"
	case FormatCSL:
		return ".json"
	}
	return ""
}

package reader

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

// TestIDRule reads the same paper from every source and checks that it gets the same ID each time, so
// that loading a second source replaces rather than duplicates it.
func TestIDRule(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inputs map[Format]string
		want   string
	}{
		{"arXiv identifier wins", map[Format]string{
			FormatJSONL:    `{"id": "2504.16081v2", "title": "T", "abstract": "A.", "comment": "Accepted at CVPR 2025", "doi": "10.1000/x"}`,
			FormatBibTeX:   `@misc{lee2025, title={T}, abstract={A.}, eprint={2504.16081}, archivePrefix={arXiv}, doi={10.1000/x}}`,
			FormatRIS:      "TY  - JOUR\nID  - k\nTI  - T\nAB  - A.\nDO  - 10.1000/x\nUR  - https://arxiv.org/abs/2504.16081\nER  - \n",
			FormatCSL:      `[{"id": "lee2025", "type": "article", "title": "T", "abstract": "A.", "number": "arXiv:2504.16081", "DOI": "10.1000/x"}]`,
			FormatOpenAlex: `{"id": "https://openalex.org/W1", "doi": "https://doi.org/10.1000/x", "title": "T", "abstract_inverted_index": {"A.": [0]}, "locations": [{"landing_page_url": "https://arxiv.org/abs/2504.16081"}]}`,
			FormatS2:       `{"paperId": "abc", "title": "T", "abstract": "A.", "externalIds": {"ArXiv": "2504.16081", "DOI": "10.1000/X"}}`,
		}, "2504.16081"},
		{"then the DOI", map[Format]string{
			FormatBibTeX:   `@article{smith2020, title={T}, abstract={A.}, doi={10.1000/X}}`,
			FormatRIS:      "TY  - JOUR\nID  - smith2020\nTI  - T\nAB  - A.\nDO  - https://doi.org/10.1000/X\nER  - \n",
			FormatCSL:      `{"id": "smith2020", "title": "T", "abstract": "A.", "DOI": "10.1000/x"}`,
			FormatOpenAlex: `{"id": "https://openalex.org/W1", "doi": "https://doi.org/10.1000/x", "title": "T", "abstract_inverted_index": {"A.": [0]}}`,
			FormatPubMed:   `<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>T</ArticleTitle><Abstract><AbstractText>A.</AbstractText></Abstract></Article></MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="doi">10.1000/x</ArticleId></ArticleIdList></PubmedData></PubmedArticle></PubmedArticleSet>`,
			FormatS2:       `{"paperId": "abc", "title": "T", "abstract": "A.", "externalIds": {"DOI": "10.1000/x"}}`,
		}, "10.1000/x"},
		{"else the source's own: BibTeX key", map[Format]string{FormatBibTeX: `@article{smith2020, title={T}, abstract={A.}}`}, "smith2020"},
		{"else the source's own: RIS ID", map[Format]string{FormatRIS: "TY  - JOUR\nID  - ref42\nTI  - T\nAB  - A.\nER  - \n"}, "ref42"},
		{"else the source's own: CSL id", map[Format]string{FormatCSL: `{"id": "item1", "title": "T", "abstract": "A."}`}, "item1"},
		{"else the source's own: PMID", map[Format]string{FormatPubMed: `<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>123</PMID><Article><ArticleTitle>T</ArticleTitle><Abstract><AbstractText>A.</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>`}, "pmid:123"},
		{"else the source's own: OpenAlex W-id", map[Format]string{FormatOpenAlex: `{"id": "https://openalex.org/W2741809807", "title": "T", "abstract_inverted_index": {"A.": [0]}}`}, "W2741809807"},
		{"else the source's own: S2 paperId", map[Format]string{FormatS2: `{"paperId": "649def34", "title": "T", "abstract": "A."}`}, "649def34"},
		{"else derived", map[Format]string{
			FormatRIS: "TY  - JOUR\nTI  - T\nAB  - A.\nER  - \n",
			FormatCSL: `{"title": "T", "abstract": "A."}`,
		}, paper.DerivedID("T")},
		{"the plain shape keeps its id", map[Format]string{FormatJSONL: `{"id": "mine", "title": "T", "abstract": "A.", "doi": "10.1000/x", "arxiv_id": "2504.16081"}`}, "mine"},
		{"the plain shape without id follows the rule", map[Format]string{FormatJSONL: `{"title": "T", "abstract": "A.", "doi": "10.1000/X"}`}, "10.1000/x"},
		{"BEIR keeps its _id: qrels refer to it", map[Format]string{FormatJSONL: `{"_id": "4983", "title": "T", "text": "A.", "doi": "10.1000/x"}`}, "4983"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for f, input := range tc.inputs {
				got := mustRead(t, input, "in", Options{Format: f})
				if len(got.Papers) != 1 || len(got.Rejections) != 0 {
					t.Fatalf("format %s: %+v, want one paper", f, got)
				}
				if id := got.Papers[0].ID; id != tc.want {
					t.Errorf("format %s: ID %q, want %q", f, id, tc.want)
				}
			}
		})
	}
}

func TestVenueFromComment(t *testing.T) {
	for _, tc := range []struct {
		comment, want string
	}{
		{"Accepted at CVPR 2025", "CVPR 2025"},
		{"12 pages, 5 figures. Accepted to ICLR 2024 (oral)", "ICLR 2024"},
		{"Accepted for publication in IEEE TPAMI", "IEEE TPAMI"},
		{"to appear in NeurIPS 2024; code at https://github.com/x/y", "NeurIPS 2024"},
		{"Published in Nature Physics", "Nature Physics"},
		{"Accepted as a poster at ICML 2023", "ICML 2023"},
		{"Accepted by the 2024 Conference on Empirical Methods", "2024 Conference on Empirical Methods"},
		{"v2: published version, accepted in Phys. Rev. D", "Phys. Rev. D"},
		{"To appear in Proc. of SIGIR 2024. Code at https://x.org", "Proc. of SIGIR 2024"},
		{"Accepted at CVPR 2025. Project page: https://x.org", "CVPR 2025"},
		{"Accepted to the main conference of ACL 2024", ""}, // does not start with a capital
		{"37 pages, 15 figures; published version", ""},
		{"Accepted", ""},
		{"We accepted the challenge of proving it in four pages and more words than any venue would ever have", ""},
		{"", ""},
	} {
		t.Run(tc.comment, func(t *testing.T) {
			if got := venueFromComment(tc.comment); got != tc.want {
				t.Errorf("venueFromComment(%q) = %q, want %q", tc.comment, got, tc.want)
			}
		})
	}
}

func TestArxivCommentVenue(t *testing.T) {
	got := mustRead(t, `{"id": "2503.11731", "title": "T", "abstract": "A.", "authors": ["A"], "categories": ["cs.CV"], "date": "2025-03-18", "comment": "Accepted at CVPR 2025"}`+"\n", "in.jsonl", Options{})
	want := result{Papers: []paper.Paper{{
		ID: "2503.11731", Title: "T", Abstract: "A.", Authors: []string{"A"}, AuthorCount: 1, Categories: []string{"cs.CV"},
		Published: paper.Date{Year: 2025, Month: 3, Day: 18}, URL: "https://arxiv.org/abs/2503.11731",
		Venue: "CVPR 2025", ArxivID: "2503.11731", Source: "arxiv",
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
}

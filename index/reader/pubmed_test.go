package reader

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

// pubmedSet wraps articles in a PubmedArticleSet, the first article starting on line 3.
func pubmedSet(articles ...string) string {
	return "<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n" + strings.Join(articles, "\n") + "\n</PubmedArticleSet>\n"
}

// pubmedArticle is one article on one line, with the given parts inside Article.
func pubmedArticle(pmid, article string, data string) string {
	return `<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">` + pmid + `</PMID><Article PubModel="Print">` +
		article + `</Article></MedlineCitation>` + data + `</PubmedArticle>`
}

func TestReadPubMed(t *testing.T) {
	pm := func(pmid string, p paper.Paper) paper.Paper {
		p.Source = "pubmed"
		if p.ID == "" {
			p.ID = "pmid:" + pmid
		}
		p.URL = "https://pubmed.ncbi.nlm.nih.gov/" + pmid + "/"
		if p.Title == "" {
			p.Title = "T."
		}
		if p.Abstract == "" {
			p.Abstract = "A."
		}
		p.AuthorCount = len(p.Authors)
		return p
	}
	const title, abstract = `<ArticleTitle>T.</ArticleTitle>`, `<Abstract><AbstractText>A.</AbstractText></Abstract>`
	journal := func(date string) string {
		return `<Journal><JournalIssue><PubDate>` + date + `</PubDate></JournalIssue><Title>The Journal</Title></Journal>`
	}
	for _, tc := range []struct {
		name, input string
		want        result // File "in.xml" filled in
	}{
		{"fields", pubmedSet(pubmedArticle("1",
			journal(`<Year>2019</Year><Month>Aug</Month><Day>5</Day>`)+
				`<ArticleTitle>Structure of <i>E. coli</i> at 2 &#xc5; &amp; H<sub>2</sub>O.</ArticleTitle>`+
				`<Abstract><AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Ribosomes <b>matter</b>.</AbstractText>`+
				`<AbstractText Label="METHODS">We used cryo-EM.</AbstractText><AbstractText Label="UNLABELLED">Plain.</AbstractText>`+
				`<CopyrightInformation>© 2019</CopyrightInformation></Abstract>`+
				`<AuthorList><Author ValidYN="Y"><LastName>Lovelace</LastName><ForeName>Ada</ForeName><Initials>A</Initials>`+
				`<AffiliationInfo><Affiliation>London</Affiliation></AffiliationInfo></Author>`+
				`<Author><LastName>Müller</LastName><Initials>J</Initials><Suffix>Jr</Suffix></Author>`+
				`<Author><CollectiveName>The Consortium</CollectiveName></Author>`+
				`<Author ValidYN="N"><LastName>Wrong</LastName></Author></AuthorList>`+
				`<ELocationID EIdType="pii">S0001</ELocationID><ELocationID EIdType="doi" ValidYN="Y">10.1000/ELOC</ELocationID>`,
			`<PubmedData><ArticleIdList><ArticleId IdType="pubmed">1</ArticleId><ArticleId IdType="doi">10.1038/S41586</ArticleId></ArticleIdList></PubmedData>`)),
			result{Papers: []paper.Paper{pm("1", paper.Paper{
				ID: "10.1038/s41586", DOI: "10.1038/s41586", Venue: "The Journal",
				Title:     "Structure of E. coli at 2 Å & H2O.",
				Abstract:  "BACKGROUND: Ribosomes matter. METHODS: We used cryo-EM. Plain.",
				Authors:   []string{"Ada Lovelace", "J Müller Jr", "The Consortium"},
				Published: paper.Date{Year: 2019, Month: 8, Day: 5},
			})}}},
		{"DOI from the ELocationID when the article ids have none", pubmedSet(pubmedArticle("2", journal(`<Year>2020</Year>`)+title+abstract+
			`<ELocationID EIdType="doi" ValidYN="Y">10.1000/eloc</ELocationID>`, "")),
			result{Papers: []paper.Paper{pm("2", paper.Paper{ID: "10.1000/eloc", DOI: "10.1000/eloc", Venue: "The Journal", Published: paper.Date{Year: 2020}})}}},
		{"MedlineDate ranges and seasons", pubmedSet(
			pubmedArticle("3", journal(`<MedlineDate>1998 Dec-1999 Jan</MedlineDate>`)+title+abstract, ""),
			pubmedArticle("4", journal(`<MedlineDate>2000 Spring</MedlineDate>`)+title+abstract, ""),
			pubmedArticle("5", journal(`<MedlineDate>1998 Dec 15-21</MedlineDate>`)+title+abstract, ""),
			pubmedArticle("6", journal(`<MedlineDate>1999-2000</MedlineDate>`)+title+abstract, ""),
			pubmedArticle("7", journal(`<Year>2001</Year><Month>02</Month>`)+title+abstract, "")),
			result{Papers: []paper.Paper{
				pm("3", paper.Paper{Venue: "The Journal", Published: paper.Date{Year: 1998, Month: 12}}),
				pm("4", paper.Paper{Venue: "The Journal", Published: paper.Date{Year: 2000}}),
				pm("5", paper.Paper{Venue: "The Journal", Published: paper.Date{Year: 1998, Month: 12, Day: 15}}),
				pm("6", paper.Paper{Venue: "The Journal", Published: paper.Date{Year: 1999}}),
				pm("7", paper.Paper{Venue: "The Journal", Published: paper.Date{Year: 2001, Month: 2}}),
			}}},
		{"electronic date when the issue has none", pubmedSet(pubmedArticle("8", title+abstract+
			`<ArticleDate DateType="Electronic"><Year>2019</Year><Month>08</Month><Day>21</Day></ArticleDate>`, "")),
			result{Papers: []paper.Paper{pm("8", paper.Paper{Published: paper.Date{Year: 2019, Month: 8, Day: 21}})}}},
		{"PMIDs of comments are not the article's", pubmedSet(`<PubmedArticle><MedlineCitation><PMID>9</PMID><Article>` + title + abstract +
			`</Article><CommentsCorrectionsList><CommentsCorrections><PMID>99</PMID></CommentsCorrections></CommentsCorrectionsList></MedlineCitation></PubmedArticle>`),
			result{Papers: []paper.Paper{pm("9", paper.Paper{})}}},
		{"missing abstract, book articles and deletions", pubmedSet(
			pubmedArticle("10", title, ""),
			`<PubmedBookArticle><BookDocument><PMID>11</PMID></BookDocument></PubmedBookArticle>`,
			`<DeleteCitation><PMID Version="1">12</PMID></DeleteCitation>`,
			pubmedArticle("13", title+abstract, "")),
			result{
				Papers: []paper.Paper{pm("13", paper.Paper{})},
				Rejections: []Rejection{
					{Line: 3, Reason: "missing abstract"},
					{Line: 4, Reason: "PubmedBookArticle (a book or chapter) is not read, only PubmedArticle"},
				},
			}},
		{"bad date", pubmedSet(pubmedArticle("14", journal(`<Year>2019</Year><Month>Foo</Month>`)+title+abstract, "")),
			result{Rejections: []Rejection{{Line: 3, Reason: `bad date: month "Foo"`}}}},
		{"impossible day", pubmedSet(pubmedArticle("15", journal(`<Year>2019</Year><Month>Feb</Month><Day>30</Day>`)+title+abstract, "")),
			result{Rejections: []Rejection{{Line: 3, Reason: `bad date: date "2019-02-30": day 30 out of range for 2019-02`}}}},
		{"named HTML entities", pubmedSet(pubmedArticle("16", `<ArticleTitle>Caf&eacute; &ndash; bar.</ArticleTitle>`+abstract, "")),
			result{Papers: []paper.Paper{pm("16", paper.Paper{Title: "Café – bar."})}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range []Format{FormatAuto, FormatPubMed} {
				got := mustRead(t, tc.input, "in.xml", Options{Format: f})
				want := tc.want
				for i := range want.Rejections {
					want.Rejections[i].File = "in.xml"
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("Read with format %q (-want +got):\n%s", f, diff)
				}
			}
		})
	}
}

func TestReadPubMedErrors(t *testing.T) {
	good := pubmedArticle("1", `<ArticleTitle>T.</ArticleTitle><Abstract><AbstractText>A.</AbstractText></Abstract>`, "")
	for _, tc := range []struct {
		name, input, err string
		papers           int
	}{
		{"mismatched tag", "<PubmedArticleSet>\n" + good + "\n<PubmedArticle><MedlineCitation></PubmedArticle>\n",
			"in.xml: line 3: invalid XML: element <MedlineCitation> closed by </PubmedArticle>", 1},
		{"truncated", "<PubmedArticleSet>\n" + good + "\n<PubmedArticle><MedlineCitation>",
			"in.xml: line 3: invalid XML: unexpected EOF", 1},
		{"unknown entity", "<PubmedArticleSet>\n<PubmedArticle>&bogus;</PubmedArticle>",
			"in.xml: line 2: invalid XML: invalid character entity &bogus;", 0},
		{"other encoding", `<?xml version="1.0" encoding="ISO-8859-1"?><PubmedArticleSet></PubmedArticleSet>`,
			`in.xml: line 1: xml: opening charset "ISO-8859-1": encoding "ISO-8859-1": only UTF-8 is read`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readString(t, tc.input, "in.xml", Options{Format: FormatPubMed})
			if errText(err) != tc.err {
				t.Errorf("err = %v, want %q", err, tc.err)
			}
			if len(got.Papers) != tc.papers {
				t.Errorf("read %d papers before the error, want %d", len(got.Papers), tc.papers)
			}
		})
	}
}

// TestReadPubMedLimits: an article over the limit is rejected and reading goes on; a single token
// over the limit is an error, without the token being held in memory whole.
func TestReadPubMedLimits(t *testing.T) {
	const max = 1 << 10
	good := pubmedArticle("1", `<ArticleTitle>T.</ArticleTitle><Abstract><AbstractText>A.</AbstractText></Abstract>`, "")
	var many strings.Builder
	for i := range 100 {
		fmt.Fprintf(&many, "<AbstractText>Section %d.</AbstractText>", i)
	}
	long := pubmedArticle("2", `<ArticleTitle>T.</ArticleTitle><Abstract>`+many.String()+`</Abstract>`, "")
	got, err := readString(t, pubmedSet(long, good), "in.xml", Options{Format: FormatPubMed, MaxRecordBytes: max})
	if err != nil {
		t.Fatal(err)
	}
	want := []Rejection{{File: "in.xml", Line: 3, Reason: "record is longer than 1024 bytes"}}
	if diff := cmp.Diff(want, got.Rejections); diff != "" || len(got.Papers) != 1 {
		t.Errorf("rejections (-want +got):\n%s\npapers: %d, want 1", diff, len(got.Papers))
	}

	huge := pubmedArticle("3", `<ArticleTitle>`+strings.Repeat("x", 200<<10)+`</ArticleTitle>`, "")
	_, err = readString(t, pubmedSet(good, huge), "in.xml", Options{Format: FormatPubMed, MaxRecordBytes: max})
	if err == nil || !strings.Contains(err.Error(), "an XML token is longer than 1024 bytes") {
		t.Errorf("err = %v, want a token too long", err)
	}
}

func TestPubmedDate(t *testing.T) {
	for _, tc := range []struct {
		in   [4]string
		want paper.Date
	}{
		{[4]string{"2019", "Aug", "", ""}, paper.Date{Year: 2019, Month: 8}},
		{[4]string{"2019", "AUG", "5", ""}, paper.Date{Year: 2019, Month: 8, Day: 5}},
		{[4]string{"2019", "8", "", ""}, paper.Date{Year: 2019, Month: 8}},
		{[4]string{"2019", "", "5", ""}, paper.Date{Year: 2019}},
		{[4]string{"", "", "", "2001 Nov-Dec"}, paper.Date{Year: 2001, Month: 11}},
		{[4]string{"", "", "", "2010 Winter"}, paper.Date{Year: 2010}},
		{[4]string{"", "", "", ""}, paper.Date{}},
	} {
		got, err := pubmedDate(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("pubmedDate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

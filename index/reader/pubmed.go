package reader

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// PubMed/MEDLINE XML (the baseline and update files, and efetch output) is a PubmedArticleSet of
// PubmedArticle elements. It is read token by token, keeping only the fields of the article at hand,
// so a file of 30,000 articles never sits in memory; one article is bounded by Options.MaxRecordBytes.
//
//	<PubmedArticle>
//	  <MedlineCitation Status="MEDLINE" Owner="NLM">
//	    <PMID Version="1">31452104</PMID>
//	    <Article PubModel="Print-Electronic">
//	      <Journal><JournalIssue CitedMedium="Internet">
//	          <PubDate><Year>2019</Year><Month>Aug</Month></PubDate>
//	        </JournalIssue><Title>Nature</Title></Journal>
//	      <ArticleTitle>Structure of <i>E. coli</i> ...</ArticleTitle>
//	      <Abstract><AbstractText Label="BACKGROUND">...</AbstractText> ...</Abstract>
//	      <AuthorList><Author><LastName>Lovelace</LastName><ForeName>Ada</ForeName></Author></AuthorList>
//	      <ELocationID EIdType="doi" ValidYN="Y">10.1038/s41586-019-1500-0</ELocationID>
//	    </Article>
//	  </MedlineCitation>
//	  <PubmedData><ArticleIdList><ArticleId IdType="doi">10.1038/...</ArticleId></ArticleIdList></PubmedData>
//	</PubmedArticle>

// pmArticle collects one PubmedArticle.
type pmArticle struct {
	line, offset int64 // where it starts
	tooLong      bool
	pmid         string
	title        strings.Builder
	sections     []string // abstract sections, "LABEL: text" or "text"
	authors      []string
	journal      string
	pubDate      [4]string // Year, Month, Day, MedlineDate of the PubDate
	articleDate  [3]string // Year, Month, Day of the electronic ArticleDate, the fallback
	doi, elocDOI string

	// The text being captured, the depth of the element it belongs to, and where it goes.
	capture      *strings.Builder
	captureDepth int
	onEnd        func(text string)
	author       map[string]string // the Author being read: LastName, ForeName, ...
}

// readPubMed reads PubMed XML. Malformed XML stops the read with an error naming the line (XML cannot
// be resynchronised); articles before it are kept.
func readPubMed(br *bufio.Reader, opts Options, s *sink) error {
	lim := &tokenLimit{r: br, limit: int64(opts.MaxRecordBytes) + sniffBytes}
	dec := xml.NewDecoder(lim)
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return in, nil
		}
		return nil, fmt.Errorf("encoding %q: only UTF-8 is read", label)
	}
	var art *pmArticle
	var path []string // element names below PubmedArticle
	for {
		if err := s.checkCtx(); err != nil {
			return err
		}
		tok, err := dec.Token()
		lim.mark()
		if err == io.EOF {
			if art != nil {
				return fmt.Errorf("line %d: the input ends inside a PubmedArticle", art.line)
			}
			return nil
		}
		line, _ := dec.InputPos()
		if err != nil {
			if errors.Is(err, errElementTooLarge) {
				return fmt.Errorf("line %d: an XML token is longer than %d bytes", line, opts.MaxRecordBytes)
			}
			var syn *xml.SyntaxError
			if errors.As(err, &syn) {
				return fmt.Errorf("line %d: invalid XML: %s", syn.Line, syn.Msg)
			}
			return fmt.Errorf("line %d: %w", line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if art == nil {
				switch t.Name.Local {
				case "PubmedArticle":
					art = &pmArticle{line: int64(line), offset: dec.InputOffset()}
					path = path[:0]
				case "PubmedBookArticle":
					if err := s.rejectf(line, "PubmedBookArticle (a book or chapter) is not read, only PubmedArticle"); err != nil {
						return err
					}
					if err := dec.Skip(); err != nil {
						return fmt.Errorf("line %d: invalid XML: %v", line, err)
					}
				case "DeleteCitation":
					if err := dec.Skip(); err != nil { // an update file's list of withdrawn PMIDs
						return fmt.Errorf("line %d: invalid XML: %v", line, err)
					}
				}
				continue
			}
			path = append(path, t.Name.Local)
			art.start(path, t)
		case xml.EndElement:
			if art == nil {
				continue
			}
			if len(path) == 0 { // </PubmedArticle>
				a := art
				art = nil
				if err := a.emit(s, opts); err != nil {
					return err
				}
				continue
			}
			art.end(len(path))
			path = path[:len(path)-1]
		case xml.CharData:
			if art != nil && art.capture != nil && !art.tooLong {
				art.capture.Write(t)
			}
		}
		if art != nil && !art.tooLong && dec.InputOffset()-art.offset > int64(opts.MaxRecordBytes) {
			art.tooLong = true
			art.capture = nil
		}
	}
}

// start handles the start of an element at path (below PubmedArticle).
func (a *pmArticle) start(path []string, t xml.StartElement) {
	if a.tooLong || a.capture != nil {
		return // inside captured text, elements such as <i> and <sup> only add their text
	}
	p := strings.Join(path, "/")
	attr := func(name string) string {
		for _, at := range t.Attr {
			if at.Name.Local == name {
				return at.Value
			}
		}
		return ""
	}
	into := func(f func(string)) {
		a.capture, a.captureDepth, a.onEnd = new(strings.Builder), len(path), f
	}
	switch p {
	case "MedlineCitation/PMID":
		if a.pmid == "" {
			into(func(s string) { a.pmid = strings.TrimSpace(s) })
		}
	case "MedlineCitation/Article/ArticleTitle":
		into(func(s string) { a.title.WriteString(s) })
	case "MedlineCitation/Article/Abstract/AbstractText":
		label := strings.TrimSpace(attr("Label"))
		into(func(s string) {
			if s = paper.Fold(s); s == "" {
				return
			}
			if label != "" && !strings.EqualFold(label, "UNLABELLED") {
				s = label + ": " + s
			}
			a.sections = append(a.sections, s)
		})
	case "MedlineCitation/Article/AuthorList/Author":
		if !strings.EqualFold(attr("ValidYN"), "N") {
			a.author = make(map[string]string)
		}
	case "MedlineCitation/Article/Journal/Title":
		into(func(s string) { a.journal = s })
	case "MedlineCitation/Article/ELocationID":
		if strings.EqualFold(attr("EIdType"), "doi") && !strings.EqualFold(attr("ValidYN"), "N") {
			into(func(s string) { a.elocDOI = cmpOr(a.elocDOI, strings.TrimSpace(s)) })
		}
	case "PubmedData/ArticleIdList/ArticleId":
		switch strings.ToLower(attr("IdType")) {
		case "doi":
			into(func(s string) { a.doi = cmpOr(a.doi, strings.TrimSpace(s)) })
		case "pubmed":
			into(func(s string) { a.pmid = cmpOr(a.pmid, strings.TrimSpace(s)) })
		}
	}
	if len(path) == 5 && a.author != nil && path[3] == "Author" && path[2] == "AuthorList" {
		field := path[4]
		into(func(s string) { a.author[field] = paper.Fold(s) })
	}
	const pubDate = "MedlineCitation/Article/Journal/JournalIssue/PubDate/"
	if rest, ok := strings.CutPrefix(p, pubDate); ok {
		if i := indexOf([]string{"Year", "Month", "Day", "MedlineDate"}, rest); i >= 0 {
			into(func(s string) { a.pubDate[i] = strings.TrimSpace(s) })
		}
	}
	if rest, ok := strings.CutPrefix(p, "MedlineCitation/Article/ArticleDate/"); ok {
		if i := indexOf([]string{"Year", "Month", "Day"}, rest); i >= 0 {
			into(func(s string) { a.articleDate[i] = strings.TrimSpace(s) })
		}
	}
}

// end handles the end of the element at depth (below PubmedArticle).
func (a *pmArticle) end(depth int) {
	if a.capture != nil && depth == a.captureDepth {
		text := a.capture.String()
		a.capture = nil
		a.onEnd(text)
		return
	}
	if depth == 4 && a.author != nil && a.capture == nil {
		if name := pubmedName(a.author); name != "" {
			a.authors = append(a.authors, name)
		}
		a.author = nil
	}
}

// pubmedName is "ForeName LastName Suffix" (Initials when there is no ForeName), or the
// CollectiveName.
func pubmedName(f map[string]string) string {
	if f["LastName"] == "" {
		return f["CollectiveName"]
	}
	parts := []string{cmpOr(f["ForeName"], f["Initials"]), f["LastName"], f["Suffix"]}
	return paper.Fold(strings.Join(parts, " "))
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// emit hands the article to the sink: ID by the ID rule (the DOI, else "pmid:" and the PMID), the
// PubMed page as its URL.
func (a *pmArticle) emit(s *sink, opts Options) error {
	line := int(a.line)
	if a.tooLong {
		return s.rejectf(line, "record is longer than %d bytes", opts.MaxRecordBytes)
	}
	p := paper.Paper{
		Title:    a.title.String(),
		Abstract: strings.Join(a.sections, " "),
		Authors:  a.authors,
		Venue:    a.journal,
		Source:   "pubmed",
	}
	setDOI(&p, cmpOr(a.doi, a.elocDOI))
	own := ""
	if a.pmid != "" {
		own = "pmid:" + a.pmid
		if allDigits(a.pmid) {
			p.URL = "https://pubmed.ncbi.nlm.nih.gov/" + a.pmid + "/"
		}
	}
	chooseID(&p, own)
	var err error
	p.Published, err = pubmedDate(a.pubDate)
	if err == nil && p.Published.IsZero() {
		p.Published, err = pubmedDate([4]string{a.articleDate[0], a.articleDate[1], a.articleDate[2]})
	}
	if err != nil {
		return s.rejectf(line, "bad date: %v", err)
	}
	return s.paper(line, p)
}

// pubmedDate reads a PubDate: Year, Month ("Aug", "08" or "8") and Day, or a MedlineDate such as
// "1998 Dec-1999 Jan", "2000 Spring" or "1998 Dec 15-21", whose start is kept.
func pubmedDate(d [4]string) (paper.Date, error) {
	year, month, day := d[0], d[1], d[2]
	if year == "" && d[3] != "" {
		f := strings.Fields(strings.NewReplacer("-", " ", "/", " ").Replace(d[3]))
		if len(f) > 0 {
			year = f[0]
		}
		if len(f) > 1 && monthNumber(titleCase(f[1])) > 0 {
			month = f[1]
			if len(f) > 2 && allDigits(f[2]) && len(f[2]) <= 2 {
				day = f[2]
			}
		}
	}
	if year == "" {
		return paper.Date{}, nil
	}
	if len(year) != 4 || !allDigits(year) {
		return paper.Date{}, fmt.Errorf("year %q", year)
	}
	y, _ := strconv.Atoi(year)
	m := 0
	if month != "" {
		if n, err := strconv.Atoi(month); err == nil {
			m = n
		} else if m = monthNumber(titleCase(month)); m == 0 {
			return paper.Date{}, fmt.Errorf("month %q", month)
		}
	}
	dd := 0
	if day != "" && m != 0 {
		n, err := strconv.Atoi(day)
		if err != nil {
			return paper.Date{}, fmt.Errorf("day %q", day)
		}
		dd = n
	}
	return partsDate(y, m, dd)
}

// titleCase writes "AUG" or "aug" as "Aug", for monthNumber.
func titleCase(s string) string {
	if len(s) > 3 {
		s = s[:3]
	}
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}

// tokenLimit feeds the XML decoder, failing when it reads more than limit bytes without a token
// boundary (mark): that bounds the memory of one token, whatever the input.
type tokenLimit struct {
	r      io.Reader
	limit  int64
	sinceM int64
}

func (t *tokenLimit) Read(p []byte) (int, error) {
	if t.sinceM > t.limit {
		return 0, errElementTooLarge
	}
	n, err := t.r.Read(p)
	t.sinceM += int64(n)
	return n, err
}

func (t *tokenLimit) mark() { t.sinceM = 0 }

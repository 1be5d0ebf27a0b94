package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
)

// SeedPaper is what AuthorSeeds needs of a paper: its ID and author names.
type SeedPaper struct {
	ID      string
	Authors []string
}

// AuthorSeeds builds a "papers like these" evaluation from a corpus's authors, the recommendation
// counterpart of the author proxy in the peers' scripts: for n sampled authors with between k+2 and
// 30 papers, k of their papers (at random) are the positive seeds and the others the relevant
// papers. Names are compared lower-cased, as the proxy does. The ranking under test must not read
// author names, or the evaluation measures nothing. The same corpus and seed give the same queries.
func AuthorSeeds(papers []SeedPaper, n, k int, seed uint64) ([]Query, Qrels, error) {
	if k < 1 {
		return nil, nil, fmt.Errorf("seeds: k must be at least 1")
	}
	by := map[string][]string{}
	for _, p := range papers {
		seen := map[string]bool{}
		for _, a := range p.Authors {
			a = strings.ToLower(strings.TrimSpace(a))
			if a != "" && !seen[a] {
				seen[a] = true
				by[a] = append(by[a], p.ID)
			}
		}
	}
	var authors []string
	for a, ps := range by {
		if len(ps) >= k+2 && len(ps) <= 30 {
			authors = append(authors, a)
		}
	}
	slices.Sort(authors)
	if len(authors) == 0 {
		return nil, nil, fmt.Errorf("seeds: no author has between %d and 30 papers", k+2)
	}
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	r.Shuffle(len(authors), func(i, j int) { authors[i], authors[j] = authors[j], authors[i] })
	authors = authors[:min(n, len(authors))]
	var qs []Query
	qr := Qrels{}
	for i, a := range authors {
		ps := slices.Clone(by[a])
		slices.Sort(ps)
		r.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
		id := fmt.Sprintf("rec%d", i)
		qs = append(qs, Query{ID: id, Positive: ps[:k]})
		qr[id] = map[string]int{}
		for _, p := range ps[k:] {
			qr[id][p] = 1
		}
	}
	return qs, qr, nil
}

// WriteSeedQueries writes seed queries as JSON Lines ({"_id", "positive", "negative"}), which
// ReadQueries reads back.
func WriteSeedQueries(w io.Writer, qs []Query) error {
	enc := json.NewEncoder(w)
	for _, q := range qs {
		if err := enc.Encode(struct {
			ID       string   `json:"_id"`
			Positive []string `json:"positive"`
			Negative []string `json:"negative,omitempty"`
		}{q.ID, q.Positive, q.Negative}); err != nil {
			return err
		}
	}
	return nil
}

// WriteQrels writes judgements in BEIR's TSV form, which ReadQrels reads back.
func WriteQrels(w io.Writer, qr Qrels) error {
	if _, err := fmt.Fprintln(w, "query-id\tcorpus-id\tscore"); err != nil {
		return err
	}
	qids := make([]string, 0, len(qr))
	for q := range qr {
		qids = append(qids, q)
	}
	slices.Sort(qids)
	for _, q := range qids {
		docs := make([]string, 0, len(qr[q]))
		for d := range qr[q] {
			docs = append(docs, d)
		}
		slices.Sort(docs)
		for _, d := range docs {
			if _, err := fmt.Fprintf(w, "%s\t%s\t%d\n", q, d, qr[q][d]); err != nil {
				return err
			}
		}
	}
	return nil
}

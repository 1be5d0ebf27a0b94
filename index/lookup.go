package index

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kindred-search/kindred/index/bm25"
	"github.com/kindred-search/kindred/index/paper"
)

// Resolve returns the ID of the paper that ref names, as people paste references: the paper's ID
// itself ("2504.16081", "hep-th/9901001", "t-ed7135eddfbfb09c"), an arXiv identifier with a version
// or prefix ("2504.16081v2", "arXiv:2504.16081"), an arXiv link ("https://arxiv.org/abs/2504.16081"),
// a DOI ("10.1234/x", "doi:10.1234/x", "https://doi.org/10.1234/X"), or arXiv's own DOI. It returns
// ErrNotFound when no paper matches.
//
// The exact ID wins; else paper.ParseRef reads the reference, and an arXiv identifier is looked up
// as an ID, then among the papers' arXiv identifiers, then as arXiv's DOI; a DOI is looked up as an
// ID (the readers' rule gives papers without an arXiv identifier their DOI as ID), then among the
// papers' DOIs. When several papers carry the same DOI or arXiv identifier, the one stored longest
// ago is returned. Cost: a few map lookups and the posting list of one key, no full-text search.
func (ix *Index) Resolve(ctx context.Context, ref string) (string, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return "", ErrClosed
	}
	return ix.resolveLocked(ctx, ref)
}

func (ix *Index) resolveLocked(ctx context.Context, ref string) (string, error) {
	if id := strings.TrimSpace(ref); id != "" && ix.kw.Has(id) {
		return id, nil
	}
	if r, ok := paper.ParseRef(ref); ok {
		var tries []string
		switch r.Kind {
		case paper.RefArxiv:
			tries = []string{r.Value, keyArxiv + r.Value, keyDOI + "10.48550/arxiv." + strings.ToLower(r.Value)}
		case paper.RefDOI:
			tries = []string{r.Value, keyDOI + r.Value}
		}
		for _, t := range tries {
			id, ok, err := ix.lookupKey(ctx, t)
			if err != nil {
				return "", err
			}
			if ok {
				return id, nil
			}
		}
	}
	return "", fmt.Errorf("%w: %q", ErrNotFound, clipRef(ref))
}

// lookupKey finds the paper with ID t, or, for a key (NUL-prefixed), the first live paper that has it.
func (ix *Index) lookupKey(ctx context.Context, t string) (string, bool, error) {
	if !strings.HasPrefix(t, "\x00") {
		return t, ix.kw.Has(t), nil
	}
	if ix.kw.DF(t) == 0 {
		return "", false, nil
	}
	first, found := uint32(0), false
	_, err := ix.kw.Matches(ctx, bm25.Query{Keys: []string{t}}, 0, func(d uint32) {
		if !found {
			first, found = d, true
		}
	})
	if err != nil || !found {
		return "", false, err
	}
	return ix.kw.ID(first), true, nil
}

// Lookup resolves each of refs (see Resolve) and returns the papers they name, in the order of refs,
// each paper once (a second reference to a paper already returned is skipped), and the references
// that name no paper, in order. An error is returned only when the index cannot be read.
func (ix *Index) Lookup(ctx context.Context, refs ...string) ([]paper.Paper, []string, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return nil, nil, ErrClosed
	}
	var ids, missing []string
	seen := make(map[string]bool, len(refs))
	for _, ref := range refs {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		id, err := ix.resolveLocked(ctx, ref)
		switch {
		case errors.Is(err, ErrNotFound):
			missing = append(missing, ref)
		case err != nil:
			return nil, nil, err
		case !seen[id]:
			seen[id] = true
			ids = append(ids, id)
		}
	}
	byID, err := ix.fetch(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	out := make([]paper.Paper, 0, len(ids))
	for i, id := range ids {
		p, ok := byID[id]
		if !ok {
			return nil, nil, fmt.Errorf("%w: %s is in the keyword index but not in the full-text index; reopen the index to repair", ErrDamaged, ids[i])
		}
		out = append(out, p)
	}
	return out, missing, nil
}

// clipRef shortens a reference for an error message.
func clipRef(s string) string {
	if len(s) <= 100 {
		return s
	}
	return strings.ToValidUTF8(s[:100], "") + "…"
}

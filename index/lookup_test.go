package index

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kindred-search/kindred/index/bm25"
	"github.com/kindred-search/kindred/index/paper"
)

// refPapers carry every kind of identifier: an arXiv paper under its arXiv ID, a paper under its
// DOI, papers with IDs of their own that also have a DOI or an old-style arXiv ID, and a second paper
// with the DOI of another.
func refPapers() []paper.Paper {
	ps := []paper.Paper{
		{ID: "2504.16081", ArxivID: "2504.16081", DOI: "10.48550/arxiv.2504.16081", Title: "Sparse retrievers at scale", Abstract: "We pre-train sparse retrievers."},
		{ID: "10.1234/abc.5", DOI: "10.1234/abc.5", Title: "Pruning language models", Abstract: "We prune large language models."},
		{ID: "a1", DOI: "10.5555/own.1", Title: "A paper with an ID of its own", Abstract: "Its DOI is not its ID."},
		{ID: "a2", ArxivID: "hep-th/9901001", Title: "Strings in eleven dimensions", Abstract: "An old-style arXiv paper."},
		{ID: "pmid:31452104", Title: "Structure of the ribosome", Abstract: "Ribosomes translate mRNA."},
		{ID: "dup", DOI: "10.5555/own.1", Title: "The same DOI again", Abstract: "Stored after a1."},
		{ID: "0704.0001", ArxivID: "0704.0001", Title: "Calculation of prompt diphoton production", Abstract: "A fully differential calculation."},
	}
	for i := range ps {
		ps[i].Normalize()
	}
	return ps
}

func TestResolve(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	if _, err := ix.Upsert(t.Context(), refPapers()...); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ref, want string // want "" for ErrNotFound
	}{
		{"2504.16081", "2504.16081"},
		{"2504.16081v2", "2504.16081"},
		{"arXiv:2504.16081", "2504.16081"},
		{"arxiv:2504.16081v1", "2504.16081"},
		{"  2504.16081\n", "2504.16081"},
		{"https://arxiv.org/abs/2504.16081", "2504.16081"},
		{"https://arxiv.org/abs/2504.16081v3", "2504.16081"},
		{"http://arxiv.org/pdf/2504.16081v1.pdf", "2504.16081"},
		{"arxiv.org/abs/2504.16081", "2504.16081"},
		{"10.48550/arXiv.2504.16081", "2504.16081"},
		{"https://doi.org/10.48550/arXiv.2504.16081", "2504.16081"},
		{"10.1234/abc.5", "10.1234/abc.5"},
		{"10.1234/ABC.5", "10.1234/abc.5"},
		{"doi:10.1234/abc.5", "10.1234/abc.5"},
		{"DOI: 10.1234/abc.5", "10.1234/abc.5"},
		{"https://doi.org/10.1234/ABC.5", "10.1234/abc.5"},
		{"https://dx.doi.org/10.1234%2Fabc.5", "10.1234/abc.5"},
		{"10.1234/abc.5.", "10.1234/abc.5"},
		{"a1", "a1"},
		{" a1 ", "a1"},
		{"10.5555/own.1", "a1"}, // by DOI key; "dup" has the same DOI but was stored later
		{"https://doi.org/10.5555/OWN.1", "a1"},
		{"dup", "dup"},
		{"hep-th/9901001", "a2"}, // by arXiv key
		{"arXiv:hep-th/9901001v3", "a2"},
		{"https://arxiv.org/abs/hep-th/9901001", "a2"},
		{"pmid:31452104", "pmid:31452104"},
		{"0704.0001", "0704.0001"},
		{"arXiv:0704.0001v2", "0704.0001"},

		{"", ""},
		{"   ", ""},
		{"2504.99999", ""},
		{"arXiv:2504.99999v1", ""},
		{"doi:10.9999/none", ""},
		{"https://doi.org/10.9999/none", ""},
		{"https://example.com/abs/2504.16081", ""},
		{"https://arxiv.org/list/cs.IR", ""},
		{"A1", ""}, // IDs are case-sensitive
		{"nonsense", ""},
		{"10.5555", ""},
		{strings.Repeat("x", 10_000), ""},
	} {
		got, err := ix.Resolve(t.Context(), tc.ref)
		switch {
		case tc.want == "" && !errors.Is(err, ErrNotFound):
			t.Errorf("Resolve(%q) = %q, %v; want ErrNotFound", tc.ref, got, err)
		case tc.want != "" && (err != nil || got != tc.want):
			t.Errorf("Resolve(%q) = %q, %v; want %q", tc.ref, got, err, tc.want)
		}
	}

	// A deleted paper is not found by its identifiers; another paper with the same DOI then is.
	if _, err := ix.Delete(t.Context(), "a1", "a2"); err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string]string{"10.5555/own.1": "dup", "hep-th/9901001": "", "a1": ""} {
		got, err := ix.Resolve(t.Context(), ref)
		if (want == "" && !errors.Is(err, ErrNotFound)) || (want != "" && got != want) {
			t.Errorf("after deleting: Resolve(%q) = %q, %v; want %q", ref, got, err, want)
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Resolve(t.Context(), "dup"); !errors.Is(err, ErrClosed) {
		t.Errorf("Resolve on a closed index = %v, want ErrClosed", err)
	}
}

func TestLookup(t *testing.T) {
	ix := openTest(t, t.TempDir())
	defer ix.Close()
	if _, err := ix.Upsert(t.Context(), refPapers()...); err != nil {
		t.Fatal(err)
	}
	ps, missing, err := ix.Lookup(t.Context(), "hep-th/9901001", "nope", "2504.16081v2", "arXiv:2504.16081", "doi:10.5555/own.1", "a2", "10.9/x")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.ID)
	}
	if diff := cmp.Diff([]string{"a2", "2504.16081", "a1"}, got); diff != "" {
		t.Errorf("papers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"nope", "10.9/x"}, missing); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
	if len(ps) > 0 && (ps[0].Title != "Strings in eleven dimensions" || ps[0].ArxivID != "hep-th/9901001") {
		t.Errorf("Lookup returned %+v, not the stored record", ps[0])
	}
	ps, missing, err = ix.Lookup(t.Context())
	if err != nil || len(ps) != 0 || len(missing) != 0 {
		t.Errorf("Lookup() = %v, %v, %v; want nothing", ps, missing, err)
	}
}

// TestResolveAfterOldVectors: a vectors file of version 2 has no DOI or arXiv keys in its keyword
// index; opening the index rebuilds it, so pasted DOIs resolve.
func TestResolveAfterOldVectors(t *testing.T) {
	dir := t.TempDir()
	ix := openTest(t, dir)
	ps := refPapers()
	if _, err := ix.Upsert(t.Context(), ps...); err != nil {
		t.Fatal(err)
	}
	// Save a keyword index without the keys, as version 2 wrote it.
	kw := bm25.NewStore(ix.opts.Keyword)
	for _, d := range ix.keywordDocs(ps) {
		var keys []string
		for _, k := range d.Keys {
			if !strings.HasPrefix(k, keyDOI) && !strings.HasPrefix(k, keyArxiv) {
				keys = append(keys, k)
			}
		}
		d.Keys = keys
		if err := kw.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	ix.mu.Lock()
	ix.kw = kw
	ix.mu.Unlock()
	ix.savedGen.Store(0)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, vectorsName)
	setVersion := func(v uint32) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		binary.LittleEndian.PutUint32(b[4:], v)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// As saved (version 3), the keys are missing: this is what a version-2 file would give.
	ix = openTest(t, dir)
	if _, err := ix.Resolve(t.Context(), "doi:10.5555/own.1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the test's keyword index has DOI keys (Resolve = %v)", err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	setVersion(2)
	ix = openTest(t, dir)
	defer ix.Close()
	for ref, want := range map[string]string{"doi:10.5555/own.1": "a1", "arXiv:hep-th/9901001": "a2", "2504.16081v1": "2504.16081"} {
		if got, err := ix.Resolve(t.Context(), ref); err != nil || got != want {
			t.Errorf("after reopening a version-2 file: Resolve(%q) = %q, %v; want %q", ref, got, err, want)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(b[4:]); v != vectorsVersion {
		t.Errorf("vectors file rewritten as version %d, want %d", v, vectorsVersion)
	}
	sameIDs(t, ix)
}

package acceptance

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite index/aboutness_prior.tsv from the arXiv index")

// priorFile is the aboutness prior the index package embeds.
var priorFile = filepath.Join("..", "aboutness_prior.tsv")

// TestAboutnessPriorIsCurrent: the shipped aboutness prior is what the arXiv file's statistics give
// with today's analyzer and rules, so that it can be rebuilt and never drifts from the code that
// reads it. -update rewrites it.
func TestAboutnessPriorIsCurrent(t *testing.T) {
	ix := needArxiv(t)
	var buf bytes.Buffer
	if err := ix.WriteAboutnessPrior(&buf); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(priorFile, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(priorFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		got, exp := strings.Split(buf.String(), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < min(len(got), len(exp)); i++ {
			if got[i] != exp[i] {
				t.Fatalf("%s differs from what the arXiv index gives, first at line %d: got %q, want %q (%d against %d lines); rerun with -update",
					priorFile, i+1, got[i], exp[i], len(got), len(exp))
			}
		}
		t.Fatalf("%s differs from what the arXiv index gives: %d against %d lines; rerun with -update", priorFile, len(got), len(exp))
	}
	if n := strings.Count(string(want), "\n"); n < 1000 {
		t.Errorf("the prior lists %d lines, want the thousands of scaffolding terms of the arXiv file", n)
	}
}

package main

import (
	"strings"
	"testing"
)

// TestAlphaFlag checks --alpha is optional without a sentinel: the help shows no default, every
// number is taken and checked for its range, and anything else is refused by the flag itself.
func TestAlphaFlag(t *testing.T) {
	for _, cmd := range []string{"search", "related", "eval"} {
		_, stdout, stderr := runCLI(t, "", cmd, "-h")
		help := stdout + stderr
		if !strings.Contains(help, "-alpha weight") || strings.Contains(help, "(default -1)") {
			t.Errorf("%s -h: want an --alpha weight without a default of -1:\n%s", cmd, help)
		}
	}
	data := citeIndex(t)
	for _, tc := range []struct {
		alpha string
		code  int
		msg   string
	}{
		{"0.4", exitOK, ""},
		{"-1", exitUsage, "--alpha must be a number between 0 and 1"},
		{"1.5", exitUsage, "--alpha must be a number between 0 and 1"},
		{"x", exitUsage, `invalid value "x" for flag -alpha`},
	} {
		code, _, stderr := runCLI(t, "", "search", "--data", data, "--alpha", tc.alpha, "pruning")
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("search --alpha %s: exit %d, stderr %q; want exit %d and %q", tc.alpha, code, stderr, tc.code, tc.msg)
		}
	}
}

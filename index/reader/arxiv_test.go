package reader

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kindred-search/kindred/index/paper"
)

func TestUnLaTeX(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{`Bal\'azs`, "Balázs"},
		{`{\"O}zt{\"u}rk`, "Öztürk"},
		{`\"{O}zt\"{u}rk`, "Öztürk"},
		{`Gr{\o}nbech`, "Grønbech"},
		{`J\o rgensen`, "Jørgensen"},
		{`Stra\ss e`, "Straße"},
		{`Fran\c{c}ois`, "François"},
		{`Fran\c cois`, "François"},
		{`Mart\'{\i}nez`, "Martínez"},
		{`Dvo\v{r}\'ak`, "Dvořák"},
		{`Erd\H{o}s`, "Erdős"},
		{`Pe\~na`, "Peña"},
		{`\AA{}ngstr\"om`, "Ångström"},
		{`{\L}ukasz`, "Łukasz"},
		{`Ji\v{r}\'{\i}`, "Jiří"},
		{`\'Q`, "Q"},               // no precomposed form: the accent is dropped
		{`\lambda`, `\lambda`},     // not a letter command
		{`\c`, `\c`},               // accent with nothing to accent
		{`A\`, `A\`},               // trailing backslash
		{`\\Ajinkya`, `\\Ajinkya`}, // a line break in LaTeX, kept
		{"Plain Name", "Plain Name"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := unLaTeX(tc.in); got != tc.want {
				t.Errorf("unLaTeX(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestIsArxivID(t *testing.T) {
	for id, want := range map[string]bool{
		"0704.0001": true, "2503.11731": true, "2503.11731v2": true, "hep-th/9901001": true,
		"math.GT/0309136": true, "math/0611123v1": true, "cond-mat.str-el/0611123": false,
		"4983": false, "2503.117": false, "t-5522c3c8e40f4280": false, "": false,
	} {
		if got := isArxivID(id); got != want {
			t.Errorf("isArxivID(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestVersionDate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		versions []version
		want     paper.Date
		err      bool
	}{
		{"v1 first", []version{{"v1", "Mon, 2 Apr 2007 19:18:42 GMT"}, {"v2", "Tue, 24 Jul 2007 20:10:27 GMT"}}, paper.Date{Year: 2007, Month: 4, Day: 2}, false},
		{"v1 not first", []version{{"v2", "Tue, 24 Jul 2007 20:10:27 GMT"}, {"v1", "Mon, 02 Apr 2007 19:18:42 GMT"}}, paper.Date{Year: 2007, Month: 4, Day: 2}, false},
		{"no v1", []version{{"v3", "Wed, 1 Jan 2020 00:00:00 GMT"}}, paper.Date{Year: 2020, Month: 1, Day: 1}, false},
		{"RFC 3339", []version{{"v1", "2020-01-31T10:00:00Z"}}, paper.Date{Year: 2020, Month: 1, Day: 31}, false},
		{"garbage", []version{{"v1", "soon"}}, paper.Date{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := versionDate(tc.versions)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error: %v", err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("versionDate (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParsedAuthors(t *testing.T) {
	got := parsedAuthors([][]string{{"Yuan", "C. -P.", ""}, {"Smith", "", "Jr"}, {"Plato"}, {}, {"Doe", "J.", "III", ""}})
	want := []string{"C. -P. Yuan", "Smith Jr", "Plato", "J. Doe III"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parsedAuthors (-want +got):\n%s", diff)
	}
}

package paper

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Date
		str      string // want.String()
	}{
		{"empty is the zero date", "", Date{}, ""},
		{"blank is the zero date", " \t\n", Date{}, ""},
		{"year", "2017", Date{Year: 2017}, "2017"},
		{"year and month", "2017-06", Date{Year: 2017, Month: 6}, "2017-06"},
		{"full date", "2017-06-12", Date{Year: 2017, Month: 6, Day: 12}, "2017-06-12"},
		{"surrounding white space", " 2017-06-12\n", Date{Year: 2017, Month: 6, Day: 12}, "2017-06-12"},
		{"RFC 3339 UTC", "2025-03-18T17:59:58Z", Date{Year: 2025, Month: 3, Day: 18}, "2025-03-18"},
		{"RFC 3339 fraction and offset keep the written date", "2024-12-31T23:30:00.123-05:00", Date{Year: 2024, Month: 12, Day: 31}, "2024-12-31"},
		{"leap day in a leap year", "2024-02-29", Date{Year: 2024, Month: 2, Day: 29}, "2024-02-29"},
		{"leap day in a 400-year", "2000-02-29", Date{Year: 2000, Month: 2, Day: 29}, "2000-02-29"},
		{"last day of a 30-day month", "2024-04-30", Date{Year: 2024, Month: 4, Day: 30}, "2024-04-30"},
		{"last day of the year", "2023-12-31", Date{Year: 2023, Month: 12, Day: 31}, "2023-12-31"},
		{"first year", "0001", Date{Year: 1}, "0001"},
		{"last year", "9999-12-31", Date{Year: 9999, Month: 12, Day: 31}, "9999-12-31"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDate(tc.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tc.in, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseDate(%q) (-want +got):\n%s", tc.in, diff)
			}
			if s := got.String(); s != tc.str {
				t.Errorf("String() = %q, want %q", s, tc.str)
			}
			if got.IsZero() != (tc.str == "") {
				t.Errorf("IsZero() = %v for %q", got.IsZero(), tc.str)
			}
			back, err := ParseDate(got.String())
			if err != nil {
				t.Fatalf("ParseDate(String()) = %v", err)
			}
			if diff := cmp.Diff(got, back); diff != "" {
				t.Errorf("ParseDate(String()) round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDateErrors(t *testing.T) {
	// Inputs ParseDate accepts today although they are outside its documented grammar; their cases are
	// skipped with the reason until it rejects them.
	for _, tc := range []struct{ name, in string }{
		{"month 13", "2024-13"},
		{"month 13 with day", "2024-13-01"},
		{"February 30", "2024-02-30"},
		{"February 29 outside a leap year", "2023-02-29"},
		{"February 29 in a century year", "1900-02-29"},
		{"April 31", "2024-04-31"},
		{"day 32", "2024-01-32"},
		{"day without month", "2024-00-15"},
		{"one-digit month", "2024-1"},
		{"one-digit day", "2024-01-1"},
		{"three-digit month", "2024-001"},
		{"two-digit year", "24-01-01"},
		{"five-digit year", "20240"},
		{"year zero", "0000"},
		{"garbage", "yesterday"},
		{"month name", "Jun 2017"},
		{"slashes", "2024/01/02"},
		{"too many parts", "2024-01-02-03"},
		{"trailing dash", "2024-"},
		{"leading dash", "-2024"},
		{"space inside", "2024 -01"},
		{"timestamp with a bad date part", "2024-02-30T00:00:00Z"},
		{"month zero", "2024-00"},
		{"day zero", "2024-01-00"},
		{"signed year", "+024"},
		{"signed month", "2024-+1"},
		{"garbage after the T", "2024-01-02Tnonsense"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d, err := ParseDate(tc.in); err == nil {
				t.Errorf("ParseDate(%q) = %#v, want an error", tc.in, d)
			} else if !strings.Contains(err.Error(), "date ") {
				t.Errorf("ParseDate(%q) error %q does not say it is about a date", tc.in, err)
			}
		})
	}
}

func TestDateStringPartial(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    Date
		want string
	}{
		{"zero", Date{}, ""},
		{"year pads to four digits", Date{Year: 42}, "0042"},
		{"month pads", Date{Year: 2024, Month: 3}, "2024-03"},
		{"day pads", Date{Year: 2024, Month: 3, Day: 4}, "2024-03-04"},
		{"day without month is not printed", Date{Year: 2024, Day: 4}, "2024"},
		{"no year means no date", Date{Month: 3, Day: 4}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.d.String(); got != tc.want {
				t.Errorf("%+v.String() = %q, want %q", tc.d, got, tc.want)
			}
		})
	}
}

func TestDateTime(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    Date
		want time.Time
	}{
		{"year is its first instant", Date{Year: 2017}, time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"month is its first instant", Date{Year: 2017, Month: 6}, time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC)},
		{"day", Date{Year: 2017, Month: 6, Day: 12}, time.Date(2017, 6, 12, 0, 0, 0, 0, time.UTC)},
		{"leap day", Date{Year: 2024, Month: 2, Day: 29}, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.d.Time()
			if !got.Equal(tc.want) || got.Location() != time.UTC {
				t.Errorf("%+v.Time() = %v, want %v", tc.d, got, tc.want)
			}
		})
	}
}

func TestDateText(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    Date
		text string
	}{
		{"zero", Date{}, ""},
		{"year", Date{Year: 1999}, "1999"},
		{"month", Date{Year: 1999, Month: 12}, "1999-12"},
		{"day", Date{Year: 1999, Month: 12, Day: 31}, "1999-12-31"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.d.MarshalText()
			if err != nil {
				t.Fatalf("MarshalText: %v", err)
			}
			if string(b) != tc.text {
				t.Errorf("MarshalText = %q, want %q", b, tc.text)
			}
			got := Date{Year: 1, Month: 1, Day: 1} // must be overwritten, even by the zero date
			if err := got.UnmarshalText(b); err != nil {
				t.Fatalf("UnmarshalText(%q): %v", b, err)
			}
			if diff := cmp.Diff(tc.d, got); diff != "" {
				t.Errorf("text round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDateUnmarshalTextError(t *testing.T) {
	d := Date{Year: 2020, Month: 5}
	if err := d.UnmarshalText([]byte("2023-02-29")); err == nil {
		t.Fatal("UnmarshalText(2023-02-29) = nil, want an error")
	}
	if diff := cmp.Diff(Date{Year: 2020, Month: 5}, d); diff != "" {
		t.Errorf("a failed UnmarshalText changed the date (-want +got):\n%s", diff)
	}
}

func TestPaperJSONDates(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Paper
		json string
	}{
		{
			name: "partial date as a string",
			p:    Paper{ID: "1706.03762", Title: "T", Abstract: "A", Published: Date{Year: 2017, Month: 6}},
			json: `{"id":"1706.03762","title":"T","abstract":"A","published":"2017-06"}`,
		},
		{
			name: "year only",
			p:    Paper{ID: "x", Title: "T", Abstract: "A", Published: Date{Year: 2019}},
			json: `{"id":"x","title":"T","abstract":"A","published":"2019"}`,
		},
		{
			name: "zero date omitted",
			p:    Paper{ID: "x", Title: "T", Abstract: "A"},
			json: `{"id":"x","title":"T","abstract":"A"}`,
		},
		{
			name: "every field",
			p: Paper{ID: "x", Title: "T", Abstract: "A", Authors: []string{"a", "b"}, AuthorCount: 3,
				Published: Date{Year: 2024, Month: 2, Day: 29}, Categories: []string{"cs.CL"}, URL: "https://example.org/x", Upvotes: 5},
			json: `{"id":"x","title":"T","abstract":"A","authors":["a","b"],"author_count":3,"published":"2024-02-29","categories":["cs.CL"],"url":"https://example.org/x","upvotes":5}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.p)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if diff := cmp.Diff(tc.json, string(b)); diff != "" {
				t.Errorf("Marshal (-want +got):\n%s", diff)
			}
			var got Paper
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if diff := cmp.Diff(tc.p, got); diff != "" {
				t.Errorf("JSON round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPaperJSONBadDate(t *testing.T) {
	for _, in := range []string{
		`{"id":"x","published":"2017-13"}`,
		`{"id":"x","published":"2023-02-29"}`,
		`{"id":"x","published":"June 2017"}`,
		`{"id":"x","published":2017}`,
	} {
		var p Paper
		if err := json.Unmarshal([]byte(in), &p); err == nil {
			t.Errorf("Unmarshal(%s) = nil, want an error; got %+v", in, p.Published)
		}
	}
}

// Every successfully parsed date is valid and round-trips through String, and Time agrees with it.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"", "2017", "2017-06", "2017-06-12", "2025-03-18T17:59:58Z", "2024-02-29",
		"2023-02-29", "2024-13", "2024-1", "0000", "9999-12-31", " 2017 ", "2024-00-15", "+024", "2024-01-02T"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if d != (Date{}) {
				t.Errorf("ParseDate(%q) failed with a non-zero date %+v", s, d)
			}
			return
		}
		if err := d.check(); err != nil && !d.IsZero() {
			t.Errorf("ParseDate(%q) = %+v, which is invalid: %v", s, d, err)
		}
		back, err := ParseDate(d.String())
		if err != nil {
			t.Fatalf("ParseDate(%q) = %+v, but ParseDate(%q) fails: %v", s, d, d.String(), err)
		}
		if back != d {
			t.Errorf("ParseDate(%q) = %+v, ParseDate(String()) = %+v", s, d, back)
		}
		if d.IsZero() {
			return
		}
		tm := d.Time()
		if tm.Year() != d.Year || int(tm.Month()) != max(d.Month, 1) || tm.Day() != max(d.Day, 1) {
			t.Errorf("%+v.Time() = %v", d, tm)
		}
	})
}

func ExampleParseDate() {
	for _, s := range []string{"2017", "2017-06", "2017-06-12", "2025-03-18T17:59:58Z"} {
		d, err := ParseDate(s)
		fmt.Println(d, d.Time().Format(time.DateOnly), err)
	}
	// Output:
	// 2017 2017-01-01 <nil>
	// 2017-06 2017-06-01 <nil>
	// 2017-06-12 2017-06-12 <nil>
	// 2025-03-18 2025-03-18 <nil>
}

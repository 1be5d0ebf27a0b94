package paper

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date in which the day, or the month and day, may be unknown (zero).
// The zero Date means "no date".
type Date struct {
	Year  int `json:"year,omitempty"`
	Month int `json:"month,omitempty"` // 1-12, or 0 when unknown
	Day   int `json:"day,omitempty"`   // 1-31, or 0 when unknown
}

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d.Year == 0 }

// String formats the date as "2006-01-02", "2006-01" or "2006", by what is known; "" for the zero Date.
func (d Date) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Time is the first instant of the date in UTC (unknown month or day count as 1), for range filters.
func (d Date) Time() time.Time {
	m, day := max(d.Month, 1), max(d.Day, 1)
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads "2006", "2006-01", "2006-01-02" or an RFC 3339 timestamp (whose date part is kept).
// The empty string is the zero Date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	if len(s) > 10 && s[10] == 'T' {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return Date{}, fmt.Errorf("date %q: not an RFC 3339 timestamp", s)
		}
		s = s[:10]
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 {
		return Date{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || !allDigits(p) || (i == 0 && len(p) != 4) || (i > 0 && len(p) != 2) || (i > 0 && v == 0) {
			return Date{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		n[i] = v
	}
	d := Date{Year: n[0], Month: n[1], Day: n[2]}
	if err := d.check(); err != nil {
		return Date{}, fmt.Errorf("date %q: %w", s, err)
	}
	return d, nil
}

func (d Date) check() error {
	if d.Year < 1 || d.Year > 9999 {
		return fmt.Errorf("year %d out of range", d.Year)
	}
	if d.Month < 0 || d.Month > 12 || (d.Month == 0 && d.Day != 0) {
		return fmt.Errorf("month %d out of range", d.Month)
	}
	if d.Day != 0 {
		last := time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if d.Day < 1 || d.Day > last {
			return fmt.Errorf("day %d out of range for %04d-%02d", d.Day, d.Year, d.Month)
		}
	}
	return nil
}

// MarshalText implements encoding.TextMarshaler, so a Date reads as "2021-07-23" in JSON.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseDate.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

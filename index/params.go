package index

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/kindred-search/kindred/index/paper"
)

// ParamError is a bad ranking parameter: which one and why. It wraps ErrBadRequest.
type ParamError struct {
	// Param is the parameter's name as clients spell it: "mode", "limit", "offset", "from", "to",
	// "category", "fusion", "alpha".
	Param string
	// Message says what is wrong, naming the parameter ("limit must be between 1 and 100").
	Message string
}

func (e *ParamError) Error() string { return e.Message }

// Unwrap lets errors.Is match ErrBadRequest.
func (e *ParamError) Unwrap() error { return ErrBadRequest }

func paramErr(param, format string, args ...any) *ParamError {
	return &ParamError{Param: param, Message: fmt.Sprintf(format, args...)}
}

// RankingParams are the ranking options as a client gives them, before they are checked: the API's
// query parameters and JSON fields, the web UI's form, the CLI's flags. Nil pointers and empty strings
// mean "the default".
type RankingParams struct {
	Mode          string
	Limit, Offset *int
	From, To      string
	// Categories may each hold several comma-separated names.
	Categories []string
	Fusion     string
	Alpha      *float64
}

// Ranking checks the parameters and returns the ranking options, or the first problem as a
// *ParamError.
func (p RankingParams) Ranking() (Ranking, error) {
	r, errs := p.Check()
	if len(errs) > 0 {
		return r, errs[0]
	}
	return r, nil
}

// Check is Ranking reporting every problem, in parameter order, for forms that show them all.
func (p RankingParams) Check() (Ranking, []*ParamError) {
	var r Ranking
	var errs []*ParamError
	var err error
	if r.Mode, err = ParseMode(strings.TrimSpace(p.Mode)); err != nil {
		errs = append(errs, paramErr("mode", "unknown mode %q (want keyword, vector or hybrid)", p.Mode))
	}
	if p.Limit != nil {
		if *p.Limit < 1 || *p.Limit > MaxLimit {
			errs = append(errs, paramErr("limit", "limit must be between 1 and %d", MaxLimit))
		} else {
			r.Limit = *p.Limit
		}
	}
	if p.Offset != nil {
		if *p.Offset < 0 || *p.Offset > MaxOffset {
			errs = append(errs, paramErr("offset", "offset must be between 0 and %d", MaxOffset))
		} else {
			r.Offset = *p.Offset
		}
	}
	if r.Filter.From, err = paper.ParseDate(p.From); err != nil {
		errs = append(errs, paramErr("from", "from: %v", err))
	}
	if r.Filter.To, err = paper.ParseDate(p.To); err != nil {
		errs = append(errs, paramErr("to", "to: %v", err))
	}
	if !r.Filter.From.IsZero() && !r.Filter.To.IsZero() && r.Filter.To.Time().Before(r.Filter.From.Time()) {
		errs = append(errs, paramErr("to", "to (%s) is before from (%s)", r.Filter.To, r.Filter.From))
	}
	r.Filter.Categories = SplitCategories(p.Categories...)
	if len(r.Filter.Categories) > MaxCategories {
		errs = append(errs, paramErr("category", "%d categories, at most %d", len(r.Filter.Categories), MaxCategories))
	}
	if r.Fusion, err = ParseFusion(strings.TrimSpace(p.Fusion)); err != nil {
		errs = append(errs, paramErr("fusion", "unknown fusion %q (want convex or rrf)", p.Fusion))
	}
	if p.Alpha != nil {
		if !(*p.Alpha >= 0 && *p.Alpha <= 1) {
			errs = append(errs, paramErr("alpha", "alpha must be a number between 0 and 1"))
		} else {
			r.Alpha = p.Alpha
		}
	}
	return r, errs
}

// RankingParamsFrom reads the ranking parameters from URL query or form values: mode, limit, offset,
// from, to, category (repeatable, comma-separated), fusion, alpha. A limit, offset or alpha that is
// not a number is a *ParamError.
func RankingParamsFrom(v url.Values) (RankingParams, error) {
	p := RankingParams{Mode: v.Get("mode"), From: v.Get("from"), To: v.Get("to"), Fusion: v.Get("fusion"), Categories: v["category"]}
	for _, f := range []struct {
		name string
		dst  **int
		msg  string
	}{
		{"limit", &p.Limit, fmt.Sprintf("limit must be between 1 and %d", MaxLimit)},
		{"offset", &p.Offset, fmt.Sprintf("offset must be between 0 and %d", MaxOffset)},
	} {
		if s, ok := v[f.name]; ok {
			n, err := strconv.Atoi(strings.TrimSpace(s[0]))
			if err != nil {
				return p, paramErr(f.name, "%s", f.msg)
			}
			*f.dst = &n
		}
	}
	if s, ok := v["alpha"]; ok {
		a, err := strconv.ParseFloat(strings.TrimSpace(s[0]), 64)
		if err != nil {
			return p, paramErr("alpha", "alpha must be a number between 0 and 1")
		}
		p.Alpha = &a
	}
	return p, nil
}

// SplitCategories splits comma-separated category names, trims them and drops empty and repeated
// ones (compared without regard to case, as filters compare them).
func SplitCategories(vals ...string) []string {
	var out []string
	var seen []string
	for _, v := range vals {
		for _, c := range strings.Split(v, ",") {
			c = strings.TrimSpace(c)
			if f := strings.ToLower(c); c != "" && !slices.Contains(seen, f) {
				seen = append(seen, f)
				out = append(out, c)
			}
		}
	}
	return out
}

package ui

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/kindred-search/kindred/index"
)

// problem is what a page says when it cannot show what was asked: what happened and what to try.
type problem struct {
	Status int
	Title  string
	// Details are the specific reasons; for bad input, the engine's messages about that input.
	Details []string
	Hint    string
	Fix     *link // an action that likely works, such as the same search without operators
}

// statusClientGone marks a request whose client went away: nothing is written or logged.
const statusClientGone = 499

type link struct {
	Text, URL string
}

func internalProblem() *problem {
	return &problem{
		Status:  http.StatusInternalServerError,
		Title:   "Something went wrong",
		Details: []string{"Kindred could not complete this request. The error has been logged."},
		Hint:    "Try again in a moment.",
	}
}

// problemFor maps an engine error to what the page shows, in one place. Only errors about the
// reader's own input show their text; anything else is logged and shown as a generic 500.
func (s *server) problemFor(r *http.Request, err error) *problem {
	switch {
	case errors.Is(err, index.ErrBadQuery):
		return &problem{
			Status:  http.StatusBadRequest,
			Title:   "Kindred could not read this query",
			Details: []string{userMessage(err, index.ErrBadQuery)},
			Hint:    querySyntaxHint,
		}
	case errors.Is(err, index.ErrBadRequest):
		return &problem{
			Status:  http.StatusBadRequest,
			Title:   "Check the search options",
			Details: []string{userMessage(err, index.ErrBadRequest)},
			Hint:    "Dates are written YYYY, YYYY-MM or YYYY-MM-DD, and the “to” date cannot be before the “from” date.",
		}
	case errors.Is(err, index.ErrNotFound):
		return &problem{
			Status:  http.StatusNotFound,
			Title:   "Paper not found",
			Details: []string{"No paper in this index has that ID."},
			Hint:    "The link may be from another index, or the paper was removed. Search for its title instead.",
		}
	case errors.Is(err, index.ErrClosed):
		return &problem{
			Status:  http.StatusServiceUnavailable,
			Title:   "Kindred is shutting down",
			Details: []string{"The index is closed, so it cannot answer searches right now."},
			Hint:    "Try again in a minute.",
		}
	case errors.Is(err, context.DeadlineExceeded):
		return &problem{
			Status:  http.StatusServiceUnavailable,
			Title:   "This search took too long",
			Details: []string{"Kindred stopped working on it at the server's time limit."},
			Hint:    "Try fewer words, fewer patterns such as prefix* or *infix*, or a narrower date or category.",
		}
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		// The reader went away; nobody will see the page, so do not log it as our failure.
		return &problem{Status: statusClientGone}
	}
	s.opts.Logger.Error("ui: internal error", "path", r.URL.Path, "err", err)
	return internalProblem()
}

// querySyntaxHint explains the query language briefly.
const querySyntaxHint = `Use plain words, "quoted phrases", +required and -excluded words, field:word ` +
	`(title, abstract, authors, categories), word^2 to weigh a word more, prefix* and fuzzy~. ` +
	`Put special characters such as : ( ) [ ] { } inside quotes or escape them with a backslash.`

// userMessage is the engine's message about the reader's input, without the sentinel's prefix.
func userMessage(err, sentinel error) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, sentinel.Error()+": "); ok {
		msg = rest
	}
	if msg == "" || msg == sentinel.Error() {
		return ""
	}
	return strings.ToUpper(msg[:1]) + msg[1:] + "."
}

type errorView struct {
	layout
	Problem *problem
}

func (s *server) renderProblem(w http.ResponseWriter, r *http.Request, p *problem) {
	if p.Status == statusClientGone {
		return
	}
	s.render(w, r, p.Status, "error", errorView{
		layout:  layout{Name: s.opts.Name, Title: p.Title, HeaderSearch: true, Sample: s.opts.Sample},
		Problem: p,
	})
}

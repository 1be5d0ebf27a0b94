package index

import "errors"

// Errors returned by the engine. Callers test them with errors.Is; the HTTP layer maps them to statuses
// in one place.
var (
	// ErrNotFound: no paper has the requested ID.
	ErrNotFound = errors.New("paper not found")
	// ErrInvalidPaper: a paper given to Upsert failed paper.Validate.
	ErrInvalidPaper = errors.New("invalid paper")
	// ErrBadQuery: the query string has a syntax error, or is empty.
	ErrBadQuery = errors.New("bad query")
	// ErrBadRequest: a search parameter is out of range (limit, alpha, dates, mode, fusion).
	ErrBadRequest = errors.New("bad request")
	// ErrVersion: the data directory was written by an incompatible version of Kindred.
	ErrVersion = errors.New("incompatible index format")
	// ErrDamaged: the data directory is damaged (a derived file is truncated, corrupt or missing);
	// `kindred index --rebuild` rebuilds the derived files from the stored paper records.
	ErrDamaged = errors.New("damaged index")
	// ErrLocked: another process has the data directory open.
	ErrLocked = errors.New("index in use by another process")
	// ErrClosed: the index was closed.
	ErrClosed = errors.New("index closed")
	// ErrNoSpace: a write was refused, or failed, because the disk of the data directory is full (or
	// nearly: see Options.MinFreeBytes). Nothing of the write was acknowledged; searches go on, and
	// writes succeed again once space is freed, without a restart.
	ErrNoSpace = errors.New("not enough disk space")
)

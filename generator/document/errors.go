package document

import (
	"errors"
	"fmt"
	"sort"
)

// ErrContent is the sentinel wrapped by every error about the content of a
// document: broken front matter, invalid values, files too large or not
// UTF-8. Callers test for it with errors.Is to tell content errors (exit 1)
// from operational ones.
var ErrContent = errors.New("content error")

// Error is an error about one document, located at a line of its source
// file. Its message has the form "path:line: message" so editors and CI
// annotations can jump to it.
type Error struct {
	// Path is the file's path as the user would type it (relative to the
	// repository root when known).
	Path string
	// Line is the 1-based line number, or 0 when the error concerns the whole
	// file.
	Line int
	// Msg is the human-readable message, without location.
	Msg string
	// Err is the underlying error, if any.
	Err error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Unwrap lets errors.Is match ErrContent and the underlying cause.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrContent, e.Err}
	}
	return []error{ErrContent}
}

// Errors is a list of document errors, reported together so that a user
// fixes all of them in one pass.
type Errors []*Error

func (es Errors) Error() string {
	switch len(es) {
	case 0:
		return "no errors"
	case 1:
		return es[0].Error()
	}
	s := fmt.Sprintf("%d content errors:", len(es))
	for _, e := range es {
		s += "\n  " + e.Error()
	}
	return s
}

// Unwrap returns the individual errors so that errors.Is(err, ErrContent)
// holds for a list.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func errorf(path string, line int, format string, args ...any) *Error {
	return &Error{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Sort orders the errors by file, then line, keeping the order of errors
// at the same place.
func (es Errors) Sort() {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Path != es[j].Path {
			return es[i].Path < es[j].Path
		}
		return es[i].Line < es[j].Line
	})
}

// Package readcap reads files with a size cap, so that no input Clause
// reads (a configuration file, a subscriber list, a state file) can make it
// run out of memory: a file over its cap is an error that names the file,
// its size and the cap, and nothing of it is read.
package readcap

import (
	"fmt"
	"io"
	"os"
)

// Limits of the files Clause reads besides documents (document.MaxSize)
// and commit messages (capped in package history).
const (
	// Config caps clause.toml and notify channel files.
	Config = 1 << 20
	// Recipients caps a subscriber list (--mail-to-file): a million
	// addresses of 60 bytes.
	Recipients = 64 << 20
	// State caps notify's state file.
	State = 256 << 20
	// Small caps files that hold a line or two (a worktree's .git file,
	// commondir).
	Small = 64 << 10
	// Template caps each file of the repository's layouts/ and i18n/.
	Template = 4 << 20
	// Static caps each file of the repository's static/ and assets/.
	Static = 100 << 20
)

// TooLargeError reports a file over its cap.
type TooLargeError struct {
	// Path is the file as the caller named it.
	Path string
	// Size is the file's size in bytes, or 0 when it is not known (the
	// file was read as a stream and is only known to exceed Limit); Limit
	// is the cap.
	Size, Limit int64
}

func (e *TooLargeError) Error() string {
	if e.Size <= e.Limit {
		return fmt.Sprintf("%s: file is larger than %s, the limit for this file", e.Path, Size(e.Limit))
	}
	return fmt.Sprintf("%s: file is %s; this file is limited to %s", e.Path, Size(e.Size), Size(e.Limit))
}

// Size formats a byte count for a reader: "512 bytes", "64 KiB", "3.5 MiB".
func Size(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return trim(float64(n)/(1<<10)) + " KiB"
	case n < 1<<30:
		return trim(float64(n)/(1<<20)) + " MiB"
	default:
		return trim(float64(n)/(1<<30)) + " GiB"
	}
}

func trim(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s
}

// ReadFile reads the file at path if it holds at most limit bytes, and
// returns a *TooLargeError otherwise. A file that grows while it is read is
// refused too: at most limit+1 bytes are ever read.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(f, path, limit)
}

// Reader returns a reader of r that fails with a *TooLargeError, naming
// path, once more than limit bytes have been read.
func Reader(r io.Reader, path string, limit int64) io.Reader {
	return &capped{r: r, path: path, limit: limit}
}

type capped struct {
	r     io.Reader
	path  string
	limit int64
	n     int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.n > c.limit {
		return 0, &TooLargeError{Path: c.path, Limit: c.limit}
	}
	if rest := c.limit + 1 - c.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.limit {
		return n, &TooLargeError{Path: c.path, Limit: c.limit}
	}
	return n, err
}

func readAll(f *os.File, path string, limit int64) ([]byte, error) {
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > limit {
		return nil, &TooLargeError{Path: path, Size: fi.Size(), Limit: limit}
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	return b, nil
}

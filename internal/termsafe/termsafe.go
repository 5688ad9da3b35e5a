// Package termsafe makes untrusted text (commit subjects, document titles,
// redlines, server replies) safe to print to a terminal.
//
// A terminal obeys control characters: ESC starts sequences that clear the
// screen, move the cursor, retitle the window, hide text or write to the
// clipboard (OSC 52); the C1 controls U+0080–U+009F (CSI is U+009B) do the
// same on many terminals, and so do their raw bytes on 8-bit ones. Text from
// content must therefore never reach a terminal as is. termsafe shows every
// such character as a visible escape instead:
//
//	ESC (U+001B)            \x1b
//	other C0 controls, DEL  \x00 … \x1f, \x7f
//	C1 controls             \u0080 … \u009f
//	bidirectional overrides \u202a … \u202e, \u2066 … \u2069
//	invalid UTF-8 bytes     \xNN
//
// The bidirectional overrides are not terminal controls, but they reorder
// what a reader sees (a subject can display differently from what it says).
package termsafe

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Line returns s with every control character escaped, line breaks and tabs
// included: for a value printed on one line (a title, a subject).
func Line(s string) string { return escape(s, false) }

// Text returns s with every control character escaped except line feeds and
// tabs, which structure multi-line text. A carriage return is escaped: it
// would let a line overwrite what precedes it.
func Text(s string) string { return escape(s, true) }

// TextKeeping is Text, except that the exact sequences in keep (such as the
// ANSI colour codes a writer emitted itself) are passed through unchanged.
func TextKeeping(s string, keep ...string) string {
	if len(keep) == 0 {
		return Text(s)
	}
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexByte(s, 0x1b)
		if i < 0 {
			b.WriteString(Text(s))
			break
		}
		b.WriteString(Text(s[:i]))
		s = s[i:]
		kept := false
		for _, k := range keep {
			if k != "" && strings.HasPrefix(s, k) {
				b.WriteString(k)
				s = s[len(k):]
				kept = true
				break
			}
		}
		if !kept {
			b.WriteString(`\x1b`)
			s = s[1:]
		}
	}
	return b.String()
}

// NeedsEscape reports whether r is shown escaped by Line.
func NeedsEscape(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

func escape(s string, keepLines bool) string {
	clean := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || (NeedsEscape(r) && !(keepLines && (r == '\n' || r == '\t'))) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keepLines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r < 0x80 && NeedsEscape(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case NeedsEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Writer returns a writer that escapes (as Text) what it writes to w. Each
// Write is escaped on its own, so a caller must not split a character or a
// line across writes (fmt.Fprintf and fmt.Fprintln write whole lines).
func Writer(w io.Writer) io.Writer {
	if w == nil {
		return nil
	}
	return &writer{w: w}
}

type writer struct{ w io.Writer }

func (w *writer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.w, Text(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Error returns err with its message escaped as Text, or nil. The result
// wraps err: errors.Is and errors.As see through it.
func Error(err error) error {
	if err == nil {
		return nil
	}
	return escapedError{err}
}

type escapedError struct{ err error }

func (e escapedError) Error() string { return Text(e.err.Error()) }
func (e escapedError) Unwrap() error { return e.err }

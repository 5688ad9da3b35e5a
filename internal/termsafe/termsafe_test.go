package termsafe

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestLineAndText(t *testing.T) {
	for _, c := range []struct{ in, line, text string }{
		{"Plain ASCII, ümlauts – dashes", "Plain ASCII, ümlauts – dashes", "Plain ASCII, ümlauts – dashes"},
		{"clear\x1b[2J\x1b[Hscreen", `clear\x1b[2J\x1b[Hscreen`, `clear\x1b[2J\x1b[Hscreen`},
		{"osc52\x1b]52;c;ZXZpbA==\x07", `osc52\x1b]52;c;ZXZpbA==\x07`, `osc52\x1b]52;c;ZXZpbA==\x07`},
		{"c1 \u009b2J csi", `c1 \u009b2J csi`, `c1 \u009b2J csi`},
		{"raw \x9b byte", `raw \x9b byte`, `raw \x9b byte`},
		{"bidi \u202eevil", `bidi \u202eevil`, `bidi \u202eevil`},
		{"a\nb\tc\rd\x7f", `a\x0ab\x09c\x0dd\x7f`, "a\nb\tc\\x0dd\\x7f"},
	} {
		if got := Line(c.in); got != c.line {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
		}
		if got := Text(c.in); got != c.text {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.text)
		}
	}
}

func TestTextKeepingPassesOnlyTheGivenSequences(t *testing.T) {
	in := "\x1b[32minserted\x1b[0m and \x1b[8mconcealed\x1b[0m\x1b"
	want := "\x1b[32minserted\x1b[0m and \\x1b[8mconcealed\x1b[0m\\x1b"
	if got := TextKeeping(in, "\x1b[32m", "\x1b[0m"); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestWriter(t *testing.T) {
	var b bytes.Buffer
	fmt.Fprintf(Writer(&b), "%s: sent\n", "dpa\x1b]0;pwned\x07")
	if got, want := b.String(), "dpa\\x1b]0;pwned\\x07: sent\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestErrorEscapesAndWraps(t *testing.T) {
	base := errors.New("reply \x1b[2J")
	err := Error(fmt.Errorf("wrapped: %w", base))
	if err.Error() != `wrapped: reply \x1b[2J` || !errors.Is(err, base) || Error(nil) != nil {
		t.Errorf("Error: %q, Is %v", err, errors.Is(err, base))
	}
}

package markdown

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckLimits(t *testing.T) {
	nestedList := func(levels int, marker string) string {
		var b strings.Builder
		b.WriteString("# Terms\n\n")
		for i := range levels {
			// Each item indented to the text of the one before.
			b.WriteString(strings.Repeat(" ", i*(len(marker)+1)) + marker + " item\n")
		}
		return b.String()
	}
	for _, c := range []struct {
		name string
		body string
		line int // 0: accepted; -1: refused at a line nested MaxNesting deep
	}{
		{"quotes at the limit", "text\n\n" + strings.Repeat(">", MaxNesting) + " deep\n", 0},
		{"quotes beyond the limit", "text\n\n" + strings.Repeat(">", MaxNesting+1) + " deep\n", 3},
		{"spaced quotes beyond the limit", strings.Repeat("> ", MaxNesting+1) + "deep\n", 1},
		{"list markers on one line", strings.Repeat("- ", MaxNesting+1) + "x\n", 1},
		{"ordered markers on one line", strings.Repeat("1. ", MaxNesting+1) + "x\n", 1},
		{"quotes and lists mixed", strings.Repeat("> - ", MaxNesting/2+1) + "x\n", 1},
		{"indented list at the limit", nestedList(MaxNesting, "-"), 0},
		{"indented list beyond the limit", nestedList(MaxNesting+1, "-"), MaxNesting + 3},
		{"indented ordered list beyond the limit", nestedList(MaxNesting+1, "1."), MaxNesting + 3},
		{"indented list in a quote", "> - a\n" + strings.Repeat(">   - b\n", 3), 0},
		{"list back at the top level", strings.Repeat(nestedList(MaxNesting-1, "*")+"\ntext\n\n", 3), 0},
		{"long thematic break", strings.Repeat("- ", 10*MaxNesting) + "\n", 0},
		{"thematic break of stars", strings.Repeat("* ", 10*MaxNesting) + "\n", 0},
		{"list markers before a break", strings.Repeat("- ", 5) + strings.Repeat("* ", 10*MaxNesting) + "\n", 0},
		{"many numbers", strings.Repeat("2026. was a year. ", 1000) + "\n", 0},
		{"many links", strings.Repeat("See [clause 1](https://example.com/terms#clause-1) and [b](<x y>). ", 20000) + "\n", 0},
		{"links with titles", strings.Repeat("[a](b \"title\") [c](d 'e') [f](g (h)) ", 20000) + "\n", 0},
		{"link destinations that never close", "intro\n\n" + strings.Repeat("[a](", 50_000) + "\n", 3},
		{"angle destinations that never close", strings.Repeat("[a](<b", 50_000) + "\n", 1},
		{"titles that never close", strings.Repeat("[a](b (", 50_000) + "\n", 1},
		{"nested brackets", "x\n" + strings.Repeat("[", 50_000) + "a" + strings.Repeat("]", 50_000) + "\n", 2},
		{"placeholders in brackets", strings.Repeat("The [Customer] and [Processor] [sign] [here]. ", 50_000) + "\n", 0},
		{"unclosed brackets then paragraphs", strings.Repeat("[", 50_000) + "\n\n" + strings.Repeat("a] ", 50_000) + "\n", 0},
		{"some lines at the limit", strings.Repeat(strings.Repeat(">", MaxNesting)+" text\n\n", 100), 0},
		{"too many lines at the limit", strings.Repeat(strings.Repeat(">", MaxNesting)+" text\n\n", 20_000), -1},
		{"links in a large table", "| a | b |\n|---|---|\n" + strings.Repeat("| [x](y) | [z](w) |\n", 50_000), 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckLimits([]byte(c.body))
			if c.line == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var le *LimitError
			if !errors.As(err, &le) || !errors.Is(err, ErrLimit) {
				t.Fatalf("got %v, want a LimitError", err)
			}
			if c.line == -1 {
				if le.Line%2 != 1 || le.Line < 100 {
					t.Errorf("refused at line %d: %v", le.Line, err)
				}
			} else if le.Line != c.line {
				t.Errorf("line %d, want %d: %v", le.Line, c.line, err)
			}
		})
	}
}

// TestBeyondLimitsNotParsed checks that every function that parses a body
// refuses one beyond the limits instead of parsing it.
func TestBeyondLimitsNotParsed(t *testing.T) {
	body := []byte("# Title\n\nSee [a](b).\n\n" + strings.Repeat(">", MaxNesting+1) + " deep\n")
	if _, err := Render(body); !errors.Is(err, ErrLimit) {
		t.Errorf("Render: %v, want ErrLimit", err)
	}
	if b := Blocks(body); len(b) != 0 {
		t.Errorf("Blocks: %d blocks", len(b))
	}
	if l := Links(body); len(l) != 0 {
		t.Errorf("Links: %v", l)
	}
	if title, _, ok := Title(append([]byte("Title\n=====\n\n"), body...)); ok {
		t.Errorf("Title: %q", title)
	}
	// Within the limits, the same functions see the text.
	ok := []byte("# Title\n\nSee [a](b).\n\n" + strings.Repeat(">", MaxNesting) + " deep\n")
	if _, err := Render(ok); err != nil {
		t.Errorf("Render: %v", err)
	}
	if b := Blocks(ok); len(b) != 3 || b[2].Quote != MaxNesting {
		t.Errorf("Blocks: %+v", b)
	}
	if l := Links(ok); len(l) != 1 {
		t.Errorf("Links: %v", l)
	}
	if title, _, _ := Title(ok); title != "Title" {
		t.Errorf("Title: %q", title)
	}
}

// BenchmarkCheckLimits is the cost of the check on an ordinary DPA and on
// a line of many links, which CheckLimits reads most closely.
func BenchmarkCheckLimits(b *testing.B) {
	md, _ := benchBodies(60_000)
	links := []byte(strings.Repeat("See [clause 1](https://example.com/terms#clause-1) and [b](<x y>). ", 20000))
	for _, c := range []struct {
		name string
		body []byte
	}{{"dpa", md}, {"links", links}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				if err := CheckLimits(c.body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestLineIndex(t *testing.T) {
	text := []byte("a\nbc\n\nd")
	ix := NewLineIndex(text)
	for off := 0; off <= len(text); off++ {
		want := strings.Count(string(text[:off]), "\n") + 1
		if got := ix.Line(off); got != want {
			t.Errorf("Line(%d) = %d, want %d", off, got, want)
		}
	}
}

// TestLinksLines checks that the links of a long paragraph get their own
// lines, found near each link, not the first place their destination is
// written.
func TestLinksLines(t *testing.T) {
	body := "# T\n\nSee [a](https://x.example)\nand [b](https://x.example)\nand [c][ref].\n\n[ref]: https://y.example\n"
	got := Links([]byte(body))
	want := []int{3, 4, 5}
	if len(got) != len(want) {
		t.Fatalf("links %+v", got)
	}
	for i, l := range got {
		if l.Line != want[i] {
			t.Errorf("link %d (%s) at line %d, want %d", i, l.Dest, l.Line, want[i])
		}
	}
}

// TestPathologicalWithinBudget checks which of the benchmark's bodies
// within the nesting limit are parsed, so that the benchmark measures
// parsing them and not their refusal.
func TestPathologicalWithinBudget(t *testing.T) {
	for _, c := range pathological() {
		if strings.Contains(c.name, "within-budget") {
			if err := CheckLimits(c.body); err != nil {
				t.Errorf("%s (%d bytes): %v", c.name, len(c.body), err)
			}
		}
	}
}

// TestLinksWithoutBracketNotParsed: a body without "[" has no link nor
// image (autolinks and bare URLs are neither) and is not parsed for them.
func TestLinksWithoutBracketNotParsed(t *testing.T) {
	body := []byte("| Name | Site |\n|---|---|\n| A | https://a.example <https://b.example> www.c.example d@e.example |\n")
	n0, _ := Parses()
	if got := Links(body); got != nil {
		t.Errorf("Links = %v, want none", got)
	}
	if n1, _ := Parses(); n1 != n0 {
		t.Errorf("a body without links was parsed %d times", n1-n0)
	}
	if got := Links(append([]byte("See [the DPA](dpa.md).\n\n"), body...)); len(got) != 1 || got[0].Dest != "dpa.md" {
		t.Errorf("Links = %v, want the link to dpa.md", got)
	}
}

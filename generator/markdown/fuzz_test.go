package markdown

import (
	"os"
	"strings"
	"testing"
)

// FuzzPlainText checks that for any body Render, Blocks and Lint do not
// fail, that every anchor a block names is on the rendered page, that ids
// are unique, and that notes point into the body.
func FuzzPlainText(f *testing.F) {
	if b, err := os.ReadFile("testdata/pasted-dpa.md"); err == nil {
		f.Add(string(b))
	}
	for _, s := range []string{
		"1. DEFINITIONS\n1.1 \"A\" means b.\n2. TERM\n2.1 Text.\n",
		"**1. X**\n\n(a) y;\n(b) z:\n(i) w.\n\n    indented\n\n• a\n◦ b\n– c\n",
		"# T\n\n1. a\n   - b\n\n> 1.1 Quoted clause.\n> • bullet\n\n- 1.1 item\n\n  1.2 second paragraph\n",
		"1. A\n\n   1.1 B.\n\n2. C\n\n   text\n",
		"Article 28 – X\n\n§ 5\n\nClause 4.2: Y\n\n*   \n•\n• \n\t• x\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r, err := Render([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		page := string(r.HTML)
		seen := map[string]bool{}
		for _, h := range r.Headings {
			if seen[h.ID] {
				t.Fatalf("duplicate TOC id %q", h.ID)
			}
			seen[h.ID] = true
		}
		for _, b := range Blocks([]byte(body)) {
			if b.Anchor != "" && !strings.Contains(page, `id="`+b.Anchor+`"`) {
				t.Fatalf("anchor %q of block %+v not on the page:\n%s", b.Anchor, b, page)
			}
			if b.Clause != "" && !strings.HasPrefix(b.Text, b.Clause) {
				t.Fatalf("clause label %q does not open %q", b.Clause, b.Text)
			}
		}
		lines := strings.Count(body, "\n") + 1
		for _, n := range Lint([]byte(body)) {
			if n.Line < 0 || n.Line > lines || n.Count < 1 {
				t.Fatalf("note %+v for a body of %d lines", n, lines)
			}
		}
	})
}

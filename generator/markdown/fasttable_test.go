package markdown

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
)

// renderBoth renders body as Parse does, with tables of any size read as
// PlainTables when plain, and as goldmark alone does; plain is the number
// of PlainTables in the first tree.
func renderBoth(t testing.TB, body string) (fast, slow *Rendered, plain int) {
	t.Helper()
	old := plainTableRows
	plainTableRows = 0
	defer func() { plainTableRows = old }()
	tree, err := Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	_ = ast.Walk(tree.Node(), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := n.(*PlainTable); ok && entering {
			plain++
		}
		return ast.WalkContinue, nil
	})
	if fast, err = tree.Render(); err != nil {
		t.Fatal(err)
	}
	doc, st := parse(newMarkdown(options{}).Parser(), []byte(body))
	if slow, err = (&Tree{body: []byte(body), doc: doc, st: st}).Render(); err != nil {
		t.Fatal(err)
	}
	return fast, slow, plain
}

func checkBoth(t testing.TB, body string) int {
	t.Helper()
	fast, slow, plain := renderBoth(t, body)
	if string(fast.HTML) != string(slow.HTML) {
		t.Fatalf("body %q:\nPlainTable: %s\ngoldmark:   %s", body, fast.HTML, slow.HTML)
	}
	if !reflect.DeepEqual(fast.Headings, slow.Headings) || !reflect.DeepEqual(fast.Notes, slow.Notes) || fast.LinkFree != slow.LinkFree {
		t.Fatalf("body %q: headings, notes %+v %+v, want %+v %+v", body, fast.Headings, fast.Notes, slow.Headings, slow.Notes)
	}
	return plain
}

func TestPlainTableAsGoldmark(t *testing.T) {
	long := strings.Repeat("x", LongCell-1)
	for _, c := range []struct {
		body  string
		plain int // PlainTables expected
	}{
		{"| a | b |\n|---|---|\n| 1 | 2 |\n", 1},
		{"| a | b |\n|---|---|\n", 1},
		{"| a |\n|---|\n| 1 |", 1},
		{"| a |\n|---|\n| 1 |\n  \n1.1 The processor.\n\n## 2. Next\n\n(a) x;\n\n| b |\n|---|\n| 2 |\n\n### 2.1 Last\n", 2},
		{"| a | b |\n|---|---|\n|\n| 1 | 2 |\n", 1},
		{"|\n|---|\n| 1 |\n", 0},
		{"# Subs\n\n| Name | Purpose | Location |\n|:--|:-:|--:|\n| A & B | x < 3 > 2 \"q\" 'q' | Köln, 東京 |\n|   lead   |trail   |  |\n", 1},
		{"| a | b |\n| --- | :--- |\n| x \\| y | \\|\\| |\n| only one |\n| 1 | 2 | 3 | 4 |\n|  |  |\n", 1},
		{"| a | b |\n|---|---|\n| " + long + " | " + long + "é |\n", 1},
		{"| a | b |\n|---|---|\n| " + long + "\\| | " + strings.Repeat("y ", 30) + " |\n", 1},
		{"| a | b |\n|---|---|\n| x  y   z | -- |\n| AT&T | &amp |\n| & # | 1 |\n", 1},
		{"## H\n\n| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |\n\nText.\n\n| c |\n|---|\n| 3 |\n", 3},
		{"| a |\n|---|\n| 1 |\n\n## H\n\n| b |\n|---|\n| 2 |\n\n## H\n\n| c |\n|---|\n| 3 |\n\n| d |\n|---|\n| 4 |\n", 4},
		// Not plain: goldmark's.
		{"| a | b |\n|---|---|\n| *x* | 2 |\n", 0},
		{"| a | b |\n|---|---|\n| `x` | 2 |\n", 0},
		{"| a | b |\n|---|---|\n| &amp; | 2 |\n", 0},
		{"| a | b |\n|---|---|\n| &#38; | 2 |\n", 0},
		{"| a | b |\n|---|---|\n| <b>x</b> | 2 |\n", 0},
		{"| a | b |\n|---|---|\n| <https://x.y> | 2 |\n", 0},
		{"| a | b |\n|---|---|\n| www.example.com | 2 |\n", 0},
		{"| a | b |\n|---|---|\n| https://example.com | 2 |\n", 0},
		{"| a | b |\n|---|---|\n| a@example.com | 2 |\n", 0},
		{"| a | b |\n|---|---|\n| \\* | 2 |\n", 0},
		{"| a | b |\n|---|---|\n| x\ty | 2 |\n", 0},
		{"| a | b |\n|---|---|\n| x | 2 \\|\n", 0},
		{"| a | b |\n|---|---|\n| x | 2\n", 0},
		{"| a | b |\n|---|---|\n| [x](y) | 2 |\n", 0},
		{"| a | b |\n|---|---|\n| ~~x~~ | 2 |\n", 0},
		{"| a | b |\n|---|---|\r\n| x | 2 |\r\n", 0},
		{"| a | b | c |\n|---|---|\n| x | 2 |\n", 0},
		{"| a | b |\n|---|---|\n| 1 | 2 |\n---\n", 0},
		{"| a | b |\n|---|---|\n| 1 | 2 |\n# Heading\n", 0},
		{"Text\n| a | b |\n|---|---|\n| 1 | 2 |\n", 0},
		{"> quote\n| a | b |\n|---|---|\n| 1 | 2 |\n", 0},
		{"- item\n| a | b |\n|---|---|\n| 1 | 2 |\n", 0},
		{"- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n", 0},
		{"```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", 0},
		{"<!--\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n-->\n", 0},
		{"    | a | b |\n    |---|---|\n", 0},
		{"| a | b |\n| - | x |\n| 1 | 2 |\n", 0},
		{"| a | b |\n| 1 | 2 |\n|---|---|\n", 0},
		{"| a |\n|---|\n| \xff |\n", 0},
	} {
		if got := checkBoth(t, c.body); got != c.plain {
			t.Errorf("body %q: %d PlainTables, want %d", c.body, got, c.plain)
		}
	}
}

// TestPlainTableRandom renders random tables, plain and not, both ways.
func TestPlainTableRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	pieces := []string{"a", "Z", "0", " ", "  ", "é", "東", "\u00a0", "\u2003", "&", "&amp;", "&x", "&#1;", ";", "<", "<a", "< ", ">", "\"", "'",
		"\\|", "\\", "|", "*", "_", "~", "`", "[", "]", "!", "@", "#", "(", ")", ":", "/", ".", "-", "--", "www.", "http:", "{{", "}", "\t", "1.", "GmbH", "e.g."}
	// Pieces a plain cell may have.
	plainPieces := []string{"a", "Z", "0", " ", "  ", "é", "東", "\u00a0", "\u2003", "&", "&x", ";", "< ", ">", "\"", "'",
		"\\|", "!", "#", "(", ")", ":", "/", ".", "-", "--", "{{", "}", "1.", "GmbH", "e.g.", "<3", "&x;y", "& ;"}
	var from []string
	cell := func() string {
		var b strings.Builder
		for range rng.Intn(6) {
			b.WriteString(from[rng.Intn(len(from))])
		}
		if rng.Intn(8) == 0 {
			b.WriteString(strings.Repeat("long text ", 5+rng.Intn(3)))
		}
		return b.String()
	}
	aligns := []string{"---", ":--", "--:", ":-:", " - ", "-"}
	plain := 0
	for range 3000 {
		cols := 1 + rng.Intn(4)
		from = plainPieces
		if rng.Intn(3) == 0 {
			from = pieces
		}
		var b strings.Builder
		if rng.Intn(3) == 0 {
			b.WriteString("## Heading\n\n")
		}
		for k := range 1 + rng.Intn(2) {
			if k > 0 {
				b.WriteString("\n")
			}
			row := func(n int, f func() string) {
				b.WriteString("|")
				for range n {
					b.WriteString(f() + "|")
				}
				b.WriteString(strings.Repeat(" ", rng.Intn(2)) + "\n")
			}
			row(cols, cell)
			row(cols, func() string { return aligns[rng.Intn(len(aligns))] })
			for range rng.Intn(5) {
				n := cols
				if rng.Intn(5) == 0 {
					n = rng.Intn(cols + 2)
				}
				row(n, cell)
			}
		}
		plain += checkBoth(t, b.String())
	}
	if plain < 1000 {
		t.Errorf("only %d PlainTables in the random tables", plain)
	}
}

// FuzzPlainTable checks that a body renders alike with its tables read as
// PlainTables and by goldmark alone.
func FuzzPlainTable(f *testing.F) {
	f.Add("| a | b |\n|---|:-:|\n| x \\| y | A & B < C |\n| 1 |\n")
	f.Add("## H\n\n| a |\n|--:|\n| é 東 \"q\" |\n\n| b |\n|---|\n| 2 | 3 |\n")
	f.Fuzz(func(t *testing.T, body string) {
		if CheckLimits([]byte(body)) != nil {
			return
		}
		checkBoth(t, body)
	})
}

func BenchmarkPlainTable(b *testing.B) {
	var s strings.Builder
	s.WriteString("| Sub-processor | Purpose | Location of processing |\n|---|---|---|\n")
	for i := range 20000 {
		fmt.Fprintf(&s, "| S%06d | Hosting | DE |\n", i)
	}
	body := []byte(s.String())
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		t, err := Parse(body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := t.Render(); err != nil {
			b.Fatal(err)
		}
	}
}

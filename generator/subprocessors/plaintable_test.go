package subprocessors

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/markdown"
	"github.com/yuin/goldmark/ast"
)

// TestPlainTableRowsAsGoldmark reads large tables from markdown.Parse's
// tree, where a table of plain cells is one markdown.PlainTable, and from
// goldmark's tree, and wants the same register and problems.
func TestPlainTableRowsAsGoldmark(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	cells := []string{"", "Acme GmbH", "AT&T", "x \\| y", "  spaced   out  ", "Köln, 東京", "DE", "Germany; France", "USA",
		"N/A", "-", "Hosting", "e-mail < 3 > 2 \"q\"", "Ireland (EU)", "2026-01-05", "2026-13-40", "SCCs", "name; email",
		strings.Repeat("long purpose text ", 4), "Amazon Web Services, Inc."}
	linky := []string{"*Acme*", "[Acme](https://acme.example)", "https://acme.example", "www.acme.example", "&amp;", "`code`", "a@b.example"}
	headers := [][]string{
		{"Sub-processor", "Purpose", "Location of processing"},
		{"Entity Name", "Relevant Services", "Location", "Website", "Data categories"},
		{"Name", "Purpose", "Country", "Transfer mechanism", "Added", "Group"},
		{"Vendor", "Duty"},
		{"Tool", "Use", "Where"},
	}
	plain := 0
	for k := range 40 {
		head := headers[k%len(headers)]
		var b strings.Builder
		b.WriteString("---\ntitle: Sub-processors\nkind: subprocessors\n---\n\n# Sub-processors\n\n")
		if k%3 == 0 {
			b.WriteString("## Infrastructure in Germany\n\nOur vendors:\n\n")
		}
		b.WriteString("| " + strings.Join(head, " | ") + " |\n|")
		for range head {
			b.WriteString([]string{"---|", ":--|", ":-:|"}[rng.Intn(3)])
		}
		b.WriteString("\n")
		rows := markdown.PlainTableRows + rng.Intn(50)
		for r := range rows {
			n := len(head)
			if rng.Intn(20) == 0 {
				n = rng.Intn(len(head) + 2)
			}
			b.WriteString("|")
			for i := range n {
				c := cells[rng.Intn(len(cells))]
				if i == 0 && rng.Intn(3) > 0 {
					c = fmt.Sprintf("S%d %s", r, c)
				}
				if k%4 == 3 && rng.Intn(rows) == 0 {
					c = linky[rng.Intn(len(linky))]
				}
				b.WriteString(" " + c + " |")
			}
			b.WriteString("\n")
		}
		doc, err := document.Parse("content/subprocessors.md", "content", []byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		tree, err := markdown.Parse(doc.Body)
		if err != nil {
			t.Fatal(err)
		}
		_ = ast.Walk(tree.Node(), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if _, ok := n.(*markdown.PlainTable); ok && entering {
				plain++
			}
			return ast.WalkContinue, nil
		})
		fast, fastProblems := Extract(doc, WithTree(tree))
		slow, slowProblems := Extract(doc)
		if !reflect.DeepEqual(fast, slow) {
			for i := range min(len(fast.Rows), len(slow.Rows)) {
				if !reflect.DeepEqual(fast.Rows[i], slow.Rows[i]) {
					t.Fatalf("table %d row %d: %+v, want %+v", k, i, fast.Rows[i], slow.Rows[i])
				}
			}
			t.Fatalf("table %d: %d rows, want %d", k, len(fast.Rows), len(slow.Rows))
		}
		if !reflect.DeepEqual(fastProblems, slowProblems) {
			t.Fatalf("table %d: problems %v, want %v", k, fastProblems, slowProblems)
		}
	}
	if plain < 25 {
		t.Errorf("only %d of 40 tables read as PlainTables", plain)
	}
}

package markdown

import (
	"strconv"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// tableRenderer writes a table inside its own scroll container, so that a
// table wider than a phone's screen scrolls by itself rather than the
// whole page: a region that keyboard users can focus and scroll, named by
// the heading the table stands under.
//
//	<div class="table-scroll" role="region" tabindex="0" aria-labelledby="clause-5">
//	<table>…</table>
//	</div>
//
// Regions need distinct names: a second table under the same heading is
// named "HEADING, table 2", a table under no heading "Table N".
type tableRenderer struct {
	under   map[string]int // tables named after each heading so far
	unnamed int            // tables under no heading so far
}

func newTableRenderer() *tableRenderer { return &tableRenderer{under: map[string]int{}} }

func (r *tableRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	table := func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			_, _ = w.WriteString("</table>\n</div>\n")
			return ast.WalkContinue, nil
		}
		_, _ = w.WriteString(`<div class="table-scroll" role="region" tabindex="0"`)
		h, id := headingAbove(n)
		switch {
		case h == nil:
			r.unnamed++
			_, _ = w.WriteString(` aria-label="Table ` + strconv.Itoa(r.unnamed) + `"`)
		case r.under[string(id)] == 0:
			r.under[string(id)] = 1
			_, _ = w.WriteString(` aria-labelledby="`)
			_, _ = w.Write(util.EscapeHTML(id))
			_, _ = w.WriteString(`"`)
		default:
			r.under[string(id)]++
			_, _ = w.WriteString(` aria-label="`)
			_, _ = w.Write(util.EscapeHTML([]byte(PlainText(h, source) + ", table " + strconv.Itoa(r.under[string(id)]))))
			_, _ = w.WriteString(`"`)
		}
		if t, ok := n.(*PlainTable); ok {
			_, _ = w.WriteString(">\n<table>\n")
			renderPlainTable(w, t, plainLongColumns(t))
			return ast.WalkSkipChildren, nil // closed as goldmark's
		}
		markLongColumns(n, source)
		_, _ = w.WriteString(">\n<table")
		if n.Attributes() != nil {
			html.RenderAttributes(w, n, extension.TableAttributeFilter)
		}
		_, _ = w.WriteString(">\n")
		return ast.WalkContinue, nil
	}
	reg.Register(extast.KindTable, table)
	reg.Register(KindPlainTable, table)
}

// headingAbove returns the nearest heading with an id before n in the
// document (a sibling of n or of one of its containers) and its id, or
// nil.
func headingAbove(n ast.Node) (ast.Node, []byte) {
	for ; n != nil; n = n.Parent() {
		for s := n.PreviousSibling(); s != nil; s = s.PreviousSibling() {
			if _, ok := s.(*ast.Heading); !ok {
				continue
			}
			if v, ok := s.AttributeString("id"); ok {
				if id, ok := v.([]byte); ok && len(id) > 0 {
					return s, id
				}
			}
		}
	}
	return nil, nil
}

// LongCell is the length in characters from which a column's text is long
// (a sentence, not a name or a country): its header cell gets the class
// "long", so that the theme gives the column room before it wraps into a
// narrow strip.
const LongCell = 50

// markLongColumns sets class="long" on the header cells of the columns of
// table n that hold a long text in some row.
func markLongColumns(n ast.Node, source []byte) {
	header := n.FirstChild()
	if header == nil {
		return
	}
	var long []bool
	for row := header; row != nil; row = row.NextSibling() {
		i := 0
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			if i >= len(long) {
				long = append(long, false)
			}
			if utf8.RuneCountInString(PlainText(cell, source)) >= LongCell {
				long[i] = true
			}
			i++
		}
	}
	i := 0
	for cell := header.FirstChild(); cell != nil; cell = cell.NextSibling() {
		if i < len(long) && long[i] {
			cell.SetAttributeString("class", []byte("long"))
		}
		i++
	}
}

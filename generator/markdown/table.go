package markdown

import (
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
type tableRenderer struct{}

func (tableRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(extast.KindTable, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			_, _ = w.WriteString("</table>\n</div>\n")
			return ast.WalkContinue, nil
		}
		_, _ = w.WriteString(`<div class="table-scroll" role="region" tabindex="0"`)
		if id := headingAbove(n); id != nil {
			_, _ = w.WriteString(` aria-labelledby="`)
			_, _ = w.Write(util.EscapeHTML(id))
			_, _ = w.WriteString(`"`)
		} else {
			_, _ = w.WriteString(` aria-label="Table"`)
		}
		_, _ = w.WriteString(">\n<table")
		if n.Attributes() != nil {
			html.RenderAttributes(w, n, extension.TableAttributeFilter)
		}
		_, _ = w.WriteString(">\n")
		return ast.WalkContinue, nil
	})
}

// headingAbove returns the id of the nearest heading before n in the
// document (a sibling of n or of one of its containers), or nil.
func headingAbove(n ast.Node) []byte {
	for ; n != nil; n = n.Parent() {
		for s := n.PreviousSibling(); s != nil; s = s.PreviousSibling() {
			if _, ok := s.(*ast.Heading); !ok {
				continue
			}
			if v, ok := s.AttributeString("id"); ok {
				if id, ok := v.([]byte); ok && len(id) > 0 {
					return id
				}
			}
		}
	}
	return nil
}

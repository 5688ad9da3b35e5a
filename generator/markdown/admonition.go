package markdown

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Admonitions are the call-out boxes of Docusaurus (":::note", ":::warning
// Title", closed by ":::"), which legal sites written for it use for
// "Applicable to customers on any plan." notes. Without this extension
// their markers would be published as text. The text inside is part of the
// document like any other: it is rendered, and compared in redlines, as
// the blocks it holds.

// KindAdmonition is the kind of an Admonition node.
var KindAdmonition = ast.NewNodeKind("Admonition")

// Admonition is a call-out box holding blocks.
type Admonition struct {
	ast.BaseBlock
	// Label is the admonition's type as written, lower-cased ("note",
	// "warning", "info", "tip", "caution", "danger", "important").
	Label string
	// Title is the title written after the type, if any.
	Title string
}

// Kind implements ast.Node.
func (n *Admonition) Kind() ast.NodeKind { return KindAdmonition }

// Dump implements ast.Node.
func (n *Admonition) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Label": n.Label, "Title": n.Title}, nil)
}

// admonitionOpen matches ":::note", ":::warning Title", ":::note[Title]".
var admonitionOpen = regexp.MustCompile(`^:::+([A-Za-z][A-Za-z-]{0,20})(?:\[([^\]]*)\]|\s+(.*))?\s*$`)

type admonitionParser struct{}

func (admonitionParser) Trigger() []byte { return []byte{':'} }

func (admonitionParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	m := admonitionOpen.FindSubmatch(bytes.TrimRight(line, "\r\n"))
	if m == nil {
		return nil, parser.NoChildren
	}
	title := string(m[2])
	if title == "" {
		title = string(m[3])
	}
	reader.Advance(len(line))
	return &Admonition{Label: strings.ToLower(string(m[1])), Title: strings.TrimSpace(title)}, parser.HasChildren
}

func (admonitionParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, _ := reader.PeekLine()
	if t := bytes.TrimSpace(line); len(t) >= 3 && len(bytes.Trim(t, ":")) == 0 {
		reader.Advance(len(line))
		return parser.Close
	}
	return parser.Continue | parser.HasChildren
}

func (admonitionParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}
func (admonitionParser) CanInterruptParagraph() bool                                { return true }
func (admonitionParser) CanAcceptIndentedLine() bool                                { return false }

// admonitionLabel is the title shown for a type when none is written.
func admonitionLabel(typ string) string {
	switch typ {
	case "note", "info", "tip", "warning", "caution", "danger", "important":
		return strings.ToUpper(typ[:1]) + typ[1:]
	}
	return "Note"
}

type admonitionRenderer struct{}

func (admonitionRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindAdmonition, func(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		n := node.(*Admonition)
		if !entering {
			_, _ = w.WriteString("</aside>\n")
			return ast.WalkContinue, nil
		}
		class := "note"
		switch n.Label {
		case "warning", "caution", "danger", "important":
			class = "warning"
		}
		title := n.Title
		if title == "" {
			title = admonitionLabel(n.Label)
		}
		_, _ = w.WriteString(`<aside class="admonition admonition-` + class + `" role="note">` + "\n")
		_, _ = w.WriteString(`<p class="admonition-title">`)
		_, _ = w.Write(util.EscapeHTML([]byte(title)))
		_, _ = w.WriteString("</p>\n")
		return ast.WalkContinue, nil
	})
}

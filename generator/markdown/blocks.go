package markdown

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// Kind is the kind of a Block.
type Kind int

// The kinds of block a redline compares. Thematic breaks and raw HTML blocks
// are not blocks: they carry no text a reader sees.
const (
	// KindParagraph is a paragraph, including a paragraph in a block quote
	// and a list item's second and later paragraphs.
	KindParagraph Kind = iota
	// KindHeading is an ATX or setext heading.
	KindHeading
	// KindListItem is one item of a bullet or ordered list: the item's first
	// paragraph, without its sub-items (which are items of their own). The
	// text of an ordered list's item opens with its number as the page
	// shows it ("7. Security").
	KindListItem
	// KindTableHeader is the header row of a table.
	KindTableHeader
	// KindTableRow is a body row of a table.
	KindTableRow
	// KindCode is a fenced or indented code block.
	KindCode
)

var kindNames = [...]string{"paragraph", "heading", "list_item", "table_header", "table_row", "code"}

// String returns the kind's lower_snake name, e.g. "list_item".
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText encodes the kind as its String, for JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Block is one unit of a document that a reader compares between versions:
// a heading, a paragraph, a list item, a table row or a code block.
type Block struct {
	// Kind says what the block is.
	Kind Kind
	// Level is the heading level (1–6) of a heading, and the list depth
	// (1 for a top-level item) of a list item or of any other block inside
	// a list item; 0 otherwise.
	Level int
	// Number is the clause number ("5.2") of the heading or clause
	// paragraph, or for any other block of the nearest preceding heading or
	// clause paragraph; "" when that one has none. The number of a lettered
	// clause includes the clause it belongs to: "5.2(a)".
	Number string
	// Anchor is the id Render gives the heading or clause paragraph, or for
	// any other block the id of the nearest preceding one; "" before the
	// first.
	Anchor string
	// Clause is set on a paragraph that opens with a clause number (a
	// clause paragraph, see the package documentation): the number as
	// written at the start of Text, e.g. "1.1.", "(a)" or "Clause 4.2".
	// On an item of an ordered list it is the item's number as the page
	// shows it, which Text opens with: "7." or "7)" (the list's start plus
	// the item's position, whatever numbers the source gives later items).
	// A redline aligns clause paragraphs by number and text as it aligns
	// headings, and compares clause numbers as text.
	Clause string
	// Text is the block's text as a reader sees it: inline markup removed,
	// escapes and character references decoded, whitespace folded to single
	// spaces (so re-wrapping a paragraph does not change it). A link keeps
	// its text followed by " <destination>", unless the text already is the
	// destination (bare URLs, autolinks, e-mail addresses), so that a changed
	// URL is a textual change. A task list item starts with "☑ " when
	// checked and "☐ " when not. Image alt text is kept, image sources are
	// not. A table row's Text is its cells joined by " | ". A code block
	// keeps its lines, with trailing blanks removed.
	Text string
	// Cells holds the text of each cell of a table header or row, normalized
	// as Text. Every row of a table has as many cells as its header.
	Cells []string
	// Links lists the destinations of the links in the block, in order.
	Links []string
	// Quote is the block-quote nesting depth: 1 for a block in a quote, 0
	// outside quotes.
	Quote int
	// Line is the 1-based line of the block in the body, or in the file
	// when Blocks was given WithFirstLine.
	Line int
}

// WithFirstLine tells Blocks that the body starts at line first of its
// file (document.Document.BodyLine), so that Block.Line is a file line, as
// clause check reports lines.
func WithFirstLine(first int) Option { return func(o *options) { o.firstLine = first } }

// Blocks parses a markdown body with Render's parser configuration and
// returns its blocks in document order. Headings get the anchors Render
// gives them, so a redline can link into the rendered page; of the options,
// only WithoutTitle, WithLinks and WithFirstLine have an effect.
func Blocks(body []byte, opts ...Option) []Block {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	doc, st := parse(Parser(), body)
	if o.dropTitle != "" {
		if h, ok := doc.FirstChild().(*ast.Heading); ok && h.Level == 1 && PlainText(h, body) == o.dropTitle {
			doc.RemoveChild(doc, h)
		}
	}
	anchorHeadings(doc, body, st)
	if o.links != nil {
		rewriteLinks(doc, o.links)
	}
	w := blockWalker{source: body, clauses: st.clauses}
	w.container(doc, 0, 0)
	if o.firstLine > 1 {
		for i := range w.blocks {
			w.blocks[i].Line += o.firstLine - 1
		}
	}
	return w.blocks
}

type blockWalker struct {
	source  []byte
	clauses map[ast.Node]*clauseMark
	blocks  []Block
	number  string
	anchor  string
	// lines finds the line of a node, made on first use.
	lines *LineIndex
}

// container emits the blocks of n's children.
func (w *blockWalker) container(n ast.Node, depth, quote int) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.node(c, depth, quote)
	}
}

func (w *blockWalker) node(n ast.Node, depth, quote int) {
	switch n := n.(type) {
	case *ast.Heading:
		id, _ := n.AttributeString("id")
		ids, _ := id.([]byte)
		w.anchor = string(ids)
		w.number, _ = ClauseAnchor(PlainText(n, w.source))
		w.emit(n, Block{Kind: KindHeading, Level: n.Level, Quote: quote}, w.inline(n))
	case *ast.Paragraph, *ast.TextBlock:
		t := w.inline(n)
		if t.text == "" {
			return // e.g. only raw HTML, which the page does not show
		}
		b := Block{Kind: KindParagraph, Level: depth, Quote: quote}
		if m := w.clauses[n]; m != nil {
			w.number, w.anchor = m.number, m.id
			b.Clause = m.label
		}
		w.emit(n, b, t)
	case *ast.List:
		ordinal := n.Start
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			marker := ""
			if n.IsOrdered() {
				marker = strconv.Itoa(ordinal) + string(n.Marker)
				ordinal++
			}
			w.listItem(item, marker, depth+1, quote)
		}
	case *ast.Blockquote:
		w.container(n, depth, quote+1)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		w.emit(n, Block{Kind: KindCode, Level: depth, Quote: quote}, inlineText{text: codeText(n, w.source)})
	case *east.Table:
		for row := n.FirstChild(); row != nil; row = row.NextSibling() {
			b := Block{Kind: KindTableRow, Level: depth, Quote: quote}
			if _, ok := row.(*east.TableHeader); ok {
				b.Kind = KindTableHeader
			}
			var links []string
			for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
				t := w.inline(cell)
				b.Cells = append(b.Cells, t.text)
				links = append(links, t.links...)
			}
			if b.Cells == nil {
				b.Cells = []string{}
			}
			w.emit(row, b, inlineText{text: strings.Join(b.Cells, " | "), links: links})
		}
	case *ast.ThematicBreak, *ast.HTMLBlock, *ast.LinkReferenceDefinition:
	default:
		w.container(n, depth, quote)
	}
}

// listItem emits an item with the text of its first paragraph, after its
// marker ("7.") in an ordered list, then the item's other children
// (further paragraphs, sub-lists, code…) as blocks of their own.
func (w *blockWalker) listItem(item ast.Node, marker string, depth, quote int) {
	if m := w.clauses[item]; m != nil {
		w.number, w.anchor = m.number, m.id
	}
	first := item.FirstChild()
	var t inlineText
	switch first.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		t = w.inline(first)
		first = first.NextSibling()
	}
	if marker != "" {
		t.text = strings.TrimSpace(marker + " " + t.text)
	}
	w.emit(item, Block{Kind: KindListItem, Level: depth, Quote: quote, Clause: marker}, t)
	for c := first; c != nil; c = c.NextSibling() {
		w.node(c, depth, quote)
	}
}

func (w *blockWalker) emit(n ast.Node, b Block, t inlineText) {
	b.Number, b.Anchor = w.number, w.anchor
	b.Text, b.Links = t.text, t.links
	b.Line = w.line(n)
	w.blocks = append(w.blocks, b)
}

// line returns the 1-based line of a block node.
func (w *blockWalker) line(n ast.Node) int {
	pos := n.Pos()
	if pos < 0 {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			pos = l.At(0).Start
		} else if c := n.FirstChild(); c != nil && c.Type() == ast.TypeBlock {
			return w.line(c)
		} else if len(w.blocks) > 0 {
			return w.blocks[len(w.blocks)-1].Line
		} else {
			return 1
		}
	}
	if w.lines == nil {
		w.lines = NewLineIndex(w.source)
	}
	return w.lines.Line(pos)
}

// inlineText is the normalized text and link destinations of inline content.
type inlineText struct {
	text  string
	links []string
}

// inline returns the normalized text of n's inline content.
func (w *blockWalker) inline(n ast.Node) inlineText {
	var b bytes.Buffer
	var links []string
	w.writeInline(&b, n, &links)
	return inlineText{text: strings.Join(strings.Fields(b.String()), " "), links: links}
}

func (w *blockWalker) writeInline(b *bytes.Buffer, n ast.Node, links *[]string) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			if c.IsRaw() {
				b.Write(c.Segment.Value(w.source))
			} else {
				writeDecoded(b, c.Segment.Value(w.source))
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			if c.IsRaw() || c.IsCode() {
				b.Write(c.Value)
			} else {
				writeDecoded(b, c.Value)
			}
		case *ast.CodeSpan:
			for cc := c.FirstChild(); cc != nil; cc = cc.NextSibling() {
				switch t := cc.(type) {
				case *ast.Text:
					b.Write(t.Segment.Value(w.source))
				case *ast.String:
					b.Write(t.Value)
				}
			}
		case *ast.AutoLink:
			label := string(c.Label(w.source))
			b.WriteString(label)
			url := string(c.URL(w.source))
			if c.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(url), "mailto:") {
				url = "mailto:" + url // as the renderer links it
			}
			*links = append(*links, url)
		case *ast.Link:
			start := b.Len()
			w.writeInline(b, c, links)
			dest := string(c.Destination)
			*links = append(*links, dest)
			label := string(bytes.Join(bytes.Fields(b.Bytes()[start:]), []byte(" "))) // not b.String(): a copy of all the text so far, per link
			if dest != label && dest != "mailto:"+label {
				b.WriteString(" <" + dest + ">")
			}
		case *east.TaskCheckBox:
			if c.IsChecked {
				b.WriteString("☑ ")
			} else {
				b.WriteString("☐ ")
			}
		case *ast.RawHTML:
			// Not shown on the page unless unsafe HTML is enabled.
		default:
			w.writeInline(b, c, links)
		}
	}
}

// writeDecoded writes markdown text as the renderer shows it: a backslash
// before ASCII punctuation is dropped, and entity and numeric character
// references are replaced by their characters.
func writeDecoded(b *bytes.Buffer, s []byte) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && util.IsPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i++
		case c == '&':
			if r, n := charRef(s[i:]); n > 0 {
				b.WriteString(r)
				i += n - 1
			} else {
				b.WriteByte(c)
			}
		case c == 0:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteByte(c)
		}
	}
}

// charRef decodes the character reference at the start of s ("&amp;",
// "&#169;", "&#xA9;"), returning its text and length, or 0 if there is none.
func charRef(s []byte) (string, int) {
	end := bytes.IndexByte(s, ';')
	if end < 2 || end > 40 {
		return "", 0
	}
	name := s[1:end]
	if name[0] != '#' {
		for _, c := range name {
			if !util.IsAlphaNumeric(c) {
				return "", 0
			}
		}
		if e, ok := util.LookUpHTML5EntityByName(string(name)); ok {
			return string(e.Characters), end + 1
		}
		return "", 0
	}
	digits, base := name[1:], 10
	if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || (base == 10 && len(digits) > 7) || (base == 16 && len(digits) > 6) {
		return "", 0
	}
	v, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil {
		return "", 0
	}
	r := rune(v)
	if r == 0 || !utf8.ValidRune(r) {
		r = utf8.RuneError
	}
	return string(r), end + 1
}

// codeText returns the lines of a code block, each without trailing blanks,
// and without trailing blank lines.
func codeText(n ast.Node, source []byte) string {
	var lines []string
	l := n.Lines()
	for i := 0; i < l.Len(); i++ {
		seg := l.At(i)
		lines = append(lines, strings.TrimRight(string(seg.Value(source)), " \t\r\n\v\f"))
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

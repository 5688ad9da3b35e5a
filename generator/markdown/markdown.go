// Package markdown turns the markdown body of a legal document into HTML
// with stable clause anchors and a table of contents, using goldmark with
// GitHub-flavoured tables. Raw HTML in the source is never passed through
// unless the caller opts in with WithUnsafeHTML.
//
// # Plain-text legal documents
//
// Many legal documents reach a repository as plain text, pasted from a web
// page or a word processor: no "#" headings, clause numbers at the start of
// paragraphs, bullets as "•", clauses indented with spaces. Render, Blocks
// and Parser apply these rules within the one goldmark parse, so that the
// page, its table of contents and the redline agree:
//
//   - Clause paragraphs. A paragraph that opens with a clause number is a
//     clause: "1.", "1.1", "1.1." (not "1.5 million", "30 days"), "(a)",
//     "(iv)", "(2)", and "Clause 4.2", "Article 28", "Section 3", "§ 5"
//     when followed by punctuation, the end of the text or a capitalised
//     word ("Article 28 GDPR requires" and "Article 28(3)" are citations).
//     It gets an anchor in the scheme of headings: "clause-1-1"; a lettered
//     clause belongs to the numbered clause or heading before it, "(a)"
//     after 1.1 is "1.1(a)", "clause-1-1-a", and a roman "(ii)" after "(b)"
//     is "1.1(b)(ii)". Ids are unique: a repeated one gets "-2". Clause
//     paragraphs are found in every document, also one with headings.
//   - Lines that open a clause. Within a paragraph, a line that opens with
//     a bullet, or with a clause number after a line ending in ".", ":" or
//     ";" (for "(b)" also "and" or "or"), or after a title-like first line,
//     starts a new paragraph: pasted text often has no blank lines.
//   - Bullets. Paragraphs opening with "•", "–", "—", "◦", "▪", "●", "■",
//     "·" and similar bullets and a space are list items; consecutive ones
//     are one list, and "◦", "○", "▪", "▫" after items with another bullet
//     are sub-items.
//   - Indented text. Text indented by four spaces or a tab is a paragraph,
//     not a code block: a legal document has no code, and a word
//     processor's indentation must not clip a clause in a <pre>. Fenced code
//     blocks stay code.
//   - Section titles, only in a document without markdown headings (a
//     level-1 heading opening the body, the title, does not count), at the
//     top level: a one-line paragraph that is entirely bold, or in capitals
//     (four letters or more, not ending like a sentence), or a short
//     numbered line ("1.1 Scope", "Article 5 – Audits") followed by text
//     that is not a clause of the same or a higher level, is a heading: h2,
//     or one level more than the depth of its number ("1.1" h3). The first
//     block of the body, when it is such a title without a number, is the
//     document's title (h1). A top-level ordered list used as section
//     numbering is headings: a single item with a title-like line and a
//     paragraph after the list ("2. Engagement of Sub-processors"), or a
//     list whose items each have a title-like line followed by paragraphs.
//     A list whose items have only sub-lists, a list of titles without
//     text (a table of contents) and lists after a clause stay lists.
//   - Lists of clauses, only in a document without markdown headings: the
//     items of a top-level ordered list separated by blank lines ("1. The
//     Processor shall…") are clauses "1." to "n.", with anchors on the items
//     ("clause-2"), unless a paragraph ending with ":" introduces the list.
//     They stay a list.
//   - Table of contents. Rendered.Headings lists the headings, real or
//     made from section titles. Only in a document without any heading but
//     a title does it list clauses: those of the top level (the shallowest
//     number), at level 2, with their first sentence or ten words as text.
//     Every clause gets its anchor either way.
//
// Lint and Rendered.Notes report a long document where no structure was
// found and every kind of guess these rules made, with its first line.
package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"
)

// Heading is one entry of a document's table of contents.
type Heading struct {
	// Level is the heading level, 1–6.
	Level int
	// ID is the anchor of the heading: "clause-5-2" for a heading numbered
	// "5.2", "annex-ii" for "Annex II", otherwise a slug of its text.
	ID string
	// Number is the clause number the heading starts with ("5.2"), if any.
	Number string
	// Text is the heading's plain text.
	Text string
	// Line is the 1-based line of the heading in the body.
	Line int
}

// Rendered is a document body rendered to HTML.
type Rendered struct {
	// HTML is the rendered body. Any "{{" is written as character references
	// so that no template engine downstream can read shortcodes in it.
	HTML []byte
	// Headings lists the headings in document order (the table of
	// contents). In a document without headings it lists the top-level
	// numbered clauses instead (see the package documentation).
	Headings []Heading
	// Notes are what Lint reports about the body.
	Notes []Note
	// LinkFree is set when the body was rendered WithLinks and has no link
	// or image: rendered with any other LinkResolver, it is the same.
	LinkFree bool
}

type options struct {
	unsafe    bool
	dropTitle string
	firstLine int
	links     LinkResolver
	// plainTables reads large tables of plain cells as PlainTables
	// (Parse).
	plainTables bool
}

// Option configures Render.
type Option func(*options)

// WithUnsafeHTML passes raw HTML in the markdown through to the output. Only
// for sites that opt in: document content is otherwise untrusted.
func WithUnsafeHTML() Option { return func(o *options) { o.unsafe = true } }

// WithoutTitle drops the body's first block when it is a level-1 heading with
// exactly this text, because the page template already shows the title.
func WithoutTitle(title string) Option { return func(o *options) { o.dropTitle = title } }

func newMarkdown(o options) goldmark.Markdown {
	rendererOpts := []renderer.Option{html.WithXHTML(), renderer.WithNodeRenderers(util.Prioritized(admonitionRenderer{}, 500), util.Prioritized(newTableRenderer(), 100))}
	if o.unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	blocks := blockParsers()
	if o.plainTables {
		blocks = append(blocks, util.Prioritized(plainTableParser{}, 50))
	}
	return goldmark.New(
		goldmark.WithParser(parser.NewParser(
			parser.WithBlockParsers(blocks...),
			parser.WithBlockParsers(util.Prioritized(admonitionParser{}, 150)),
			parser.WithInlineParsers(parser.DefaultInlineParsers()...),
			parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
			parser.WithASTTransformers(util.Prioritized(plainTransformer{}, 1000)),
		)),
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, extension.TaskList),
		goldmark.WithRendererOptions(rendererOpts...),
	)
}

// parse parses a body with md's parser and returns the document with what
// the plain-text rules found in it.
func parse(p parser.Parser, body []byte) (ast.Node, *plainState) {
	pc := parser.NewContext()
	doc := p.Parse(text.NewReader(body), parser.WithContext(pc))
	return doc, stateOf(pc)
}

// Render converts a markdown body to HTML, assigning clause anchors to the
// headings. A body beyond CheckLimits is an error wrapping ErrLimit.
func Render(body []byte, opts ...Option) (*Rendered, error) {
	t, err := Parse(body)
	if err != nil {
		return nil, err
	}
	return t.Render(opts...)
}

// Tree is a body parsed once for the readers of its tree (as Parser's) and
// for its HTML: a large document (a sub-processor register of 150,000
// rows) is parsed once for its register and its page, not once for each.
type Tree struct {
	body     []byte
	doc      ast.Node
	st       *plainState
	rendered bool
}

// Parse parses a body as Render does. A body beyond CheckLimits is an
// error wrapping ErrLimit.
func Parse(body []byte) (*Tree, error) {
	if err := CheckLimits(body); err != nil {
		return nil, err
	}
	counted(body)
	// The parser is the same whatever the options: they are the
	// renderer's. Large tables of plain cells are PlainTables.
	doc, st := parse(newMarkdown(options{plainTables: true}).Parser(), body)
	return &Tree{body: body, doc: doc, st: st}, nil
}

// Node returns the tree of the body, as Parser parses it, for readers that
// do not change it; Render changes it (anchors, links), so read it before.
func (t *Tree) Node() ast.Node { return t.doc }

// Source returns the body the tree was parsed from.
func (t *Tree) Source() []byte { return t.body }

// ErrRendered is returned by Tree.Render called twice: rendering changes
// the tree.
var ErrRendered = errors.New("markdown: a tree is rendered once")

// Render renders the tree as Render renders its body. It changes the tree,
// and can be called once.
func (t *Tree) Render(opts ...Option) (*Rendered, error) {
	if t.rendered {
		return nil, ErrRendered
	}
	t.rendered = true
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	md := newMarkdown(o)
	doc, st, body := t.doc, t.st, t.body

	if o.dropTitle != "" {
		if h, ok := doc.FirstChild().(*ast.Heading); ok && h.Level == 1 && PlainText(h, body) == o.dropTitle {
			doc.RemoveChild(doc, h)
		}
	}

	headings := anchorHeadings(doc, body, st)
	linkFree := false
	if o.links != nil {
		linkFree = rewriteLinks(doc, o.links) == 0
	}

	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, body, doc); err != nil {
		return nil, fmt.Errorf("render markdown: %w", err)
	}
	out := buf.Bytes()
	switch {
	case bytes.Contains(out, []byte("{{")):
		out = bytes.ReplaceAll(out, []byte("{{"), []byte("&#123;&#123;"))
	case cap(out)-len(out) > 1<<20:
		// The buffer's room to grow is not kept with the HTML: a page of
		// a large register is 10 MB, kept until its page is built.
		out = bytes.Clone(out)
	}
	return &Rendered{HTML: out, Headings: headings, Notes: st.notes(doc, body), LinkFree: linkFree}, nil
}

// Title returns the text and body line of the first level-1 heading of a
// markdown body, when the body starts with one (ignoring blank lines).
func Title(body []byte) (title string, line int, ok bool) {
	// Parsed as Render parses, so that the title line of a document written
	// as plain text ("DATA PROCESSING AGREEMENT") is its title, as it is
	// its first heading on the page. A first line "# Title" is the title
	// whatever follows, unless it refers to a link defined further down:
	// then that line alone is parsed.
	src := body
	if line, ok := atxTitleLine(body); ok {
		src = line
	}
	doc := Parser().Parse(text.NewReader(src))
	h, isHeading := doc.FirstChild().(*ast.Heading)
	if !isHeading || h.Level != 1 {
		return "", 0, false
	}
	t := PlainText(h, src)
	if t == "" {
		return "", 0, false
	}
	return t, lineOf(h, body), true
}

// atxTitleLine returns the body up to the end of its first non-blank line
// when that line is an ATX level-1 heading ("# Title") without "[" (which
// could refer to a link definition further down), and not indented.
func atxTitleLine(body []byte) ([]byte, bool) {
	start := 0
	for start < len(body) {
		end := bytes.IndexByte(body[start:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += start
		}
		line := body[start:end]
		if len(bytes.TrimSpace(line)) == 0 {
			start = end + 1
			continue
		}
		if (bytes.HasPrefix(line, []byte("# ")) || bytes.HasPrefix(line, []byte("#\t"))) && bytes.IndexByte(line, '[') < 0 {
			return body[:end], true
		}
		return nil, false
	}
	return nil, false
}

// PlainText returns the text content of a node with inline markup removed
// and whitespace folded.
func PlainText(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(source))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for cc := t.FirstChild(); cc != nil; cc = cc.NextSibling() {
				if tt, ok := cc.(*ast.Text); ok {
					b.Write(tt.Segment.Value(source))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(t.Label(source))
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

func lineOf(n ast.Node, source []byte) int {
	lines := n.Lines()
	if lines == nil || lines.Len() == 0 {
		return 0
	}
	return bytes.Count(source[:lines.At(0).Start], []byte("\n")) + 1
}

var (
	clauseNumber = regexp.MustCompile(`^(?i:(?:section|clause|article|§)\s*)?(\d+[a-z]?(?:\.\d+[a-z]?)*)\.?(?:\s|$)`)
	annexNumber  = regexp.MustCompile(`^(?i)(annex|schedule|appendix|exhibit|attachment)\s+([ivxlc]+|\d+|[a-z])\b`)
)

// anchorHeadings gives every heading and every clause paragraph an id
// attribute, unique within the document, and returns the table of
// contents: the headings, or in a document without headings (but a title)
// the clause paragraphs of the top level.
func anchorHeadings(doc ast.Node, source []byte, st *plainState) []Heading {
	var headings, clauses []Heading
	var clauseNodes []ast.Node
	seen := map[string]int{}
	unique := func(base string) string {
		id := base
		if c := seen[base]; c > 0 {
			id = fmt.Sprintf("%s-%d", base, c+1)
		}
		seen[base]++
		return id
	}
	// parent is the number of the last numbered heading or clause, which
	// lettered clauses "(a)" belong to; letter is the last such letter.
	var parent, letter string
	var parentDepth int
	// Lines are counted on from the previous block: blocks come in
	// document order.
	lastPos, lastLine := 0, 1
	line := func(n ast.Node) int {
		if _, ok := n.(*ast.ListItem); ok && n.FirstChild() != nil {
			n = n.FirstChild()
		}
		lines := n.Lines()
		if lines == nil || lines.Len() == 0 {
			return 0
		}
		pos := lines.At(0).Start
		if pos < lastPos {
			lastPos, lastLine = 0, 1
		}
		lastLine += bytes.Count(source[lastPos:pos], []byte("\n"))
		lastPos = pos
		return lastLine
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			txt := PlainText(n, source)
			number, base := ClauseAnchor(txt)
			id := unique(base)
			n.SetAttributeString("id", []byte(id))
			headings = append(headings, Heading{Level: n.Level, ID: id, Number: number, Text: txt, Line: line(n)})
			parent, letter, parentDepth = number, "", strings.Count(number, ".")+1
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.ListItem:
			m := st.clauses[n]
			if m == nil {
				if _, ok := n.(*ast.ListItem); ok {
					return ast.WalkContinue, nil
				}
				return ast.WalkSkipChildren, nil
			}
			var base string
			switch m.kind {
			case labelParen:
				raw := strings.ToLower(m.raw)
				nested := romanNumber.MatchString(raw) && letter != "" && !successor(letter, raw)
				if !nested && !unicode.IsDigit(rune(raw[0])) && (!romanNumber.MatchString(raw) || letter != "") {
					letter = raw
				}
				m.number, base, m.depth = "("+raw+")", raw, parentDepth+1
				if nested {
					m.number, base, m.depth = "("+letter+")("+raw+")", letter+"-"+raw, parentDepth+2
				}
				if parent != "" {
					m.number = parent + m.number
					base = strings.ReplaceAll(parent, ".", "-") + "-" + base
				}
				base = "clause-" + base
			default:
				m.number, base = m.raw, "clause-"+strings.ReplaceAll(m.raw, ".", "-")
				parent, letter, parentDepth = m.raw, "", m.depth
			}
			m.id = unique(base)
			m.line = line(n)
			n.SetAttributeString("id", []byte(m.id))
			if m.kind != labelParen && st.plain {
				clauses = append(clauses, Heading{Level: m.depth, ID: m.id, Number: m.number, Line: m.line})
				clauseNodes = append(clauseNodes, n)
			}
			if _, ok := n.(*ast.ListItem); ok {
				return ast.WalkContinue, nil // its paragraphs may be clauses
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if !st.plain || len(clauses) == 0 || len(headings) > 1 || len(headings) == 1 && headings[0].Level > 1 {
		return headings
	}
	// No headings but perhaps a title: list the top-level clauses.
	top := clauses[0].Level
	for _, c := range clauses {
		top = min(top, c.Level)
	}
	toc := headings
	for i, c := range clauses {
		if c.Level == top {
			c.Level = 2
			if item, ok := clauseNodes[i].(*ast.ListItem); ok {
				c.Text = c.Number + "."
				if item.FirstChild() != nil {
					c.Text += " " + shortTitle(PlainText(item.FirstChild(), source), 0)
				}
			} else {
				c.Text = shortTitle(PlainText(clauseNodes[i], source), len(strings.Fields(st.clauses[clauseNodes[i]].label)))
			}
			toc = append(toc, c)
		}
	}
	st.tocLine = clauses[0].Line
	return toc
}

// successor reports whether letter b follows letter a ("h", "i").
func successor(a, b string) bool {
	return len(a) == 1 && len(b) == 1 && b[0] == a[0]+1
}

// shortTitle shortens a clause's text for the table of contents: up to the
// end of its first sentence after the first skip words (its clause number),
// at most ten words.
func shortTitle(s string, skip int) string {
	words := strings.Fields(s)
	for i, w := range words {
		if i >= skip && (strings.HasSuffix(w, ".") || strings.HasSuffix(w, ";") || strings.HasSuffix(w, ":")) && i < 10 {
			return strings.Join(words[:i+1], " ")
		}
		if i == 10 {
			return strings.Join(words[:i], " ") + " …"
		}
	}
	return s
}

// ClauseAnchor derives the anchor of a heading from its text: numbered
// clauses ("5.2 Sub-processors") become "clause-5-2", annexes ("Annex II")
// become "annex-ii", anything else a slug of the text. It also returns the
// clause number, if the heading has one.
func ClauseAnchor(heading string) (number, id string) {
	if m := clauseNumber.FindStringSubmatch(heading); m != nil {
		return m[1], "clause-" + strings.ReplaceAll(m[1], ".", "-")
	}
	if m := annexNumber.FindStringSubmatch(heading); m != nil {
		return "", strings.ToLower(m[1] + "-" + m[2])
	}
	return "", Slug(heading)
}

// Slug turns text into a lower-case ASCII identifier of letters, digits and
// hyphens. Accents are dropped ("Übermittlung" → "ubermittlung"); text with
// no usable characters yields "section".
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}

// Parser returns a goldmark parser configured as Render's, for packages that
// walk the AST themselves. Its trees have the plain-text structure of the
// package documentation (section titles as headings, bullet lines as lists,
// indented text as paragraphs); clause anchors are set by Render and Blocks
// only. It parses a body beyond CheckLimits as an empty one: check the
// body first to tell the reader why.
func Parser() parser.Parser {
	return limitedParser{newMarkdown(options{}).Parser()}
}

// parses and parsedBytes count the bodies parsed and their bytes, for
// Parses.
var parses, parsedBytes atomic.Int64

func counted(body []byte) {
	parses.Add(1)
	parsedBytes.Add(int64(len(body)))
}

// Parses returns how many bodies this package has parsed since the program
// started, and their total size in bytes (Render, Blocks, Lint, Links and
// Parser's Parse parse a body once; Title often parses its first line
// only): tests and benchmarks use it to see how often a build parses each
// text.
func Parses() (n, bytes int64) { return parses.Load(), parsedBytes.Load() }

// limitedParser is a goldmark parser that parses a body beyond
// CheckLimits as an empty one, rather than take minutes over it.
type limitedParser struct{ parser.Parser }

// Parse parses the reader's source, or nothing if it is beyond the limits.
func (p limitedParser) Parse(r text.Reader, opts ...parser.ParseOption) ast.Node {
	counted(r.Source())
	if CheckLimits(r.Source()) != nil {
		r = text.NewReader(nil)
	}
	return p.Parser.Parse(r, opts...)
}

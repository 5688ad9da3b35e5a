// Package markdown turns the markdown body of a legal document into HTML
// with stable clause anchors and a table of contents, using goldmark with
// GitHub-flavoured tables. Raw HTML in the source is never passed through
// unless the caller opts in with WithUnsafeHTML.
package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
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
	// Headings lists the headings in document order (the table of contents).
	Headings []Heading
}

type options struct {
	unsafe    bool
	dropTitle string
	links     LinkResolver
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
	rendererOpts := []renderer.Option{html.WithXHTML()}
	if o.unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, extension.TaskList),
		goldmark.WithRendererOptions(rendererOpts...),
	)
}

// Render converts a markdown body to HTML, assigning clause anchors to the
// headings.
func Render(body []byte, opts ...Option) (*Rendered, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	md := newMarkdown(o)
	doc := md.Parser().Parse(text.NewReader(body))

	if o.dropTitle != "" {
		if h, ok := doc.FirstChild().(*ast.Heading); ok && h.Level == 1 && PlainText(h, body) == o.dropTitle {
			doc.RemoveChild(doc, h)
		}
	}

	headings := anchorHeadings(doc, body)
	if o.links != nil {
		rewriteLinks(doc, o.links)
	}

	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, body, doc); err != nil {
		return nil, fmt.Errorf("render markdown: %w", err)
	}
	out := bytes.ReplaceAll(buf.Bytes(), []byte("{{"), []byte("&#123;&#123;"))
	return &Rendered{HTML: out, Headings: headings}, nil
}

// Title returns the text and body line of the first level-1 heading of a
// markdown body, when the body starts with one (ignoring blank lines).
func Title(body []byte) (title string, line int, ok bool) {
	doc := goldmark.New(goldmark.WithExtensions(extension.Table)).Parser().Parse(text.NewReader(body))
	h, isHeading := doc.FirstChild().(*ast.Heading)
	if !isHeading || h.Level != 1 {
		return "", 0, false
	}
	t := PlainText(h, body)
	if t == "" {
		return "", 0, false
	}
	return t, lineOf(h, body), true
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

// anchorHeadings gives every heading an id attribute and returns the table
// of contents. Ids are unique within the document.
func anchorHeadings(doc ast.Node, source []byte) []Heading {
	var headings []Heading
	seen := map[string]int{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		txt := PlainText(h, source)
		number, base := ClauseAnchor(txt)
		id := base
		if c := seen[base]; c > 0 {
			id = fmt.Sprintf("%s-%d", base, c+1)
		}
		seen[base]++
		h.SetAttributeString("id", []byte(id))
		headings = append(headings, Heading{Level: h.Level, ID: id, Number: number, Text: txt, Line: lineOf(h, source)})
		return ast.WalkSkipChildren, nil
	})
	return headings
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
// walk the AST themselves.
func Parser() parser.Parser {
	return newMarkdown(options{}).Parser()
}

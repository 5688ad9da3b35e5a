package markdown

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// LinkResolver maps the destination of a link or image as written in a
// document to the one to publish. It returns ok=false to leave the link as
// it is, and dest="" with ok=true to drop the link (its text stays).
type LinkResolver func(dest string) (newDest string, ok bool)

// WithLinks rewrites the destination of every link and image through
// resolve: links between documents are written as links to source files
// ("../terms/index.md#liability", as on GitHub) and published as links to
// portal pages.
func WithLinks(resolve LinkResolver) Option { return func(o *options) { o.links = resolve } }

// rewriteLinks applies resolve to every link and image below doc, and
// returns how many there are.
func rewriteLinks(doc ast.Node, resolve LinkResolver) int {
	var drop []*ast.Link
	links := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			links++
			if dest, ok := resolve(string(l.Destination)); ok {
				if dest == "" {
					drop = append(drop, l)
				} else {
					l.Destination = []byte(dest)
				}
			}
		case *ast.Image:
			links++
			if dest, ok := resolve(string(l.Destination)); ok && dest != "" {
				l.Destination = []byte(dest)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, l := range drop {
		parent := l.Parent()
		for c := l.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, l, c)
			c = next
		}
		parent.RemoveChild(parent, l)
	}
	return links
}

// Link is a link or image of a document, as written.
type Link struct {
	// Dest is the destination as written (after reference resolution).
	Dest string
	// Line is the 1-based line of the body it is on.
	Line int
	// Image is set for an image.
	Image bool
}

// Links returns the links and images of a markdown body in document
// order, for linters.
func Links(body []byte) []Link {
	if bytes.IndexByte(body, '[') < 0 {
		// Links and images open with "[": a body without one (a
		// register of 150,000 plain rows) is not parsed.
		return nil
	}
	doc := Parser().Parse(text.NewReader(body))
	lines := NewLineIndex(body)
	var out []Link
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			out = append(out, Link{Dest: string(l.Destination), Line: inlineLine(l, l.Destination, body, lines)})
		case *ast.Image:
			out = append(out, Link{Dest: string(l.Destination), Line: inlineLine(l, l.Destination, body, lines), Image: true})
		}
		return ast.WalkContinue, nil
	})
	return out
}

// inlineLine finds the line of a link or image: where its destination is
// written after its text, or for a reference link where its text is.
func inlineLine(n ast.Node, dest, source []byte, lines *LineIndex) int {
	block := n.Parent()
	for block != nil && block.Type() != ast.TypeBlock {
		block = block.Parent()
	}
	if block == nil {
		return 0
	}
	segs := block.Lines()
	if segs == nil || segs.Len() == 0 {
		return 0
	}
	start, end := segs.At(0).Start, segs.At(segs.Len()-1).Stop
	// The destination's first place in the block, searched from the
	// link's own text and not far beyond (a label has at most 999
	// characters), so that a paragraph of many links is not searched
	// through for each.
	from := start
	if t, ok := n.FirstChild().(*ast.Text); ok && t.Segment.Start >= start && t.Segment.Start <= end {
		from = t.Segment.Start
		end = min(end, from+2048+len(dest))
	}
	if i := bytes.Index(source[from:end], dest); i >= 0 && len(dest) > 0 {
		return lines.Line(from + i)
	}
	return lines.Line(from) // a reference link: where its text is
}

// GitHubAnchor is the anchor GitHub (and most markdown sites: Docusaurus,
// Jekyll's kramdown with GFM ids) gives a heading: lower-cased, without
// punctuation, spaces as hyphens ("5.2 Sub-processors" →
// "52-sub-processors"). Links written for those sites use it.
func GitHubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

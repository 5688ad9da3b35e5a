package markdown

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// This file gives structure to legal documents written as plain text: DPAs
// pasted from a web page or a word processor, with clause numbers instead
// of markdown headings. It has two parts that both run inside the one
// goldmark parse of a body:
//
//   - indentedTextParser replaces CommonMark's indented code block: text
//     indented by four or more spaces is a paragraph.
//   - plainTransformer, an AST transformer, splits paragraphs at lines that
//     open a clause or a bullet, turns bullet lines into lists, finds the
//     clause paragraphs and, in documents without markdown headings, the
//     section titles.
//
// What it found and what it guessed is kept in a plainState in the parse
// context, for anchorHeadings (clause anchors and the table of contents),
// Blocks and Lint.

// plainKey is the parse context key of the plainState.
var plainKey = parser.NewContextKey()

// guessKind is a kind of guess made about a plain-text document.
type guessKind int

const (
	guessIndented guessKind = iota
	guessSplit
	guessBullets
	guessCapsTitle
	guessBoldTitle
	guessNumberTitle
	guessListTitle
	guessClauseTOC
	numGuessKinds
)

// guessMessages describe each kind of guess; Lint adds counts.
var guessMessages = [numGuessKinds]string{
	guessIndented:    "treated indented text as a paragraph, not as code (put code in a ``` fenced block)",
	guessSplit:       "started a new paragraph at a line that opens with a clause number or a bullet (leave a blank line before it)",
	guessBullets:     "treated lines starting with a bullet character (•, –, ◦, ▪) as list items (use \"- \" for a markdown list)",
	guessCapsTitle:   "treated the all-caps line as a section heading (use \"## \" for a markdown heading)",
	guessBoldTitle:   "treated the bold line as a section heading (use \"## \" for a markdown heading)",
	guessNumberTitle: "treated the short numbered line as a section heading (use \"## \" for a markdown heading)",
	guessListTitle:   "treated the numbered list item as a section heading, as text follows it (use \"## \" for a markdown heading)",
	guessClauseTOC:   "listed the top-level numbered clauses in the table of contents, as the document has no headings",
}

// guess is one guess, at a byte offset of the body.
type guess struct {
	kind guessKind
	pos  int
}

// labelKind is the form of a clause number.
type labelKind int

const (
	labelDotted  labelKind = iota // "1.", "1.1", "1.1."
	labelParen                    // "(a)", "(iv)", "(2)"
	labelKeyword                  // "Clause 4.2", "Article 28", "Section 3", "§ 5"
)

// clauseMark is a paragraph that opens with a clause number, or an item of
// a list of clauses.
type clauseMark struct {
	// label is the clause number as written at the start of the text:
	// "1.1.", "(a)", "Clause 4.2"; "" for a list item, whose number is its
	// marker.
	label string
	kind  labelKind
	// raw is the bare number: "1.1", "a", "iv", "4.2".
	raw string
	// depth is the number's depth: 2 for "1.1"; for "(a)", 1 more than
	// the clause it belongs to (set by anchorHeadings).
	depth int
	// number and id are the full clause number ("1.1(a)") and the
	// paragraph's anchor ("clause-1-1-a"), set by anchorHeadings.
	number, id string
	line       int
}

// plainState is what the plain-text extension found in one parse.
type plainState struct {
	// plain is set when the document has no markdown headings (a level-1
	// heading opening the body, the title, does not count).
	plain   bool
	guesses []guess
	clauses map[ast.Node]*clauseMark
	// tocLine is the line of the first clause listed in the table of
	// contents in the place of headings, or 0.
	tocLine int
}

func stateOf(pc parser.Context) *plainState {
	if st, ok := pc.Get(plainKey).(*plainState); ok {
		return st
	}
	st := &plainState{clauses: map[ast.Node]*clauseMark{}}
	pc.Set(plainKey, st)
	return st
}

func (st *plainState) guess(k guessKind, pos int) {
	st.guesses = append(st.guesses, guess{k, pos})
}

// indentedTextParser opens a paragraph where CommonMark opens an indented
// code block: a legal document has no code, and text indented by a word
// processor must not be clipped in a <pre>. Fenced code blocks stay code.
type indentedTextParser struct{}

func (indentedTextParser) Trigger() []byte { return nil }

func (indentedTextParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, segment := reader.PeekLine()
	pos, _ := util.IndentPosition(line, reader.LineOffset(), 4)
	if pos < 0 || util.IsBlank(line) {
		return nil, parser.NoChildren
	}
	stateOf(pc).guess(guessIndented, segment.Start)
	node := ast.NewParagraph()
	node.Lines().Append(segment)
	reader.AdvanceToEOL()
	return node, parser.NoChildren
}

func (indentedTextParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	return parser.NewParagraphParser().Continue(node, reader, pc)
}

func (indentedTextParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	parser.NewParagraphParser().Close(node, reader, pc)
}

func (indentedTextParser) CanInterruptParagraph() bool { return false }
func (indentedTextParser) CanAcceptIndentedLine() bool { return true }

// blockParsers are goldmark's block parsers with indentedTextParser in the
// place of the indented code block parser.
func blockParsers() []util.PrioritizedValue {
	var out []util.PrioritizedValue
	code := parser.NewCodeBlockParser()
	for _, v := range parser.DefaultBlockParsers() {
		if v.Value == code {
			v.Value = indentedTextParser{}
		}
		out = append(out, v)
	}
	return out
}

// Clause numbers at the start of a paragraph's text.
var (
	// dottedLabel: "1.", "1.1", "1.1.", "10.2.3".
	dottedLabel = regexp.MustCompile(`^(\d{1,3}(?:\.\d{1,3})*)(\.?)(?:\s+|$)`)
	// parenLabel: "(a)", "(iv)", "(2)", "(A)".
	parenLabel = regexp.MustCompile(`^\(([a-zA-Z]{1,2}|[ivxlcIVXLC]{1,6}|\d{1,2})\)(?:\s+|$)`)
	// keywordLabel: "Clause 4.2", "Article 28", "Section 3", "§ 5", "Art. 6".
	keywordLabel = regexp.MustCompile(`^(?:(?i:clause|article|art\.|section|sec\.|paragraph)\s+|§+\s*)(\d{1,3}[a-z]?(?:\.\d{1,3}[a-z]?)*)\.?`)
	romanNumber  = regexp.MustCompile(`^(?i:[ivxlc]+)$`)
)

// openingLabel finds the clause number a paragraph's text opens with.
// A dotted number is a clause number when it has a dot ("1.", "1.1") and is
// not followed by a lower-case word, unless it ends with a dot ("1.1. the");
// "1.5 million" is not a clause. A keyword number ("Article 28") is one
// when it ends the text or is followed by punctuation or a capitalised word
// that is not an acronym: "Article 28 GDPR requires" and "Article 28(3)"
// are citations, not clauses.
func openingLabel(s string) (clauseMark, bool) {
	switch {
	case s == "":
	case s[0] >= '0' && s[0] <= '9':
		return dottedOpening(s)
	case s[0] == '(':
		if m := parenLabel.FindStringSubmatch(s); m != nil {
			return clauseMark{label: strings.TrimSpace(m[0]), kind: labelParen, raw: m[1]}, true
		}
	default:
		return keywordOpening(s)
	}
	return clauseMark{}, false
}

func dottedOpening(s string) (clauseMark, bool) {
	m := dottedLabel.FindStringSubmatch(s)
	if m == nil || m[2] == "" && !strings.Contains(m[1], ".") {
		return clauseMark{}, false // "2026 was", "30 days"
	}
	rest := s[len(m[0]):]
	r, _ := utf8.DecodeRuneInString(rest)
	if unicode.IsLower(r) && m[2] == "" || unicode.IsDigit(r) || r == '%' {
		return clauseMark{}, false
	}
	return clauseMark{label: strings.TrimSpace(m[0]), kind: labelDotted, raw: m[1], depth: strings.Count(m[1], ".") + 1}, true
}

func keywordOpening(s string) (clauseMark, bool) {
	m := keywordLabel.FindStringSubmatch(s)
	if m == nil {
		return clauseMark{}, false
	}
	rest := s[len(m[0]):]
	ok := false
	switch t := strings.TrimLeft(rest, " \t"); {
	case t == "":
		ok = true
	case strings.HasPrefix(t, "("):
	case strings.IndexAny(t[:1], ".:;-") == 0 || strings.HasPrefix(t, "–") || strings.HasPrefix(t, "—"):
		ok = true
	case len(t) < len(rest): // a word follows
		w := strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) })
		if len(w) > 0 {
			r, _ := utf8.DecodeRuneInString(w[0])
			ok = unicode.IsUpper(r) && strings.ToUpper(w[0]) != w[0]
		}
	}
	if !ok {
		return clauseMark{}, false
	}
	return clauseMark{label: strings.TrimSpace(m[0]), kind: labelKeyword, raw: m[1], depth: strings.Count(m[1], ".") + 1}, true
}

// bulletChars are the bullets word processors and web pages produce.
const bulletChars = "•◦▪▫‣⁃●○■□–—·"

// subBullets are the bullets of sub-items, after items with another bullet.
const subBullets = "◦○▪▫"

// bulletPrefix returns the length of the bullet and the spaces after it
// at the start of s, or 0.
func bulletPrefix(s []byte) int {
	r, n := utf8.DecodeRune(s)
	if n < 2 || !strings.ContainsRune(bulletChars, r) || len(s) == n || (s[n] != ' ' && s[n] != '\t') {
		return 0
	}
	for n < len(s) && (s[n] == ' ' || s[n] == '\t') {
		n++
	}
	return n
}

// lineStart returns the start of a source line for openingLabel, without
// emphasis markers ("**1.1** The" → "1.1 The"), or "" when it cannot open
// a clause.
func lineStart(s []byte) string {
	s = bytes.TrimLeft(s, "*_")
	if len(s) == 0 || !mayOpenClause(s) {
		return ""
	}
	s = s[:min(len(s), 80)]
	return strings.ReplaceAll(strings.ReplaceAll(string(s), "**", ""), "__", "")
}

// leadText returns the first words of a block's plain text, as PlainText
// would (up to limit bytes more or less), without walking all of it.
func leadText(n ast.Node, source []byte, limit int) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if b.Len() >= limit {
			return ast.WalkStop, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			v := t.Segment.Value(source)
			b.Write(v[:min(len(v), limit)])
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan, *ast.AutoLink:
			return ast.WalkStop, nil // plain text has no clause number in code
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// plainTransformer gives structure to plain-text documents; see the
// package documentation for the rules.
type plainTransformer struct{}

func (plainTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st := stateOf(pc)
	source := reader.Source()

	var paragraphs []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			if entering {
				paragraphs = append(paragraphs, n)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, p := range paragraphs {
		splitParagraph(p, source, st)
	}
	makeBulletLists(doc, source, st)

	st.plain = true
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		_ = ast.Walk(c, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if h, ok := n.(*ast.Heading); ok && entering {
				if c != doc.FirstChild() || h != c || h.Level != 1 {
					st.plain = false
				}
				return ast.WalkStop, nil
			}
			return ast.WalkContinue, nil
		})
		if !st.plain {
			break
		}
	}
	if st.plain {
		listsToHeadings(doc, source, st)
		titlesToHeadings(doc, source, st)
		markClauseLists(doc, source, st)
	}
	markClauses(doc, source, st)
}

// splitParagraph splits a paragraph before every line that opens a bullet
// item, and before every line that opens a clause ("1.2 The…", "(b) …")
// when the line before ends a sentence or a list item (".", ":", ";",
// "and", "or") or is the paragraph's title-like first line. In CommonMark
// such lines continue the paragraph; in a pasted legal text they start a
// new one.
func splitParagraph(p ast.Node, source []byte, st *plainState) {
	for {
		lines := p.Lines()
		k := 1
		for ; k < lines.Len(); k++ {
			if startsBlock(lines, k, source) {
				break
			}
		}
		if k >= lines.Len() {
			return
		}
		at := childAtLine(p, lines.At(k).Start, lines.At(k).Stop)
		if at == nil {
			return // the line starts inside emphasis or a link: leave it
		}
		q := ast.NewParagraph()
		segs := lines.Sliced(k, lines.Len())
		q.Lines().AppendAll(segs)
		q.SetPos(segs[0].Start)
		lines.SetSliced(0, k)
		if t, ok := at.PreviousSibling().(*ast.Text); ok {
			t.SetSoftLineBreak(false)
			t.SetHardLineBreak(false)
		}
		for c := at; c != nil; {
			next := c.NextSibling()
			q.AppendChild(q, c)
			c = next
		}
		p.Parent().InsertAfter(p.Parent(), p, q)
		st.guess(guessSplit, segs[0].Start)
		p = q
	}
}

// startsBlock reports whether line k of a paragraph starts a new block.
func startsBlock(lines *text.Segments, k int, source []byte) bool {
	line := lineText(lines, k, source)
	if bulletPrefix(line) > 0 {
		return true
	}
	start := lineStart(line)
	if start == "" {
		return false
	}
	m, ok := openingLabel(start)
	if !ok {
		return false
	}
	if m.kind == labelDotted && m.depth == 1 && !startsUpper(start[len(m.label):]) {
		return false
	}
	prev := strings.TrimRight(string(lineText(lines, k-1, source)), " \t\r\n*_")
	switch {
	case strings.HasSuffix(prev, ".") || strings.HasSuffix(prev, ":") || strings.HasSuffix(prev, ";"):
		return true
	case m.kind == labelParen && (strings.HasSuffix(prev, " and") || strings.HasSuffix(prev, " or")):
		return true
	}
	return k == 1 && titleLike(prev, 12)
}

func startsUpper(s string) bool {
	s = strings.TrimLeft(s, " \t\"'“‘«")
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// titleLike reports whether a line reads as a title: short, at most max
// words, starting with a capital or a number, not ending like a sentence
// part.
func titleLike(s string, max int) bool {
	s = strings.TrimSpace(s)
	if s == "" || utf8.RuneCountInString(s) > 100 || len(strings.Fields(s)) > max {
		return false
	}
	if strings.ContainsAny(s[len(s)-1:], ".,;:") {
		return false
	}
	return startsUpper(s)
}

// childAtLine returns the inline child of p that starts the line spanning
// [start, stop), when a line break before it is at the paragraph's top
// level.
func childAtLine(p ast.Node, start, stop int) ast.Node {
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		if pos := inlineStart(c); pos >= start && pos < stop {
			if t, ok := c.PreviousSibling().(*ast.Text); ok && (t.SoftLineBreak() || t.HardLineBreak()) {
				return c
			}
			return nil
		}
	}
	return nil
}

// inlineStart returns the source offset of an inline node's first text, or
// -1.
func inlineStart(n ast.Node) int {
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if pos := inlineStart(c); pos >= 0 {
			return pos
		}
	}
	return -1
}

// makeBulletLists turns runs of paragraphs that open with a bullet
// character into bullet lists. An item with a sub-item bullet (◦, ○, ▪, ▫)
// after items with another bullet is a sub-item of the item before it.
func makeBulletLists(doc ast.Node, source []byte, st *plainState) {
	var containers []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Document, *ast.Blockquote, *ast.ListItem:
			containers = append(containers, n)
			return ast.WalkContinue, nil
		case *ast.List:
			return ast.WalkContinue, nil
		}
		return ast.WalkSkipChildren, nil
	})
	for _, parent := range containers {
		var list, sub *ast.List
		var first rune
		var lastItem ast.Node
		for c := parent.FirstChild(); c != nil; {
			next := c.NextSibling()
			p, ok := c.(*ast.Paragraph)
			n := 0
			if ok {
				n = bulletPrefix(lineText(p.Lines(), 0, source))
			}
			if n == 0 {
				list, sub, lastItem = nil, nil, nil
				c = next
				continue
			}
			r, _ := utf8.DecodeRune(lineText(p.Lines(), 0, source))
			if list == nil {
				list = ast.NewList('-')
				list.IsTight = true
				list.SetPos(p.Lines().At(0).Start)
				parent.InsertBefore(parent, p, list)
				first = r
				st.guess(guessBullets, p.Lines().At(0).Start)
			}
			item := bulletItem(p, n, source)
			switch {
			case lastItem != nil && strings.ContainsRune(subBullets, r) && !strings.ContainsRune(subBullets, first):
				if sub == nil {
					sub = ast.NewList('-')
					sub.IsTight = true
					lastItem.AppendChild(lastItem, sub)
				}
				sub.AppendChild(sub, item)
			default:
				sub = nil
				list.AppendChild(list, item)
				lastItem = item
			}
			parent.RemoveChild(parent, p)
			c = next
		}
	}
}

// bulletItem makes a list item of a paragraph that opens with a bullet
// and n bytes of bullet and spaces.
func bulletItem(p *ast.Paragraph, n int, source []byte) *ast.ListItem {
	item := ast.NewListItem(n)
	tb := ast.NewTextBlock()
	lines := p.Lines()
	first := lines.At(0)
	cut := first.Start + n
	lines.Set(0, text.NewSegment(cut, first.Stop))
	tb.SetLines(lines)
	item.SetPos(first.Start)
	tb.SetPos(cut)
	for c := p.FirstChild(); c != nil; {
		next := c.NextSibling()
		if t, ok := c.(*ast.Text); ok && t.Segment.Start < cut {
			t.Segment = t.Segment.WithStart(min(cut, t.Segment.Stop))
			if t.Segment.Len() == 0 && !t.SoftLineBreak() && !t.HardLineBreak() {
				c = next
				continue
			}
		}
		tb.AppendChild(tb, c)
		c = next
	}
	item.AppendChild(item, tb)
	return item
}

// listsToHeadings turns top-level ordered lists used as section numbering
// into headings: a list whose items each open with a title-like line
// ("2. Engagement of Sub-processors") followed by paragraphs in the item,
// or a single such item alone in its list and followed by a paragraph. An
// item with only sub-lists under its first line is a real list item. The item's number is
// kept in the heading's text, and the text of the item follows the
// heading.
func listsToHeadings(doc ast.Node, source []byte, st *plainState) {
	for c := doc.FirstChild(); c != nil; {
		next := c.NextSibling()
		l, ok := c.(*ast.List)
		if !ok || !l.IsOrdered() || !sectionList(l, source) {
			c = next
			continue
		}
		number := l.Start
		for item := l.FirstChild(); item != nil; {
			nextItem := item.NextSibling()
			title := item.FirstChild()
			h := ast.NewHeading(2)
			h.SetLines(title.Lines())
			h.SetPos(title.Lines().At(0).Start)
			h.AppendChild(h, ast.NewString([]byte(itoa(number)+". ")))
			moveChildren(h, title)
			doc.InsertBefore(doc, l, h)
			st.guess(guessListTitle, title.Lines().At(0).Start)
			for b := title.NextSibling(); b != nil; {
				nb := b.NextSibling()
				if tb, ok := b.(*ast.TextBlock); ok {
					p := ast.NewParagraph()
					p.SetLines(tb.Lines())
					moveChildren(p, tb)
					b = p
				}
				doc.InsertBefore(doc, l, b)
				b = nb
			}
			number++
			item = nextItem
		}
		doc.RemoveChild(doc, l)
		c = next
	}
}

// sectionList reports whether an ordered list is section numbering.
func sectionList(l *ast.List, source []byte) bool {
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		title := item.FirstChild()
		switch title.(type) {
		case *ast.Paragraph, *ast.TextBlock:
		default:
			return false
		}
		if title.Lines().Len() != 1 || !titleLike(PlainText(title, source), 10) {
			return false
		}
		text := false
		for b := title.NextSibling(); b != nil && !text; b = b.NextSibling() {
			switch b.(type) {
			case *ast.Paragraph, *ast.TextBlock:
				text = true
			}
		}
		if !text && title.NextSibling() != nil {
			return false // a list with sub-lists: a real list
		}
		if !text && l.ChildCount() > 1 {
			return false
		}
		if _, ok := l.NextSibling().(*ast.Paragraph); !text && !ok {
			return false
		}
	}
	return true
}

func moveChildren(to, from ast.Node) {
	for c := from.FirstChild(); c != nil; {
		next := c.NextSibling()
		to.AppendChild(to, c)
		c = next
	}
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// titlesToHeadings turns top-level one-line paragraphs that read as
// section titles into headings: a line in capitals ("DEFINITIONS"), a line
// entirely in bold ("**1. Definitions**"), or a short numbered line
// ("2. Engagement of Sub-processors", "1.1 Scope") followed by text that is
// not a clause of the same or a higher level. A numbered title's level is
// one more than its depth ("2." h2, "2.1" h3); others are h2.
func titlesToHeadings(doc ast.Node, source []byte, st *plainState) {
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		p, ok := c.(*ast.Paragraph)
		if !ok || p.Lines().Len() != 1 {
			continue
		}
		txt := PlainText(p, source)
		if txt == "" || utf8.RuneCountInString(txt) > 100 || len(strings.Fields(txt)) > 14 {
			continue
		}
		m, numbered := openingLabel(txt)
		if numbered && m.kind == labelParen {
			continue
		}
		kind := guessKind(-1)
		switch {
		case allBold(p, source):
			kind = guessBoldTitle
		case allCaps(txt) && !strings.ContainsAny(txt[len(txt)-1:], ".,;:"):
			kind = guessCapsTitle
		case numbered && m.depth <= 3 && titleLike(strings.TrimLeft(txt[len(m.label):], " .:–—-"), 10) && bodyFollows(p, m, source):
			kind = guessNumberTitle
		}
		if kind < 0 {
			continue
		}
		level := 2
		switch {
		case numbered:
			level = min(m.depth+1, 6)
		case p == doc.FirstChild() && kind != guessNumberTitle:
			level = 1 // the document's title, as pasted
		}
		h := ast.NewHeading(level)
		h.SetLines(p.Lines())
		h.SetPos(p.Lines().At(0).Start)
		if kind == guessBoldTitle {
			for c := p.FirstChild(); c != nil; c = c.NextSibling() {
				if e, ok := c.(*ast.Emphasis); ok {
					moveChildren(h, e)
				}
			}
		} else {
			moveChildren(h, p)
		}
		doc.ReplaceChild(doc, p, h)
		c = h
		st.guess(kind, p.Lines().At(0).Start)
	}
}

// bodyFollows reports whether the block after a numbered line is text of
// its clause: not missing, and not a clause of the same or a higher level.
func bodyFollows(p ast.Node, m clauseMark, source []byte) bool {
	switch next := p.NextSibling().(type) {
	case nil, *ast.Heading:
		return false
	case *ast.Paragraph:
		if n, ok := openingLabel(leadText(next, source, 64)); ok && n.kind != labelParen && n.depth <= m.depth {
			return false
		}
	}
	return true
}

// allBold reports whether a paragraph is entirely strong emphasis.
func allBold(p ast.Node, source []byte) bool {
	var strong ast.Node
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		if e, ok := c.(*ast.Emphasis); ok && e.Level == 2 && strong == nil {
			strong = e
			continue
		}
		if t, ok := c.(*ast.Text); ok && len(strings.TrimSpace(string(t.Segment.Value(source)))) == 0 {
			continue
		}
		return false
	}
	return strong != nil
}

// allCaps reports whether text has at least four letters, all capitals.
func allCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 4
}

// markClauseLists records the items of top-level loose ordered lists as
// clauses "1." to "n.": CommonMark reads clauses numbered "1. The
// Processor shall…", separated by blank lines, as such a list. A tight list,
// or one introduced by a paragraph ending with ":", is a list within a
// clause.
func markClauseLists(doc ast.Node, source []byte, st *plainState) {
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		l, ok := c.(*ast.List)
		if !ok || !l.IsOrdered() || l.IsTight {
			continue
		}
		if p, ok := l.PreviousSibling().(*ast.Paragraph); ok && strings.HasSuffix(PlainText(p, source), ":") {
			continue
		}
		number := l.Start
		for item := l.FirstChild(); item != nil; item = item.NextSibling() {
			st.clauses[item] = &clauseMark{kind: labelDotted, raw: itoa(number), depth: 1}
			number++
		}
	}
}

// markClauses records the paragraphs that open with a clause number: at
// the top level, in block quotes, and in list items after the item's first
// paragraph.
func markClauses(doc ast.Node, source []byte, st *plainState) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		p, ok := n.(*ast.Paragraph)
		if !ok {
			return ast.WalkContinue, nil
		}
		if _, inItem := p.Parent().(*ast.ListItem); inItem && p.PreviousSibling() == nil {
			return ast.WalkSkipChildren, nil
		}
		if l := p.Lines(); l.Len() == 0 || lineStart(lineText(l, 0, source)) == "" {
			return ast.WalkSkipChildren, nil
		}
		if m, ok := openingLabel(leadText(p, source, 64)); ok {
			st.clauses[p] = &m
		}
		return ast.WalkSkipChildren, nil
	})
}

// lineText returns the source text of line k of a block.
func lineText(lines *text.Segments, k int, source []byte) []byte {
	seg := lines.At(k)
	return seg.Value(source)
}

// mayOpenClause is a quick test of the first character of a text, before
// openingLabel.
func mayOpenClause(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == '(', c == 'C', c == 'c', c == 'A', c == 'a', c == 'S', c == 's', c == 'P', c == 'p':
		return true
	}
	return bytes.HasPrefix(s, []byte("§"))
}

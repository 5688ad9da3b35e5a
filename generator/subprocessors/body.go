package subprocessors

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/markdown"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// bodyReader extracts rows from the markdown body: tables and bullet
// lists, each row grouped under the nearest heading.
type bodyReader struct {
	doc        *document.Document
	src        []byte
	heading    string // text of the nearest heading above
	headingLoc string // location named by that heading, if any
	opts       *options
	rows       []Row
	problems   []Problem
	// lacking are the required fields that the table of a row has no
	// column for, by row line: reported once for the table, not per row.
	lacking map[int][]string
	// pending are the tables read only if nothing else is found.
	pending []pendingTable
	// lines finds the line of an offset, made on first use.
	lines *markdown.LineIndex
}

// fromBody reads the rows of the sub-processor tables and lists in the
// document body: tables only, outside a sub-processor document. lacking
// is bodyReader.lacking.
func fromBody(doc *document.Document, o *options) (rows []Row, problems []Problem, lacking map[int][]string) {
	e := &bodyReader{doc: doc, src: doc.Body, opts: o, lacking: map[int][]string{}}
	var root ast.Node
	if o.tree != nil && bytes.Equal(o.tree.Source(), doc.Body) {
		root = o.tree.Node()
	} else {
		root = markdown.Parser().Parse(text.NewReader(doc.Body))
	}
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Heading:
			e.heading = cleanText(e.text(t))
			e.headingLoc = contextLocation(e.heading, true)
			return ast.WalkSkipChildren, nil
		case *east.Table:
			e.table(t, false)
			return ast.WalkSkipChildren, nil
		case *markdown.PlainTable:
			e.table(t, false)
			return ast.WalkSkipChildren, nil
		case *ast.List:
			if doc.Kind == document.KindSubprocessors && e.list(t) {
				return ast.WalkSkipChildren, nil
			}
		}
		return ast.WalkContinue, nil
	})
	if len(e.rows) == 0 {
		// A sub-processor document with no list but tables with a name
		// column ("Entity | Duty | Hosting Zone"): they are its list, and
		// say which columns they lack.
		for _, p := range e.pending {
			e.heading, e.headingLoc = p.heading, p.headingLoc
			e.table(p.table, true)
		}
	}
	return e.rows, e.problems, e.lacking
}

// pendingTable is a table with a name column and no other recognised
// column, with the heading it stands under.
type pendingTable struct {
	table               ast.Node // *east.Table or *markdown.PlainTable
	heading, headingLoc string
}

func (e *bodyReader) report(line int, sev Severity, format string, args ...any) {
	e.problems = append(e.problems, Problem{Path: e.doc.Path, Line: line, Severity: sev, Msg: fmt.Sprintf(format, args...)})
}

// line returns the file line of a byte offset in the body. It finds the
// offset among the newlines of the body, listed once: counting them from
// the start for every row made a table of n rows cost n² (a 154,000-row
// register took minutes).
func (e *bodyReader) line(off int) int {
	if off < 0 {
		return 0
	}
	if e.lines == nil {
		e.lines = markdown.NewLineIndex(e.src)
	}
	return e.doc.BodyLine + e.lines.Line(min(off, len(e.src))) - 1
}

// blockLine returns the file line where a block's text starts, or 0.
func (e *bodyReader) blockLine(n ast.Node) int {
	if l := n.Lines(); l != nil && l.Len() > 0 {
		return e.line(l.At(0).Start)
	}
	return 0
}

// leadIn returns the text of the paragraph just before n, if any.
func (e *bodyReader) leadIn(n ast.Node) string {
	if p, ok := n.PreviousSibling().(*ast.Paragraph); ok {
		return cleanText(e.text(p))
	}
	return ""
}

// table reads a sub-processor table. A table is one when its headers name
// a sub-processor column and a purpose or location column (see
// tableColumns and columnField), or, in a sub-processor document, when the
// header of its name column says "Sub-processor", "Vendor" or "Supplier",
// or when it is the only kind of table with a name column, or with a
// purpose and a location column, that the document has (force); others
// are ignored. Outside a
// sub-processor document (a DPA and its annexes) the headers must name a
// purpose and a location column too, or the name column, the heading or
// the sentence before the table must say "sub-processors": a table of
// "Company | Country" in a privacy policy is not a register.
//
// A table without a purpose or location column (and, for the location,
// no heading or lead-in that names one) is one error at the table, naming
// its headers and the clause.toml lines that would map them, rather than
// an error on every row.
func (e *bodyReader) table(t ast.Node, force bool) {
	var tc tableCells
	switch t := t.(type) {
	case *east.Table:
		header, ok := t.FirstChild().(*east.TableHeader)
		if !ok {
			return
		}
		tc = &nodeCells{e: e, header: header, tr: header}
	case *markdown.PlainTable:
		tc = &plainCells{t: t, r: -1}
	default:
		return
	}
	var heads []string
	for _, h := range tc.headers() {
		heads = append(heads, cleanText(h))
	}
	cols := tableColumns(heads, e.opts)
	has := map[string]bool{}
	var nameHeader string
	for _, c := range cols {
		if c.field != "" && !c.extra {
			has[c.field] = true
			if c.field == FieldName {
				nameHeader = c.header
			}
		}
	}
	listing := has[FieldPurpose] || has[FieldLocation]
	if !has[FieldName] {
		// "Tool | Use | Where": in a sub-processor document without
		// another list, a table of purposes and locations is the list,
		// and lacks a name column.
		if e.doc.Kind == document.KindSubprocessors && has[FieldPurpose] && has[FieldLocation] && !force {
			e.pending = append(e.pending, pendingTable{t, e.heading, e.headingLoc})
		}
		if !force {
			return
		}
	}
	lead := e.leadIn(t)
	if e.doc.Kind == document.KindSubprocessors {
		if !force && !listing && !subprocessorWords.MatchString(nameHeader) {
			e.pending = append(e.pending, pendingTable{t, e.heading, e.headingLoc})
			return
		}
	} else if !(has[FieldPurpose] && has[FieldLocation]) {
		says := subprocessorWord.MatchString(nameHeader) || subprocessorWord.MatchString(e.heading) || subprocessorWord.MatchString(lead)
		if !listing || !says {
			return
		}
	}
	var ctxLoc string
	if !has[FieldLocation] {
		if ctxLoc = contextLocation(lead, false); ctxLoc == "" {
			ctxLoc = e.headingLoc
		}
	}
	var lacking []string
	if !has[FieldName] {
		lacking = append(lacking, FieldName)
	}
	if !has[FieldPurpose] {
		lacking = append(lacking, FieldPurpose)
	}
	if !has[FieldLocation] && ctxLoc == "" {
		lacking = append(lacking, FieldLocation)
	}
	prevLine := e.line(t.Pos())
	if len(lacking) > 0 {
		e.report(prevLine, Error, "%s", missingColumnsMsg(cols, lacking))
	}
	// Room for every row at once: appending 150,000 rows one by one
	// copies them over and over.
	e.rows = slices.Grow(e.rows, tc.rows())
	for tc.next() {
		row := Row{Group: e.heading, Line: e.line(tc.pos())}
		if row.Line == 0 {
			row.Line = prevLine + 1
		}
		prevLine = row.Line
		empty := true
		var nameURL string
		var extras []string
		for i := 0; i < len(cols) && i < tc.cells(); i++ {
			txt := tc.text(i)
			if cleanText(txt) != "" {
				empty = false
			}
			col := cols[i]
			switch {
			case col.field == "":
				continue
			case col.extra:
				if v := cleanText(txt); !missing(v) {
					extras = append(extras, col.header+": "+v)
				}
				continue
			case col.field == FieldGroup:
				if cleanText(txt) == "" {
					continue // an empty group cell keeps the heading
				}
			case col.field == FieldWebsite:
				if u := tc.url(i); u != "" {
					txt = u
				}
			case col.field == FieldName:
				nameURL = tc.url(i)
			}
			if err := setField(&row, col.field, txt); err != nil {
				e.report(row.Line, Error, "column %q: %v", col.header, err)
			}
		}
		if empty {
			continue
		}
		if len(extras) > 0 {
			if missing(row.Purpose) {
				row.Purpose = strings.Join(extras, "; ")
			} else {
				row.Purpose += "; " + strings.Join(extras, "; ")
			}
		}
		if row.Website == "" && isHTTP(nameURL) {
			row.Website = nameURL
		}
		if !has[FieldLocation] {
			row.Location = ctxLoc
		}
		if len(lacking) > 0 {
			e.lacking[row.Line] = lacking
		}
		e.rows = append(e.rows, row)
	}
}

// tableCells are the header and body rows of a table for
// bodyReader.table: goldmark's nodes (nodeCells), or a large table of
// plain cells that markdown.Parse read as one node (plainCells).
type tableCells interface {
	// headers returns the text of each header cell (bodyReader.text).
	headers() []string
	// rows returns the number of body rows.
	rows() int
	// next moves to the next body row, if any.
	next() bool
	// pos returns the body offset where the row starts.
	pos() int
	// cells returns the number of cells of the row.
	cells() int
	// text returns the text of cell i of the row, url the destination
	// of its first link or URL, if any (bodyReader.firstURL).
	text(i int) string
	url(i int) string
}

// nodeCells reads goldmark's nodes of a table.
type nodeCells struct {
	e      *bodyReader
	header *east.TableHeader
	tr     ast.Node
	row    []ast.Node
}

func (c *nodeCells) headers() []string {
	var out []string
	for n := c.header.FirstChild(); n != nil; n = n.NextSibling() {
		out = append(out, c.e.text(n))
	}
	return out
}

func (c *nodeCells) rows() int { return max(c.header.Parent().ChildCount()-1, 0) }

func (c *nodeCells) next() bool {
	c.tr = c.tr.NextSibling()
	c.row = c.row[:0]
	if c.tr == nil {
		return false
	}
	for n := c.tr.FirstChild(); n != nil; n = n.NextSibling() {
		c.row = append(c.row, n)
	}
	return true
}

func (c *nodeCells) pos() int          { return c.tr.Pos() }
func (c *nodeCells) cells() int        { return len(c.row) }
func (c *nodeCells) text(i int) string { return c.e.text(c.row[i]) }
func (c *nodeCells) url(i int) string  { return c.e.firstURL(c.row[i]) }

// plainCells reads a markdown.PlainTable: its cells are text, without
// links.
type plainCells struct {
	t *markdown.PlainTable
	r int
}

func (c *plainCells) headers() []string {
	out := make([]string, c.t.Columns())
	for i := range out {
		out[i] = c.t.Header(i)
	}
	return out
}

func (c *plainCells) rows() int         { return c.t.Rows() }
func (c *plainCells) next() bool        { c.r++; return c.r < c.t.Rows() }
func (c *plainCells) pos() int          { return c.t.RowPos(c.r) }
func (c *plainCells) cells() int        { return c.t.Columns() }
func (c *plainCells) text(i int) string { return c.t.Cell(c.r, i) }
func (c *plainCells) url(int) string    { return "" }

// subprocessorWord is "sub-processor" in any spelling.
var subprocessorWord = regexp.MustCompile(`(?i)\bsub[- ]?processor`)

// subprocessorWords names a list of sub-processors in a heading or lead-in.
var subprocessorWords = regexp.MustCompile(`(?i)\bsub[- ]?processors?\b|\bsub[- ]?processing\b|\bvendors?\b|\bsuppliers?\b|\bservice providers?\b|\bthird[- ]part(?:y|ies)\b|\bprocessors\b`)

// list reads a bullet list of sub-processors. It reports whether the list
// was one: at least half of its items start with a name in bold or as a
// link, and either a lead-in sentence or the heading names a location, or
// one of them names sub-processors ("vendors", "third parties"…) and at
// least half of the items look like companies (a website, a location or a
// legal suffix such as "Ltd"). In a sub-processor document, items that all
// start with a link suffice. This keeps lists of definitions ("**Personal
// Data** — …") and of notification channels under a heading such as "How
// we announce new sub-processors" out of the register.
func (e *bodyReader) list(l *ast.List) bool {
	lead := e.leadIn(l)
	var rows []Row
	var bad []int
	allLinks, items, companies := true, 0, 0
	for li := l.FirstChild(); li != nil; li = li.NextSibling() {
		items++
		row, link, ok := e.item(li)
		if !ok {
			bad = append(bad, e.blockLine(firstBlock(li)))
			allLinks = false
			continue
		}
		allLinks = allLinks && link
		if row.Website != "" || row.Location != "" || hasLegalSuffix(row.Name) {
			companies++
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 || 2*len(rows) < items {
		return false
	}
	loc := contextLocation(lead, false)
	if loc == "" {
		loc = e.headingLoc
	}
	named := subprocessorWords.MatchString(lead) || subprocessorWords.MatchString(e.heading)
	if loc == "" && !(named && 2*companies >= len(rows)) && !(allLinks && e.doc.Kind == document.KindSubprocessors) {
		return false
	}
	for _, row := range rows {
		row.Group = e.heading
		if row.Location == "" {
			row.Location = loc
		}
		e.rows = append(e.rows, row)
	}
	for _, line := range bad {
		e.report(line, Warning, "list item not read as a sub-processor: start it with the name in bold (**Name** — purpose) or as a link ([Name](https://…). Purpose.)")
	}
	return true
}

func firstBlock(li ast.Node) ast.Node {
	if c := li.FirstChild(); c != nil {
		return c
	}
	return li
}

// item reads one list item of the form "[Name](url). Purpose." or
// "**Name** — purpose", optionally followed by labelled parts
// ("Location: Germany.") or a location in parentheses. link reports
// whether the name was a link.
func (e *bodyReader) item(li ast.Node) (row Row, link, ok bool) {
	block := li.FirstChild()
	switch block.(type) {
	case *ast.Paragraph, *ast.TextBlock:
	default:
		return row, false, false
	}
	first := block.FirstChild()
	for first != nil {
		if t, isText := first.(*ast.Text); !isText || strings.TrimSpace(string(t.Segment.Value(e.src))) != "" {
			break
		}
		first = first.NextSibling()
	}
	switch f := first.(type) {
	case *ast.Link:
		row.Name, row.Website, link = e.text(f), string(f.Destination), true
	case *ast.Emphasis:
		row.Name, row.Website = e.text(f), e.firstURL(f)
	default:
		return row, false, false
	}
	if !isHTTP(row.Website) {
		row.Website = ""
	}
	row.Name = cleanText(strings.TrimRight(cleanText(row.Name), ":—–- "))
	if row.Name == "" {
		return row, false, false
	}
	row.Line = e.blockLine(block)
	var b strings.Builder
	for n := first.NextSibling(); n != nil; n = n.NextSibling() {
		e.write(&b, n)
	}
	if err := parseItemRest(&row, b.String()); err != nil {
		e.report(row.Line, Error, "%v", err)
	}
	return row, link, true
}

var (
	locatedVerb = regexp.MustCompile(`(?i)^(?:located|based|hosted|processed|processing|stored)\s+(?:in|within)\b`)
)

// parseItemRest reads the text after the name of a list item: the purpose,
// and labelled parts ("Location: Germany", "Transfer mechanism: SCCs"),
// "located in …" sentences or a final parenthetical that name a location.
func parseItemRest(row *Row, rest string) error {
	rest = strings.TrimLeft(cleanText(rest), " .,:;—–-|")
	type part struct{ field, value string }
	var parts []part
	var purpose strings.Builder
	start, inLabel, prevDelim := 0, false, byte(0)
	for _, p := range sentenceBreaks(rest) {
		piece := rest[start:p[1]]
		body := trimStop(strings.TrimSpace(rest[start:p[0]]))
		afterSemicolon := prevDelim == ';'
		start = p[1]
		if prevDelim = 0; p[0] < len(rest) {
			prevDelim = rest[p[0]]
		}
		if label, value, ok := strings.Cut(body, ":"); ok && len(label) <= 40 {
			if f := fieldFor(label); f != "" && f != FieldName {
				parts = append(parts, part{f, value})
				inLabel = true
				continue
			}
		}
		// "Data categories: email; name": a part after a semicolon
		// continues the labelled value before it.
		if inLabel && afterSemicolon {
			parts[len(parts)-1].value += "; " + body
			continue
		}
		inLabel = false
		if row.Location == "" && locatedVerb.MatchString(body) {
			if loc := contextLocation(body, false); loc != "" {
				row.Location = loc
				continue
			}
		}
		purpose.WriteString(piece)
	}
	var firstErr error
	for _, pt := range parts {
		if err := setField(row, pt.field, pt.value); err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%s: %w", pt.field, err)
		}
	}
	p := trimStop(strings.TrimRight(strings.TrimSpace(purpose.String()), ";, "))
	if row.Location == "" && strings.HasSuffix(p, ")") {
		if open := strings.LastIndexByte(p, '('); open > 0 && resolves(p[open+1:len(p)-1]) {
			row.Location = strings.TrimSpace(p[open+1 : len(p)-1])
			p = strings.TrimRight(strings.TrimSpace(p[:open]), ",;—–-")
		}
	}
	if row.Purpose == "" {
		row.Purpose = cleanText(p)
	}
	return firstErr
}

// trimStop removes a final full stop that ends a sentence, keeping one that
// ends an abbreviation or initial ("U.S.", "Inc.").
func trimStop(s string) string {
	if !strings.HasSuffix(s, ".") {
		return s
	}
	body := s[:len(s)-1]
	word := body[strings.LastIndexAny(body, " \t(")+1:]
	last := word[strings.LastIndexByte(word, '.')+1:]
	if len([]rune(last)) == 1 || abbreviations[strings.ToLower(word)] {
		return s
	}
	return body
}

// abbreviations end in a full stop that does not end a sentence.
var abbreviations = map[string]bool{"e.g": true, "i.e": true, "etc": true, "inc": true, "ltd": true, "co": true, "corp": true, "no": true, "vs": true, "approx": true}

// sentenceBreaks returns the [end of sentence, start of next] offsets of
// the sentence breaks in s, and a final [len(s), len(s)]: a ";", or a "."
// followed by space and a capital letter or digit, unless the full stop
// ends an abbreviation ("e.g.", "Inc.") or an initial ("U.S.").
func sentenceBreaks(s string) [][]int {
	var out [][]int
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && s[i] != ';' {
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j == i+1 || j == len(s) {
			continue
		}
		if s[i] == '.' {
			next, _ := utf8.DecodeRuneInString(s[j:])
			word := s[strings.LastIndexAny(s[:i], " \t(")+1 : i]
			last := word[strings.LastIndexByte(word, '.')+1:]
			if !unicode.IsUpper(next) && !unicode.IsDigit(next) || len([]rune(last)) == 1 || abbreviations[strings.ToLower(word)] {
				continue
			}
		}
		out = append(out, []int{i, j})
	}
	return append(out, []int{len(s), len(s)})
}

// text returns the plain text of a node's inline content: emphasis, code
// and links reduced to their text, backslash escapes (such as "\|" in a
// table cell) and character references resolved, "<br>" a line break.
func (e *bodyReader) text(n ast.Node) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		e.write(&b, c)
	}
	return b.String()
}

func (e *bodyReader) write(b *strings.Builder, n ast.Node) {
	switch t := n.(type) {
	case *ast.Text:
		v := t.Segment.Value(e.src)
		if !t.IsRaw() {
			v = util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(v)))
		}
		b.Write(v)
		switch {
		case t.HardLineBreak():
			b.WriteByte('\n')
		case t.SoftLineBreak():
			b.WriteByte(' ')
		}
	case *ast.String:
		b.Write(t.Value)
	case *ast.CodeSpan:
		for c := t.FirstChild(); c != nil; c = c.NextSibling() {
			if tt, ok := c.(*ast.Text); ok {
				b.Write(tt.Segment.Value(e.src))
			}
		}
	case *ast.AutoLink:
		b.Write(t.Label(e.src))
	case *ast.RawHTML:
		for i := 0; i < t.Segments.Len(); i++ {
			seg := t.Segments.At(i)
			if bytes.HasPrefix(bytes.ToLower(seg.Value(e.src)), []byte("<br")) {
				b.WriteByte('\n')
			}
		}
	case *ast.Image:
		// A logo says nothing about the row.
	default:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			e.write(b, c)
		}
	}
}

// firstURL returns the destination of the first link or URL autolink in n.
func (e *bodyReader) firstURL(n ast.Node) string {
	var out string
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Link:
			out = string(t.Destination)
		case *ast.AutoLink:
			if t.AutoLinkType == ast.AutoLinkURL {
				out = string(t.URL(e.src))
			}
		}
		if out != "" {
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return out
}

// isHTTP reports whether s is an absolute http(s) URL.
func isHTTP(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

package markdown

import (
	"bytes"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// PlainTableRows is the number of body rows from which Parse reads a GFM
// table of plain cells as a PlainTable: one node for the table rather
// than goldmark's nodes for every row, cell and text. A sub-processor
// register of 154,000 rows made a tree of 150 MB that took as long to
// build and render as the rest of its build.
const PlainTableRows = 100

// plainTableRows is PlainTableRows, lowered by tests.
var plainTableRows = PlainTableRows

// KindPlainTable is the kind of a PlainTable.
var KindPlainTable = ast.NewNodeKind("PlainTable")

// PlainTable is a GFM table whose cells are certainly plain text, as
// Parse reads a large one (see PlainTableRows): no inline markup, no
// HTML, no character references, no backslash escapes but "\|". It is
// rendered byte for byte as goldmark renders the same table, and its
// cells read as goldmark's cells of text read. Only Parse makes them:
// Parser's trees have goldmark's tables. A PlainTable stands at the top
// level of the document, after a blank line or at the start of the body,
// every line of it starts with "|" and ends with an unescaped "|", and a
// blank line or the end of the body ends it; any other table is
// goldmark's.
type PlainTable struct {
	ast.BaseBlock
	// Alignments are the alignments of the columns, from the delimiter
	// row.
	Alignments []extast.Alignment
	source     []byte
	end        int // offset of the end of the table's last line
	lastLine   int // offset where the last line starts
	lines      int // number of lines
	// cells are the offsets of every cell of the header and the body rows,
	// trimmed, len(Alignments) a row: [start, stop), or [-1, -1] for a
	// cell that a short row lacks (goldmark adds an empty one).
	cells [][2]int32
	// rowPos are the offsets where the body rows' lines start.
	rowPos []int32
}

// Kind implements ast.Node.
func (t *PlainTable) Kind() ast.NodeKind { return KindPlainTable }

// IsRaw implements ast.Node: a PlainTable has no inline content to parse.
func (t *PlainTable) IsRaw() bool { return true }

// Dump implements ast.Node.
func (t *PlainTable) Dump(source []byte, level int) {
	ast.DumpHelper(t, source, level, map[string]string{"Rows": strconv.Itoa(t.Rows())}, nil)
}

// Columns returns the number of columns.
func (t *PlainTable) Columns() int { return len(t.Alignments) }

// Rows returns the number of body rows (the header not counted).
func (t *PlainTable) Rows() int { return len(t.rowPos) }

// RowPos returns the offset in the source where body row r's line starts,
// as goldmark's TableRow.Pos.
func (t *PlainTable) RowPos(r int) int { return int(t.rowPos[r]) }

// Header returns the text of header cell i.
func (t *PlainTable) Header(i int) string { return t.text(t.cells[i]) }

// Cell returns the text of cell i of body row r: as written, trimmed,
// with "\|" read as "|" ("" for a cell the row lacks).
func (t *PlainTable) Cell(r, i int) string { return t.text(t.cells[(r+1)*len(t.Alignments)+i]) }

// raw returns the cell's bytes as written.
func (t *PlainTable) raw(c [2]int32) []byte {
	if c[0] < 0 {
		return nil
	}
	return t.source[c[0]:c[1]]
}

func (t *PlainTable) text(c [2]int32) string {
	v := t.raw(c)
	if bytes.IndexByte(v, '\\') < 0 {
		return string(v)
	}
	return string(bytes.ReplaceAll(v, []byte(`\|`), []byte("|")))
}

// plainTableParser opens a PlainTable at a line starting with "|" when the
// table that starts there is certainly plain (see PlainTable), and
// declines otherwise: the line is then goldmark's, a paragraph that its
// table extension makes a table of.
type plainTableParser struct{}

func (plainTableParser) Trigger() []byte { return []byte{'|'} }

func (plainTableParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if parent.Kind() != ast.KindDocument || pc.BlockOffset() != 0 {
		return nil, parser.NoChildren
	}
	_, seg := reader.PeekLine()
	src := reader.Source()
	if seg.Padding != 0 || !afterBlank(src, seg.Start) {
		return nil, parser.NoChildren
	}
	t := scanPlainTable(src, seg.Start)
	if t == nil {
		return nil, parser.NoChildren
	}
	// The reader moves to the table's last line, which the parser
	// advances past: goldmark's work for each of 150,000 lines is skipped.
	line, _ := reader.Position()
	stop := min(t.end+1, len(src)) // with its newline
	reader.SetPosition(line+t.lines-1, text.NewSegment(t.lastLine, stop))
	return t, parser.NoChildren
}

// Continue closes the table: Open took all its lines.
func (plainTableParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	return parser.Close
}

func (plainTableParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}

func (plainTableParser) CanInterruptParagraph() bool { return false }

func (plainTableParser) CanAcceptIndentedLine() bool { return false }

// afterBlank reports whether the line starting at off is the first of src
// or follows a blank line.
func afterBlank(src []byte, off int) bool {
	if off == 0 {
		return true
	}
	if src[off-1] != '\n' {
		return false
	}
	prev := bytes.LastIndexByte(src[:off-1], '\n') + 1
	return util.IsBlank(src[prev : off-1])
}

var (
	plainDelimLeft   = regexp.MustCompile(`^\s*\:\-+\s*$`)
	plainDelimRight  = regexp.MustCompile(`^\s*\-+\:\s*$`)
	plainDelimCenter = regexp.MustCompile(`^\s*\:\-+\:\s*$`)
	plainDelimNone   = regexp.MustCompile(`^\s*\-+\s*$`)
)

// delimiterRow reads the alignments of a delimiter row as goldmark's table
// extension does (line with its newline, if any), or nil.
func delimiterRow(line []byte) []extast.Alignment {
	allSep := true
	for _, b := range line {
		if b != '-' {
			allSep = false
		}
		if !(util.IsSpace(b) || b == '-' || b == '|' || b == ':') {
			return nil
		}
	}
	if allSep {
		return nil
	}
	cols := bytes.Split(line, []byte{'|'})
	if util.IsBlank(cols[0]) {
		cols = cols[1:]
	}
	if len(cols) > 0 && util.IsBlank(cols[len(cols)-1]) {
		cols = cols[:len(cols)-1]
	}
	var out []extast.Alignment
	for _, col := range cols {
		switch {
		case plainDelimLeft.Match(col):
			out = append(out, extast.AlignLeft)
		case plainDelimRight.Match(col):
			out = append(out, extast.AlignRight)
		case plainDelimCenter.Match(col):
			out = append(out, extast.AlignCenter)
		case plainDelimNone.Match(col):
			out = append(out, extast.AlignNone)
		default:
			return nil
		}
	}
	return out
}

// scanPlainTable reads the table whose header line starts at off in src,
// or returns nil when it is not certainly a table of plain cells of at
// least plainTableRows body rows that ends at a blank line or the end of
// src.
func scanPlainTable(src []byte, off int) *PlainTable {
	// The lines up to a blank one: all of them must be rows.
	var lines [][2]int // [start, end without newline)
	end := off
	for pos := off; pos < len(src); {
		nl := bytes.IndexByte(src[pos:], '\n')
		stop, next := len(src), len(src)
		if nl >= 0 {
			stop, next = pos+nl, pos+nl+1
		}
		if util.IsBlank(src[pos:stop]) {
			break
		}
		if src[pos] != '|' {
			return nil
		}
		lines = append(lines, [2]int{pos, stop})
		end = stop
		pos = next
	}
	if len(lines)-2 < plainTableRows || len(src) > 1<<31-1 {
		return nil
	}
	if !utf8.Valid(src[off:end]) {
		return nil
	}
	delim := src[lines[1][0]:lines[1][1]]
	if lines[1][1] < len(src) {
		delim = src[lines[1][0] : lines[1][1]+1] // goldmark reads it with its newline
	}
	aligns := delimiterRow(delim)
	if aligns == nil {
		return nil
	}
	cols := len(aligns)
	t := &PlainTable{Alignments: aligns, source: src, end: end, lastLine: lines[len(lines)-1][0], lines: len(lines)}
	t.cells = make([][2]int32, 0, (len(lines)-1)*cols)
	t.rowPos = make([]int32, 0, len(lines)-2)
	for k, l := range lines {
		if k == 1 {
			continue
		}
		n, ok := t.row(l[0], l[1], cols)
		if !ok || k == 0 && n != cols {
			return nil
		}
		if k > 0 {
			t.rowPos = append(t.rowPos, int32(l[0]))
		}
	}
	return t
}

// row appends the cells of the row src[start:stop] to t.cells, as
// goldmark's table extension splits it: at most cols cells, and empty
// ones for those it lacks. n is the number of cells written in the row
// (before those added or dropped); ok is false when a cell is not
// certainly plain.
func (t *PlainTable) row(start, stop, cols int) (n int, ok bool) {
	src := t.source
	for stop > start && src[stop-1] == ' ' {
		stop--
	}
	// "|" … "|": the last not escaped; "|" alone is a row of no cells.
	if stop-start == 1 {
		for i := 0; i < cols; i++ {
			t.cells = append(t.cells, [2]int32{-1, -1})
		}
		return 0, true
	}
	if stop-start < 2 || src[stop-1] != '|' || src[stop-2] == '\\' {
		return 0, false
	}
	line := src[start:stop]
	if containsLinkish(line) {
		return 0, false
	}
	pos, limit := 1, len(line)-1
	for pos < limit {
		closure := pos
		for ; closure < limit; closure++ {
			c := line[closure]
			if c == '|' {
				if line[closure-1] != '\\' {
					break
				}
				continue
			}
			if !plainByte(line, closure) {
				return 0, false
			}
		}
		if n < cols {
			s, e := pos, closure
			for s < e && line[s] == ' ' {
				s++
			}
			for e > s && line[e-1] == ' ' {
				e--
			}
			t.cells = append(t.cells, [2]int32{int32(start + s), int32(start + e)})
		}
		n++
		pos = closure + 1
	}
	for i := n; i < cols; i++ {
		t.cells = append(t.cells, [2]int32{-1, -1})
	}
	return n, true
}

// containsLinkish reports whether a line has what goldmark's linkify
// extension could make a link of.
func containsLinkish(line []byte) bool {
	return bytes.Contains(line, []byte("www.")) || bytes.Contains(line, []byte("http:")) ||
		bytes.Contains(line, []byte("https:")) || bytes.Contains(line, []byte("ftp:"))
}

// plainByte reports whether line[i], in a cell, is certainly text for
// goldmark's inline parsers and renders as itself, escaped: no emphasis,
// code, link, strikethrough, autolink, raw HTML, e-mail address,
// character reference or backslash escape (but "\|"), no control
// character.
func plainByte(line []byte, i int) bool {
	c := line[i]
	if plainBytes[c] {
		return true
	}
	switch {
	case c >= 0x80:
		return true // utf8.Valid checked the table
	case c < 0x20 || c == 0x7f:
		return false
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == ' ':
		return true
	}
	switch c {
	case '`', '*', '_', '~', '[', ']', '@':
		return false
	case '\\':
		return i+1 < len(line) && line[i+1] == '|'
	case '&':
		// "&#…" and "&name;" may be character references.
		j := i + 1
		if j < len(line) && line[j] == '#' {
			return false
		}
		for j < len(line) && util.IsAlphaNumeric(line[j]) {
			j++
		}
		return j == len(line) || line[j] != ';'
	case '<':
		// "<a", "</", "<!", "<?" may open an HTML tag or an autolink.
		if i+1 < len(line) {
			n := line[i+1]
			if 'a' <= n && n <= 'z' || 'A' <= n && n <= 'Z' || n == '/' || n == '!' || n == '?' {
				return false
			}
		}
		return true
	}
	return true
}

// plainBytes are the bytes that plainByte accepts whatever follows them.
var plainBytes = func() (t [256]bool) {
	for c := range 256 {
		switch {
		case c >= 0x80, 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			t[c] = true
		}
		switch c {
		case ' ', '!', '"', '#', '$', '%', '\'', '(', ')', '+', ',', '-', '.', '/', ':', ';', '=', '>', '?', '^', '{', '}':
			t[c] = true
		}
	}
	return t
}()

// renderPlainTable writes the rows of a PlainTable as goldmark's table
// renderer writes those of the same table (XHTML: alignments as "align"
// attributes), after the opening "<table>" that tableRenderer writes, up
// to "</table>" exclusive. long marks the header cells of long columns.
func renderPlainTable(w util.BufWriter, t *PlainTable, long []bool) {
	cols := len(t.Alignments)
	_, _ = w.WriteString("<thead>\n<tr>\n")
	for i := range cols {
		_, _ = w.WriteString("<th")
		writeAlign(w, t.Alignments[i])
		if long[i] {
			_, _ = w.WriteString(` class="long"`)
		}
		_ = w.WriteByte('>')
		writeCell(w, t.raw(t.cells[i]))
		_, _ = w.WriteString("</th>\n")
	}
	_, _ = w.WriteString("</tr>\n</thead>\n")
	if len(t.rowPos) == 0 {
		return
	}
	_, _ = w.WriteString("<tbody>\n")
	for r := range t.rowPos {
		_, _ = w.WriteString("<tr>\n")
		row := t.cells[(r+1)*cols : (r+2)*cols]
		for i, c := range row {
			_, _ = w.WriteString("<td")
			if c[0] >= 0 {
				// A cell goldmark adds to a short row has no alignment.
				writeAlign(w, t.Alignments[i])
			}
			_ = w.WriteByte('>')
			writeCell(w, t.raw(c))
			_, _ = w.WriteString("</td>\n")
		}
		_, _ = w.WriteString("</tr>\n")
	}
	_, _ = w.WriteString("</tbody>\n")
}

func writeAlign(w util.BufWriter, a extast.Alignment) {
	if a != extast.AlignNone {
		_, _ = w.WriteString(` align="` + a.String() + `"`)
	}
}

// writeCell writes a plain cell's text as goldmark's HTML writer does: "\|"
// as "|", and "&", "<", ">", '"' escaped.
func writeCell(w util.BufWriter, v []byte) {
	n := 0
	for i := 0; i < len(v); i++ {
		var esc string
		switch v[i] {
		case '\\':
			// Only before "|" in a plain cell: the backslash is dropped.
			_, _ = w.Write(v[n:i])
			n = i + 1
			continue
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		default:
			continue
		}
		_, _ = w.Write(v[n:i])
		_, _ = w.WriteString(esc)
		n = i + 1
	}
	_, _ = w.Write(v[n:])
}

// plainLongColumns is markLongColumns for a PlainTable: which columns hold
// a text of LongCell characters or more (counted as PlainText counts them:
// as written, whitespace folded) in some row.
func plainLongColumns(t *PlainTable) []bool {
	cols := len(t.Alignments)
	long := make([]bool, cols)
	for k, c := range t.cells {
		i := k % cols
		if long[i] || c[0] < 0 || int(c[1]-c[0]) < LongCell {
			continue // fewer bytes than LongCell: fewer characters too
		}
		if utf8.RuneCount(bytes.Join(bytes.Fields(t.raw(c)), []byte(" "))) >= LongCell {
			long[i] = true
		}
	}
	return long
}

package diff

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/clause-portal/clause/generator/markdown"
)

// MarkdownOptions configures WriteMarkdown.
type MarkdownOptions struct {
	// Context is the number of unchanged blocks shown before and after each
	// change; the others are collapsed into one line. 0 means the default,
	// 1; a negative value shows no unchanged blocks.
	Context int
	// HeadingLevel is the level of the headings that label the changed
	// passages (2–6), so that they nest under the caller's own heading.
	// 0 means the default, 4.
	HeadingLevel int
	// MaxBytes, if positive, bounds the output (a GitHub comment holds
	// 65,536 characters): the passages that would go beyond it are left
	// out, and a last line says how many changed blocks were.
	MaxBytes int
}

// WriteMarkdown writes a redline as GitHub-flavoured markdown, for a pull
// request comment or a CI job summary ($GITHUB_STEP_SUMMARY): the summary
// line in bold, then the changed passages in reading order, each under a
// heading naming the clause it belongs to, with inserted words in
// <ins>…</ins> and removed ones in <del>…</del> (GitHub renders both).
// Table rows are written as tables, code blocks as <pre>; unchanged blocks
// beyond the context are collapsed into "… N unchanged blocks …". The
// structure follows WriteText's.
//
// The document's text is untrusted: it is escaped (EscapeMarkdown) so that
// nothing in it is read as markup, raw HTML, a link, a mention or an issue
// reference; only the markup WriteMarkdown writes itself is.
func WriteMarkdown(w io.Writer, r *Redline, opts MarkdownOptions) error {
	bw := bufio.NewWriter(w)
	m := markdownWriter{w: bw, level: opts.HeadingLevel, max: opts.MaxBytes}
	if m.level == 0 {
		m.level = 4
	}
	m.level = min(max(m.level, 2), 6)
	m.put("**" + EscapeMarkdown(r.Summary()) + "**\n")
	if !r.Identical() {
		context := opts.Context
		if context == 0 {
			context = 1
		}
		m.redline(r, max(context, 0))
	}
	return bw.Flush()
}

type markdownWriter struct {
	w       *bufio.Writer
	level   int
	max     int  // bytes allowed, or 0
	written int  // bytes written
	full    bool // a passage did not fit: nothing more is written
}

// put writes s unless the output is full.
func (m *markdownWriter) put(s string) {
	if m.full {
		return
	}
	m.w.WriteString(s)
	m.written += len(s)
}

// fits reports whether s can still be written within MaxBytes, keeping
// room for the line that says what was left out.
func (m *markdownWriter) fits(s string) bool {
	const room = 100
	return !m.full && (m.max <= 0 || m.written+len(s)+room <= m.max)
}

func (m *markdownWriter) redline(r *Redline, context int) {
	show := r.shown(context)
	labels := markdownLabels(r)
	departures := r.departures()
	printed := "" // the label of the current passage
	m.chunk(departedNotes(r, departures[-1]), r, 0)
	for k := 0; k < len(r.Blocks); k++ {
		if !show[k] {
			n := 0
			for ; k < len(r.Blocks) && !show[k]; k++ {
				n++
			}
			k--
			noun := "blocks"
			if n == 1 {
				noun = "block"
			}
			m.chunk(fmt.Sprintf("\n*… %d unchanged %s …*\n", n, noun), r, k)
			printed = ""
			continue
		}
		var out strings.Builder
		bd := &r.Blocks[k]
		if bd.New == nil && bd.Op == Reparagraphed {
			// An old paragraph merged into the ones shown.
			if !m.chunk(departedNotes(r, departures[k]), r, k) {
				return
			}
			continue
		}
		if isHeading(bd) {
			printed = labels[k]
		} else if labels[k] != printed {
			if labels[k] != "" {
				out.WriteString("\n" + strings.Repeat("#", m.level) + " " + EscapeMarkdown(labels[k]) + "\n")
			}
			printed = labels[k]
		}
		end := k + 1
		if isTable(bd) {
			for end < len(r.Blocks) && show[end] && isTable(&r.Blocks[end]) {
				end++
			}
		}
		out.WriteString("\n")
		if isTable(bd) {
			m.table(&out, r, k, end, departures)
		} else {
			m.block(&out, bd, blockNote(r, k))
			out.WriteString(departedNotes(r, departures[k]))
		}
		if !m.chunk(out.String(), r, k) {
			return
		}
		k = end - 1
	}
}

// departedNotes says, on lines of their own, where the texts that stood at
// this place in the old version moved to.
func departedNotes(r *Redline, moves []int) string {
	var b strings.Builder
	for _, x := range moves {
		mv := r.Moves[x]
		b.WriteString("\n*" + EscapeMarkdown("(moved to "+place(mv.To, mv.ToLine)+")") + "*\n")
	}
	return b.String()
}

// chunk writes one passage of the redline (k is the index of its first
// block), or, when it does not fit within MaxBytes, the line saying how
// many changed blocks from k on are left out. It reports whether the
// passage was written.
func (m *markdownWriter) chunk(s string, r *Redline, k int) bool {
	if m.full {
		return false
	}
	if m.fits(s) {
		m.put(s)
		return true
	}
	n := 0
	for _, bd := range r.Blocks[k:] {
		if bd.Op != Same {
			n++
		}
	}
	if n > 0 {
		noun := "changed blocks"
		if n == 1 {
			noun = "changed block"
		}
		m.put(fmt.Sprintf("\n*… %d more %s left out: the redline is too long to show here.*\n", n, noun))
	}
	m.full = true
	return false
}

// markdownLabels names, for each block of the redline, the heading or
// clause it comes under in reading order, as readingLabels does, without
// anchors: "2 Breach notification", "§4.2", or "Preamble".
func markdownLabels(r *Redline) []string {
	labels := readingLabels(r)
	for k, l := range labels {
		bd := &r.Blocks[k]
		b := bd.New
		if b == nil {
			b = bd.Old
		}
		if b != nil && b.Anchor != "" {
			labels[k] = strings.TrimSuffix(l, " #"+b.Anchor)
		}
	}
	return labels
}

// block writes one block that is not a table row: a heading as a heading
// at the writer's level, a list item as a list item, a code block as
// <pre>, quoted blocks in a quote; lines of text are joined with <br>.
func (m *markdownWriter) block(out *strings.Builder, bd *BlockDiff, note string) {
	b := bd.New
	if b == nil {
		b = bd.Old
	}
	spans := bd.Spans
	if spans == nil {
		spans = []Span{{Op: wholeOp(bd.Op), Text: b.Text}}
	}
	quote := strings.Repeat("> ", b.Quote)
	if b.Kind == markdown.KindCode {
		out.WriteString(quote + "<pre>" + htmlSpans(spans, quote) + "</pre>")
		if note != "" {
			out.WriteString("\n" + quote + "\n" + quote + "*" + EscapeMarkdown(strings.Trim(note, "()")) + "*")
		}
		out.WriteString("\n")
		return
	}
	text := mdSpans(spans)
	if note != "" {
		text += " *" + EscapeMarkdown(note) + "*"
	}
	switch b.Kind {
	case markdown.KindHeading:
		out.WriteString(quote + strings.Repeat("#", m.level) + " " + text + "\n")
	case markdown.KindListItem:
		indent := strings.Repeat("  ", max(b.Level-1, 0))
		if b.Clause != "" {
			// An ordered item: its text starts with its number, as on
			// the page.
			out.WriteString(quote + indent + text + "\n")
		} else {
			out.WriteString(quote + indent + "- " + text + "\n")
		}
	default:
		out.WriteString(quote + text + "\n")
	}
}

// wholeOp is the span op that marks the whole text of a block with no
// spans: inserted, deleted or neither.
func wholeOp(op Op) SpanOp {
	switch op {
	case Inserted:
		return Insert
	case Deleted:
		return Delete
	}
	return Equal
}

// table writes blocks [start, end) of the redline, all table rows, as one
// GFM table. A table needs a header row: when the passage does not start
// with its table's header, the header is looked up before it and written
// as it is in the new version (or the old, for a deleted table). The
// header has as many cells as the widest row, so that no cell is dropped.
func (m *markdownWriter) table(out *strings.Builder, r *Redline, start, end int, departures map[int][]int) {
	var rows [][]string
	var quote string
	for k := start; k < end; k++ {
		bd := &r.Blocks[k]
		b := bd.New
		if b == nil {
			b = bd.Old
		}
		quote = strings.Repeat("> ", b.Quote)
		var cells []string
		switch {
		case bd.Cells != nil:
			for _, spans := range bd.Cells {
				cells = append(cells, mdSpans(spans))
			}
		default:
			for _, c := range b.Cells {
				cells = append(cells, mdSpans([]Span{{Op: wholeOp(bd.Op), Text: c}}))
			}
		}
		if note := blockNote(r, k); note != "" && len(cells) > 0 {
			cells[len(cells)-1] += " *" + EscapeMarkdown(note) + "*"
		}
		// Rows that moved away from here: noted in the row they followed,
		// so as not to break the table.
		for _, x := range departures[k] {
			if mv := r.Moves[x]; len(cells) > 0 {
				cells[len(cells)-1] += " *" + EscapeMarkdown("(moved to "+place(mv.To, mv.ToLine)+")") + "*"
			}
		}
		rows = append(rows, cells)
	}
	first := &r.Blocks[start]
	if b := blockOf(first); b.Kind != markdown.KindTableHeader {
		var header []string
		for k := start - 1; k >= 0 && isTable(&r.Blocks[k]); k-- {
			if hb := blockOf(&r.Blocks[k]); hb.Kind == markdown.KindTableHeader {
				for _, c := range hb.Cells {
					header = append(header, EscapeMarkdown(c))
				}
				break
			}
		}
		rows = append([][]string{header}, rows...)
	}
	width := 1
	for _, row := range rows {
		width = max(width, len(row))
	}
	for i, row := range rows {
		for len(row) < width {
			row = append(row, "")
		}
		out.WriteString(quote + "| " + strings.Join(row, " | ") + " |\n")
		if i == 0 {
			out.WriteString(quote + strings.Repeat("| --- ", width) + "|\n")
		}
	}
}

func blockOf(bd *BlockDiff) *markdown.Block {
	if bd.New != nil {
		return bd.New
	}
	return bd.Old
}

// mdSpans renders spans as markdown inline text, changes in <ins> and
// <del>. Whitespace at the edges of a change stays outside its tags, and
// line breaks become <br>; tags close at the end of each line and reopen
// on the next, as WriteText's markers do.
func mdSpans(spans []Span) string {
	var b strings.Builder
	for x := 0; x < len(spans); x++ {
		s := spans[x]
		if s.Renumbered {
			// A renumbered clause number, shown quietly: "⟨5→6⟩".
			from, to, next := renumberedRun(spans, x)
			b.WriteString(EscapeMarkdown("⟨" + from + "→" + to + "⟩"))
			x = next - 1
			continue
		}
		for k, line := range strings.Split(s.Text, "\n") {
			if k > 0 {
				b.WriteString("<br>")
			}
			if s.Op == Equal {
				b.WriteString(EscapeMarkdown(line))
				continue
			}
			core := strings.TrimLeft(line, " \t")
			trimmed := strings.TrimRight(core, " \t")
			b.WriteString(EscapeMarkdown(line[:len(line)-len(core)]))
			if trimmed != "" {
				tag := "ins"
				if s.Op == Delete {
					tag = "del"
				}
				b.WriteString("<" + tag + ">" + EscapeMarkdown(trimmed) + "</" + tag + ">")
			}
			b.WriteString(EscapeMarkdown(core[len(trimmed):]))
		}
	}
	return b.String()
}

// htmlSpans renders the spans of a code block as the content of a <pre>
// element: HTML-escaped text, changes in <ins> and <del>, line breaks
// kept (followed by quote inside a block quote). Markdown is not read
// inside <pre>, but a blank line would end it, so blank lines hold a
// character reference.
func htmlSpans(spans []Span, quote string) string {
	var b strings.Builder
	for _, s := range spans {
		text := html.EscapeString(s.Text)
		switch s.Op {
		case Insert:
			text = "<ins>" + text + "</ins>"
		case Delete:
			text = "<del>" + text + "</del>"
		}
		b.WriteString(text)
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			lines[i] = "&#32;"
		}
	}
	return strings.Join(lines, "\n"+quote)
}

// wordJoiner (U+2060) is invisible and joins nothing: EscapeMarkdown puts
// it where GitHub would otherwise find a mention, an autolink or an issue
// reference in plain text.
const wordJoiner = "\u2060"

// EscapeMarkdown escapes text so that GitHub-flavoured markdown shows it
// as it is, on one line, wherever inline text may stand (a paragraph, a
// heading, a list item, a table cell, inside <ins>), including at the
// start of a line:
//
//   - the characters that open markup anywhere are backslash-escaped:
//     \ ` * _ ~ $ [ ] < > & # |, so no emphasis, code span, math, link,
//     image, footnote, raw HTML, character reference or cell boundary
//     starts in the text;
//   - so are those that open a block at the start of a line: - + = at the
//     start of s, and the "." or ")" after digits there ("1.");
//   - a word joiner (U+2060, invisible) goes after "@", inside "://" and
//     "www." and between "#" and a digit, where GitHub would find a
//     mention or e-mail address, a link or an issue reference in plain
//     text;
//   - line breaks and tabs become spaces, other control characters are
//     dropped, and invalid UTF-8 becomes U+FFFD.
//
// Other punctuation is left alone, so the markdown stays readable.
func EscapeMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	digits := 0 // leading digits of s
	for digits < len(s) && '0' <= s[digits] && s[digits] <= '9' {
		digits++
	}
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\n' || r == '\r' || r == '\t' || r == '\f' || r == '\v':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			// Other control characters show nothing: drop them.
		case r == '@':
			b.WriteString("@" + wordJoiner)
		case r == ':' && strings.HasPrefix(s[i+1:], "//"):
			b.WriteString(":" + wordJoiner)
		case r == '#' && i+1 < len(s) && '0' <= s[i+1] && s[i+1] <= '9':
			b.WriteString(`\#` + wordJoiner)
		case (r == 'w' || r == 'W') && len(s) >= i+4 && strings.EqualFold(s[i:i+4], "www."):
			b.WriteString(s[i:i+3] + wordJoiner + ".")
			w = 4
		case r < 0x80 && strings.IndexByte("\\`*_~$[]<>&#|", byte(r)) >= 0,
			i == 0 && (r == '-' || r == '+' || r == '='),
			i == digits && digits > 0 && (r == '.' || r == ')'):
			b.WriteByte('\\')
			b.WriteByte(byte(r))
		default:
			b.WriteString(s[i : i+size])
		}
	}
	return b.String()
}

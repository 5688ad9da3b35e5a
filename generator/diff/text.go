package diff

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/clause-portal/clause/generator/markdown"
)

// TextOptions configures WriteText.
type TextOptions struct {
	// Color marks changes with ANSI colours (deleted text red and struck
	// through, inserted text green) instead of [-…-] and {+…+} markers.
	Color bool
	// Context is the number of unchanged blocks shown before and after each
	// change; the others are collapsed into one line. 0 means the default,
	// 1; a negative value shows no unchanged blocks.
	Context int
}

// ANSI escapes used with TextOptions.Color.
const (
	ansiReset  = "\x1b[0m"
	ansiDelete = "\x1b[31;9m" // red, struck through
	ansiInsert = "\x1b[32m"   // green
	ansiLabel  = "\x1b[36m"   // cyan
	ansiFaint  = "\x1b[2m"
)

// WriteText writes a redline for a terminal, like git diff --word-diff: a
// summary line, then each changed block in a markdown-like form with a
// gutter mark (' ' same, '~' changed, '+' inserted, '-' deleted, '>'
// moved, '=' renumbered, '¶' re-paragraphed), under a "@@ clause @@" label
// naming the heading it belongs to (or in a document without headings its
// clause number). A renumbered clause number reads "⟨5→6⟩". A moved text
// says where it came from, and a line "< moved to …" stands where it
// left. Unchanged blocks beyond the context are collapsed into
// "… N unchanged blocks …".
func WriteText(w io.Writer, r *Redline, opts TextOptions) error {
	bw := bufio.NewWriter(w)
	t := textWriter{w: bw, color: opts.Color}
	fmt.Fprintln(bw, r.Summary())
	if !r.Identical() {
		context := opts.Context
		if context == 0 {
			context = 1
		}
		t.redline(r, max(context, 0))
	}
	return bw.Flush()
}

type textWriter struct {
	w     *bufio.Writer
	color bool
}

func (t *textWriter) redline(r *Redline, context int) {
	show := r.shown(context)
	labels := readingLabels(r)
	printed := "" // the label of the current hunk
	departures := r.departures()
	t.departed(r, departures[-1])
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
			t.faint(fmt.Sprintf("… %d unchanged %s …", n, noun))
			printed = ""
			continue
		}
		bd := &r.Blocks[k]
		if bd.New == nil && bd.Op == Reparagraphed {
			// An old paragraph merged into the ones shown.
			t.departed(r, departures[k])
			continue
		}
		if isHeading(bd) {
			if printed == "" {
				t.w.WriteString("\n")
			}
			printed = labels[k]
		} else if labels[k] != printed {
			if labels[k] != "" {
				t.label(labels[k])
			}
			printed = labels[k]
		}
		t.block(bd, blockNote(r, k))
		t.departed(r, departures[k])
	}
}

// blockNote is the note after a block: where a moved text came from (on
// the first block of a move), or how a run of paragraphs was divided
// before.
func blockNote(r *Redline, k int) string {
	bd := &r.Blocks[k]
	switch {
	case bd.Move > 0 && r.Moves[bd.Move-1].First == k:
		m := r.Moves[bd.Move-1]
		return "(moved from " + place(m.From, m.FromLine) + ")"
	case bd.Group > 0 && (k == 0 || r.Blocks[k-1].Group != bd.Group):
		olds, news := 0, 0
		for x := k; x < len(r.Blocks) && r.Blocks[x].Group == bd.Group; x++ {
			if r.Blocks[x].Old != nil {
				olds++
			}
			if r.Blocks[x].New != nil {
				news++
			}
		}
		return "(re-paragraphed: " + strconv.Itoa(olds) + " " + plural(olds, "paragraph") + " → " + strconv.Itoa(news) + ")"
	}
	return ""
}

func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

// departures lists, by index in r.Blocks, the moves whose text stood after
// that block in the old version; -1 for the start.
func (r *Redline) departures() map[int][]int {
	d := map[int][]int{}
	for x, m := range r.Moves {
		d[m.After] = append(d[m.After], x)
	}
	return d
}

// departed writes the "moved to" lines of moves.
func (t *textWriter) departed(r *Redline, moves []int) {
	for _, x := range moves {
		m := r.Moves[x]
		t.w.WriteString("< ")
		t.paint(ansiLabel, "(moved to "+place(m.To, m.ToLine)+")")
		t.w.WriteString("\n")
	}
}

// shown tells which blocks a redline shows: the changed ones, and
// unchanged ones within context blocks of a change.
func (r *Redline) shown(context int) []bool {
	show := make([]bool, len(r.Blocks))
	mark := func(k int) {
		for x := max(0, k-context); x <= min(len(r.Blocks)-1, k+context); x++ {
			show[x] = true
		}
	}
	for k, bd := range r.Blocks {
		if bd.Op != Same {
			mark(k)
		}
	}
	// Where a moved text left is a change too.
	for _, m := range r.Moves {
		if m.After >= 0 {
			mark(m.After)
		}
	}
	return show
}

func isHeading(bd *BlockDiff) bool {
	b := bd.New
	if b == nil {
		b = bd.Old
	}
	return b.Kind == markdown.KindHeading
}

// readingLabels names, for each block of the redline, the heading it comes
// under in reading order: "text #anchor", or "Preamble" before the first.
// In a document without headings it names the clause number
// ("§2.2 #clause-2-2"), "Preamble" before the first clause, or nothing.
func readingLabels(r *Redline) []string {
	labels := make([]string, len(r.Blocks))
	headings, clauses := false, false
	for k := range r.Blocks {
		b := r.Blocks[k].New
		if b == nil {
			b = r.Blocks[k].Old
		}
		headings = headings || b.Kind == markdown.KindHeading
		clauses = clauses || b.Number != ""
	}
	cur := ""
	if headings || clauses {
		cur = "Preamble"
	}
	for k := range r.Blocks {
		bd := &r.Blocks[k]
		b := bd.New
		text := bd.NewText()
		if b == nil {
			b, text = bd.Old, bd.OldText()
		}
		switch {
		case isHeading(bd):
			cur = headingLabel(text, b.Anchor)
		case !headings && b.Number != "":
			cur = headingLabel("§"+b.Number, b.Anchor)
		}
		labels[k] = cur
	}
	return labels
}

func headingLabel(text, anchor string) string {
	if anchor == "" {
		return text
	}
	return text + " #" + anchor
}

func (t *textWriter) label(l string) {
	t.w.WriteString("\n")
	t.paint(ansiLabel, "@@ "+l+" @@")
	t.w.WriteString("\n")
}

func (t *textWriter) faint(s string) {
	t.paint(ansiFaint, s)
	t.w.WriteString("\n")
}

func (t *textWriter) paint(code, s string) {
	if t.color {
		t.w.WriteString(code + s + ansiReset)
	} else {
		t.w.WriteString(s)
	}
}

var gutters = map[Op]string{Same: " ", Changed: "~", Inserted: "+", Deleted: "-", Moved: ">", Renumbered: "=", Reparagraphed: "¶"}

// block writes one block: its markdown-like prefix, then its text with
// changes marked, one output line per line of text, and a note after the
// first line.
func (t *textWriter) block(bd *BlockDiff, note string) {
	b := bd.New
	if b == nil {
		b = bd.Old
	}
	var lines []string
	switch {
	case bd.Cells != nil:
		cells := make([]string, len(bd.Cells))
		for k, spans := range bd.Cells {
			cells[k] = t.spans(spans)
		}
		lines = []string{"| " + strings.Join(cells, " | ") + " |"}
	case bd.Spans != nil:
		lines = strings.Split(t.spans(bd.Spans), "\n")
	default:
		op := Equal
		switch bd.Op {
		case Inserted:
			op = Insert
		case Deleted:
			op = Delete
		}
		text := b.Text
		if b.Cells != nil {
			text = "| " + strings.Join(b.Cells, " | ") + " |"
		}
		lines = strings.Split(t.spans([]Span{{Op: op, Text: text}}), "\n")
	}
	prefix, more := blockPrefix(b)
	for k, line := range lines {
		p := prefix
		if k > 0 {
			p = more
		}
		t.w.WriteString(gutters[bd.Op] + " " + p + line)
		if k == 0 && note != "" {
			t.w.WriteString("  ")
			t.paint(ansiLabel, note)
		}
		t.w.WriteString("\n")
	}
}

// blockPrefix returns the markdown-like prefix of a block's first line and
// of its further lines.
func blockPrefix(b *markdown.Block) (first, more string) {
	quote := strings.Repeat("> ", b.Quote)
	indent := strings.Repeat("  ", max(b.Level-1, 0))
	switch b.Kind {
	case markdown.KindHeading:
		return quote + strings.Repeat("#", b.Level) + " ", quote
	case markdown.KindListItem:
		if b.Clause != "" {
			// An ordered list's item: its text opens with its number.
			return quote + indent, quote + indent + "   "
		}
		return quote + indent + "- ", quote + indent + "  "
	case markdown.KindCode:
		if b.Level > 0 {
			indent += "  "
		}
		return quote + indent + "    ", quote + indent + "    "
	case markdown.KindTableHeader, markdown.KindTableRow:
		return quote, quote
	}
	if b.Level > 0 {
		indent += "  "
	}
	return quote + indent, quote + indent
}

// spans renders spans with changes marked. Markers and colours close at
// the end of each line and reopen on the next, and whitespace at the edges
// of a change stays outside its markers.
// renumberedRun returns the old and new text of the run of renumbered
// spans that starts at spans[k] (a clause number that changed: "5", "6"),
// and the index after it.
func renumberedRun(spans []Span, k int) (from, to string, next int) {
	for ; k < len(spans) && spans[k].Renumbered; k++ {
		if spans[k].Op == Delete {
			from += spans[k].Text
		} else {
			to += spans[k].Text
		}
	}
	return from, to, k
}

func (t *textWriter) spans(spans []Span) string {
	var b strings.Builder
	for k := 0; k < len(spans); k++ {
		s := spans[k]
		if s.Renumbered {
			// A renumbered clause number: "⟨5→6⟩", faint in colour.
			from, to, next := renumberedRun(spans, k)
			k = next - 1
			if t.color {
				b.WriteString(ansiFaint + from + "→" + to + ansiReset)
			} else {
				b.WriteString("⟨" + from + "→" + to + "⟩")
			}
			continue
		}
		for k, line := range strings.Split(s.Text, "\n") {
			if k > 0 {
				b.WriteByte('\n')
			}
			if s.Op == Equal {
				b.WriteString(line)
				continue
			}
			core := strings.TrimLeft(line, " \t")
			b.WriteString(line[:len(line)-len(core)])
			trimmed := strings.TrimRight(core, " \t")
			if trimmed != "" {
				b.WriteString(t.mark(s.Op, trimmed))
			}
			b.WriteString(core[len(trimmed):])
		}
	}
	return b.String()
}

func (t *textWriter) mark(op SpanOp, s string) string {
	switch {
	case t.color && op == Delete:
		return ansiDelete + s + ansiReset
	case t.color:
		return ansiInsert + s + ansiReset
	case op == Delete:
		return "[-" + s + "-]"
	}
	return "{+" + s + "+}"
}

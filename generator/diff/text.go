package diff

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
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
// moved), under a "@@ clause @@" label naming the heading it belongs to.
// Unchanged blocks beyond the context are collapsed into
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
	oldLabels := oldLabels(r)
	printed := "" // the label of the current hunk
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
		if isHeading(bd) {
			if printed == "" {
				t.w.WriteString("\n")
			}
			printed = labels[k]
		} else if labels[k] != printed {
			t.label(labels[k])
			printed = labels[k]
		}
		// A moved block says where from, unless it continues a run of
		// blocks moved together.
		note := ""
		if bd.Op == Moved && (k == 0 || r.Blocks[k-1].Op != Moved || r.Blocks[k-1].OldIndex != bd.OldIndex-1) {
			note = "(moved from " + oldLabels[bd.OldIndex] + ", line " + strconv.Itoa(bd.Old.Line) + ")"
		}
		t.block(bd, note)
	}
}

// shown tells which blocks a redline shows: the changed ones, and
// unchanged ones within context blocks of a change.
func (r *Redline) shown(context int) []bool {
	show := make([]bool, len(r.Blocks))
	for k, bd := range r.Blocks {
		if bd.Op == Same {
			continue
		}
		for x := max(0, k-context); x <= min(len(r.Blocks)-1, k+context); x++ {
			show[x] = true
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
// under in reading order: "text #anchor", or "Preamble".
func readingLabels(r *Redline) []string {
	labels := make([]string, len(r.Blocks))
	cur := "Preamble"
	for k := range r.Blocks {
		bd := &r.Blocks[k]
		if isHeading(bd) {
			b := bd.New
			text := bd.NewText()
			if b == nil {
				b, text = bd.Old, bd.OldText()
			}
			cur = headingLabel(text, b.Anchor)
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

// oldLabels names, by old index, the heading each old block came under.
func oldLabels(r *Redline) map[int]string {
	var olds []*BlockDiff
	for k := range r.Blocks {
		if r.Blocks[k].Old != nil {
			olds = append(olds, &r.Blocks[k])
		}
	}
	slices.SortFunc(olds, func(a, b *BlockDiff) int { return cmp.Compare(a.OldIndex, b.OldIndex) })
	labels := map[int]string{}
	cur := "Preamble"
	for _, bd := range olds {
		if bd.Old.Kind == markdown.KindHeading {
			cur = headingLabel(bd.OldText(), bd.Old.Anchor)
		}
		if bd.Op == Moved {
			labels[bd.OldIndex] = cur
		}
	}
	return labels
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

var gutters = map[Op]string{Same: " ", Changed: "~", Inserted: "+", Deleted: "-", Moved: ">"}

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
		lines = strings.Split(t.spans([]Span{{op, text}}), "\n")
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
func (t *textWriter) spans(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
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

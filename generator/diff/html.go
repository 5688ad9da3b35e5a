package diff

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/clause-portal/clause/generator/markdown"
)

// HTMLOptions configures WriteHTML.
type HTMLOptions struct {
	// Context is the number of unchanged blocks shown before and after each
	// change; longer runs of unchanged blocks are collapsed into a
	// <details> element. 0 means the default, 1.
	Context int
	// LinkBase, if set, is the URL of the new version's page: each changed
	// clause's label links to LinkBase#anchor.
	LinkBase string
	// Omit leaves the text of collapsed unchanged runs out, naming only how
	// many blocks they hold (with a link to LinkBase when set): for the many
	// precomputed comparisons between any two versions, whose unchanged
	// text would otherwise repeat the whole document on every page.
	Omit bool
	// Words are the redline's own words ("3 unchanged blocks", "Moved
	// from"…) in the reader's language; nil is English.
	Words *Words
	// IDPrefix is put before every id the redline gives its elements
	// (headings, moves) and every link to them, so that a page can hold
	// the redline beside the text it compares, or beside another redline.
	IDPrefix string
	// Level is the level of the heading the redline stands under: its
	// highest headings are one level below. 0 means 1, the page's title.
	Level int
}

// WriteHTML writes a redline as semantic HTML: inserted text in <ins>,
// removed text in <del>, each block as the element it is (headings,
// paragraphs, list items, table rows; an ordered list's item with its
// number, class rl-ol), unchanged runs collapsed in <details>. A clause
// number changed by a renumbering is a <span class="renumbered"> holding
// the old number in <del> and the new in <ins>, to be drawn quietly. A
// moved text carries a note "Moved from …" linking to a marker
// <p class="rl-departed"> where it left, which links back ("Moved to …"):
// the anchors are Move.ID and Move.ID+"-from". Re-paragraphed blocks have
// the class rl-reparagraphed. All text is escaped; the markup uses classes
// only (no inline styles), so it works under a strict
// Content-Security-Policy.
func WriteHTML(w io.Writer, r *Redline, opts HTMLOptions) error {
	bw := bufio.NewWriter(w)
	h := htmlWriter{w: bw, linkBase: opts.LinkBase, top: topHeading(r), words: opts.Words, prefix: html.EscapeString(opts.IDPrefix), base: max(opts.Level, 1)}
	context := opts.Context
	if context == 0 {
		context = 1
	}
	show := r.shown(context)
	labels := readingLabels(r)
	departures := r.departures()
	bw.WriteString(`<div class="redline">` + "\n")
	h.departed(r, departures[-1])
	lastLabel := ""
	for k := 0; k < len(r.Blocks); k++ {
		if !show[k] {
			start := k
			for ; k < len(r.Blocks) && !show[k]; k++ {
			}
			n := k - start
			k--
			if opts.Omit {
				fmt.Fprintf(bw, `<p class="rl-unchanged rl-omitted">%s`, html.EscapeString(h.words.unchanged(n)))
				if opts.LinkBase != "" {
					fmt.Fprintf(bw, ` (<a href="%s">%s</a>)`, html.EscapeString(opts.LinkBase), html.EscapeString(h.words.readInFull()))
				}
				bw.WriteString("</p>\n")
			} else {
				h.fold(r.Blocks[start : k+1])
			}
			lastLabel = ""
			continue
		}
		bd := &r.Blocks[k]
		if bd.Op != Same && !isHeading(bd) && labels[k] != lastLabel && labels[k] != "" {
			h.label(labels[k], anchorOf(r, k))
		}
		lastLabel = labels[k]
		end := k + 1
		if isTable(bd) {
			for end < len(r.Blocks) && show[end] && isTable(&r.Blocks[end]) {
				end++
			}
		}
		notes := map[int]string{}
		arrivals := map[int]*Move{}
		for x := k; x < end; x++ {
			if note := h.blockNote(r, x); note != "" {
				notes[x-k] = note
			}
			if bd := &r.Blocks[x]; bd.Move > 0 && r.Moves[bd.Move-1].First == x {
				arrivals[x-k] = &r.Moves[bd.Move-1]
			}
		}
		h.run(r.Blocks[k:end], notes, arrivals)
		for x := k; x < end; x++ {
			h.departed(r, departures[x])
		}
		k = end - 1
	}
	bw.WriteString("</div>\n")
	return bw.Flush()
}

func isTable(bd *BlockDiff) bool {
	b := bd.New
	if b == nil {
		b = bd.Old
	}
	return b.Kind == markdown.KindTableHeader || b.Kind == markdown.KindTableRow
}

// anchorOf returns the clause anchor of block k.
func anchorOf(r *Redline, k int) string {
	b := r.Blocks[k].New
	if b == nil {
		b = r.Blocks[k].Old
	}
	return b.Anchor
}

type htmlWriter struct {
	w        *bufio.Writer
	linkBase string
	// top is the level of the highest heading in either version. level
	// is the lowest level the heading before the next one can have: the
	// last heading shown (the page's own title, h1, before the first), or
	// the last heading of a folded run after it, which may be open or
	// closed. folded is set while a folded run is written, and runLast is
	// the last heading written in it.
	top, level int
	folded     bool
	runLast    int
	tables     int    // tables written, to name their scroll regions
	prefix     string // HTMLOptions.IDPrefix, escaped
	base       int    // HTMLOptions.Level, at least 1
	words      *Words
}

// blockNote is the note of block k (blockNote's, in the reader's words,
// without parentheses and capitalised): a re-paragraphed run's counts; a
// move's note is written by note from the move itself.
func (h *htmlWriter) blockNote(r *Redline, k int) string {
	bd := &r.Blocks[k]
	note := blockNote(r, k)
	if note == "" {
		return ""
	}
	if bd.Group > 0 && !(bd.Move > 0 && r.Moves[bd.Move-1].First == k) {
		olds, news := 0, 0
		for x := k; x < len(r.Blocks) && r.Blocks[x].Group == bd.Group; x++ {
			if r.Blocks[x].Old != nil {
				olds++
			}
			if r.Blocks[x].New != nil {
				news++
			}
		}
		return h.words.reparagraphed(olds, news)
	}
	note = strings.TrimSuffix(strings.TrimPrefix(note, "("), ")")
	return strings.ToUpper(note[:1]) + note[1:]
}

// headingLevel is the element level of a document heading of level lvl in
// the redline: the document's highest headings are h2 (the page's h1 is
// the comparison's title), and no heading is more than one level below
// the heading before it, whether the folded runs between them are open or
// closed: folded runs leave out the headings that led to it (an h4
// straight after the h1 is a skipped level to a screen reader).
func (h *htmlWriter) headingLevel(lvl int) int {
	before := h.level
	if h.folded && h.runLast > 0 {
		before = h.runLast
	}
	l := min(max(lvl-h.top+h.base+1, h.base+1), 6, max(before, h.base)+1)
	if h.folded {
		h.runLast = l
	} else {
		h.level = l
	}
	return l
}

// fold writes a run of unchanged blocks folded in a <details>.
func (h *htmlWriter) fold(blocks []BlockDiff) {
	n := len(blocks)
	fmt.Fprintf(h.w, `<details class="rl-unchanged"><summary>%s</summary>`+"\n", html.EscapeString(h.words.unchanged(n)))
	h.folded, h.runLast = true, 0
	h.run(blocks, nil, nil)
	if h.runLast > 0 {
		h.level = min(h.level, h.runLast)
	}
	h.folded = false
	h.w.WriteString("</details>\n")
}

// topHeading is the level of the highest heading in the redline's
// blocks, old and new; 1 when there is none.
func topHeading(r *Redline) int {
	top := 0
	for _, bd := range r.Blocks {
		for _, b := range []*markdown.Block{bd.Old, bd.New} {
			if b != nil && b.Kind == markdown.KindHeading && (top == 0 || b.Level < top) {
				top = b.Level
			}
		}
	}
	return max(top, 1)
}

func (h *htmlWriter) label(l, anchor string) {
	text := l
	if i := strings.LastIndex(l, " #"); i >= 0 {
		text = l[:i]
	}
	if h.linkBase != "" && anchor != "" {
		fmt.Fprintf(h.w, `<p class="rl-label"><a href="%s#%s">%s</a></p>`+"\n", html.EscapeString(h.linkBase), html.EscapeString(anchor), html.EscapeString(text))
		return
	}
	fmt.Fprintf(h.w, `<p class="rl-label">%s</p>`+"\n", html.EscapeString(text))
}

// departed writes the markers where moved texts left.
func (h *htmlWriter) departed(r *Redline, moves []int) {
	for _, x := range moves {
		m := r.Moves[x]
		fmt.Fprintf(h.w, `<p class="rl-departed" id="%s%s-from"><a href="#%s%s">%s %s</a></p>`+"\n",
			h.prefix, html.EscapeString(m.ID), h.prefix, html.EscapeString(m.ID), html.EscapeString(h.words.movedTo()), escapeLines(h.words.place(m.To, m.ToLine)))
	}
}

// run writes consecutive blocks; table blocks are gathered into one table.
// A block's note is a link to where it left when the block opens a move.
func (h *htmlWriter) run(blocks []BlockDiff, notes map[int]string, arrivals map[int]*Move) {
	inTable := false
	for x := range blocks {
		bd := &blocks[x]
		if bd.New == nil && bd.Op == Reparagraphed {
			continue // merged into the paragraphs shown
		}
		if isTable(bd) != inTable {
			if inTable {
				h.w.WriteString("</tbody></table></div>\n")
			} else {
				// A wide table scrolls in its own region, not the page.
				h.tables++
				fmt.Fprintf(h.w, `<div class="table-scroll" role="region" tabindex="0" aria-label="%s"><table class="rl-table"><tbody>`+"\n", html.EscapeString(h.words.table(h.tables)))
			}
			inTable = !inTable
		}
		h.block(bd, notes[x], arrivals[x])
	}
	if inTable {
		h.w.WriteString("</tbody></table></div>\n")
	}
}

var opClass = map[Op]string{Same: "rl-same", Changed: "rl-changed", Inserted: "rl-inserted", Deleted: "rl-deleted", Moved: "rl-moved", Renumbered: "rl-renumbered", Reparagraphed: "rl-reparagraphed"}

// note writes a block's note; a move's links to where the text left.
func (h *htmlWriter) note(note string, m *Move, cell bool) {
	tag := "span"
	if cell {
		tag = "td"
	}
	if m == nil {
		fmt.Fprintf(h.w, `<%s class="rl-note">%s</%s>`, tag, escapeLines(note), tag)
		return
	}
	fmt.Fprintf(h.w, `<%s class="rl-note" id="%s%s">%s <a href="#%s%s-from">%s</a></%s>`,
		tag, h.prefix, html.EscapeString(m.ID), html.EscapeString(h.words.movedFrom()), h.prefix, html.EscapeString(m.ID), escapeLines(h.words.place(m.From, m.FromLine)), tag)
}

func (h *htmlWriter) block(bd *BlockDiff, note string, m *Move) {
	b := bd.New
	if b == nil {
		b = bd.Old
	}
	class := opClass[bd.Op]
	if b.Quote > 0 {
		class += " rl-quote"
	}
	if isTable(bd) {
		cell := "td"
		if b.Kind == markdown.KindTableHeader {
			cell = "th"
		}
		fmt.Fprintf(h.w, `<tr class="%s">`, class)
		switch {
		case bd.Cells != nil:
			for c, spans := range bd.Cells {
				cls := ""
				if c < len(bd.Columns) && bd.Columns[c] != Same {
					cls = ` class="` + opClass[bd.Columns[c]] + `"`
				}
				fmt.Fprintf(h.w, "<%s%s>%s</%s>", cell, cls, h.spans(spans), cell)
			}
		default:
			for _, c := range b.Cells {
				fmt.Fprintf(h.w, "<%s>%s</%s>", cell, h.whole(bd.Op, c), cell)
			}
		}
		if note != "" {
			h.note(note, m, true)
		}
		h.w.WriteString("</tr>\n")
		return
	}
	var body string
	if bd.Spans != nil {
		body = h.spans(bd.Spans)
	} else {
		body = h.whole(bd.Op, b.Text)
	}
	open, closeTag := "p", "p"
	switch b.Kind {
	case markdown.KindHeading:
		lvl := strconv.Itoa(h.headingLevel(b.Level))
		open, closeTag = "h"+lvl, "h"+lvl
		if b.Anchor != "" && bd.Op != Deleted {
			open += ` id="` + h.prefix + html.EscapeString(b.Anchor) + `"`
		}
	case markdown.KindCode:
		open, closeTag = "pre", "pre"
		body = "<code>" + body + "</code>"
	case markdown.KindListItem:
		class += " rl-li rl-depth-" + strconv.Itoa(min(b.Level, 6))
		if b.Clause != "" {
			class += " rl-ol" // numbered: its text opens with its number
		}
	default:
		if b.Level > 0 {
			class += " rl-depth-" + strconv.Itoa(min(b.Level, 6))
		}
	}
	fmt.Fprintf(h.w, `<%s class="%s">%s`, open, class, body)
	if note != "" {
		h.w.WriteString(" ")
		h.note(note, m, false)
	}
	fmt.Fprintf(h.w, "</%s>\n", closeTag)
}

// whole marks a block's entire text as inserted or deleted by its op.
func (h *htmlWriter) whole(op Op, text string) string {
	switch op {
	case Inserted:
		return "<ins>" + escapeLines(text) + "</ins>"
	case Deleted:
		return "<del>" + escapeLines(text) + "</del>"
	}
	return escapeLines(text)
}

func (h *htmlWriter) spans(spans []Span) string {
	var b strings.Builder
	for k := 0; k < len(spans); k++ {
		s := spans[k]
		if s.Renumbered {
			b.WriteString(`<span class="renumbered">`)
			for ; k < len(spans) && spans[k].Renumbered; k++ {
				if spans[k].Op == Delete {
					b.WriteString("<del>" + escapeLines(spans[k].Text) + "</del>")
				} else {
					b.WriteString("<ins>" + escapeLines(spans[k].Text) + "</ins>")
				}
			}
			k--
			b.WriteString("</span>")
			continue
		}
		switch s.Op {
		case Insert:
			b.WriteString("<ins>" + escapeLines(s.Text) + "</ins>")
		case Delete:
			b.WriteString("<del>" + escapeLines(s.Text) + "</del>")
		default:
			b.WriteString(escapeLines(s.Text))
		}
	}
	return b.String()
}

// escapeLines escapes text for HTML; "{{" is written as character
// references so no template engine downstream reads it.
func escapeLines(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), "{{", "&#123;&#123;")
}

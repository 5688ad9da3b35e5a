// Package diff computes the redline between two versions of a legal
// document: which blocks (clauses, list items, table rows) were inserted,
// deleted, moved or changed, and within a changed block which words.
//
// It compares the normalized text of markdown.Blocks, never markdown
// source, so re-wrapping a paragraph or changing emphasis is no change.
// Blocks are aligned first, so an inserted clause does not mark the rest of
// the document as changed; blocks that reappear elsewhere are moved, not
// deleted and inserted, and marked where they left and where they arrived.
// Clause numbers are text, but a renumbering (clauses 5–14 renumbered to
// 6–15 after an inserted clause) is named as one, and a paragraph split or
// merged with no word changed is no textual change. The sequence alignments (blocks, then words within a
// block) use github.com/sergi/go-diff's Myers diff with a time limit, so the
// work for any pair of documents is bounded.
package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/clause-portal/clause/generator/markdown"
)

// Op says what happened to a block between the old and the new version.
type Op int

const (
	// Same is a block whose text did not change.
	Same Op = iota
	// Inserted is a block only in the new version.
	Inserted
	// Deleted is a block only in the old version.
	Deleted
	// Changed is a block whose text changed in place; its spans show how.
	Changed
	// Moved is a block that appears at another position in the new version,
	// possibly with edits (then its spans show them).
	Moved
	// Renumbered is a block whose only change is its clause number, shifted
	// with the numbers around it (a clause inserted, removed or moved
	// before it). Its spans mark the number change as Renumbered.
	Renumbered
	// Reparagraphed is a block of a run of paragraphs divided differently
	// in the two versions: split or merged, the words kept, or nearly (see
	// BlockDiff.Group).
	Reparagraphed
)

var opNames = [...]string{"same", "inserted", "deleted", "changed", "moved", "renumbered", "reparagraphed"}

// String returns the op's lower-case name, e.g. "inserted".
func (o Op) String() string {
	if o >= 0 && int(o) < len(opNames) {
		return opNames[o]
	}
	return "op(" + strconv.Itoa(int(o)) + ")"
}

// MarshalText encodes the op as its String, for JSON.
func (o Op) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// SpanOp says whether a run of words is in both versions or in one only.
type SpanOp int

const (
	// Equal is text in both versions.
	Equal SpanOp = iota
	// Insert is text only in the new version.
	Insert
	// Delete is text only in the old version.
	Delete
)

var spanOpNames = [...]string{"equal", "insert", "delete"}

// String returns the span op's lower-case name, e.g. "insert".
func (o SpanOp) String() string {
	if o >= 0 && int(o) < len(spanOpNames) {
		return spanOpNames[o]
	}
	return "span_op(" + strconv.Itoa(int(o)) + ")"
}

// MarshalText encodes the span op as its String, for JSON.
func (o SpanOp) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Span is a run of text of a changed block. The Equal and Delete spans of a
// block, concatenated, are its old text; the Equal and Insert spans its new
// text. Whitespace stays in the spans: a run of changed words separated only
// by spaces is one Delete span followed by one Insert span, and whitespace
// common to both ends of such a change is left in the Equal spans around it.
type Span struct {
	// Op says which version the text is in.
	Op SpanOp
	// Text is the text of the run.
	Text string
	// Renumbered marks the Delete and Insert spans of a clause number that
	// changed with a renumbering (see Renumbering): a writer shows them
	// quietly, as no change of wording.
	Renumbered bool
}

// BlockDiff is one block of a redline.
type BlockDiff struct {
	// Op says what happened to the block.
	Op Op
	// Old is the block in the old version (nil when Inserted), and New the
	// block in the new version (nil when Deleted). They point into the
	// slices given to Compare.
	Old, New *markdown.Block
	// OldIndex and NewIndex are the positions of Old and New in the slices
	// given to Compare, or -1.
	OldIndex, NewIndex int
	// Spans shows the word-level changes of a Changed block, or of a Moved
	// block that was also edited; nil otherwise, and for table rows.
	Spans []Span
	// Cells shows the changes of a Changed (or edited Moved) table row or
	// header cell by cell, one entry per column of the two versions' tables
	// together, in table order; nil otherwise.
	Cells [][]Span
	// Columns says, for each entry of Cells, whether the column is in both
	// versions (Same), only in the new (Inserted) or only in the old
	// (Deleted) table.
	Columns []Op
	// Group numbers the re-paragraphed runs of the redline (1, 2, …): the
	// blocks of one run have the same Group, 0 outside runs. A run of k old
	// and m new paragraphs is max(k, m) Reparagraphed blocks in a row, the
	// p-th pairing the p-th old and the p-th new paragraph (either may be
	// nil when k ≠ m). The Spans of a block show its new paragraph, with
	// the words inserted and deleted at their place in it; OldText is the
	// old paragraph's text.
	Group int
	// Move is, for a block of a Moved run, its place in Redline.Moves plus
	// one; 0 otherwise.
	Move int
}

// Redline is the difference between two versions of a document.
type Redline struct {
	// Blocks lists the blocks of both versions in reading order: the new
	// version's order, with deleted blocks where they stood in the old one.
	// A moved block appears once, at its new position; Moves says where it
	// left.
	Blocks []BlockDiff
	Stats
	// Renumberings lists the runs of clause numbers shifted together, in
	// reading order, e.g. clauses 5–14 renumbered to 6–15.
	Renumberings []Renumbering
	// Moves lists the runs of blocks moved together, in reading order.
	Moves []Move
}

// Renumbering is a run of clause numbers shifted by the same amount,
// after a clause was inserted, removed or moved before them.
type Renumbering struct {
	// From and To are the first and last numbers of the run in the old
	// and in the new version: "5" and "14", "6" and "15".
	From, To [2]string
	// Blocks counts the blocks whose number changed in the run.
	Blocks int
	// Items is set when the run numbers items of a list within a clause.
	Items bool
}

// String describes the run: "clauses 5–14 renumbered to 6–15".
func (rn Renumbering) String() string {
	noun := "clause"
	if rn.Items {
		noun = "item"
	}
	if rn.From[0] == rn.From[1] {
		return fmt.Sprintf("%s %s renumbered to %s", noun, rn.From[0], rn.To[0])
	}
	return fmt.Sprintf("%ss %s–%s renumbered to %s–%s", noun, rn.From[0], rn.From[1], rn.To[0], rn.To[1])
}

// Move is a run of blocks moved together: where the text left and where
// it arrived.
type Move struct {
	// ID is the anchor of the moved text in the HTML redline ("rl-move-1");
	// where it left is ID+"-from".
	ID string
	// From and To name where the text stood in the old version and stands
	// in the new one: by the nearest clause number ("§4.2"), else the
	// nearest heading, else "Preamble" for text before the first heading or
	// clause of a document that has them; "" in a document with neither.
	From, To string
	// FromLine and ToLine are the line of the text's first block in the
	// old and in the new version (Block.Line: file lines when the blocks
	// were made WithFirstLine).
	FromLine, ToLine int
	// First and Last are the indexes in Redline.Blocks of the moved blocks.
	First, Last int
	// After is the index in Redline.Blocks of the block after which the
	// text stood in the old version, or -1 when it opened the document.
	After int
}

// Stats counts the blocks of a redline by op.
type Stats struct {
	// Changed, Inserted, Deleted, Moved and Unchanged count the blocks
	// whose Op is Changed, Inserted, Deleted, Moved and Same. Changed also
	// counts each re-paragraphed run in which words changed, as one.
	Changed, Inserted, Deleted, Moved, Unchanged int
	// Renumbered counts the blocks whose Op is Renumbered.
	Renumbered int
	// Reparagraphed counts the re-paragraphed runs in which no word
	// changed.
	Reparagraphed int
}

// Summary describes the counts for a reader, e.g. "3 clauses changed,
// 1 added, 1 removed, 10 renumbered", or "No textual change".
func (s Stats) Summary() string {
	parts := s.parts()
	if s.Renumbered > 0 {
		parts = append(parts, fmt.Sprintf("%d renumbered", s.Renumbered))
	}
	return s.finish(parts)
}

// finish joins the parts of a summary, with the re-paragraphed runs.
func (s Stats) finish(parts []string) string {
	if s.Reparagraphed > 0 {
		where := "1 place"
		if s.Reparagraphed > 1 {
			where = fmt.Sprintf("%d places", s.Reparagraphed)
		}
		if parts == nil {
			return "No textual change; re-paragraphed in " + where
		}
		parts = append(parts, "re-paragraphed in "+where)
	}
	if parts == nil {
		return "No textual change"
	}
	s0 := strings.Join(parts, ", ")
	return strings.ToUpper(s0[:1]) + s0[1:]
}

// Summary describes the redline for a reader, as Stats.Summary does, the
// renumberings named: "1 clause added, clauses 5–14 renumbered to 6–15".
func (r *Redline) Summary() string {
	parts := r.Stats.parts()
	for _, rn := range r.Renumberings {
		parts = append(parts, rn.String())
	}
	if len(r.Renumberings) == 0 && r.Renumbered > 0 {
		parts = append(parts, fmt.Sprintf("%d renumbered", r.Renumbered))
	}
	return r.Stats.finish(parts)
}

// parts lists the counts of changed, added, removed and moved clauses.
func (s Stats) parts() []string {
	var parts []string
	for _, p := range []struct {
		n    int
		verb string
	}{{s.Changed, "changed"}, {s.Inserted, "added"}, {s.Deleted, "removed"}, {s.Moved, "moved"}} {
		if p.n == 0 {
			continue
		}
		if parts == nil {
			noun := "clauses"
			if p.n == 1 {
				noun = "clause"
			}
			parts = append(parts, fmt.Sprintf("%d %s %s", p.n, noun, p.verb))
		} else {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.verb))
		}
	}
	return parts
}

// Identical reports whether the two versions have the same text, block for
// block and in the same order.
func (r *Redline) Identical() bool {
	return r.Changed == 0 && r.Inserted == 0 && r.Deleted == 0 && r.Moved == 0 && r.Renumbered == 0 && r.Reparagraphed == 0
}

// LayoutOnly reports whether the versions differ only in how their text is
// divided into paragraphs: re-paragraphed, no word changed.
func (s Stats) LayoutOnly() bool {
	return s.Reparagraphed > 0 && s.Changed == 0 && s.Inserted == 0 && s.Deleted == 0 && s.Moved == 0 && s.Renumbered == 0
}

// Old returns the old version's block texts in order, joined by newlines,
// as reconstructed from the redline's spans and cells: the same as joining
// the Text of the blocks given to Compare.
func (r *Redline) Old() string { return strings.Join(r.side(false), "\n") }

// New returns the new version's block texts in order, joined by newlines,
// as reconstructed from the redline's spans and cells.
func (r *Redline) New() string { return strings.Join(r.side(true), "\n") }

// side reconstructs the texts of one version's blocks, in that version's
// order.
func (r *Redline) side(isNew bool) []string {
	type indexed struct {
		i    int
		text string
	}
	var all []indexed
	for k := range r.Blocks {
		bd := &r.Blocks[k]
		if isNew && bd.New != nil {
			all = append(all, indexed{bd.NewIndex, bd.NewText()})
		} else if !isNew && bd.Old != nil {
			all = append(all, indexed{bd.OldIndex, bd.OldText()})
		}
	}
	slices.SortFunc(all, func(a, b indexed) int { return cmp.Compare(a.i, b.i) })
	texts := make([]string, len(all))
	for k, x := range all {
		texts[k] = x.text
	}
	return texts
}

// OldText returns the block's old text, reconstructed from its spans or
// cells when it has them; "" for an inserted block.
func (bd *BlockDiff) OldText() string { return bd.text(false) }

// NewText returns the block's new text, reconstructed from its spans or
// cells when it has them; "" for a deleted block.
func (bd *BlockDiff) NewText() string { return bd.text(true) }

func (bd *BlockDiff) text(isNew bool) string {
	b := bd.Old
	if isNew {
		b = bd.New
	}
	switch {
	case b == nil:
		return ""
	case bd.Op == Reparagraphed && !isNew:
		return b.Text // the spans show the new paragraph only
	case bd.Cells != nil:
		return strings.Join(bd.cells(isNew), " | ")
	case bd.Spans != nil:
		return spanText(bd.Spans, isNew)
	}
	return b.Text
}

// cells reconstructs one version's cells of a table row from bd.Cells.
func (bd *BlockDiff) cells(isNew bool) []string {
	gone := Deleted
	if !isNew {
		gone = Inserted
	}
	out := []string{}
	for i, spans := range bd.Cells {
		if bd.Columns[i] != gone {
			out = append(out, spanText(spans, isNew))
		}
	}
	return out
}

// spanText concatenates the spans of one version.
func spanText(spans []Span, isNew bool) string {
	skip := Insert
	if isNew {
		skip = Delete
	}
	var b strings.Builder
	for _, s := range spans {
		if s.Op != skip {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

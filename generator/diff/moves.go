package diff

import (
	"strconv"

	"github.com/clause-portal/clause/generator/markdown"
)

// moves records the runs of moved blocks of r: blocks moved together are
// consecutive in the new version and were consecutive in the old one.
func (c *comparer) moves(r *Redline) {
	// pos is the index in r.Blocks of each old block.
	pos := make([]int, len(c.old))
	for k := range r.Blocks {
		if bd := &r.Blocks[k]; bd.Old != nil {
			pos[bd.OldIndex] = k
		}
	}
	for k := 0; k < len(r.Blocks); k++ {
		bd := &r.Blocks[k]
		if bd.Op != Moved {
			continue
		}
		last := k
		for last+1 < len(r.Blocks) && r.Blocks[last+1].Op == Moved && r.Blocks[last+1].OldIndex == r.Blocks[last].OldIndex+1 {
			last++
		}
		m := Move{
			ID:    "rl-move-" + strconv.Itoa(len(r.Moves)+1),
			From:  clauseLabel(c.old, bd.OldIndex),
			To:    clauseLabel(c.new, bd.NewIndex),
			First: k, Last: last, After: -1,
			FromLine: bd.Old.Line, ToLine: bd.New.Line,
		}
		// The text left after the old block before it that stayed.
		for i := bd.OldIndex - 1; i >= 0; i-- {
			if r.Blocks[pos[i]].Op != Moved {
				m.After = pos[i]
				break
			}
		}
		r.Moves = append(r.Moves, m)
		for x := k; x <= last; x++ {
			r.Blocks[x].Move = len(r.Moves)
		}
		k = last
	}
}

// clauseLabel names where block i of a version stands: "§" and its clause
// number, else the text of the heading it comes under, else "Preamble"
// when it comes before the first heading or clause of a document that has
// them; "" in a document with neither.
func clauseLabel(blocks []markdown.Block, i int) string {
	if n := blocks[i].Number; n != "" {
		return "§" + n
	}
	for k := i; k >= 0; k-- {
		if blocks[k].Kind == markdown.KindHeading {
			return blocks[k].Text
		}
	}
	for k := i + 1; k < len(blocks); k++ {
		if isClause(&blocks[k]) {
			return "Preamble"
		}
	}
	return ""
}

// isClause reports whether a block opens a clause or section: a heading or
// a clause paragraph.
func isClause(b *markdown.Block) bool {
	return b.Kind == markdown.KindHeading || b.Kind == markdown.KindParagraph && b.Clause != ""
}

// place describes a label and a line for a reader: "§4, line 15", or
// "line 15" without a label.
func place(label string, line int) string {
	if label == "" {
		return "line " + strconv.Itoa(line)
	}
	return label + ", line " + strconv.Itoa(line)
}

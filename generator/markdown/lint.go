package markdown

import (
	"fmt"
	"sort"

	"github.com/yuin/goldmark/ast"
)

// Note is a finding about the structure of a document body: that none was
// found, or a guess the plain-text rules made. `clause check` shows notes
// as warnings.
type Note struct {
	// Line is the 1-based line in the body (the caller adds the front
	// matter's offset), or 0 when the note is about the whole body.
	Line int
	// Message says what was found or guessed, and how to say it in
	// markdown instead; when the same guess was made at several places it
	// says how many, and Line is the first.
	Message string
	// Guess is set when the note reports a guess; it is unset when it
	// reports a document without structure.
	Guess bool
	// Count is the number of places the note stands for (1 or more).
	Count int
}

// minBlocksForStructure is the number of paragraphs from which a
// document without headings or clause numbers is worth a note: a short
// notice needs no table of contents.
const minBlocksForStructure = 6

// Lint parses a markdown body as Render does and reports what it could not
// find and what it guessed: a document of several paragraphs without any
// heading or clause number (one note), and each kind of guess made by the
// plain-text rules (one note per kind, at its first place, with the count).
// Render returns the same notes in Rendered.Notes.
func Lint(body []byte) []Note {
	doc, st := parse(Parser(), body)
	anchorHeadings(doc, body, st)
	return st.notes(doc, body)
}

// notes lists the notes of a parsed and anchored document, in line order.
func (st *plainState) notes(doc ast.Node, body []byte) []Note {
	lines := NewLineIndex(body)
	line := func(pos int) int { return lines.Line(min(pos, len(body))) }
	var first [numGuessKinds]int
	var count [numGuessKinds]int
	for _, g := range st.guesses {
		if count[g.kind] == 0 || g.pos < first[g.kind] {
			first[g.kind] = g.pos
		}
		count[g.kind]++
	}
	var notes []Note
	for k := range numGuessKinds {
		if count[k] == 0 {
			continue
		}
		msg := guessMessages[k]
		if count[k] > 1 {
			msg += fmt.Sprintf(" (%d places; the first is here)", count[k])
		}
		notes = append(notes, Note{Line: line(first[k]), Message: msg, Guess: true, Count: count[k]})
	}
	if st.tocLine > 0 {
		notes = append(notes, Note{Line: st.tocLine, Message: guessMessages[guessClauseTOC], Guess: true, Count: 1})
	}
	if st.plain && len(st.clauses) == 0 && !hasHeading(doc) && textBlocks(doc) >= minBlocksForStructure {
		notes = append(notes, Note{Message: "no headings and no numbered clauses found: the page gets no table of contents and no clause anchors (use \"## 1. Title\" headings or clause numbers like \"1.1\")", Count: 1})
	}
	sort.SliceStable(notes, func(i, j int) bool { return notes[i].Line < notes[j].Line })
	return notes
}

// hasHeading reports whether a document has a heading other than a
// level-1 title opening it.
func hasHeading(doc ast.Node) bool {
	found := false
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			if h != doc.FirstChild() || h.Level != 1 {
				found = true
				return ast.WalkStop, nil
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

// textBlocks counts the paragraphs of a document, including those of list
// items, up to minBlocksForStructure.
func textBlocks(doc ast.Node) int {
	n := 0
	_ = ast.Walk(doc, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			if entering {
				n++
			}
			if n >= minBlocksForStructure {
				return ast.WalkStop, nil
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return n
}

package markdown

import (
	"bytes"
	"errors"
	"fmt"
)

// MaxNesting is the deepest nesting of block quotes and lists that Clause
// parses. Legal texts nest a few levels; goldmark's time on a line grows
// with the square of its nesting, so a body nested thousands of levels
// deep (a line of 400,000 ">") would take minutes.
const MaxNesting = 100

// maxNestingWork is how much work, per byte of the body, its nesting may
// cost: a line nested d levels deep costs goldmark about d×d steps (it
// measures the line's indentation again for every level), so many lines
// nested near MaxNesting in a short body would still be slow.
const maxNestingWork = 16

// maxLinkScan is how many bytes, per byte of the body, its link
// destinations and titles may make the parser read. goldmark reads a link
// destination ("](" followed by text) up to the next space, ")" or end of
// the line, and a title to its closing quote, and does not remember where
// it stopped: a line of thousands of destinations that never close is read
// again for each of them.
const maxLinkScan = 16

// ErrLimit is wrapped by the errors of CheckLimits: a body that Clause
// refuses to parse because parsing it would take time out of proportion
// to its size.
var ErrLimit = errors.New("markdown beyond Clause's limits")

// LimitError is a body that CheckLimits refuses, at a line of the body.
type LimitError struct {
	// Line is the 1-based line of the body where the limit is first
	// exceeded.
	Line int
	// Msg says which limit, in words for the author of the text.
	Msg string
}

func (e *LimitError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Unwrap lets errors.Is match ErrLimit.
func (e *LimitError) Unwrap() error { return ErrLimit }

// CheckLimits reports, in two linear passes over the body, whether a
// markdown body is one that Clause parses in time proportional to its size:
// block quotes and lists nested at most MaxNesting levels (and deeply on
// few enough lines), and no run of link destinations, titles or brackets
// that never close. It returns nil or a *LimitError. Its estimates err on
// the side of refusing: it does not know about code blocks, where ">" and
// "[" mean nothing, but legal texts come nowhere near its limits.
//
// Every function of this package that parses a body checks it first: Render
// returns the error, Blocks, Lint and Links return nothing for such a body,
// Title finds no title (unless the first line is a "# " heading, which it
// reads alone), and Parse parses an empty body. document.Parse
// checks it too and reports it at the file line.
func CheckLimits(body []byte) error {
	var items []int // content columns of the list items the line may be in
	work, budget := 0, maxNestingWork*len(body)+1<<20
	for lineNo, off := 1, 0; off < len(body); lineNo++ {
		end := len(body)
		if nl := bytes.IndexByte(body[off:], '\n'); nl >= 0 {
			end = off + nl
		}
		line := body[off:end]
		off = end + 1

		depth, blank := nesting(line, &items)
		if !blank && depth > MaxNesting {
			return &LimitError{Line: lineNo, Msg: fmt.Sprintf("block quotes or lists nested %d levels deep; Clause refuses more than %d levels", depth, MaxNesting)}
		}
		if work += depth * depth; work > budget {
			return &LimitError{Line: lineNo, Msg: fmt.Sprintf("block quotes or lists nested %d levels deep, on too many lines: Clause refuses so much deep nesting; nest less deeply", depth)}
		}
	}
	if line, _ := linkCost(body, maxLinkScan*len(body)+1<<20); line > 0 {
		return &LimitError{Line: line, Msg: "too many links or brackets that are not closed (\"[\" without \"]\", \"](\" without \")\", a title without its closing quote): Clause refuses the text from here"}
	}
	return nil
}

// nesting returns how deep a line is nested in block quotes and lists, at
// most: the markers it opens with ("> ", "- ", "1. ", in any mix) plus the
// list items of earlier lines its indentation keeps it in. items holds the
// content columns of those list items and is updated for the next line.
// It over-counts rather than under-counts: it does not know about code
// blocks or lazy continuation lines.
func nesting(line []byte, items *[]int) (depth int, blank bool) {
	col, i := indent(line, 0, 0)
	if i == len(line) {
		return 0, true
	}
	breaks := breakFinder{line: line, last: [2]int{-2, -2}}
	inItems := false // whether the items of earlier lines are counted
	firstItem := true
	for i < len(line) {
		c := line[i]
		if c != '>' && !inItems {
			// After its quote markers, the line is in the items whose
			// text starts at or before its indentation.
			inItems = true
			for len(*items) > 0 && (*items)[len(*items)-1] > col {
				*items = (*items)[:len(*items)-1]
			}
			depth += len(*items)
		}
		switch {
		case c == '>':
			depth++
			i++
			col++
			if i < len(line) && line[i] == ' ' {
				i++
				col++
			}
		case (c == '-' || c == '+' || c == '*') && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t'):
			if c != '+' && breaks.at(i) {
				return depth, false
			}
			depth++
			if firstItem {
				// Lines indented to its text are in this item.
				firstItem = false
				*items = append(*items, col+2)
			}
			i++
			col++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 10 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j-i > 9 || j == len(line) || (line[j] != '.' && line[j] != ')') || (j+1 < len(line) && line[j+1] != ' ' && line[j+1] != '\t') {
				return depth, false
			}
			depth++
			if firstItem {
				firstItem = false
				*items = append(*items, col+j-i+2)
			}
			col += j + 1 - i
			i = j + 1
		default:
			return depth, false
		}
		col, i = indent(line, i, col)
	}
	if !inItems {
		depth += len(*items)
	}
	return depth, false
}

// indent skips spaces and tabs from line[i] at column col and returns the
// column and index after them.
func indent(line []byte, i, col int) (int, int) {
	for ; i < len(line); i++ {
		switch line[i] {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		case '\r':
		default:
			return col, i
		}
	}
	return col, i
}

// breakFinder tells whether the rest of a line from a "-" or "*" is a
// thematic break ("- - -", "***"), which goldmark prefers to a list item.
// It reads the line once per character, not once per marker, so that a
// line of list markers ("- - - … x") stays linear.
type breakFinder struct {
	line []byte
	// last[0] and last[1] are the index of the last byte of line that is
	// neither a space nor "-" (for [0]) or "*" (for [1]); -2 until known.
	last [2]int
}

func (f *breakFinder) at(i int) bool {
	c := f.line[i]
	k := 0
	if c == '*' {
		k = 1
	}
	if f.last[k] == -2 {
		f.last[k] = -1
		for j := len(f.line) - 1; j >= 0; j-- {
			if b := f.line[j]; b != c && b != ' ' && b != '\t' && b != '\r' {
				f.last[k] = j
				break
			}
		}
	}
	return f.last[k] < i && bytes.Count(f.line[i:], []byte{c}) >= 3
}

// linkCost returns how many bytes goldmark reads, at most, for the links
// of a body: from each "]" back to the "[" it closes; from each "](" to the ")" that closes
// it (parentheses in between balanced), the next space, or the end of the
// line; from "](<" to the next ">" on the line; and from the opening quote
// or parenthesis of a title to the next closing one. It stops counting, and
// returns the line, once the cost exceeds limit.
func linkCost(body []byte, limit int) (line, cost int) {
	var next [3]int // next '"', '\'' and ')' at or after a position, or -1
	for k := range next {
		next[k] = -1
	}
	nextOf := func(k int, c byte, from int) int {
		if next[k] < from && next[k] != len(body) {
			if j := bytes.IndexByte(body[from:], c); j >= 0 {
				next[k] = from + j
			} else {
				next[k] = len(body)
			}
		}
		return next[k]
	}
	var stops []int32 // destination stops of the current line
	stopsLine := -1
	line = 1
	lineStart, lineEnd := 0, -1
	var open []int // the "[" not closed yet in the paragraph
	// Nothing costs before the first bracket: the scan starts there (a
	// register of 150,000 rows has none).
	first := len(body)
	for _, c := range []byte("[]") {
		if j := bytes.IndexByte(body, c); j >= 0 {
			first = min(first, j)
		}
	}
	line += bytes.Count(body[:first], []byte("\n"))
	lineStart = bytes.LastIndexByte(body[:first], '\n') + 1
	for i := first; i < len(body); i++ {
		switch body[i] {
		case '\n':
			line++
			lineStart = i + 1
			if len(open) > 0 && blankLine(body[lineStart:]) {
				open = open[:0] // the paragraph ends
			}
			continue
		case '[':
			open = append(open, i)
			continue
		case ']':
			// goldmark looks through what is between a "]" and its "[".
			if len(open) > 0 {
				cost += i - open[len(open)-1]
				open = open[:len(open)-1]
			}
			if cost > limit {
				return line, cost
			}
		}
		if i+1 == len(body) || body[i] != ']' || body[i+1] != '(' {
			continue
		}
		if lineEnd < i {
			lineEnd = len(body)
			if nl := bytes.IndexByte(body[i:], '\n'); nl >= 0 {
				lineEnd = i + nl
			}
		}
		p := i + 2
		for p < lineEnd && (body[p] == ' ' || body[p] == '\t') {
			p++
		}
		switch {
		case p < lineEnd && body[p] == '<':
			if gt := bytes.IndexByte(body[p:lineEnd], '>'); gt >= 0 {
				cost += gt
			} else {
				cost += lineEnd - p
			}
		case p < lineEnd:
			if stopsLine != lineStart {
				stops, stopsLine = destinationStops(body[lineStart:lineEnd], stops), lineStart
			}
			q := lineStart + int(stops[p-lineStart])
			cost += q - p
			// A title may follow, after spaces and at most one newline.
			for q < len(body) && (body[q] == ' ' || body[q] == '\t' || body[q] == '\n') {
				q++
			}
			if q < len(body) {
				switch body[q] {
				case '"':
					cost += nextOf(0, '"', q+1) - q
				case '\'':
					cost += nextOf(1, '\'', q+1) - q
				case '(':
					cost += nextOf(2, ')', q+1) - q
				}
			}
		}
		if cost > limit {
			return line, cost
		}
	}
	return 0, cost
}

// blankLine reports whether s starts with a line of spaces only.
func blankLine(s []byte) bool {
	for _, c := range s {
		switch c {
		case '\n':
			return true
		case ' ', '\t', '\r':
		default:
			return false
		}
	}
	return true
}

// destinationStops returns, for each index i of line, where goldmark stops
// reading a link destination that starts at i: at the first space or
// control character, or at the first ")" with more ")" than "(" since i.
// Backslash escapes are ignored, which can move a stop by the escaped
// characters only. buf is reused when large enough.
func destinationStops(line []byte, buf []int32) []int32 {
	n := len(line)
	if cap(buf) < 2*(n+1) {
		buf = make([]int32, 2*(n+1))
	}
	// bal[k] is the number of "(" minus ")" in line[:k]. A destination
	// from i stops before the first k > i with bal[k] < bal[i] (the ")" at
	// k-1): the next smaller element of bal, found for every i at once
	// with a stack.
	stop, bal := buf[:n+1], buf[n+1:2*(n+1)]
	bal[0] = 0
	for k, c := range line {
		bal[k+1] = bal[k]
		switch c {
		case '(':
			bal[k+1]++
		case ')':
			bal[k+1]--
		}
	}
	var stack []int32
	space := int32(n) // the next space at or after i
	stop[n] = int32(n)
	stack = append(stack, int32(n))
	for i := n - 1; i >= 0; i-- {
		switch line[i] {
		case ' ', '\t', '\v', '\f', '\r':
			space = int32(i)
		}
		for len(stack) > 0 && bal[stack[len(stack)-1]] >= bal[i] {
			stack = stack[:len(stack)-1]
		}
		at := int32(n)
		if len(stack) > 0 {
			at = stack[len(stack)-1] - 1
		}
		stack = append(stack, int32(i))
		stop[i] = min(space, at)
	}
	return stop
}

package markdown

import "sort"

// LineIndex maps byte offsets of a text to 1-based line numbers in
// logarithmic time, for walkers that report the line of many nodes: counting
// the newlines before each of them would take time quadratic in the text.
// The zero value is not usable; make one with NewLineIndex.
type LineIndex struct {
	newlines []int // offsets of the newlines, increasing
}

// NewLineIndex indexes the lines of text.
func NewLineIndex(text []byte) *LineIndex {
	ix := &LineIndex{newlines: []int{}}
	for i, c := range text {
		if c == '\n' {
			ix.newlines = append(ix.newlines, i)
		}
	}
	return ix
}

// Line returns the 1-based line of byte offset off: one more than the
// number of newlines before it.
func (ix *LineIndex) Line(off int) int {
	return sort.SearchInts(ix.newlines, off) + 1
}

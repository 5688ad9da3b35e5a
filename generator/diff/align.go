package diff

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clause-portal/clause/generator/markdown"
	"github.com/sergi/go-diff/diffmatchpatch"
)

// Pairing thresholds. Similarity is the share of words two blocks have in
// common (Dice coefficient: 2·common / (words₁ + words₂)), counted on the
// word diff, so word order matters.
const (
	// changedThreshold is the similarity from which a deleted and an
	// inserted block at the same place are one changed block.
	changedThreshold = 0.5
	// movedThreshold is the similarity from which a deleted and an
	// inserted block at different places are one block, moved and edited.
	movedThreshold = 0.8
	// structuralScore is the score of pairs that belong together whatever
	// their words: headings with the same clause number, table rows with
	// the same first cell.
	structuralScore = 0.75
	// window is how many candidates each block is compared with when a
	// stretch of deleted blocks meets a stretch of inserted ones.
	window = 48
	// moveBudget bounds the number of comparisons made looking for moved
	// and edited blocks (a complete rewrite makes every pair a candidate).
	moveBudget = 200_000
)

// Compare computes the redline from the old to the new version of a
// document, given as markdown.Blocks.
//
// Blocks are keyed by kind and text without their clause number (cells,
// for table rows) and the two key sequences aligned with a Myers diff;
// blocks it matches are Same, or Renumbered or Changed when their numbers
// differ (see numbers.go). Between those matches are stretches where old
// blocks were replaced by new ones:
//
//   - runs of paragraphs, one split into several or several merged into
//     one, whose words taken together match (80%, each paragraph keeping
//     60% of its own) are Reparagraphed (see reflow.go);
//   - an old block whose exact text reappears in any such stretch of the
//     new version is Moved;
//   - within a stretch, the rest pair in order as Changed when they are of
//     the same kind and similar: at least half their words in common (in
//     order), a heading or a clause paragraph (markdown.Block.Clause)
//     keeping its clause number or title (text), a table row
//     keeping its first cell, or the only old and the only new block of the
//     stretch (except table rows);
//   - a remaining old and new block anywhere that share 80% of their words,
//     or are a heading with the same title, a clause paragraph with the
//     same text after its number, or a table row with the same first cell,
//     are Moved with edits;
//   - what is left is Deleted or Inserted.
//
// A changed clause number that shifted with the numbers around it is
// marked Renumbered in the spans and named in Redline.Renumberings; runs
// of moved blocks are listed in Redline.Moves with both their places.
//
// Changed and edited Moved blocks get word-level Spans (Cells for table
// rows). The diffs run with time limits and the candidate searches with
// bounded windows, so Compare stays fast on any input; documents far beyond
// realistic sizes get a coarser, still correct, redline.
func Compare(old, new []markdown.Block) *Redline {
	c := &comparer{old: old, new: new, dmp: diffmatchpatch.New()}
	c.words = newWordDiffer(c.dmp)
	c.prepare()
	c.align()
	c.pairMoves()
	c.splitReflows()
	for g := range c.gaps {
		if c.gaps[g].reflow == nil {
			c.pairGap(&c.gaps[g])
		}
	}
	c.pairEditedMoves()
	rns := c.renumber()
	r := c.emit()
	r.Renumberings = rns
	c.moves(r)
	return r
}

type comparer struct {
	old, new []markdown.Block
	dmp      *diffmatchpatch.DiffMatchPatch
	words    *wordDiffer

	oldKey, newKey   []int // interned block keys
	oldHead, newHead []int // index of each table row's header, or -1
	// oldBag and newBag hold the bags of words of the blocks, made on
	// demand (nil until then) with word ids from wordIDs.
	oldBag, newBag []bag
	wordIDs        map[string]int32
	toks           []string

	segments []segment
	gaps     []gap
	// oldPair and newPair link paired blocks (changed or moved): the index
	// on the other side, or -1.
	oldPair, newPair []int
	moved            []bool // by new index: the pair is a move
	// pairDiff holds the spans or cells of a pair, by new index.
	pairDiff map[int]*BlockDiff

	// oldNum and newNum hold the blocks' clause numbers.
	oldNum, newNum numbering
	// renumbered is set, by new index, for a pair whose number changed
	// with a renumbering.
	renumbered map[int]bool
	// reflowed is set, by new index, for the blocks of re-paragraphed runs.
	reflowed []bool
	// budget bounds the candidate re-paragraphed runs tried.
	budget int
}

// segment is a run of equal blocks (n > 0) or a gap (gap >= 0).
type segment struct {
	oldStart, newStart, n int
	gap                   int
}

// gap is a stretch of old blocks replaced by new ones, or a
// re-paragraphed run (then reflow is set).
type gap struct {
	dels, ins []int
	reflow    *reflow
}

// blockKey identifies a block's content: kind and text without its clause
// number (see numbers.go), or for table rows the cells, length-prefixed so
// that no cell text can fake a boundary.
type blockKey struct {
	kind markdown.Kind
	text string
	// rest is the text after the clause number, text the text before it,
	// when numbered.
	rest     string
	numbered bool
}

// prepare interns the blocks' keys and finds the tables' headers.
func (c *comparer) prepare() {
	// Sized for the old side: a redline of two 150,000-row tables
	// otherwise grows the map again and again.
	keys := make(map[blockKey]int, len(c.old))
	var kb strings.Builder
	c.oldNum, c.newNum = newNumbering(c.old), newNumbering(c.new)
	side := func(blocks []markdown.Block, nb numbering) (ks, heads []int) {
		ks = make([]int, len(blocks))
		heads = make([]int, len(blocks))
		head := -1
		for i := range blocks {
			b := &blocks[i]
			key := blockKey{kind: b.Kind}
			key.text, key.rest = stripped(b.Text, nb.nums[i])
			key.numbered = nb.nums[i].has()
			if b.Kind == markdown.KindTableHeader || b.Kind == markdown.KindTableRow {
				kb.Reset()
				for _, cell := range b.Cells {
					kb.WriteString(strconv.Itoa(len(cell)))
					kb.WriteByte(':')
					kb.WriteString(cell)
				}
				key.text = kb.String()
			}
			k, ok := keys[key]
			if !ok {
				k = len(keys)
				keys[key] = k
			}
			ks[i] = k

			switch {
			case b.Kind == markdown.KindTableHeader:
				head = i
			case b.Kind != markdown.KindTableRow || i == 0 || (blocks[i-1].Kind != markdown.KindTableRow && blocks[i-1].Kind != markdown.KindTableHeader):
				head = -1
			}
			heads[i] = head
		}
		return ks, heads
	}
	c.oldKey, c.oldHead = side(c.old, c.oldNum)
	c.newKey, c.newHead = side(c.new, c.newNum)
	c.reflowed = make([]bool, len(c.new))
	c.budget = reflowBudget
	c.oldBag, c.newBag = make([]bag, len(c.old)), make([]bag, len(c.new))
	c.oldPair = fill(len(c.old), -1)
	c.newPair = fill(len(c.new), -1)
	c.moved = make([]bool, len(c.new))
	c.pairDiff = map[int]*BlockDiff{}
	c.wordIDs = map[string]int32{}
}

// bags returns the bags of words of old block i and new block j, making
// them on first use: only blocks that were not matched need them.
func (c *comparer) bags(i, j int) (bag, bag) {
	if c.oldBag[i] == nil {
		c.oldBag[i] = c.makeBag(&c.old[i])
	}
	if c.newBag[j] == nil {
		c.newBag[j] = c.makeBag(&c.new[j])
	}
	return c.oldBag[i], c.newBag[j]
}

func (c *comparer) makeBag(b *markdown.Block) bag {
	c.toks = c.toks[:0]
	if b.Cells != nil {
		for _, cell := range b.Cells {
			c.toks = tokenize(cell, c.toks)
		}
	} else {
		c.toks = tokenize(b.Text, c.toks)
	}
	bg := bag{} // not nil: made
	for _, t := range c.toks {
		if !isWord(t) {
			continue
		}
		id, ok := c.wordIDs[t]
		if !ok {
			id = int32(len(c.wordIDs))
			c.wordIDs[t] = id
		}
		bg = append(bg, id)
	}
	slices.Sort(bg)
	return bg
}

func fill(n, v int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// align diffs the two key sequences and records runs of equal blocks and
// the gaps between them.
func (c *comparer) align() {
	ra := make([]rune, len(c.oldKey))
	rb := make([]rune, len(c.newKey))
	for i, k := range c.oldKey {
		ra[i] = tokenRune(k % maxTokens)
	}
	for i, k := range c.newKey {
		rb[i] = tokenRune(k % maxTokens)
	}
	edits := myers(c.dmp, ra, rb, blockTimeout, false)
	i, j := 0, 0
	var cur *gap
	for _, e := range edits {
		switch e.op {
		case Equal:
			// Keys beyond maxTokens share runes: check the keys themselves.
			for k := 0; k < e.n; k++ {
				if c.oldKey[i+k] != c.newKey[j+k] {
					cur = c.gapAt(cur)
					cur.dels = append(cur.dels, i+k)
					cur.ins = append(cur.ins, j+k)
					continue
				}
				cur = nil
				if l := len(c.segments); l > 0 && c.segments[l-1].n > 0 && c.segments[l-1].oldStart+c.segments[l-1].n == i+k && c.segments[l-1].newStart+c.segments[l-1].n == j+k {
					c.segments[l-1].n++
				} else {
					c.segments = append(c.segments, segment{oldStart: i + k, newStart: j + k, n: 1, gap: -1})
				}
			}
			i += e.n
			j += e.n
		case Delete:
			cur = c.gapAt(cur)
			for k := 0; k < e.n; k++ {
				cur.dels = append(cur.dels, i+k)
			}
			i += e.n
		case Insert:
			cur = c.gapAt(cur)
			for k := 0; k < e.n; k++ {
				cur.ins = append(cur.ins, j+k)
			}
			j += e.n
		}
	}
}

// gapAt returns the open gap, or opens one.
func (c *comparer) gapAt(cur *gap) *gap {
	if cur != nil {
		return cur
	}
	c.gaps = append(c.gaps, gap{})
	c.segments = append(c.segments, segment{gap: len(c.gaps) - 1})
	return &c.gaps[len(c.gaps)-1]
}

// pairMoves pairs deleted and inserted blocks with the same key: the block
// moved. Earlier deleted copies go to earlier inserted ones.
func (c *comparer) pairMoves() {
	deleted := map[int][]int{}
	for _, g := range c.gaps {
		for _, i := range g.dels {
			deleted[c.oldKey[i]] = append(deleted[c.oldKey[i]], i)
		}
	}
	if len(deleted) == 0 {
		return
	}
	for _, g := range c.gaps {
		for _, j := range g.ins {
			q := deleted[c.newKey[j]]
			if len(q) == 0 {
				continue
			}
			i := q[0]
			deleted[c.newKey[j]] = q[1:]
			c.link(i, j, true, nil)
		}
	}
}

func (c *comparer) link(i, j int, moved bool, bd *BlockDiff) {
	c.oldPair[i], c.newPair[j], c.moved[j] = j, i, moved
	if bd != nil {
		c.pairDiff[j] = bd
	}
}

// signal is what, besides their words, says two blocks are one.
type signal int

const (
	// noSignal: only the words count.
	noSignal signal = iota
	// weakSignal: a heading kept its clause number. Enough to pair blocks
	// at the same place, not to call a block moved.
	weakSignal
	// strongSignal: a heading kept its title (without the clause number),
	// or a table row its first cell.
	strongSignal
)

// score estimates how well old block i and new block j pair: 0 for
// different kinds, otherwise their words' Dice coefficient, raised to
// structuralScore (or 1, for headings with the same title) when a signal
// says they belong together whatever their words.
func (c *comparer) score(i, j int) (float64, signal) {
	sig := c.signal(i, j)
	switch {
	case c.old[i].Kind != c.new[j].Kind:
		return 0, noSignal
	case sig == strongSignal && (c.old[i].Kind == markdown.KindHeading || c.old[i].Clause != ""):
		return 1, sig
	}
	s := dice(c.bags(i, j))
	if sig != noSignal {
		s = max(s, structuralScore)
	}
	return s, sig
}

// signal says whether old block i and new block j belong together
// whatever their words.
func (c *comparer) signal(i, j int) signal {
	a, b := &c.old[i], &c.new[j]
	if a.Kind != b.Kind {
		return noSignal
	}
	switch a.Kind {
	case markdown.KindHeading:
		if t := headingTitle(a); t != "" && t == headingTitle(b) {
			return strongSignal
		}
		if a.Number != "" && a.Number == b.Number {
			return weakSignal
		}
	case markdown.KindParagraph:
		// Clause paragraphs ("1.2 The Processor shall…") pair as headings
		// do: a renumbered clause by its text, an edited one by its number.
		if a.Clause == "" || b.Clause == "" {
			break
		}
		if t := clauseBody(a); t != "" && t == clauseBody(b) {
			return strongSignal
		}
		if a.Number != "" && a.Number == b.Number {
			return weakSignal
		}
	case markdown.KindTableRow:
		if len(a.Cells) > 0 && len(b.Cells) > 0 && a.Cells[0] != "" && a.Cells[0] == b.Cells[0] {
			return strongSignal
		}
	}
	return noSignal
}

// clauseBody is a clause paragraph's text without its clause number.
func clauseBody(b *markdown.Block) string {
	return strings.TrimLeft(strings.TrimPrefix(b.Text, b.Clause), ". ")
}

// headingTitle is a heading's text without its clause number.
func headingTitle(b *markdown.Block) string {
	t := b.Text
	if b.Number != "" {
		if k := strings.Index(t, b.Number); k >= 0 {
			t = t[k+len(b.Number):]
		}
	}
	return strings.TrimLeft(t, ". ")
}

// pairGap pairs the remaining deleted and inserted blocks of a gap as
// Changed, in order. When one block (not a table row) replaced one block of
// the same kind, they pair. Otherwise each deleted block takes the
// best-scoring inserted block among the next window ones, unless a later
// deleted block scores better with it.
func (c *comparer) pairGap(g *gap) {
	dels := unpaired(g.dels, c.oldPair)
	ins := unpaired(g.ins, c.newPair)
	if len(dels) == 0 || len(ins) == 0 {
		return
	}
	if len(dels) == 1 && len(ins) == 1 {
		// The only block replaced here was rewritten in place, unless it is
		// a table row: a sub-processor replaced by another is not a change
		// of the first one.
		if i, j := dels[0], ins[0]; c.old[i].Kind == c.new[j].Kind && c.old[i].Kind != markdown.KindTableRow {
			c.link(i, j, false, c.blockDiff(i, j))
			return
		}
	}
	next := 0
	for k, i := range dels {
		best, bestScore, sig := -1, 0.0, noSignal
		for x := next; x < len(ins) && x < next+window; x++ {
			if s, sg := c.score(i, ins[x]); s > bestScore {
				best, bestScore, sig = x, s, sg
			}
		}
		if best < 0 || bestScore < changedThreshold {
			continue
		}
		j := ins[best]
		better := false
		for _, i2 := range dels[k+1 : min(len(dels), k+1+window)] {
			if s, _ := c.score(i2, j); s > bestScore {
				better = true
				break
			}
		}
		if better {
			continue
		}
		bd, sim := c.compareTexts(i, j)
		if sig == noSignal && sim < changedThreshold {
			continue
		}
		c.link(i, j, false, bd)
		next = best + 1
	}
}

func unpaired(idx, pair []int) []int {
	var out []int
	for _, i := range idx {
		if pair[i] < 0 {
			out = append(out, i)
		}
	}
	return out
}

// pairEditedMoves pairs deleted and inserted blocks left anywhere in the
// document that are very similar: the block moved and was edited.
func (c *comparer) pairEditedMoves() {
	var dels, ins []int
	for _, g := range c.gaps {
		dels = append(dels, unpaired(g.dels, c.oldPair)...)
		ins = append(ins, unpaired(g.ins, c.newPair)...)
	}
	budget := moveBudget
	for _, i := range dels {
		best, bestScore, sig := -1, 0.0, noSignal
		for _, j := range ins {
			if budget--; budget < 0 {
				return
			}
			if c.newPair[j] >= 0 || c.old[i].Kind != c.new[j].Kind {
				continue
			}
			// Only a strong signal or a high similarity makes a move; the
			// sizes of the bags bound the similarity.
			s, sg := 1.0, c.signal(i, j)
			if sg != strongSignal {
				a, b := c.bags(i, j)
				if len(a)+len(b) == 0 || 2*float64(min(len(a), len(b))) < movedThreshold*float64(len(a)+len(b)) {
					continue
				}
				s, sg = dice(a, b), noSignal
			}
			if s > bestScore || (s == bestScore && sg > sig) {
				best, bestScore, sig = j, s, sg
			}
		}
		if best < 0 || (sig != strongSignal && bestScore < movedThreshold) {
			continue
		}
		bd, sim := c.compareTexts(i, best)
		if sig != strongSignal && sim < movedThreshold {
			continue
		}
		c.link(i, best, true, bd)
	}
}

// compareTexts diffs the texts (or cells) of old block i and new block j,
// returning a BlockDiff with Spans or Cells set, and the similarity.
func (c *comparer) compareTexts(i, j int) (*BlockDiff, float64) {
	a, b := &c.old[i], &c.new[j]
	if a.Cells == nil || b.Cells == nil {
		spans, kept, words := c.words.spans(a.Text, b.Text)
		return &BlockDiff{Spans: spans}, similarity(kept, words)
	}
	cols := c.columns(i, j)
	bd := &BlockDiff{Cells: make([][]Span, len(cols)), Columns: make([]Op, len(cols))}
	// Similarity: words kept over words, over all columns; the words of a
	// column in one table only are not kept.
	var kept, words int
	for k, col := range cols {
		switch {
		case col.old < 0:
			bd.Columns[k] = Inserted
			bd.Cells[k] = appendSpan([]Span{}, Insert, b.Cells[col.new])
			words += countWords(b.Cells[col.new])
		case col.new < 0:
			bd.Columns[k] = Deleted
			bd.Cells[k] = appendSpan([]Span{}, Delete, a.Cells[col.old])
			words += countWords(a.Cells[col.old])
		default:
			spans, k2, w2 := c.words.spans(a.Cells[col.old], b.Cells[col.new])
			bd.Columns[k] = Same
			bd.Cells[k] = spans
			kept += k2
			words += w2
		}
	}
	return bd, similarity(kept, words)
}

func (c *comparer) blockDiff(i, j int) *BlockDiff {
	bd, _ := c.compareTexts(i, j)
	return bd
}

// column maps a column of the old table to one of the new table; -1 when
// the column is in one table only.
type column struct{ old, new int }

// columns aligns the columns of the tables of old row i and new row j by
// their header cells: equal headers match, and where headers were replaced
// the replaced columns match in order (a renamed column), the rest being
// added or removed columns.
func (c *comparer) columns(i, j int) []column {
	na, nb := len(c.old[i].Cells), len(c.new[j].Cells)
	var ha, hb []string
	if h := c.oldHead[i]; h >= 0 && len(c.old[h].Cells) == na {
		ha = c.old[h].Cells
	}
	if h := c.newHead[j]; h >= 0 && len(c.new[h].Cells) == nb {
		hb = c.new[h].Cells
	}
	if ha == nil || hb == nil {
		// No usable headers: match columns by position.
		ha, hb = make([]string, na), make([]string, nb)
	}
	ids := map[string]int{}
	toRunes := func(cells []string) []rune {
		rs := make([]rune, len(cells))
		for k, cell := range cells {
			id, ok := ids[cell]
			if !ok {
				id = len(ids)
				ids[cell] = id
			}
			rs[k] = tokenRune(id % maxTokens)
		}
		return rs
	}
	ra, rb := toRunes(ha), toRunes(hb)
	edits := myers(c.dmp, ra, rb, time.Until(c.words.deadline), false)
	var cols []column
	x, y := 0, 0
	var dels, inss []int
	flush := func() {
		for k := 0; k < len(dels) || k < len(inss); k++ {
			col := column{-1, -1}
			if k < len(dels) {
				col.old = dels[k]
			}
			if k < len(inss) {
				col.new = inss[k]
			}
			cols = append(cols, col)
		}
		dels, inss = dels[:0], inss[:0]
	}
	for _, e := range edits {
		for k := 0; k < e.n; k++ {
			switch e.op {
			case Equal:
				flush()
				cols = append(cols, column{x, y})
				x++
				y++
			case Delete:
				dels = append(dels, x)
				x++
			case Insert:
				inss = append(inss, y)
				y++
			}
		}
	}
	flush()
	return cols
}

// emit builds the redline from the alignment and the pairs.
func (c *comparer) emit() *Redline {
	r := &Redline{Blocks: make([]BlockDiff, 0, max(len(c.old), len(c.new)))}
	add := func(bd BlockDiff) {
		r.Blocks = append(r.Blocks, bd)
		switch bd.Op {
		case Same:
			r.Unchanged++
		case Inserted:
			r.Inserted++
		case Deleted:
			r.Deleted++
		case Changed:
			r.Changed++
		case Moved:
			r.Moved++
		case Renumbered:
			r.Renumbered++
		}
	}
	for _, s := range c.segments {
		if s.gap < 0 {
			for k := 0; k < s.n; k++ {
				i, j := s.oldStart+k, s.newStart+k
				bd := BlockDiff{Op: Same, Old: &c.old[i], New: &c.new[j], OldIndex: i, NewIndex: j}
				if c.old[i].Text != c.new[j].Text {
					// Aligned on their text without the clause number.
					bd.Op = Changed
					if c.renumbered[j] {
						bd.Op = Renumbered
					}
					bd.Spans = c.spansOf(i, j)
				}
				add(bd)
			}
			continue
		}
		g := c.gaps[s.gap]
		if g.reflow != nil {
			c.emitReflow(r, g.reflow)
			continue
		}
		x := 0         // next deleted block of the gap to emit
		var held []int // inserted or moved-in blocks waiting for the deleted ones
		for _, j := range g.ins {
			i := c.newPair[j]
			if i < 0 || c.moved[j] {
				held = append(held, j)
				continue
			}
			// A changed block: first the deleted blocks before it, then the
			// inserted ones, then the block.
			for ; x < len(g.dels) && g.dels[x] != i; x++ {
				c.emitDeleted(g.dels[x], add)
			}
			x++
			for _, h := range held {
				add(c.inserted(h))
			}
			held = held[:0]
			add(c.inserted(j))
		}
		for ; x < len(g.dels); x++ {
			c.emitDeleted(g.dels[x], add)
		}
		for _, h := range held {
			add(c.inserted(h))
		}
	}
	return r
}

// inserted returns the BlockDiff of new block j: Inserted, or Changed or
// Moved when it is paired.
func (c *comparer) inserted(j int) BlockDiff {
	bd := BlockDiff{Op: Inserted, New: &c.new[j], OldIndex: -1, NewIndex: j}
	if i := c.newPair[j]; i >= 0 {
		bd.Op, bd.Old, bd.OldIndex = Changed, &c.old[i], i
		switch {
		case c.moved[j]:
			bd.Op = Moved
		case c.renumbered[j] && c.oldKey[i] == c.newKey[j]:
			bd.Op = Renumbered
		}
		if p := c.pairDiff[j]; p != nil {
			bd.Spans, bd.Cells, bd.Columns = p.Spans, p.Cells, p.Columns
		} else if c.old[i].Text != c.new[j].Text && (c.old[i].Cells == nil || c.new[j].Cells == nil) {
			bd.Spans = c.spansOf(i, j)
		}
	}
	return bd
}

// spansOf returns the spans of the pair old i, new j: those found when
// they were paired or their numbers compared, else a word diff.
func (c *comparer) spansOf(i, j int) []Span {
	if p := c.pairDiff[j]; p != nil && p.Spans != nil {
		return p.Spans
	}
	spans, _, _ := c.words.spans(c.old[i].Text, c.new[j].Text)
	return spans
}

// splitReflows finds the re-paragraphed runs of each gap and splits the
// gap around them: the blocks before a run, the run, the blocks after it.
func (c *comparer) splitReflows() {
	var gaps []gap
	var segments []segment
	for _, sg := range c.segments {
		if sg.gap < 0 {
			segments = append(segments, sg)
			continue
		}
		g := c.gaps[sg.gap]
		rest := g
		for _, rf := range c.findReflows(&g) {
			var before gap
			for len(rest.dels) > 0 && rest.dels[0] < rf.dels[0] {
				before.dels, rest.dels = append(before.dels, rest.dels[0]), rest.dels[1:]
			}
			for len(rest.ins) > 0 && rest.ins[0] < rf.ins[0] {
				before.ins, rest.ins = append(before.ins, rest.ins[0]), rest.ins[1:]
			}
			if len(before.dels)+len(before.ins) > 0 {
				gaps = append(gaps, before)
				segments = append(segments, segment{gap: len(gaps) - 1})
			}
			rest.dels = slices.DeleteFunc(rest.dels, func(i int) bool { return slices.Contains(rf.dels, i) })
			rest.ins = slices.DeleteFunc(rest.ins, func(j int) bool { return slices.Contains(rf.ins, j) })
			gaps = append(gaps, gap{dels: rf.dels, ins: rf.ins, reflow: &rf})
			segments = append(segments, segment{gap: len(gaps) - 1})
		}
		if len(rest.dels)+len(rest.ins) > 0 {
			gaps = append(gaps, rest)
			segments = append(segments, segment{gap: len(gaps) - 1})
		}
	}
	c.gaps, c.segments = gaps, segments
}

// emitReflow adds the blocks of a re-paragraphed run: the p-th old and
// p-th new paragraph together, for p up to the longer side.
func (c *comparer) emitReflow(r *Redline, rf *reflow) {
	group := 1
	for k := len(r.Blocks) - 1; k >= 0; k-- {
		if r.Blocks[k].Group > 0 {
			group = r.Blocks[k].Group + 1
			break
		}
	}
	if rf.edited {
		r.Changed++
	} else {
		r.Reparagraphed++
	}
	for p := 0; p < max(len(rf.dels), len(rf.ins)); p++ {
		bd := BlockDiff{Op: Reparagraphed, OldIndex: -1, NewIndex: -1, Group: group}
		if p < len(rf.dels) {
			i := rf.dels[p]
			bd.Old, bd.OldIndex = &c.old[i], i
		}
		if p < len(rf.ins) {
			j := rf.ins[p]
			bd.New, bd.NewIndex, bd.Spans = &c.new[j], j, rf.spans[p]
		}
		r.Blocks = append(r.Blocks, bd)
	}
}

// emitDeleted adds old block i as Deleted unless it is paired: then it is
// emitted with its new block.
func (c *comparer) emitDeleted(i int, add func(BlockDiff)) {
	if c.oldPair[i] >= 0 {
		return
	}
	add(BlockDiff{Op: Deleted, Old: &c.old[i], OldIndex: i, NewIndex: -1})
}

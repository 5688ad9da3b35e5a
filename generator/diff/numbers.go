package diff

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/clause-portal/clause/generator/markdown"
)

// Clause numbers are text: "5 Security" and "6 Security" differ. But a
// clause inserted before clause 5 shifts every later number by one, and a
// reader wants that said once ("clauses 5–14 renumbered to 6–15"), not ten
// headings marked changed. So blocks are aligned on their text without
// the number, and a number that changed is then a renumbering when the
// numbers of a run of clauses shifted by the same amount and read in
// sequence in both versions (each one more than the clause before it of
// the same kind, or the first); any other changed number is a change.

// clauseNumber is the clause number a block's text opens with.
type clauseNumber struct {
	// start and end are the byte range in Block.Text of the number's core:
	// "5.2" of "5.2 Audits", "a" of "(a)", "7" of "7.". end is 0 when the
	// block has no number.
	start, end int
	// core is the number as written: "5.2".
	core string
	// family says which numbers count in sequence with which: headings
	// and numbered clauses by depth, lettered clauses, a list's items.
	family family
	// scope is what a number continues from: the parent number ("5" for
	// "5.2", "5.2" for "5.2(b)"); numbers in sequence share it.
	scope string
}

// family is a kind of numbering: its kind, and its depth (the count of
// components of a clause number, a list item's level) and quote depth.
type family struct {
	kind         familyKind
	depth, quote int
}

type familyKind uint8

const (
	clauseFamily familyKind = iota + 1 // "5", "5.2", headings and clauses
	letterFamily                       // "(a)", "(iv)"
	itemFamily                         // an ordered list's items
)

// comps returns the components of the number: "5", "2".
func (n clauseNumber) comps() []string { return strings.Split(n.core, ".") }

// numberOf finds the clause number a block's text opens with: a heading's
// Number, or a clause paragraph's or an ordered list item's Clause.
func numberOf(b *markdown.Block) clauseNumber {
	var n clauseNumber
	var core string
	switch {
	case b.Kind == markdown.KindHeading && b.Number != "":
		k := strings.Index(b.Text, b.Number)
		if k < 0 || k > 12 || strings.ContainsAny(b.Text[:k], "0123456789") {
			return n
		}
		n.start, n.end, core = k, k+len(b.Number), b.Number
	case (b.Kind == markdown.KindParagraph || b.Kind == markdown.KindListItem) && b.Clause != "" && strings.HasPrefix(b.Text, b.Clause):
		// The core is the last run of letters, digits and dots of the
		// label, without dots at its ends: "1.1" of "1.1.", "a" of "(a)",
		// "4.2" of "Clause 4.2".
		end := len(b.Clause)
		for end > 0 && !isNumberChar(b.Clause[end-1]) {
			end--
		}
		for end > 0 && b.Clause[end-1] == '.' {
			end--
		}
		start := end
		for start > 0 && isNumberChar(b.Clause[start-1]) {
			start--
		}
		for start < end && b.Clause[start] == '.' {
			start++
		}
		if start == end {
			return n
		}
		n.start, n.end, core = start, end, b.Clause[start:end]
	default:
		return n
	}
	n.core = core
	paren := n.start > 0 && b.Text[n.start-1] == '('
	switch {
	case b.Kind == markdown.KindListItem:
		n.family = family{itemFamily, b.Level, b.Quote}
	case paren:
		n.family = family{letterFamily, 0, b.Quote}
		if k := strings.LastIndexByte(b.Number, '('); k >= 0 {
			n.scope = b.Number[:k]
		}
	default:
		n.family = family{clauseFamily, strings.Count(core, ".") + 1, b.Quote}
		if k := strings.LastIndexByte(core, '.'); k >= 0 {
			n.scope = core[:k]
		}
	}
	return n
}

func isNumberChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.'
}

// has reports whether the block has a clause number.
func (n clauseNumber) has() bool { return n.end > 0 }

// stripped returns a block's text around its clause number, for aligning
// blocks whatever their numbers: the text before the number (all of it
// when there is none) and after it.
func stripped(text string, n clauseNumber) (before, after string) {
	if !n.has() {
		return text, ""
	}
	return text[:n.start], text[n.end:]
}

// Styles of a number component.
const (
	styleDigits = iota
	styleLetter
	styleRoman
	styles
)

// componentValues returns the values of a number component in each style
// it can be read in, -1 where it cannot: "9" is 9 in digits, "i" the 9th
// letter or roman 1, "iv" roman 4.
func componentValues(s string) [styles]int {
	v := [styles]int{-1, -1, -1}
	if s == "" || len(s) > 6 {
		return v
	}
	s = strings.ToLower(s)
	if n, err := strconv.Atoi(s); err == nil && s[0] != '+' && s[0] != '-' {
		v[styleDigits] = n
		return v
	}
	if len(s) == 1 && s[0] >= 'a' && s[0] <= 'z' {
		v[styleLetter] = int(s[0]-'a') + 1
	}
	v[styleRoman] = roman(s)
	return v
}

// roman returns the value of a lower-case roman numeral, or -1.
func roman(s string) int {
	digits := map[byte]int{'i': 1, 'v': 5, 'x': 10, 'l': 50, 'c': 100}
	total := 0
	for i := 0; i < len(s); i++ {
		d, ok := digits[s[i]]
		if !ok {
			return -1
		}
		if i+1 < len(s) && digits[s[i+1]] > d {
			total -= d
		} else {
			total += d
		}
	}
	if total <= 0 {
		return -1
	}
	return total
}

// delta returns b minus a, read in the first style both can be read in.
func delta(a, b string) (int, bool) {
	va, vb := componentValues(a), componentValues(b)
	for st := range styles {
		if va[st] >= 0 && vb[st] >= 0 {
			return vb[st] - va[st], true
		}
	}
	return 0, false
}

// first reports whether a number component is the first of a sequence:
// 1, a, A, i, I.
func first(s string) bool {
	v := componentValues(s)
	return v[styleDigits] == 1 || v[styleLetter] == 1 || v[styleRoman] == 1
}

// shift says how a number changed: which component, and by how much. ok is
// false unless the two numbers are of one family and differ in exactly one
// component, by a count.
func shift(a, b clauseNumber) (comp, by int, ok bool) {
	ca, cb := a.comps(), b.comps()
	if a.family != b.family || len(ca) != len(cb) {
		return 0, 0, false
	}
	comp = -1
	for k := range ca {
		if ca[k] == cb[k] {
			continue
		}
		if comp >= 0 {
			return 0, 0, false
		}
		comp = k
	}
	if comp < 0 {
		return 0, 0, false
	}
	by, ok = delta(ca[comp], cb[comp])
	return comp, by, ok && by != 0
}

// numbering holds the clause numbers of one version's blocks and, for
// each numbered block, the numbered block of its family before it.
type numbering struct {
	nums []clauseNumber
	prev []int
}

func newNumbering(blocks []markdown.Block) numbering {
	nb := numbering{nums: make([]clauseNumber, len(blocks)), prev: make([]int, len(blocks))}
	last := map[family]int{}
	for i := range blocks {
		nb.prev[i] = -1
		n := numberOf(&blocks[i])
		nb.nums[i] = n
		if !n.has() {
			continue
		}
		if p, ok := last[n.family]; ok {
			nb.prev[i] = p
		}
		last[n.family] = i
	}
	return nb
}

// inSequence reports whether block i's number follows the number before
// it in its family, or starts a sequence.
func (nb numbering) inSequence(i int) bool {
	n := nb.nums[i]
	lastComp := lastComponent(n.core)
	if first(lastComp) {
		return true
	}
	p := nb.prev[i]
	if p < 0 || nb.nums[p].scope != n.scope {
		return false
	}
	d, ok := delta(lastComponent(nb.nums[p].core), lastComp)
	return ok && d == 1
}

// lastComponent returns the last component of a number: "2" of "5.2".
func lastComponent(core string) string {
	return core[strings.LastIndexByte(core, '.')+1:]
}

// numberChange is a pair of blocks whose clause numbers differ.
type numberChange struct {
	old, new  int
	comp, by  int
	shiftable bool
}

// renumber finds the pairs whose numbers changed, decides which are
// renumberings, and gives them spans: the number marked (quietly, for a
// renumbering), the rest of the text diffed word by word. It returns the
// renumbered runs for the summary.
func (c *comparer) renumber() []Renumbering {
	var changes []numberChange
	pairs := slices.Clone(c.newPair)
	for _, sg := range c.segments {
		for k := 0; k < sg.n; k++ {
			pairs[sg.newStart+k] = sg.oldStart + k
		}
	}
	for j, i := range pairs {
		if i < 0 || c.reflowed[j] || c.new[j].Cells != nil {
			continue
		}
		a, b := c.oldNum.nums[i], c.newNum.nums[j]
		if !a.has() || !b.has() || c.old[i].Text[a.start:a.end] == c.new[j].Text[b.start:b.end] {
			continue
		}
		if c.old[i].Text[:a.start] != c.new[j].Text[:b.start] {
			continue // "Clause 4" became "Article 5": not a number alone
		}
		ch := numberChange{old: i, new: j}
		ch.comp, ch.by, ch.shiftable = shift(a, b)
		changes = append(changes, ch)
	}
	// Runs: consecutive numbers of a family (in the new version) shifted
	// alike. A run is a renumbering when all its numbers are in sequence
	// in both versions.
	renumbered := map[int]bool{}
	var runs [][]numberChange
	for k := 0; k < len(changes); {
		ch := changes[k]
		run := []numberChange{ch}
		cur := ch
		for {
			// The next number of the family after cur, in the new version.
			nk := -1
			for x := k + 1; x < len(changes); x++ {
				if c.newNum.prev[changes[x].new] == cur.new {
					nk = x
					break
				}
			}
			if nk < 0 || changes[nk].comp != ch.comp || changes[nk].by != ch.by || !changes[nk].shiftable {
				break
			}
			cur = changes[nk]
			run = append(run, cur)
			changes = slices.Delete(changes, nk, nk+1)
		}
		k++
		ok := ch.shiftable
		for _, m := range run {
			ok = ok && c.oldNum.inSequence(m.old) && c.newNum.inSequence(m.new)
		}
		for _, m := range run {
			if ok {
				renumbered[m.new] = true
			}
			c.numberSpans(m.old, m.new, ok)
		}
		if ok {
			runs = append(runs, run)
		}
	}
	c.renumbered = renumbered
	return c.renumberings(runs)
}

// numberSpans gives the pair old i, new j spans that mark the number
// change alone, and diff the rest of the text word by word.
func (c *comparer) numberSpans(i, j int, quiet bool) {
	a, b := &c.old[i], &c.new[j]
	na, nb := c.oldNum.nums[i], c.newNum.nums[j]
	spans := appendSpan(nil, Equal, a.Text[:na.start])
	spans = append(spans, Span{Op: Delete, Text: a.Text[na.start:na.end], Renumbered: quiet}, Span{Op: Insert, Text: b.Text[nb.start:nb.end], Renumbered: quiet})
	rest, _, _ := c.words.spans(a.Text[na.end:], b.Text[nb.end:])
	spans = append(spans, rest...)
	bd := c.pairDiff[j]
	if bd == nil {
		bd = &BlockDiff{}
		c.pairDiff[j] = bd
	}
	bd.Spans = spans
}

// renumberings describes the runs for the summary: runs of the numbers of
// different depths shifted at the same component (clauses 5–14 and their
// sub-clauses 5.1–14.3) are one, named by that component.
func (c *comparer) renumberings(runs [][]numberChange) []Renumbering {
	type entry struct {
		rn     Renumbering
		key    string
		lo, hi int // new indices covered
	}
	var out []*entry
	for _, run := range runs {
		// A run of moved blocks only is told as a move.
		allMoved := true
		for _, m := range run {
			allMoved = allMoved && c.moved[m.new]
		}
		if allMoved {
			continue
		}
		f, l := run[0], run[len(run)-1]
		nf, nl := c.oldNum.nums[f.old], c.oldNum.nums[l.old]
		fam := nf.family.kind
		label := func(n clauseNumber) string {
			if fam == letterFamily {
				return "(" + n.core + ")"
			}
			return strings.Join(n.comps()[:f.comp+1], ".")
		}
		e := &entry{
			rn: Renumbering{
				From:   [2]string{label(nf), label(nl)},
				To:     [2]string{label(c.newNum.nums[f.new]), label(c.newNum.nums[l.new])},
				Blocks: len(run),
				Items:  fam == itemFamily && c.new[f.new].Level > 1,
			},
			key: strconv.Itoa(int(fam)) + "/" + strconv.Itoa(f.comp) + "/" + strconv.Itoa(f.by) + "/" + strings.Join(nf.comps()[:f.comp], "."),
			lo:  f.new, hi: l.new,
		}
		merged := false
		for _, o := range out {
			// Runs of one shift that overlap in the document are one:
			// clauses 5–14 and their sub-clauses 5.1–14.3.
			if o.key != e.key || o.lo > e.hi || e.lo > o.hi {
				continue
			}
			// Widen o to cover e.
			if less(e.rn.From[0], o.rn.From[0]) {
				o.rn.From[0], o.rn.To[0] = e.rn.From[0], e.rn.To[0]
			}
			if less(o.rn.From[1], e.rn.From[1]) {
				o.rn.From[1], o.rn.To[1] = e.rn.From[1], e.rn.To[1]
			}
			o.rn.Blocks += e.rn.Blocks
			o.lo, o.hi = min(o.lo, e.lo), max(o.hi, e.hi)
			merged = true
			break
		}
		if !merged {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b *entry) int { return cmp.Compare(a.lo, b.lo) })
	rns := make([]Renumbering, len(out))
	for k, e := range out {
		rns[k] = e.rn
	}
	return rns
}

// less compares two clause numbers ("5", "14", "5.2") component by
// component, by value.
func less(a, b string) bool {
	ca, cb := strings.Split(a, "."), strings.Split(b, ".")
	for k := 0; k < len(ca) && k < len(cb); k++ {
		if d, ok := delta(ca[k], cb[k]); ok && d != 0 {
			return d > 0
		}
	}
	return len(ca) < len(cb)
}

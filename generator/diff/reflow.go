package diff

import (
	"slices"
	"time"

	"github.com/clause-portal/clause/generator/markdown"
)

// Re-paragraphing: a paragraph split in two, or two merged into one,
// changes no words, yet block by block it reads as half a paragraph
// deleted and inserted again. So within each stretch of replaced blocks,
// runs of consecutive paragraphs are matched on their words taken
// together: k old paragraphs and m new ones (k + m ≥ 3, one of them 1) whose joined words
// are the same, or nearly, are one re-paragraphed run, and only the words
// that differ are marked.
const (
	// reflowMax bounds the paragraphs on each side of a run.
	reflowMax = 6
	// reflowThreshold is the similarity from which joined paragraphs are
	// one text re-paragraphed (and edited).
	reflowThreshold = 0.8
	// reflowKept is the share of each paragraph's words a run must keep:
	// a new paragraph written next to an edited one is not part of it.
	reflowKept = 0.6
	// reflowBudget bounds the candidate runs tried in one Compare.
	reflowBudget = 20_000
)

// breakToken separates paragraphs in the token streams of a run; it never
// occurs in a block's text (whitespace is folded to spaces).
const breakToken = "\n\x00¶"

// reflow is a re-paragraphed run: old blocks dels, new blocks ins
// (consecutive indices), and the spans of each new block.
type reflow struct {
	dels, ins []int
	spans     [][]Span
	edited    bool
}

// findReflows looks for re-paragraphed runs among the blocks of gap g that
// are not paired yet, marks their blocks paired, and returns them in order.
func (c *comparer) findReflows(g *gap) []reflow {
	dels := unpaired(g.dels, c.oldPair)
	ins := unpaired(g.ins, c.newPair)
	if len(dels) == 0 || len(ins) == 0 || len(dels)+len(ins) < 3 {
		return nil
	}
	firsts := make([]string, len(ins))
	for y, j := range ins {
		firsts[y] = firstWord(c.new[j].Text)
	}
	var out []reflow
	y0 := 0
	for x := 0; x < len(dels); x++ {
		i := dels[x]
		if !c.reflowable(&c.old[i]) || c.oldPair[i] >= 0 {
			continue
		}
		w := firstWord(c.old[i].Text)
		for y := y0; y < len(ins) && y < y0+window; y++ {
			j := ins[y]
			if c.budget <= 0 {
				return out
			}
			if c.newPair[j] >= 0 || !c.reflowable(&c.new[j]) || !c.sameShape(i, j) || firsts[y] != w {
				continue
			}
			if rf, ok := c.bestReflow(dels[x:], ins[y:]); ok {
				for _, a := range rf.dels {
					c.oldPair[a] = rf.ins[0]
				}
				for _, b := range rf.ins {
					c.newPair[b] = rf.dels[0]
					c.reflowed[b] = true
				}
				out = append(out, rf)
				x += len(rf.dels) - 1
				y0 = y + len(rf.ins)
				break
			}
		}
	}
	return out
}

// reflowable reports whether a block can be part of a re-paragraphed run:
// a paragraph.
func (c *comparer) reflowable(b *markdown.Block) bool {
	return b.Kind == markdown.KindParagraph && b.Text != ""
}

// sameShape reports whether old block i and new block j sit alike: same
// kind, list depth and quote depth.
func (c *comparer) sameShape(i, j int) bool {
	a, b := &c.old[i], &c.new[j]
	return a.Kind == b.Kind && a.Level == b.Level && a.Quote == b.Quote
}

// bestReflow tries the runs starting at dels[0] and ins[0] and returns the
// most similar that qualifies.
func (c *comparer) bestReflow(dels, ins []int) (reflow, bool) {
	run := func(idx []int, blocks []markdown.Block, first int, pair []int) int {
		n := 1
		for n < len(idx) && n < reflowMax && idx[n] == idx[n-1]+1 && pair[idx[n]] < 0 && c.reflowable(&blocks[idx[n]]) &&
			blocks[idx[n]].Level == blocks[first].Level && blocks[idx[n]].Quote == blocks[first].Quote {
			n++
		}
		return n
	}
	kMax := run(dels, c.old, dels[0], c.oldPair)
	mMax := run(ins, c.new, ins[0], c.newPair)
	if kMax+mMax < 3 {
		return reflow{}, false
	}
	// Word counts of the runs so far: the sizes of the bags bound the
	// similarity, so most candidates are dropped without a diff.
	oldWords := make([]int, kMax+1)
	for k := 1; k <= kMax; k++ {
		a, _ := c.bags(dels[k-1], ins[0])
		oldWords[k] = oldWords[k-1] + len(a)
	}
	newWords := make([]int, mMax+1)
	for m := 1; m <= mMax; m++ {
		_, b := c.bags(dels[0], ins[m-1])
		newWords[m] = newWords[m-1] + len(b)
	}
	var best reflow
	bestSim := 0.0
	for k := 1; k <= kMax; k++ {
		for m := 1; m <= mMax; m++ {
			// One paragraph split into several, or several merged into
			// one: k = m would be paragraphs edited one by one (for
			// pairGap), and other runs are rare and costly to look for.
			if k+m < 3 || min(k, m) != 1 {
				continue
			}
			a, b := oldWords[k], newWords[m]
			if a+b == 0 || 2*float64(min(a, b)) < reflowThreshold*float64(a+b) {
				continue
			}
			if c.budget--; c.budget < 0 {
				return best, bestSim > 0
			}
			if dice(c.runBag(c.oldBag, dels[:k]), c.runBag(c.newBag, ins[:m])) < reflowThreshold {
				continue
			}
			rf, sim, ok := c.reflowSpans(dels[:k], ins[:m])
			if ok && sim > bestSim {
				best, bestSim = rf, sim
			}
		}
	}
	return best, bestSim > 0
}

// runBag returns the bag of words of blocks idx together: their bags
// (made by bestReflow) merged.
func (c *comparer) runBag(bags []bag, idx []int) bag {
	if len(idx) == 1 {
		return bags[idx[0]]
	}
	var out bag
	for _, i := range idx {
		out = append(out, bags[i]...)
	}
	slices.Sort(out)
	return out
}

// reflowSpans diffs old blocks dels and new blocks ins as one text each,
// paragraph breaks marked, and returns the run with each new block's spans,
// its similarity, and whether it qualifies: similar enough, and every
// paragraph keeping enough of its words.
func (c *comparer) reflowSpans(dels, ins []int) (reflow, float64, bool) {
	w := c.words
	w.ta, w.tb = w.ta[:0], w.tb[:0]
	for k, i := range dels {
		if k > 0 {
			w.ta = append(w.ta, breakToken)
		}
		w.ta = tokenize(c.old[i].Text, w.ta)
	}
	for k, j := range ins {
		if k > 0 {
			w.tb = append(w.tb, breakToken)
		}
		w.tb = tokenize(c.new[j].Text, w.tb)
	}
	clear(w.ids)
	w.ra, w.rb = w.runes(w.ta, w.ra[:0]), w.runes(w.tb, w.rb[:0])
	if len(w.ids) > maxTokens {
		return reflow{}, 0, false
	}
	edits := myers(w.dmp, w.ra, w.rb, time.Until(w.deadline), true)

	rf := reflow{dels: dels, ins: ins, spans: make([][]Span, len(ins))}
	keptOld, wordsOld := make([]int, len(dels)), make([]int, len(dels))
	keptNew, wordsNew := make([]int, len(ins)), make([]int, len(ins))
	raw := make([][]Span, len(ins))
	x, y := 0, 0   // tokens
	po, pn := 0, 0 // paragraphs
	// joined is set from an old paragraph break deleted to the next equal
	// text: a space inserted there replaced it.
	joined := false
	for _, e := range edits {
		for n := 0; n < e.n; n++ {
			switch e.op {
			case Equal:
				t := w.ta[x]
				x++
				y++
				joined = false
				if t == breakToken {
					po++
					pn++
					continue
				}
				if isWord(t) {
					keptOld[po]++
					wordsOld[po]++
					keptNew[pn]++
					wordsNew[pn]++
				}
				raw[pn] = append(raw[pn], Span{Op: Equal, Text: t})
			case Delete:
				t := w.ta[x]
				x++
				if t == breakToken {
					po++
					joined = true
					continue
				}
				if isWord(t) {
					wordsOld[po]++
					rf.edited = true
				}
				raw[pn] = append(raw[pn], Span{Op: Delete, Text: t})
			case Insert:
				t := w.tb[y]
				y++
				if t == breakToken {
					pn++
					continue
				}
				op := Insert
				if isWord(t) {
					wordsNew[pn]++
					rf.edited = true
				} else if isSpace(t) && joined {
					op = Equal // the space that replaced a paragraph break
				}
				raw[pn] = append(raw[pn], Span{Op: op, Text: t})
			}
		}
	}
	kept, words := 0, 0
	for k := range dels {
		if float64(keptOld[k]) < reflowKept*float64(wordsOld[k]) {
			return reflow{}, 0, false
		}
		kept += keptOld[k]
		words += wordsOld[k]
	}
	for k := range ins {
		if float64(keptNew[k]) < reflowKept*float64(wordsNew[k]) {
			return reflow{}, 0, false
		}
		kept += keptNew[k]
		words += wordsNew[k]
	}
	sim := similarity(kept, words)
	if sim < reflowThreshold {
		return reflow{}, 0, false
	}
	for k := range raw {
		// A space deleted at the edge of a new paragraph is the one a
		// paragraph break replaced.
		spans := joinSpans(raw[k])
		for len(spans) > 0 && spans[0].Op == Delete && isSpace(spans[0].Text) {
			spans = spans[1:]
		}
		for l := len(spans); l > 0 && spans[l-1].Op == Delete && isSpace(spans[l-1].Text); l = len(spans) {
			spans = spans[:l-1]
		}
		rf.spans[k] = tidySpans(spans)
		if len(rf.spans[k]) == 0 {
			rf.spans[k] = []Span{}
		}
	}
	return rf, sim, true
}

// joinSpans merges adjacent spans of the same op.
func joinSpans(spans []Span) []Span {
	var out []Span
	for _, s := range spans {
		if l := len(out); l > 0 && out[l-1].Op == s.Op {
			out[l-1].Text += s.Text
			continue
		}
		out = append(out, s)
	}
	return out
}

// firstWord returns the first word of a text.
func firstWord(s string) string {
	for _, t := range tokenize(s[:min(len(s), 64)], nil) {
		if isWord(t) {
			return t
		}
	}
	return ""
}

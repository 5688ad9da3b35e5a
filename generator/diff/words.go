package diff

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Time limits for the Myers diffs. go-diff returns a coarser (still
// correct) diff when a limit is reached, so the time Compare takes is
// bounded whatever its input. A limit reached makes the redline depend on
// the machine's speed and load, so they are far above what documents
// need: the worst realistic case measured, every block of a 60 KB DPA
// edited, takes 15 ms on an idle machine, and a build computes redlines
// while Hugo renders on the other cores.
const (
	// blockTimeout bounds the alignment of the two block sequences.
	blockTimeout = time.Second
	// wordBudget bounds all word-level diffs of one Compare together.
	wordBudget = time.Second
)

// maxTokens is the number of distinct tokens tokenRune can map.
const maxTokens = utf8.MaxRune + 1 - 0x800 - 0x100

// tokenRune maps the i-th distinct token of a sequence to a rune. go-diff
// turns rune slices into strings and back, so every rune must be valid
// UTF-8: the surrogate range is skipped. ASCII is skipped too, so that
// DiffCleanupSemantic, which looks for ASCII spaces and letters, sees every
// token alike and never shifts an edit to a "better" boundary.
func tokenRune(i int) rune {
	i += 0x100
	if i >= 0xD800 {
		i += 0x800
	}
	return rune(i)
}

// edit is one run of a token-level diff: n tokens equal, inserted or deleted.
type edit struct {
	op SpanOp
	n  int
}

// myers diffs two token sequences with go-diff, returning runs of tokens.
// With semantic set, equalities no longer than the edits on both sides are
// folded into the edits (go-diff's DiffCleanupSemantic), so that a
// rewritten sentence reads as one replacement, not as a patchwork of
// changes around a few common words.
func myers(dmp *diffmatchpatch.DiffMatchPatch, a, b []rune, timeout time.Duration, semantic bool) []edit {
	if timeout <= 0 {
		timeout = time.Nanosecond // 0 would mean no limit
	}
	dmp.DiffTimeout = timeout
	diffs := dmp.DiffMainRunes(a, b, false)
	if semantic {
		// DiffCleanupSemanticLossless (go-diff v1.4.0) uses a count of
		// runes as a byte offset, which is wrong for multi-byte runes. The
		// choice of runes (see tokenRune) avoids the damage, and the check
		// makes sure: a cleaned diff that does not reproduce both sequences
		// is not used.
		if cleaned := dmp.DiffCleanupSemantic(slices.Clone(diffs)); reproduces(cleaned, a, b) {
			diffs = cleaned
		}
	}
	edits := make([]edit, 0, len(diffs))
	for _, d := range diffs {
		e := edit{op: Equal, n: utf8.RuneCountInString(d.Text)}
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			e.op = Insert
		case diffmatchpatch.DiffDelete:
			e.op = Delete
		}
		if e.n > 0 {
			edits = append(edits, e)
		}
	}
	return edits
}

// reproduces reports whether diffs turn sequence a into sequence b.
func reproduces(diffs []diffmatchpatch.Diff, a, b []rune) bool {
	i, j := 0, 0
	for _, d := range diffs {
		for _, r := range d.Text {
			switch d.Type {
			case diffmatchpatch.DiffEqual:
				if i >= len(a) || j >= len(b) || a[i] != r || b[j] != r {
					return false
				}
				i++
				j++
			case diffmatchpatch.DiffDelete:
				if i >= len(a) || a[i] != r {
					return false
				}
				i++
			case diffmatchpatch.DiffInsert:
				if j >= len(b) || b[j] != r {
					return false
				}
				j++
			}
		}
	}
	return i == len(a) && j == len(b)
}

// tokenize splits text into tokens that concatenate back to it: runs of
// whitespace, words, and single punctuation or symbol characters at the
// start or end of a word ("(a)" is "(", "a", ")"; "5.2" and "sub-processor"
// stay whole).
func tokenize(s string, tokens []string) []string {
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		j := i + w
		if unicode.IsSpace(r) {
			for j < len(s) {
				r, w := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r) {
					break
				}
				j += w
			}
			tokens = append(tokens, s[i:j])
			i = j
			continue
		}
		for j < len(s) {
			r, w := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += w
		}
		tokens = splitPunct(s[i:j], tokens)
		i = j
	}
	return tokens
}

func isPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

// splitPunct appends a word's leading and trailing punctuation characters
// as tokens of their own, and its core as one token.
func splitPunct(word string, tokens []string) []string {
	start := 0
	for start < len(word) {
		r, w := utf8.DecodeRuneInString(word[start:])
		if !isPunct(r) {
			break
		}
		tokens = append(tokens, word[start:start+w])
		start += w
	}
	end := len(word)
	var trailing []string
	for end > start {
		r, w := utf8.DecodeLastRuneInString(word[start:end])
		if !isPunct(r) {
			break
		}
		trailing = append(trailing, word[end-w:end])
		end -= w
	}
	if end > start {
		tokens = append(tokens, word[start:end])
	}
	for k := len(trailing) - 1; k >= 0; k-- {
		tokens = append(tokens, trailing[k])
	}
	return tokens
}

// isWord reports whether a token counts for similarity: not whitespace,
// not a lone punctuation character.
func isWord(tok string) bool {
	r, w := utf8.DecodeRuneInString(tok)
	return !unicode.IsSpace(r) && !(w == len(tok) && isPunct(r))
}

func isSpace(s string) bool {
	return strings.TrimFunc(s, unicode.IsSpace) == ""
}

// wordDiffer computes word-level spans. It reuses its buffers, so it is not
// safe for concurrent use.
type wordDiffer struct {
	dmp      *diffmatchpatch.DiffMatchPatch
	deadline time.Time
	ids      map[string]int
	ta, tb   []string
	ra, rb   []rune
}

func newWordDiffer(dmp *diffmatchpatch.DiffMatchPatch) *wordDiffer {
	return &wordDiffer{dmp: dmp, deadline: time.Now().Add(wordBudget), ids: map[string]int{}}
}

// spans diffs two texts word by word. It also counts the words of both
// texts, and of those the words kept (in both counts, twice).
func (w *wordDiffer) spans(a, b string) (spans []Span, kept, words int) {
	if a == b {
		n := 2 * countWords(a)
		if a == "" {
			return []Span{}, n, n
		}
		return []Span{{Op: Equal, Text: a}}, n, n
	}
	w.ta = tokenize(a, w.ta[:0])
	w.tb = tokenize(b, w.tb[:0])
	clear(w.ids)
	w.ra, w.rb = w.runes(w.ta, w.ra[:0]), w.runes(w.tb, w.rb[:0])
	var edits []edit
	if len(w.ids) > maxTokens {
		edits = []edit{{Delete, len(w.ta)}, {Insert, len(w.tb)}}
	} else {
		edits = myers(w.dmp, w.ra, w.rb, time.Until(w.deadline), true)
	}
	var raw []Span
	i, j := 0, 0
	for _, e := range edits {
		var toks []string
		switch e.op {
		case Equal:
			toks = w.ta[i : i+e.n]
			i += e.n
			j += e.n
		case Delete:
			toks = w.ta[i : i+e.n]
			i += e.n
		case Insert:
			toks = w.tb[j : j+e.n]
			j += e.n
		}
		for _, t := range toks {
			if isWord(t) {
				words++
				if e.op == Equal {
					kept += 2
					words++
				}
			}
		}
		raw = append(raw, Span{Op: e.op, Text: strings.Join(toks, "")})
	}
	return tidySpans(raw), kept, words
}

// similarity is the share of words kept; 1 when there are no words.
func similarity(kept, words int) float64 {
	if words == 0 {
		return 1
	}
	return float64(kept) / float64(words)
}

// countWords counts the words of a text, as spans does.
func countWords(s string) int {
	n := 0
	for _, t := range tokenize(s, nil) {
		if isWord(t) {
			n++
		}
	}
	return n
}

func (w *wordDiffer) runes(toks []string, out []rune) []rune {
	for _, t := range toks {
		id, ok := w.ids[t]
		if !ok {
			id = len(w.ids)
			w.ids[t] = id
		}
		out = append(out, tokenRune(id%maxTokens))
	}
	return out
}

// tidySpans merges changes separated only by whitespace into one Delete
// span and one Insert span, and moves whitespace common to the start or the
// end of both out of the change. The spans keep both texts.
func tidySpans(raw []Span) []Span {
	out := make([]Span, 0, len(raw))
	for k := 0; k < len(raw); {
		if raw[k].Op == Equal {
			out = append(out, raw[k])
			k++
			continue
		}
		// A change group: changes, and whitespace-only equalities between
		// changes.
		var del, ins strings.Builder
		for k < len(raw) {
			s := raw[k]
			if s.Op == Equal {
				if !isSpace(s.Text) || k+1 >= len(raw) || raw[k+1].Op == Equal {
					break
				}
				del.WriteString(s.Text)
				ins.WriteString(s.Text)
			} else if s.Op == Delete {
				del.WriteString(s.Text)
			} else {
				ins.WriteString(s.Text)
			}
			k++
		}
		d, n := del.String(), ins.String()
		var lead, trail string
		if d != "" && n != "" {
			lead = commonSpacePrefix(d, n)
			d, n = d[len(lead):], n[len(lead):]
			trail = commonSpaceSuffix(d, n)
			d, n = d[:len(d)-len(trail)], n[:len(n)-len(trail)]
		}
		out = appendSpan(out, Equal, lead)
		out = appendSpan(out, Delete, d)
		out = appendSpan(out, Insert, n)
		out = appendSpan(out, Equal, trail)
	}
	// Merge adjacent equal spans left by the whitespace moves.
	merged := out[:0]
	for _, s := range out {
		if l := len(merged); l > 0 && merged[l-1].Op == s.Op && merged[l-1].Renumbered == s.Renumbered {
			merged[l-1].Text += s.Text
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

func appendSpan(spans []Span, op SpanOp, text string) []Span {
	if text == "" {
		return spans
	}
	return append(spans, Span{Op: op, Text: text})
}

func commonSpacePrefix(a, b string) string {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] && (a[n] == ' ' || a[n] == '\t' || a[n] == '\n') {
		n++
	}
	return a[:n]
}

func commonSpaceSuffix(a, b string) string {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] && (a[len(a)-1-n] == ' ' || a[len(a)-1-n] == '\t' || a[len(a)-1-n] == '\n') {
		n++
	}
	return a[len(a)-n:]
}

// bag is the sorted word ids of a block, for a quick similarity estimate.
type bag []int32

// dice returns the Dice coefficient of two bags of words: an upper bound of
// the similarity wordDiffer.spans computes.
func dice(a, b bag) float64 {
	if len(a)+len(b) == 0 {
		return 1
	}
	common := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

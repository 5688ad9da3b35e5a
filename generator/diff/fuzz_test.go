package diff

import (
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/markdown"
	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzCompare checks that for any two markdown bodies the redline accounts
// for every block of both exactly once and reproduces both versions'
// normalized block texts and table cells from its spans, and that the
// writers accept it. The seeds are the golden cases and the unit tests'
// documents.
func FuzzCompare(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		a, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var old, new []byte
		for _, file := range a.Files {
			switch file.Name {
			case "old.md":
				old = file.Data
			case "new.md":
				new = file.Data
			}
		}
		f.Add(old, new)
		f.Add(new, old)
	}
	f.Add([]byte(dpa), []byte(subprocessors))
	f.Add([]byte(subprocessors), []byte("| a | b |\n|---|---|\n| 1 | 2 |\n\n| x |\n|---|\n| 1 |\n"))
	f.Add([]byte("- a\n  - b\n    - c\n\n> q\n>\n> > qq\n"), []byte("- a\n  - c\n    - b\n\n> qq\n"))
	f.Add([]byte("```\n  x  \n\ty\n```\n"), []byte("    x\n\n\ty\n"))
	f.Add([]byte("a\n\na\n\nb\n\na\n"), []byte("b\n\na\n\na\n\nb\n"))
	f.Add([]byte("[x](y) &amp; \\* <z@w.org>\n"), []byte("[x](z) & * z@w.org\n"))
	f.Add([]byte(pastedDPA), []byte(strings.Replace(pastedDPA, "    2.2.", "    2.3.", 1)))
	f.Add([]byte("1.1 A:\n(a) x;\n(b) y.\n• p\n◦ q\n"), []byte("1.1 A:\n(a) z;\n(b) x;\n(c) y.\n– p\n"))
	f.Fuzz(func(t *testing.T, old, new []byte) {
		ob, nb := markdown.Blocks(old), markdown.Blocks(new)
		r := Compare(ob, nb)
		checkRedline(t, ob, nb, r)
		if err := WriteText(io.Discard, r, TextOptions{Color: true}); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(io.Discard, r); err != nil {
			t.Fatal(err)
		}
		// Comparing a version with itself is no change.
		if self := Compare(nb, nb); !self.Identical() || self.Unchanged != len(nb) {
			t.Fatalf("new compared with itself: %+v", self.Stats)
		}
	})
}

// compare parses two markdown bodies and compares them, checking the
// redline's invariants on the way.
func compare(t testing.TB, old, new string) *Redline {
	t.Helper()
	ob, nb := markdown.Blocks([]byte(old)), markdown.Blocks([]byte(new))
	r := Compare(ob, nb)
	checkRedline(t, ob, nb, r)
	return r
}

// checkRedline checks that a redline accounts for every block of both
// versions exactly once, that its spans and cells reproduce both versions'
// texts and cells, and that its stats match its blocks.
func checkRedline(t testing.TB, old, new []markdown.Block, r *Redline) {
	t.Helper()
	seenOld := make([]int, len(old))
	seenNew := make([]int, len(new))
	var stats Stats
	groupEdited := map[int]bool{}
	for k := range r.Blocks {
		bd := &r.Blocks[k]
		if (bd.Op == Reparagraphed) != (bd.Group > 0) {
			t.Fatalf("block %d: op %s in group %d", k, bd.Op, bd.Group)
		}
		if bd.Op == Reparagraphed {
			if _, ok := groupEdited[bd.Group]; !ok {
				groupEdited[bd.Group] = false
			}
			for _, s := range bd.Spans {
				if s.Op != Equal && strings.TrimSpace(s.Text) != "" {
					groupEdited[bd.Group] = true
				}
			}
		}
		switch bd.Op {
		case Same:
			stats.Unchanged++
		case Inserted:
			stats.Inserted++
		case Deleted:
			stats.Deleted++
		case Changed:
			stats.Changed++
		case Moved:
			stats.Moved++
		case Renumbered:
			stats.Renumbered++
		}
		if bd.Op == Reparagraphed {
			if bd.Old == nil && bd.New == nil {
				t.Fatalf("block %d: reparagraphed without a block", k)
			}
		} else if (bd.Old == nil) != (bd.Op == Inserted) || (bd.New == nil) != (bd.Op == Deleted) {
			t.Fatalf("block %d: op %s with old %v, new %v", k, bd.Op, bd.Old != nil, bd.New != nil)
		}
		if bd.Old != nil {
			if bd.OldIndex < 0 || bd.OldIndex >= len(old) || bd.Old != &old[bd.OldIndex] {
				t.Fatalf("block %d: Old does not point to old[%d]", k, bd.OldIndex)
			}
			seenOld[bd.OldIndex]++
			checkSide(t, k, "old", bd, bd.Old, false)
		}
		if bd.New != nil {
			if bd.NewIndex < 0 || bd.NewIndex >= len(new) || bd.New != &new[bd.NewIndex] {
				t.Fatalf("block %d: New does not point to new[%d]", k, bd.NewIndex)
			}
			seenNew[bd.NewIndex]++
			checkSide(t, k, "new", bd, bd.New, true)
		}
		if bd.Op == Same || (bd.Op == Moved && bd.Spans == nil && bd.Cells == nil) {
			if bd.Old.Kind != bd.New.Kind || bd.Old.Text != bd.New.Text || !slices.Equal(bd.Old.Cells, bd.New.Cells) {
				t.Fatalf("block %d: %s but old %+v, new %+v", k, bd.Op, *bd.Old, *bd.New)
			}
		}
		if (bd.Op == Changed || bd.Op == Renumbered) && bd.Spans == nil && bd.Cells == nil {
			t.Fatalf("block %d: %s without spans or cells", k, bd.Op)
		}
		if bd.Op == Renumbered {
			// Only the number changed, and quietly.
			for _, s := range bd.Spans {
				if s.Op != Equal && !s.Renumbered {
					t.Fatalf("block %d: renumbered with span %+v", k, s)
				}
			}
		}
		if bd.Spans != nil && bd.Cells != nil {
			t.Fatalf("block %d: both spans and cells", k)
		}
		for _, s := range bd.Spans {
			if s.Text == "" {
				t.Fatalf("block %d: empty span in %+v", k, bd.Spans)
			}
		}
	}
	for i, n := range seenOld {
		if n != 1 {
			t.Fatalf("old block %d (%q) appears %d times", i, old[i].Text, n)
		}
	}
	for i, n := range seenNew {
		if n != 1 {
			t.Fatalf("new block %d (%q) appears %d times", i, new[i].Text, n)
		}
	}
	for _, edited := range groupEdited {
		if edited {
			stats.Changed++
		} else {
			stats.Reparagraphed++
		}
	}
	checkGroups(t, r)
	if stats != r.Stats {
		t.Fatalf("stats %+v, counted %+v", r.Stats, stats)
	}
	if got, want := r.Old(), joinTexts(old); got != want {
		t.Fatalf("Old() =\n%q\nwant\n%q", got, want)
	}
	if got, want := r.New(), joinTexts(new); got != want {
		t.Fatalf("New() =\n%q\nwant\n%q", got, want)
	}
	if r.Identical() != (stats.Unchanged == len(old) && stats.Unchanged == len(new)) {
		t.Fatalf("Identical() = %v with stats %+v", r.Identical(), stats)
	}
	for x, m := range r.Moves {
		if m.First > m.Last || m.Last >= len(r.Blocks) || m.After >= len(r.Blocks) || m.After < -1 {
			t.Fatalf("move %d: %+v", x, m)
		}
		for k := m.First; k <= m.Last; k++ {
			if r.Blocks[k].Op != Moved || r.Blocks[k].Move != x+1 {
				t.Fatalf("move %d: block %d is %s, move %d", x, k, r.Blocks[k].Op, r.Blocks[k].Move)
			}
		}
	}
}

// checkGroups checks that each re-paragraphed run keeps the words of its
// old paragraphs: the text of its spans on the old side (equal and deleted
// words) is the old paragraphs' text, but for whitespace.
func checkGroups(t testing.TB, r *Redline) {
	t.Helper()
	olds, spansOld := map[int][]string{}, map[int][]string{}
	for _, bd := range r.Blocks {
		if bd.Group == 0 {
			continue
		}
		if bd.Old != nil {
			olds[bd.Group] = append(olds[bd.Group], bd.Old.Text)
		}
		for _, s := range bd.Spans {
			if s.Op != Insert {
				spansOld[bd.Group] = append(spansOld[bd.Group], s.Text)
			}
		}
	}
	for g := range olds {
		want := strings.Fields(strings.Join(olds[g], " "))
		got := strings.Fields(strings.Join(spansOld[g], " "))
		if strings.Join(got, "") != strings.Join(want, "") {
			t.Fatalf("group %d: old side of the spans %q, old paragraphs %q", g, got, want)
		}
	}
}

// checkSide checks one side's reconstruction of a block.
func checkSide(t testing.TB, k int, name string, bd *BlockDiff, b *markdown.Block, isNew bool) {
	t.Helper()
	if got := bd.text(isNew); got != b.Text {
		t.Fatalf("block %d: %s text from spans %q, want %q (spans %+v)", k, name, got, b.Text, bd.Spans)
	}
	if bd.Cells != nil {
		if len(bd.Columns) != len(bd.Cells) {
			t.Fatalf("block %d: %d columns for %d cells", k, len(bd.Columns), len(bd.Cells))
		}
		if got := bd.cells(isNew); !slices.Equal(got, b.Cells) {
			t.Fatalf("block %d: %s cells from spans %q, want %q", k, name, got, b.Cells)
		}
	}
}

func joinTexts(blocks []markdown.Block) string {
	texts := make([]string, len(blocks))
	for i, b := range blocks {
		texts[i] = b.Text
	}
	return strings.Join(texts, "\n")
}

// ops lists the ops of a redline's blocks with their new (or old) text,
// e.g. "same: 1 Definitions".
func ops(r *Redline) []string {
	var out []string
	for _, bd := range r.Blocks {
		b := bd.New
		if b == nil {
			b = bd.Old
		}
		out = append(out, bd.Op.String()+": "+b.Text)
	}
	return out
}

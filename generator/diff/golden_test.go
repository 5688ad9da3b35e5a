package diff

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"maps"
	"slices"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/sergi/go-diff/diffmatchpatch"
)

var update = flag.Bool("update", false, "rewrite the want files of testdata/*.txtar")

// TestGolden runs the cases in testdata/*.txtar. Each archive holds old.md
// and new.md, and the expected redline as WriteText prints it without
// colour (want.txt) and, optionally, as JSON (want.json) and HTML
// (want.html). The archive's comment describes the case; a line
// "context: N" in it sets TextOptions.Context, and a line "words: +I -D"
// states how many words the redline marks inserted and deleted outside
// moved blocks (renumbered clause numbers not counted), which
// checkWordCounts also checks against an independent word diff. With
// -update the want files are rewritten from the current output: review
// every change to them like code.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			old, new := section(t, a, "old.md"), section(t, a, "new.md")
			r := compare(t, string(old), string(new))
			opts := TextOptions{}
			for _, line := range strings.Split(string(a.Comment), "\n") {
				if v, ok := strings.CutPrefix(line, "context: "); ok {
					if opts.Context, err = strconv.Atoi(strings.TrimSpace(v)); err != nil {
						t.Fatal(err)
					}
				}
				if v, ok := strings.CutPrefix(line, "words: "); ok {
					var ins, del int
					if _, err := fmt.Sscanf(v, "+%d -%d", &ins, &del); err != nil {
						t.Fatalf("%q: %v", line, err)
					}
					if gi, gd := markedWords(r); gi != ins || gd != del {
						t.Errorf("words marked: +%d -%d, the case states +%d -%d", gi, gd, ins, del)
					}
					checkWordCounts(t, r)
				}
			}
			var text bytes.Buffer
			if err := WriteText(&text, r, opts); err != nil {
				t.Fatal(err)
			}
			outputs := map[string][]byte{"want.txt": text.Bytes()}
			if has(a, "want.json") {
				var js bytes.Buffer
				if err := WriteJSON(&js, r); err != nil {
					t.Fatal(err)
				}
				outputs["want.json"] = js.Bytes()
			}
			if has(a, "want.html") {
				var h bytes.Buffer
				if err := WriteHTML(&h, r, HTMLOptions{}); err != nil {
					t.Fatal(err)
				}
				outputs["want.html"] = h.Bytes()
			}
			changed := false
			for name, got := range outputs {
				if !has(a, name) {
					a.Files = append(a.Files, txtar.File{Name: name})
				}
				for k := range a.Files {
					f := &a.Files[k]
					if f.Name != name || bytes.Equal(f.Data, got) {
						continue
					}
					if *update {
						f.Data = got
						changed = true
					} else {
						t.Errorf("%s differs; got:\n%s\nwant:\n%s", name, got, f.Data)
					}
				}
			}
			if changed {
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func section(t *testing.T, a *txtar.Archive, name string) []byte {
	t.Helper()
	for _, f := range a.Files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("no %s in archive", name)
	return nil
}

func has(a *txtar.Archive, name string) bool {
	for _, f := range a.Files {
		if f.Name == name {
			return true
		}
	}
	return false
}

// markedWords counts the words a redline marks inserted and deleted, in
// blocks that did not move: whole inserted and deleted blocks, and the
// insert and delete spans of the others, renumbered clause numbers aside.
// Words are what fieldWords finds.
func markedWords(r *Redline) (ins, del int) {
	ins, del, _ = countMarked(r)
	return ins, del
}

func countMarked(r *Redline) (ins, del, renumbered int) {
	for _, bd := range r.Blocks {
		switch bd.Op {
		case Moved:
			continue
		case Inserted:
			ins += len(fieldWords(bd.New.Text))
			continue
		case Deleted:
			del += len(fieldWords(bd.Old.Text))
			continue
		}
		spans := bd.Spans
		for _, cell := range bd.Cells {
			spans = append(slices.Clip(spans), cell...)
		}
		for _, s := range spans {
			n := len(fieldWords(s.Text))
			switch {
			case s.Renumbered:
				if s.Op == Insert {
					renumbered += n
				}
			case s.Op == Insert:
				ins += n
			case s.Op == Delete:
				del += n
			}
		}
	}
	return ins, del, renumbered
}

// checkWordCounts checks the words a redline marks against an independent
// word diff: go-diff's Myers diff on whitespace-separated words, each word
// mapped to a rune, of the blocks that did not move. Taken block by block
// (each pair of blocks the redline aligned, each re-paragraphed run as one
// text), the counts must be equal, a renumbered clause number counting as
// a word deleted and inserted. Taken as the two whole texts, they must be
// equal too when no clause was renumbered; with renumbered clauses the
// whole-text diff, free to align a number with another clause's, may find
// fewer, never more.
func checkWordCounts(t *testing.T, r *Redline) {
	t.Helper()
	gi, gd, rn := countMarked(r)
	// Block by block.
	var ins, del int
	var groupOld, groupNew []string
	flush := func() {
		i, d := wordDiff(groupOld, groupNew)
		ins, del = ins+i, del+d
		groupOld, groupNew = nil, nil
	}
	for k, bd := range r.Blocks {
		if bd.Op == Moved {
			continue
		}
		if bd.Old != nil {
			groupOld = append(groupOld, bd.Old.Text)
		}
		if bd.New != nil {
			groupNew = append(groupNew, bd.New.Text)
		}
		if bd.Group == 0 || k+1 == len(r.Blocks) || r.Blocks[k+1].Group != bd.Group {
			flush()
		}
	}
	if gi+rn != ins || gd+rn != del {
		t.Errorf("redline marks +%d -%d words (and %d renumbered); block by block, an independent word diff finds +%d -%d", gi, gd, rn, ins, del)
	}
	// The whole texts.
	olds := map[int]string{}
	var newTexts []string
	for _, bd := range r.Blocks {
		if bd.Op == Moved {
			continue
		}
		if bd.Old != nil {
			olds[bd.OldIndex] = bd.Old.Text
		}
		if bd.New != nil {
			newTexts = append(newTexts, bd.New.Text)
		}
	}
	var oldTexts []string
	for _, k := range slices.Sorted(maps.Keys(olds)) {
		oldTexts = append(oldTexts, olds[k])
	}
	ins, del = wordDiff(oldTexts, newTexts)
	if rn == 0 && (gi != ins || gd != del) || rn > 0 && (ins > gi+rn || del > gd+rn) {
		t.Errorf("redline marks +%d -%d words (and %d renumbered); on the whole texts, an independent word diff finds +%d -%d", gi, gd, rn, ins, del)
	}
}

// wordDiff counts the words inserted and deleted from old to new, texts
// joined, by go-diff on whitespace-separated words, the punctuation at
// their ends split off (and not counted): "consequences," is the word
// "consequences" and a comma.
func wordDiff(old, new []string) (ins, del int) {
	ids := map[string]rune{}
	isWord := map[rune]bool{}
	runes := func(texts []string) []rune {
		var out []rune
		for _, f := range strings.Fields(strings.Join(texts, " ")) {
			core := strings.TrimFunc(f, isPunctOrSymbol)
			k := strings.Index(f, core)
			if core == "" {
				k = len(f)
			}
			for _, tok := range []string{f[:k], core, f[k+len(core):]} {
				if tok == "" {
					continue
				}
				id, ok := ids[tok]
				if !ok {
					id = rune(0x4E00 + len(ids)) // valid UTF-8, not ASCII
					ids[tok] = id
					isWord[id] = tok == core
				}
				out = append(out, id)
			}
		}
		return out
	}
	a, b := runes(old), runes(new)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	for _, d := range dmp.DiffMainRunes(a, b, false) {
		n := 0
		for _, r := range d.Text {
			if isWord[r] {
				n++
			}
		}
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			ins += n
		case diffmatchpatch.DiffDelete:
			del += n
		}
	}
	return ins, del
}

// fieldWords returns the words of a text: its whitespace-separated fields
// without the punctuation at their ends, those left empty dropped.
func fieldWords(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		if core := strings.TrimFunc(f, isPunctOrSymbol); core != "" {
			out = append(out, core)
		}
	}
	return out
}

func isPunctOrSymbol(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

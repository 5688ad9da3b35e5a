package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// numbered returns a DPA with sections first..last, each with a heading
// "## N Title N" and, when sub is set, two sub-clauses "N.1" and "N.2".
func numbered(first, last int, sub bool, skip ...int) string {
	var b strings.Builder
	b.WriteString("# Data Processing Agreement\n\nThis DPA forms part of the Agreement.\n\n")
	n := first
	for s := first; s <= last; s++ {
		if len(skip) > 0 && s == skip[0] {
			continue
		}
		fmt.Fprintf(&b, "## %d Section about topic %d\n\nThe Processor shall comply with obligation %d.\n\n", n, s, s)
		if sub {
			fmt.Fprintf(&b, "%d.1 The first sub-clause of topic %d applies.\n\n%d.2 The second sub-clause of topic %d applies.\n\n", n, s, n, s)
		}
		n++
	}
	return b.String()
}

func TestRenumberingRules(t *testing.T) {
	base := numbered(1, 14, false)
	inserted := strings.Replace(base, "## 5 Section about topic 5", "## 5 Records\n\nThe Processor shall keep records.\n\n## 6 Section about topic 5", 1)
	for n := 6; n <= 14; n++ {
		inserted = strings.Replace(inserted, fmt.Sprintf("## %d Section about topic %d", n, n), fmt.Sprintf("## %d Section about topic %d", n+1, n), 1)
	}
	for _, c := range []struct {
		name, old, new string
		summary        string
		renumbered     int
	}{
		{"inserted clause", base, inserted, "2 clauses added, clauses 5–14 renumbered to 6–15", 10},
		{"deleted clause", base, numbered(1, 14, false, 5), "2 clauses removed, clauses 6–14 renumbered to 5–13", 9},
		// A heading whose number alone changed, with nothing to explain
		// it, is a changed clause.
		{"lone heading", base, strings.Replace(base, "## 5 Section", "## 7 Section", 1), "1 clause changed", 0},
		// Two numbers shifted alike, but 4 is not followed by 7: a change.
		{"unexplained run", base, strings.Replace(strings.Replace(base, "## 5 Section", "## 7 Section", 1), "## 6 Section", "## 8 Section", 1), "2 clauses changed", 0},
		// Numbering that starts over at 2 is not a renumbering.
		{"start", numbered(1, 3, false), strings.NewReplacer("## 1 ", "## 2 ", "## 2 ", "## 3 ", "## 3 ", "## 4 ").Replace(numbered(1, 3, false)), "3 clauses changed", 0},
		// Sub-clauses renumbered with their clauses are one run.
		{"sub-clauses", numbered(1, 6, true), numbered(1, 6, true, 3), "4 clauses removed, clauses 4–6 renumbered to 3–5", 9},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := compare(t, c.old, c.new)
			if r.Summary() != c.summary || r.Renumbered != c.renumbered {
				t.Errorf("Summary() = %q, %d renumbered; want %q, %d\n%s", r.Summary(), r.Renumbered, c.summary, c.renumbered, strings.Join(ops(r), "\n"))
			}
			for _, bd := range r.Blocks {
				for _, s := range bd.Spans {
					if s.Renumbered != (c.renumbered > 0 && bd.Op != Changed) && s.Op != Equal {
						t.Errorf("%s %q: span %+v", bd.Op, bd.New.Text, s)
					}
				}
			}
		})
	}
}

// A renumbered clause that was also edited is a changed clause, its number
// still marked as renumbered.
func TestRenumberedAndEdited(t *testing.T) {
	base := numbered(1, 8, false)
	new := numbered(1, 8, false, 3)
	new = strings.Replace(new, "## 4 Section about topic 5", "## 4 Section about topic five", 1)
	r := compare(t, base, new)
	if r.Summary() != "1 clause changed, 2 removed, clauses 4–8 renumbered to 3–7" || r.Changed != 1 || r.Renumbered != 4 {
		t.Fatalf("%s %+v\n%s", r.Summary(), r.Stats, strings.Join(ops(r), "\n"))
	}
	for _, bd := range r.Blocks {
		if bd.Op != Changed {
			continue
		}
		want := []Span{{Op: Equal, Text: ""}}[:0]
		want = append(want, Span{Op: Delete, Text: "5", Renumbered: true}, Span{Op: Insert, Text: "4", Renumbered: true},
			Span{Op: Equal, Text: " Section about topic "}, Span{Op: Delete, Text: "5"}, Span{Op: Insert, Text: "five"})
		if fmt.Sprint(bd.Spans) != fmt.Sprint(want) {
			t.Errorf("spans %+v\nwant  %+v", bd.Spans, want)
		}
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Stats        struct{ Renumbered int }
		Renumberings []struct {
			From, To [2]string
			Summary  string
		}
		Blocks []struct {
			Op    string
			Spans []struct {
				Op         string
				Renumbered bool
			}
		}
	}
	if err := json.Unmarshal(js.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Stats.Renumbered != 4 || len(out.Renumberings) != 1 || out.Renumberings[0].From != [2]string{"4", "8"} || out.Renumberings[0].Summary != "clauses 4–8 renumbered to 3–7" {
		t.Errorf("JSON stats %+v, renumberings %+v", out.Stats, out.Renumberings)
	}
	quiet := 0
	for _, b := range out.Blocks {
		for _, s := range b.Spans {
			if s.Renumbered {
				quiet++
			}
		}
	}
	if quiet != 10 { // 5 numbers, each a delete and an insert
		t.Errorf("%d renumbered spans in JSON, want 10", quiet)
	}
}

// Moves are labelled by clause number or heading; "Preamble" only for text
// before the first heading or clause of a document that has them, never in
// a document without either.
func TestMoveLabels(t *testing.T) {
	plain := "The first paragraph of a notice.\n\nThe second paragraph of a notice.\n\nThe third paragraph of a notice.\n"
	moved := "The second paragraph of a notice.\n\nThe third paragraph of a notice.\n\nThe first paragraph of a notice.\n"
	r := compare(t, plain, moved)
	if len(r.Moves) != 1 || r.Moves[0].From != "" || r.Moves[0].To != "" || r.Moves[0].FromLine != 1 || r.Moves[0].ToLine != 5 || r.Moves[0].After != -1 {
		t.Fatalf("moves %+v\n%s", r.Moves, strings.Join(ops(r), "\n"))
	}
	var text bytes.Buffer
	if err := WriteText(&text, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text.String(), "Preamble") || strings.Contains(text.String(), "@@") ||
		!strings.HasPrefix(text.String(), "1 clause moved\n< (moved to line 5)\n") || !strings.Contains(text.String(), "(moved from line 1)") {
		t.Errorf("text redline:\n%s", text.String())
	}

	headed := "Scope of this notice.\n\nIts purpose.\n\n## 1 Terms\n\nThe terms apply.\n"
	r = compare(t, headed, strings.Replace(headed, "Its purpose.\n\n", "", 1)+"\nIts purpose.\n")
	if len(r.Moves) != 1 || r.Moves[0].From != "Preamble" || r.Moves[0].To != "§1" {
		t.Errorf("moves %+v\n%s", r.Moves, strings.Join(ops(r), "\n"))
	}
	var h bytes.Buffer
	if err := WriteHTML(&h, r, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<p class="rl-departed" id="rl-move-1-from"><a href="#rl-move-1">Moved to §1, line 7</a></p>`,
		`<span class="rl-note" id="rl-move-1">Moved from <a href="#rl-move-1-from">Preamble, line 3</a></span>`,
	} {
		if !strings.Contains(h.String(), want) {
			t.Errorf("HTML lacks %s:\n%s", want, h.String())
		}
	}
}

// A paragraph edited and a new paragraph written after it are a changed
// and an inserted block, not a re-paragraphed run.
func TestEditedParagraphAndNewOneAreNotReparagraphed(t *testing.T) {
	old := "## 9 Breaches\n\nThe Processor shall notify the Controller of a Personal Data Breach without undue delay after becoming aware of it.\n"
	new := "## 9 Breaches\n\nThe Processor shall notify the Controller of a Personal Data Breach without undue delay and within 24 hours after becoming aware of it.\n\nThe notification shall describe the nature of the breach and the measures taken.\n"
	r := compare(t, old, new)
	if r.Changed != 1 || r.Inserted != 1 || r.Reparagraphed != 0 {
		t.Errorf("%s %+v\n%s", r.Summary(), r.Stats, strings.Join(ops(r), "\n"))
	}
	// Split, it is re-paragraphed: no change of wording.
	split := "## 9 Breaches\n\nThe Processor shall notify the Controller of a Personal Data Breach\n\nwithout undue delay after becoming aware of it.\n"
	r = compare(t, old, split)
	if !r.LayoutOnly() || r.Identical() || r.Summary() != "No textual change; re-paragraphed in 1 place" {
		t.Errorf("%s %+v\n%s", r.Summary(), r.Stats, strings.Join(ops(r), "\n"))
	}
}

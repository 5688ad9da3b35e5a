package diff

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/sergi/go-diff/diffmatchpatch"
)

const dpa = `# Data Processing Agreement

## 1 Definitions

"Personal Data" has the meaning given in the GDPR.

## 2 Processing

The Processor shall process Personal Data only on documented instructions from the Controller.

The Processor shall notify the Controller of a Personal Data Breach without undue delay and in any event within 48 hours.

## 3 Security

The Processor shall implement the measures in Annex II.

## 4 Sub-processors

The Controller authorises the Sub-processors listed below.

## 5 Audits

The Controller may audit the Processor once a year on 30 days' notice.

## 6 Term

This Agreement ends when the Agreement ends.
`

// replace returns s with one replacement made, failing if old is missing.
func replace(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not in document", old)
	}
	return strings.Replace(s, old, new, 1)
}

func TestReflowIsNoTextualChange(t *testing.T) {
	reflowed := replace(t, dpa, "only on documented instructions from the Controller.",
		"only\non *documented*   instructions\nfrom the **Controller**.")
	reflowed = replace(t, reflowed, "## 6 Term", "6 Term\n------")
	r := compare(t, dpa, reflowed)
	if !r.Identical() || r.Summary() != "No textual change" {
		t.Fatalf("Identical() = %v, Summary() = %q:\n%s", r.Identical(), r.Summary(), ops(r))
	}
	var out bytes.Buffer
	if err := WriteText(&out, r, TextOptions{}); err != nil || out.String() != "No textual change\n" {
		t.Errorf("WriteText = %q, %v", out.String(), err)
	}
}

func TestOneWordChangedMarksThatWord(t *testing.T) {
	r := compare(t, dpa, replace(t, dpa, "within 48 hours", "within 24 hours"))
	if r.Summary() != "1 clause changed" {
		t.Fatalf("Summary() = %q", r.Summary())
	}
	for _, bd := range r.Blocks {
		if bd.Op != Changed {
			continue
		}
		want := []Span{
			{Op: Equal, Text: "The Processor shall notify the Controller of a Personal Data Breach without undue delay and in any event within "},
			{Op: Delete, Text: "48"}, {Op: Insert, Text: "24"}, {Op: Equal, Text: " hours."},
		}
		if !slices.Equal(bd.Spans, want) {
			t.Errorf("spans %+v\nwant  %+v", bd.Spans, want)
		}
		if bd.New.Anchor != "clause-2" || bd.New.Number != "2" {
			t.Errorf("changed block anchor %q number %q, want clause-2, 2", bd.New.Anchor, bd.New.Number)
		}
	}
}

func TestInsertedClauseLeavesTheRestSame(t *testing.T) {
	r := compare(t, dpa, replace(t, dpa, "## 5 Audits", "The Processor shall keep a record of Sub-processors.\n\n## 5 Audits"))
	if r.Inserted != 1 || r.Unchanged != len(r.Blocks)-1 {
		t.Fatalf("%+v\n%s", r.Stats, strings.Join(ops(r), "\n"))
	}
	if r.Summary() != "1 clause added" {
		t.Errorf("Summary() = %q", r.Summary())
	}
	for _, bd := range r.Blocks {
		if bd.Op == Inserted && bd.New.Text != "The Processor shall keep a record of Sub-processors." {
			t.Errorf("inserted %q", bd.New.Text)
		}
	}
}

func TestDeletedClauseLeavesTheRestSame(t *testing.T) {
	r := compare(t, dpa, replace(t, dpa, "The Processor shall implement the measures in Annex II.\n\n", ""))
	if r.Deleted != 1 || r.Unchanged != len(r.Blocks)-1 || r.Summary() != "1 clause removed" {
		t.Fatalf("%s\n%s", r.Summary(), strings.Join(ops(r), "\n"))
	}
}

func TestMovedSectionIsMoved(t *testing.T) {
	audits := "## 5 Audits\n\nThe Controller may audit the Processor once a year on 30 days' notice.\n\n"
	moved := replace(t, dpa, audits, "")
	moved = replace(t, moved, "## 2 Processing", strings.TrimSuffix(audits, "\n")+"\n\n## 2 Processing")
	r := compare(t, dpa, moved)
	want := Stats{Moved: 2, Unchanged: 12}
	if r.Stats != want {
		t.Fatalf("%+v, want %+v\n%s", r.Stats, want, strings.Join(ops(r), "\n"))
	}
	if r.Summary() != "2 clauses moved" {
		t.Errorf("Summary() = %q", r.Summary())
	}
	// Renumbering the moved section keeps it a move, with the number
	// marked as renumbered (it moved, the numbers still read in sequence).
	renumbered := replace(t, moved, "## 5 Audits", "## 2 Audits")
	r = compare(t, dpa, renumbered)
	if r.Moved != 2 || r.Deleted+r.Inserted != 0 {
		t.Fatalf("renumbered: %+v\n%s", r.Stats, strings.Join(ops(r), "\n"))
	}
	for _, bd := range r.Blocks {
		if bd.Op == Moved && bd.New.Kind == 1 && !slices.Equal(bd.Spans, []Span{{Op: Delete, Text: "5", Renumbered: true}, {Op: Insert, Text: "2", Renumbered: true}, {Op: Equal, Text: " Audits"}}) {
			t.Errorf("moved heading spans %+v", bd.Spans)
		}
	}
}

func TestInsertedClauseRenumbersHeadings(t *testing.T) {
	inserted := replace(t, dpa, "## 5 Audits", "## 5 Records\n\nThe Processor shall keep records of processing.\n\n## 6 Audits")
	inserted = replace(t, inserted, "## 6 Term", "## 7 Term")
	r := compare(t, dpa, inserted)
	got := strings.Join(ops(r)[len(r.Blocks)-6:], "\n")
	want := strings.Join([]string{
		"inserted: 5 Records",
		"inserted: The Processor shall keep records of processing.",
		"renumbered: 6 Audits",
		"same: The Controller may audit the Processor once a year on 30 days' notice.",
		"renumbered: 7 Term",
		"same: This Agreement ends when the Agreement ends.",
	}, "\n")
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	for _, bd := range r.Blocks {
		if bd.Op == Renumbered && bd.New.Text == "6 Audits" {
			if bd.Old.Anchor != "clause-5" || bd.New.Anchor != "clause-6" || bd.New.Number != "6" {
				t.Errorf("anchors %q → %q, number %q", bd.Old.Anchor, bd.New.Anchor, bd.New.Number)
			}
			if !slices.Equal(bd.Spans, []Span{{Op: Delete, Text: "5", Renumbered: true}, {Op: Insert, Text: "6", Renumbered: true}, {Op: Equal, Text: " Audits"}}) {
				t.Errorf("spans %+v", bd.Spans)
			}
		}
	}
}

const subprocessors = `## Sub-processors

| Name | Location | Purpose |
|------|----------|---------|
| Acme Cloud | Ireland | Hosting |
| Beta Mail | France | E-mail delivery |
| Gamma Support | United States | Customer support |
`

func TestTableChangedCell(t *testing.T) {
	r := compare(t, subprocessors, replace(t, subprocessors, "| Beta Mail | France |", "| Beta Mail | Germany |"))
	if r.Changed != 1 || r.Unchanged != 4 {
		t.Fatalf("%+v\n%s", r.Stats, strings.Join(ops(r), "\n"))
	}
	bd := r.Blocks[3]
	want := [][]Span{{{Op: Equal, Text: "Beta Mail"}}, {{Op: Delete, Text: "France"}, {Op: Insert, Text: "Germany"}}, {{Op: Equal, Text: "E-mail delivery"}}}
	if bd.Op != Changed || bd.Spans != nil || !slices.EqualFunc(bd.Cells, want, slices.Equal) ||
		!slices.Equal(bd.Columns, []Op{Same, Same, Same}) {
		t.Errorf("%s cells %+v columns %v", bd.Op, bd.Cells, bd.Columns)
	}
}

func TestTableReorderedRowIsMoved(t *testing.T) {
	reordered := replace(t, subprocessors, "| Gamma Support | United States | Customer support |\n", "")
	reordered = replace(t, reordered, "| Acme Cloud", "| Gamma Support | United States | Customer support |\n| Acme Cloud")
	r := compare(t, subprocessors, reordered)
	if r.Moved != 1 || r.Changed+r.Inserted+r.Deleted != 0 {
		t.Fatalf("%+v\n%s", r.Stats, strings.Join(ops(r), "\n"))
	}
	// Reordered and edited: still one moved row, with the cell change.
	edited := replace(t, reordered, "| Gamma Support | United States |", "| Gamma Support | Canada |")
	r = compare(t, subprocessors, edited)
	if r.Moved != 1 || r.Changed+r.Inserted+r.Deleted != 0 {
		t.Fatalf("%+v\n%s", r.Stats, strings.Join(ops(r), "\n"))
	}
}

func TestTableColumnAdded(t *testing.T) {
	old := "| Name | Purpose |\n|---|---|\n| Acme Cloud | Hosting |\n| Beta Mail | E-mail |\n"
	new := "| Name | Location | Purpose |\n|---|---|---|\n| Acme Cloud | Ireland | Hosting |\n| Beta Mail | France | E-mail |\n"
	r := compare(t, old, new)
	if r.Changed != 3 {
		t.Fatalf("%+v\n%s", r.Stats, strings.Join(ops(r), "\n"))
	}
	row := r.Blocks[1]
	want := [][]Span{{{Op: Equal, Text: "Acme Cloud"}}, {{Op: Insert, Text: "Ireland"}}, {{Op: Equal, Text: "Hosting"}}}
	if !slices.EqualFunc(row.Cells, want, slices.Equal) || !slices.Equal(row.Columns, []Op{Same, Inserted, Same}) {
		t.Errorf("cells %+v columns %v", row.Cells, row.Columns)
	}
	// And removed again.
	r = compare(t, new, old)
	if got := r.Blocks[2].Columns; !slices.Equal(got, []Op{Same, Deleted, Same}) {
		t.Errorf("columns %v", got)
	}
}

func TestChangedLinkIsAChange(t *testing.T) {
	old := "See the [privacy policy](https://example.com/privacy) and https://example.com/dpa.\n"
	r := compare(t, old, strings.Replace(old, "/privacy", "/privacy-2027", 1))
	if r.Changed != 1 {
		t.Fatalf("%+v", r.Stats)
	}
	var text bytes.Buffer
	if err := WriteText(&text, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "privacy policy <[-https://example.com/privacy-]{+https://example.com/privacy-2027+}>") {
		t.Errorf("URL change not marked:\n%s", text.String())
	}
}

func TestSummary(t *testing.T) {
	for _, c := range []struct {
		s    Stats
		want string
	}{
		{Stats{Unchanged: 9}, "No textual change"},
		{Stats{Changed: 3, Inserted: 1, Deleted: 1}, "3 clauses changed, 1 added, 1 removed"},
		{Stats{Changed: 1}, "1 clause changed"},
		{Stats{Inserted: 2, Moved: 1}, "2 clauses added, 1 moved"},
		{Stats{Deleted: 1, Moved: 4}, "1 clause removed, 4 moved"},
	} {
		if got := c.s.Summary(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.s, got, c.want)
		}
	}
}

func TestEmptyDocuments(t *testing.T) {
	if r := compare(t, "", ""); !r.Identical() || len(r.Blocks) != 0 {
		t.Errorf("empty: %+v", r)
	}
	if r := compare(t, "", dpa); r.Inserted != 14 {
		t.Errorf("from empty: %+v", r.Stats)
	}
	if r := compare(t, dpa, ""); r.Deleted != 14 {
		t.Errorf("to empty: %+v", r.Stats)
	}
}

func TestWriteTextColor(t *testing.T) {
	r := compare(t, dpa, replace(t, dpa, "within 48 hours", "within 24 hours"))
	var out bytes.Buffer
	if err := WriteText(&out, r, TextOptions{Color: true, Context: -1}); err != nil {
		t.Fatal(err)
	}
	want := "1 clause changed\n… 5 unchanged blocks …\n\n\x1b[36m@@ 2 Processing #clause-2 @@\x1b[0m\n" +
		"~ The Processor shall notify the Controller of a Personal Data Breach without undue delay and in any event within \x1b[31;9m48\x1b[0m\x1b[32m24\x1b[0m hours.\n" +
		"… 8 unchanged blocks …\n"
	want = strings.ReplaceAll(want, "… 5", "\x1b[2m… 5")
	want = strings.ReplaceAll(want, "… 8", "\x1b[2m… 8")
	want = strings.ReplaceAll(want, "blocks …\n", "blocks …\x1b[0m\n")
	if out.String() != want {
		t.Errorf("got\n%q\nwant\n%q", out.String(), want)
	}
}

func TestWriteJSON(t *testing.T) {
	r := compare(t, subprocessors, replace(t, subprocessors, "| Beta Mail | France |", "| Beta Mail | Germany |"))
	var out bytes.Buffer
	if err := WriteJSON(&out, r); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Summary   string
		Identical bool
		Stats     map[string]int
		Blocks    []map[string]json.RawMessage
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Summary != "1 clause changed" || got.Identical || got.Stats["changed"] != 1 || got.Stats["unchanged"] != 4 || len(got.Blocks) != 5 {
		t.Fatalf("%s", out.String())
	}
	changed := got.Blocks[3]
	for key, want := range map[string]string{
		"op":      `"changed"`,
		"columns": `["same","same","same"]`,
		"cells":   `[[{"op":"equal","text":"Beta Mail"}],[{"op":"delete","text":"France"},{"op":"insert","text":"Germany"}],[{"op":"equal","text":"E-mail delivery"}]]`,
	} {
		var compact bytes.Buffer
		if err := json.Compact(&compact, changed[key]); err != nil || compact.String() != want {
			t.Errorf("%s = %s, want %s", key, compact.String(), want)
		}
	}
	var old map[string]any
	if err := json.Unmarshal(changed["old"], &old); err != nil {
		t.Fatal(err)
	}
	if old["kind"] != "table_row" || old["anchor"] != "sub-processors" || old["line"] != 6.0 || old["index"] != 3.0 {
		t.Errorf("old = %v", old)
	}
}

func TestTokenize(t *testing.T) {
	got := tokenize("(a) the sub-processor's  5.2, \"x\"\n\tend", nil)
	want := []string{"(", "a", ")", " ", "the", " ", "sub-processor's", "  ", "5.2", ",", " ", "\"", "x", "\"", "\n\t", "end"}
	if !slices.Equal(got, want) {
		t.Errorf("tokenize = %q", got)
	}
}

func TestWordSpans(t *testing.T) {
	w := newWordDiffer(diffmatchpatch.New())
	for _, c := range []struct {
		old, new string
		want     []Span
	}{
		{"a b c", "a b c", []Span{{Op: Equal, Text: "a b c"}}},
		{"", "", []Span{}},
		{"", "new words", []Span{{Op: Insert, Text: "new words"}}},
		{"within 30 days", "within 14 days", []Span{{Op: Equal, Text: "within "}, {Op: Delete, Text: "30"}, {Op: Insert, Text: "14"}, {Op: Equal, Text: " days"}}},
		// Changes separated only by spaces are one change.
		{"x the processor shall y", "x a controller must y", []Span{{Op: Equal, Text: "x "}, {Op: Delete, Text: "the processor shall"}, {Op: Insert, Text: "a controller must"}, {Op: Equal, Text: " y"}}},
		// A deleted word takes one of its spaces with it.
		{"the prompt notice", "the notice", []Span{{Op: Equal, Text: "the "}, {Op: Delete, Text: "prompt "}, {Op: Equal, Text: "notice"}}},
		// Punctuation is a token of its own.
		{"the Controller.", "the Controller;", []Span{{Op: Equal, Text: "the Controller"}, {Op: Delete, Text: "."}, {Op: Insert, Text: ";"}}},
		// Code keeps its whitespace.
		{"a:\n  b: 1", "a:\n    b: 1", []Span{{Op: Equal, Text: "a:\n  "}, {Op: Insert, Text: "  "}, {Op: Equal, Text: "b: 1"}}},
	} {
		got, _, _ := w.spans(c.old, c.new)
		if !slices.Equal(got, c.want) {
			t.Errorf("%q → %q:\n got %+v\nwant %+v", c.old, c.new, got, c.want)
		}
	}
}

func TestReproducesRejectsBrokenDiffs(t *testing.T) {
	a, b := []rune{0x100, 0x101}, []rune{0x100, 0x102}
	good := []diffmatchpatch.Diff{{Type: diffmatchpatch.DiffEqual, Text: "\u0100"}, {Type: diffmatchpatch.DiffDelete, Text: "\u0101"}, {Type: diffmatchpatch.DiffInsert, Text: "\u0102"}}
	if !reproduces(good, a, b) {
		t.Error("good diff rejected")
	}
	// A rune cut in two, as a byte offset taken for a rune count does.
	broken := []diffmatchpatch.Diff{{Type: diffmatchpatch.DiffEqual, Text: "\u0100"[:1]}, {Type: diffmatchpatch.DiffEqual, Text: "\u0100"[1:] + "\u0101"}, {Type: diffmatchpatch.DiffInsert, Text: "\u0102"}}
	if reproduces(broken, a, b) {
		t.Error("broken diff accepted")
	}
}

// An ordered list's item is drawn with its number, not a bullet, and a
// changed number is a changed text.
func TestOrderedListItemShowsItsNumber(t *testing.T) {
	old := "## Part A\n\n5. **Security**\n\nThe Processor shall implement the measures in Annex II.\n"
	r := compare(t, old, strings.Replace(old, "5. **Security**", "7. **Security**", 1))
	if r.Identical() || r.Summary() != "1 clause changed" {
		t.Fatalf("Summary() = %q:\n%s", r.Summary(), ops(r))
	}
	var h bytes.Buffer
	if err := WriteHTML(&h, r, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	if want := `<p class="rl-changed rl-li rl-depth-1 rl-ol"><del>5</del><ins>7</ins>. Security</p>`; !strings.Contains(h.String(), want) {
		t.Errorf("HTML lacks %s:\n%s", want, h.String())
	}
}

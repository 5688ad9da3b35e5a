package diff

import (
	"strings"
	"testing"
)

// pastedDPA is a DPA pasted from a word processor: no markdown headings,
// clause numbers, clauses on consecutive lines and indented clauses.
const pastedDPA = `DATA PROCESSING AGREEMENT

1. Definitions

1.1. "Agreement" means the principal agreement between the parties.
1.2. "Controller" has the meaning given in the GDPR.

2. Sub-processors

    2.1. The Processor shall not engage another processor without the prior written authorisation of the Controller.

    2.2. The Processor shall inform the Controller of any intended changes concerning the addition or replacement of other processors.

    2.3. The Processor shall impose the same data protection obligations on the other processor by way of a contract.

3. Security

3.1. The Processor shall implement appropriate technical and organisational measures.
`

// TestInsertedClauseInPlainTextIsOneInsertion checks that a clause inserted
// into a plain-text DPA, renumbering the clauses after it, is one inserted
// clause and renumbered ones, not one changed block of indented "code".
func TestInsertedClauseInPlainTextIsOneInsertion(t *testing.T) {
	inserted := "2.2. The Processor shall keep a list of its Sub-processors on its website."
	new := replace(t, pastedDPA, "    2.3. The Processor shall impose", "    2.4. The Processor shall impose")
	new = replace(t, new, "    2.2. The Processor shall inform", "    "+inserted+"\n\n    2.3. The Processor shall inform")
	r := compare(t, pastedDPA, new)
	if r.Inserted != 1 || r.Deleted != 0 || r.Moved != 0 || r.Changed != 0 || r.Renumbered != 2 ||
		r.Summary() != "1 clause added, clauses 2.2–2.3 renumbered to 2.3–2.4" {
		t.Fatalf("%s (%+v):\n%s", r.Summary(), r.Stats, ops(r))
	}
	for _, bd := range r.Blocks {
		switch bd.Op {
		case Inserted:
			if bd.New.Text != inserted || bd.New.Clause != "2.2." || bd.New.Anchor != "clause-2-2" {
				t.Errorf("inserted %+v", bd.New)
			}
		case Renumbered:
			// Only the number changed: "2.2." → "2.3.", "2.3." → "2.4.".
			var del, ins []string
			for _, s := range bd.Spans {
				switch s.Op {
				case Delete:
					del = append(del, s.Text)
				case Insert:
					ins = append(ins, s.Text)
				}
			}
			if strings.Join(del, "") != strings.TrimSuffix(bd.Old.Clause, ".") || strings.Join(ins, "") != strings.TrimSuffix(bd.New.Clause, ".") || bd.Old.Clause == bd.New.Clause {
				t.Errorf("changed %q → %q: deleted %q, inserted %q", bd.Old.Text, bd.New.Text, del, ins)
			}
		}
	}
}

// TestRenumberedShortClausesAlignByText checks that clause paragraphs pair
// by their text when they are renumbered: with one-word clauses, the
// number is half the words, and word similarity alone would pair each
// clause with the one now carrying its old letter.
func TestRenumberedShortClausesAlignByText(t *testing.T) {
	old := "1.1 The data is stored in:\n(a) Ireland;\n(b) France;\n(c) Spain;\n(d) Italy.\n"
	new := "1.1 The data is stored in:\n(a) Ireland;\n(b) Germany;\n(c) France;\n(d) Spain;\n(e) Italy.\n"
	r := compare(t, old, new)
	if r.Inserted != 1 || r.Deleted != 0 || r.Changed != 0 || r.Renumbered != 3 ||
		r.Summary() != "1 clause added, clauses (b)–(d) renumbered to (c)–(e)" {
		t.Fatalf("%s (%+v):\n%s", r.Summary(), r.Stats, ops(r))
	}
	for _, bd := range r.Blocks {
		if bd.Op == Inserted && bd.New.Text != "(b) Germany;" {
			t.Errorf("inserted %q", bd.New.Text)
		}
		if bd.Op == Renumbered && strings.TrimPrefix(bd.Old.Text, bd.Old.Clause) != strings.TrimPrefix(bd.New.Text, bd.New.Clause) {
			t.Errorf("paired %q with %q", bd.Old.Text, bd.New.Text)
		}
	}
}

package portal

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/api"
	"github.com/clause-portal/clause/internal/gittest"
)

// TestLargeRegisterRedlineByRows builds a register of more than
// RedlineRegisterRows rows in three versions: its redlines list exactly the
// rows that changed (added, removed, changed field by field, and one
// rewritten in a column the register does not read), count the others
// without showing them, and redline the text around the table word by
// word.
func TestLargeRegisterRedlineByRows(t *testing.T) {
	rows := RedlineRegisterRows + 50
	r := gittest.New(t)
	write := func(intro string, edit func(i int) string) {
		var s strings.Builder
		fmt.Fprintf(&s, "---\ntitle: Sub-processors\nkind: subprocessors\n---\n\n%s\n\n| Sub-processor | Purpose | Location of processing | Notes |\n|---|---|---|---|\n", intro)
		for i := range rows {
			if row := edit(i); row != "" {
				s.WriteString(row + "\n")
			}
		}
		s.WriteString("\nObjections go to privacy@example.com.\n")
		r.Write("content/subprocessors.md", s.String())
	}
	row := func(i int, purpose, note string) string {
		return fmt.Sprintf("| Vendor%05d | %s | Germany | %s |", i, purpose, note)
	}
	write("We use these sub-processors.", func(i int) string { return row(i, "Hosting", "none") })
	r.Commit("2026-01-05T10:00:00Z", "First register")
	write("We use these sub-processors.", func(i int) string {
		switch i {
		case 7:
			return row(i, "Email delivery", "none") // changed purpose
		case 8:
			return "" // removed
		case 9:
			return row(i, "Hosting", "audited") // a column the register does not read
		case rows - 1:
			return row(i, "Hosting", "none") + "\n" + row(rows, "Analytics", "new") // added
		}
		return row(i, "Hosting", "none")
	})
	r.Commit("2026-02-05T10:00:00Z", "Second register")
	write("We engage these sub-processors.", func(i int) string {
		if i == 8 {
			return ""
		}
		return row(i, "Hosting", "none")
	})
	r.Commit("2026-03-05T10:00:00Z", "Third register")
	mustBuild(t, r.Dir, Options{})

	var docs api.Documents
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(r.Dir, "public", "api", "documents.json"))), &docs); err != nil {
		t.Fatal(err)
	}
	if len(docs.Documents) != 1 || len(docs.Documents[0].Versions) != 3 {
		t.Fatalf("documents: %+v", docs)
	}
	vs := docs.Documents[0].Versions
	second, first := vs[1].ID, vs[2].ID
	// The redline of a version against its predecessor, or against the
	// current text, on the version's page.
	page := func(from, to string) string {
		t.Helper()
		if to == "current" {
			return sinceView(t, r.Dir, "subprocessors", from)
		}
		return changesView(t, r.Dir, "subprocessors", to)
	}
	p := page(first, second)
	for _, want := range []string{
		"The sub-processor register has 10,050 rows in the older version and 10,050 in the newer",
		"1 added, 1 removed, 1 changed, 1 rewritten with no change to what the register reads; 10,047 unchanged, not shown.",
		`<ins>Added</ins> <strong>Vendor10050</strong>: Analytics (Germany)`,
		`<del>Removed</del> <strong>Vendor00008</strong>`,
		`Changed <strong>Vendor00007</strong>: purpose <del>Hosting</del> → <ins>Email delivery</ins>`,
		`Rewritten <strong>Vendor00009</strong>: <del>| Vendor00009 | Hosting | Germany | none |</del> → <ins>| Vendor00009 | Hosting | Germany | audited |</ins>`,
		"<strong>2 clauses changed, 1 added, 1 removed.</strong>",
		"Objections go to privacy@example.com.", // the text after the table, in context
	} {
		if !strings.Contains(p, want) {
			t.Errorf("redline first → second lacks %q", want)
		}
	}
	if strings.Contains(p, "Vendor00006") || strings.Contains(p, "Vendor00010") {
		t.Error("redline first → second shows unchanged rows")
	}
	// The first against the newest (the current text): the text before
	// the table changed.
	p = page(first, "current")
	for _, want := range []string{"1 removed; 10,049 unchanged, not shown.", "<del>use</del>", "<ins>engage</ins>"} {
		if !strings.Contains(p, want) {
			t.Errorf("redline first → current (third) lacks %q", want)
		}
	}
	// The changelog still counts sub-processors.
	if v := readFile(t, filepath.Join(r.Dir, "public", "subprocessors", "versions", "index.html")); !strings.Contains(v, "1 added (Vendor10050), 1 removed (Vendor00008), 1 changed (Vendor00007: purpose Hosting → Email delivery)") {
		t.Error("changelog lacks the register summary of the second version")
	}
}

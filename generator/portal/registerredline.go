package portal

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/subprocessors"
)

// RedlineRegisterRows is the number of rows above which a register's
// versions are compared with their predecessor and with the newest
// version by sub-processor rather than word by word: the rows added,
// removed and changed are listed (a changed row field by field and, for a
// table, as written), the unchanged ones counted; the rest of the text
// (everything but the register's rows) is redlined word by word as usual.
// A word redline of a register of 154,000 rows took seconds and 56 MB of
// blocks per version, and listed every row.
const RedlineRegisterRows = 10_000

// registerPair is what a register redline shows of the comparison of two
// versions of a large register, computed while the registers are read.
type registerPair struct {
	changes subprocessors.Changes
	// rewritten are the rows present in both versions, under one key,
	// whose line as written differs although none of the fields the
	// register reads changed (a column it does not read, markup).
	rewritten []rowLines
	// lines are the lines as written of the rows in changes, by key: the
	// old line first, "" for a row the version lacks. Nil for a register
	// from front matter.
	lines     map[string][2]string
	unchanged int // rows present in both, identical as written
	oldRows   int
	newRows   int
}

// rowLines is a row and its line as written in two versions.
type rowLines struct {
	name     string
	old, new string
}

// registerRedlines is what Catalog.Register keeps of a large register for
// its redlines.
type registerRedlines struct {
	// rest[i] is the body of version i with the lines of its register's
	// rows blanked (nil when version i is not compared by rows).
	rest [][]byte
	// pairs are the comparisons by rows, by (from, to) version index.
	pairs map[[2]int]*registerPair
}

// registerRest returns doc's body with the lines of reg's rows emptied,
// and whether reg can be compared by rows: its rows come from front
// matter, or each is one line of a table in the body (a list item may run
// over several lines).
func registerRest(doc *document.Document, reg *subprocessors.Register) ([]byte, bool) {
	switch reg.Source {
	case subprocessors.SourceFrontMatter:
		return doc.Body, true
	case subprocessors.SourceBody:
	default:
		return nil, false
	}
	lines := bytes.SplitAfter(doc.Body, []byte("\n"))
	blank := make([]bool, len(lines))
	for _, r := range reg.Rows {
		k := r.Line - doc.BodyLine
		if k < 0 || k >= len(lines) || !isTableRow(lines[k]) {
			return nil, false
		}
		blank[k] = true
	}
	// Each row's line is left empty: the rest keeps its lines, and the
	// lines of its blocks.
	var rest []byte
	for k, l := range lines {
		if blank[k] {
			if bytes.HasSuffix(l, []byte("\n")) {
				rest = append(rest, '\n')
			}
			continue
		}
		rest = append(rest, l...)
	}
	return rest, true
}

// isTableRow reports whether a line reads as a row of a table: it has a
// cell separator and does not open a list item.
func isTableRow(line []byte) bool {
	t := bytes.TrimSpace(line)
	if !bytes.Contains(t, []byte("|")) {
		return false
	}
	if len(t) > 1 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ' {
		return false
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return !(i > 0 && i < len(t) && (t[i] == '.' || t[i] == ')'))
}

// rowLineOf returns the line of row r as written in doc's body, white
// space folded; "" for a row from front matter.
func rowLineOf(doc *document.Document, lines [][]byte, reg *subprocessors.Register, r subprocessors.Row) string {
	if reg.Source != subprocessors.SourceBody {
		return ""
	}
	k := r.Line - doc.BodyLine
	if k < 0 || k >= len(lines) {
		return ""
	}
	return strings.Join(strings.Fields(string(lines[k])), " ")
}

// rawLineOf returns the line of row r as written in doc's body, its
// bytes unchanged; nil for a row from front matter or out of the body.
func rawLineOf(doc *document.Document, lines [][]byte, reg *subprocessors.Register, r subprocessors.Row) []byte {
	if reg.Source != subprocessors.SourceBody {
		return nil
	}
	k := r.Line - doc.BodyLine
	if k < 0 || k >= len(lines) {
		return nil
	}
	return bytes.TrimRight(lines[k], "\n")
}

// compareRows computes a registerPair from old to new, given the changes
// between them (subprocessors.Compare).
func compareRows(oldDoc *document.Document, old *subprocessors.Register, newDoc *document.Document, new *subprocessors.Register, ch subprocessors.Changes) *registerPair {
	p := &registerPair{changes: ch, oldRows: len(old.Rows), newRows: len(new.Rows)}
	oldLines := bytes.SplitAfter(oldDoc.Body, []byte("\n"))
	newLines := bytes.SplitAfter(newDoc.Body, []byte("\n"))
	oldLine := func(r subprocessors.Row) string { return rowLineOf(oldDoc, oldLines, old, r) }
	newLine := func(r subprocessors.Row) string { return rowLineOf(newDoc, newLines, new, r) }
	// skipNew are the keys of the new rows changed, moved or added,
	// skipOld those of the old rows changed, moved or removed: rows
	// compared elsewhere.
	skipNew, skipOld := map[string]bool{}, map[string]bool{}
	if old.Source == subprocessors.SourceBody || new.Source == subprocessors.SourceBody {
		p.lines = map[string][2]string{}
	}
	for _, rcs := range [][]subprocessors.RowChange{ch.Changed, ch.Moved} {
		for _, rc := range rcs {
			skipNew[rc.New.Key] = true
			skipOld[rc.Old.Key] = true
			if p.lines != nil {
				p.lines[rc.New.Key] = [2]string{oldLine(rc.Old), newLine(rc.New)}
			}
		}
	}
	if p.lines != nil {
		for _, r := range ch.Added {
			p.lines[r.Key] = [2]string{"", newLine(r)}
		}
		for _, r := range ch.Removed {
			p.lines["\x00"+r.Key] = [2]string{oldLine(r), ""}
		}
	}
	// Rows are found by key (unique in a register): where they stood
	// after the row found before, mostly (rows keep their order; the rows
	// added and removed are known), else in a map of every old row's key,
	// made only then.
	for _, r := range ch.Added {
		skipNew[r.Key] = true
	}
	for _, r := range ch.Removed {
		skipOld[r.Key] = true
	}
	var byKey map[string]int
	next := 0
	for i := range new.Rows {
		r := &new.Rows[i]
		if skipNew[r.Key] {
			continue
		}
		for next < len(old.Rows) && skipOld[old.Rows[next].Key] {
			next++
		}
		j := next
		if j >= len(old.Rows) || old.Rows[j].Key != r.Key {
			if byKey == nil {
				byKey = make(map[string]int, len(old.Rows))
				for i, r := range old.Rows {
					byKey[r.Key] = i
				}
			}
			k, ok := byKey[r.Key]
			if !ok {
				continue
			}
			j = k
		}
		next = j + 1
		if bytes.Equal(rawLineOf(oldDoc, oldLines, old, old.Rows[j]), rawLineOf(newDoc, newLines, new, *r)) {
			// The same bytes: the same once folded, not worth folding.
			p.unchanged++
			continue
		}
		if a, b := oldLine(old.Rows[j]), newLine(*r); a != b {
			p.rewritten = append(p.rewritten, rowLines{name: r.Name, old: a, new: b})
			continue
		}
		p.unchanged++
	}
	return p
}

// writeRegisterRedline writes the HTML of a comparison by rows: what
// changed, row by row, and how many rows did not.
func writeRegisterRedline(b *bytes.Buffer, p *registerPair) {
	ch := p.changes
	b.WriteString(`<section class="register-redline">` + "\n")
	fmt.Fprintf(b, `<p class="register-redline-note">The sub-processor register has %s rows in the older version and %s in the newer: they are compared by sub-processor, not word by word, and their order is not compared. `,
		thousands(p.oldRows), thousands(p.newRows))
	var parts []string
	for _, x := range []struct {
		n    int
		verb string
	}{{len(ch.Added), "added"}, {len(ch.Removed), "removed"}, {len(ch.Changed), "changed"}, {len(ch.Moved), "moved"}, {len(p.rewritten), "rewritten with no change to what the register reads"}} {
		if x.n > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", thousands(x.n), x.verb))
		}
	}
	entries := len(parts) > 0
	if !entries {
		parts = []string{"No row changed"}
	}
	fmt.Fprintf(b, "%s; %s unchanged, not shown.</p>\n", upperFirst(strings.Join(parts, ", ")), thousands(p.unchanged))
	if entries {
		b.WriteString(`<ul class="changes change-list">` + "\n")
	}
	written := func(key string) {
		if l, ok := p.lines[key]; ok {
			b.WriteString(` <span class="row-as-written">as written: `)
			writeLines(b, l[0], l[1])
			b.WriteString(`</span>`)
		}
	}
	for _, r := range ch.Added {
		b.WriteString(`<li class="added"><ins>Added</ins> `)
		writeRow(b, r)
		written(r.Key)
		b.WriteString("</li>\n")
	}
	for _, r := range ch.Removed {
		b.WriteString(`<li class="removed"><del>Removed</del> `)
		writeRow(b, r)
		written("\x00" + r.Key)
		b.WriteString("</li>\n")
	}
	for _, rc := range ch.Changed {
		b.WriteString(`<li class="changed">Changed <strong>`)
		escapeText(b, rc.New.Name)
		b.WriteString(`</strong>: `)
		for i, f := range rc.Fields {
			if i > 0 {
				b.WriteString("; ")
			}
			escapeText(b, fieldLabel(f.Field))
			b.WriteString(" ")
			writeLines(b, f.Old, f.New)
		}
		written(rc.New.Key)
		b.WriteString("</li>\n")
	}
	for _, rc := range ch.Moved {
		b.WriteString(`<li class="moved">Moved <strong>`)
		escapeText(b, rc.New.Name)
		b.WriteString(`</strong>`)
		for _, f := range rc.Fields {
			b.WriteString(" from “")
			escapeText(b, f.Old)
			b.WriteString("” to “")
			escapeText(b, f.New)
			b.WriteString("”")
		}
		written(rc.New.Key)
		b.WriteString("</li>\n")
	}
	for _, rl := range p.rewritten {
		b.WriteString(`<li class="changed">Rewritten <strong>`)
		escapeText(b, rl.name)
		b.WriteString(`</strong>: `)
		writeLines(b, rl.old, rl.new)
		b.WriteString("</li>\n")
	}
	if entries {
		b.WriteString("</ul>\n")
	}
	b.WriteString("</section>\n")
}

// writeRow writes a row's fields: its name, purpose and location, then
// the other fields it has.
func writeRow(b *bytes.Buffer, r subprocessors.Row) {
	b.WriteString("<strong>")
	escapeText(b, r.Name)
	b.WriteString("</strong>: ")
	escapeText(b, r.Purpose)
	b.WriteString(" (")
	escapeText(b, r.Location)
	b.WriteString(")")
	for _, f := range []struct{ label, value string }{
		{"entity country", r.EntityCountry}, {"transfer mechanism", r.TransferMechanism},
		{"data categories", strings.Join(r.DataCategories, ", ")}, {"website", r.Website}, {"group", r.Group},
		{"added", r.Added.String()}, {"effective", r.Effective.String()},
	} {
		if f.value != "" {
			b.WriteString("; ")
			escapeText(b, f.label+" "+f.value)
		}
	}
}

// writeLines writes an old and a new text as deleted and inserted, either
// left out when empty.
func writeLines(b *bytes.Buffer, old, new string) {
	if old != "" {
		b.WriteString("<del>")
		escapeText(b, old)
		b.WriteString("</del>")
	}
	if old != "" && new != "" {
		b.WriteString(" → ")
	}
	if new != "" {
		b.WriteString("<ins>")
		escapeText(b, new)
		b.WriteString("</ins>")
	}
}

// escapeText writes s escaped for HTML text.
func escapeText(b *bytes.Buffer, s string) {
	var sb strings.Builder
	escapeHTML(&sb, s)
	b.WriteString(sb.String())
}

// thousands writes n with thousands separators: "153,900".
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

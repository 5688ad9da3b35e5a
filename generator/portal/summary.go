package portal

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/clause-portal/clause/generator/diff"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/site"
	"github.com/clause-portal/clause/generator/subprocessors"
)

// Limits of a register summary, which the changelog and every feed entry
// repeat: a change of thousands of rows is counted, not listed.
const (
	summaryNames = 3  // rows named per kind of change
	summaryValue = 80 // characters of a field value
)

// RegisterSummary says in register words what version i of e changed in
// its sub-processors: "1 added (Ledgerly AB), 1 removed (Helpful Ltd), 1
// changed (Mailbird Europe GmbH: location United States → Germany)", then,
// with withDeadline, "; objections due by 10 December 2026" when the
// version gives controllers occasion to object. It is "no change to the
// sub-processors" when none was added, removed, changed or moved. The
// portal's pages, its feeds, its API and clause notify all describe a
// register's versions with it.
func (c *Catalog) RegisterSummary(e *Entry, h *RegisterHistory, i int, withDeadline bool) string {
	ch := h.Changes[i]
	if ch.Empty() {
		return "no change to the sub-processors"
	}
	var parts []string
	names := func(n int, verb string, rows []subprocessors.Row) {
		if n == 0 {
			return
		}
		var ns []string
		for _, r := range rows[:min(len(rows), summaryNames)] {
			ns = append(ns, clip(r.Name))
		}
		parts = append(parts, fmt.Sprintf("%d %s (%s%s)", n, verb, strings.Join(ns, ", "), more(n)))
	}
	names(len(ch.Added), "added", ch.Added)
	names(len(ch.Removed), "removed", ch.Removed)
	if n := len(ch.Changed); n > 0 {
		var rs []string
		for _, rc := range ch.Changed[:min(n, summaryNames)] {
			var fs []string
			for _, f := range rc.Fields {
				fs = append(fs, fmt.Sprintf("%s %s → %s", fieldLabel(f.Field), clip(orNone(f.Old)), clip(orNone(f.New))))
			}
			rs = append(rs, clip(rc.New.Name)+": "+strings.Join(fs, ", "))
		}
		parts = append(parts, fmt.Sprintf("%d changed (%s%s)", n, strings.Join(rs, "; "), more(n)))
	}
	if n := len(ch.Moved); n > 0 {
		parts = append(parts, fmt.Sprintf("%d moved", n))
	}
	s := strings.Join(parts, ", ")
	if d := c.Deadline(e, h, i); withDeadline && !d.IsZero() {
		s += "; objections due by " + displayDay(d)
	}
	return s
}

// more is ", and N more" for a list of n names of which summaryNames are
// given.
func more(n int) string {
	if n <= summaryNames {
		return ""
	}
	return fmt.Sprintf(", and %d more", n-summaryNames)
}

// clip shortens a value from content to summaryValue characters.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= summaryValue {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:summaryValue-1])) + "…"
}

// displayDay shows a date to readers: "10 December 2026".
func displayDay(d document.Date) string {
	return d.Time(time.UTC).Format(DisplayDate)
}

// versionSummary is what version i of e changed, for readers and
// notices, given its comparison with its predecessor: the redline's
// summary, and for a sub-processor list the register's words instead
// (with changes of its notice period), since its readers count
// sub-processors, not clauses. A document of another kind with a
// sub-processor annex gets both.
func (c *Catalog) versionSummary(e *Entry, i int, cmp *Comparison) (string, error) {
	return c.versionSummaryOf(e, i, cmp.Summary(), cmp.Metadata)
}

// versionSummaryOf is versionSummary given the comparison's summary and
// its changes of front matter.
func (c *Catalog) versionSummaryOf(e *Entry, i int, text string, metadata []string) (string, error) {
	h, err := c.Register(e)
	if err != nil || h == nil || i >= len(e.Versions)-1 {
		return text, err
	}
	ch := h.Changes[i]
	switch {
	case e.Doc.Kind != document.KindSubprocessors && ch.Empty():
		return text, nil
	case e.Doc.Kind != document.KindSubprocessors:
		return "Sub-processors: " + c.RegisterSummary(e, h, i, true) + ". Text: " + lowerFirst(text), nil
	case ch.Empty():
		return "No change to the sub-processors; " + lowerFirst(text), nil
	}
	s := upperFirst(c.RegisterSummary(e, h, i, true))
	if len(metadata) > 0 {
		s += "; " + lowerFirst(strings.Join(metadata, "; "))
	}
	return s, nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// localStatsSummary is what s counts, in the words of l's language, as
// diff.Stats.Summary says it in English: "1 Klausel geändert, 2
// hinzugefügt", "Keine Textänderung; Absätze an 1 Stelle neu gegliedert".
// Renumberings are counted, not named.
func localStatsSummary(l *site.Localizer, s diff.Stats) string {
	var parts []string
	for _, p := range []struct {
		n  int
		id string
	}{{s.Changed, "changed"}, {s.Inserted, "added"}, {s.Deleted, "removed"}, {s.Moved, "moved"}} {
		switch {
		case p.n == 0:
		case parts == nil:
			parts = append(parts, l.N("summary_clauses_"+p.id, p.n, nil))
		default:
			parts = append(parts, l.N("summary_"+p.id, p.n, nil))
		}
	}
	if s.Renumbered > 0 {
		parts = append(parts, l.N("summary_renumbered", s.Renumbered, nil))
	}
	if s.Reparagraphed > 0 {
		if parts == nil {
			return l.T("summary_no_textual_change", nil) + "; " + l.N("summary_reparagraphed", s.Reparagraphed, nil)
		}
		parts = append(parts, l.N("summary_reparagraphed", s.Reparagraphed, nil))
	}
	if parts == nil {
		return l.T("summary_no_textual_change", nil)
	}
	return strings.Join(parts, l.T("summary_separator", nil))
}

// isEnglish reports whether lang is a variety of English, whose summaries
// are Clause's own (diff.Stats.Summary, RegisterSummary).
func isEnglish(lang string) bool {
	base, _ := language.Make(lang).Base()
	return base.String() == "en"
}

// redlineWords are the words a redline adds to the texts (diff.Words) in
// lang, from the theme's strings; nil (English) for English.
func (p *pager) redlineWords(lang string) *diff.Words {
	if isEnglish(lang) {
		return nil
	}
	l := p.localizer(lang)
	return &diff.Words{
		Unchanged:     l.Forms("redline_unchanged"),
		ReadInFull:    l.T("redline_read_in_full", nil),
		MovedFrom:     l.T("redline_moved_from", nil),
		MovedTo:       l.T("redline_moved_to", nil),
		Line:          l.Forms("redline_line")["other"],
		Table:         l.Forms("redline_table")["other"],
		Reparagraphed: l.Forms("redline_reparagraphed"),
		Plural:        l.Plural,
	}
}

// summaryForms are the plural forms of the summary's words in lang, for
// the compare page's script to count what changed as localStatsSummary
// does; nil for English, whose summary the engine gives.
func (p *pager) summaryForms(lang string) map[string]any {
	if isEnglish(lang) {
		return nil
	}
	l := p.localizer(lang)
	out := map[string]any{
		"no_textual_change": l.T("summary_no_textual_change", nil),
		"separator":         l.T("summary_separator", nil),
	}
	for _, id := range []string{"clauses_changed", "clauses_added", "clauses_removed", "clauses_moved", "changed", "added", "removed", "moved", "renumbered", "reparagraphed"} {
		out[id] = l.Forms("summary_" + id)
	}
	return out
}

// registerSummary is RegisterSummary in the words of e's language, for
// its pages: "1 hinzugefügt (Stripe); Widerspruch bis 5. Mai 2026".
func (p *pager) registerSummary(e *Entry, h *RegisterHistory, i int, withDeadline bool) string {
	if isEnglish(e.Language) {
		return p.c.RegisterSummary(e, h, i, withDeadline)
	}
	l := p.localizer(e.Language)
	ch := h.Changes[i]
	if ch.Empty() {
		return l.T("register_no_change", nil)
	}
	var parts []string
	names := func(id string, rows []subprocessors.Row) {
		if len(rows) == 0 {
			return
		}
		var ns []string
		for _, r := range rows[:min(len(rows), summaryNames)] {
			ns = append(ns, clip(r.Name))
		}
		parts = append(parts, l.N(id, len(rows), map[string]any{"Names": strings.Join(ns, ", ") + p.more(l, len(rows))}))
	}
	names("register_added", ch.Added)
	names("register_removed", ch.Removed)
	if n := len(ch.Changed); n > 0 {
		var rs []string
		for _, rc := range ch.Changed[:min(n, summaryNames)] {
			var fs []string
			for _, f := range rc.Fields {
				fs = append(fs, fmt.Sprintf("%s %s → %s", p.fieldName(l, f.Field), clip(p.orNone(l, f.Old)), clip(p.orNone(l, f.New))))
			}
			rs = append(rs, clip(rc.New.Name)+": "+strings.Join(fs, ", "))
		}
		parts = append(parts, l.N("register_changed", n, map[string]any{"Names": strings.Join(rs, "; ") + p.more(l, n)}))
	}
	if n := len(ch.Moved); n > 0 {
		parts = append(parts, l.N("register_moved", n, nil))
	}
	s := strings.Join(parts, l.T("summary_separator", nil))
	if d := p.c.Deadline(e, h, i); withDeadline && !d.IsZero() {
		s += "; " + l.T("register_objections_due", map[string]any{"Date": l.Date(d.Time(time.UTC))})
	}
	return s
}

// registerCounts is subprocessors.Changes.Summary in the words of e's
// language: the counts alone ("1 hinzugefügt"), for the index's list.
func (p *pager) registerCounts(e *Entry, ch subprocessors.Changes) string {
	if isEnglish(e.Language) {
		return ch.Summary()
	}
	l := p.localizer(e.Language)
	var parts []string
	for _, c := range []struct {
		n  int
		id string
	}{{len(ch.Added), "register_added_count"}, {len(ch.Removed), "register_removed_count"}, {len(ch.Changed), "register_changed_count"}, {len(ch.Moved), "register_moved"}} {
		if c.n > 0 {
			parts = append(parts, l.N(c.id, c.n, nil))
		}
	}
	if len(parts) == 0 {
		return l.T("register_no_change", nil)
	}
	return strings.Join(parts, l.T("summary_separator", nil))
}

// more is ", and N more" in l's language, for a list of n names of which
// summaryNames are given.
func (p *pager) more(l *site.Localizer, n int) string {
	if n <= summaryNames {
		return ""
	}
	return l.T("summary_separator", nil) + l.N("register_and_more", n-summaryNames, nil)
}

// fieldName is a register field's name in l's language.
func (p *pager) fieldName(l *site.Localizer, field string) string {
	if s := l.T("field_"+field, nil); s != "field_"+field {
		return s
	}
	return fieldLabel(field)
}

// orNone is a field's value, or "none" in l's language.
func (p *pager) orNone(l *site.Localizer, s string) string {
	if s == "" {
		return l.T("field_none", nil)
	}
	return s
}

// localVersionSummary is versionSummary in the words of e's language, for
// its pages; "" where Clause's English stays (front matter changes, which
// the redline names in English).
func (p *pager) localVersionSummary(e *Entry, i int, f compared) (string, error) {
	if isEnglish(e.Language) || len(f.Metadata) > 0 {
		return "", nil
	}
	l := p.localizer(e.Language)
	text := localStatsSummary(l, f.Stats)
	if f.Identical && f.SourceChanged {
		text = l.T("summary_layout_only", nil)
	}
	h, err := p.c.Register(e)
	if err != nil || h == nil || i >= len(e.Versions)-1 {
		return text, err
	}
	ch := h.Changes[i]
	switch {
	case e.Doc.Kind != document.KindSubprocessors && ch.Empty():
		return text, nil
	case e.Doc.Kind != document.KindSubprocessors:
		return l.T("summary_register_and_text", map[string]any{"Register": p.registerSummary(e, h, i, true), "Text": lowerFirst(text)}), nil
	case ch.Empty():
		return l.T("summary_no_register_change", map[string]any{"Text": lowerFirst(text)}), nil
	}
	return upperFirst(p.registerSummary(e, h, i, true)), nil
}

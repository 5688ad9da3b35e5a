package portal

import (
	"fmt"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/subprocessors"
)

// NoticeStated returns the longest notice period e's document states, in
// its text (document.NoticePeriods) or as notice_days in its front matter,
// for a document of kind dpa; ok is false for other kinds and when the
// document states none. The default notice_days is not a statement.
func NoticeStated(e *Entry) (s document.NoticeStatement, ok bool) {
	if e.Retired || e.Doc.Kind != document.KindDPA {
		return s, false
	}
	all := document.NoticePeriods(e.Doc)
	if nd, given := document.NoticeDaysStatement(e.Doc); given {
		all = append(all, nd)
	}
	for _, st := range all {
		if st.Days > s.Days {
			s, ok = st, true
		}
	}
	return s, ok
}

// NoticeProblems warns, at the line where a DPA states its notice period
// (NoticeStated), about each material version of it that takes effect
// sooner after its publication than that period: its effective date is
// fewer days after its publication date, or it has none (then it applies
// on publication). The first version is not a change and needs no
// notice. Only versions not yet in force on c.Today are checked, and the
// uncommitted file as if published today: a change in force is past
// warning, and a check of a pull request would otherwise repeat it for
// ever. It needs the catalog's history; without, it returns nothing.
func (c *Catalog) NoticeProblems() []subprocessors.Problem {
	var out []subprocessors.Problem
	loc := c.Config.Location
	for _, e := range c.Entries {
		stated, ok := NoticeStated(e)
		if !ok || len(e.Versions) == 0 {
			continue
		}
		warn := func(what string, published, effective document.Date) {
			days, applies := 0, "applies on publication (it has no effective date)"
			switch {
			case effective.IsZero():
			case effective.Before(published):
				applies = fmt.Sprintf("applies on publication (its effective date, %s, is earlier)", effective)
			default:
				days = document.DaysBetween(published, effective)
				applies = fmt.Sprintf("takes effect on %s, %s after its publication", effective, daysText(days))
			}
			if days >= stated.Days {
				return
			}
			out = append(out, subprocessors.Problem{Path: e.Doc.Path, Line: stated.Line, Severity: subprocessors.Warning,
				Msg: fmt.Sprintf("%s %s: sooner than the notice period of %s stated here (%q)", what, applies, daysText(stated.Days), stated.Phrase)})
		}
		if e.Uncommitted {
			warn(fmt.Sprintf("the uncommitted change of %s, if published today (%s),", e.ID, c.Today), c.Today, e.Doc.Effective)
		}
		for i, v := range e.Versions {
			if i == len(e.Versions)-1 || !v.Material || v.TakesEffect(loc).Before(c.Today) {
				continue
			}
			published := document.DateOf(v.Date.In(loc))
			warn(fmt.Sprintf("material version %s of %s (%.7s, published %s)", v.ID, e.ID, v.Commit, published), published, v.Effective)
		}
	}
	return out
}

func daysText(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

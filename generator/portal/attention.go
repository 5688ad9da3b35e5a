package portal

import (
	"sort"
	"strings"

	"github.com/clause-portal/clause/generator/subprocessors"
)

// RecentChanges is how many of the latest material changes the index
// lists.
const RecentChanges = 5

// attentionParams are what the index shows before the list of documents:
// what needs a reader's attention at build time.
//
//   - objections: sub-processor changes whose objection deadline has not
//     passed, with the deadline and the sub-processors concerned;
//   - upcoming: the changes published that take effect later, named by
//     their material versions (as the document's banner), with their
//     effective dates;
//   - recent: the latest material changes, newest first.
//
// Retired documents are left out of the first two. With lang, only the
// documents in that language are (the index of one language of a
// multilingual portal); "" is every document.
func (p *pager) attentionParams(lang string) (map[string]any, error) {
	var objections, upcoming []map[string]any
	type dated struct {
		e *Entry
		i int
	}
	var material []dated
	for _, e := range p.c.Entries {
		if lang != "" && !strings.EqualFold(e.Language, lang) {
			continue
		}
		inForce := e.InForce(p.c.Today, p.loc)
		doc := map[string]any{"title": e.Doc.Title, "url": DocumentURL(e.ID), "language": e.Language}
		for i, v := range e.Versions {
			if v.Material {
				material = append(material, dated{e, i})
			}
		}
		if e.Retired {
			continue
		}
		if inForce != 0 && len(e.Versions) > 0 {
			// Named by the material changes that take effect, as the
			// document's banner names them, not by the latest minor fix.
			n := inForce
			if n < 0 {
				n = len(e.Versions) // none in force yet
			}
			for _, m := range p.upcomingChanges(e, n) {
				m["document"] = doc
				if inForce > 0 {
					m["diff_url"] = SinceURL(e.ID, e.Versions[inForce].ID)
				}
				upcoming = append(upcoming, m)
			}
		}
		h, err := p.c.Register(e)
		if err != nil {
			return nil, err
		}
		if h == nil {
			continue
		}
		for i := range e.Versions {
			d := p.c.Deadline(e, h, i)
			if d.IsZero() || d.Before(p.c.Today) {
				continue
			}
			m := p.versionRef(e, i, inForce)
			m["document"] = doc
			m["deadline"] = p.dateStamp(d)
			m["summary"] = p.registerCounts(e, h.Changes[i])
			names := func(rows []subprocessors.Row) []string {
				out := make([]string, 0, len(rows))
				for _, r := range rows {
					out = append(out, r.Name)
				}
				return out
			}
			ch := h.Changes[i]
			changed := make([]string, 0, len(ch.Changed))
			for _, rc := range ch.Changed {
				changed = append(changed, rc.New.Name)
			}
			m["added"], m["removed"], m["changed"] = names(ch.Added), names(ch.Removed), changed
			objections = append(objections, m)
		}
	}
	// Soonest deadline, and soonest effective date, first.
	sort.SliceStable(objections, func(i, j int) bool {
		return objections[i]["deadline"].(map[string]any)["date"].(string) < objections[j]["deadline"].(map[string]any)["date"].(string)
	})
	sort.SliceStable(upcoming, func(i, j int) bool {
		return effectiveOf(upcoming[i]) < effectiveOf(upcoming[j])
	})
	sort.SliceStable(material, func(i, j int) bool {
		return material[i].e.Versions[material[i].i].Date.After(material[j].e.Versions[material[j].i].Date)
	})
	var recent []map[string]any
	for _, d := range material[:min(len(material), RecentChanges)] {
		m := p.versionRef(d.e, d.i, d.e.InForce(p.c.Today, p.loc))
		m["document"] = map[string]any{"title": d.e.Doc.Title, "url": DocumentURL(d.e.ID), "language": d.e.Language, "retired": d.e.Retired}
		m["first"] = d.i == len(d.e.Versions)-1
		recent = append(recent, m)
	}
	return map[string]any{"objections": objections, "upcoming": upcoming, "recent": recent}, nil
}

func effectiveOf(m map[string]any) string {
	if eff, ok := m["effective"].(map[string]any); ok {
		return eff["date"].(string)
	}
	return ""
}

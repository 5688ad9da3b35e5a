package portal

import (
	"strings"

	"github.com/clause-portal/clause/generator/history"
	"github.com/clause-portal/clause/generator/markdown"
)

// Materiality: one rule, computed once by Load, which the pages, the
// feeds, the API and clause notify all read from Version.Material.
//
//   - A version whose commit message says "Change-Type: minor" is minor.
//   - A version whose commit message says "Change-Type: material" is
//     material, whatever its text.
//   - Any other version is material, unless it is LayoutOnly: its redline
//     against its predecessor has no textual change (a re-wrap, a change of
//     markup), no front matter a reader sees changed (title, effective
//     date, notice period) and no sub-processor changed. Such a version is
//     archived and listed, as "No textual change (layout only)", and never
//     notified.
//
// The first version of a document is always material unless marked minor.

// settleVersions sets what Load computes of every version from the texts
// and dates of its document: Material, LayoutOnly and SharesDay.
func (c *Catalog) settleVersions() error {
	for _, e := range c.Entries {
		c.markSharedDays(e)
		for i, v := range e.Versions {
			layout, err := c.layoutOnly(e, i)
			if err != nil {
				return err
			}
			v.LayoutOnly = layout
			switch v.ChangeType() {
			case history.ChangeTypeMaterial:
				v.Material = true
			case history.ChangeTypeMinor:
				v.Material = false
			default:
				v.Material = !layout
			}
		}
	}
	return nil
}

// markSharedDays sets SharesDay on the versions of e published on a day
// (in the portal's time zone) on which another one was, and sharesMinute
// on those published in the same minute as another.
func (c *Catalog) markSharedDays(e *Entry) {
	seen := make(map[string]int, 2*len(e.Versions))
	day := func(v *Version) string { return v.Date.In(c.Config.Location).Format("2006-01-02") }
	minute := func(v *Version) string { return v.Date.In(c.Config.Location).Format("2006-01-02T15:04") }
	for _, v := range e.Versions {
		seen[day(v)]++
		seen[minute(v)]++
	}
	for _, v := range e.Versions {
		v.SharesDay = seen[day(v)] > 1
		v.sharesMinute = seen[minute(v)] > 1
	}
}

// layoutOnly reports whether version i of e changes only the layout of
// its predecessor's text (see Version.LayoutOnly). The words of the two
// texts are compared first: only when they are the same (rare: a re-wrap)
// is the redline computed, so that a long history is not redlined twice.
func (c *Catalog) layoutOnly(e *Entry, i int) (bool, error) {
	if i+1 >= len(e.Versions) {
		return false, nil
	}
	v, prev := e.Versions[i], e.Versions[i+1]
	if v.TooLarge() || prev.TooLarge() || v.SHA256 == prev.SHA256 {
		return false, nil
	}
	for _, x := range []*Version{v, prev} {
		if _, notShown, err := c.parseVersion(e, x); err != nil {
			return false, err
		} else if notShown {
			return false, nil
		}
	}
	a, err := c.VersionSide(e, prev)
	if err != nil {
		return false, err
	}
	b, err := c.VersionSide(e, v)
	if err != nil {
		return false, err
	}
	if !sameWords(a.blockList(), b.blockList()) {
		return false, nil
	}
	cmp := Compare(a, b)
	if !cmp.Identical() || !cmp.SourceChanged || len(cmp.Metadata) > 0 {
		return false, nil
	}
	h, err := c.Register(e)
	if err != nil {
		return false, err
	}
	return h == nil || h.Changes[i].Empty(), nil
}

// sameWords reports whether two texts have the same words in the same
// order, whatever their blocks: a redline with no textual change has.
func sameWords(a, b []markdown.Block) bool {
	words := func(bs []markdown.Block) []string {
		var out []string
		for _, bl := range bs {
			out = append(out, strings.Fields(bl.Text)...)
		}
		return out
	}
	wa, wb := words(a), words(b)
	if len(wa) != len(wb) {
		return false
	}
	for k := range wa {
		if wa[k] != wb[k] {
			return false
		}
	}
	return true
}

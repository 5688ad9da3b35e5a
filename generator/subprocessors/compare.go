package subprocessors

import (
	"fmt"
	"slices"
	"strings"
)

// Changes are the differences between two versions of a register.
//
// Rows are matched by identity, not position: reordering rows is no
// change, and neither is moving the list from a markdown table to front
// matter with the same data. A row whose only difference is its group (it
// moved from one table or heading to another) is in Moved, with the group
// as its one field change. A row that moved and changed otherwise is in
// Changed, with the group among its fields. Group differences are ignored
// when neither register has more than one group, since a single heading is
// no grouping.
type Changes struct {
	// Added are the rows of the new register with no counterpart in the
	// old, in the new register's order.
	Added []Row
	// Removed are the rows of the old register with no counterpart in the
	// new, in the old register's order.
	Removed []Row
	// Changed are the rows present in both with different values.
	Changed []RowChange
	// Moved are the rows present in both that differ only in group.
	Moved []RowChange
}

// RowChange is one row as it was and as it is.
type RowChange struct {
	// Old and New are the row in the old and the new register.
	Old, New Row
	// Fields are the changed fields, in the order of the Field constants.
	Fields []FieldChange
}

// FieldChange is one changed field of a row.
type FieldChange struct {
	// Field is one of the Field constants ("name", "location", "group"…).
	Field string
	// Old and New are the values as text; data categories are joined
	// with ", ", dates are YYYY-MM-DD.
	Old, New string
}

// Empty reports whether nothing changed, moves included.
func (c Changes) Empty() bool {
	return len(c.Added) == 0 && len(c.Removed) == 0 && len(c.Changed) == 0 && len(c.Moved) == 0
}

// Substantive reports whether a sub-processor was added, removed or
// changed. A move between groups alone is not substantive: no
// sub-processor, purpose or location changed, so it calls for no notice.
func (c Changes) Substantive() bool {
	return len(c.Added) > 0 || len(c.Removed) > 0 || len(c.Changed) > 0
}

// Summary describes the changes in a few words: "2 added, 1 removed, 1
// changed", with "N moved" last and counts of zero left out, or "no
// changes".
func (c Changes) Summary() string {
	var parts []string
	for _, p := range []struct {
		n    int
		verb string
	}{{len(c.Added), "added"}, {len(c.Removed), "removed"}, {len(c.Changed), "changed"}, {len(c.Moved), "moved"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.verb))
		}
	}
	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, ", ")
}

// identities are the ways a row is matched to its counterpart once exact
// keys are exhausted, most specific first. Each returns "" when the row
// lacks a part of it; a match is made only when exactly one unmatched old
// row and one unmatched new row share the identity.
var identities = []func(Row) string{
	func(r Row) string { return need(websiteHost(r.Website), normName(r.Name), slug(r.Purpose), locKey(r)) },
	func(r Row) string { return need(websiteHost(r.Website), normName(r.Name), slug(r.Purpose)) },
	func(r Row) string { return need(websiteHost(r.Website), normName(r.Name)) },
	func(r Row) string { return need(websiteHost(r.Website), slug(r.Purpose)) },
	func(r Row) string { return need(websiteHost(r.Website)) },
	func(r Row) string { return need(normName(r.Name), slug(r.Purpose), locKey(r)) },
	func(r Row) string { return need(normName(r.Name), slug(r.Purpose)) },
	func(r Row) string { return need(normName(r.Name)) },
}

// need joins identity parts, or returns "" if one is empty.
func need(parts ...string) string {
	for _, p := range parts {
		if p == "" {
			return ""
		}
	}
	return strings.Join(parts, "\x00")
}

func locKey(r Row) string {
	if len(r.Locations) > 0 {
		return strings.Join(r.Locations, "-")
	}
	return slug(r.Location)
}

// Compare computes the changes from old to new. Either may be nil (an
// empty list). Rows are matched by Key first, then by the identities
// above, so that a rename with an unchanged website, or a change of
// website with an unchanged name, is a change rather than a removal and
// an addition.
func Compare(old, new *Register) Changes {
	var o, n []Row
	if old != nil {
		o = old.Rows
	}
	if new != nil {
		n = new.Rows
	}
	if len(o) == 0 {
		// Every row is added: the new register's rows, not a copy (the
		// first version of a register of 154,000 rows copied 60 MB).
		// Rows are not changed once read.
		var c Changes
		if len(n) > 0 {
			c.Added = n[:len(n):len(n)]
		}
		return c
	}
	pair := make([]int, len(n)) // index into o, or -1
	used := make([]bool, len(o))
	for i := range pair {
		pair[i] = -1
	}
	// Rows mostly keep their order: a row's match by key is mostly the
	// old row after the previous match, and a map of the keys of the old
	// rows not matched yet is made only when it is not (rows added at the
	// end: a map of the rows removed). Keys are unique within a register:
	// the row found either way is the one with the key.
	var byKey map[string]int
	next := 0
	for i := range n {
		k := n[i].Key
		if k == "" {
			continue
		}
		if next < len(o) && o[next].Key == k && !used[next] {
			pair[i], used[next] = next, true
			next++
			continue
		}
		if byKey == nil {
			byKey = map[string]int{}
			for j := range o {
				if _, dup := byKey[o[j].Key]; !dup && o[j].Key != "" && !used[j] {
					byKey[o[j].Key] = j
				}
			}
		}
		if j, ok := byKey[k]; ok && !used[j] {
			pair[i], used[j] = j, true
			next = j + 1
		}
	}
	for _, id := range identities {
		olds, news := map[string][]int{}, map[string][]int{}
		// Rows already paired are skipped before their identity is
		// computed: on a large register nearly all rows pair by Key.
		// By index: copying every row to skip most of them took time.
		for j := range o {
			if used[j] {
				continue
			}
			if k := id(o[j]); k != "" {
				olds[k] = append(olds[k], j)
			}
		}
		for i := range n {
			if pair[i] >= 0 {
				continue
			}
			if k := id(n[i]); k != "" {
				news[k] = append(news[k], i)
			}
		}
		for k, is := range news {
			if js := olds[k]; len(is) == 1 && len(js) == 1 {
				pair[is[0]], used[js[0]] = js[0], true
			}
		}
	}

	grouped := (old != nil && len(old.Groups()) > 1) || (new != nil && len(new.Groups()) > 1)
	var c Changes
	for i := range n {
		if pair[i] < 0 {
			c.Added = append(c.Added, n[i])
			continue
		}
		if sameFields(&o[pair[i]], &n[i], grouped) {
			continue // no copies of the rows that did not change
		}
		prev, r := o[pair[i]], n[i]
		fields := diffRows(prev, r, grouped)
		switch {
		case len(fields) == 0:
		case len(fields) == 1 && fields[0].Field == FieldGroup:
			c.Moved = append(c.Moved, RowChange{Old: prev, New: r, Fields: fields})
		default:
			c.Changed = append(c.Changed, RowChange{Old: prev, New: r, Fields: fields})
		}
	}
	for j, r := range o {
		if !used[j] {
			c.Removed = append(c.Removed, r)
		}
	}
	return c
}

// diffRows lists the fields in which two rows differ. Text is compared
// with white space folded, websites ignoring scheme, "www." and a final
// slash; the group only when grouped is set.
func diffRows(a, b Row, grouped bool) []FieldChange {
	if sameFields(&a, &b, grouped) {
		// Most rows of two versions are the same as written: nothing to
		// fold or normalise (a register of 154,000 rows spent most of its
		// comparisons here).
		return nil
	}
	var out []FieldChange
	for _, f := range fieldOrder {
		if f == FieldGroup && !grouped {
			continue
		}
		av, bv := fieldText(a, f), fieldText(b, f)
		same := av == bv
		if f == FieldWebsite {
			same = sameWebsite(a.Website, b.Website)
		}
		if !same {
			out = append(out, FieldChange{Field: f, Old: av, New: bv})
		}
	}
	return out
}

// sameFields reports whether two rows have the same fields as written
// (those diffRows compares): then diffRows finds no difference.
func sameFields(a, b *Row, grouped bool) bool {
	return a.Name == b.Name && a.Purpose == b.Purpose && a.Location == b.Location &&
		a.EntityCountry == b.EntityCountry && a.TransferMechanism == b.TransferMechanism &&
		slices.Equal(a.DataCategories, b.DataCategories) && a.Website == b.Website &&
		a.Added == b.Added && a.Effective == b.Effective && (!grouped || a.Group == b.Group)
}

// fieldText returns a row field as comparable text.
func fieldText(r Row, field string) string {
	switch field {
	case FieldName:
		return foldSpace(r.Name)
	case FieldPurpose:
		return foldSpace(r.Purpose)
	case FieldLocation:
		return foldSpace(r.Location)
	case FieldEntityCountry:
		return foldSpace(r.EntityCountry)
	case FieldTransferMechanism:
		return foldSpace(r.TransferMechanism)
	case FieldDataCategories:
		cats := slices.Clone(r.DataCategories)
		for i := range cats {
			cats[i] = foldSpace(cats[i])
		}
		return strings.Join(cats, ", ")
	case FieldWebsite:
		return strings.TrimSpace(r.Website)
	case FieldAdded:
		return r.Added.String()
	case FieldEffective:
		return r.Effective.String()
	case FieldGroup:
		return foldSpace(r.Group)
	}
	return ""
}

package portal

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/clause-portal/clause/generator/api"
	"github.com/clause-portal/clause/generator/config"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/markdown"
	"github.com/clause-portal/clause/generator/site"
	"github.com/clause-portal/clause/generator/subprocessors"
)

// RegisterHistory is a sub-processor list's register at the versions the
// portal shows and what each version changed.
type RegisterHistory struct {
	// Current is the register of the document as it stands (the file in
	// the content folder), Problems what validating it found.
	Current  *subprocessors.Register
	Problems []subprocessors.Problem
	// Registers[i] is the register of Versions[i] for the versions whose
	// rows the portal shows: the newest, the one in force and, when none
	// is, the oldest; nil for the others. Keeping every version's register
	// would make memory grow with the number of versions (a register of
	// 154,000 rows in 6 versions took 3 GB).
	Registers []*subprocessors.Register
	// NoticeDays[i] is the notice period of Versions[i].
	NoticeDays []int
	// Changes[i] is what Versions[i] changed against Versions[i+1]
	// (against nothing for the first version).
	Changes []subprocessors.Changes

	// redlines are the comparisons by rows of a large register, nil for
	// others (see RedlineRegisterRows).
	redlines *registerRedlines
}

// extract reads the sub-processor register of a document with the
// portal's column mapping (clause.toml [subprocessors.columns]).
func (c *Catalog) extract(doc *document.Document, opts ...subprocessors.Option) (*subprocessors.Register, []subprocessors.Problem) {
	return extractRegister(doc, c.Config, opts...)
}

func extractRegister(doc *document.Document, cfg *config.Config, opts ...subprocessors.Option) (*subprocessors.Register, []subprocessors.Problem) {
	return subprocessors.Extract(doc, append([]subprocessors.Option{subprocessors.WithColumns(cfg.Subprocessors.Columns)}, opts...)...)
}

// prerenderBody is the size from which Register, in a build, renders the
// page of each version of a register from the tree it reads the register
// from: a register of 154,000 rows (3.5 MB) took twice as long to parse
// for its register and again for its page.
const prerenderBody = 1 << 20

// parseForPage parses the body of version v of e (d) for its register
// and its page, when the build renders pages ahead and d is large; nil
// otherwise (Extract then parses the body itself).
func (c *Catalog) parseForPage(d *document.Document) *markdown.Tree {
	min := prerenderBody
	if c.prerenderMin > 0 {
		min = c.prerenderMin
	}
	if !c.prerender || len(d.Body) < min {
		return nil
	}
	t, err := markdown.Parse(d.Body)
	if err != nil {
		return nil // refused: the page says why, and the register is empty
	}
	return t
}

// renderAhead renders the page of version v of e, whose text is d, from
// the tree t its register was read from, as versionPage would; an error
// is left for versionPage to report.
func (c *Catalog) renderAhead(e *Entry, v *Version, d *document.Document, t *markdown.Tree) {
	r, err := renderTree(d, t, c.linker().resolver(e, c.repoRelative(v.Path), v, true))
	if err != nil {
		return
	}
	c.prerendered.put(v, r)
}

// renderedAhead returns the page of version v rendered by Register; with
// take, it is dropped (its page is built).
func (c *Catalog) renderedAhead(v *Version, take bool) (*markdown.Rendered, bool) {
	return c.prerendered.get(v, take)
}

// registerErrors validates the sub-processor register of each document as
// it stands, as clause check and the build do, and returns its errors
// (warnings left out): for reporting them together with errors elsewhere
// that stop the build before registers are read.
func registerErrors(docs []*document.Document, cfg *config.Config) document.Errors {
	var errs document.Errors
	for _, d := range docs {
		reg, problems := extractRegister(d, cfg)
		if d.Kind != document.KindSubprocessors && reg.Source == subprocessors.SourceNone {
			continue
		}
		for _, p := range problems {
			if p.Severity != subprocessors.Warning {
				errs = append(errs, &document.Error{Path: p.Path, Line: p.Line, Msg: p.Msg})
			}
		}
	}
	return errs
}

// extractPast reads the register of a past version: as extract, without
// validating it, since problems in past versions are not reported.
func (c *Catalog) extractPast(doc *document.Document, opts ...subprocessors.Option) *subprocessors.Register {
	reg, _ := c.extract(doc, append(opts, subprocessors.WithoutValidation())...)
	return reg
}

// Register reads the sub-processor register of every version of e. It
// returns nil when e is not a sub-processor list: a document of kind
// subprocessors always is one; any other document (a DPA with its annex)
// is one when it has a sub-processor table or a "subprocessors" front
// matter list as it stands (see subprocessors.Extract). Problems in past
// versions are not reported: history cannot be fixed.
func (c *Catalog) Register(e *Entry) (*RegisterHistory, error) {
	if e.register != nil || e.notRegister {
		return e.register, nil
	}
	h := &RegisterHistory{}
	// The text as it stands is usually the newest version's: its tree
	// serves that version's page too.
	var currentTree *markdown.Tree
	if len(e.Versions) > 0 {
		currentTree = c.parseForPage(e.Doc)
	}
	h.Current, h.Problems = c.extract(e.Doc, subprocessors.WithTree(currentTree))
	if e.Doc.Kind != document.KindSubprocessors && h.Current.Source == subprocessors.SourceNone {
		e.notRegister = true
		return nil, nil
	}
	n := len(e.Versions)
	h.Registers = make([]*subprocessors.Register, n)
	h.NoticeDays = make([]int, n)
	h.Changes = make([]subprocessors.Changes, n)
	inForce := e.InForce(c.Today, c.Config.Location)
	keep := func(i int) bool { return i == 0 || i == inForce || (inForce < 0 && i == n-1) }
	// read reads the register of version i; shown is false when its text
	// is not shown (too large, beyond the limits).
	read := func(i int, prev *subprocessors.Register) (reg *subprocessors.Register, d *document.Document, shown bool, err error) {
		v := e.Versions[i]
		d, notShown, err := c.parseVersion(e, v)
		if err != nil {
			return nil, nil, false, err
		}
		switch {
		case notShown:
			// Its rows cannot be read: taken as unchanged, rather than as
			// every sub-processor removed (and added again after it).
			reg = prev
			if reg == nil {
				reg = &subprocessors.Register{}
			}
		case sameText(d, e.Doc):
			// Usually the newest version: the file as it stands, read
			// above, is not read a second time.
			reg = h.Current
			if currentTree != nil {
				c.renderAhead(e, v, d, currentTree)
				currentTree = nil // rendered: its tree has changed
			}
		default:
			t := c.parseForPage(d)
			reg = c.extractPast(d, subprocessors.WithTree(t))
			if t != nil {
				c.renderAhead(e, v, d, t)
			}
		}
		return reg, d, !notShown, nil
	}
	// The newest version first, when it is large: the redlines of a large
	// register against it are computed below (see RedlineRegisterRows).
	var newest *subprocessors.Register
	var newestDoc *document.Document
	if n > 1 && len(h.Current.Rows) > RedlineRegisterRows {
		reg, d, shown, err := read(0, nil)
		if err != nil {
			return nil, err
		}
		if shown {
			newest, newestDoc = reg, d
		}
	}
	// Oldest first, holding only the previous version's register besides
	// those kept.
	var prev *subprocessors.Register
	var prevDoc *document.Document
	for i := n - 1; i >= 0; i-- {
		v := e.Versions[i]
		if v.TooLarge() {
			fmt.Fprintf(c.log, "warning: %s at version %s (commit %.7s) is too large to read its sub-processors (%.1f MiB); taken as unchanged\n", v.Path, v.ID, v.Commit, float64(v.Size)/(1<<20))
		}
		var reg *subprocessors.Register
		var d *document.Document
		var shown bool
		var err error
		if i == 0 && newest != nil {
			reg, d, shown = newest, newestDoc, true
		} else if reg, d, shown, err = read(i, prev); err != nil {
			return nil, err
		}
		h.Changes[i] = subprocessors.Compare(prev, reg)
		h.NoticeDays[i] = reg.NoticeDays
		if keep(i) {
			h.Registers[i] = reg
		}
		if shown && (len(reg.Rows) > RedlineRegisterRows || prev != nil && len(prev.Rows) > RedlineRegisterRows) {
			h.addRedlines(i, n, d, reg, prevDoc, prev, newestDoc, newest)
		}
		prev, prevDoc = reg, d
		if !shown {
			prevDoc = nil
		}
	}
	e.register = h
	return h, nil
}

// addRedlines keeps what the redlines of version i of a large register
// need: its text without its rows and its comparisons by rows with its
// predecessor (prev, when shown: prevDoc not nil) and with the newest
// version (when shown and large).
func (h *RegisterHistory) addRedlines(i, n int, d *document.Document, reg *subprocessors.Register, prevDoc *document.Document, prev *subprocessors.Register, newestDoc *document.Document, newest *subprocessors.Register) {
	rest, ok := registerRest(d, reg)
	if !ok {
		return
	}
	if h.redlines == nil {
		h.redlines = &registerRedlines{rest: make([][]byte, n), pairs: map[[2]int]*registerPair{}}
	}
	r := h.redlines
	r.rest[i] = rest
	if i+1 < n && prevDoc != nil && r.rest[i+1] != nil {
		r.pairs[[2]int{i + 1, i}] = compareRows(prevDoc, prev, d, reg, h.Changes[i])
	}
	if i > 1 && newest != nil {
		r.pairs[[2]int{i, 0}] = compareRows(d, reg, newestDoc, newest, subprocessors.Compare(reg, newest))
	}
}

// sameText reports whether two documents have the same text at the same
// path, and so the same register: everything subprocessors.Extract reads
// is parsed from the source.
func sameText(a, b *document.Document) bool {
	return a.Path == b.Path && a.Kind == b.Kind && a.Effective == b.Effective && a.NoticeDays == b.NoticeDays &&
		a.BodyLine == b.BodyLine && a.FrontMatterLine == b.FrontMatterLine && bytes.Equal(a.Source, b.Source)
}

// Deadline is the objection deadline of version i, or the zero Date when
// the version gives no occasion to object (minor, or nothing added or
// changed).
func (c *Catalog) Deadline(e *Entry, h *RegisterHistory, i int) document.Date {
	v := e.Versions[i]
	ch := h.Changes[i]
	if !v.Material || (len(ch.Added) == 0 && len(ch.Changed) == 0) || i == len(e.Versions)-1 {
		return document.Date{}
	}
	return subprocessors.Deadline(v.Date, h.NoticeDays[i], c.Config.Location)
}

func apiRow(r subprocessors.Row) api.Subprocessor {
	countries := r.Locations
	if countries == nil {
		countries = []string{}
	}
	cats := r.DataCategories
	if cats == nil {
		cats = []string{}
	}
	return api.Subprocessor{
		Name:              r.Name,
		Purpose:           r.Purpose,
		Location:          r.Location,
		Countries:         countries,
		EntityCountry:     api.String(r.EntityCountry),
		TransferMechanism: api.String(r.TransferMechanism),
		DataCategories:    cats,
		Website:           api.String(r.Website),
		Group:             api.String(r.Group),
		Added:             api.String(r.Added.String()),
		Effective:         api.String(r.Effective.String()),
		Key:               r.Key,
	}
}

func apiRows(rows []subprocessors.Row) []api.Subprocessor {
	out := make([]api.Subprocessor, 0, len(rows))
	for _, r := range rows {
		out = append(out, apiRow(r))
	}
	return out
}

func apiChanged(cs []subprocessors.RowChange) []api.ChangedRecord {
	out := make([]api.ChangedRecord, 0, len(cs))
	for _, rc := range cs {
		fields := make([]api.FieldChange, 0, len(rc.Fields))
		for _, f := range rc.Fields {
			fields = append(fields, api.FieldChange{Field: f.Field, Old: f.Old, New: f.New})
		}
		out = append(out, api.ChangedRecord{Name: rc.New.Name, Key: rc.New.Key, Fields: fields})
	}
	return out
}

// registerChange is the API record of what version i changed.
func (c *Catalog) registerChange(e *Entry, h *RegisterHistory, i int) api.RegisterChange {
	v := e.Versions[i]
	ch := h.Changes[i]
	date := v.Date.Format(time.RFC3339)
	url := escapePath(VersionURL(e.ID, v.ID))
	eff := v.TakesEffect(c.Config.Location).String()
	return api.RegisterChange{
		Version:           api.String(v.ID),
		Commit:            api.String(v.Commit),
		Date:              &date,
		URL:               &url,
		Material:          v.Material,
		Effective:         &eff,
		ObjectionDeadline: api.String(c.Deadline(e, h, i).String()),
		Summary:           c.RegisterSummary(e, h, i, false),
		Added:             apiRows(ch.Added),
		Removed:           apiRows(ch.Removed),
		Changed:           apiChanged(ch.Changed),
		Moved:             apiChanged(ch.Moved),
	}
}

// upcomingChanges are the changes a controller can still act on: versions
// not yet in force or whose objection period runs, and rows of the
// current register that take effect later.
func (c *Catalog) upcomingChanges(e *Entry, h *RegisterHistory) []api.RegisterChange {
	out := []api.RegisterChange{}
	inForce := e.InForce(c.Today, c.Config.Location)
	for i := range e.Versions {
		if h.Changes[i].Empty() || i == len(e.Versions)-1 {
			continue
		}
		deadline := c.Deadline(e, h, i)
		if (inForce >= 0 && i >= inForce) && (deadline.IsZero() || deadline.Before(c.Today)) {
			continue
		}
		out = append(out, c.registerChange(e, h, i))
	}
	current := h.Current
	if inForce > 0 {
		current = h.Registers[0]
	}
	for _, r := range current.Upcoming(c.Today) {
		eff := current.EffectiveDate(r).String()
		out = append(out, api.RegisterChange{Material: true, Effective: &eff, Summary: "1 takes effect later", Added: []api.Subprocessor{apiRow(r)}, Removed: []api.Subprocessor{}, Changed: []api.ChangedRecord{}, Moved: []api.ChangedRecord{}})
	}
	return out
}

// SubprocessorsAPI returns the /api/subprocessors.json value.
func (c *Catalog) SubprocessorsAPI() (api.Subprocessors, error) {
	out := api.Subprocessors{Generated: c.Stamp().Format(time.RFC3339), Lists: []api.SubprocessorList{}}
	for _, e := range c.Entries {
		h, err := c.Register(e)
		if err != nil {
			return out, err
		}
		if h == nil {
			continue
		}
		l := api.SubprocessorList{ID: e.ID, Title: e.Doc.Title, URL: escapePath(DocumentURL(e.ID)), Retired: e.Retired, NoticeDays: e.Doc.NoticeDays, History: []api.RegisterChange{}}
		reg := h.Current
		if inForce := e.InForce(c.Today, c.Config.Location); len(e.Versions) > 0 {
			if inForce < 0 {
				inForce = len(e.Versions) - 1
			}
			if inForce > 0 || e.Retired {
				reg = h.Registers[inForce]
			}
			l.Version = api.String(e.Versions[inForce].ID)
		}
		l.Register = apiRows(reg.Rows)
		l.Upcoming = c.upcomingChanges(e, h)
		for i := range e.Versions {
			l.History = append(l.History, c.registerChange(e, h, i))
		}
		out.Lists = append(out.Lists, l)
	}
	return out, nil
}

// registerParams are the template parameters of a sub-processor list's
// page: the register of the version shown, as a table, what is upcoming,
// and the history of changes. shown is the index of the version shown, or
// -1 for the file in the content folder.
func (p *pager) registerParams(e *Entry, h *RegisterHistory, shown int) map[string]any {
	reg := h.Current
	if shown >= 0 {
		reg = h.Registers[shown]
	}
	cols := registerColumns(reg)
	var rows []map[string]any
	var tableHTML string
	if len(reg.Rows) > p.tableRows() {
		// Written here rather than by the template: one string instead
		// of a map per row (see RegisterTableRows).
		var b strings.Builder
		p.writeRegisterRows(&b, reg, cols)
		tableHTML = b.String()
	} else {
		rows = make([]map[string]any, 0, len(reg.Rows))
		for _, r := range reg.Rows {
			rows = append(rows, p.registerRow(reg, r))
		}
	}
	var history []map[string]any
	inForce := e.InForce(p.c.Today, p.loc)
	for i := range e.Versions {
		history = append(history, p.changeParams(e, h, i, inForce))
	}
	var upcoming []map[string]any
	for i := range e.Versions {
		if i == len(e.Versions)-1 || h.Changes[i].Empty() {
			continue
		}
		d := p.c.Deadline(e, h, i)
		if (inForce < 0 || i < inForce) || (!d.IsZero() && !d.Before(p.c.Today)) {
			upcoming = append(upcoming, p.changeParams(e, h, i, inForce))
		}
	}
	// Rows in runs of the same group (the section of the list they are
	// in): the table shows each group's name once, above its rows.
	var groups []map[string]any
	for _, m := range rows {
		name := ""
		if cols["group"] {
			name = m["group"].(string)
		}
		if len(groups) == 0 || groups[len(groups)-1]["name"] != name {
			groups = append(groups, map[string]any{"name": name, "rows": []map[string]any{}})
		}
		g := groups[len(groups)-1]
		g["rows"] = append(g["rows"].([]map[string]any), m)
	}
	var upcomingRows []map[string]any
	for _, r := range reg.Rows {
		if reg.EffectiveDate(r).After(p.c.Today) {
			upcomingRows = append(upcomingRows, p.registerRow(reg, r))
		}
	}
	params := map[string]any{
		"columns":       cols,
		"source":        reg.Source.String(),
		"notice_days":   reg.NoticeDays,
		"history":       history,
		"upcoming":      upcoming,
		"upcoming_rows": upcomingRows,
		"count":         len(reg.Rows),
		// The filter's count, in the page's language: each plural form,
		// for the script to choose by the browser's plural rules.
		"count_forms":   p.localizer(e.Language).Forms("register_count"),
		"showing_forms": p.localizer(e.Language).Forms("register_showing"),
	}
	if tableHTML != "" {
		// Round Hugo, which would hold the table several times over.
		params["table_html"] = site.Defer([]byte(tableHTML))
	} else {
		params["rows"], params["groups"] = rows, groups
	}
	return params
}

// registerRow is the template parameter of one row of a register.
func (p *pager) registerRow(reg *subprocessors.Register, r subprocessors.Row) map[string]any {
	// Empty cells are empty values: a row without data categories
	// (when others have them) gets an empty list, not nil.
	cats := r.DataCategories
	if cats == nil {
		cats = []string{}
	}
	countries := make([]string, 0, len(r.Locations))
	for _, code := range r.Locations {
		countries = append(countries, subprocessors.CountryName(code))
	}
	m := map[string]any{
		"name": r.Name, "purpose": r.Purpose, "location": r.Location, "countries": countries,
		"entity_country": r.EntityCountry, "transfer_mechanism": r.TransferMechanism,
		"data_categories": cats, "website": safeWebsite(r.Website), "group": r.Group, "key": r.Key,
	}
	if eff := reg.EffectiveDate(r); eff.After(p.c.Today) {
		m["effective"] = p.dateStamp(eff)
	}
	return m
}

// changeParams describes what version i changed in the register.
func (p *pager) changeParams(e *Entry, h *RegisterHistory, i, inForce int) map[string]any {
	ch := h.Changes[i]
	m := p.versionRef(e, i, inForce)
	m["summary"] = p.registerSummary(e, h, i, false)
	m["first"] = i == len(e.Versions)-1
	names := func(rows []subprocessors.Row) []map[string]any {
		out := make([]map[string]any, 0, len(rows))
		for _, r := range rows {
			out = append(out, map[string]any{"name": r.Name, "purpose": r.Purpose, "location": r.Location})
		}
		return out
	}
	changed := func(cs []subprocessors.RowChange) []map[string]any {
		out := make([]map[string]any, 0, len(cs))
		for _, c := range cs {
			var fields []map[string]any
			for _, f := range c.Fields {
				fields = append(fields, map[string]any{"field": fieldLabel(f.Field), "field_id": f.Field, "old": f.Old, "new": f.New})
			}
			out = append(out, map[string]any{"name": c.New.Name, "fields": fields})
		}
		return out
	}
	if m["first"] == true && len(ch.Added) > p.tableRows() {
		// The first version adds every row: the pages say "first
		// published", and a large register's rows are its table.
		m["added"] = []map[string]any{}
	} else {
		m["added"] = names(ch.Added)
	}
	m["removed"] = names(ch.Removed)
	m["changed"], m["moved"] = changed(ch.Changed), changed(ch.Moved)
	if d := p.c.Deadline(e, h, i); !d.IsZero() {
		dl := p.dateStamp(d)
		dl["passed"] = d.Before(p.c.Today)
		m["deadline"] = dl
	}
	return m
}

func fieldLabel(f string) string {
	switch f {
	case subprocessors.FieldEntityCountry:
		return "entity country"
	case subprocessors.FieldTransferMechanism:
		return "transfer mechanism"
	case subprocessors.FieldDataCategories:
		return "data categories"
	}
	return f
}

// safeWebsite keeps a website only when it is an http(s) URL: it is put in
// an href, and content is untrusted.
func safeWebsite(u string) string {
	if len(u) > 8 && (u[:8] == "https://" || u[:7] == "http://") {
		return u
	}
	return ""
}

package portal

import (
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"sort"
	"strings"
	"sync"
	"time"

	"github.com/clause-portal/clause/generator/config"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/markdown"
	"github.com/clause-portal/clause/generator/site"
)

// DisplayDate is how dates are shown to readers: "23 November 2026".
const DisplayDate = "2 January 2006"

// DisplayTime is how a publication time is shown to readers when a date
// alone would not tell two versions of a document apart: "23 November
// 2026, 14:05 CET", in the portal's time zone.
const DisplayTime = DisplayDate + ", 15:04 MST"

// DisplaySeconds is DisplayTime for versions published in the same minute.
const DisplaySeconds = DisplayDate + ", 15:04:05 MST"

// Version statuses, as templates and the terminal show them.
const (
	StatusInForce    = "in force"
	StatusUpcoming   = "upcoming"
	StatusSuperseded = "superseded"
	StatusRetired    = "retired"
)

// DocumentURL, VersionsURL and VersionURL are the permanent paths of a
// document's pages.
func DocumentURL(id string) string         { return "/" + id + "/" }
func VersionsURL(id string) string         { return "/" + id + "/versions/" }
func VersionURL(id, version string) string { return "/" + id + "/versions/" + version + "/" }

// pager turns a catalog into site pages.
type pager struct {
	c       *Catalog
	loc     *time.Location
	repoURL string

	sidesOf *Entry       // the document whose versions sides holds
	sides   []cachedSide // parsed versions of sidesOf, most recently used last

	pairsOf *Entry         // the document whose comparisons pairs lists
	pairs   [][2]int       // comparePairs(pairsOf), the order of its comparisons
	pairAt  map[[2]int]int // position of each pair in pairs
	pairNow int            // position of the comparison being built

	localizers sync.Map // language → *site.Localizer

	// maxTableRows overrides RegisterTableRows (tests).
	maxTableRows int
	texts        *textNames // the versions' texts published for the compare page
	memo         *memo      // what earlier builds computed; nil: compute it all
}

// cachedSide is a parsed version of pager.sidesOf.
type cachedSide struct {
	i    int
	side Side
}

func (p *pager) stamp(t time.Time) map[string]any {
	t = t.In(p.loc)
	return map[string]any{"datetime": t.Format(time.RFC3339), "display": t.Format(DisplayDate)}
}

// versionStamp is the publication date of a version, with the time when
// another version of the document was published the same day.
func (p *pager) versionStamp(v *Version) map[string]any {
	m := p.stamp(v.Date)
	switch {
	case v.sharesMinute:
		m["display"] = v.Date.In(p.loc).Format(DisplaySeconds)
	case v.SharesDay:
		m["display"] = v.Date.In(p.loc).Format(DisplayTime)
	}
	return m
}

// versionDisplay is versionStamp's text.
func (p *pager) versionDisplay(v *Version) string {
	return p.versionStamp(v)["display"].(string)
}

// localizer is the Localizer of lang ("" for the portal's default
// language): the theme's strings as the pages in lang show them, the
// repository's i18n folder over the theme's. A folder that cannot be read
// (which the build reports) leaves the theme's strings.
func (p *pager) localizer(lang string) *site.Localizer {
	if lang == "" {
		lang = p.c.Config.Language
	}
	if l, ok := p.localizers.Load(lang); ok {
		return l.(*site.Localizer)
	}
	l, err := site.NewLocalizer(lang, p.c.I18nDir())
	if err != nil {
		if l, err = site.NewLocalizer(lang, ""); err != nil {
			panic(err) // the embedded theme's bundles are tested
		}
	}
	actual, _ := p.localizers.LoadOrStore(lang, l)
	return actual.(*site.Localizer)
}

// localVersionDisplay is versionDisplay in the document's language: its
// day written the language's way, a time of day kept.
func (p *pager) localVersionDisplay(e *Entry, v *Version) string {
	display := p.versionDisplay(v)
	day := v.Date.In(p.loc).Format(DisplayDate)
	if !strings.HasPrefix(display, day) {
		return display
	}
	return p.localizer(e.Language).Date(v.Date.In(p.loc)) + strings.TrimPrefix(display, day)
}

func (p *pager) dateStamp(d document.Date) map[string]any {
	if d.IsZero() {
		return nil
	}
	return map[string]any{"date": d.String(), "display": d.Time(time.UTC).Format(DisplayDate), "upcoming": d.After(p.c.Today)}
}

func (p *pager) commit(hash string) map[string]any {
	if hash == "" {
		return nil
	}
	return map[string]any{"hash": hash, "short": hash[:min(7, len(hash))], "url": config.CommitURL(p.repoURL, hash)}
}

// versionRef is the summary of a version used in lists and banners.
func (p *pager) versionRef(e *Entry, i, inForce int) map[string]any {
	v := e.Versions[i]
	m := map[string]any{
		"id":        v.ID,
		"url":       VersionURL(e.ID, v.ID),
		"date":      p.versionStamp(v),
		"subject":   v.Subject,
		"material":  v.Material,
		"layout":    v.LayoutOnly,
		"commit":    p.commit(v.Commit),
		"path":      v.Path,
		"sha256":    v.SHA256,
		"status":    e.status(i, inForce),
		"effective": p.dateStamp(v.Effective),
		"number":    len(e.Versions) - i,
	}
	if i+1 < len(e.Versions) {
		m["previous"] = e.Versions[i+1].ID
		m["diff_url"] = ChangesURL(e.ID, v.ID)
	}
	if i > 0 {
		m["current_diff_url"] = SinceURL(e.ID, v.ID)
	}
	if v.Summary != "" {
		m["summary"] = v.Summary
	}
	if v.LocalSummary != "" {
		m["summary"] = v.LocalSummary
	}
	return m
}

func (p *pager) documentParams(e *Entry) map[string]any {
	d := e.Doc
	atomURL, jsonURL := DocumentFeedURLs(e.ID)
	params := map[string]any{
		"id":           e.ID,
		"source":       d.Path,
		"kind":         string(d.Kind),
		"kind_label":   d.Kind.Label(),
		"summary":      d.Summary,
		"language":     e.Language,
		"url":          DocumentURL(e.ID),
		"versions_url": VersionsURL(e.ID),
		"feed_atom":    atomURL,
		"feed_json":    jsonURL,
		"versions":     len(e.Versions),
		"has_versions": len(e.Versions) > 0, // feeds: see head.html
		"retired":      e.Retired,
		"uncommitted":  e.Uncommitted,
		"draft":        e.Doc.Draft,
	}
	if p.c.DatesNote != "" {
		params["dates_note"] = p.c.DatesNote
	}
	if len(e.Translations) > 0 {
		var tr []map[string]any
		for _, t := range e.Translations {
			tr = append(tr, map[string]any{"language": t.Language, "name": LanguageName(t.Language), "title": t.Doc.Title, "url": DocumentURL(t.ID)})
		}
		params["translations"] = tr
	}
	if len(e.Translations) > 0 {
		if b := p.c.Binding(e); b != "" {
			params["binding"] = map[string]any{"language": b, "name": LanguageNameIn(b, e.Language), "self": b == e.Language}
		}
	}
	if l := p.c.Lag(e); l != nil {
		params["translation_of"] = p.lagParams(e, l)
	}
	if e.Retired && e.RetiredAt != nil {
		params["retired_on"] = p.stamp(e.RetiredAt.Date)
		params["retired_commit"] = p.commit(e.RetiredAt.Hash)
	}
	return params
}

// archivedParams drops from the parameters of an archived page (a version,
// a redline, the compare page) what their layouts do not show and what
// changes with other documents: the lag of a translation behind its
// source, shown on the translation's current page. The page cache keys a
// page by its parameters: with it, a commit to the source would render
// every archived page of every translation again, to the same bytes.
func archivedParams(params map[string]any) map[string]any {
	delete(params, "translation_of")
	return params
}

// documentPage is a document's current page: the text in force, with the
// upcoming version announced.
func (p *pager) documentPage(e *Entry) (*site.Page, error) {
	params := p.documentParams(e)
	params["type"] = "document"
	shown := e.Doc
	inForce := e.InForce(p.c.Today, p.loc)
	var date time.Time
	switch {
	case len(e.Versions) == 0:
		if !e.ModTime.IsZero() {
			params["updated"] = p.stamp(e.ModTime)
			date = e.ModTime
		}
		params["effective"] = p.dateStamp(e.Doc.Effective)
	case inForce > 0 && !e.Retired:
		// A newer version is published but not yet in force: show the text
		// in force and announce the upcoming one.
		v := e.Versions[inForce]
		doc, err := p.c.ParseVersion(e, v)
		if err != nil {
			return nil, err
		}
		shown = doc
		params["shown_version"] = p.versionRef(e, inForce, inForce)
		params["upcoming"] = p.versionRef(e, 0, inForce)
		params["upcoming_changes"] = p.upcomingChanges(e, inForce)
		params["upcoming_diff_url"] = SinceURL(e.ID, v.ID)
		params["updated"] = p.updated(e.Versions[0])
		params["in_force_since"] = p.inForceSince(e, v)
		params["effective"] = p.dateStamp(v.Effective)
		date = e.Versions[0].Date
	default:
		v := e.Versions[0]
		params["shown_version"] = p.versionRef(e, 0, inForce)
		params["updated"] = p.updated(v)
		params["effective"] = p.dateStamp(e.Doc.Effective)
		if inForce == 0 && !e.Retired && v.TakesEffect(p.loc) != document.DateOf(v.Date.In(p.loc)) {
			// In force since a day after its publication: its effective
			// date, which "In force since" then says.
			params["in_force_since"] = p.inForceSince(e, v)
			if e.Doc.Effective == v.TakesEffect(p.loc) {
				params["effective"] = nil
			}
		}
		date = v.Date
	}
	r, err := p.renderShown(e, shown)
	if err != nil {
		return nil, err
	}
	params["toc"] = toc(r.Headings)
	aliases := append([]string{}, e.Doc.Aliases...)
	for _, old := range e.OldIDs {
		aliases = append(aliases, DocumentURL(old))
	}
	layout := ""
	if h, err := p.c.Register(e); err != nil {
		return nil, err
	} else if h != nil && e.Doc.Kind == document.KindSubprocessors {
		// A register in another document (a DPA's annex) keeps the page
		// of its kind: its text comes first. Its rows are in the API.
		shownIndex := -1
		if shown != e.Doc {
			shownIndex = inForce
		}
		params["register"] = p.registerParams(e, h, shownIndex)
		layout = "subprocessors"
	}
	return &site.Page{URL: DocumentURL(e.ID), Layout: layout, Title: shown.Title, Date: date, Params: params, HTML: r.HTML, Aliases: aliases}, nil
}

// renderShown renders the text a document's page shows: the page of the
// version it is, when rendered ahead (see Catalog.Register) and it has no
// links (which the two pages resolve differently), or shown itself.
func (p *pager) renderShown(e *Entry, shown *document.Document) (*markdown.Rendered, error) {
	for _, v := range e.Versions {
		r, ok := p.c.renderedAhead(v, false)
		if !ok || !r.LinkFree {
			continue
		}
		d, err := p.c.ParseVersion(e, v)
		if err != nil {
			return nil, err
		}
		if sameText(d, shown) && d.Title == shown.Title && d.TitleFromBody == shown.TitleFromBody {
			return r, nil
		}
	}
	return render(shown, p.c.linker().resolver(e, shown.Path, nil, false))
}

// updated is a document's "Last updated": when its newest version was
// published, whether or not it is in force yet.
func (p *pager) updated(v *Version) map[string]any {
	u := p.versionStamp(v)
	u["commit"] = p.commit(v.Commit)
	return u
}

// inForceSince is the "In force since" of the text in force, v: the day it
// took effect, and the version it is. The page shows it beside "Last
// updated" when the two differ: a newer version is published but not in
// force yet, or v took effect after it was published.
func (p *pager) inForceSince(e *Entry, v *Version) map[string]any {
	m := p.dateStamp(v.TakesEffect(p.loc))
	m["version"] = map[string]any{"id": v.ID, "url": VersionURL(e.ID, v.ID), "date": p.versionStamp(v), "subject": v.Subject}
	return m
}

// upcomingChanges are the versions of e published but not yet in force
// (those before inForce), for the current page's banner, oldest first and
// named by their material changes: each material version with the minor
// ones published after it, and the date it takes effect. Minor versions
// published before any material one lead a group of their own.
func (p *pager) upcomingChanges(e *Entry, inForce int) []map[string]any {
	var out []map[string]any
	for i := inForce - 1; i >= 0; i-- {
		v := e.Versions[i]
		if len(out) == 0 || v.Material {
			m := p.versionRef(e, i, inForce)
			m["takes_effect"] = p.dateStamp(v.TakesEffect(p.loc))
			m["minor_since"] = []map[string]any{}
			out = append(out, m)
			continue
		}
		last := out[len(out)-1]
		last["minor_since"] = append(last["minor_since"].([]map[string]any), p.versionRef(e, i, inForce))
	}
	return out
}

// versionsPage is a document's changelog.
func (p *pager) versionsPage(e *Entry) *site.Page {
	params := p.documentParams(e)
	inForce := e.InForce(p.c.Today, p.loc)
	list := make([]map[string]any, len(e.Versions))
	for i := range e.Versions {
		list[i] = p.versionRef(e, i, inForce)
	}
	params["type"] = "versions"
	params["version_list"] = list
	params["compare"] = p.compareControl(e, -1, -1)
	params["title"] = e.Doc.Title
	var date time.Time
	if len(e.Versions) > 0 {
		date = e.Versions[0].Date
	}
	title := p.localizer(e.Language).T("changes_to", map[string]any{"Title": e.Doc.Title})
	return &site.Page{URL: VersionsURL(e.ID), Layout: "versions", Title: title, Date: date, Params: params}
}

// versionPage is the permanent page of one version: its text, where it
// stands (in force, upcoming, superseded on … by …), and its redlines
// against its predecessor (what changed in it) and against the current
// text (what changed since), each a view of the page (ChangesURL,
// SinceURL) that readers without JavaScript, crawlers and print get.
func (p *pager) versionPage(e *Entry, i int) (*site.Page, error) {
	v := e.Versions[i]
	redlines := map[string]any{}
	for _, c := range versionComparisons(e, i) {
		rp, summary, err := p.redline(e, c)
		if err != nil {
			return nil, err
		}
		if c.againstPredecessor() {
			v.Summary = summary
			redlines["changes"] = rp
		} else {
			redlines["since"] = rp
		}
	}
	// The text is parsed only if the memo lacks what the page shows of it.
	head, doc, err := p.versionHead(e, v)
	if err != nil {
		return nil, err
	}
	// In a preview (clause serve), an uncommitted edit of the file is
	// shown as the newest version's text, marked: when that version is
	// still upcoming, its page is the only place the edit would appear.
	uncommitted := i == 0 && e.Uncommitted && !e.Retired
	if uncommitted {
		doc = e.Doc
		head.Title, head.Kind = doc.Title, string(doc.Kind)
	}
	r, ahead := p.c.renderedAhead(v, true)
	var lazy *site.LazyHTML
	if !ahead || uncommitted {
		if r, lazy, err = p.renderVersion(e, v, head, doc, uncommitted); err != nil {
			return nil, err
		}
	}
	inForce := e.InForce(p.c.Today, p.loc)
	params := archivedParams(p.documentParams(e))
	// Besides its redline against the current text, a version's page
	// changes when the next version supersedes it, not with every version
	// after that: it does not count the versions and names its successor
	// by its page and date.
	delete(params, "versions")
	params["redlines"] = redlines
	params["title"] = e.Doc.Title
	params["type"] = "version"
	params["uncommitted"] = uncommitted
	params["version"] = p.versionRef(e, i, inForce)
	params["compare"] = p.compareControl(e, min(i+1, len(e.Versions)-1), i)
	params["toc"] = toc(r.Headings)
	params["kind"] = head.Kind
	if i > 0 {
		next := e.Versions[i-1]
		sup := p.versionRef(e, i-1, inForce)
		on := next.TakesEffect(p.loc)
		if on.Before(v.TakesEffect(p.loc)) || on.Before(document.DateOf(next.Date.In(p.loc))) {
			on = document.DateOf(next.Date.In(p.loc))
		}
		onStamp := p.dateStamp(on)
		if on == document.DateOf(next.Date.In(p.loc)) && next.SharesDay {
			// Superseded on the day of another version: at the time the
			// superseding one was published.
			onStamp = p.versionStamp(next)
			onStamp["date"] = onStamp["datetime"]
		}
		by := map[string]any{"url": sup["url"], "date": sup["date"]}
		params["superseded"] = map[string]any{"by": by, "on": onStamp, "future": on.After(p.c.Today)}
	}
	if e.Retired && i == 0 && e.RetiredAt != nil {
		params["superseded"] = nil
	}
	if h, err := p.c.Register(e); err != nil {
		return nil, err
	} else if h != nil && i < len(e.Versions)-1 && (e.Doc.Kind == document.KindSubprocessors || !h.Changes[i].Empty()) {
		params["register_change"] = p.changeParams(e, h, i, inForce)
	}
	title := p.localizer(e.Language).T("title_version_of", map[string]any{"Title": head.Title, "Date": p.localVersionDisplay(e, v)})
	return &site.Page{URL: VersionURL(e.ID, v.ID), Layout: "version", Title: title, Date: v.Date, Params: params, HTML: r.HTML, Lazy: lazy}, nil
}

// renderVersion renders doc, the text of version v of e, whose head is
// head, for its permanent page: from the memo when it holds it (not an
// uncommitted edit, which is no version's text). From the memo the HTML is
// lazy: the Rendered has the headings alone, and the page cache reads the
// HTML only if it lacks the page. doc is nil when versionHead did not
// parse the text: it is parsed here if the memo lacks the HTML.
func (p *pager) renderVersion(e *Entry, v *Version, head versionHead, doc *document.Document, uncommitted bool) (*markdown.Rendered, *site.LazyHTML, error) {
	links := p.c.linker().resolver(e, p.c.repoRelative(v.Path), v, true)
	if p.memo == nil || uncommitted {
		r, err := render(doc, links)
		return r, nil, err
	}
	key := p.memo.key("render", head.part(), stringPart(e.Language))
	var m renderMemo
	if p.memo.get(key, &m) && stillResolve(m.Links, links) && p.memo.hasBlob(m.HTML) {
		p.memo.count(true)
		return &markdown.Rendered{Headings: m.Headings}, p.memo.lazy(m.HTML), nil
	}
	if doc == nil {
		var err error
		if doc, err = p.c.ParseVersion(e, v); err != nil {
			return nil, nil, err
		}
	}
	var t linkTrace
	r, err := render(doc, t.record(links))
	if err != nil {
		return nil, nil, err
	}
	p.memo.count(false)
	p.memo.put(key, &renderMemo{HTML: p.memo.putBlob(r.HTML), Headings: r.Headings, Links: t.list()})
	return r, nil, nil
}

// versionHead returns the head of version v of e (see memo.versionHead):
// this build's, or the memo's, or else from its text, parsed and returned
// as doc (nil when it was not parsed).
func (p *pager) versionHead(e *Entry, v *Version) (head versionHead, doc *document.Document, err error) {
	m := p.memo
	var key [32]byte
	if m != nil {
		if head, ok := m.knownHead(v); ok {
			return head, nil, nil
		}
		key = m.headKey(p.c, v)
		if !v.TooLarge() && m.get(key, &head) {
			m.setHead(v, head)
			return head, nil, nil
		}
	}
	pv, err := p.c.parsed(e, v)
	if err != nil {
		return versionHead{}, nil, err
	}
	if m == nil {
		return versionHead{Title: pv.doc.Title, Kind: string(pv.doc.Kind)}, pv.doc, nil
	}
	head = m.headOf(v, pv.doc)
	if pv.clean {
		m.put(key, &head)
	}
	return head, pv.doc, nil
}

// renderMemo is a version's HTML kept by the memo, with the links it
// resolved.
type renderMemo struct {
	HTML     blobRef
	Headings []markdown.Heading
	Links    []resolved
}

// changelogPage lists every version of every document, newest first;
// with lang, of every document in that language (the language's own
// changelog, LanguageChangelogURL), else of all (/changelog/).
func (p *pager) changelogPage(lang string) *site.Page {
	type row struct {
		date time.Time
		m    map[string]any
	}
	var rows []row
	for _, e := range p.c.Entries {
		if lang != "" && !strings.EqualFold(e.Language, lang) {
			continue
		}
		inForce := e.InForce(p.c.Today, p.loc)
		// One map for the rows of a document (thousands, in a long history).
		doc := map[string]any{"id": e.ID, "title": e.Doc.Title, "url": DocumentURL(e.ID), "kind": string(e.Doc.Kind), "retired": e.Retired, "language": e.Language}
		for i, v := range e.Versions {
			m := p.versionRef(e, i, inForce)
			m["document"] = doc
			rows = append(rows, row{v.Date, m})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].date.After(rows[j].date) })
	list := make([]map[string]any, len(rows))
	for i, r := range rows {
		list[i] = r.m
	}
	var date time.Time
	if len(rows) > 0 {
		date = rows[0].date
	}
	if lang == "" {
		return &site.Page{URL: "/changelog/", Layout: "changelog", Title: p.localizer("").T("changelog", nil), Date: date, Params: map[string]any{"type": "changelog", "entries": list}}
	}
	params := map[string]any{"type": "changelog", "entries": list, "language": lang, "all_languages": "/changelog/"}
	var others []map[string]any
	for _, l := range p.c.languagesWithHistory() {
		if !strings.EqualFold(l, lang) {
			others = append(others, map[string]any{"language": l, "name": LanguageName(l), "url": LanguageChangelogURL(l)})
		}
	}
	params["translations"] = others
	return &site.Page{URL: LanguageChangelogURL(lang), Language: lang, Layout: "changelog", Title: p.localizer(lang).T("changelog", nil), Date: date, Params: params}
}

// languageChangelogPages are the changelogs of each language of a
// multilingual portal that has versions; none for a portal in one
// language.
func (p *pager) languageChangelogPages() []*site.Page {
	var out []*site.Page
	for _, l := range p.c.languagesWithHistory() {
		out = append(out, p.changelogPage(l))
	}
	return out
}

// languageParams are the site parameters of a multilingual portal's
// languages, by lower-case tag: each one's name, index, changelog and
// feeds, for the chrome of its pages; and what its index shows before
// the list of documents (attentionParams of its documents). Both are nil
// for a portal in one language.
func (p *pager) languageParams() (langs, attention map[string]any, err error) {
	all := p.c.Languages()
	if len(all) < 2 {
		return nil, nil, nil
	}
	withHistory := map[string]bool{}
	for _, l := range p.c.languagesWithHistory() {
		withHistory[l] = true
	}
	langs, attention = map[string]any{}, map[string]any{}
	for i, l := range all {
		atom, json := LanguageFeedURLs(l)
		m := map[string]any{"language": l, "name": LanguageName(l), "index": LanguageIndexURL(l, all[0]),
			"feed_atom": atom, "feed_json": json, "weight": i + 1}
		if withHistory[l] {
			m["changelog"] = LanguageChangelogURL(l)
		}
		langs[strings.ToLower(l)] = m
		if attention[strings.ToLower(l)], err = p.attentionParams(l); err != nil {
			return nil, nil, err
		}
	}
	return langs, attention, nil
}

// render renders a document's body, with its links resolved by links
// (nil: as written).
func render(d *document.Document, links markdown.LinkResolver) (*markdown.Rendered, error) {
	r, err := markdown.Render(d.Body, renderOptions(d, links)...)
	if err != nil {
		return nil, &document.Error{Path: d.Path, Msg: err.Error(), Err: err}
	}
	return r, nil
}

// renderTree is render for a body already parsed: t is d.Body's tree.
func renderTree(d *document.Document, t *markdown.Tree, links markdown.LinkResolver) (*markdown.Rendered, error) {
	r, err := t.Render(renderOptions(d, links)...)
	if err != nil {
		return nil, &document.Error{Path: d.Path, Msg: err.Error(), Err: err}
	}
	return r, nil
}

// renderOptions are the options with which render renders d.
func renderOptions(d *document.Document, links markdown.LinkResolver) []markdown.Option {
	var opts []markdown.Option
	if d.TitleFromBody {
		opts = append(opts, markdown.WithoutTitle(d.Title))
	}
	if links != nil {
		opts = append(opts, markdown.WithLinks(links))
	}
	return opts
}
func toc(hs []markdown.Heading) []map[string]any {
	out := make([]map[string]any, 0, len(hs))
	for _, h := range hs {
		if h.Level < 2 || h.Level > 3 {
			continue
		}
		out = append(out, map[string]any{"id": h.ID, "number": h.Number, "text": h.Text, "level": h.Level})
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// filterAliases drops aliases that would replace a real page or a file the
// portal itself publishes.
func filterAliases(pages []*site.Page, real map[string]bool) {
	for _, pg := range pages {
		kept := pg.Aliases[:0]
		for _, a := range pg.Aliases {
			trimmed := strings.Trim(a, "/")
			first := strings.SplitN(trimmed, "/", 2)[0]
			if trimmed == "" || real["/"+trimmed+"/"] || real["/"+strings.ToLower(trimmed)+"/"] || isReserved(first) || strings.HasPrefix(first, ".") || strings.HasPrefix(first, "_") {
				continue
			}
			kept = append(kept, a)
		}
		pg.Aliases = kept
	}
}

// lagParams is where translation e stands against its source, for the
// page's banner: the source, the version reflected and, when the source
// has had a material version since, that version and the redline of the
// source from the version reflected to its newest.
func (p *pager) lagParams(e *Entry, l *Lag) map[string]any {
	src := l.Source
	m := map[string]any{"language": src.Language, "language_name": LanguageNameIn(src.Language, e.Language), "title": src.Doc.Title, "url": DocumentURL(src.ID)}
	if l.Reflects >= 0 {
		v := src.Versions[l.Reflects]
		m["reflects"] = map[string]any{"id": v.ID, "url": VersionURL(src.ID, v.ID), "date": p.versionStamp(v)}
	}
	if l.Outdated() {
		v := src.Versions[l.OutdatedSince]
		m["outdated_since"] = map[string]any{"id": v.ID, "url": VersionURL(src.ID, v.ID), "date": p.versionStamp(v), "subject": v.Subject}
		m["diff_url"] = SinceURL(src.ID, src.Versions[l.Reflects].ID)
	}
	return m
}

// LanguageNameIn is the name of the language tag in the language in
// ("Englisch" for en in de), or LanguageName(tag) when unknown.
func LanguageNameIn(tag, in string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	if name := display.Tags(language.Make(in)).Name(t); name != "" {
		return name
	}
	return LanguageName(tag)
}

// LanguageName is the name of a BCP 47 language in that language
// ("Deutsch" for de), for links to translations; the tag itself when the
// name is unknown.
func LanguageName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	if name := display.Self.Name(t); name != "" {
		return name
	}
	return tag
}

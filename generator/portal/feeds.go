package portal

import (
	"net/url"
	"sort"
	"strings"

	"github.com/clause-portal/clause/generator/feed"
	"github.com/clause-portal/clause/generator/site"
)

// Feed paths on the portal. A document's feeds are at FeedsDir + ID +
// ".atom" / ".json".
const (
	SiteFeedAtom = "/feed.atom"
	SiteFeedJSON = "/feed.json"
	FeedsDir     = "/feeds/"
)

// DocumentFeedURLs returns the paths of a document's Atom and JSON feeds.
func DocumentFeedURLs(id string) (atom, json string) {
	return FeedsDir + id + ".atom", FeedsDir + id + ".json"
}

// absURL makes a site path absolute when the base URL is known.
func absURL(base, p string) string {
	p = escapePath(p)
	if base == "" || base == "/" {
		return p
	}
	return strings.TrimSuffix(base, "/") + p
}

// escapePath percent-encodes a URL path as links, the sitemap and the API
// publish it ("/ja-利用規約/" → "/ja-%E5%88%A9…/"); Hugo writes the
// folders with the characters themselves.
// A fragment of Clause's own (a version page's redline) is kept as it is.
func escapePath(p string) string {
	if i := strings.LastIndexByte(p, '#'); i >= 0 && (p[i+1:] == ChangesAnchor || p[i+1:] == SinceAnchor) {
		return (&url.URL{Path: p[:i]}).EscapedPath() + p[i:]
	}
	return (&url.URL{Path: p}).EscapedPath()
}

// withoutTitle returns a commit subject without the document's title it
// may start with ("Cookie policy: add Matomo" of the Cookie Policy is "add
// Matomo"), for a feed entry that is titled "Cookie Policy: …" already.
func withoutTitle(subject, title string) string {
	if len(subject) > len(title) && strings.EqualFold(subject[:len(title)], title) {
		rest := strings.TrimLeft(subject[len(title):], " ")
		for _, sep := range []string{":", "–", "—", "-"} {
			if after, ok := strings.CutPrefix(rest, sep); ok {
				if after = strings.TrimSpace(after); after != "" {
					return after
				}
			}
		}
	}
	return subject
}

// feedEntry turns version i of e into a feed entry.
func feedEntry(c *Catalog, e *Entry, i int, base string) feed.Entry {
	v := e.Versions[i]
	diffURL := ""
	if i+1 < len(e.Versions) {
		diffURL = absURL(base, ChangesURL(e.ID, v.ID))
	}
	subject := withoutTitle(v.Subject, e.Doc.Title)
	return feed.Entry{
		DiffURL:     diffURL,
		Summary:     v.Summary,
		ID:          "urn:clause:" + e.DocKey() + ":" + v.ID,
		Title:       e.Doc.Title + ": " + subject,
		URL:         absURL(base, VersionURL(e.ID, v.ID)),
		DocumentURL: absURL(base, DocumentURL(e.ID)),
		Published:   v.Date.In(c.Config.Location),
		Document:    e.Doc.Title,
		Language:    e.Language,
		Kind:        string(e.Doc.Kind),
		Subject:     subject,
		Material:    v.Material,
		Effective:   v.Effective.String(),
	}
}

// registerDetails adds a sub-processor list's objection deadline and
// changes to a feed entry.
func registerDetails(c *Catalog, e *Entry, i int, fe *feed.Entry) error {
	h, err := c.Register(e)
	if err != nil || h == nil || i == len(e.Versions)-1 {
		return err
	}
	fe.ObjectionDeadline = c.Deadline(e, h, i).String()
	sc := noticeChanges(h.Changes[i], c.Deadline(e, h, i), h.NoticeDays[i])
	for _, a := range sc.Added {
		fe.Details = append(fe.Details, "Added: "+a)
	}
	for _, r := range sc.Removed {
		fe.Details = append(fe.Details, "Removed: "+r)
	}
	for _, ch := range sc.Changed {
		fe.Details = append(fe.Details, "Changed: "+ch)
	}
	return nil
}

// SiteFeedEntries is how many versions the portal's feeds (SiteFeedAtom,
// SiteFeedJSON and the languages' feeds) hold: the newest. A feed reader
// fetches a feed again and again for what is new; with every version of a
// long history (31 MB of Atom for 22,000 versions) readers refuse it, and
// every build writes it all. A document's feed keeps all its versions, and
// the changelog (the feeds' home page) lists every version.
const SiteFeedEntries = 200

// writeFeeds writes the site feed, one feed per document and, in a
// multilingual portal, one per language (LanguageFeedURLs), in Atom and
// JSON Feed formats, into the staged site. Each feed's title and subtitle
// are in its language (the site feed's in the default language), from
// the theme's strings through loc. The site's and languages' feeds hold
// the newest siteEntries versions.
func writeFeeds(o *output, c *Catalog, base string, loc func(lang string) *site.Localizer, siteEntries int) error {
	def := loc(c.Config.Language)
	shared := &feed.Shared{} // a version is in several feeds
	site := &feed.Feed{
		Shared:   shared,
		ID:       "urn:clause:feed",
		Title:    def.T("feed_title", map[string]any{"Title": c.Config.Title}),
		Subtitle: def.T("feed_subtitle_all", nil),
		HomeURL:  absURL(base, "/changelog/"),
		SelfURL:  absURL(base, SiteFeedAtom),
		Author:   c.Config.Title,
		Updated:  c.Stamp(),
	}
	current := map[string]bool{}
	for _, e := range c.Entries {
		current[e.ID] = true
	}
	byLang := map[string]*feed.Feed{}
	if langs := c.Languages(); len(langs) > 1 {
		for _, l := range langs {
			byLang[strings.ToLower(l)] = &feed.Feed{
				Shared:   shared,
				ID:       "urn:clause:feed:language:" + strings.ToLower(l),
				Title:    loc(l).T("feed_title", map[string]any{"Title": c.Config.Title}) + " (" + LanguageName(l) + ")",
				Subtitle: loc(l).T("feed_subtitle_language", map[string]any{"Language": LanguageNameIn(l, l)}),
				HomeURL:  absURL(base, LanguageChangelogURL(l)),
				Author:   c.Config.Title,
				Language: l,
				Updated:  c.Stamp(),
			}
		}
	}
	for _, e := range c.Entries {
		doc := &feed.Feed{
			Shared:   shared,
			ID:       "urn:clause:feed:" + e.DocKey(),
			Title:    loc(e.Language).T("feed_title", map[string]any{"Title": e.Doc.Title}),
			Subtitle: loc(e.Language).T("feed_subtitle_document", map[string]any{"Title": e.Doc.Title}),
			HomeURL:  absURL(base, VersionsURL(e.ID)),
			Author:   c.Config.Title,
			Language: e.Language,
			Updated:  c.Stamp(),
		}
		for i := range e.Versions {
			fe := feedEntry(c, e, i, base)
			if err := registerDetails(c, e, i, &fe); err != nil {
				return err
			}
			doc.Entries = append(doc.Entries, fe)
			site.Entries = append(site.Entries, fe)
			if f := byLang[strings.ToLower(e.Language)]; f != nil {
				f.Entries = append(f.Entries, fe)
			}
		}
		if len(doc.Entries) > 0 {
			doc.Updated = doc.Entries[0].Published
		}
		// Under every ID the document had: a feed reader subscribed
		// before a rename follows no HTML redirect.
		for i, id := range e.IDs() {
			if i > 0 && current[id] {
				continue // the former ID is another document's now
			}
			atomURL, jsonURL := DocumentFeedURLs(id)
			if err := writeFeedPair(o, doc, base, atomURL, jsonURL, true); err != nil {
				return err
			}
		}
	}
	for l, f := range byLang {
		sortEntries(f.Entries)
		f.Entries = f.Entries[:min(len(f.Entries), siteEntries)]
		if len(f.Entries) > 0 {
			f.Updated = f.Entries[0].Published
		}
		atomURL, jsonURL := LanguageFeedURLs(l)
		if err := writeFeedPair(o, f, base, atomURL, jsonURL, false); err != nil {
			return err
		}
	}
	sortEntries(site.Entries)
	site.Entries = site.Entries[:min(len(site.Entries), siteEntries)]
	if len(site.Entries) > 0 {
		site.Updated = site.Entries[0].Published
	}
	return writeFeedPair(o, site, base, SiteFeedAtom, SiteFeedJSON, false)
}

// writeFeedPair writes f in Atom at atomPath and in JSON Feed at
// jsonPath. A document's feed (memoize) is kept in the memo under a digest
// of all it holds: most are the same from one build to the next, and are
// not encoded again.
func writeFeedPair(o *output, f *feed.Feed, base, atomPath, jsonPath string, memoize bool) error {
	atomSelf, jsonSelf := absURL(base, atomPath), absURL(base, jsonPath)
	var key [32]byte
	if memoize && o.memo != nil {
		f.SelfURL = atomSelf
		atomSum := f.Digest(jsonSelf)
		f.SelfURL = jsonSelf
		jsonSum := f.Digest("")
		key = o.memo.key("feed", stringPart(string(atomSum[:]), string(jsonSum[:])))
		var m feedMemo
		if o.memo.get(key, &m) && o.memo.hasBlob(m.Atom) && o.memo.hasBlob(m.JSON) {
			if err := o.writeBlob(strings.TrimPrefix(atomPath, "/"), m.Atom); err != nil {
				return err
			}
			return o.writeBlob(strings.TrimPrefix(jsonPath, "/"), m.JSON)
		}
	}
	// One format at a time: the site's feed is tens of megabytes in each.
	var m feedMemo
	f.SelfURL = atomSelf
	atom, err := f.Atom(jsonSelf)
	if err != nil {
		return err
	}
	if memoize && o.memo != nil {
		m.Atom = o.memo.putBlob(atom)
	}
	if err := o.write(strings.TrimPrefix(atomPath, "/"), atom); err != nil {
		return err
	}
	f.SelfURL = jsonSelf
	js, err := f.JSON()
	if err != nil {
		return err
	}
	if memoize && o.memo != nil {
		m.JSON = o.memo.putBlob(js)
		o.memo.put(key, &m)
	}
	return o.write(strings.TrimPrefix(jsonPath, "/"), js)
}

// feedMemo is a document's feed kept by the memo.
type feedMemo struct {
	Atom, JSON blobRef
}

func (m *feedMemo) encode(w *memoWriter) {
	w.blob(m.Atom)
	w.blob(m.JSON)
}

func (m *feedMemo) decode(r *memoReader) {
	m.Atom = r.blob()
	m.JSON = r.blob()
}

// sortEntries orders entries newest first; entries of the same instant
// keep their order.
func sortEntries(es []feed.Entry) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Published.After(es[j].Published) })
}

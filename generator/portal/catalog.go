package portal

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clause-portal/clause/generator/config"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/history"
	"github.com/clause-portal/clause/generator/markdown"
)

// Catalog is every document of a portal with its versions: the documents
// in the content folder now, and the retired ones that only history knows.
// It is what clause log prints and what clause build renders.
type Catalog struct {
	// Config is the portal configuration.
	Config *config.Config
	// Entries are ordered by ID.
	Entries []*Entry
	// Head is the commit the history was read from; nil without git.
	Head *history.Commit
	// Commits is the number of first-parent commits read.
	Commits int
	// DatesNote is set when dates come from files, not git, and says why.
	DatesNote string
	// Now is the build time; Today its date in the portal's time zone.
	Now   time.Time
	Today document.Date
	// Home is the content root's index.md, _index.md or README.md: its
	// text is shown on the portal's index page, its title and summary are
	// the portal's when clause.toml gives none. Nil when there is none.
	Home *document.Document
	// LeftOut are the markdown files below the content folder that are not
	// published: repository files (README, LICENSE…), section pages with no
	// text, files clause.toml's include / exclude leave out. Repository
	// relative, sorted.
	LeftOut []string
	// Drafts are the files marked `draft: true`: never published.
	Drafts []string

	repo      *history.Repository
	gitPrefix string       // the content folder relative to the git root ("" for the root)
	warned    sync.Map     // versions whose errors were logged, by blob
	relPaths  sync.Map     // repoRelative's results, by git path
	parses    atomic.Int64 // versions' texts read and parsed (readVersion)
	sel       *selector
	langs     *langLayout // the languages of the content's layout
	links     *linker
	root      string // absolute repository (project) folder
	content   string // content folder relative to root, slash-separated
	log       io.Writer
	// meta decodes the front matter of past versions (inspect).
	meta document.MetaCache
	// versionDocs and versionBlocks keep parsed versions and their blocks,
	// so that a build parses each text about once.
	versionDocs   textCache[parsedVersion]
	versionBlocks textCache[sideBlocks]
	// prerender, set by Build, has Register render the pages of the
	// versions of a large register from the tree it reads the register
	// from, into prerendered: each is parsed once (see prerenderBody).
	prerender    bool
	prerenderMin int // overrides prerenderBody (tests)
	prerendered  aheadPages
}

// Entry is one document and its history.
type Entry struct {
	// ID is the document's URL path and API id.
	ID string
	// Doc is the document as it stands: the file in the content folder or,
	// for a retired document, its last committed version.
	Doc *document.Document
	// Retired is set for a document deleted from the content folder.
	Retired bool
	// RetiredAt is the commit that deleted it.
	RetiredAt *history.Commit
	// Versions are newest first; empty without git history.
	Versions []*Version
	// OldIDs are the IDs of paths the document had before a rename, oldest
	// first: their URLs redirect to the current ones.
	OldIDs []string
	// Key is the document's identity, which survives renames: the ID of the
	// first path it had below the content folder (its ID when it was never
	// renamed). Feed entries, notices and webhooks are keyed by it, so that
	// a rename sends nothing again and changes no feed entry.
	Key string
	// Uncommitted is set when the file differs from its newest version.
	Uncommitted bool
	// ModTime is the file's modification time (used without git).
	ModTime time.Time
	// Language is the document's BCP 47 language: its front matter's, or
	// the portal's default.
	Language string
	// Translations are the other documents with the same translationKey
	// (current ones only, not retired), by language.
	Translations []*Entry

	register    *RegisterHistory // cache of Catalog.Register
	notRegister bool             // Catalog.Register found no sub-processor list
}

// DocKey is e.Key, or e.ID for an entry without history.
func (e *Entry) DocKey() string {
	if e.Key != "" {
		return e.Key
	}
	return e.ID
}

// IDs are every ID the document had: the current one, then the former
// ones, newest first.
func (e *Entry) IDs() []string {
	out := []string{e.ID}
	for i := len(e.OldIDs) - 1; i >= 0; i-- {
		out = append(out, e.OldIDs[i])
	}
	return out
}

// Version is a history version with what its own text says.
type Version struct {
	history.Version
	// Effective is the version's effective date from its front matter.
	Effective document.Date
	// Summary is what the version changed against the previous one, once a
	// build has computed it: the redline's summary ("2 clauses changed, 1
	// added"), or for a sub-processor list the register's (see
	// Catalog.RegisterSummary).
	Summary string
	// LocalSummary is Summary in the document's language, when a build
	// has computed it and the document is not in English; pages show it.
	LocalSummary string
	// Material reports that readers are notified of the version: it is
	// announced as a material change by the feeds, the API, the changelog
	// and clause notify. It shadows history.Version.Material (what the
	// commit message alone says): a version is minor when its message says
	// "Change-Type: minor", or when it is LayoutOnly and its message does
	// not say "Change-Type: material". Load sets it for every version.
	Material bool
	// LayoutOnly reports that the version changes no word of its
	// predecessor's text, no front matter a reader sees (title, effective
	// date, notice period) and no sub-processor: only its layout (line
	// breaks, markup). Never set on a first version, nor on one whose text
	// or whose predecessor's is not shown (too large, beyond the limits).
	LayoutOnly bool
	// SharesDay reports that another version of the document was
	// published on the same day, in the portal's time zone: dates shown to
	// readers then carry the time, so that the two can be told apart.
	SharesDay bool
	// sharesMinute reports that another version was published in the same
	// minute: the time shown then has seconds.
	sharesMinute bool
	// letters is the letters print of the version's body (lettersPrint),
	// read with the history.
	letters string
}

// TakesEffect is the date a version applies from: its effective date, or
// its publication date (in loc) when that is later or there is no
// effective date. A text cannot have applied before it was published, so
// a backdated effective date does not make a version "in force" on days
// when the portal still showed its predecessor.
func (v *Version) TakesEffect(loc *time.Location) document.Date {
	published := document.DateOf(v.Date.In(loc))
	if !v.Effective.IsZero() && v.Effective.After(published) {
		return v.Effective
	}
	return published
}

// InForce returns the index in e.Versions of the version in force on
// today: the newest whose TakesEffect is not after today. It returns -1
// when no version is in force yet (all take effect later) or there are no
// versions.
func (e *Entry) InForce(today document.Date, loc *time.Location) int {
	for i, v := range e.Versions {
		if !v.TakesEffect(loc).After(today) {
			return i
		}
	}
	return -1
}

// Status tells where version i stands on today: StatusInForce,
// StatusUpcoming, StatusSuperseded, or StatusRetired for the last version
// of a retired document.
func (e *Entry) Status(i int, today document.Date, loc *time.Location) string {
	return e.status(i, e.InForce(today, loc))
}

func (e *Entry) status(i, inForce int) string {
	switch {
	case e.Retired:
		if i == 0 {
			return StatusRetired
		}
		return StatusSuperseded
	case inForce < 0 || i < inForce:
		return StatusUpcoming
	case i == inForce:
		return StatusInForce
	}
	return StatusSuperseded
}

// BaseURL is the portal's base URL: override (the --base-url flag) if set,
// else clause.toml's base_url, else Netlify's $URL. A base URL that is not
// an absolute http(s) URL is an error (wrapping config.ErrBaseURL) naming
// where it came from.
func (c *Catalog) BaseURL(override string, getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	src := ""
	var u string
	switch {
	case override != "":
		u, src = override, "--base-url"
	case c.Config.BaseURL != "":
		u, src = c.Config.BaseURL, firstNonEmpty(c.Config.Path, config.FileName)+": base_url"
	default:
		u, src = getenv("URL"), "environment variable URL"
	}
	if err := config.CheckBaseURL(u); err != nil {
		return "", fmt.Errorf("%s: %w", src, err)
	}
	return u, nil
}

// Close releases the repository.
func (c *Catalog) Close() error {
	c.prerendered.reset()
	if c.repo != nil {
		return c.repo.Close()
	}
	return nil
}

// Source returns the source bytes of a version.
func (c *Catalog) Source(v *Version) ([]byte, error) {
	if c.repo == nil {
		return nil, errors.New("no git repository")
	}
	return c.repo.Blob(v.Blob)
}

// ErrVersionTooLarge is the error of comparing a version whose text is
// larger than document.MaxSize.
var ErrVersionTooLarge = errors.New("the text of this version is larger than Clause publishes")

// TooLarge reports whether the version's text is larger than
// document.MaxSize, the limit on documents: such a version, committed
// before the limit or by mistake, stays in the history but its text is not
// rendered, compared or read for sub-processors.
func (v *Version) TooLarge() bool { return v.Size > document.MaxSize }

// tooLargeNote says, in markdown, why a version's text is not shown.
func tooLargeNote(v *Version) string {
	return fmt.Sprintf("*The text of this version is not shown: it is %.1f MiB, more than the %d MiB that Clause publishes. "+
		"Its SHA-256 is `%s`; the portal's git repository holds it (commit `%.7s`, file `%s`).*\n",
		float64(v.Size)/(1<<20), document.MaxSize>>20, v.SHA256, v.Commit, v.Path)
}

// refusedNote says, in markdown, why a version's text is not shown: it is
// beyond markdown.CheckLimits (err).
func refusedNote(v *Version, err error) string {
	return fmt.Sprintf("*The text of this version is not shown: %s. "+
		"Its SHA-256 is `%s`; the portal's git repository holds it (commit `%.7s`, file `%s`).*\n",
		strings.TrimSuffix(err.Error(), "."), v.SHA256, v.Commit, v.Path)
}

// ParseVersion reads and parses a version's text. Versions committed before
// a rule existed may break it: rather than fail the build over history
// that cannot be changed, the error is logged and the text is shown with
// the front matter cut off. A version that is TooLarge is not read, and
// one whose text is beyond markdown.CheckLimits (nested thousands of levels
// deep) is not parsed: its document says why its text is not shown.
func (c *Catalog) ParseVersion(e *Entry, v *Version) (*document.Document, error) {
	d, _, err := c.parseVersion(e, v)
	return d, err
}

// parseVersion is ParseVersion, also reporting whether the text was not
// shown (too large or beyond the limits): the document is then a note.
func (c *Catalog) parseVersion(e *Entry, v *Version) (d *document.Document, notShown bool, err error) {
	p, err := c.parsed(e, v)
	if err != nil {
		return nil, false, err
	}
	return p.doc, p.notShown, nil
}

// parsed is parseVersion's result, with whether the text parsed without
// error (parsedVersion.clean); its document is a copy, which callers may
// change (its ID), sharing the text.
func (c *Catalog) parsed(e *Entry, v *Version) (parsedVersion, error) {
	p, ok := c.versionDocs.get(v)
	if !ok {
		var err error
		p.doc, p.notShown, p.clean, err = c.readVersion(e, v)
		if err != nil {
			return parsedVersion{}, err
		}
		c.versionDocs.put(v, p, 512+len(p.doc.Source)+len(p.doc.Body)+len(p.doc.FrontMatter))
	}
	doc := *p.doc
	p.doc = &doc
	return p, nil
}

// readVersion reads and parses a version's text, for parseVersion; clean
// is true when document.Parse read it without error (the result is then
// a function of the text, its path and the content folder alone).
func (c *Catalog) readVersion(e *Entry, v *Version) (d *document.Document, notShown, clean bool, err error) {
	note := func(text string) *document.Document {
		return &document.Document{Path: v.Path, ID: e.ID, Title: e.Doc.Title, Kind: e.Doc.Kind, Body: []byte(text), Source: []byte(text),
			Effective: v.Effective, NoticeDays: e.Doc.NoticeDays}
	}
	if v.TooLarge() {
		return note(tooLargeNote(v)), true, false, nil
	}
	c.parses.Add(1)
	src, err := c.Source(v)
	if err != nil {
		return nil, false, false, fmt.Errorf("%s at version %s (commit %.7s): %w", v.Path, v.ID, v.Commit, err)
	}
	d, perr := document.Parse(c.repoRelative(v.Path), c.content, src)
	if perr == nil {
		return d, false, true, nil
	}
	if errors.Is(perr, markdown.ErrLimit) {
		fmt.Fprintf(c.log, "warning: %s at version %s (commit %.7s): its text is not shown: %v\n", v.Path, v.ID, v.Commit, perr)
		return note(refusedNote(v, perr)), true, false, nil
	}
	if _, told := c.warned.LoadOrStore(v.Blob, true); !told {
		fmt.Fprintf(c.log, "warning: %s at version %s (commit %.7s) has errors; showing its text without front matter: %v\n", v.Path, v.ID, v.Commit, perr)
	}
	body := stripFrontMatter(src)
	if err := markdown.CheckLimits(body); err != nil {
		return note(refusedNote(v, err)), true, false, nil
	}
	return &document.Document{Path: v.Path, ID: e.ID, Title: e.Doc.Title, Kind: e.Doc.Kind, Body: body, Source: src}, false, false, nil
}

// repoRelative turns a git-root-relative path into a path relative to the
// portal folder (they differ when the portal is a subfolder of the
// repository).
func (c *Catalog) repoRelative(gitPath string) string {
	if c.repo == nil {
		return gitPath
	}
	// Asked for every version (clause log --json, the API): a path once.
	if r, ok := c.relPaths.Load(gitPath); ok {
		return r.(string)
	}
	r := rel(c.root, filepath.Join(c.repo.Root(), filepath.FromSlash(gitPath)))
	c.relPaths.Store(gitPath, r)
	return r
}

// stripFrontMatter returns the body of a text, its line endings made
// "\n". It copies the text only when it has a "\r" (the result shares
// src otherwise: do not modify it).
func stripFrontMatter(src []byte) []byte {
	s := src
	if bytes.IndexByte(src, '\r') >= 0 {
		s = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	}
	for _, delim := range []string{"---\n", "+++\n"} {
		if bytes.HasPrefix(s, []byte(delim)) {
			if i := bytes.Index(s[len(delim):], []byte("\n"+delim)); i >= 0 {
				return s[len(delim)+i+len(delim)+1:]
			}
		}
	}
	return s
}

// LoadOptions selects what Load reads.
type LoadOptions struct {
	// Repo is the repository folder (default "."); Content the content
	// folder relative to it (default: see ResolveContent).
	Repo, Content string
	// Drafts reads the documents and versions marked draft: true as if
	// they were not (a preview's); their entries are marked Draft.
	Drafts bool
	// Out is the output folder of a build, never read as content.
	Out          string
	AllowShallow bool
	NoGit        bool
	// Ref, when set, is the revision whose first-parent history is read
	// instead of the published branch (branch in clause.toml, else HEAD):
	// clause review reads the checked-out pull request with it.
	Ref string
	HistoryOptions
	Now      time.Time
	Progress io.Writer
	Log      io.Writer
}

// HistoryOptions are how Load reads git history, for Load and Build alike.
type HistoryOptions struct {
	// NoCache reads the whole history from git. By default what was read
	// is kept in the history cache, in the git folder (history.CacheFolder),
	// and a later Load reads only the commits that are new.
	NoCache bool
	// CacheDir is the folder of the history cache; empty means the
	// repository's own (history.Repository.CacheDir).
	CacheDir string
	// NoFetch fails on a partial (blobless) clone that lacks objects of
	// past versions. By default Load has the git command line fetch them
	// from the clone's promisor remote, as git itself would on demand.
	NoFetch bool
}

// Load reads the documents in the content folder and their history. The
// caller must Close the catalog.
func Load(ctx context.Context, o LoadOptions) (*Catalog, error) {
	if o.Repo == "" {
		o.Repo = "."
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	root, err := filepath.Abs(o.Repo)
	if err != nil {
		return nil, err
	}
	if err := checkSymlinks(root, append([]string{config.FileName}, repositoryFolders...)...); err != nil {
		return nil, err
	}
	cfg, err := config.Load(root)
	if err != nil {
		return nil, err
	}
	content, how := ResolveContent(root, o.Content, cfg)
	if line := DescribeContent(content, how); line != "" {
		fmt.Fprintln(o.Log, line)
	}
	contentDir := filepath.Join(root, filepath.FromSlash(content))
	if content != "." && content != "" {
		if err := checkSymlinks(root, content); err != nil {
			return nil, err
		}
	} else if err := checkSymlinksShallow(root); err != nil {
		return nil, err
	}
	sel := newSelector(cfg)
	sel.atRoot = content == "." || content == ""
	if sel.atRoot {
		sel.key += "\x00root"
	}
	if o.Out != "" {
		sel.skip = resolvePath(o.Out)
	}
	found, err := loadDocuments(root, contentDir, sel)
	if err != nil {
		var list document.Errors
		if errors.As(err, &list) && found != nil {
			// Report the sub-processor tables' errors with the front
			// matter's: one pass names everything to fix.
			list = append(list, registerErrors(found.docs, cfg)...)
			list.Sort()
			err = list
		}
		return nil, err
	}
	if o.Drafts {
		found.docs = append(found.docs, found.drafts...)
		found.drafts = nil
		if errs := checkIDs(found.docs); len(errs) > 0 {
			return nil, errs
		}
		sort.Slice(found.docs, func(i, j int) bool { return found.docs[i].Path < found.docs[j].Path })
	}
	docs := found.docs
	// Languages from the layout: a folder per language, or the language
	// in the file name; front matter wins.
	langs := newLangLayout(docs, rel(root, contentDir))
	for _, d := range docs {
		langs.assign(d)
	}
	cfg.Language = defaultLanguage(docs, cfg.Language, cfg.IsSet("language"))
	if errs := checkTranslations(docs, cfg.Language); len(errs) > 0 {
		return nil, errs
	}
	if errs := checkLanguagePages(docs, cfg.Language); len(errs) > 0 {
		return nil, errs
	}
	c := &Catalog{Config: cfg, Now: o.Now, Today: document.DateOf(o.Now.In(cfg.Location)), root: root, content: rel(root, contentDir), log: o.Log,
		sel: sel, Home: found.home, LeftOut: found.leftOut, langs: langs}
	for _, d := range found.drafts {
		c.Drafts = append(c.Drafts, d.Path)
	}
	if h := found.home; h != nil {
		// The home page's title and summary name the portal, unless
		// clause.toml does.
		if !cfg.IsSet("title") && h.Title != "" && (h.TitleFromBody || h.Params["title"] != nil) {
			cfg.Title = h.Title
		}
		if !cfg.IsSet("description") && h.Summary != "" {
			cfg.Description = h.Summary
		}
	}
	if err := c.readHistory(ctx, o, contentDir, docs, found.drafts); err != nil {
		c.Close()
		return nil, err
	}
	sort.Slice(c.Entries, func(i, j int) bool { return c.Entries[i].ID < c.Entries[j].ID })
	c.linkTranslations()
	c.uniqueKeys()
	if err := c.settleVersions(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// uniqueKeys makes every document's Key its own. Two documents share one
// when a file was renamed and a new one created at its former path: the
// older document (the one with the oldest first version) keeps the key,
// as its notices and feed entries were published under it; the newer one
// is keyed by its current ID, or by the key and its first version's id.
// Without this, a notice of one could count as delivered for the other.
func (c *Catalog) uniqueKeys() {
	byKey := map[string][]*Entry{}
	for _, e := range c.Entries {
		byKey[e.DocKey()] = append(byKey[e.DocKey()], e)
	}
	taken := map[string]bool{}
	for k := range byKey {
		taken[k] = true
	}
	first := func(e *Entry) time.Time {
		if len(e.Versions) == 0 {
			return c.Now.Add(time.Hour)
		}
		return e.Versions[len(e.Versions)-1].Date
	}
	for k, es := range byKey {
		if len(es) < 2 {
			continue
		}
		sort.SliceStable(es, func(i, j int) bool { return first(es[i]).Before(first(es[j])) })
		for _, e := range es[1:] {
			key := e.ID
			if taken[key] {
				key = k + "-" + e.ID
				if len(e.Versions) > 0 {
					key = k + "-" + e.Versions[len(e.Versions)-1].ID
				}
			}
			taken[key] = true
			fmt.Fprintf(c.log, "warning: %s and another document were both first published as %q: %s is keyed %q for notices and feeds\n", e.Doc.Path, k, e.Doc.Path, key)
			e.Key = key
		}
	}
}

// linkTranslations sets every entry's Language and, for the current
// documents that share a translationKey, their Translations.
func (c *Catalog) linkTranslations() {
	groups := map[string][]*Entry{}
	for _, e := range c.Entries {
		if e.Retired && c.langs != nil {
			c.langs.assign(e.Doc) // its text comes from history
		}
		e.Language = firstNonEmpty(e.Doc.Language, c.Config.Language)
		if key := e.Doc.TranslationKey; key != "" && !e.Retired {
			groups[key] = append(groups[key], e)
		}
	}
	for _, group := range groups {
		sort.Slice(group, func(i, j int) bool { return group[i].Language < group[j].Language })
		for _, e := range group {
			for _, other := range group {
				if other != e {
					e.Translations = append(e.Translations, other)
				}
			}
		}
	}
}

func (c *Catalog) readHistory(ctx context.Context, o LoadOptions, contentDir string, docs, drafts []*document.Document) error {
	if o.NoGit {
		c.DatesNote = "Dates on this page come from file modification times: this portal was built without git history (--no-git)."
		return c.fromFiles(docs)
	}
	var hopts []history.Option
	if o.AllowShallow {
		hopts = append(hopts, history.AllowShallow())
	}
	r, err := history.Open(c.root, hopts...)
	if err != nil {
		switch {
		case errors.Is(err, history.ErrNotRepository):
			return fmt.Errorf("%w\n(to build anyway with dates from file modification times, pass --no-git)", err)
		case errors.Is(err, history.ErrShallow):
			return fmt.Errorf("%w\n(to build anyway with dates from file modification times, pass --allow-shallow)", err)
		}
		return err
	}
	if r.Shallow() {
		r.Close()
		c.DatesNote = "Dates on this page come from file modification times: this portal was built from a shallow git clone (--allow-shallow), whose history is incomplete."
		return c.fromFiles(docs)
	}
	c.repo = r
	prefix := filepath.ToSlash(mustRel(r.Root(), contentDir))
	if prefix == "." {
		prefix = ""
	}
	c.gitPrefix = prefix
	q := history.Query{Ref: firstNonEmpty(o.Ref, c.Config.Branch), Prefix: prefix, Inspect: c.inspect, InspectKey: inspectKey,
		Match: c.historyMatch, MatchKey: c.sel.key,
		Warn: func(err error) { fmt.Fprintf(c.log, "warning: %v\n", err) }}
	if !o.NoCache {
		q.Cache = firstNonEmpty(o.CacheDir, r.CacheDir())
	}
	if o.Progress != nil {
		q.Progress = func(n int) { progress(o.Progress, "Reading history: %d commits", n) }
	}
	h, err := r.Read(ctx, q)
	if errors.Is(err, history.ErrPartialClone) && !o.NoFetch {
		if r, err = c.fetchAndReopen(ctx, r, q, hopts, err); err == nil {
			c.repo = r
			h, err = r.Read(ctx, q)
		}
	}
	if err != nil {
		return err
	}
	c.Head, c.Commits = &h.Head, h.Commits

	gitPath := func(d *document.Document) string {
		return filepath.ToSlash(mustRel(r.Root(), filepath.Join(c.root, filepath.FromSlash(d.Path))))
	}
	byPath := map[string]*document.Document{}
	for _, d := range docs {
		byPath[gitPath(d)] = d
	}
	draftAt := map[string]*document.Document{}
	for _, d := range drafts {
		draftAt[gitPath(d)] = d
	}
	ids := map[string]bool{}
	for _, d := range docs {
		ids[d.ID] = true
	}
	// A retired document does not take a language's own pages either
	// (checkLanguagePages refuses current ones): it is renamed.
	if langs := portalLanguages(docs, c.Config.Language); len(langs) > 1 {
		for _, l := range langs {
			for _, id := range languagePages(l) {
				ids[id] = true
			}
		}
	}
	matched := map[*document.Document]bool{}
	var retired, redrafted []*history.Document
	for _, hd := range h.Documents {
		if !o.Drafts {
			hd.Versions = slices.DeleteFunc(hd.Versions, func(v history.Version) bool { return isDraftInfo(v.Info) })
		}
		if len(hd.Versions) == 0 {
			continue // never published
		}
		d := byPath[hd.Path]
		switch {
		case hd.Deleted:
			retired = append(retired, hd)
			continue
		case d == nil && draftAt[hd.Path] != nil:
			// Published before, a draft now: the last published text
			// stands until the draft is published.
			redrafted = append(redrafted, hd)
			continue
		case d == nil || matched[d]:
			continue
		}
		matched[d] = true
		e := &Entry{ID: d.ID, Doc: d}
		if err := c.addVersions(e, hd); err != nil {
			return err
		}
		sum := sha256.Sum256(d.Source)
		e.Uncommitted = len(e.Versions) == 0 || hex.EncodeToString(sum[:]) != e.Versions[0].SHA256
		c.Entries = append(c.Entries, e)
	}
	for _, d := range docs {
		if !matched[d] { // not committed yet
			c.Entries = append(c.Entries, &Entry{ID: d.ID, Doc: d, Uncommitted: true})
		}
	}
	for _, hd := range redrafted {
		d := draftAt[hd.Path]
		if ids[d.ID] {
			continue
		}
		ids[d.ID] = true
		e := &Entry{ID: d.ID}
		if err := c.addVersions(e, hd); err != nil {
			return err
		}
		doc, err := c.ParseVersion(&Entry{ID: d.ID, Doc: d}, e.Versions[0])
		if err != nil {
			return err
		}
		doc.ID = d.ID
		e.Doc = doc
		c.Entries = append(c.Entries, e)
	}
	for _, hd := range retired {
		if err := c.addRetired(hd, ids); err != nil {
			return err
		}
	}
	return nil
}

// historyMatch is the history walk's Query.Match: the repository paths
// that may be documents. Repository files (README…) pass, as they are
// documents when they have front matter; addRetired decides on the text.
func (c *Catalog) historyMatch(gitPath string) bool {
	// Called for every changed path of every commit: no path arithmetic.
	rc, ok := gitPath, true
	if c.gitPrefix != "" {
		rc, ok = strings.CutPrefix(gitPath, c.gitPrefix+"/")
	}
	if !ok {
		// Outside the content folder (history followed a rename into it):
		// only the rule of hidden names applies.
		return history.IsMarkdown(gitPath) && !hiddenPath(gitPath)
	}
	return c.sel.role(rc, func() bool { return true }) == roleDocument
}

// hiddenPath reports whether a slash-separated path has a segment that
// starts with "." or "_".
func hiddenPath(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, ".") || strings.HasPrefix(seg, "_") {
			return true
		}
	}
	return false
}

// fetchAndReopen fetches what the partial clone behind r lacks (readErr
// says so) and opens the repository again, so that go-git sees the new
// pack. It returns readErr, with why fetching did not help, if it fails.
func (c *Catalog) fetchAndReopen(ctx context.Context, r *history.Repository, q history.Query, hopts []history.Option, readErr error) (*history.Repository, error) {
	r.Close()
	c.repo = nil
	n, err := fetchMissingObjects(ctx, r.Root(), q.Ref, q.Prefix, c.log)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w\n(fetching the missing objects with git failed: %v; pass --no-fetch to skip trying)", readErr, err)
	case n == 0:
		return nil, readErr // nothing git knows to be missing: a corrupt repository
	}
	return history.Open(c.root, hopts...)
}

// inspectKey names what inspect computes, for the history cache: change it
// whenever inspect, or the parsing of front matter dates it relies on,
// changes what it returns for a text.
const inspectKey = "effective-date+draft+letters+changes/5"

// inspect reads the effective date from the front matter of a version's
// text, while history is read (history.Query.Inspect), whether the
// version is a draft (`draft: true`), its `changes:` note for readers, and
// the letters print of its body (see lettersPrint): "draft", the date, "w:"
// and the print, and "c:" and the note (base64url), separated by spaces,
// each left out when there is none. A version whose front matter is broken
// simply has no date.
func (c *Catalog) inspect(src []byte) string {
	letters := wordsInfo + lettersPrint(stripFrontMatter(src))
	d, err := c.meta.ParseMeta("", c.content, src)
	if err != nil {
		if bytes.Contains(src[:min(len(src), 64<<10)], []byte("draft")) && draftLine.Match(src[:frontMatterLen(src)]) {
			return draftInfo + " " + letters // a draft whose front matter is broken is still a draft
		}
		return letters
	}
	info := []string{d.Effective.String(), letters}
	if d.Draft {
		info = append([]string{draftInfo}, info...)
	}
	if note := changesNote(d); note != "" {
		info = append(info, changesInfo+base64.RawURLEncoding.EncodeToString([]byte(note)))
	}
	return strings.Join(strings.Fields(strings.Join(info, " ")), " ")
}

// changesNote returns a document's `changes:` front matter note, the
// reader-facing summary of the change its version makes, on one line and
// cut at history.MaxSubject bytes; "" when there is none.
func changesNote(d *document.Document) string {
	note, _ := d.Params["changes"].(string)
	note = strings.Join(strings.Fields(note), " ")
	if len(note) > history.MaxSubject {
		note = strings.ToValidUTF8(note[:history.MaxSubject], "") + "…"
	}
	return note
}

// draftInfo marks the Info of a version whose text is a draft; wordsInfo
// starts its letters print, changesInfo its changes note.
const (
	draftInfo   = "draft"
	wordsInfo   = "w:"
	changesInfo = "c:"
)

// versionInfo is what inspect found in a version's text.
type versionInfo struct {
	draft                       bool
	effective, letters, changes string
}

// parseInfo splits what inspect returned.
func parseInfo(info string) versionInfo {
	var vi versionInfo
	for f := range strings.FieldsSeq(info) {
		switch {
		case f == draftInfo:
			vi.draft = true
		case strings.HasPrefix(f, wordsInfo):
			vi.letters = f[len(wordsInfo):]
		case strings.HasPrefix(f, changesInfo):
			if b, err := base64.RawURLEncoding.DecodeString(f[len(changesInfo):]); err == nil {
				vi.changes = string(b)
			}
		default:
			vi.effective = f
		}
	}
	return vi
}

func isDraftInfo(info string) bool {
	// Asked of every version of every load: the fields alone, as
	// parseInfo reads them.
	for f := range strings.FieldsSeq(info) {
		if f == draftInfo {
			return true
		}
	}
	return false
}

// draftLine finds "draft: true" (YAML) or "draft = true" (TOML).
var draftLine = regexp.MustCompile(`(?m)^\s*draft\s*[:=]\s*(?:true|yes|on|"true")\s*$`)

// frontMatterLen returns the length of the front matter block a text
// opens with (up to 64 KiB), or 0.
func frontMatterLen(src []byte) int {
	if !opensFrontMatter(src) {
		return 0
	}
	head := src[:min(len(src), 64<<10)]
	for _, delim := range []string{"\n---", "\n+++"} {
		if i := bytes.Index(head[3:], []byte(delim)); i >= 0 {
			return i + 3
		}
	}
	return len(head)
}

// addVersions adds the versions, with the effective date each one's front
// matter gave, and records the IDs of the document's former paths.
func (c *Catalog) addVersions(e *Entry, hd *history.Document) error {
	infos := make([]versionInfo, len(hd.Versions))
	for i := range hd.Versions {
		infos[i] = parseInfo(hd.Versions[i].Info)
	}
	for i := range hd.Versions {
		hv := hd.Versions[i]
		v := &Version{Version: hv, Material: hv.Material}
		vi := infos[i]
		v.letters = vi.letters
		if vi.effective != "" {
			eff, err := document.ParseDate(vi.effective)
			if err != nil {
				return fmt.Errorf("%s at commit %s: effective date %q: %w", hv.Path, hv.Commit, hv.Info, err)
			}
			v.Effective = eff
		}
		// A `changes:` note written for this version (not one kept from
		// the version before) is the reader-facing summary: it wins over
		// the commit subject and a Summary trailer everywhere.
		if vi.changes != "" && (i == len(hd.Versions)-1 || infos[i+1].changes != vi.changes) {
			v.Subject = vi.changes
		}
		e.Versions = append(e.Versions, v)
	}
	seen := map[string]bool{e.ID: true}
	for _, p := range hd.Paths {
		id := c.idOf(p)
		if id != "" && e.Key == "" {
			e.Key = id
		}
		if id != "" && !seen[id] {
			seen[id] = true
			e.OldIDs = append(e.OldIDs, id)
		}
	}
	return nil
}

// addRetired adds a document that history knows but the content folder no
// longer has. Its last version stands for its current text.
func (c *Catalog) addRetired(hd *history.Document, ids map[string]bool) error {
	base := c.idOf(hd.Path)
	if base == "" {
		return nil
	}
	last := hd.Versions[0]
	src, err := c.repo.Blob(last.Blob)
	if err != nil {
		return fmt.Errorf("%s at commit %.7s: %w", last.Path, last.Commit, err)
	}
	if rc, ok := c.relToContent(last.Path); !ok || c.sel.role(rc, func() bool { return opensFrontMatter(src) }) != roleDocument {
		return nil // never a document (a README, a file clause.toml leaves out)
	}
	if problem := idProblem(base); problem != "" {
		// Its name was allowed once, or never checked: the document stays
		// online under a name that cannot clash.
		renamed := "retired/" + strings.NewReplacer("/", "-", ".", "-").Replace(strings.Trim(base, "./-"))
		if strings.Trim(base, "./-") == "" {
			renamed = "retired/document"
		}
		fmt.Fprintf(c.log, "warning: %s (retired at commit %.7s) %s; it is published at /%s/ instead\n", last.Path, hd.DeletedAt.Hash, problem, renamed)
		base = renamed
	}
	id := base
	for n := 1; ids[strings.ToLower(id)]; n++ {
		id = fmt.Sprintf("%s-retired", base)
		if n > 1 {
			id = fmt.Sprintf("%s-retired-%d", base, n)
		}
	}
	ids[strings.ToLower(id)] = true
	e := &Entry{ID: id, Retired: true, RetiredAt: hd.DeletedAt}
	d, err := document.Parse(c.repoRelative(last.Path), c.content, src)
	if err != nil {
		body := stripFrontMatter(src)
		if lerr := markdown.CheckLimits(body); lerr != nil {
			body = []byte(fmt.Sprintf("*The text of this document is not shown: %s.*\n", strings.TrimSuffix(lerr.Error(), ".")))
		}
		d = &document.Document{Path: c.repoRelative(last.Path), Title: document.TitleFromName(last.Path), Kind: document.KindFromName(last.Path), Body: body, Source: src, NoticeDays: document.DefaultNoticeDays}
	}
	d.ID = id
	d.Aliases = nil // a retired text's aliases are checked by nobody
	e.Doc = d
	if err := c.addVersions(e, hd); err != nil {
		return err
	}
	c.Entries = append(c.Entries, e)
	return nil
}

// relToContent returns a git path relative to the content folder, and
// whether it is below it.
func (c *Catalog) relToContent(gitPath string) (string, bool) {
	p := c.repoRelative(gitPath)
	if c.content == "." || c.content == "" {
		return p, !strings.HasPrefix(p, "../") && !strings.HasPrefix(p, "/")
	}
	return strings.CutPrefix(p, strings.TrimSuffix(c.content, "/")+"/")
}

// idOf returns the document ID of a git path, or "" when the path is not
// below the content folder.
func (c *Catalog) idOf(gitPath string) string {
	rc, ok := c.relToContent(gitPath)
	if !ok {
		return ""
	}
	return sanitizeID(document.IDFromPath(rc))
}

func (c *Catalog) fromFiles(docs []*document.Document) error {
	for _, d := range docs {
		fi, err := statFile(filepath.Join(c.root, filepath.FromSlash(d.Path)))
		if err != nil {
			return err
		}
		c.Entries = append(c.Entries, &Entry{ID: d.ID, Doc: d, ModTime: fi})
	}
	return nil
}

// Find returns the entry a user means by ref: a document ID ("dpa"), a
// path ("content/dpa.md"), or a former ID.
func (c *Catalog) Find(ref string) (*Entry, error) {
	ref = strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(ref), "./"), "/")
	for _, e := range c.Entries {
		if e.ID == ref || e.Doc.Path == ref {
			return e, nil
		}
	}
	lower := strings.ToLower(ref)
	for _, e := range c.Entries {
		if strings.TrimSuffix(e.Doc.Path, path.Ext(e.Doc.Path)) == ref || e.ID == lower {
			return e, nil
		}
		for _, old := range e.OldIDs {
			if old == lower {
				return e, nil
			}
		}
	}
	ids := make([]string, len(c.Entries))
	for i, e := range c.Entries {
		ids[i] = e.ID
	}
	return nil, fmt.Errorf("%w: no document %q (documents: %s)", ErrNoDocument, ref, strings.Join(ids, ", "))
}

// ErrNoDocument is returned by Find for an unknown document.
var ErrNoDocument = errors.New("unknown document")

// Stamp is the time the portal's files are dated by where they carry a
// date of their own making (the API's "generated", the sitemap's index
// pages): the published commit's date, so that building one commit twice
// writes the same files (a host then uploads only what a push changed);
// the build time without git.
func (c *Catalog) Stamp() time.Time {
	if c.Head != nil {
		return c.Head.Date
	}
	return c.Now
}

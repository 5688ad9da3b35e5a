package portal

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/clause-portal/clause/generator/api"
	"github.com/clause-portal/clause/generator/config"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/markdown"
	"github.com/clause-portal/clause/generator/site"
	"github.com/clause-portal/clause/generator/subprocessors"
)

// Options configures Build. The zero value builds the current folder's
// "content" into "public".
type Options struct {
	// Repo is the portal repository (default ".").
	Repo string
	// Content is the content folder, relative to Repo (default "content").
	Content string
	// Out is the output folder, relative to Repo unless absolute (default
	// "public").
	Out string
	// BaseURL overrides the configured base URL.
	BaseURL string
	// AllowShallow builds a shallow clone, taking dates from the files.
	AllowShallow bool
	// NoGit builds without reading git history; dates come from the files.
	NoGit bool
	// HistoryOptions are how git history is read.
	HistoryOptions
	// Now is the build time (default time.Now()).
	Now time.Time
	// Progress receives progress messages (e.g. a terminal); nil for none.
	Progress io.Writer
	// Log receives warnings; nil discards them.
	Log io.Writer
	// Env looks up environment variables (Netlify's URL, REPOSITORY_URL);
	// nil means none are consulted.
	Env func(string) string
	// Drafts includes the documents and versions marked draft: true, for
	// a local preview (clause serve --drafts). A published build never
	// sets it.
	Drafts bool
	// Force replaces an output folder that is not empty although Clause
	// did not write it (it lacks OutputMarker).
	Force bool
	// BatchSize is how many archived version pages one Hugo build renders
	// (default 500): memory stays bounded however long the history.
	BatchSize int

	// registerTableRows overrides RegisterTableRows (tests).
	registerTableRows int
	// siteFeedEntries overrides SiteFeedEntries (tests).
	siteFeedEntries int
	// prerenderBody overrides prerenderBody (tests).
	prerenderBody int
	// textsHeldMax overrides textsHeldMax (tests).
	textsHeldMax int
}

// Result summarises a build.
type Result struct {
	// Out is the absolute output folder.
	Out string
	// Documents is the number of documents published, retired included.
	Documents int
	// Versions is the number of archived versions published.
	Versions int
	// Commits is the number of commits of history read (0 without git).
	Commits int
	// Head is the commit built, if any.
	Head string
	// DatesFromFiles is set when dates came from file times, not git.
	DatesFromFiles bool
	// PagesReused and PagesRendered count the archived pages (versions
	// and their redlines) copied from the page cache and rendered.
	PagesReused, PagesRendered int
	// TextsReused and TextsComputed count the archived versions' HTML and
	// redlines the build took from the cache (Clause's own work, before
	// Hugo's) and those it computed.
	TextsReused, TextsComputed int
	// BodiesRead counts the archived pages' bodies and published texts
	// read from the memo: those of pages the page cache lacks, and the
	// texts of packs neither it nor the output reused has.
	BodiesRead int
	// TextsParsed counts the versions' texts the build read from the
	// history and parsed for its pages: every version's in a build from
	// scratch, in a build from the memo only those of versions whose pages
	// or redlines it computed.
	TextsParsed int
	// FilesUnchanged counts the files of the output before the last one
	// that this build's output has as they were (see site.Reuse): not
	// written, linked nor deleted.
	FilesUnchanged int
}

func (o *Options) defaults() {
	if o.Repo == "" {
		o.Repo = "."
	}
	if o.Out == "" {
		o.Out = "public"
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Env == nil {
		o.Env = func(string) string { return "" }
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
}

// NoBaseURL says what a portal built without a base URL lacks, and how to
// give one.
const NoBaseURL = "no base URL: the sitemap, robots.txt and feeds link relative paths that search engines and feed readers cannot follow, and clause notify cannot link its notices; set base_url in clause.toml, pass --base-url, or build on Netlify ($URL)"

// Build compiles the portal: it reads the documents and their history,
// renders the site into a temporary folder next to Out and, only when
// everything succeeded, swaps it into place. On any error Out is left as it
// was.
func Build(ctx context.Context, opts Options) (*Result, error) {
	opts.defaults()
	repo, err := filepath.Abs(opts.Repo)
	if err != nil {
		return nil, err
	}
	if err := checkSymlinks(repo, append([]string{config.FileName}, repositoryFolders...)...); err != nil {
		return nil, err
	}
	cfg, err := config.Load(repo)
	if err != nil {
		return nil, err
	}
	content, how := ResolveContent(repo, opts.Content, cfg)
	if line := DescribeContent(content, how); line != "" {
		fmt.Fprintln(opts.Log, line)
	}
	contentDir := filepath.Join(repo, filepath.FromSlash(content))
	out := opts.Out
	if !filepath.IsAbs(out) {
		out = filepath.Join(repo, filepath.FromSlash(out))
	}
	if err := checkOutDir(out, repo, contentDir, opts.Force); err != nil {
		return nil, err
	}
	warn := func(err error) { fmt.Fprintf(opts.Log, "warning: %v\n", err) }
	// The output before last is made into this build's (site.Reuse, with
	// the page cache: most of its files stay as they are). It is read
	// while the history is.
	bd, err := newBuildDir(out, !opts.HistoryOptions.NoCache && !opts.NoGit, func(msg string) { fmt.Fprintln(opts.Log, msg) })
	if err != nil {
		return nil, fmt.Errorf("creating output folder: %w", err)
	}
	defer bd.release(warn) // sets the previous site aside, for the next build to reuse
	type opened struct {
		reuse *site.Reuse
		err   error
	}
	reused := make(chan opened, 1)
	if bd.reused != "" {
		go func() {
			r, err := site.OpenReuse(bd.reused)
			reused <- opened{r, err}
		}()
	} else {
		reused <- opened{}
	}
	// Not before the folder is read: release may move it.
	reuseOpened := false
	openedReuse := func() opened {
		if reuseOpened {
			return opened{}
		}
		reuseOpened = true
		return <-reused
	}
	defer openedReuse()
	c, err := Load(ctx, LoadOptions{Repo: repo, Content: content, Out: out, AllowShallow: opts.AllowShallow, NoGit: opts.NoGit, Drafts: opts.Drafts, HistoryOptions: opts.HistoryOptions, Now: opts.Now, Progress: opts.Progress, Log: opts.Log})
	if err != nil {
		return nil, err
	}
	defer c.Close()

	// Large registers' pages are rendered while their registers are read,
	// with the links of the base URL's path (set again below, with the
	// errors of a bad base URL).
	if u, err := c.BaseURL(opts.BaseURL, opts.Env); err == nil {
		c.SetBasePath(u)
	}
	c.prerender, c.prerenderMin = true, opts.prerenderBody
	c.prerendered.parent, c.prerendered.prefix = filepath.Dir(out), aheadDirPrefix(out)
	if err := checkRegisters(c, opts.Log); err != nil {
		return nil, err
	}
	reportLeftOut(c, opts.Log)
	for _, p := range c.LinkProblems() {
		fmt.Fprintln(opts.Log, p.Error())
	}
	cfg = c.Config
	baseURL, err := c.BaseURL(opts.BaseURL, opts.Env)
	if err != nil {
		return nil, err
	}
	if baseURL == "" {
		fmt.Fprintln(opts.Log, "warning: "+NoBaseURL)
	}
	pg := &pager{c: c, loc: cfg.Location, repoURL: firstNonEmpty(cfg.RepoURL, opts.Env("REPOSITORY_URL")), maxTableRows: opts.registerTableRows, texts: &textNames{heldMax: cmp.Or(opts.textsHeldMax, textsHeldMax)}}
	s := &site.Site{
		Title:        cfg.Title,
		BaseURL:      baseURL,
		LanguageCode: cfg.Language,
		Languages:    c.Languages()[1:],
		Location:     cfg.Location,
		Params:       siteParams(c, pg),
	}
	c.SetBasePath(s.BaseURL)
	var engine *engineFiles
	if comparable(c) {
		if engine, err = redlineEngine(); err != nil {
			return nil, err
		}
		s.Params["redline_engine"] = engine.params()
	}
	if s.Params["attention"], err = pg.attentionParams(""); err != nil {
		return nil, err
	}
	if s.Params["languages"], s.Params["language_attention"], err = pg.languageParams(); err != nil {
		return nil, err
	}
	if c.Home != nil {
		home := *c.Home
		// The index page has its own heading (the portal's title): the
		// home page's own first heading is not repeated under it.
		if t, _, ok := markdown.Title(home.Body); ok {
			home.Title, home.TitleFromBody = t, true
		}
		r, err := render(&home, c.linker().resolver(nil, home.Path, nil, false))
		if err != nil {
			return nil, err
		}
		s.HomeHTML = r.HTML
	}
	res := &Result{Out: out, Documents: len(c.Entries), Commits: c.Commits, DatesFromFiles: c.DatesNote != ""}
	if c.Head != nil {
		res.Head = c.Head.Hash
	}

	// Every page's URL, so that no alias replaces a real page.
	realURLs := map[string]bool{}
	// The pages rendered in batches, in order, document by document (so
	// that a commit that changes one document has its pages rendered in
	// one or two of the batches): its current page and compare page, every
	// version with its redlines, then its list of versions (it shows the
	// redlines' summaries). Computed as they come, but for the current
	// pages, which the index lists (stubs, below).
	var refs []versionRef
	var stubs []*site.Page
	for _, e := range c.Entries {
		p, err := pg.documentPage(e)
		if err != nil {
			return nil, err
		}
		refs = append(refs, versionRef{e: e, page: p})
		stubs = append(stubs, p.Stub())
		if len(e.Versions) > 1 {
			refs = append(refs, versionRef{e: e, page: pg.compareAnyPage(e)})
		}
		for i := range e.Versions {
			refs = append(refs, versionRef{e: e, i: i})
			res.Versions++
		}
		if len(e.Versions) > 0 {
			refs = append(refs, versionRef{e: e, versions: true})
		}
	}
	if res.Versions > 0 {
		realURLs["/changelog/"] = true
		for _, l := range c.languagesWithHistory() {
			realURLs[LanguageChangelogURL(l)] = true
		}
	}
	for _, vr := range refs {
		realURLs[vr.url()] = true
	}

	parsedBefore := c.parses.Load() // by Load: not for pages
	cache := openPageCache(c, opts, warn)
	pg.memo = newMemo(cache)
	stage := bd.site
	pg.texts.stage = stage
	var reuse *site.Reuse
	if o := openedReuse(); o.err != nil {
		warn(fmt.Errorf("the output before the last build could not be reused (the site is written anew): %w", o.err))
	} else if cache != nil {
		reuse = o.reuse
	}
	pg.texts.reuse, pg.texts.cache = reuse, cache
	siteOpts := site.Options{
		WorkDir:    bd.path,
		PublishDir: stage,
		LayoutsDir: filepath.Join(repo, "layouts"),
		StaticDir:  filepath.Join(repo, "static"),
		AssetsDir:  filepath.Join(repo, "assets"),
		I18nDir:    c.I18nDir(),
		Log:        opts.Log,
		// Nothing reads a page once rendered.
		ReleasePages: true,
		Partial:      true,
	}
	if cache != nil {
		siteOpts.Cache, siteOpts.Reuse = cache, reuse
	}
	// The pages of the batches see the site as it stands from one commit
	// to the next: not its head commit, not the index's attention list,
	// not the index's text, so that the page cache keeps them until they
	// change. A commit renders the pages it changes: the index, the
	// changelogs, and the pages of the documents it touched.
	archived := *s
	archived.HomeHTML = nil
	archived.Pages = nil
	archived.Params = maps.Clone(s.Params)
	for _, k := range []string{"head", "head_short", "attention", "language_attention"} {
		delete(archived.Params, k)
	}
	// In batches: each Hugo build holds only its batch. The pages of the
	// next batch (the redlines above all) are computed while Hugo renders
	// the current one.
	progress(opts.Progress, "Rendering %d documents…", len(c.Entries))
	batches := pageBatches(ctx, pg, refs, opts.BatchSize)
	for b := range batches.out {
		if b.err != nil {
			batches.stop()
			return nil, b.err
		}
		progress(opts.Progress, "Rendering pages %d–%d of %d…", b.start+1, b.start+len(b.pages), len(refs))
		batch := archived
		batch.Pages = b.pages
		filterAliases(batch.Pages, realURLs)
		if err := site.Build(&batch, siteOpts); err != nil {
			batches.stop()
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The versions' texts are not read again: what the caches hold goes
	// before the changelogs, which list every version, are made.
	c.versionDocs.reset()
	c.versionBlocks.reset()
	c.prerendered.reset()
	pg.sides = nil
	if c.repo != nil {
		c.repo.DropCache()
	}
	// Last, the pages that change with every commit, in the whole site:
	// the index (which lists the documents' pages: in Hugo's collections
	// as stubs, rendered above), the 404 page, robots.txt, the changelogs
	// (they show each version's redline summary, which the batches
	// computed). Hugo renders them into a folder of their own while Clause
	// writes its files into another; both are moved into the site after,
	// Hugo's first: its pages replace those of the batches (aliases), and
	// Clause's files replace both, as when each was written in turn.
	siteOpts.Partial, siteOpts.Cache, siteOpts.Reuse = false, nil, nil
	s.Pages = stubs
	if res.Versions > 0 {
		s.Pages = append(s.Pages, pg.changelogPage(""))
		s.Pages = append(s.Pages, pg.languageChangelogPages()...)
	}
	filterAliases(s.Pages, realURLs)
	wholeOpts := siteOpts
	wholeOpts.PublishDir = filepath.Join(bd.path, "whole")
	var wholeLog bytes.Buffer // Hugo's warnings, told after
	wholeOpts.Log = &wholeLog
	whole := make(chan error, 1)
	go func() { whole <- site.Build(s, wholeOpts) }()
	waited := false
	waitWhole := func() error {
		if waited {
			return nil
		}
		waited = true
		err := <-whole
		opts.Log.Write(wholeLog.Bytes())
		return err
	}
	// On any error below, Hugo has finished before the build folder goes.
	defer waitWhole()
	// Files Clause writes itself: kept where the output reused has them.
	own := filepath.Join(bd.path, "own")
	if err := os.Mkdir(own, 0o755); err != nil {
		return nil, err
	}
	written := &output{stage: own, reuse: reuse, memo: pg.memo}
	for _, e := range c.Entries {
		if len(e.Versions) < 2 {
			continue
		}
		b, err := pg.versionsJSON(e)
		if err != nil {
			return nil, err
		}
		if err := written.write(strings.TrimPrefix(VersionsJSONURL(e.ID), "/"), b); err != nil {
			return nil, err
		}
	}
	if engine != nil {
		if err := engine.write(written); err != nil {
			return nil, err
		}
	}
	if err := writeAPI(own, c, pg); err != nil {
		return nil, err
	}
	if err := writeFeeds(written, c, s.BaseURL, pg.localizer, cmp.Or(opts.siteFeedEntries, SiteFeedEntries)); err != nil {
		return nil, err
	}
	if err := writeSitemap(own, c, s.BaseURL); err != nil {
		return nil, err
	}
	if err := waitWhole(); err != nil {
		return nil, err
	}
	s.Pages = nil
	for _, dir := range []string{wholeOpts.PublishDir, own} {
		if err := site.MoveInto(dir, stage); err != nil {
			return nil, fmt.Errorf("making the output: %w", err)
		}
	}
	// The user's _redirects (a static file) gets Clause's rules.
	if err := writeRedirects(stage, c); err != nil {
		return nil, err
	}
	// Last: an asset is left out where the site has a page or a file.
	if err := writeAssets(stage, c); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The page cache has all of this build: its index is written while the
	// output is made (what it keeps is content-addressed: an index of a
	// build that fails from here on is still true).
	saved := make(chan error, 1)
	res.TextsParsed = int(c.parses.Load() - parsedBefore)
	if cache != nil {
		res.PagesReused, res.PagesRendered = cache.Stats()
		if pg.memo != nil {
			res.TextsReused, res.TextsComputed = int(pg.memo.hits.Load()), int(pg.memo.misses.Load())
			res.BodiesRead = int(pg.memo.loads.Load())
		}
		go func() { saved <- cache.Save() }()
	} else {
		saved <- nil
	}
	defer func() {
		if err := <-saved; err != nil {
			warn(fmt.Errorf("page cache: %w", err))
		}
	}()
	if reuse != nil {
		// What this build wrote goes over the old output, and what the
		// old output has that this build did not make goes.
		if err := reuse.Merge(stage); err != nil {
			return nil, fmt.Errorf("making the output: %w", err)
		}
		if err := reuse.Prune(); err != nil {
			return nil, fmt.Errorf("making the output: %w", err)
		}
		bd.site = reuse.Root()
		res.FilesUnchanged = reuse.Unchanged()
	}
	if err := swap(bd, out); err != nil {
		return nil, err
	}
	return res, nil
}

// output writes files Clause makes itself into the staged site.
type output struct {
	stage string
	reuse *site.Reuse // the output reused, if any
	memo  *memo       // nil without the page cache
}

// write writes data at slash path rel of the site, unless the output
// reused has it there already.
func (o *output) write(rel string, data []byte) error {
	if o.reuse != nil && o.reuse.Same(rel, len(data), sha256.Sum256(data)) {
		return nil
	}
	name := filepath.Join(o.stage, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}

// writeBlob writes the memo's blob r at slash path rel of the site, read
// only if the output reused does not have it there already.
func (o *output) writeBlob(rel string, r blobRef) error {
	if o.reuse != nil && o.reuse.Same(rel, r.Size, r.Sum) {
		return nil
	}
	data, err := o.memo.loadBlob(r)
	if err != nil {
		return err
	}
	return o.write(rel, data)
}

// PageCacheFolder is the folder of the page cache in the history cache's
// folder (--cache-dir, else .git/clause-cache).
const PageCacheFolder = "pages"

// openPageCache opens the page cache beside the history cache; nil
// without one (--no-cache, no git), or when it cannot be used (said in a
// warning: the build renders every page).
func openPageCache(c *Catalog, opts Options, warn func(error)) *site.PageCache {
	if opts.HistoryOptions.NoCache || c.repo == nil {
		return nil
	}
	dir := filepath.Join(firstNonEmpty(opts.HistoryOptions.CacheDir, c.repo.CacheDir()), PageCacheFolder)
	pc, err := site.OpenPageCache(dir)
	if err != nil {
		warn(fmt.Errorf("page cache not used: %w", err))
		return nil
	}
	if err := pc.IndexError(); err != nil {
		warn(fmt.Errorf("page cache: %w", err))
	}
	if GrowMemoryLimit != nil && pc.IndexSize() > 0 {
		GrowMemoryLimit(3 * pc.IndexSize())
	}
	return pc
}

// GrowMemoryLimit, when not nil, is called with what the page cache's
// index takes in memory once it is read (about three times its size: 44
// MB on disk, 120 MB in memory, for 20,000 commits), which the build holds
// to its end. cmd/clause sets it to raise its soft memory limit by as
// much over its own (each build anew: clause serve builds again and again
// in one process), when it set that limit itself: a limit the collector must keep
// to with that much less room runs it without pause (at 20,000 commits a
// build after one commit spent half its CPU time collecting).
var GrowMemoryLimit func(bytes int64)

// reportLeftOut says, on one line, which markdown files below the content
// folder are not published, and how to change that.
func reportLeftOut(c *Catalog, log io.Writer) {
	if len(c.LeftOut) > 0 {
		fmt.Fprintf(log, "Left out %d file(s) that are not legal documents: %s (include / exclude in clause.toml change this)\n",
			len(c.LeftOut), strings.Join(c.LeftOut, ", "))
	}
	if len(c.Drafts) > 0 {
		fmt.Fprintf(log, "Not published, draft: true: %s\n", strings.Join(c.Drafts, ", "))
	}
}

// writeAssets copies the files documents link (PDF annexes, images below
// the content folder) into the staged site, at their path below the
// content folder. A file that would replace a page is left out.
func writeAssets(stage string, c *Catalog) error {
	for src, u := range c.Assets() {
		dst := filepath.Join(stage, filepath.FromSlash(strings.TrimPrefix(u, "/")))
		if _, err := os.Lstat(dst); err == nil {
			fmt.Fprintf(c.log, "warning: %s: not published, %s is a page of the portal\n", src, u)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := copyRegular(filepath.Join(c.root, filepath.FromSlash(src)), dst, MaxAssetSize); err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
	}
	return nil
}

// copyRegular copies a regular file, refusing anything else (a symbolic
// link swapped in since it was checked) and files over limit bytes.
func copyRegular(src, dst string, limit int64) error {
	in, err := os.OpenFile(src, os.O_RDONLY|syscallNoFollow, 0)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() || fi.Size() > limit {
		return fmt.Errorf("not a regular file of at most %d MiB", limit>>20)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, io.LimitReader(in, limit)); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// versionRef is a page of the batches: version i of e, with its
// redlines, or page (a current page, computed already), or e's list of
// versions (versions).
type versionRef struct {
	e        *Entry
	i        int
	page     *site.Page
	versions bool
}

func (vr versionRef) url() string {
	switch {
	case vr.page != nil:
		return vr.page.URL
	case vr.versions:
		return VersionsURL(vr.e.ID)
	}
	return VersionURL(vr.e.ID, vr.e.Versions[vr.i].ID)
}

// compute computes vr's page.
func (vr versionRef) compute(pg *pager) (*site.Page, error) {
	switch {
	case vr.page != nil:
		return vr.page, nil
	case vr.versions:
		// The document's last page: all its texts are given.
		if err := pg.writePacks(vr.e); err != nil {
			return nil, err
		}
		return pg.versionsPage(vr.e), nil
	}
	p, err := pg.versionPage(vr.e, vr.i)
	if err != nil {
		return nil, err
	}
	// An archived page (see the theme's footer.html).
	p.Params["archived"] = true
	return p, nil
}

func siteParams(c *Catalog, pg *pager) map[string]any {
	kinds := make([]map[string]string, 0, len(document.Kinds))
	for _, k := range document.Kinds {
		kinds = append(kinds, map[string]string{"kind": string(k), "label": k.Label()})
	}
	params := map[string]any{
		"kinds":         kinds,
		"description":   c.Config.Description,
		"api_documents": "/" + api.DocumentsPath,
		"feed_atom":     SiteFeedAtom,
		"feed_json":     SiteFeedJSON,
		"has_history":   c.Head != nil,
		"subscribe": map[string]string{
			"email": c.Config.Subscribe.Email,
			"url":   c.Config.Subscribe.URL,
			"text":  c.Config.Subscribe.Text,
		},
	}
	if c.Head != nil {
		params["head"] = pg.commit(c.Head.Hash)
		params["head_short"] = c.Head.Hash[:7]
	}
	return params
}

// writeAPI writes /api/documents.json and /api/subprocessors.json into the
// staged site.
func writeAPI(stage string, c *Catalog, pg *pager) error {
	subs, err := c.SubprocessorsAPI()
	if err != nil {
		return err
	}
	for name, v := range map[string]any{api.DocumentsPath: Documents(c), api.SubprocessorsPath: subs} {
		p := filepath.Join(stage, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		if err := api.Write(f, v); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// RegisterProblems validates the sub-processor lists as they stand and
// returns what it found, errors and warnings, in file order.
func (c *Catalog) RegisterProblems() ([]subprocessors.Problem, error) {
	var out []subprocessors.Problem
	for _, e := range c.Entries {
		if e.Retired {
			continue
		}
		h, err := c.Register(e)
		if err != nil {
			return nil, err
		}
		if h != nil {
			out = append(out, h.Problems...)
		}
	}
	return out, nil
}

// checkRegisters stops the build on register errors (file:line) and prints
// the warnings.
func checkRegisters(c *Catalog, log io.Writer) error {
	problems, err := c.RegisterProblems()
	if err != nil {
		return err
	}
	var errs document.Errors
	for _, p := range problems {
		if p.Severity == subprocessors.Warning {
			fmt.Fprintln(log, p.Error())
			continue
		}
		errs = append(errs, &document.Error{Path: p.Path, Line: p.Line, Msg: p.Msg})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func mustRel(base, p string) string {
	r, err := filepath.Rel(base, p)
	if err != nil {
		return p
	}
	return r
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func progress(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", args...)
	}
}

// maxBatchBytes bounds the rendered text of one batch of archived pages,
// as BatchSize bounds their number: Hugo's memory grows with the content of
// a build, and a batch of the redlines of large documents can hold
// gigabytes in a few hundred pages.
const maxBatchBytes = 64 << 20

// pageBatch is a batch of archived pages, from versionRefs[start:], or the
// error that stopped computing them.
type pageBatch struct {
	start int
	pages []*site.Page
	err   error
}

// batchProducer computes batches of archived pages on a goroutine of its
// own, one batch ahead of their rendering. The pager and the catalog are
// used by that goroutine only until out is closed.
type batchProducer struct {
	out  chan pageBatch
	done chan struct{}
	once sync.Once
}

// stop makes the producer give up and waits for it to finish.
func (b *batchProducer) stop() {
	b.once.Do(func() { close(b.done) })
	for range b.out {
	}
}

func pageBatches(ctx context.Context, pg *pager, refs []versionRef, size int) *batchProducer {
	b := &batchProducer{out: make(chan pageBatch, 1), done: make(chan struct{})}
	go func() {
		defer close(b.out)
		for start, end := 0, 0; start < len(refs); start = end {
			if ctx.Err() != nil {
				return
			}
			end = min(start+size, len(refs))
			batch := pageBatch{start: start}
			htmlBytes := 0
			for k, vr := range refs[start:end] {
				p, err := vr.compute(pg)
				// The page is the batch's now: refs does not keep it.
				refs[start+k].page = nil
				if err != nil {
					batch.pages, batch.err = nil, err
					break
				}
				batch.pages = append(batch.pages, p)
				if htmlBytes += len(p.HTML); htmlBytes > maxBatchBytes {
					end = start + len(batch.pages)
					break
				}
			}
			select {
			case b.out <- batch:
			case <-b.done:
				return
			}
			if batch.err != nil {
				return
			}
		}
	}()
	return b
}

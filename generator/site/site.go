// Package site is the bridge to Hugo: it turns Clause's model of a portal
// (pages with rendered bodies, dates from git) into a temporary Hugo project
// that uses the embedded default theme, lets the user's layouts/ override
// it by Hugo's normal lookup order, and has Hugo build it.
//
// Hugo itself runs in a helper process, the clause-render command (package
// site/hugorender), so that the clause command does not link Hugo: Go runs
// the initialisation of every linked package at start, and Hugo's
// dependencies take a hundred milliseconds or more of it, which the
// commands that do not render (log, check, diff, notify) should not pay.
// The project folder is the whole interface between the two.
package site

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/clause-portal/clause"
)

// Site is everything the portal shows, ready to render.
type Site struct {
	// Title is the portal's name ("Northwind Ledger legal").
	Title string
	// BaseURL is the absolute URL the portal is served from ("/" when not
	// known: links are then relative to the host).
	BaseURL string
	// LanguageCode is the site's default language ("en").
	LanguageCode string
	// Languages are the other languages of the portal's documents (BCP 47
	// tags). With any, the site is built in Hugo's multilingual mode: one
	// Hugo language per language, each page rendered in its own, so that
	// the theme's strings (T) and dates (time.Format) are in it.
	Languages []string
	// Location is the time zone the site is configured for.
	Location *time.Location
	// Params are exposed to templates as site.Params.clause.
	Params map[string]any
	// Pages are the pages to render.
	Pages []*Page
	// HomeHTML is the text of the repository's home page (its index.md or
	// README), rendered by generator/markdown, shown above the list of
	// documents; nil for none.
	HomeHTML []byte
}

// Page is one page of the portal.
type Page struct {
	// URL is the page's path, "/dpa/versions/" style. It must be a clean
	// path that stays inside the site.
	URL string
	// Layout names the theme template: "" for a document page (page.html),
	// or "version", "versions", "changelog".
	Layout string
	// Title is the page title.
	Title string
	// Date is the page's date for Hugo (.Date, .Lastmod, the sitemap).
	Date time.Time
	// Params are exposed to templates as .Params.clause.
	Params map[string]any
	// HTML is the rendered body (.Content), produced by generator/markdown.
	HTML []byte
	// Lazy, when HTML is nil, is the body kept elsewhere: a page the
	// page cache holds is found by the body's SHA-256 alone, and the body
	// is read only for a page Hugo must render.
	Lazy *LazyHTML
	// Aliases are URL paths that redirect to the page.
	Aliases []string
	// Language is the page's language (a BCP 47 tag); "" is the one its
	// Params name as "language", else the site's.
	Language string
	// ListOnly puts the page in Hugo's collections (site.RegularPages,
	// from which the index lists the documents) with its URL, but does not
	// render it: another build does (see Stub).
	ListOnly bool
}

// Stub is p for the collections of a build that does not render it
// (ListOnly): its title, date, URL and parameters, without its body,
// aliases or deferred HTML (see Defer), so that it holds no large value
// while it waits for its build.
func (p *Page) Stub() *Page {
	return &Page{URL: p.URL, Layout: p.Layout, Title: p.Title, Date: p.Date, Params: withoutDeferred(p.Params).(map[string]any), Language: p.Language, ListOnly: true}
}

// withoutDeferred copies v, the Deferred values in it made nil.
func withoutDeferred(v any) any {
	switch t := v.(type) {
	case *Deferred:
		return nil
	case map[string]any:
		if t == nil {
			return t
		}
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = withoutDeferred(x)
		}
		return m
	case []map[string]any:
		if t == nil {
			return t
		}
		l := make([]map[string]any, len(t))
		for i, x := range t {
			l[i] = withoutDeferred(x).(map[string]any)
		}
		return l
	case []any:
		if t == nil {
			return t
		}
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = withoutDeferred(x)
		}
		return l
	}
	return v
}

// LazyHTML is a page's body kept elsewhere (the memo of archived pages).
type LazyHTML struct {
	Sum  [sha256.Size]byte // the body's SHA-256
	Size int               // its length
	// Load reads the body; Build checks it against Sum.
	Load func() ([]byte, error)
}

// load returns p's body: HTML, else what Lazy loads (checked), else nil.
func (p *Page) load() ([]byte, error) {
	if p.HTML != nil || p.Lazy == nil {
		return p.HTML, nil
	}
	b, err := p.Lazy.read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading its kept body: %w", p.URL, err)
	}
	return b, nil
}

// read loads the HTML and checks it against its length and sum.
func (l *LazyHTML) read() ([]byte, error) {
	b, err := l.Load()
	if err != nil {
		return nil, err
	}
	if len(b) != l.Size || sha256.Sum256(b) != l.Sum {
		return nil, errors.New("damaged: not the bytes kept")
	}
	return b, nil
}

// Options configures a build.
type Options struct {
	// PublishDir is the (empty or missing) folder Hugo writes the site to.
	PublishDir string
	// WorkDir is the folder Hugo's temporary project is made in ("": the
	// system's temporary folder). Builds keep it beside the output, so
	// that a killed build leaves nothing in /tmp.
	WorkDir string
	// LayoutsDir, StaticDir and AssetsDir are the user's override folders;
	// empty or missing folders are ignored.
	LayoutsDir string
	StaticDir  string
	AssetsDir  string
	// I18nDir is the user's folder of translations of the theme's strings
	// (i18n/NAME.toml, Hugo's format), read over the theme's bundles.
	I18nDir string
	// Log receives Hugo's warnings and errors; nil discards them.
	Log io.Writer
	// Partial renders only s.Pages: no index page, 404 page, sitemap or
	// robots.txt. Large portals render archived versions in several partial
	// builds so that memory stays bounded.
	Partial bool
	// Cache, in partial builds, copies the pages it holds instead of
	// rendering them, and keeps those it renders (see PageCache).
	Cache *PageCache
	// Reuse, with Cache, is the old output the build makes its own: the
	// pages the cache holds are put there instead of into PublishDir
	// (see Reuse).
	Reuse *Reuse
	// ReleasePages lets Build drop its site's pages (s.Pages[i] = nil) as
	// soon as each is handed to Hugo, so that their parameters and HTML
	// (a large register's rows, a redline of megabytes) do not stay in
	// memory beside Hugo's own copy while it renders them. The caller must
	// not use s.Pages afterwards.
	ReleasePages bool
}

// ContentSecurityPolicy is the policy the portal is built to work under:
// nothing from other origins, no inline script or style. netlify.toml
// sends it in production (a test keeps the two equal) and clause serve in
// the preview.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// ErrRender wraps failures inside Hugo (template errors and the like).
var ErrRender = errors.New("rendering the portal failed")

// Build renders s into opts.PublishDir.
func Build(s *Site, opts Options) error {
	work, err := os.MkdirTemp(opts.WorkDir, "clause-hugo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	// Before writeContent, which may release the pages.
	langs := siteLanguages(s)
	// The theme and its strings, written into the project only if Hugo
	// runs: a build whose pages all come from the cache does not.
	project, err := projectFiles(langs, opts.I18nDir)
	if err != nil {
		return err
	}
	cfg := hugoConfig(s, langs, opts)
	var cached *cacheRun
	if opts.Partial && opts.Cache != nil {
		// The cache only saves work: a failure to use it is a warning.
		if key, err := opts.Cache.siteKey(project, cfg, opts); err != nil {
			cacheWarning(opts.Log, err)
		} else {
			cached = &cacheRun{cache: opts.Cache, site: key, publish: opts.PublishDir, reuse: opts.Reuse, log: opts.Log}
			// Hugo writes into a folder of its own (see cacheRun).
			cfg["publishDir"] = filepath.Join(work, "publish")
		}
	}
	rendered, _ := cfg["publishDir"].(string)
	df, err := newDeferrer(filepath.Join(work, "deferred"))
	if err != nil {
		return err
	}
	content, deferred, err := writeContent(s, opts.ReleasePages, cached, df)
	if err != nil {
		return err
	}
	if cached != nil && len(content) == 0 {
		return nil // every page came from the cache
	}
	// The content folder is in memory (content), but for the folder
	// itself, which Hugo looks for on the disk.
	if err := os.MkdirAll(filepath.Join(work, "content"), 0o755); err != nil {
		return err
	}
	if err := writeFiles(work, project); err != nil {
		return fmt.Errorf("writing the theme: %w", err)
	}
	cfgFile := filepath.Join(work, "hugo.json")
	if err := writeJSON(cfgFile, cfg); err != nil {
		return err
	}
	if err := render(work, cfgFile, content, opts.Log); err != nil {
		return err
	}
	// Before the pages are cached: the cache keeps them as published.
	for _, dp := range deferred {
		if err := dp.substitute(rendered); err != nil {
			return err
		}
	}
	if cached != nil {
		wrote, err := moveTree(rendered, opts.PublishDir)
		if err != nil {
			return err
		}
		if err := cached.storeRendered(wrote); err != nil {
			cacheWarning(opts.Log, err)
		}
	}
	if opts.Partial {
		return nil
	}
	// Hugo's library build does not copy static files (the hugo command
	// does): copy the theme's, then the user's, which win.
	if err := copyTree(clause.Theme(), "static", opts.PublishDir); err != nil {
		return fmt.Errorf("copying theme static files: %w", err)
	}
	if isDir(opts.StaticDir) {
		if err := copyTree(os.DirFS(opts.StaticDir), ".", opts.PublishDir); err != nil {
			return fmt.Errorf("copying static files: %w", err)
		}
	}
	return nil
}

// projectFiles are the files of a Hugo project that Build writes before
// the content, by slash path: the theme but its i18n folder (as
// themes/clause/...), and complete string bundles for langs (the theme's,
// the user's in userDir, English for what they lack) as i18n/LANG.toml:
// two files for one language would both be read.
func projectFiles(langs []string, userDir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	theme := clause.Theme()
	err := fs.WalkDir(theme, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "i18n" && d.IsDir() {
			return fs.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := fs.ReadFile(theme, p)
		files["themes/clause/"+p] = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading the theme: %w", err)
	}
	for _, lang := range langs {
		b, err := stringsFile(lang, userDir)
		if err != nil {
			return nil, fmt.Errorf("writing the theme's strings: %w", err)
		}
		files["i18n/"+hugoLang(lang)+".toml"] = b
	}
	return files, nil
}

// MoveInto moves the files below folder src (a site built into a folder
// of its own) to the same paths below dst, replacing files there. A
// missing src is an empty site.
func MoveInto(src, dst string) error {
	_, err := moveTree(src, dst)
	return err
}

// moveTree moves the files below src to the same paths below dst,
// replacing files there, and returns their slash paths. A folder that dst
// lacks is moved whole, with one rename (a page's folder and all in it).
// Only regular files and folders are moved: a folder holding anything else
// is moved file by file, and the rest left behind.
func moveTree(src, dst string) ([]string, error) {
	var moved []string
	var move func(rel string) error
	move = func(rel string) error {
		entries, err := os.ReadDir(filepath.Join(src, filepath.FromSlash(rel)))
		if err != nil {
			return err
		}
		for _, e := range entries {
			r := path.Join(rel, e.Name())
			from, to := filepath.Join(src, filepath.FromSlash(r)), filepath.Join(dst, filepath.FromSlash(r))
			switch {
			case e.IsDir():
				fi, err := os.Lstat(to)
				if errors.Is(err, fs.ErrNotExist) {
					if files, plain, err := regularFiles(from, r); err != nil {
						return err
					} else if plain {
						if err := os.Rename(from, to); err != nil {
							return err
						}
						moved = append(moved, files...)
						continue
					}
					if err := os.Mkdir(to, 0o755); err != nil {
						return err
					}
				} else if err != nil {
					return err
				} else if !fi.IsDir() {
					return fmt.Errorf("%s: a file where the site has a folder", to)
				}
				if err := move(r); err != nil {
					return err
				}
			case e.Type().IsRegular():
				if err := os.Rename(from, to); err != nil {
					return err
				}
				moved = append(moved, r)
			}
		}
		return nil
	}
	if _, err := os.Lstat(src); errors.Is(err, fs.ErrNotExist) {
		return nil, nil // Hugo wrote nothing
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, err
	}
	err := move("")
	return moved, err
}

// regularFiles lists the files below folder dir, as slash paths below
// rel, and reports whether all that is there is regular files and folders.
func regularFiles(dir, rel string) (files []string, plain bool, err error) {
	plain = true
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
		case d.Type().IsRegular():
			r, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			files = append(files, path.Join(rel, filepath.ToSlash(r)))
		default:
			plain = false
		}
		return nil
	})
	return files, plain, err
}

// writeFiles writes files (by slash path below dir) into dir.
func writeFiles(dir string, files map[string][]byte) error {
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// copyTree copies the regular files below root in fsys into dst,
// overwriting files that exist. Symbolic links are not followed.
func copyTree(fsys fs.FS, root, dst string) error {
	return fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := p
		if root != "." {
			rel = strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
		}
		target := filepath.Join(dst, filepath.FromSlash(rel))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

func isDir(p string) bool {
	if p == "" {
		return false
	}
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func cacheWarning(log io.Writer, err error) {
	if log != nil {
		fmt.Fprintf(log, "warning: page cache: %v (the pages are rendered)\n", err)
	}
}

package portal

import (
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/markdown"
	"github.com/clause-portal/clause/generator/subprocessors"
)

// Links between documents are written as links to source files, as on
// GitHub ("../terms/index.md#liability", "/legal/dpa.md", "privacy/"),
// and published as links to portal pages. On a past version's page a link
// goes to the version of the target that was in force on that version's
// date: a permanent link, as the archive is. Non-markdown files that
// documents link below the content folder (PDF annexes, images) are
// published at the same path.

// assetTypes are the kinds of file a document may link and the portal
// publishes beside it: annexes and images. Anything else in the repository
// (configuration, keys, scripts, SVG that could carry script) is never
// published, even when a document links it.
var assetTypes = map[string]bool{
	".pdf": true, ".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".avif": true,
	".txt": true, ".csv": true, ".odt": true, ".ods": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true,
}

// MaxAssetSize is the largest linked file (a PDF annex, an image) the
// portal publishes beside the documents.
const MaxAssetSize = 32 << 20

// linker resolves links of documents. It is built once per catalog.
type linker struct {
	c        *Catalog
	basePath string // the path of the base URL without its final slash ("" or "/legal")

	once    sync.Once
	byPath  map[string][]*Entry // project-relative path of any version → entries
	home    string              // project-relative path of the home page
	mu      sync.Mutex
	assets  map[string]string              // project-relative path → URL path, for linked files
	anchors map[*Version]map[string]string // GitHub anchor → clause anchor, per version
	current map[*Entry]map[string]string   // the same for the current file
}

// linkTarget is what a link destination refers to.
type linkTarget struct {
	entry   *Entry
	asset   string // URL path of a linked file
	home    bool
	missing string // project-relative path of a local file that is not there
	// unpublished is the project-relative path of a file that is there but
	// that the portal does not publish (not below the content folder, or
	// not an annex or image).
	unpublished string
	notDoc      string // project-relative path of a markdown file that is no document
	fragment    string
}

func (c *Catalog) linker() *linker {
	if c.links == nil {
		c.links = &linker{c: c, assets: map[string]string{}, anchors: map[*Version]map[string]string{}, current: map[*Entry]map[string]string{}}
	}
	return c.links
}

// SetBasePath sets the path of the portal's base URL ("https://x.io/legal/"
// → "/legal"), which links written into document bodies begin with.
func (c *Catalog) SetBasePath(baseURL string) {
	l := c.linker()
	if u, err := url.Parse(baseURL); err == nil && l.basePath != strings.TrimSuffix(u.Path, "/") {
		l.basePath = strings.TrimSuffix(u.Path, "/")
		// Blocks read before (by Load, for materiality) link without it.
		c.versionBlocks.reset()
	}
}

func (l *linker) index() {
	l.once.Do(func() {
		l.byPath = map[string][]*Entry{}
		add := func(p string, e *Entry) {
			for _, have := range l.byPath[p] {
				if have == e {
					return
				}
			}
			l.byPath[p] = append(l.byPath[p], e)
		}
		for _, e := range l.c.Entries {
			add(e.Doc.Path, e)
			for _, v := range e.Versions {
				add(l.c.repoRelative(v.Path), e)
			}
		}
		for p, es := range l.byPath {
			// The current document at a path before a retired one.
			sort.SliceStable(es, func(i, j int) bool { return !es[i].Retired && es[j].Retired })
			l.byPath[p] = es
		}
		if l.c.Home != nil {
			l.home = l.c.Home.Path
		}
	})
}

// webAddress matches a link that is a host name without a scheme
// ("example.com/privacy"), a common slip.
var webAddress = regexp.MustCompile(`^(?:www\.)?(?:[a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}(?:/|$)`)

// schemeOrAbsolute matches destinations that are not paths in the
// repository: URLs with a scheme ("https:", "mailto:") or a host ("//x").
var schemeOrAbsolute = regexp.MustCompile(`^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)`)

// target finds what dest, written in the file at src (project-relative),
// refers to. ok is false for destinations that are not links into the
// repository (URLs, fragments of the page itself).
func (l *linker) target(src, dest string) (t linkTarget, ok bool) {
	dest = strings.TrimSpace(dest)
	if dest == "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "?") || schemeOrAbsolute.MatchString(dest) {
		return t, false
	}
	p := dest
	if i := strings.IndexByte(p, '#'); i >= 0 {
		p, t.fragment = p[:i], p[i+1:]
	}
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if unescaped, err := url.PathUnescape(p); err == nil {
		p = unescaped
	}
	if p == "" || strings.ContainsRune(p, 0) || strings.Contains(p, "\\") {
		return t, false
	}
	l.index()
	dir := strings.TrimSuffix(p, "/") != p || path.Ext(p) == ""
	for _, base := range l.bases(src, p) {
		for _, cand := range candidates(base, dir) {
			if es := l.byPath[cand]; len(es) > 0 {
				t.entry = es[0]
				return t, true
			}
			if cand == l.home && l.home != "" {
				t.home = true
				return t, true
			}
		}
	}
	for _, base := range l.bases(src, p) {
		if u, found := l.asset(base); found {
			t.asset = u
			return t, true
		}
	}
	first := l.bases(src, p)
	if len(first) == 0 {
		return t, false // leaves the repository: not ours to judge
	}
	switch fi, err := os.Lstat(filepath.Join(l.c.root, filepath.FromSlash(first[0]))); {
	case isMarkdown(first[0]):
		t.notDoc = first[0]
	case err == nil && fi.Mode().IsRegular():
		t.unpublished = first[0]
	default:
		t.missing = first[0]
	}
	return t, true
}

// bases are the project-relative paths a link path may mean: relative to
// the linking file; or, written from the root ("/legal/dpa.md"), relative
// to the project, to the git repository and to the content folder. Paths
// that leave the project are dropped.
func (l *linker) bases(src, p string) []string {
	var out []string
	add := func(q string) {
		q = path.Clean(q)
		if q == ".." || strings.HasPrefix(q, "../") || q == "/" {
			return
		}
		out = append(out, strings.TrimPrefix(q, "./"))
	}
	if strings.HasPrefix(p, "/") {
		add("." + p)
		if l.c.repo != nil {
			add(l.c.repoRelative(strings.TrimPrefix(p, "/")))
		}
		if l.c.content != "" && l.c.content != "." {
			add(l.c.content + p)
		}
		return out
	}
	add(path.Join(path.Dir(src), p))
	return out
}

// candidates are the files a link to base may mean: the file itself, or
// for a folder or a name without extension its index.md, README.md,
// _index.md, or base.md.
func candidates(base string, dir bool) []string {
	out := []string{base}
	if dir {
		for _, name := range []string{"index.md", "README.md", "readme.md", "_index.md", "index.markdown"} {
			out = append(out, path.Join(base, name))
		}
		out = append(out, base+".md", base+".markdown")
	}
	return out
}

// asset publishes the linked file at p (project-relative) when it is a
// regular file below the content folder that the portal may publish, and
// returns its URL path.
func (l *linker) asset(p string) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if u, ok := l.assets[p]; ok {
		return u, u != ""
	}
	l.assets[p] = ""
	rc, ok := l.c.relToContent(p)
	if !ok || rc == "" || isMarkdown(rc) || hiddenPath(rc) || !assetTypes[strings.ToLower(path.Ext(rc))] {
		return "", false
	}
	segs := strings.Split(rc, "/")
	if isReserved(segs[0]) || idProblem(strings.ToLower(path.Dir(rc))) != "" && path.Dir(rc) != "." {
		return "", false
	}
	full := filepath.Join(l.c.root, filepath.FromSlash(p))
	fi, err := os.Lstat(full)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > MaxAssetSize || !insideRepository(l.c.root, full) {
		return "", false
	}
	u := "/" + rc
	l.assets[p] = u
	return u, true
}

// Assets returns the linked files to publish: project-relative path →
// URL path. Valid once every page that links them has been rendered.
func (c *Catalog) Assets() map[string]string {
	l := c.linker()
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]string{}
	for p, u := range l.assets {
		if u != "" {
			out[p] = u
		}
	}
	return out
}

// resolver returns the link resolver for the text of e at version v (nil
// for the current file). On a past version, links to documents go to the
// version of the target in force on the day v took effect; on the current
// page and in redlines (stable: nil), to the documents' pages.
func (l *linker) resolver(e *Entry, src string, at *Version, permanent bool) markdown.LinkResolver {
	var day document.Date
	if at != nil && permanent {
		day = at.TakesEffect(l.c.Config.Location)
	}
	self := -1 // the version of e being rendered, for its own fragments
	if at != nil && e != nil {
		for i, v := range e.Versions {
			if v == at {
				self = i
			}
		}
	}
	return func(dest string) (string, bool) {
		if strings.HasPrefix(dest, "#") {
			// A link within the document, written for GitHub's heading ids.
			if e == nil || len(dest) < 2 {
				return "", false
			}
			if id, ok := l.anchorMap(e, self)[dest[1:]]; ok {
				return "#" + id, true
			}
			return "", false
		}
		t, ok := l.target(src, dest)
		if !ok {
			return "", false
		}
		switch {
		case t.entry != nil:
			u, v := DocumentURL(t.entry.ID), -1
			if !day.IsZero() && t.entry != e {
				if v = versionOn(t.entry, day, l.c.Config.Location); v >= 0 {
					u = VersionURL(t.entry.ID, t.entry.Versions[v].ID)
				}
			}
			return l.href(u, l.fragment(t.entry, v, t.fragment)), true
		case t.home:
			return l.href("/", t.fragment), true
		case t.asset != "":
			return l.href(t.asset, ""), true
		case t.notDoc != "" || t.unpublished != "":
			return "", true // a file that is not published: keep the text, drop the link
		}
		return "", false
	}
}

func (l *linker) href(p, fragment string) string {
	u := escapePath(l.basePath + p)
	if fragment != "" {
		u += "#" + (&url.URL{Fragment: fragment}).EscapedFragment()
	}
	return u
}

// versionOn returns the index of the version of e in force on day, or -1
// when none was yet.
func versionOn(e *Entry, day document.Date, loc *time.Location) int {
	for i, v := range e.Versions {
		if !v.TakesEffect(loc).After(day) {
			return i
		}
	}
	return -1
}

// fragment maps a fragment written for GitHub-style heading ids
// ("#52-sub-processors") to the clause anchor Clause gives that heading
// ("clause-5-2"). Fragments that are anchors already, or unknown, stay.
func (l *linker) fragment(e *Entry, v int, frag string) string {
	if frag == "" {
		return ""
	}
	m := l.anchorMap(e, v)
	if id, ok := m[frag]; ok {
		return id
	}
	return frag
}

func (l *linker) anchorMap(e *Entry, v int) map[string]string {
	l.mu.Lock()
	var m map[string]string
	var ok bool
	if v < 0 {
		m, ok = l.current[e]
	} else {
		m, ok = l.anchors[e.Versions[v]]
	}
	l.mu.Unlock()
	if ok {
		return m
	}
	d := e.Doc
	if v >= 0 && !(v == 0 && !e.Uncommitted && !e.Retired) {
		if pd, err := l.c.ParseVersion(e, e.Versions[v]); err == nil {
			d = pd
		}
	}
	m = map[string]string{}
	if r, err := markdown.Render(d.Body); err == nil {
		ids := map[string]bool{}
		for _, h := range r.Headings {
			ids[h.ID] = true
		}
		seen := map[string]int{}
		for _, h := range r.Headings {
			gh := markdown.GitHubAnchor(h.Text)
			if n := seen[gh]; n > 0 {
				seen[gh]++
				gh = fmt.Sprintf("%s-%d", gh, n)
			} else {
				seen[gh] = 1
			}
			if gh != h.ID && !ids[gh] {
				m[gh] = h.ID
			}
		}
	}
	l.mu.Lock()
	if v < 0 {
		l.current[e] = m
	} else {
		l.anchors[e.Versions[v]] = m
	}
	l.mu.Unlock()
	return m
}

// LinkProblems reports the links of the current documents (and the home
// page) that do not lead to a page of the portal: to a markdown file that
// is not a published document, to a retired document, or to a local file
// that does not exist. They are warnings: the page still builds (a link to
// an unpublished markdown file loses its target, keeping its text).
func (c *Catalog) LinkProblems() []subprocessors.Problem {
	l := c.linker()
	var out []subprocessors.Problem
	docs := []*document.Document{}
	if c.Home != nil {
		docs = append(docs, c.Home)
	}
	for _, e := range c.Entries {
		if !e.Retired {
			docs = append(docs, e.Doc)
		}
	}
	for _, d := range docs {
		for _, lk := range markdown.Links(d.Body) {
			t, ok := l.target(d.Path, lk.Dest)
			if !ok {
				continue
			}
			line := 0
			if lk.Line > 0 {
				line = d.BodyLine + lk.Line - 1
			}
			var msg string
			switch {
			case t.entry != nil && t.entry.Retired:
				msg = fmt.Sprintf("links to %s, which is retired: the link goes to its retired page", lk.Dest)
			case t.notDoc != "":
				msg = fmt.Sprintf("links to %s, which is not a document of the portal (not published): the link is left out, its text kept", lk.Dest)
			case t.unpublished != "":
				msg = fmt.Sprintf("links to %s, which the portal does not publish (it publishes linked PDFs, images, text and office files below the content folder): the link is left out, its text kept", lk.Dest)
			case t.missing != "" && webAddress.MatchString(lk.Dest):
				msg = fmt.Sprintf("links to %s, which does not exist in the repository: for a web address write https://%s", lk.Dest, lk.Dest)
			case t.missing != "":
				msg = fmt.Sprintf("links to %s, which does not exist in the repository", lk.Dest)
			default:
				continue
			}
			out = append(out, subprocessors.Problem{Path: d.Path, Line: line, Severity: subprocessors.Warning, Msg: msg})
		}
	}
	return out
}

package site

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"strings"
	"time"
)

func hugoConfig(s *Site, langs []string, opts Options) map[string]any {
	lang := s.LanguageCode
	if lang == "" {
		lang = "en"
	}
	baseURL := s.BaseURL
	if baseURL == "" {
		baseURL = "/"
	}
	// Clause writes the sitemap itself (one for every language, with the
	// alternates of translations): Hugo's, one per language in
	// multilingual mode, would only be orphans.
	disabled := []string{"taxonomy", "term", "section", "rss", "sitemap"}
	if opts.Partial {
		disabled = append(disabled, "home", "404", "robotstxt")
	}
	cfg := map[string]any{
		"baseURL":    baseURL,
		"title":      s.Title,
		"locale":     lang,
		"theme":      "clause",
		"publishDir": opts.PublishDir,
		"timeZone":   location(s).String(),
		// Dates come from git and effective dates never hide a page: the
		// text in force stays published (Hugo's buildFuture trap).
		"buildFuture":                true,
		"buildExpired":               true,
		"buildDrafts":                false,
		"enableRobotsTXT":            !opts.Partial,
		"disableHugoGeneratorInject": true,
		"disableKinds":               disabled,
		"outputs": map[string]any{
			"home": []string{"html"},
			"page": []string{"html"},
		},
		"markup": map[string]any{
			"goldmark": map[string]any{"renderer": map[string]any{"unsafe": false}},
		},
		"params": map[string]any{"clause": s.Params},
		"security": map[string]any{
			// Content files are HTML that Clause rendered itself from the
			// markdown with raw HTML disabled; nothing else is content.
			"allowContent": []string{"^text/html$"},
			"exec":         map[string]any{"allow": []string{"^$"}},
			"http":         map[string]any{"urls": []string{"^$"}},
		},
	}
	if len(langs) > 1 {
		// Hugo's multilingual mode: every page is rendered in its
		// language's site, with its strings and date formats. URLs stay
		// as Clause sets them (front matter url is not prefixed).
		languages := map[string]any{}
		for i, l := range langs {
			languages[hugoLang(l)] = map[string]any{"weight": i + 1, "locale": l, "title": s.Title}
		}
		cfg["languages"] = languages
		cfg["defaultContentLanguage"] = hugoLang(lang)
		cfg["defaultContentLanguageInSubdir"] = false
		delete(cfg, "locale")
	} else {
		cfg["defaultContentLanguage"] = hugoLang(lang)
	}
	if isDir(opts.LayoutsDir) {
		cfg["layoutDir"] = opts.LayoutsDir
	}
	if isDir(opts.AssetsDir) {
		cfg["assetDir"] = opts.AssetsDir
	}
	return cfg
}

// siteLanguages are the site's languages, its default first, then the
// others in the order given and those of its pages, each once.
func siteLanguages(s *Site) []string {
	def := s.LanguageCode
	if def == "" {
		def = "en"
	}
	langs := []string{def}
	seen := map[string]bool{hugoLang(def): true}
	add := func(l string) {
		if l != "" && !seen[hugoLang(l)] {
			seen[hugoLang(l)] = true
			langs = append(langs, l)
		}
	}
	for _, l := range s.Languages {
		add(l)
	}
	for _, p := range s.Pages {
		if p != nil {
			add(pageLanguage(p))
		}
	}
	return langs
}

// pageLanguage is p.Language, else the language its parameters name
// (.Params.clause.language, as a document's pages have it).
func pageLanguage(p *Page) string {
	if p.Language != "" {
		return p.Language
	}
	l, _ := p.Params["language"].(string)
	return l
}

func location(s *Site) *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// checkURL refuses page paths that are not clean absolute paths ending in
// a slash, so no page can be written outside the output folder.
func checkURL(u string) error {
	if !strings.HasPrefix(u, "/") || !strings.HasSuffix(u, "/") || path.Clean(u)+"/" != u && u != "/" || strings.ContainsAny(u, "\\\x00?#%") {
		return fmt.Errorf("invalid page path %q", u)
	}
	return nil
}

// writeContent writes one Hugo content file per page: JSON front matter
// computed by Clause (never the user's front matter, so no user value can
// set Hugo's url, outputs, cascade or build options) and the body as HTML
// rendered by generator/markdown. With release, it drops each page from
// s.Pages once written.
// writeContent makes s's content files (below content/: Hugo reads them
// from memory) and returns them: with cached, a page the cache holds is
// copied into the output instead.
//
// Large HTML goes round Hugo (see Deferred): df gives it placeholders, and
// writeContent returns the pages whose output holds them.
func writeContent(s *Site, release bool, cached *cacheRun, df *deferrer) ([]ContentFile, []*deferredPage, error) {
	loc := location(s)
	defaultLang := siteLanguages(s)[0]
	var files []ContentFile
	if s.HomeHTML != nil {
		b, err := json.MarshalIndent(map[string]any{"title": s.Title}, "", "  ")
		if err != nil {
			return nil, nil, err
		}
		files = append(files, ContentFile{Path: "content/_index.html", Parts: [][]byte{b, {'\n'}, s.HomeHTML}})
	}
	var deferred []*deferredPage
	for i, p := range s.Pages {
		if err := checkURL(p.URL); err != nil {
			return nil, nil, err
		}
		fm := map[string]any{
			"title":  p.Title,
			"url":    p.URL,
			"params": map[string]any{"clause": p.Params},
		}
		if p.Layout != "" {
			fm["layout"] = p.Layout
		}
		if !p.Date.IsZero() {
			fm["date"] = p.Date.In(loc).Format(time.RFC3339)
			fm["lastmod"] = p.Date.In(loc).Format(time.RFC3339)
		}
		if len(p.Aliases) > 0 && !p.ListOnly {
			fm["aliases"] = p.Aliases
		}
		if p.ListOnly {
			// In the collections, with its URL; rendered by another
			// build.
			fm["build"] = map[string]any{"render": "link", "list": "always"}
		}
		// A lazy body is read now only where it goes round Hugo (a
		// large one) or no cache could spare it.
		if p.HTML == nil && p.Lazy != nil && (cached == nil || p.Lazy.Size >= DeferBody) {
			var err error
			if p.HTML, err = p.load(); err != nil {
				return nil, nil, err
			}
		}
		html, dp := df.prepare(p)
		// The language in the file name places the page in its
		// language's site (Hugo's translation by file name).
		suffix := ""
		if l := pageLanguage(p); l != "" && hugoLang(l) != hugoLang(defaultLang) {
			suffix = "." + hugoLang(l)
		}
		// The JSON of the front matter is written for Hugo only: the
		// page cache looks a page up by a digest of it (which covers
		// deferred HTML by its sum, not by its placeholder).
		var b []byte
		var err error
		if cached != nil {
			sum, err := frontMatterDigest(fm)
			if err != nil {
				return nil, nil, err
			}
			if cached.restore(p, suffix, sum[:], html, dp) {
				if release {
					s.Pages[i] = nil
				}
				continue
			}
		}
		if b == nil {
			// Not indented, and the body not appended to the front
			// matter: a large register's page has tens of megabytes of
			// both.
			if b, err = json.Marshal(fm); err != nil {
				return nil, nil, err
			}
		}
		if html == nil && p.Lazy != nil {
			var err error
			if html, err = p.load(); err != nil {
				return nil, nil, err
			}
		}
		files = append(files, ContentFile{Path: fmt.Sprintf("content/pages/%06d%s.html", i, suffix), Parts: [][]byte{b, {'\n'}, html}})
		if dp != nil {
			if release {
				// Kept in a file until Hugo has written the page.
				if err := dp.keep(df); err != nil {
					return nil, nil, err
				}
			}
			deferred = append(deferred, dp)
		}
		if release {
			// Its content file is all Hugo reads of it: its parameters
			// need not stay in memory while Hugo renders it.
			s.Pages[i] = nil
		}
	}
	return files, deferred, nil
}

func writeJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(name, b, 0o644)
}

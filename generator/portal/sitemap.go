package portal

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// maxSitemapURLs is the sitemaps.org limit of URLs in one file.
const maxSitemapURLs = 50000

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
	// Alternates are the page's translations, itself included, in the form
	// search engines read from sitemaps (xhtml:link, hreflang).
	Alternates []xhtmlLink `xml:"xhtml:link,omitempty"`
}

// xhtmlLink is an <xhtml:link rel="alternate" hreflang="…" href="…"/>.
type xhtmlLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// xhtmlNS is the namespace of the xhtml prefix of sitemap alternates.
const xhtmlNS = "http://www.w3.org/1999/xhtml"

type urlset struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	// XHTML declares the xhtml prefix when some URL has alternates.
	XHTML string       `xml:"xmlns:xhtml,attr,omitempty"`
	URLs  []sitemapURL `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// writeSitemap replaces Hugo's sitemap (which knows only the pages of the
// first of the builds) with one that lists every document, changelog and
// archived version: the index, the site changelog, and for each document
// its page, its changelog and its versions. Redlines are left out: they
// are derived pages, reachable from the versions. Past 50,000 URLs the
// sitemap is split and sitemap.xml becomes an index.
func writeSitemap(stage string, c *Catalog, base string) error {
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	urls := []sitemapURL{{Loc: absURL(base, "/"), LastMod: stamp(c.Stamp())}}
	hasHistory := false
	for _, e := range c.Entries {
		var last time.Time
		if len(e.Versions) > 0 {
			last = e.Versions[0].Date
			hasHistory = true
		} else {
			last = e.ModTime
		}
		page := sitemapURL{Loc: absURL(base, DocumentURL(e.ID)), LastMod: stamp(last)}
		if len(e.Translations) > 0 {
			page.Alternates = append(page.Alternates, xhtmlLink{Rel: "alternate", Hreflang: e.Language, Href: page.Loc})
			for _, t := range e.Translations {
				page.Alternates = append(page.Alternates, xhtmlLink{Rel: "alternate", Hreflang: t.Language, Href: absURL(base, DocumentURL(t.ID))})
			}
		}
		urls = append(urls, page)
		if len(e.Versions) > 0 {
			urls = append(urls, sitemapURL{Loc: absURL(base, VersionsURL(e.ID)), LastMod: stamp(last)})
		}
		for _, v := range e.Versions {
			urls = append(urls, sitemapURL{Loc: absURL(base, VersionURL(e.ID, v.ID)), LastMod: stamp(v.Date)})
		}
	}
	if hasHistory {
		urls = append(urls, sitemapURL{Loc: absURL(base, "/changelog/"), LastMod: stamp(c.Stamp())})
	}
	// A multilingual portal's index and changelog of each language, each
	// the other's alternates.
	if langs := c.Languages(); len(langs) > 1 {
		group := func(urlOf func(string) string, langs []string) {
			var alts []xhtmlLink
			for _, l := range langs {
				alts = append(alts, xhtmlLink{Rel: "alternate", Hreflang: l, Href: absURL(base, urlOf(l))})
			}
			for i, l := range langs {
				if i == 0 && urlOf(l) == "/" {
					urls[0].Alternates = alts // the index is listed first
					continue
				}
				urls = append(urls, sitemapURL{Loc: absURL(base, urlOf(l)), LastMod: stamp(c.Stamp()), Alternates: alts})
			}
		}
		group(func(l string) string { return LanguageIndexURL(l, langs[0]) }, langs)
		if withHistory := c.languagesWithHistory(); len(withHistory) > 0 {
			group(LanguageChangelogURL, withHistory)
		}
	}
	write := func(name string, v any) error {
		b, err := xml.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(stage, name), append([]byte(xml.Header), append(b, '\n')...), 0o644)
	}
	set := func(urls []sitemapURL) urlset {
		u := urlset{URLs: urls}
		for _, x := range urls {
			if len(x.Alternates) > 0 {
				u.XHTML = xhtmlNS
				break
			}
		}
		return u
	}
	if len(urls) <= maxSitemapURLs {
		return write("sitemap.xml", set(urls))
	}
	var index sitemapIndex
	for n, start := 1, 0; start < len(urls); n, start = n+1, start+maxSitemapURLs {
		name := fmt.Sprintf("sitemap-%d.xml", n)
		if err := write(name, set(urls[start:min(start+maxSitemapURLs, len(urls))])); err != nil {
			return err
		}
		index.Sitemaps = append(index.Sitemaps, sitemapURL{Loc: absURL(base, "/"+name), LastMod: stamp(c.Stamp())})
	}
	return write("sitemap.xml", index)
}

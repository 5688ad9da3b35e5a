package portal

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"golang.org/x/text/language"

	"github.com/clause-portal/clause/generator/document"
)

// languageFolder matches the names that may be a language: an ISO 639-1
// code (two letters; three-letter codes such as "api", "new" or "tos" are
// too often ordinary folder names), an optional script and an optional
// region ("de", "zh-Hans", "pt-BR", "es_ES").
var languageFolder = regexp.MustCompile(`^[A-Za-z]{2}(?:[-_][A-Za-z]{4})?(?:[-_](?:[A-Za-z]{2}|[0-9]{3}))?$`)

// languageTag returns the BCP 47 tag a folder or file-name part names
// ("pt_br" → "pt-BR"), or "" when it is not a known language.
func languageTag(s string) string {
	if !languageFolder.MatchString(s) {
		return ""
	}
	tag, err := language.Parse(strings.ReplaceAll(s, "_", "-"))
	if err != nil {
		return ""
	}
	return tag.String()
}

// langLayout is how a repository lays out its translations, as Hugo reads
// them: one first-level folder of the content per language ("en/privacy.md",
// "de/privacy.md": translation by content directory), or a language in
// the file name ("privacy.md", "privacy.de.md": translation by file name).
type langLayout struct {
	content    string          // the content folder, relative to the repository ("." or "content")
	folders    map[string]bool // the first-level folders that are languages
	plain      map[string]bool // keys (paths below the content, lower-case, no extension) of files named without a language
	translated map[string]bool // keys of the documents with file-name translations ("privacy" of "privacy.de.md")
}

// rel returns the path of d below the content folder.
func (l *langLayout) rel(d *document.Document) string {
	if l.content == "." || l.content == "" {
		return d.Path
	}
	return strings.TrimPrefix(d.Path, l.content+"/")
}

// newLangLayout finds the language folders of the content: first-level
// folders named by a language tag, when there are at least two of them, or
// one whose documents translate documents outside it (so that a folder
// "it/" of IT policies, alone, is not read as Italian). It also finds the
// file-name translations: "privacy.de.md" beside "privacy.md", or beside
// another translation of it ("privacy.fr.md").
func newLangLayout(docs []*document.Document, content string) *langLayout {
	l := &langLayout{content: content, folders: map[string]bool{}, plain: map[string]bool{}, translated: map[string]bool{}}
	candidates := map[string]bool{}
	named := map[string]int{}
	for _, d := range docs {
		rel := l.rel(d)
		if first, _, nested := strings.Cut(rel, "/"); nested && languageTag(first) != "" {
			candidates[first] = true
		}
		key := strings.ToLower(stripExt(rel))
		if name, suffix, ok := cutLast(key, "."); ok && languageTag(suffix) != "" {
			named[name]++
		} else {
			l.plain[key] = true
		}
	}
	for name, n := range named {
		if l.plain[name] || n >= 2 {
			l.translated[name] = true
		}
	}
	switch {
	case len(candidates) >= 2:
		l.folders = candidates
	case len(candidates) == 1:
		for _, d := range docs {
			first, rest, nested := strings.Cut(l.rel(d), "/")
			if nested && candidates[first] && l.plain[strings.ToLower(stripExt(rest))] {
				l.folders[first] = true
			}
		}
	}
	return l
}

func stripExt(p string) string { return strings.TrimSuffix(p, path.Ext(p)) }

// assign gives d the language and translation key its place in the
// layout says, where its front matter gives none: the language folder it
// is in, and its path below that folder; or the language of its file
// name, and that name without it. A document outside the language folders
// is keyed by its path when the repository has language folders, or when
// it has file-name translations, so that the default language's
// "privacy.md" pairs with "de/privacy.md" or "privacy.de.md".
func (l *langLayout) assign(d *document.Document) {
	rel := l.rel(d)
	lang, key := "", strings.ToLower(stripExt(rel))
	if first, rest, nested := strings.Cut(rel, "/"); nested && l.folders[first] {
		lang, key = languageTag(first), strings.ToLower(stripExt(rest))
	}
	if name, suffix, ok := cutLast(key, "."); ok && l.translated[name] {
		if tag := languageTag(suffix); tag != "" {
			lang, key = tag, name
		}
	}
	if d.Language == "" {
		d.Language = lang
	}
	if d.TranslationKey == "" && (lang != "" || len(l.folders) > 0 || l.translated[key]) {
		d.TranslationKey = key
	}
}

// cutLast cuts s around the last sep of its last path segment.
func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 || strings.Contains(s[i+1:], "/") {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

// defaultLanguage returns the portal's default language: the configured
// one when clause.toml sets it, or when some documents have no language
// (they are in the default language, which nothing else tells); else the
// language most documents are in ("en" on a tie that includes it, else
// the first in alphabetical order).
func defaultLanguage(docs []*document.Document, configured string, isSet bool) string {
	count := map[string]int{}
	for _, d := range docs {
		if d.Language == "" {
			return configured
		}
		count[d.Language]++
	}
	if isSet || len(count) == 0 {
		return configured
	}
	best := ""
	for lang, n := range count {
		switch {
		case best == "", n > count[best]:
			best = lang
		case n == count[best] && best != "en" && (lang == "en" || lang < best):
			best = lang
		}
	}
	return best
}

// inLanguageFolder reports whether e's file is in a language folder other
// than the default language's.
func (l *langLayout) inLanguageFolder(e *Entry) bool {
	first, _, nested := strings.Cut(l.rel(e.Doc), "/")
	return nested && l.folders[first]
}

// ErrLanguagePage is the error of a document whose URL is one of the
// pages a multilingual portal writes for each language: its index
// (/de/), changelog (/de/changelog/) or feeds (/de/feed.atom).
var ErrLanguagePage = errors.New("the URL of a language's own page")

// LanguageIndexURL is the path of the index page of lang, one of the
// portal's languages: "/" for the default language def, "/de/" for
// German, as Hugo's multilingual mode writes them.
func LanguageIndexURL(lang, def string) string {
	if strings.EqualFold(lang, def) {
		return "/"
	}
	return "/" + strings.ToLower(lang) + "/"
}

// LanguageChangelogURL is the path of the changelog of the documents in
// lang ("/de/changelog/"); the site changelog (/changelog/) lists every
// language.
func LanguageChangelogURL(lang string) string {
	return "/" + strings.ToLower(lang) + "/changelog/"
}

// LanguageFeedURLs are the paths of the Atom and JSON feeds of the
// documents in lang ("/de/feed.atom", "/de/feed.json").
func LanguageFeedURLs(lang string) (atom, json string) {
	l := "/" + strings.ToLower(lang)
	return l + SiteFeedAtom, l + SiteFeedJSON
}

// languagePages are the document IDs the pages of lang take in a
// multilingual portal.
func languagePages(lang string) []string {
	l := strings.ToLower(lang)
	atom, json := LanguageFeedURLs(l)
	return []string{l, strings.TrimPrefix(strings.TrimSuffix(LanguageChangelogURL(l), "/"), "/"), atom[1:], json[1:]}
}

// portalLanguages are the languages of docs (def, the default, first),
// each once, compared case-insensitively.
func portalLanguages(docs []*document.Document, def string) []string {
	langs := []string{def}
	seen := map[string]bool{strings.ToLower(def): true}
	for _, d := range docs {
		if l := strings.ToLower(d.Language); l != "" && !seen[l] {
			seen[l] = true
			langs = append(langs, d.Language)
		}
	}
	return langs
}

// checkLanguagePages reports, in a portal with more than one language,
// each document whose URL is a page the portal writes for a language
// (ErrLanguagePage): content/de.md would replace the German index.
func checkLanguagePages(docs []*document.Document, def string) document.Errors {
	langs := portalLanguages(docs, def)
	if len(langs) < 2 {
		return nil
	}
	taken := map[string]string{}
	for _, l := range langs {
		for _, id := range languagePages(l) {
			taken[id] = l
		}
	}
	var errs document.Errors
	for _, d := range docs {
		id := strings.ToLower(d.ID)
		if l, ok := taken[id]; ok {
			line := 1 // the file's name gives the URL, or its slug
			if d.SlugKey != "" {
				line = max(d.FieldLine(d.SlugKey), 1)
			}
			errs = append(errs, &document.Error{Path: d.Path, Line: line, Err: ErrLanguagePage,
				Msg: fmt.Sprintf("would take the URL /%s/, which the portal writes for its documents in %s (%s); rename the file or set its slug", id, LanguageName(l), l)})
		}
	}
	return errs
}

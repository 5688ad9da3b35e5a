package portal

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/clause-portal/clause/generator/site"
	"github.com/clause-portal/clause/generator/subprocessors"
)

// TranslatedFromTrailer is the commit trailer that names the commit of the
// source document a translation was made from ("Translated-From: 1a2b3c4").
const TranslatedFromTrailer = "Translated-From"

// Lag is where a translation stands against its source document: the
// document of the same translationKey in the portal's default language.
type Lag struct {
	// Source is the document translated.
	Source *Entry
	// Reflects is the index in Source.Versions of the version the
	// translation reflects: the one named by its `source_version:` front
	// matter or a Translated-From trailer, else the newest one published
	// when the translation was last changed; -1 when unknown (no history).
	Reflects int
	// OutdatedSince is the index of the oldest material version of the
	// source published after Reflects, or -1 when the translation is up to
	// date: the change the translation does not reflect yet.
	OutdatedSince int
}

// Outdated reports whether the source has had a material version since
// the one the translation reflects.
func (l *Lag) Outdated() bool { return l != nil && l.OutdatedSince >= 0 }

// Binding is the language whose text of e's document is legally binding:
// the language of the translation (e included) with `binding: true`, else
// clause.toml's binding_language when a translation is in it; "" when
// none is named.
func (c *Catalog) Binding(e *Entry) string {
	group := append([]*Entry{e}, e.Translations...)
	for _, t := range group {
		if b, ok := t.Doc.Params["binding"].(bool); ok && b {
			return t.Language
		}
	}
	if bl := c.Config.BindingLanguage; bl != "" {
		for _, t := range group {
			if strings.EqualFold(t.Language, bl) {
				return t.Language
			}
		}
	}
	return ""
}

// SourceOf returns the document e translates (the translation in the
// default language), or nil when e is in the default language or has no
// translation in it.
func (c *Catalog) SourceOf(e *Entry) *Entry {
	if strings.EqualFold(e.Language, c.Config.Language) {
		return nil
	}
	for _, t := range e.Translations {
		if strings.EqualFold(t.Language, c.Config.Language) {
			return t
		}
	}
	return nil
}

// Lag returns where translation e stands against its source, or nil when
// e is not a translation.
func (c *Catalog) Lag(e *Entry) *Lag {
	src := c.SourceOf(e)
	if src == nil {
		return nil
	}
	l := &Lag{Source: src, Reflects: -1, OutdatedSince: -1}
	if len(src.Versions) == 0 {
		return l
	}
	l.Reflects = reflectedVersion(e, src)
	if l.Reflects < 0 {
		return l
	}
	for i := l.Reflects - 1; i >= 0; i-- {
		if src.Versions[i].Material {
			l.OutdatedSince = i
			break
		}
	}
	return l
}

// reflectedVersion is the index of the version of src that translation e
// reflects, or -1.
func reflectedVersion(e, src *Entry) int {
	named := ""
	if s, ok := e.Doc.Params["source_version"]; ok {
		named = strings.TrimSpace(fmt.Sprint(s))
	} else if len(e.Versions) > 0 {
		if vals := e.Versions[0].Trailers[TranslatedFromTrailer]; len(vals) > 0 {
			named = strings.TrimSpace(vals[len(vals)-1])
		}
	}
	if named != "" {
		if i := findVersion(src, named); i >= 0 {
			return i
		}
	}
	if len(e.Versions) == 0 {
		return 0 // not committed yet: made from the current text
	}
	changed := e.Versions[0].Date
	for i, v := range src.Versions {
		if !v.Date.After(changed) {
			return i
		}
	}
	return len(src.Versions) - 1
}

// findVersion finds the version of e named by its ID or by (a prefix of
// at least 7 digits of) its commit.
func findVersion(e *Entry, name string) int {
	name = strings.ToLower(name)
	for i, v := range e.Versions {
		if v.ID == name || len(name) >= 7 && strings.HasPrefix(v.Commit, name) {
			return i
		}
	}
	return -1
}

// TranslationProblems are clause check's warnings about translations: a
// translation whose source has had a material version it does not reflect
// (with how long ago), and a file in a language folder with no
// counterpart in the default language.
func (c *Catalog) TranslationProblems() []subprocessors.Problem {
	var out []subprocessors.Problem
	for _, e := range c.Entries {
		if e.Retired || strings.EqualFold(e.Language, c.Config.Language) {
			continue
		}
		if l := c.Lag(e); l.Outdated() {
			v := l.Source.Versions[l.OutdatedSince]
			days := int(c.Now.Sub(v.Date) / (24 * time.Hour))
			out = append(out, subprocessors.Problem{Path: e.Doc.Path, Line: 1, Severity: subprocessors.Warning,
				Msg: fmt.Sprintf("translation outdated: %s changed on %s (%s, %s ago) and this %s translation does not reflect it yet; update it, or name the version it reflects with `source_version:` or a %s: trailer",
					l.Source.Doc.Path, v.Date.In(c.Config.Location).Format("2006-01-02"), v.Subject, plural(days, "day"), e.Language, TranslatedFromTrailer)})
			continue
		}
		if c.langs != nil && c.SourceOf(e) == nil && c.langs.inLanguageFolder(e) {
			out = append(out, subprocessors.Problem{Path: e.Doc.Path, Line: 1, Severity: subprocessors.Warning,
				Msg: fmt.Sprintf("%s has no counterpart in the default language (%s): a translation is expected at the same path in its folder; it is published on its own", e.Doc.Path, c.Config.Language)})
		}
	}
	return out
}

// plural is "1 day", "3 days".
func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// Languages are the languages of the portal's documents, the default
// first.
func (c *Catalog) Languages() []string {
	langs := []string{c.Config.Language}
	seen := map[string]bool{strings.ToLower(c.Config.Language): true}
	for _, e := range c.Entries {
		if l := strings.ToLower(e.Language); l != "" && !seen[l] {
			seen[l] = true
			langs = append(langs, e.Language)
		}
	}
	return langs
}

// languagesWithHistory are the languages of a multilingual portal whose
// documents have versions (each has its changelog), the default first;
// none for a portal in one language.
func (c *Catalog) languagesWithHistory() []string {
	all := c.Languages()
	if len(all) < 2 {
		return nil
	}
	var out []string
	for _, l := range all {
		for _, e := range c.Entries {
			if strings.EqualFold(e.Language, l) && len(e.Versions) > 0 {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// I18nDir is the repository's folder of translations of the theme's
// strings.
func (c *Catalog) I18nDir() string { return filepath.Join(c.root, "i18n") }

// StringProblems are clause check's warnings about the theme's strings: a
// warning per string and language in use that neither the theme nor the
// repository's i18n folder translates (its pages show it in English), an
// error for an i18n file that cannot be read.
func (c *Catalog) StringProblems() []subprocessors.Problem {
	missing, err := site.MissingStrings(c.Languages(), c.I18nDir())
	if err != nil {
		return []subprocessors.Problem{{Path: "i18n", Severity: subprocessors.Error, Msg: err.Error()}}
	}
	var out []subprocessors.Problem
	for _, lang := range c.Languages() {
		for _, id := range missing[lang] {
			out = append(out, subprocessors.Problem{Path: "i18n/" + lang + ".toml", Severity: subprocessors.Warning,
				Msg: fmt.Sprintf("the theme's string %q has no %s translation: pages in %s show it in English (add it to i18n/%s.toml)", id, lang, lang, lang)})
		}
	}
	return out
}

package site

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"golang.org/x/text/language"

	"github.com/clause-portal/clause"
)

// FallbackLanguage is the language of the strings a bundle lacks: the
// theme's English bundle is complete, every other falls back to it.
const FallbackLanguage = "en"

// pluralForms are the CLDR plural categories a bundle's message may have.
var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

// bundle is one i18n file: message IDs to a string or a table of plural
// forms ("one", "other"…), as Hugo reads them.
type bundle map[string]any

// readBundle reads the i18n file of lang in dir of fsys, or nil when
// there is none.
func readBundle(fsys fs.FS, dir, lang string) (bundle, string, error) {
	for _, name := range bundleNames(lang) {
		p := path.Join(dir, name+".toml")
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			continue
		}
		var m bundle
		if _, err := toml.NewDecoder(bytes.NewReader(b)).Decode(&m); err != nil {
			return nil, "", fmt.Errorf("%s: %w", p, err)
		}
		return m, p, nil
	}
	return nil, "", nil
}

// bundleNames are the file names that may hold lang's strings, the most
// specific first: "pt-BR", then "pt"; "zh-TW" (Traditional Chinese), then
// "zh-Hant", never "zh-Hans". File names are matched case-insensitively by
// trying the tag's own spelling and its lower-case form.
func bundleNames(lang string) []string {
	tag, err := language.Parse(lang)
	if err != nil {
		return []string{lang, strings.ToLower(lang)}
	}
	base, _ := tag.Base()
	script, _ := tag.Script()
	var names []string
	add := func(s string) {
		for _, n := range names {
			if n == s {
				return
			}
		}
		names = append(names, s)
	}
	add(tag.String())
	add(strings.ToLower(tag.String()))
	add(base.String() + "-" + script.String())
	add(strings.ToLower(base.String() + "-" + script.String()))
	// The bare language only when its usual script is the tag's: "zh"
	// files are read for "zh-CN" but not for "zh-TW".
	if s, _ := language.Make(base.String()).Script(); s == script {
		add(base.String())
	}
	return names
}

// Strings returns the theme's strings for lang: the user's i18n folder
// (userDir; "" or missing for none) over the theme's bundle for lang,
// over the theme's English bundle for what both lack. Missing lists the
// message IDs that came from the English bundle, sorted.
func Strings(lang, userDir string) (strs map[string]any, missing []string, err error) {
	theme := clause.Theme()
	en, _, err := readBundle(theme, "i18n", FallbackLanguage)
	if err != nil {
		return nil, nil, err
	}
	own, _, err := readBundle(theme, "i18n", lang)
	if err != nil {
		return nil, nil, err
	}
	var user bundle
	if isDir(userDir) {
		if user, _, err = readBundle(os.DirFS(userDir), ".", lang); err != nil {
			return nil, nil, fmt.Errorf("i18n: %w", err)
		}
	}
	strs = map[string]any{}
	for id, msg := range en {
		switch {
		case user[id] != nil:
			strs[id] = user[id]
		case own[id] != nil:
			strs[id] = own[id]
		default:
			strs[id] = fillPlurals(msg)
			if !isEnglish(lang) {
				missing = append(missing, id)
			}
		}
	}
	for id, msg := range user {
		if strs[id] == nil {
			strs[id] = msg
		}
	}
	sort.Strings(missing)
	return strs, missing, nil
}

// isEnglish reports whether lang is a variety of English, which the
// English bundle serves in full.
func isEnglish(lang string) bool {
	base, _ := language.Make(lang).Base()
	return base.String() == "en"
}

// fillPlurals gives an English plural message every plural form, each
// missing one as its "other": a language with "few" and "many" forms
// (Polish, Czech) then reads the English fallback without an error.
func fillPlurals(msg any) any {
	t, ok := msg.(map[string]any)
	if !ok || t["other"] == nil {
		return msg
	}
	out := map[string]any{}
	for k, v := range t {
		out[k] = v
	}
	for _, f := range pluralForms {
		if out[f] == nil {
			out[f] = t["other"]
		}
	}
	return out
}

// MissingStrings returns, for each of langs, the message IDs of the
// theme's English bundle that neither the theme's bundle for that
// language nor the user's i18n folder translates: what its pages show in
// English. Languages with nothing missing are left out.
func MissingStrings(langs []string, userDir string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, lang := range langs {
		_, missing, err := Strings(lang, userDir)
		if err != nil {
			return nil, err
		}
		if len(missing) > 0 {
			out[lang] = missing
		}
	}
	return out, nil
}

// hugoLang is Hugo's key for a language: the tag in lower case, as Hugo
// lower-cases its configuration keys ("zh-hans").
func hugoLang(tag string) string { return strings.ToLower(tag) }

// stringsFile is the complete bundle of lang's strings Build writes as
// i18n/LANG.toml: the theme's, the user's in userDir, English for what
// they lack.
func stringsFile(lang, userDir string) ([]byte, error) {
	strs, _, err := Strings(lang, userDir)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(strs); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

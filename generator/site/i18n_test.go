package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause"
)

// TestMultilingualPagesUseTheirLanguage builds a site with an English and
// a German page in Hugo's multilingual mode: each page keeps the URL
// Clause gave it and shows the theme's strings, plural forms and dates in
// its own language.
func TestMultilingualPagesUseTheirLanguage(t *testing.T) {
	date := time.Date(2026, 3, 23, 10, 0, 0, 0, time.UTC)
	page := func(url, lang string, versions int) *Page {
		return &Page{URL: url, Language: lang, Title: "Cookies", Date: date, HTML: []byte("<p>Text.</p>"),
			Params: map[string]any{"title": "Cookies", "kind": "cookies", "language": lang, "versions": versions, "versions_url": url + "versions/",
				"updated": map[string]any{"datetime": date.Format(time.RFC3339), "display": "23 March 2026"}}}
	}
	s := &Site{Title: "Legal", BaseURL: "/", LanguageCode: "en", Location: time.UTC, Params: map[string]any{},
		Pages: []*Page{page("/cookies/", "en", 1), page("/de/cookies/", "de", 3), page("/ja/cookies/", "ja", 2)}}
	out := filepath.Join(t.TempDir(), "public")
	if err := Build(s, Options{PublishDir: out, WorkDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file string
		want []string
	}{
		{"cookies/index.html", []string{`<html lang="en">`, "Skip to content", "Last updated", "23 March 2026", "1 version<"}},
		{"de/cookies/index.html", []string{`<html lang="de">`, "Zum Inhalt springen", "Zuletzt aktualisiert", "23. März 2026", "3 Fassungen<"}},
		{"ja/cookies/index.html", []string{`<html lang="ja">`, "最終更新日", "2026年3月23日"}},
	} {
		b, err := os.ReadFile(filepath.Join(out, c.file))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s lacks %q:\n%s", c.file, w, b)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(out, "de", "de", "cookies", "index.html")); err == nil {
		t.Error("Hugo prefixed the German page's URL with its language")
	}
}

// TestStringsFallBackToEnglish checks that a language the theme has no
// bundle for gets the English strings, each named as missing, and that a
// user's bundle overrides the theme's.
func TestStringsFallBackToEnglish(t *testing.T) {
	strs, missing, err := Strings("eo", "")
	if err != nil {
		t.Fatal(err)
	}
	if strs["last_updated"] != "Last updated" || len(missing) == 0 {
		t.Errorf("Esperanto: last_updated = %v, %d missing", strs["last_updated"], len(missing))
	}
	if _, missing, _ := Strings("de", ""); len(missing) != 0 {
		t.Errorf("the German bundle lacks %v", missing)
	}
	user := t.TempDir()
	if err := os.WriteFile(filepath.Join(user, "de.toml"), []byte(`last_updated = "Stand"`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if strs, _, _ := Strings("de", user); strs["last_updated"] != "Stand" {
		t.Errorf("user override: last_updated = %v", strs["last_updated"])
	}
	if strs, _, _ := Strings("pt-BR", ""); strs["last_updated"] == "Last updated" {
		t.Error("pt-BR does not read the Portuguese bundle")
	}
}

// TestLocalizer: Go code reads the strings Hugo's templates do, in the
// language's plural forms and date format, with the user's i18n folder
// over the theme's bundles and English for what a bundle lacks.
func TestLocalizer(t *testing.T) {
	user := t.TempDir()
	if err := os.WriteFile(filepath.Join(user, "de.toml"), []byte("changes_to = \"Was sich an {{ .Title }} änderte\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		lang, got, want string
	}{}
	for _, c := range []struct {
		lang                       string
		one, few, many, date, user string
	}{
		{"en", "1 version", "3 versions", "5 versions", "23 November 2026", "Changes to AVV"},
		{"de", "1 Fassung", "3 Fassungen", "5 Fassungen", "23. November 2026", "Was sich an AVV änderte"},
		{"pl", "1 wersja", "3 wersje", "5 wersji", "23 listopada 2026", "Zmiany w dokumencie AVV"},
		{"fr", "1 version", "3 versions", "5 versions", "23 novembre 2026", "Modifications de AVV"},
		{"ja", "1版", "3版", "5版", "2026年11月23日", ""},
	} {
		l, err := NewLocalizer(c.lang, user)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases,
			struct{ lang, got, want string }{c.lang, l.N("versions_count", 1, nil), c.one},
			struct{ lang, got, want string }{c.lang, l.N("versions_count", 3, nil), c.few},
			struct{ lang, got, want string }{c.lang, l.N("versions_count", 5, nil), c.many},
			struct{ lang, got, want string }{c.lang, l.Date(day), c.date})
		if c.user != "" {
			cases = append(cases, struct{ lang, got, want string }{c.lang, l.T("changes_to", map[string]any{"Title": "AVV"}), c.user})
		}
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.lang, c.got, c.want)
		}
	}
}

// TestShippedBundlesAreComplete: every bundle the theme ships translates
// every string of the English one, none empty, and gives each plural
// message the forms CLDR's rules use for its language (Polish and Czech
// "few", "many"…), so that no page in these languages falls back to
// English.
func TestShippedBundlesAreComplete(t *testing.T) {
	for _, lang := range []string{"de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "fi", "cs", "ja", "zh-Hans"} {
		own, _, err := readBundle(clause.Theme(), "i18n", lang)
		if err != nil || own == nil {
			t.Fatalf("%s: %v", lang, err)
		}
		_, missing, err := Strings(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(missing) > 0 {
			t.Errorf("%s lacks %v", lang, missing)
		}
		l, err := NewLocalizer(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		for id, msg := range own {
			if msg == "" {
				t.Errorf("%s: %s is empty", lang, id)
			}
			forms, ok := msg.(map[string]any)
			if !ok {
				continue
			}
			for n := 0; n <= 110; n++ {
				if form := pluralForm(l.tag, n); forms[form] == nil {
					t.Errorf("%s: %s has no %q form (for %d)", lang, id, form, n)
				}
				if got := l.N(id, n, nil); got == "" || strings.Contains(got, "{{") {
					t.Errorf("%s: %s for %d is %q", lang, id, n, got)
				}
			}
			if forms["other"] == nil {
				t.Errorf("%s: %s has no other form", lang, id)
			}
		}
	}
}

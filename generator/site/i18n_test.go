package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

package portal

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

// languagesOf loads the repository without git and returns, per document
// ID, its language and the IDs of its translations, and the portal's
// default language.
func languagesOf(t *testing.T, dir string) (map[string]string, string) {
	t.Helper()
	c, err := Load(context.Background(), LoadOptions{Repo: dir, NoGit: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	out := map[string]string{}
	for _, e := range c.Entries {
		var tr []string
		for _, o := range e.Translations {
			tr = append(tr, o.ID)
		}
		sort.Strings(tr)
		out[e.ID] = e.Language + " [" + strings.Join(tr, " ") + "]"
	}
	return out, c.Config.Language
}

func TestLanguagesFromTheLayout(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  map[string]string
		def   string
	}{
		{
			name: "a folder per language, as Hugo's translation by content directory",
			files: map[string]string{
				"content/en/privacy.md": "# Privacy\n", "content/de/privacy.md": "# Datenschutz\n", "content/zh-CN/privacy.md": "# 隐私\n",
				"content/en/dpa.md": "# DPA\n", "content/de/dpa.md": "# AVV\n", "content/pt-br/dpa.md": "# Acordo\n",
				"content/en/cookies.md": "# Cookies\n",
			},
			want: map[string]string{
				"en/privacy": "en [de/privacy zh-cn/privacy]", "de/privacy": "de [en/privacy zh-cn/privacy]", "zh-cn/privacy": "zh-CN [de/privacy en/privacy]",
				"en/dpa": "en [de/dpa pt-br/dpa]", "de/dpa": "de [en/dpa pt-br/dpa]", "pt-br/dpa": "pt-BR [de/dpa en/dpa]",
				"en/cookies": "en []",
			},
			def: "en",
		},
		{
			name: "the language in the file name, as Hugo's translation by file name",
			files: map[string]string{
				"content/privacy.md": "# Privacy\n", "content/privacy.de.md": "# Datenschutz\n", "content/privacy.fr.md": "# Confidentialité\n",
				"content/terms.md": "# Terms\n", "content/legal/dpa.de.md": "# AVV\n", "content/legal/dpa.es.md": "# Acuerdo\n",
				"content/v1.2.md": "# Version 1.2 notes\n",
			},
			want: map[string]string{
				"privacy": "en [privacy.de privacy.fr]", "privacy.de": "de [privacy privacy.fr]", "privacy.fr": "fr [privacy privacy.de]",
				"terms": "en []", "legal/dpa.de": "de [legal/dpa.es]", "legal/dpa.es": "es [legal/dpa.de]", "v1.2": "en []",
			},
			def: "en",
		},
		{
			name: "default language in the root, translations in folders; front matter wins",
			files: map[string]string{
				"content/privacy.md": "# Privacy\n", "content/de/privacy.md": "# Datenschutz\n", "content/fr/privacy.md": "---\nlanguage: fr-CA\n---\n# Confidentialité\n",
				"content/de/impressum.md": "---\ntranslationKey: imprint\n---\n# Impressum\n", "content/imprint.md": "# Imprint\n",
			},
			want: map[string]string{
				"privacy": "en [de/privacy fr/privacy]", "de/privacy": "de [fr/privacy privacy]", "fr/privacy": "fr-CA [de/privacy privacy]",
				"de/impressum": "de [imprint]", "imprint": "en [de/impressum]",
			},
			def: "en",
		},
		{
			name: "folders that only look like languages are not",
			files: map[string]string{
				"content/it/acceptable-use.md": "# IT acceptable use\n", "content/privacy.md": "# Privacy\n",
				"content/tos/terms.md": "# Terms\n", "content/new/dpa.md": "# New DPA\n",
			},
			want: map[string]string{"it/acceptable-use": "en []", "privacy": "en []", "tos/terms": "en []", "new/dpa": "en []"},
			def:  "en",
		},
		{
			name: "a German portal: the most used language is the default",
			files: map[string]string{
				"content/de/datenschutz.md": "# Datenschutz\n", "content/de/agb.md": "# AGB\n", "content/en/privacy.md": "---\ntranslationKey: datenschutz\n---\n# Privacy\n",
			},
			want: map[string]string{"de/datenschutz": "de [en/privacy]", "de/agb": "de []", "en/privacy": "en [de/datenschutz]"},
			def:  "de",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.New(t)
			for p, s := range tc.files {
				r.Write(p, s)
			}
			got, def := languagesOf(t, r.Dir)
			for id, want := range tc.want {
				if got[id] != want {
					t.Errorf("%s: %q, want %q", id, got[id], want)
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("documents %v, want %d", got, len(tc.want))
			}
			if def != tc.def {
				t.Errorf("default language %q, want %q", def, tc.def)
			}
		})
	}
}

// TestLanguageFolderPages: a page in a language folder says its language
// to the browser and links its translations as alternates.
func TestLanguageFolderPages(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/en/privacy.md", "# Privacy\n\nWe care.\n")
	r.Write("content/de/privacy.md", "# Datenschutz\n\nWir achten darauf.\n")
	r.Commit("2026-01-05T10:00:00Z", "Publish")
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/"})
	de := readFile(t, filepath.Join(r.Dir, "public", "de", "privacy", "index.html"))
	for _, want := range []string{`<html lang="de"`, `hreflang="en" href="https://legal.example.com/en/privacy/"`} {
		if !strings.Contains(de, want) {
			t.Errorf("de/privacy lacks %s", want)
		}
	}
}

package portal

import (
	"encoding/xml"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/internal/gittest"
)

// translatedRepo has a DPA in English (the portal's default language, not
// given), German and French, linked by translationKey; a privacy policy
// with a translationKey of its own; and a retired German privacy policy
// with the same key.
func translatedRepo(t *testing.T) *gittest.Repo {
	r := gittest.New(t)
	r.Write("content/dpa.md", "---\ntitle: Data Processing Agreement\ntranslationKey: dpa\n---\nThe processor shall...\n")
	r.Write("content/de/auftragsverarbeitung.md", "---\ntitle: Auftragsverarbeitungsvertrag\nlanguage: de\ntranslationKey: dpa\n---\nDer Auftragsverarbeiter...\n")
	r.Write("content/fr/dpa.md", "+++\ntitle = \"Accord de traitement\"\nlanguage = \"fr\"\ntranslationKey = \"dpa\"\n+++\nLe sous-traitant...\n")
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\ntranslationKey: privacy\n---\nWe...\n")
	r.Write("content/de/datenschutz.md", "---\ntitle: Datenschutz\nlanguage: de\ntranslationKey: privacy\n---\nWir...\n")
	r.Commit("2026-01-05T10:00:00Z", "Publish")
	r.Remove("content/de/datenschutz.md")
	r.Commit("2026-02-05T10:00:00Z", "Retire the German privacy policy")
	return r
}

func TestTranslationsLinked(t *testing.T) {
	r := translatedRepo(t)
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/"})

	// Each DPA page links the two others, and itself, as alternates.
	pages := map[string]string{"dpa": "en", "de/auftragsverarbeitung": "de", "fr/dpa": "fr"}
	alternate := regexp.MustCompile(`<link rel=alternate hreflang=([a-z-]+) href=([^ >]+)>|<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">`)
	for id, lang := range pages {
		html := readFile(t, filepath.Join(r.Dir, "public", filepath.FromSlash(id), "index.html"))
		got := map[string]string{}
		for _, m := range alternate.FindAllStringSubmatch(html, -1) {
			l, href := m[1]+m[3], m[2]+m[4]
			got[l] = strings.Trim(href, `"`)
		}
		for otherID, otherLang := range pages {
			if want := "https://legal.example.com/" + otherID + "/"; got[otherLang] != want {
				t.Errorf("%s: hreflang %s = %q, want %q (all: %v)", id, otherLang, got[otherLang], want, got)
			}
		}
		if !strings.Contains(html, `lang="`+lang+`"`) && !strings.Contains(html, `lang=`+lang) {
			t.Errorf("%s: page is not marked lang=%s", id, lang)
		}
	}
	de := readFile(t, filepath.Join(r.Dir, "public", "de", "auftragsverarbeitung", "index.html"))
	for _, want := range []string{"English", "français"} {
		if !strings.Contains(de, ">"+want+"</a>") {
			t.Errorf("German DPA does not link %q:\n%s", want, de)
		}
	}

	// The retired German privacy policy is not a translation any more.
	privacy := readFile(t, filepath.Join(r.Dir, "public", "privacy", "index.html"))
	if strings.Contains(privacy, "hreflang") || strings.Contains(privacy, "Deutsch") {
		t.Error("the privacy policy links its retired translation")
	}

	// The sitemap lists the alternates too, in the xhtml namespace.
	var sm struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Hreflang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"http://www.w3.org/1999/xhtml link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(readFile(t, filepath.Join(r.Dir, "public", "sitemap.xml"))), &sm); err != nil {
		t.Fatal(err)
	}
	alternates := map[string]int{}
	for _, u := range sm.URLs {
		loc := strings.TrimPrefix(u.Loc, "https://legal.example.com/")
		if loc == "" || loc == "de/" || loc == "fr/" || strings.HasSuffix(loc, "/changelog/") {
			continue // the languages' indexes and changelogs
		}
		for _, l := range u.Links {
			alternates[strings.TrimPrefix(u.Loc, "https://legal.example.com/")+" "+l.Hreflang+" "+strings.TrimPrefix(l.Href, "https://legal.example.com/")]++
		}
	}
	if len(alternates) != 9 || alternates["dpa/ de de/auftragsverarbeitung/"] != 1 || alternates["fr/dpa/ fr fr/dpa/"] != 1 {
		t.Errorf("sitemap alternates %v, want 3 for each of the 3 DPAs", alternates)
	}

	docs := loadAPI(t, r.Dir)
	for _, d := range docs.Documents {
		switch d.ID {
		case "dpa":
			if d.Language != "en" || len(d.Translations) != 2 || d.Translations[0].Language != "de" ||
				d.Translations[0].URL != "/de/auftragsverarbeitung/" || d.Translations[1].ID != "fr/dpa" {
				t.Errorf("API dpa: language %q translations %+v", d.Language, d.Translations)
			}
		case "privacy", "de/datenschutz":
			if len(d.Translations) != 0 {
				t.Errorf("API %s: translations %+v", d.ID, d.Translations)
			}
		}
	}
}

func TestTranslationsSameLanguageIsAnError(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "---\ntitle: DPA\ntranslationKey: dpa\n---\nText.\n")
	r.Write("content/dpa-copy.md", "---\ntitle: DPA copy\nsummary: A copy.\ntranslationKey: dpa\n---\nText.\n")
	r.Commit("2026-01-05T10:00:00Z", "Publish")
	_, err := build(t, r.Dir, Options{})
	var errs document.Errors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("err = %v, want one content error", err)
	}
	if e := errs[0]; e.Path != "content/dpa.md" && e.Path != "content/dpa-copy.md" || e.Line == 0 ||
		!strings.Contains(e.Msg, "same language (en)") {
		t.Errorf("error %q at %s:%d", e.Msg, e.Path, e.Line)
	}
	if e := errs[0]; e.Path == "content/dpa.md" && e.Line != 3 || e.Path == "content/dpa-copy.md" && e.Line != 4 {
		t.Errorf("error at %s:%d, want the translationKey line", e.Path, e.Line)
	}
}

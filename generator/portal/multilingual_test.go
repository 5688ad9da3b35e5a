package portal

import (
	"context"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause/generator/subprocessors"
	"github.com/clause-portal/clause/internal/gittest"
)

// multilingualRepo is a portal in three language folders (en/, de/, fr/:
// translation by content directory) with an imprint translated by file
// name (imprint.md, imprint.de.md, imprint.fr.md). Its history:
//
//   - 5 Jan: everything published.
//   - 10 Mar: the English DPA changes (material).
//   - 2 Apr: the German DPA follows it; the French one does not.
//   - 1 May: the English privacy policy changes (minor): no translation
//     is behind for it.
//   - 20 May: the English imprint changes (material).
//   - 1 Jun: the French imprint changes, saying with a Translated-From
//     trailer that it was translated from the January text: it is still
//     behind, as is the German imprint.
func multilingualRepo(t *testing.T) (r *gittest.Repo, first string) {
	r = gittest.New(t)
	doc := func(title, kind, body string) string {
		return "---\ntitle: " + title + "\nkind: " + kind + "\n---\n# " + title + "\n\n" + body + "\n"
	}
	r.Write("clause.toml", "title = \"Legal\"\nlanguage = \"en\"\nbinding_language = \"en\"\n")
	r.Write("content/en/dpa.md", doc("Data Processing Agreement", "dpa", "The processor shall act on instructions."))
	r.Write("content/de/dpa.md", doc("Auftragsverarbeitungsvertrag", "dpa", "Der Auftragsverarbeiter handelt nur auf Weisung."))
	r.Write("content/fr/dpa.md", doc("Accord de traitement des données", "dpa", "Le sous-traitant agit sur instruction."))
	r.Write("content/en/privacy.md", doc("Privacy Policy", "privacy", "We process your data lawfully."))
	r.Write("content/de/privacy.md", doc("Datenschutzerklärung", "privacy", "Wir verarbeiten Ihre Daten rechtmäßig."))
	r.Write("content/fr/privacy.md", doc("Politique de confidentialité", "privacy", "Nous traitons vos données de manière licite."))
	r.Write("content/imprint.md", doc("Imprint", "other", "Northwind Ledger Ltd, London."))
	r.Write("content/imprint.de.md", doc("Impressum", "other", "Northwind Ledger Ltd, London."))
	r.Write("content/imprint.fr.md", doc("Mentions légales", "other", "Northwind Ledger Ltd, Londres."))
	first = r.Commit("2026-01-05T10:00:00Z", "Publish the portal")
	r.Write("content/en/dpa.md", doc("Data Processing Agreement", "dpa", "The processor shall act on documented instructions only."))
	r.Commit("2026-03-10T10:00:00Z", "DPA: documented instructions")
	r.Write("content/de/dpa.md", doc("Auftragsverarbeitungsvertrag", "dpa", "Der Auftragsverarbeiter handelt nur auf dokumentierte Weisung."))
	r.Commit("2026-04-02T10:00:00Z", "DPA (de): dokumentierte Weisung")
	r.Write("content/en/privacy.md", doc("Privacy Policy", "privacy", "We process your personal data lawfully."))
	r.Commit("2026-05-01T10:00:00Z", "Privacy: wording\n\nChange-Type: minor")
	r.Write("content/imprint.md", doc("Imprint", "other", "Northwind Ledger Ltd, Manchester."))
	r.Commit("2026-05-20T10:00:00Z", "Imprint: new address")
	r.Write("content/imprint.fr.md", doc("Mentions légales", "other", "Northwind Ledger SARL, Londres."))
	r.Commit("2026-06-01T10:00:00Z", "Imprint (fr): typo\n\nTranslated-From: "+first)
	return r, first
}

// TestMultilingualPortal builds multilingualRepo and checks every
// document page: its lang, reciprocal hreflang alternates (pages and
// sitemap), chrome and dates in its language, and the translation-lag
// banner exactly where the source has a newer material version.
func TestMultilingualPortal(t *testing.T) {
	r, _ := multilingualRepo(t)
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/", Now: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)})
	public := filepath.Join(r.Dir, "public")

	type page struct {
		lang, group string
		lag         bool
	}
	pages := map[string]page{
		"/en/dpa/": {"en", "dpa", false}, "/de/dpa/": {"de", "dpa", false}, "/fr/dpa/": {"fr", "dpa", true},
		"/en/privacy/": {"en", "privacy", false}, "/de/privacy/": {"de", "privacy", false}, "/fr/privacy/": {"fr", "privacy", false},
		"/imprint/": {"en", "imprint", false}, "/imprint.de/": {"de", "imprint", true}, "/imprint.fr/": {"fr", "imprint", true},
	}
	chrome := map[string][]string{
		"en": {"Last updated", "Skip to content", "This English version is the legally binding text"},
		"de": {"Zuletzt aktualisiert am", "Zum Inhalt springen", "Rechtlich verbindlich ist die Fassung in Englisch"},
		"fr": {"Dernière mise à jour", "Aller au contenu", "Seule la version en anglais fait foi"},
	}
	months := map[string]*regexp.Regexp{
		"en": regexp.MustCompile(`>\d{1,2} (January|March|April|May|June) 2026</time>`),
		"de": regexp.MustCompile(`>\d{1,2}\. (Januar|März|April|Mai|Juni) 2026</time>`),
		"fr": regexp.MustCompile(`>\d{1,2} (janvier|mars|avril|mai|juin) 2026</time>`),
	}
	lagText := map[string]string{
		"de": "Die Fassung in Englisch wurde am",
		"fr": "La version en anglais a été mise à jour le",
	}
	alternate := regexp.MustCompile(`<link rel="?alternate"? hreflang="?([a-zA-Z-]+)"? href="?([^" >]+)"?>`)
	for url, p := range pages {
		html := readFile(t, filepath.Join(public, filepath.FromSlash(strings.Trim(url, "/")), "index.html"))
		if !strings.Contains(html, `<html lang="`+p.lang+`"`) && !strings.Contains(html, `<html lang=`+p.lang) {
			t.Errorf("%s: not <html lang=%s>", url, p.lang)
		}
		for _, s := range chrome[p.lang] {
			if !strings.Contains(html, s) {
				t.Errorf("%s: lacks %q", url, s)
			}
		}
		if !months[p.lang].MatchString(html) {
			t.Errorf("%s: no date with a month named in %s", url, p.lang)
		}
		// Reciprocal alternates: every page of the group, itself included.
		got := map[string]string{}
		for _, m := range alternate.FindAllStringSubmatch(html, -1) {
			got[m[1]] = m[2]
		}
		for other, q := range pages {
			if q.group == p.group && got[q.lang] != "https://legal.example.com"+other {
				t.Errorf("%s: hreflang %s = %q, want %s", url, q.lang, got[q.lang], other)
			}
		}
		if hasLag := strings.Contains(html, "translation-lag-banner"); hasLag != p.lag {
			t.Errorf("%s: lag banner shown = %v, want %v", url, hasLag, p.lag)
		}
		if p.lag && !strings.Contains(html, lagText[p.lang]) {
			t.Errorf("%s: the lag banner is not in %s", url, p.lang)
		}
	}
	fr := readFile(t, filepath.Join(public, "fr", "dpa", "index.html"))
	if !strings.Contains(fr, "10 mars 2026") || !regexp.MustCompile(`href="/en/dpa/versions/[0-9a-f]+/#`+SinceAnchor+`"`).MatchString(fr) {
		t.Errorf("/fr/dpa/: the banner does not date or link the English change:\n%s", fr)
	}

	// The sitemap lists each page's alternates, reciprocally.
	var sm struct {
		URLs []struct {
			Loc  string `xml:"loc"`
			Alts []struct {
				Hreflang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(readFile(t, filepath.Join(public, "sitemap.xml"))), &sm); err != nil {
		t.Fatal(err)
	}
	alts := map[string]map[string]string{}
	for _, u := range sm.URLs {
		alts[u.Loc] = map[string]string{}
		for _, a := range u.Alts {
			alts[u.Loc][a.Hreflang] = a.Href
		}
	}
	for url, p := range pages {
		for other, q := range pages {
			if q.group == p.group && alts["https://legal.example.com"+url][q.lang] != "https://legal.example.com"+other {
				t.Errorf("sitemap: %s has no alternate %s → %s (%v)", url, q.lang, other, alts["https://legal.example.com"+url])
			}
		}
	}

	// Feeds carry the document's language.
	for _, f := range []string{"feeds/fr/dpa.atom", "feeds/fr/dpa.json"} {
		if b := readFile(t, filepath.Join(public, filepath.FromSlash(f))); !strings.Contains(b, `xml:lang="fr"`) && !strings.Contains(b, `"language": "fr"`) {
			t.Errorf("%s does not say it is in French:\n%s", f, b)
		}
	}

	// The API says what each translation translates and since when it is behind.
	api := readFile(t, filepath.Join(public, "api", "documents.json"))
	for _, want := range []string{`"translation_of"`, `"outdated_since": "2026-03-10T10:00:00Z"`, `"outdated_since": "2026-05-20T10:00:00Z"`, `"binding": "en"`} {
		if !strings.Contains(api, want) {
			t.Errorf("documents.json lacks %s", want)
		}
	}
	if n := strings.Count(api, `"outdated_since"`); n != 3 {
		t.Errorf("documents.json: %d outdated translations, want 3", n)
	}
}

// TestCheckTranslations checks clause check's warnings: each outdated
// translation, with how long it has been behind, and a file in a
// language folder with no counterpart in the default language.
func TestCheckTranslations(t *testing.T) {
	r, _ := multilingualRepo(t)
	r.Write("content/de/agb.md", "---\ntitle: AGB\n---\nNur auf Deutsch.\n")
	r.Commit("2026-06-10T10:00:00Z", "AGB")
	c, err := Load(context.Background(), LoadOptions{Repo: r.Dir, Content: "content", Now: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC), Log: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got := map[string]string{}
	for _, p := range c.TranslationProblems() {
		if p.Severity != subprocessors.Warning {
			t.Errorf("%s: severity %v", p.Path, p.Severity)
		}
		got[p.Path] = p.Msg
	}
	want := map[string]string{
		"content/fr/dpa.md":     "2026-03-10 (DPA: documented instructions, 113 days ago)",
		"content/imprint.de.md": "42 days ago",
		"content/imprint.fr.md": "42 days ago",
		"content/de/agb.md":     "no counterpart in the default language",
	}
	for path, w := range want {
		if !strings.Contains(got[path], w) {
			t.Errorf("%s: %q, want it to say %q", path, got[path], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("warnings for %d files, want %d: %v", len(got), len(want), got)
	}
}

// TestLanguageIndexChangelogAndFeeds: each language of a multilingual
// portal has its index (/, /de/, /fr/), changelog (/en/changelog/…) and
// feeds (/de/feed.atom, /de/feed.json), listing its documents only, each
// page in its language and the alternate of the others (pages and
// sitemap).
func TestLanguageIndexChangelogAndFeeds(t *testing.T) {
	r, _ := multilingualRepo(t)
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/", Now: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)})
	public := filepath.Join(r.Dir, "public")
	base := "https://legal.example.com"
	titles := map[string][]string{
		"en": {"Data Processing Agreement", "Privacy Policy", "Imprint"},
		"de": {"Auftragsverarbeitungsvertrag", "Datenschutzerklärung", "Impressum"},
		"fr": {"Accord de traitement des données", "Politique de confidentialité", "Mentions légales"},
	}
	index := map[string]string{"en": "/", "de": "/de/", "fr": "/fr/"}
	chrome := map[string]string{"en": "Changelog", "de": "Änderungsprotokoll", "fr": "Historique des modifications"}
	alternate := regexp.MustCompile(`<link rel="?alternate"? hreflang="?([a-zA-Z-]+)"? href="?([^" >]+)"?>`)
	reciprocal := func(page, html string, want map[string]string) {
		t.Helper()
		got := map[string]string{}
		for _, m := range alternate.FindAllStringSubmatch(html, -1) {
			got[m[1]] = m[2]
		}
		for l, u := range want {
			if got[l] != base+u {
				t.Errorf("%s: hreflang %s = %q, want %s", page, l, got[l], base+u)
			}
		}
	}
	for lang := range titles {
		changelogs := map[string]string{}
		for l := range titles {
			changelogs[l] = "/" + l + "/changelog/"
		}
		for _, page := range []string{index[lang], "/" + lang + "/changelog/"} {
			html := readFile(t, filepath.Join(public, filepath.FromSlash(strings.Trim(page, "/")), "index.html"))
			if !strings.Contains(html, `<html lang="`+lang+`"`) {
				t.Errorf("%s: not <html lang=%s>", page, lang)
			}
			if !strings.Contains(html, chrome[lang]) {
				t.Errorf("%s: lacks %q", page, chrome[lang])
			}
			if !strings.Contains(html, `href="/`+lang+`/changelog/"`) {
				t.Errorf("%s: the header does not link the %s changelog", page, lang)
			}
			for l, others := range titles {
				for _, title := range others {
					if has := strings.Contains(html, ">"+title+"<"); has != (l == lang) {
						t.Errorf("%s: lists %q = %v, want %v", page, title, has, l == lang)
					}
				}
			}
			if page == index[lang] {
				reciprocal(page, html, index)
				for l, u := range index {
					if l != lang && !strings.Contains(html, `href="`+u+`" hreflang="`+l+`"`) {
						t.Errorf("%s: no link to the %s index", page, l)
					}
				}
			} else {
				reciprocal(page, html, changelogs)
			}
		}
		for _, f := range []string{lang + "/feed.atom", lang + "/feed.json"} {
			b := readFile(t, filepath.Join(public, filepath.FromSlash(f)))
			for l, others := range titles {
				for _, title := range others {
					if has := strings.Contains(b, title+": "); has != (l == lang) {
						t.Errorf("%s: has entries of %q = %v, want %v", f, title, has, l == lang)
					}
				}
			}
		}
	}
	sitemap := readFile(t, filepath.Join(public, "sitemap.xml"))
	for _, u := range []string{"/de/", "/fr/", "/en/changelog/", "/de/changelog/", "/fr/changelog/"} {
		if !strings.Contains(sitemap, "<loc>"+base+u+"</loc>") {
			t.Errorf("sitemap lacks %s", u)
		}
	}
	if !strings.Contains(sitemap, `hreflang="fr" href="`+base+`/fr/changelog/"`) {
		t.Error("sitemap: the changelogs are not each other's alternates")
	}
}

// TestDocumentOnALanguagePage: in a multilingual portal, a document whose
// URL is a language's index, changelog or feed is an error at its file.
func TestDocumentOnALanguagePage(t *testing.T) {
	r, _ := multilingualRepo(t)
	r.Write("content/de.md", "# Deutsch\n\nAlles auf Deutsch.\n")
	r.Commit("2026-06-10T10:00:00Z", "de")
	_, err := build(t, r.Dir, Options{})
	if !errors.Is(err, ErrLanguagePage) || !strings.Contains(err.Error(), "content/de.md:1: would take the URL /de/") {
		t.Fatalf("build: %v, want ErrLanguagePage at content/de.md:1", err)
	}
}

// TestRetiredDocumentOnALanguagePage: a document at a language's URL
// that was deleted before that language came is not an error (history
// cannot be fixed): it stays online, retired, under another name, and the
// language's index is the portal's.
func TestRetiredDocumentOnALanguagePage(t *testing.T) {
	r, _ := multilingualRepo(t)
	r.Write("content/de.md", "# Deutsch\n\nEine alte Seite. RETIREDTEXT\n")
	r.Commit("2026-06-10T10:00:00Z", "de")
	r.Remove("content/de.md")
	r.Commit("2026-06-11T10:00:00Z", "no de")
	mustBuild(t, r.Dir, Options{})
	index := readFile(t, filepath.Join(r.Dir, "public", "de", "index.html"))
	if strings.Contains(index, "RETIREDTEXT") || !strings.Contains(index, `lang="de"`) {
		t.Errorf("/de/ is not the German index")
	}
	if page := readFile(t, filepath.Join(r.Dir, "public", "de-retired", "index.html")); !strings.Contains(page, "RETIREDTEXT") {
		t.Errorf("the retired document is not at /de-retired/")
	}
}

// TestMultilingualChromeOfEveryPage: the pages of a document besides its
// own (its versions, a version, a redline, the compare page) are in its
// language too, titles and the summaries Clause computes included; an
// English document's stay as they were.
func TestMultilingualChromeOfEveryPage(t *testing.T) {
	r, _ := multilingualRepo(t)
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/", Now: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)})
	public := filepath.Join(r.Dir, "public")
	redline := func(doc string) string {
		t.Helper()
		m, _ := filepath.Glob(filepath.Join(public, filepath.FromSlash(doc), "versions", "*", "index.html"))
		m = slices.DeleteFunc(m, func(f string) bool { return !strings.Contains(readFile(t, f), ` id="`+ChangesAnchor+`"`) })
		if len(m) != 1 {
			t.Fatalf("%s: %d redlines", doc, len(m))
		}
		return m[0]
	}
	oldest := func(doc string) string {
		t.Helper()
		m, _ := filepath.Glob(filepath.Join(public, filepath.FromSlash(doc), "versions", "*", "index.html"))
		sort.Strings(m)
		for _, f := range m {
			// Named in its title: newer versions' redlines name it too.
			html := readFile(t, f)
			title := html[strings.Index(html, "<title>"):strings.Index(html, "</title>")]
			if strings.Contains(title, "January") || strings.Contains(title, "Januar") || strings.Contains(title, "janvier") {
				return f
			}
		}
		t.Fatalf("%s: no January version among %v", doc, m)
		return ""
	}
	cases := []struct {
		name, file string
		want       []string
	}{
		{"de versions", filepath.Join(public, "de", "dpa", "versions", "index.html"), []string{
			"<title>Änderungen an Auftragsverarbeitungsvertrag · Legal</title>", "1 Klausel geändert", "Zwei beliebige Fassungen vergleichen"}},
		{"de redline", redline("de/dpa"), []string{
			"<title>Auftragsverarbeitungsvertrag (Fassung vom 2. April 2026) · Legal</title>", ">Was sich in dieser Fassung geändert hat</h2>",
			"1 Klausel geändert.", "Eingefügter Text ist <ins>unterstrichen</ins>", ">Fassungen</a>", ">Text dieser Fassung</a>"}},
		{"de version", oldest("de/dpa"), []string{
			"<title>Auftragsverarbeitungsvertrag (Fassung vom 5. Januar 2026) · Legal</title>", "Ersetzt am", "die am 2. April 2026 veröffentlichte Fassung", "SHA-256 von",
			">Änderungen seit dieser Fassung bis zum aktuellen Text</h2>", ">Mit der aktuellen Fassung vergleichen</a>"}},
		{"de compare", filepath.Join(public, "de", "dpa", "compare", "index.html"), []string{
			"<title>Fassungen von Auftragsverarbeitungsvertrag vergleichen · Legal</title>", "Liste der Fassungen", "Vergleiche…"}},
		{"de versions.json", filepath.Join(public, "de", "dpa", "versions", "versions.json"), []string{`"date":"2. April 2026"`, `"date":"5. Januar 2026"`}},
		{"fr redline", redline("imprint.fr"), []string{
			">Ce qui a changé dans cette version</h2>", "1 clause modifiée.", "Le texte inséré est <ins>souligné</ins>"}},
		{"en redline", redline("en/dpa"), []string{
			">What changed in this version</h2>", "1 clause changed.", "Inserted text is <ins>underlined</ins>"}},
		{"en version", oldest("en/dpa"), []string{"<title>Data Processing Agreement (version of 5 January 2026) · Legal</title>", "Superseded on", "SHA-256 of"}},
	}
	for _, c := range cases {
		html := readFile(t, c.file)
		for _, w := range c.want {
			if !strings.Contains(html, w) {
				t.Errorf("%s lacks %q", c.name, w)
			}
		}
	}
}

// TestRegisterSummariesInTheirLanguage: what a version of a German
// sub-processor list changed is said in German on its pages, the
// changelog and the index's attention list; the English list's stays
// Clause's English.
func TestRegisterSummariesInTheirLanguage(t *testing.T) {
	r := gittest.New(t)
	list := func(title, extra string) string {
		return "---\ntitle: " + title + "\nkind: subprocessors\n---\n# " + title + "\n\n| Name | Purpose | Location |\n|---|---|---|\n| AWS | Hosting | EU |\n" + extra
	}
	r.Write("content/en/subprocessors.md", list("Sub-processors", ""))
	r.Write("content/de/subprocessors.md", list("Unterauftragsverarbeiter", ""))
	r.Commit("2026-01-05T10:00:00Z", "Publish")
	r.Write("content/en/subprocessors.md", list("Sub-processors", "| Stripe | Payments | EU |\n"))
	r.Write("content/de/subprocessors.md", list("Unterauftragsverarbeiter", "| Stripe | Zahlungen | EU |\n"))
	r.Commit("2026-04-05T10:00:00Z", "Add Stripe")
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/", Now: time.Date(2026, 4, 10, 12, 0, 0, 0, time.UTC)})
	public := filepath.Join(r.Dir, "public")
	for page, want := range map[string][]string{
		"de/subprocessors":          {"1 hinzugefügt (Stripe)", "Widerspruch möglich bis"},
		"de/changelog":              {"1 hinzugefügt (Stripe); Widerspruch bis 5. Mai 2026"},
		"de/subprocessors/versions": {"1 hinzugefügt (Stripe); Widerspruch bis 5. Mai 2026"},
		"de":                        {"1 hinzugefügt (Stripe)", "Kunden können bis zur Frist widersprechen."},
		"en/subprocessors":          {"1 added (Stripe)"},
		"en/changelog":              {"1 added (Stripe); objections due by 5 May 2026"},
	} {
		html := readFile(t, filepath.Join(public, filepath.FromSlash(page), "index.html"))
		for _, w := range want {
			if !strings.Contains(html, w) {
				t.Errorf("/%s/ lacks %q", page, w)
			}
		}
	}
}

// TestSlugOnALanguagePage: a slug that gives a document a language's page
// is an error at the slug's line.
func TestSlugOnALanguagePage(t *testing.T) {
	r, _ := multilingualRepo(t)
	r.Write("content/about.md", "---\ntitle: About\nslug: /fr/changelog\n---\nAbout us.\n")
	r.Commit("2026-06-10T10:00:00Z", "About")
	_, err := build(t, r.Dir, Options{})
	if !errors.Is(err, ErrLanguagePage) || !strings.Contains(err.Error(), "content/about.md:3: would take the URL /fr/changelog/") {
		t.Fatalf("build: %v, want ErrLanguagePage at content/about.md:3", err)
	}
}

// TestFeedsInTheirLanguage: a language's feed and a document's feed are
// titled in their language; the site feed of an English portal as before.
func TestFeedsInTheirLanguage(t *testing.T) {
	r, _ := multilingualRepo(t)
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/"})
	public := filepath.Join(r.Dir, "public")
	atom, _ := DocumentFeedURLs("de/dpa")
	for file, want := range map[string][]string{
		"feed.atom":                   {"<title>Legal: changes</title>", "<subtitle>The newest published versions of every document</subtitle>"},
		"de/feed.atom":                {"<title>Legal: Änderungen (Deutsch)</title>", "<subtitle>Die neuesten veröffentlichten Fassungen aller Dokumente auf Deutsch</subtitle>"},
		"fr/feed.atom":                {"<title>Legal : modifications (français)</title>", "<subtitle>Les dernières versions publiées de chaque document en français</subtitle>"},
		strings.TrimPrefix(atom, "/"): {"<title>Auftragsverarbeitungsvertrag: Änderungen</title>", "<subtitle>Jede veröffentlichte Fassung von Auftragsverarbeitungsvertrag</subtitle>"},
	} {
		b := readFile(t, filepath.Join(public, filepath.FromSlash(file)))
		for _, w := range want {
			if !strings.Contains(b, w) {
				t.Errorf("%s lacks %s", file, w)
			}
		}
	}
}

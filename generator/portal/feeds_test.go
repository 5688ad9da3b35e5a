package portal

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/clause-portal/clause/generator/config"
)

// TestFeeds parses the built feeds with an independent parser (gofeed) and
// checks the elements RFC 4287 and JSON Feed 1.1 require.
func TestFeeds(t *testing.T) {
	r := historyRepo(t)
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/"})
	pub := filepath.Join(r.Dir, "public")
	docs := loadAPI(t, r.Dir)
	total := 0
	for _, d := range docs.Documents {
		total += len(d.Versions)
	}

	parser := gofeed.NewParser()
	for _, name := range []string{"feed.atom", "feed.json"} {
		f, err := os.Open(filepath.Join(pub, name))
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := parser.Parse(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(parsed.Items) != total {
			t.Errorf("%s: %d items, want %d versions", name, len(parsed.Items), total)
		}
		for i, it := range parsed.Items {
			if it.PublishedParsed == nil || !strings.HasPrefix(it.Link, "https://legal.example.com/") || it.GUID == "" {
				t.Errorf("%s item %d: %+v", name, i, it)
			}
			if i > 0 && it.PublishedParsed.After(*parsed.Items[i-1].PublishedParsed) {
				t.Errorf("%s: items not newest first", name)
			}
		}
		first := parsed.Items[0]
		if first.Title != "DPA: DPA 2027" || !strings.Contains(first.Description, "Effective 2027-01-01") {
			t.Errorf("%s first item: %q %q", name, first.Title, first.Description)
		}
	}

	// Per document, with the minor version marked.
	f, _ := os.Open(filepath.Join(pub, "feeds", "security.atom"))
	sec, err := parser.Parse(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(sec.Items) != 2 || sec.Items[0].Categories[0] != "Minor change" || sec.Items[1].Categories[0] != "Material change" {
		t.Errorf("security feed: %d items, categories %v / %v", len(sec.Items), sec.Items[0].Categories, sec.Items[1].Categories)
	}

	// RFC 4287 required elements, read with encoding/xml.
	var atom struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Summary string `xml:"summary"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(readFile(t, filepath.Join(pub, "feed.atom"))), &atom); err != nil {
		t.Fatal(err)
	}
	if atom.ID == "" || atom.Title == "" || atom.Author.Name == "" {
		t.Errorf("feed lacks id, title or author: %+v", atom)
	}
	if _, err := time.Parse(time.RFC3339, atom.Updated); err != nil {
		t.Errorf("feed updated %q: %v", atom.Updated, err)
	}
	self := false
	for _, l := range atom.Links {
		self = self || (l.Rel == "self" && l.Href == "https://legal.example.com/feed.atom")
	}
	if !self {
		t.Error("feed lacks rel=self")
	}
	ids := map[string]bool{}
	for _, e := range atom.Entries {
		if e.ID == "" || e.Title == "" || e.Link.Href == "" || e.Summary == "" || ids[e.ID] {
			t.Errorf("entry lacks a required element or repeats an id: %+v", e)
		}
		ids[e.ID] = true
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("entry updated %q", e.Updated)
		}
	}

	// JSON Feed 1.1 required fields.
	var jf struct {
		Version string `json:"version"`
		Title   string `json:"title"`
		Items   []struct {
			ID     string         `json:"id"`
			Clause map[string]any `json:"_clause"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(pub, "feed.json"))), &jf); err != nil {
		t.Fatal(err)
	}
	if jf.Version != "https://jsonfeed.org/version/1.1" || jf.Title == "" || len(jf.Items) != total {
		t.Errorf("JSON feed: %q %q %d", jf.Version, jf.Title, len(jf.Items))
	}
	for _, it := range jf.Items {
		if !ids[it.ID] {
			t.Errorf("JSON item %s has no Atom twin", it.ID)
		}
		if _, ok := it.Clause["material"].(bool); !ok {
			t.Errorf("item %s lacks _clause.material", it.ID)
		}
	}

	// Ids are stable: a rebuild at another time gives the same ones.
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/", Now: now.Add(48 * time.Hour)})
	var again struct {
		Entries []struct {
			ID string `xml:"id"`
		} `xml:"entry"`
	}
	xml.Unmarshal([]byte(readFile(t, filepath.Join(pub, "feed.atom"))), &again)
	for _, e := range again.Entries {
		if !ids[e.ID] {
			t.Errorf("entry id %s changed on rebuild", e.ID)
		}
	}

	// Autodiscovery.
	page := readFile(t, filepath.Join(pub, "dpa", "index.html"))
	for _, want := range []string{
		`<link rel="alternate" type="application/atom+xml" title="Legal: all changes (Atom)" href="/feed.atom">`,
		`<link rel="alternate" type="application/feed+json" title="DPA: changes (JSON Feed)" href="/feeds/dpa.json">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

// TestBaseURLMustBeHTTP checks that a base URL that is not an absolute
// http(s) URL fails the build, naming where it came from, and never reaches
// the feeds.
func TestBaseURLMustBeHTTP(t *testing.T) {
	r := historyRepo(t)
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "URL" {
				return v
			}
			return ""
		}
	}
	for _, c := range []struct {
		opts Options
		want string
	}{
		{Options{BaseURL: "javascript:alert(document.domain)//"}, "--base-url"},
		{Options{Env: env("javascript:alert(1)")}, "environment variable URL"},
		{Options{BaseURL: "/relative/", Env: env("https://ok.example/")}, "--base-url"},
	} {
		_, err := build(t, r.Dir, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, config.ErrBaseURL) {
			t.Errorf("%+v: error %v, want one naming %s", c.opts.BaseURL, err, c.want)
		}
		if b, err := os.ReadFile(filepath.Join(r.Dir, "public", "feed.atom")); err == nil && strings.Contains(string(b), "javascript:") {
			t.Errorf("javascript: URL in feed.atom")
		}
	}
	// The same portal builds with an http(s) base URL from the environment.
	mustBuild(t, r.Dir, Options{Env: env("https://legal.example.com/")})
	if b := readFile(t, filepath.Join(r.Dir, "public", "feed.atom")); !strings.Contains(b, "https://legal.example.com/") {
		t.Errorf("feed.atom does not use $URL")
	}
}

func TestWithoutTitle(t *testing.T) {
	for _, tc := range []struct{ subject, title, want string }{
		{"Cookie policy: add Matomo", "Cookie Policy", "add Matomo"},
		{"cookie policy – add Matomo", "Cookie Policy", "add Matomo"},
		{"Cookie policy:", "Cookie Policy", "Cookie policy:"},
		{"Cookie policyholders are told", "Cookie Policy", "Cookie policyholders are told"},
		{"Add Matomo", "Cookie Policy", "Add Matomo"},
		{"DPA: 48-hour breach notice", "DPA", "48-hour breach notice"},
	} {
		if got := withoutTitle(tc.subject, tc.title); got != tc.want {
			t.Errorf("withoutTitle(%q, %q) = %q, want %q", tc.subject, tc.title, got, tc.want)
		}
	}
}

// The portal's feeds hold the newest SiteFeedEntries versions (here 3), a
// document's feed every version of it.
func TestSiteFeedHoldsTheNewest(t *testing.T) {
	r := historyRepo(t)
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/", siteFeedEntries: 3})
	pub := filepath.Join(r.Dir, "public")
	docs := loadAPI(t, r.Dir)
	var dates []string
	for _, d := range docs.Documents {
		for _, v := range d.Versions {
			dates = append(dates, v.Date)
		}
	}
	if len(dates) <= 3 {
		t.Fatalf("%d versions: the test needs more than 3", len(dates))
	}
	parser := gofeed.NewParser()
	parse := func(name string) *gofeed.Feed {
		t.Helper()
		f, err := os.Open(filepath.Join(pub, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		parsed, err := parser.Parse(f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return parsed
	}
	// The newest three of all versions, by the API's dates (an independent
	// list), newest first.
	slices.Sort(dates)
	newest := dates[len(dates)-3:]
	for _, name := range []string{"feed.atom", "feed.json"} {
		f := parse(name)
		if len(f.Items) != 3 {
			t.Fatalf("%s: %d items, want 3", name, len(f.Items))
		}
		for i, it := range f.Items {
			want, err := time.Parse(time.RFC3339, newest[2-i])
			if err != nil {
				t.Fatal(err)
			}
			if !it.PublishedParsed.Equal(want) {
				t.Errorf("%s item %d: published %v, want %v (the newest first)", name, i, it.PublishedParsed, want)
			}
		}
	}
	for _, d := range docs.Documents {
		if f := parse("feeds/" + d.ID + ".atom"); len(f.Items) != len(d.Versions) {
			t.Errorf("feeds/%s.atom: %d items, want all %d versions", d.ID, len(f.Items), len(d.Versions))
		}
	}
}

package portal

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

// upcomingRepo publishes a DPA, then a material change taking effect on
// 15 December 2026 and, two days later, a minor correction of it.
func upcomingRepo(t *testing.T) *gittest.Repo {
	r := gittest.New(t)
	r.Write("content/dpa.md", "---\ntitle: DPA\neffective: 2026-03-01\n---\n## 1. Breach\n\nWithin 72 hours.\n")
	r.Commit("2026-03-01T09:00:00Z", "Publish DPA")
	r.Write("content/dpa.md", "---\ntitle: DPA\neffective: 2026-12-15\n---\n## 1. Breach\n\nWithin 48 hourss.\n")
	r.Commit("2026-11-20T09:00:00Z", "DPA: 48-hour breach notice")
	r.Write("content/dpa.md", "---\ntitle: DPA\neffective: 2026-12-15\n---\n## 1. Breach\n\nWithin 48 hours.\n")
	r.Commit("2026-11-22T09:00:00Z", "Fix typos in privacy policy; rewrap DPA preamble\n\nChange-Type: minor")
	return r
}

// TestUpcomingBannerNamesTheMaterialChange: the current page announces the
// material change that takes effect, with the minor one published after
// it listed after it; "Last updated" is the newest version, "In force
// since" the day the text shown took effect; the API says the same.
func TestUpcomingBannerNamesTheMaterialChange(t *testing.T) {
	r := upcomingRepo(t)
	mustBuild(t, r.Dir, Options{})
	docs := loadAPI(t, r.Dir)
	d := docs.Documents[0]
	vs := d.Versions
	page := readFile(t, filepath.Join(r.Dir, "public", "dpa", "index.html"))
	banner := page[strings.Index(page, `class="banner upcoming-banner"`):]
	banner = banner[:strings.Index(banner, "</div>")]
	for _, want := range []string{
		`<strong>An updated version takes effect on <time datetime="2026-12-15">15 December 2026</time></strong>:`,
		`<a href="/dpa/versions/` + vs[1].ID + `/">DPA: 48-hour breach notice</a>, published <time datetime="2026-11-20T09:00:00Z">20 November 2026</time>.`,
		`Minor changes published since: <a href="/dpa/versions/` + vs[0].ID + `/">Fix typos in privacy policy; rewrap DPA preamble</a> (<time datetime="2026-11-22T09:00:00Z">22 November 2026</time>).`,
		`<a href="/dpa/versions/` + vs[0].ID + `/">Read the upcoming version</a>`,
	} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %s\n%s", want, banner)
		}
	}
	if strings.Index(banner, "DPA: 48-hour") > strings.Index(banner, "Fix typos") {
		t.Error("the minor change is named before the material one")
	}
	datetime, display, commit := pageStamp(t, page)
	if datetime != "2026-11-22T09:00:00Z" || display != "22 November 2026" || commit != vs[0].Commit {
		t.Errorf("Last updated %s %q %s: want the newest version", datetime, display, commit)
	}
	if !strings.Contains(page, `<dt>In force since</dt>
        <dd><time datetime="2026-03-01">1 March 2026</time>
          (<a href="/dpa/versions/`+vs[2].ID+`/">the version published 1 March 2026</a>)`) {
		t.Errorf("no In force since on the page:\n%s", page[strings.Index(page, `<dl class="dates">`):])
	}
	if *d.LastUpdated != vs[0].Date || d.InForce == nil || *d.InForce != vs[2].ID || *d.InForceSince != "2026-03-01" {
		t.Errorf("API: last_updated %v in_force %v in_force_since %v", *d.LastUpdated, d.InForce, d.InForceSince)
	}
	index := readFile(t, filepath.Join(r.Dir, "public", "index.html"))
	if !strings.Contains(index, `Update takes effect <time datetime="2026-12-15">15 December 2026</time>`) {
		t.Error("index does not announce the update")
	}

	// Once in force, one date: Last updated, and no In force since.
	mustBuild(t, r.Dir, Options{Now: now.AddDate(0, 1, 0)})
	page = readFile(t, filepath.Join(r.Dir, "public", "dpa", "index.html"))
	if strings.Contains(page, "upcoming-banner") || !strings.Contains(page, "In force since") {
		// Published 22 November, in force since 15 December: both shown.
		t.Errorf("after 15 December: banner %v, In force since %v", strings.Contains(page, "upcoming-banner"), strings.Contains(page, "In force since"))
	}
	if d := loadAPI(t, r.Dir).Documents[0]; *d.InForce != vs[0].ID || *d.InForceSince != "2026-12-15" {
		t.Errorf("API after 15 December: in_force %v since %v", *d.InForce, *d.InForceSince)
	}
}

// TestSameDayVersionsShowTheTime: two versions of a document published on
// the same day (in the portal's time zone) are told apart by their time
// on every page; a version alone on its day shows its date only.
func TestSameDayVersionsShowTheTime(t *testing.T) {
	r := gittest.New(t)
	r.Write("clause.toml", "time_zone = \"Europe/Berlin\"\n")
	r.Write("content/terms.md", "# Terms\n\nFirst text.\n")
	r.Commit("2026-11-02T09:00:00Z", "Publish terms")
	r.Write("content/terms.md", "# Terms\n\nSecond text.\n")
	r.Commit("2026-11-23T08:00:00Z", "Terms: second")
	r.Write("content/terms.md", "# Terms\n\nThird text.\n")
	r.Commit("2026-11-23T10:30:00Z", "Terms: third")
	r.Write("content/privacy.md", "# Privacy\n\nFirst text.\n")
	r.Commit("2026-11-20T10:30:05Z", "Publish privacy")
	r.Write("content/privacy.md", "# Privacy\n\nSecond text.\n")
	r.Commit("2026-11-20T10:30:40Z", "Privacy: second")
	mustBuild(t, r.Dir, Options{})
	vs := loadAPI(t, r.Dir).Documents[1].Versions
	pub := filepath.Join(r.Dir, "public")
	// In the same minute, with seconds.
	if priv := readFile(t, filepath.Join(pub, "privacy", "versions", "index.html")); !strings.Contains(priv, ">20 November 2026, 11:30:05 CET<") || !strings.Contains(priv, ">20 November 2026, 11:30:40 CET<") {
		t.Error("versions published in the same minute are not told apart by their seconds")
	}

	// The redlines of the same day's versions, on the newer's page against
	// its predecessor and on the older's against the current text.
	for _, cmp := range []string{changesView(t, r.Dir, "terms", vs[0].ID), sinceView(t, r.Dir, "terms", vs[1].ID)} {
		for _, want := range []string{
			`the version of <time datetime="2026-11-23T09:00:00&#43;01:00">23 November 2026, 09:00 CET</time>`,
			`the version of <time datetime="2026-11-23T11:30:00&#43;01:00">23 November 2026, 11:30 CET</time>`,
		} {
			if !strings.Contains(cmp, want) {
				t.Errorf("redline lacks %s\n%s", want, cmp)
			}
		}
	}
	older := readFile(t, filepath.Join(pub, "terms", "versions", vs[1].ID, "index.html"))
	if !strings.Contains(older, `<strong>Superseded on <time datetime="2026-11-23T11:30:00&#43;01:00">23 November 2026, 11:30 CET</time></strong> by <a href="/terms/versions/`+vs[0].ID+`/">the version published 23 November 2026, 11:30 CET</a>`) {
		t.Errorf("superseded banner:\n%s", older[strings.Index(older, `<header class="document-header">`):])
	}
	versions := readFile(t, filepath.Join(pub, "terms", "versions", "index.html"))
	for _, want := range []string{">23 November 2026, 09:00 CET<", ">23 November 2026, 11:30 CET<", ">2 November 2026<"} {
		if !strings.Contains(versions, want) {
			t.Errorf("versions page lacks %s", want)
		}
	}
	if js := readFile(t, filepath.Join(pub, "terms", "versions", "versions.json")); !strings.Contains(js, `"date":"23 November 2026, 09:00 CET"`) || !strings.Contains(js, `"date":"2 November 2026"`) {
		t.Errorf("versions.json: %s", js)
	}
	c, err := Load(context.Background(), LoadOptions{Repo: r.Dir, Now: now, HistoryOptions: HistoryOptions{NoCache: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if v := c.Entries[1].Versions; !v[0].SharesDay || !v[1].SharesDay || v[2].SharesDay {
		t.Errorf("SharesDay: %v %v %v", v[0].SharesDay, v[1].SharesDay, v[2].SharesDay)
	}
}

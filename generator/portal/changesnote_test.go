package portal

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

// TestReaderSummaryWinsOverSubject: a version's `changes:` front matter
// note, or its commit's Summary: trailer, is the summary readers see in
// the API, the feeds and the changelog; a note kept unchanged from the
// version before is not this version's, and the commit subject stays.
func TestReaderSummaryWinsOverSubject(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\nchanges: First publication of our privacy policy.\n---\nWe keep data for a year.\n")
	r.Commit("2026-01-10T09:00:00Z", "privacy: init")
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\nchanges: First publication of our privacy policy.\n---\nWe keep data for six months.\n")
	r.Commit("2026-02-10T09:00:00Z", "privacy: retention 6mo")
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\nchanges: We no longer use <b>analytics</b> cookies.\n---\nWe keep data for six months. No analytics.\n")
	r.Commit("2026-03-10T09:00:00Z", "privacy: drop GA")
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\nchanges: We no longer use <b>analytics</b> cookies.\n---\nWe keep data for three months. No analytics.\n")
	r.Commit("2026-04-10T09:00:00Z", "privacy: retention 3mo\n\nSummary: Data is now kept for three months.")
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/"})

	vs := loadAPI(t, r.Dir).Documents[0].Versions
	want := []string{"Data is now kept for three months.", "We no longer use <b>analytics</b> cookies.", "privacy: retention 6mo", "First publication of our privacy policy."}
	if len(vs) != len(want) {
		t.Fatalf("%d versions", len(vs))
	}
	for i, w := range want {
		if vs[i].Subject != w {
			t.Errorf("version %d: subject %q, want %q", i, vs[i].Subject, w)
		}
	}
	feed := readFile(t, filepath.Join(r.Dir, "public", "feeds", "privacy.atom"))
	changelog := readFile(t, filepath.Join(r.Dir, "public", "privacy", "versions", "index.html"))
	for _, page := range []string{feed, changelog} {
		if !strings.Contains(page, "Data is now kept for three months.") || !strings.Contains(page, "First publication of our privacy policy.") {
			t.Errorf("the reader summaries are missing:\n%s", page)
		}
		if strings.Contains(page, "<b>analytics</b>") {
			t.Error("a changes note reached a page unescaped")
		}
	}
}

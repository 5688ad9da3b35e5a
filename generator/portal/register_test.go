package portal

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/api"
	"github.com/clause-portal/clause/internal/browsertest"
	"github.com/clause-portal/clause/internal/gittest"
)

const spHeader = "---\ntitle: Sub-processors\nnotice_days: 30\n---\n## Infrastructure\n\n| Sub-processor | Purpose | Location | Transfer mechanism | Website |\n|---|---|---|---|---|\n"

// registerRepo evolves a sub-processor list over several commits.
func registerRepo(t *testing.T) *gittest.Repo {
	r := gittest.New(t)
	rows := []string{
		"| Cumulus Hosting GmbH | Hosting | Germany | Not applicable (EEA) | https://cumulus.example |",
		"| Mailbird Inc. | Email delivery | United States | EU-US Data Privacy Framework | https://mailbird.example |",
		"| Helpful Ltd | Support tickets | Ireland | Not applicable (EEA) | https://helpful.example |",
	}
	write := func(rs ...string) { r.Write("content/subprocessors.md", spHeader+strings.Join(rs, "\n")+"\n") }
	write(rows...)
	r.Commit("2026-01-10T10:00:00Z", "Publish sub-processors")

	// Reorder: no change to the register (but a new version of the text).
	write(rows[2], rows[0], rows[1])
	r.Commit("2026-02-01T10:00:00Z", "Reorder")

	// Add one, rename another (same website), change a location.
	write(rows[2], rows[0],
		"| Mailbird Europe GmbH | Email delivery | Germany | Not applicable (EEA) | https://mailbird.example |",
		"| Ledgerly AB | Bank feeds | Sweden | Not applicable (EEA) | https://ledgerly.example |")
	r.Commit("2026-11-10T10:00:00Z", "Add Ledgerly; Mailbird moves to its EU entity")
	return r
}

func TestRegisterHistoryAndDeadlines(t *testing.T) {
	r := registerRepo(t)
	mustBuild(t, r.Dir, Options{})
	var subs api.Subprocessors
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(r.Dir, "public", "api", "subprocessors.json"))), &subs); err != nil {
		t.Fatal(err)
	}
	if len(subs.Lists) != 1 {
		t.Fatalf("%d lists", len(subs.Lists))
	}
	l := subs.Lists[0]
	if l.ID != "subprocessors" || l.NoticeDays != 30 || len(l.Register) != 4 || len(l.History) != 3 {
		t.Fatalf("list: id %s notice %d register %d history %d", l.ID, l.NoticeDays, len(l.Register), len(l.History))
	}
	newest, reorder, first := l.History[0], l.History[1], l.History[2]
	if len(first.Added) != 3 || first.ObjectionDeadline != nil {
		t.Errorf("first version: %d added, deadline %v", len(first.Added), first.ObjectionDeadline)
	}
	if len(reorder.Added)+len(reorder.Removed)+len(reorder.Changed)+len(reorder.Moved) != 0 || reorder.Summary != "no change to the sub-processors" || reorder.ObjectionDeadline != nil {
		t.Errorf("reordering rows is no change: %+v", reorder)
	}
	if len(newest.Added) != 1 || newest.Added[0].Name != "Ledgerly AB" || len(newest.Removed) != 0 || len(newest.Changed) != 1 {
		t.Fatalf("newest: %+v", newest)
	}
	ch := newest.Changed[0]
	fields := map[string]api.FieldChange{}
	for _, f := range ch.Fields {
		fields[f.Field] = f
	}
	if ch.Name != "Mailbird Europe GmbH" || fields["name"].Old != "Mailbird Inc." || fields["location"].New != "Germany" {
		t.Errorf("rename with same website should be one change: %+v", ch)
	}
	if newest.ObjectionDeadline == nil || *newest.ObjectionDeadline != "2026-12-10" {
		t.Errorf("deadline = %v, want 2026-11-10 + 30 days", newest.ObjectionDeadline)
	}
	// Build date 2026-11-23: the newest change is still in its notice period.
	if len(l.Upcoming) != 1 || *l.Upcoming[0].Version != *newest.Version {
		t.Errorf("upcoming: %+v", l.Upcoming)
	}
	countries := map[string][]string{}
	for _, row := range l.Register {
		countries[row.Name] = row.Countries
	}
	if got := countries["Ledgerly AB"]; len(got) != 1 || got[0] != "SE" {
		t.Errorf("countries of Ledgerly: %v", got)
	}

	page := readFile(t, filepath.Join(r.Dir, "public", "subprocessors", "index.html"))
	for _, want := range []string{
		`<h2 id="upcoming-changes">Upcoming changes</h2>`,
		`objections due by <time datetime="2026-12-10">10 December 2026</time>`,
		`<ins>Added</ins> <strong>Ledgerly AB</strong>`,
		`<h2 id="register-title">Sub-processors (4)</h2>`,
		`<a href="https://ledgerly.example" rel="noopener nofollow">Ledgerly AB</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}

	// After the deadline the change is history, not upcoming.
	later := mustBuild(t, r.Dir, Options{Now: now.AddDate(0, 1, 0)})
	_ = later
	json.Unmarshal([]byte(readFile(t, filepath.Join(r.Dir, "public", "api", "subprocessors.json"))), &subs)
	if len(subs.Lists[0].Upcoming) != 0 {
		t.Errorf("after the deadline: upcoming %+v", subs.Lists[0].Upcoming)
	}
}

func TestRegisterValidationStopsBuild(t *testing.T) {
	r := registerRepo(t)
	mustBuild(t, r.Dir, Options{})
	before := readFile(t, filepath.Join(r.Dir, "public", "subprocessors", "index.html"))
	r.Write("content/subprocessors.md", spHeader+
		"| Cumulus Hosting GmbH | Hosting | Germany | Not applicable (EEA) | https://cumulus.example |\n"+
		"| Nameless |  | Germany | | |\n"+
		"| Faraway Pty | Analytics | Australia | | https://faraway.example |\n")
	var log strings.Builder
	_, err := build(t, r.Dir, Options{Log: &log})
	if err == nil || !strings.Contains(err.Error(), "content/subprocessors.md:10:") {
		t.Fatalf("want an error at content/subprocessors.md:10, got %v", err)
	}
	if !strings.Contains(log.String(), "content/subprocessors.md:11: warning:") {
		t.Errorf("no warning for a transfer without mechanism: %q", log.String())
	}
	if readFile(t, filepath.Join(r.Dir, "public", "subprocessors", "index.html")) != before {
		t.Error("failed build changed the output")
	}
}

// TestRegisterInChromium filters and sorts the register in a real browser.
func TestRegisterInChromium(t *testing.T) {
	r := registerRepo(t)
	mustBuild(t, r.Dir, Options{})
	base := browsertest.Serve(t, filepath.Join(r.Dir, "public"), browsertest.NetlifyHeaders(t, filepath.Join("..", "..", "netlify.toml")))
	p := browsertest.New(t).Open(t, base+"/subprocessors/")
	names := func() []string {
		return browsertest.Eval[[]string](p, `Array.from(document.querySelectorAll(".register-table tbody tr")).filter(r => !r.hidden).map(r => r.cells[0].textContent.trim())`)
	}
	if got := names(); len(got) != 4 {
		t.Fatalf("rows: %v", got)
	}
	if hidden := browsertest.Eval[bool](p, `document.querySelector(".register-controls").hidden`); hidden {
		t.Fatal("controls not shown with JavaScript on")
	}
	// Sort by name, ascending then descending.
	p.Click(`th:nth-child(1) button.sort`)
	if got := names(); strings.Join(got, ",") != "Cumulus Hosting GmbH,Helpful Ltd,Ledgerly AB,Mailbird Europe GmbH" {
		t.Errorf("ascending: %v", got)
	}
	p.Click(`th:nth-child(1) button.sort`)
	if got := names(); got[0] != "Mailbird Europe GmbH" {
		t.Errorf("descending: %v", got)
	}
	if sort := browsertest.Eval[string](p, `document.querySelector("th:nth-child(1)").getAttribute("aria-sort")`); sort != "descending" {
		t.Errorf("aria-sort = %q", sort)
	}
	// Filter by text, then by country.
	p.Type(`.register-filter`, "bank")
	if got := names(); len(got) != 1 || got[0] != "Ledgerly AB" {
		t.Errorf("filter 'bank': %v", got)
	}
	if c := p.Text(".register-count"); c != "Showing 1 of 4 sub-processors" {
		t.Errorf("count: %q", c)
	}
	p.Clear(`.register-filter`)
	browsertest.Eval[bool](p, `(() => { const s = document.querySelector(".register-country"); s.value = "Germany"; s.dispatchEvent(new Event("change")); return true })()`)
	if got := names(); strings.Join(got, ",") != "Mailbird Europe GmbH,Cumulus Hosting GmbH" {
		t.Errorf("country Germany: %v", got)
	}
	for _, problem := range p.Problems() {
		t.Error(problem)
	}
}

// TestUpcomingRowFromFrontMatter: a row whose own effective date is ahead
// is announced ("takes effect on …") until then; switching the list from a
// table to front matter is no change to the register.
func TestUpcomingRowFromFrontMatter(t *testing.T) {
	r := registerRepo(t)
	r.Write("content/subprocessors.md", `---
title: Sub-processors
notice_days: 30
subprocessors:
  - name: Helpful Ltd
    purpose: Support tickets
    location: Ireland
    transfer_mechanism: Not applicable (EEA)
    website: https://helpful.example
    group: Infrastructure
  - name: Cumulus Hosting GmbH
    purpose: Hosting
    location: Germany
    transfer_mechanism: Not applicable (EEA)
    website: https://cumulus.example
    group: Infrastructure
  - name: Mailbird Europe GmbH
    purpose: Email delivery
    location: Germany
    transfer_mechanism: Not applicable (EEA)
    website: https://mailbird.example
    group: Infrastructure
  - name: Ledgerly AB
    purpose: Bank feeds
    location: Sweden
    transfer_mechanism: Not applicable (EEA)
    website: https://ledgerly.example
    group: Infrastructure
---
The list below is kept in front matter.
`)
	r.Commit("2026-11-15T10:00:00Z", "Move the list to front matter")
	r.Write("content/subprocessors.md", strings.Replace(readFile(t, filepath.Join(r.Dir, "content", "subprocessors.md")), "---\nThe list", "  - name: Quillon Analytics SAS\n    purpose: Product analytics\n    location: France\n    website: https://quillon.example\n    group: Infrastructure\n    effective: 2027-01-15\n---\nThe list", 1))
	r.Commit("2026-11-20T10:00:00Z", "Add Quillon from 15 January")
	mustBuild(t, r.Dir, Options{})

	var subs api.Subprocessors
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(r.Dir, "public", "api", "subprocessors.json"))), &subs); err != nil {
		t.Fatal(err)
	}
	l := subs.Lists[0]
	if moved := l.History[1]; moved.Summary != "no change to the sub-processors" {
		t.Errorf("table → front matter: %q, want no changes", moved.Summary)
	}
	var row *api.RegisterChange
	for i := range l.Upcoming {
		if l.Upcoming[i].Version == nil {
			row = &l.Upcoming[i]
		}
	}
	if row == nil || len(row.Added) != 1 || row.Added[0].Name != "Quillon Analytics SAS" || *row.Effective != "2027-01-15" {
		t.Fatalf("upcoming row: %+v", l.Upcoming)
	}
	page := readFile(t, filepath.Join(r.Dir, "public", "subprocessors", "index.html"))
	if !strings.Contains(page, `<strong>Quillon Analytics SAS</strong> (Product analytics; France) takes effect on <time datetime="2027-01-15">15 January 2027</time>`) {
		t.Error("upcoming row not announced")
	}
	if !strings.Contains(page, `<details class="document-text" open>`) {
		t.Error("with the list in front matter, the document text should be open")
	}
}

// TestRegisterHistoryHoldsShownRegistersOnly checks that the register
// history keeps the rows of the versions the portal shows (the newest and
// the one in force) and not those of every version, whose memory would grow
// with the history, while each version's notice period, changes and
// deadline are still known.
func TestRegisterHistoryHoldsShownRegistersOnly(t *testing.T) {
	r := registerRepo(t)
	// A fourth version, in force later than the build date, with a shorter
	// notice period.
	r.Write("content/subprocessors.md", strings.Replace(spHeader, "notice_days: 30", "notice_days: 14\neffective: 2027-01-01", 1)+
		"| Cumulus Hosting GmbH | Hosting | Germany | Not applicable (EEA) | https://cumulus.example |\n")
	r.Commit("2026-11-20T10:00:00Z", "Only Cumulus from next year")
	c, err := Load(t.Context(), LoadOptions{Repo: r.Dir, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	e := c.Entries[0]
	h, err := c.Register(e)
	if err != nil || h == nil {
		t.Fatalf("Register: %v, %v", h, err)
	}
	inForce := e.InForce(c.Today, c.Config.Location)
	if len(e.Versions) != 4 || inForce != 1 {
		t.Fatalf("%d versions, in force %d: the fixture is not what the test needs", len(e.Versions), inForce)
	}
	for i := range e.Versions {
		if shown := i == 0 || i == inForce; (h.Registers[i] != nil) != shown {
			t.Errorf("version %d: register held %v, want %v", i, h.Registers[i] != nil, shown)
		}
	}
	if len(h.Registers[0].Rows) != 1 || len(h.Registers[1].Rows) != 4 {
		t.Errorf("rows: newest %d, in force %d", len(h.Registers[0].Rows), len(h.Registers[1].Rows))
	}
	if want := []int{14, 30, 30, 30}; !slices.Equal(h.NoticeDays, want) {
		t.Errorf("notice days %v, want %v", h.NoticeDays, want)
	}
	if got := len(h.Changes[0].Removed); got != 3 {
		t.Errorf("newest version removes %d, want 3", got)
	}
	if got := len(h.Changes[1].Added); got != 1 {
		t.Errorf("version 1 adds %d, want 1 (Ledgerly)", got)
	}
}

package portal

import (
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause/internal/gittest"
)

// TestNoticeProblems: a DPA that states 30 days' notice, and a material
// version published 10 days before its effective date, is warned about at
// the line of the statement; 40 days, a minor version or a version already
// in force are not.
func TestNoticeProblems(t *testing.T) {
	dpa := func(effective, extra string) string {
		return "---\ntitle: DPA\nkind: dpa\neffective: " + effective + "\n---\n# DPA\n\n" +
			"Northwind will give the Customer at least 30 days' notice of any material change to this DPA.\n\n" + // line 8
			"Breaches are notified within 48 hours." + extra + "\n"
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		effective string // of the second version, published 2026-03-01
		trailer   string
		wantDays  string // "" for no warning
	}{
		{"10 days", "2026-03-11", "", "takes effect on 2026-03-11, 10 days after its publication"},
		{"40 days", "2026-04-10", "", ""},
		{"30 days exactly", "2026-03-31", "", ""},
		{"minor", "2026-03-11", "\n\nChange-Type: minor", ""},
		{"no effective date", "", "", "applies on publication (it has no effective date)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.New(t)
			r.Write("content/dpa.md", dpa("2026-01-01", ""))
			r.Commit("2026-01-01T10:00:00Z", "Publish")
			r.Write("content/dpa.md", dpa(tc.effective, " Audits yearly."))
			r.Commit("2026-03-01T10:00:00Z", "Audits"+tc.trailer)
			c, err := Load(t.Context(), LoadOptions{Repo: r.Dir, Now: now, HistoryOptions: HistoryOptions{NoCache: true}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			got := c.NoticeProblems()
			if tc.wantDays == "" {
				if len(got) != 0 {
					t.Errorf("warnings: %v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("warnings: %v", got)
			}
			msg := got[0].Error()
			for _, want := range []string{"content/dpa.md:8: warning: material version ", " of dpa (", "published 2026-03-01) " + tc.wantDays,
				`: sooner than the notice period of 30 days stated here ("30 days' notice")`} {
				if !strings.Contains(msg, want) {
					t.Errorf("warning lacks %q:\n%s", want, msg)
				}
			}
			// Once in force, the version is past warning.
			later, err := Load(t.Context(), LoadOptions{Repo: r.Dir, Now: now.AddDate(0, 2, 0), HistoryOptions: HistoryOptions{NoCache: true}})
			if err != nil {
				t.Fatal(err)
			}
			defer later.Close()
			if got := later.NoticeProblems(); len(got) != 0 {
				t.Errorf("a version in force still warned about: %v", got)
			}
		})
	}
}

// TestNoticeProblemsNoticeDays: notice_days in front matter is a stated
// period; the default is not; a document that is not a DPA is not checked.
func TestNoticeProblemsNoticeDays(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		front string
		warn  bool
	}{
		{"kind: dpa\nnotice_days: 14\n", true},
		{"kind: dpa\nnotice_days: 7\n", false},
		{"kind: dpa\n", false},
		{"kind: terms\nnotice_days: 14\n", false},
	} {
		r := gittest.New(t)
		r.Write("content/dpa.md", "---\n"+tc.front+"effective: 2026-01-01\n---\n# DPA\n\nText.\n")
		r.Commit("2026-01-01T10:00:00Z", "Publish")
		r.Write("content/dpa.md", "---\n"+tc.front+"effective: 2026-03-11\n---\n# DPA\n\nNew text.\n")
		r.Commit("2026-03-01T10:00:00Z", "Change")
		c, err := Load(t.Context(), LoadOptions{Repo: r.Dir, Now: now, HistoryOptions: HistoryOptions{NoCache: true}})
		if err != nil {
			t.Fatal(err)
		}
		got := c.NoticeProblems()
		c.Close()
		if (len(got) > 0) != tc.warn || tc.warn && !strings.Contains(got[0].Error(), `content/dpa.md:3: warning: `) {
			t.Errorf("%q: %v", tc.front, got)
		}
	}
}

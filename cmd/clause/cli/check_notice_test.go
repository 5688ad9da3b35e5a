package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause/internal/gittest"
)

// TestCheckNoticePeriod: clause check warns, at the line where the DPA
// states "thirty (30) days prior written notice", about a material version
// published 10 days before its effective date, and not about one published
// 40 days before; an uncommitted edit counts as published today.
func TestCheckNoticePeriod(t *testing.T) {
	now := time.Now().UTC()
	day := func(d int) string { return now.AddDate(0, 0, d).Format("2006-01-02") }
	dpa := func(effective, text string) string {
		return "---\ntitle: DPA\neffective: " + effective + "\n---\n# DPA\n\n" +
			"Northwind will give thirty (30) days prior written notice of changes.\n\n" + text + "\n" // the statement is on line 7
	}
	for _, tc := range []struct {
		days int
		warn bool
	}{{10, true}, {40, false}} {
		r := gittest.New(t)
		r.Write("content/dpa.md", dpa(day(-100), "First text."))
		r.Commit(now.AddDate(0, 0, -100).Format(time.RFC3339), "Publish")
		r.Write("content/dpa.md", dpa(day(tc.days), "Second text."))
		second := r.Commit(now.Format(time.RFC3339), "Second")
		code, out, errOut := run(t, "check", "--repo", r.Dir)
		if code != ExitOK {
			t.Fatalf("%d days: exit %d %s", tc.days, code, errOut)
		}
		want := "content/dpa.md:7: warning: material version "
		if got := strings.Contains(errOut, want); got != tc.warn {
			t.Errorf("%d days: warned %v, want %v:\n%s%s", tc.days, got, tc.warn, out, errOut)
		}
		if tc.warn {
			for _, s := range []string{"(" + second[:7] + ", published " + day(0) + ") takes effect on " + day(10) + ", 10 days after its publication",
				`notice period of 30 days stated here ("thirty (30) days prior written notice")`} {
				if !strings.Contains(errOut, s) {
					t.Errorf("warning lacks %q:\n%s", s, errOut)
				}
			}
			if code, _, _ := run(t, "check", "--strict", "--repo", r.Dir); code != ExitError {
				t.Errorf("--strict with the warning: exit %d", code)
			}
		}
		// An uncommitted edit taking effect in 5 days, as if published today.
		r.Write("content/dpa.md", dpa(day(5), "Third text."))
		_, _, errOut = run(t, "check", "--repo", r.Dir)
		if !strings.Contains(errOut, "content/dpa.md:7: warning: the uncommitted change of dpa, if published today ("+day(0)+"), takes effect on "+day(5)+", 5 days after") {
			t.Errorf("%d days, uncommitted edit: %s", tc.days, errOut)
		}
	}
}

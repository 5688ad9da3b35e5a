package portal

import (
	"testing"
	"time"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/history"
)

func date(s string) document.Date {
	d, err := document.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestInForce covers the rule for which version applies on a day: the
// newest one whose effective date (or publication, if later) has come.
func TestInForce(t *testing.T) {
	v := func(published, effective string) *Version {
		p, _ := time.Parse(time.RFC3339, published)
		var eff document.Date
		if effective != "" {
			eff = date(effective)
		}
		return &Version{Version: history.Version{Date: p}, Effective: eff}
	}
	e := &Entry{Versions: []*Version{ // newest first
		v("2026-09-01T10:00:00Z", "2026-12-01"), // announced, takes effect later
		v("2026-05-01T10:00:00Z", "2026-01-01"), // backdated: applies from publication
		v("2026-01-10T10:00:00Z", ""),           // no effective date: from publication
	}}
	for day, want := range map[string]int{
		"2026-01-09": -1, // nothing published yet
		"2026-01-10": 2,
		"2026-02-01": 2, // the backdated text was not published yet
		"2026-05-01": 1,
		"2026-11-30": 1, // the newest is published but not in force
		"2026-12-01": 0,
	} {
		if got := e.InForce(date(day), time.UTC); got != want {
			t.Errorf("%s: in force %d, want %d", day, got, want)
		}
	}
	if s := e.Status(0, date("2026-11-30"), time.UTC); s != StatusUpcoming {
		t.Errorf("status of the announced version: %s", s)
	}
	if s := e.Status(2, date("2026-11-30"), time.UTC); s != StatusSuperseded {
		t.Errorf("status of the first version: %s", s)
	}
	// Publication dates are days in the portal's zone: 23:30 UTC on 9
	// January is already 10 January in Berlin.
	late := &Entry{Versions: []*Version{v("2026-01-09T23:30:00Z", "")}}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	if late.InForce(date("2026-01-09"), berlin) != -1 || late.InForce(date("2026-01-10"), berlin) != 0 {
		t.Error("publication day not taken in the portal's time zone")
	}
}

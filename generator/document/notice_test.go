package document

import (
	"reflect"
	"testing"
)

// TestNoticePeriods finds the notice periods a text states, with their
// file lines, and nothing from texts that state none clearly.
func TestNoticePeriods(t *testing.T) {
	src := "---\ntitle: DPA\nnotice_days: 21\n---\n" + // body starts on line 5
		"# DPA\n\n" +
		"We will give the Customer at least 30 days' notice of any material change.\n\n" + // 7
		"Northwind will provide thirty (30) days prior\nwritten notice of a new Sub-processor.\n\n" + // 9: the sub-processor list's period
		"Changes take effect after thirty (30) days prior\nwritten notice. New sub-processors are listed.\n\n" + // 12: another sentence
		"Northwind will inform the Customer of the change no less than **14 days** before it applies.\n\n" + // 15
		"A minimum of fourteen days in advance, Northwind will notify the Customer of updates.\n\n" + // 17
		"Sixty days’ notice applies to amendments.\n\n" + // 19
		"Breaches are reported within 48 hours, and audits take place at least 30 days before the end of the year.\n\n" + // 21: no notice word
		"The Customer may object within 30 days of receiving the notice.\n\n" + // 23: a deadline, not a notice period
		"We give one month's notice, and 2 weeks' notice of minor changes.\n\n" + // 25: not in days
		"The Customer will give at least 30 days' written notice of an audit.\n" // 27: not about changes
	d, err := Parse("content/dpa.md", "content", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := NoticePeriods(d)
	want := []NoticeStatement{
		{30, 7, "30 days' notice"},
		{30, 12, "thirty (30) days prior written notice"},
		{14, 15, "no less than 14 days before"},
		{14, 17, "A minimum of fourteen days in advance"},
		{60, 19, "Sixty days’ notice"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NoticePeriods:\n got %+v\nwant %+v", got, want)
	}
	s, ok := NoticeDaysStatement(d)
	if !ok || s != (NoticeStatement{21, 3, "notice_days: 21"}) {
		t.Errorf("NoticeDaysStatement = %+v, %v", s, ok)
	}
	d, _ = Parse("content/dpa.md", "content", []byte("# DPA\n\nNo periods here.\n"))
	if got := NoticePeriods(d); len(got) != 0 {
		t.Errorf("periods in a text without any: %+v", got)
	}
	if _, ok := NoticeDaysStatement(d); ok {
		t.Error("the default notice_days counted as stated")
	}
}

func TestDaysBetween(t *testing.T) {
	a, _ := ParseDate("2026-02-20")
	b, _ := ParseDate("2026-03-22")
	if got := DaysBetween(a, b); got != 30 {
		t.Errorf("DaysBetween = %d, want 30", got)
	}
	if got := DaysBetween(b, a); got != -30 {
		t.Errorf("DaysBetween backwards = %d, want -30", got)
	}
}

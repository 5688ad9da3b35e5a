package feed

import (
	"bytes"
	"reflect"
	"testing"
	"time"
)

// TestSharedContent: feeds that share their entries' content (Shared)
// are byte for byte those that do not, and an entry that differs from the
// one kept under its ID in any field gets its own content.
func TestSharedContent(t *testing.T) {
	base := Entry{
		ID: "urn:clause:dpa:v2", Title: "DPA: breach notice", URL: "/dpa/versions/2/", DocumentURL: "/dpa/", DiffURL: "/dpa/compare/",
		Published: time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC), Document: "DPA", Language: "en", Kind: "dpa",
		Subject: "48-hour breach notice", Summary: "1 clause changed", Material: true, Effective: "2026-04-01",
		ObjectionDeadline: "2026-03-31", Details: []string{"Added: Acme <Hosting>"},
	}
	// Every field of Entry, changed one at a time.
	variants := []func(e *Entry){
		func(e *Entry) { e.Title += "!" }, func(e *Entry) { e.URL += "x" }, func(e *Entry) { e.DocumentURL += "x" },
		func(e *Entry) { e.DiffURL = "" }, func(e *Entry) { e.Published = e.Published.Add(time.Minute) },
		func(e *Entry) { e.Published = e.Published.In(time.FixedZone("CET", 3600)) },
		func(e *Entry) { e.Document = "Terms" }, func(e *Entry) { e.Language = "de" }, func(e *Entry) { e.Kind = "terms" },
		func(e *Entry) { e.Subject = "Other" }, func(e *Entry) { e.Summary = "" }, func(e *Entry) { e.Material = false },
		func(e *Entry) { e.Effective = "" }, func(e *Entry) { e.ObjectionDeadline = "" }, func(e *Entry) { e.Details = nil },
	}
	if n := reflect.TypeFor[Entry]().NumField(); n != 15 {
		t.Fatalf("Entry has %d fields, this test knows 15: change the new one here and in Entry.equal", n)
	}
	shared := &Shared{}
	first := &Feed{ID: "a", Title: "A", Updated: base.Published, Entries: []Entry{base}, Shared: shared}
	if _, err := first.Atom(""); err != nil {
		t.Fatal(err)
	}
	for i, change := range variants {
		e := base
		e.Details = append([]string(nil), base.Details...)
		change(&e)
		if e.equal(base) {
			t.Errorf("variant %d: equal to the original", i)
		}
		with := &Feed{ID: "b", Title: "B", Updated: e.Published, Entries: []Entry{e}, Shared: shared}
		without := &Feed{ID: "b", Title: "B", Updated: e.Published, Entries: []Entry{e}}
		for _, enc := range []func(f *Feed) ([]byte, error){func(f *Feed) ([]byte, error) { return f.Atom("/feed.json") }, (*Feed).JSON} {
			a, err := enc(with)
			if err != nil {
				t.Fatal(err)
			}
			b, err := enc(without)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("variant %d: the shared content differs from the entry's own:\n%s\n---\n%s", i, a, b)
			}
		}
	}
}

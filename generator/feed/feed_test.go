package feed

import (
	"bytes"
	"encoding/json"
	"fmt"
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
		t.Fatalf("Entry has %d fields, this test knows 15: change the new one here, in Entry.equal and in Feed.Digest", n)
	}
	// Every field of Feed but Shared and Entries, changed one at a time,
	// changes its digest; so does the alternate URL.
	feedVariants := []func(f *Feed){
		func(f *Feed) { f.ID += "x" }, func(f *Feed) { f.Title += "x" }, func(f *Feed) { f.Subtitle += "x" },
		func(f *Feed) { f.HomeURL += "x" }, func(f *Feed) { f.SelfURL += "x" }, func(f *Feed) { f.Author += "x" },
		func(f *Feed) { f.Language += "x" }, func(f *Feed) { f.Updated = f.Updated.Add(time.Second) },
		func(f *Feed) { f.Entries = append(f.Entries, base) },
	}
	if n := reflect.TypeFor[Feed]().NumField(); n != len(feedVariants)+1 {
		t.Fatalf("Feed has %d fields, this test changes %d: add the new one here and to Feed.Digest", n, len(feedVariants))
	}
	mk := func() *Feed { return &Feed{ID: "f", Title: "T", Updated: base.Published, Entries: []Entry{base}} }
	for i, change := range feedVariants {
		f := mk()
		change(f)
		if f.Digest("/a") == mk().Digest("/a") {
			t.Errorf("feed variant %d: same digest", i)
		}
	}
	if mk().Digest("/a") == mk().Digest("/b") || mk().Digest("/a") != mk().Digest("/a") {
		t.Error("the alternate URL is not in the digest, or the digest is not stable")
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
		in := func(e Entry) *Feed { return &Feed{ID: "f", Updated: base.Published, Entries: []Entry{e}} }
		if in(e).Digest("") == in(base).Digest("") {
			t.Errorf("variant %d: the feed's digest is the original's", i)
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

// TestEncodeJSONFeedAsEncoder: the JSON feed, encoded item by item, has
// the bytes json.Encoder writes for the whole feed indented by two spaces,
// with no item, one, or several (HTML, quotes, non-ASCII, nested values).
func TestEncodeJSONFeedAsEncoder(t *testing.T) {
	item := func(i int) jsonItem {
		return jsonItem{
			ID: fmt.Sprintf("urn:x:%d", i), URL: "https://legal.example.com/dpa/", Title: "DPA \"v2\" – Änderung",
			ContentHTML: fmt.Sprintf("<h2 id=\"s%d\">Scope &amp; purpose</h2>\n<p>The processor\u2028shall <em>act</em>.</p>", i),
			ContentText: "Added 1 <sub-processor>", Summary: "", DatePublished: "2026-01-02T10:00:00Z",
			Tags: []string{"material", "dpa"}, Clause: map[string]any{"document": "dpa", "effective": nil, "n": i, "deep": map[string]any{"a": []any{1, "b", nil}}},
		}
	}
	for _, n := range []int{0, 1, 3} {
		jf := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: "Legal <portal>", Language: "de", HomePageURL: "https://legal.example.com/",
			Authors: []jsonAuthor{{Name: "Acme & Co"}}, Items: []jsonItem{}}
		for i := range n {
			jf.Items = append(jf.Items, item(i))
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(jf); err != nil {
			t.Fatal(err)
		}
		got, err := encodeJSONFeed(jf)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%d items:\ngot\n%s\nwant\n%s", n, got, want.Bytes())
		}
	}
}

package portal

import (
	"crypto/sha256"
	"reflect"
	"testing"

	"github.com/clause-portal/clause/generator/diff"
	"github.com/clause-portal/clause/generator/markdown"
)

// TestMemoValuesRoundTrip: what the memo keeps reads back the same, every
// field of it, and a cut or padded value is refused.
func TestMemoValuesRoundTrip(t *testing.T) {
	ref := func(s string) blobRef { return blobRef{Sum: sha256.Sum256([]byte(s)), Size: len(s)} }
	links := []resolved{{Dest: "terms.md#liability", To: "/terms/#clause-9", OK: true}, {Dest: "https://x.io", To: "", OK: false}}
	values := []struct{ in, out memoValue }{
		{&compareMemo{HTML: ref("<ins>72</ins>"), Facts: compared{RedlineSummary: "1 clause changed", Summary: "1 clause changed; effective date", Identical: false, SourceChanged: true,
			Metadata: []string{"Effective date: 2026-01-01 → 2026-02-01"}, Stats: diff.Stats{Changed: 1, Inserted: 2, Deleted: 3, Moved: 4, Unchanged: 5, Renumbered: 6, Reparagraphed: 7}},
			LinksFrom: links, LinksTo: links[:1]}, &compareMemo{}},
		{&textMemo{JSON: ref(`{"blocks":[]}`), Links: links}, &textMemo{}},
		{&feedMemo{Atom: ref("<feed/>"), JSON: ref("{}")}, &feedMemo{}},
		{&renderMemo{HTML: ref("<h2 id=\"a\">A</h2>"), Headings: []markdown.Heading{{Level: 2, ID: "a", Number: "1.", Text: "A", Line: 3}}, Links: links}, &renderMemo{}},
	}
	for _, v := range values {
		var w memoWriter
		v.in.encode(&w)
		r := &memoReader{b: w.b}
		v.out.decode(r)
		if !r.ok() || !reflect.DeepEqual(v.in, v.out) {
			t.Errorf("%T: read back %+v, want %+v", v.in, v.out, v.in)
		}
		for _, bad := range [][]byte{w.b[:len(w.b)-1], append(append([]byte{}, w.b...), 0)} {
			r := &memoReader{b: bad}
			v.out.decode(r)
			if r.ok() {
				t.Errorf("%T: a value of %d bytes instead of %d was read", v.in, len(bad), len(w.b))
			}
		}
	}
	// The memo writes these structures field by field: a field added to
	// one of them must be added to its encode and decode (and here).
	for typ, n := range map[reflect.Type]int{
		reflect.TypeFor[markdown.Heading](): 5, reflect.TypeFor[compared](): 6, reflect.TypeFor[diff.Stats](): 7, reflect.TypeFor[resolved](): 3, reflect.TypeFor[blobRef](): 2,
		reflect.TypeFor[compareMemo](): 4, reflect.TypeFor[feedMemo](): 2, reflect.TypeFor[textMemo](): 2, reflect.TypeFor[renderMemo](): 3,
	} {
		if typ.NumField() != n {
			t.Errorf("%s has %d fields, the memo writes %d", typ, typ.NumField(), n)
		}
	}
}

package api

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// marshalStd is what Marshal was before its own indenting: the oracle.
func marshalStd(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(v)
	return buf.Bytes(), err
}

func TestMarshalIndentsAsEncoder(t *testing.T) {
	eff := "2026-01-01"
	for _, v := range []any{
		Documents{Generated: "2026-11-23T00:00:00Z", Documents: []Document{
			{ID: "dpa", Title: `A "quoted" title, with \ and <b>&</b>: {[,]}`, Effective: &eff,
				Versions: []Version{{ID: "abc", Subject: "Ünïcödé \u2028 and \t tabs", Material: true}}},
			{ID: "empty", Versions: []Version{}},
		}},
		map[string]any{"a": []any{}, "b": map[string]any{}, "c": []any{[]any{}, map[string]any{"x": nil}}, "d": 1.5e300, "e": "\\"},
		[]string{`"`, `\"`, `\\`, `\\"`, ""},
		"plain",
		nil,
		[]any{},
	} {
		got, err := Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		want, err := marshalStd(v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("Marshal(%#v):\n%s\nencoding/json indents:\n%s", v, got, want)
		}
	}
}

// FuzzIndent checks indent against json.Indent on the compact encoding of
// any JSON value.
func FuzzIndent(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,{"b":"c\"]"}],"d":{}}`, `"x\\"`, `[[[]],{}]`, `null`, strings.Repeat(`{"a":[`, 40) + `1` + strings.Repeat(`]}`, 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var v any
		if json.Unmarshal([]byte(in), &v) != nil {
			return
		}
		var compact bytes.Buffer
		enc := json.NewEncoder(&compact)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		indent(&got, compact.Bytes())
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("indent(%s):\n%s\njson.Indent:\n%s", compact.Bytes(), got.Bytes(), want.Bytes())
		}
		var written bytes.Buffer
		if err := Write(&written, v); err != nil || !bytes.Equal(written.Bytes(), want.Bytes()) {
			t.Errorf("Write(%s): %v\n%s\njson.Indent:\n%s", compact.Bytes(), err, written.Bytes(), want.Bytes())
		}
	})
}

func BenchmarkMarshalDocuments(b *testing.B) {
	v := Documents{Generated: "2026-11-23T00:00:00Z"}
	for d := range 200 {
		doc := Document{ID: "doc", Title: "A document"}
		for range 30 {
			doc.Versions = append(doc.Versions, Version{ID: "0123456789ab", Commit: "0123456789abcdef0123456789abcdef01234567",
				Date: "2026-01-01T00:00:00+01:00", Path: "content/doc.md", Subject: "Update the clauses on sub-processors", Material: d%2 == 0})
		}
		v.Documents = append(v.Documents, doc)
	}
	b.Run("indent", func(b *testing.B) {
		for b.Loop() {
			if _, err := Marshal(v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoder-indent", func(b *testing.B) {
		for b.Loop() {
			if _, err := marshalStd(v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestWriteStreamsAsEncoder checks that Write, which writes the lists of
// the API element by element, writes what encoding/json writes: empty and
// nil slices, null pointers, omitted fields, text to escape, at depth.
func TestWriteStreamsAsEncoder(t *testing.T) {
	s := func(v string) *string { return &v }
	row := Subprocessor{Name: `A <b> & "C"`, Purpose: "Mail\n", Countries: []string{"DE"}, DataCategories: []string{}, Website: s("https://a.example/?a=1&b=2"), Key: "a"}
	change := RegisterChange{Version: s("v1"), Material: true, Summary: "1 added", Added: []Subprocessor{row, {Name: "B"}}, Removed: []Subprocessor{}, Changed: []ChangedRecord{{Name: "C", Fields: []FieldChange{{Field: "purpose", Old: "x", New: "y"}}}, {Name: "D"}}}
	for _, v := range []any{
		Subprocessors{Generated: "2026-01-01T00:00:00Z", Lists: []SubprocessorList{
			{ID: "subprocessors", Title: "Sub-processors", Register: []Subprocessor{row, row}, Upcoming: []RegisterChange{}, History: []RegisterChange{change, {}}},
			{ID: "empty"},
		}},
		Subprocessors{},
		&Subprocessors{Lists: []SubprocessorList{}},
		Documents{Generated: "x", Documents: []Document{
			{ID: "dpa", FormerIDs: []string{"old"}, Translations: []Translation{{ID: "dpa.de", Language: "de"}}, Binding: "en", TranslationOf: &TranslationOf{ID: "x"}, Versions: []Version{{ID: "a", Effective: s("2026-01-01")}, {}}},
			{ID: "terms", Versions: []Version{}},
		}},
		[]Document{{ID: "a"}},
		[]Document(nil),
		map[string]any{"a": []Version{{ID: "x"}}},
	} {
		want, err := marshalStd(v)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := Write(&got, v); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("Write(%T):\n%s\nencoding/json:\n%s", v, got.Bytes(), want)
		}
	}
	if !streamed(reflect.TypeFor[Subprocessors]()) || streamed(reflect.TypeFor[Subprocessor]()) {
		t.Error("the register's lists are not written element by element, or each row is not encoded whole")
	}
}

// TestWriteDirectAsEncoder writes random rows, whose fields Write writes
// itself (see direct), and wants what encoding/json writes.
func TestWriteDirectAsEncoder(t *testing.T) {
	if !direct(reflect.TypeFor[Subprocessor]()) || !direct(reflect.TypeFor[Version]()) || direct(reflect.TypeFor[RegisterChange]()) {
		t.Fatal("rows or versions are not written directly, or changes are")
	}
	rng := rand.New(rand.NewSource(11))
	pieces := []string{"", "a", "Z9", " ", "<", ">", "&", `"`, `\`, "\n", "\t", "\x00", "\x1f", "\x7f", "é", "東", "\u2028", "\u2029", "\xff", "/", "'"}
	str := func() string {
		var b strings.Builder
		for range rng.Intn(5) {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		return b.String()
	}
	ptr := func() *string {
		if rng.Intn(3) == 0 {
			return nil
		}
		s := str()
		return &s
	}
	list := func() []string {
		switch rng.Intn(3) {
		case 0:
			return nil
		case 1:
			return []string{}
		}
		var out []string
		for range 1 + rng.Intn(3) {
			out = append(out, str())
		}
		return out
	}
	var rows []Subprocessor
	for range 2000 {
		rows = append(rows, Subprocessor{Name: str(), Purpose: str(), Location: str(), Countries: list(), EntityCountry: ptr(),
			TransferMechanism: ptr(), DataCategories: list(), Website: ptr(), Group: ptr(), Added: ptr(), Effective: ptr(), Key: str()})
	}
	var versions []Version
	for range 2000 {
		versions = append(versions, Version{ID: str(), Commit: str(), Date: str(), Path: str(), Subject: str(), Material: rng.Intn(2) == 0,
			LayoutOnly: rng.Intn(2) == 0, Effective: ptr(), SHA256: str(), URL: str(), DiffURL: ptr()})
	}
	for _, v := range []any{
		Subprocessors{Lists: []SubprocessorList{{ID: "x", Register: rows, History: []RegisterChange{{Added: rows[:10]}}}}},
		Documents{Documents: []Document{{ID: "a", Versions: versions}, {ID: "b", Versions: versions[:1]}}},
		flags{A: true, C: true},
		flags{B: true},
	} {
		writesAsEncoder(t, v)
	}
}

// flags has bool fields, omitted when false or not, of named bool types.
type flags struct {
	A bool   `json:"a"`
	B bool   `json:"b,omitempty"`
	C yes    `json:"c"`
	D yes    `json:"d,omitempty"`
	E []flag `json:"e"`
}

type (
	yes  bool
	flag struct {
		On yes `json:"on,omitempty"`
	}
)

// writesAsEncoder fails t unless Write writes v as encoding/json does.
func writesAsEncoder(t *testing.T, v any) {
	t.Helper()
	want, err := marshalStd(v)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := Write(&got, v); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		g, w := got.String(), string(want)
		i := 0
		for i < len(g) && i < len(w) && g[i] == w[i] {
			i++
		}
		t.Fatalf("Write differs from encoding/json at byte %d:\n%q\nwant\n%q", i, g[max(i-80, 0):min(i+80, len(g))], w[max(i-80, 0):min(i+80, len(w))])
	}
}

// TestPlainString checks plainString, which tests 8 bytes at a time,
// against a test of each byte, on random strings of bytes at the edges of
// what it accepts, at every position of strings of up to 40 bytes.
func TestPlainString(t *testing.T) {
	plain := func(s string) bool {
		for i := range len(s) {
			if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
				return false
			}
		}
		return true
	}
	edges := []byte{0x00, 0x01, 0x1f, 0x20, 0x21, '!', '"', '#', '[', '\\', ']', 'a', 0x7e, 0x7f, 0x80, 0x81, 0xa0, 0xfe, 0xff}
	rng := rand.New(rand.NewSource(5))
	var accepted, refused int
	for range 200000 {
		b := make([]byte, rng.Intn(41))
		for i := range b {
			b[i] = 'a' + byte(rng.Intn(26))
		}
		// Mostly plain strings with one byte or two at the edges.
		for range rng.Intn(3) {
			if len(b) > 0 {
				b[rng.Intn(len(b))] = edges[rng.Intn(len(edges))]
			}
		}
		s := string(b)
		if got, want := plainString(s), plain(s); got != want {
			t.Fatalf("plainString(%q) = %v, want %v", s, got, want)
		} else if want {
			accepted++
		} else {
			refused++
		}
	}
	if accepted < 10000 || refused < 10000 {
		t.Fatalf("%d accepted, %d refused: the test does not try both enough", accepted, refused)
	}
}

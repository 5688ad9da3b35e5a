package document

import (
	"fmt"
	"reflect"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// simpleYAMLCases are front matters simpleYAML must decode as yaml.v3 does
// (simple: true) or leave to the decoder.
var simpleYAMLCases = []struct {
	raw    string
	simple bool
}{
	{"title: Data Processing Agreement\nkind: dpa\neffective: 2026-01-01\nnotice_days: 30\n", true},
	{"title: Document 150\nkind: dpa\neffective: 2017-09-06\nnotice_days: 30", true},
	// Quotes.
	{`title: "Privacy: the policy"` + "\n", true},
	{"title: 'It''s ours'\n", false},
	{"title: 'Terms # 1'\n", true},
	{`title: "a \"b\""` + "\n", false},
	{`title: "C:\\path"` + "\n", false},
	{`title: "unclosed` + "\n", false},
	{`title: "a" b` + "\n", false},
	{`title: "2026-01-01"` + "\n", true},
	{`title: ""` + "\n", true},
	{"title: Children's privacy & cookies (EU), v2 / 2026\n", true},
	{"title: Don't\n", true},
	// Colons and comments.
	{"title: Privacy: the policy\n", false},
	{"url: https://example.com/dpa\n", false},
	{"title: Privacy #1\n", false},
	{"title: Privacy # a comment\n", false},
	{"# a comment\ntitle: Privacy\n", true},
	{"#\ntitle: Privacy\n", true},
	{"title:Privacy\n", false},
	{"title : Privacy\n", false},
	{"title:\n", true},
	{"title:   \nkind: dpa\n", true},
	// Dates and numbers.
	{"effective: 2026-1-1\n", false},
	{"effective: 2026-13-45\n", false},
	{"effective: 2026-02-29\n", false},
	{"effective: 2024-02-29\n", true},
	{"effective: 0000-01-01\n", true},
	{"effective: 2026-01-01T10:00:00Z\n", false},
	{"effective: 2026-01-01 10:00\n", false},
	{"notice_days: 0\n", true},
	{"notice_days: 030\n", false},
	{"notice_days: 0x1e\n", false},
	{"notice_days: 1_000\n", false},
	{"notice_days: -30\n", false},
	{"notice_days: +30\n", false},
	{"notice_days: 30.0\n", false},
	{"notice_days: 1e3\n", false},
	{"notice_days: 123456789012345678\n", true},
	{"notice_days: 1234567890123456789012\n", false},
	{"version: 1.2\n", false},
	{"version: .5\n", false},
	{"version: .inf\n", false},
	// Booleans and null.
	{"draft: true\n", true},
	{"draft: True\n", true},
	{"draft: TRUE\n", true},
	{"draft: false\n", true},
	{"draft: yes\n", true},
	{"draft: no\n", true},
	{"draft: on\n", true},
	{"draft: off\n", true},
	{"draft: y\n", true},
	{"draft: N\n", true},
	{"draft: tRUE\n", true},
	{"summary: ~\n", true},
	{"summary: null\n", true},
	{"summary: Null\n", true},
	{"summary: NULL\n", true},
	{"summary: nULL\n", true},
	{"summary: nan\n", true},
	{"summary: .nan\n", false},
	{"true: x\n", false},
	{"null: x\n", false},
	{"yes: x\n", true},
	{"y: x\n", true},
	// BOMs, CRLF, tabs, indentation, odd bytes.
	{"\xef\xbb\xbftitle: A\n", false},
	{"title: A\r\nkind: dpa\r\n", false},
	{"title:\tA\n", false},
	{"title: A\t\n", false},
	{"\ttitle: A\n", false},
	{" title: A\n", false},
	{"title: A\n  more\n", false},
	{"title: A\nmore\n", false},
	{"title: Änderungen\n", false},
	{"title: A\x00\n", false},
	{"title: \"A\x7f\"\n", false},
	// Duplicate and empty keys, structure.
	{"title: A\ntitle: B\n", false},
	{"title: A\nTitle: B\n", true},
	{": A\n", false},
	{"\n\n", false},
	{"", false},
	{"aliases:\n- /a\n- /b\n", false},
	{"aliases: [/a, /b]\n", false},
	{"aliases: {a: b}\n", false},
	{"title: &a A\nkind: *a\n", false},
	{"title: !!str 30\n", false},
	{"summary: |\n  text\n", false},
	{"summary: >\n  text\n", false},
	{"---\ntitle: A\n", false},
	{"title: A\n...\n", false},
	{"title: A\n---\n", false},
	{"<<: x\n", false},
	{"title: a-b_c.d,e/f(g)h'i&j+k;l=m?n!o\n", true},
	{"title: a  b   \n", true},
	{"translationKey: privacy-policy\n", true},
	{"sidebar_position: 3\n", true},
	{"k-: v\nk_1: w\n", true},
	{"a23456789012345678901234567890123456789012345678901234567890123: x\n", true},
	{"a234567890123456789012345678901234567890123456789012345678901234: x\n", true},
	{"a2345678901234567890123456789012345678901234567890123456789012345: x\n", false},
}

// TestSimpleYAML: simpleYAML decodes the simple front matters exactly as
// yaml.v3 does, and leaves the others to it.
func TestSimpleYAML(t *testing.T) {
	for _, c := range simpleYAMLCases {
		got, ok := simpleYAML([]byte(c.raw))
		if ok != c.simple {
			t.Errorf("%q: simple %v, want %v", c.raw, ok, c.simple)
		}
		if !ok {
			continue
		}
		var want map[string]any
		if err := yaml.Unmarshal([]byte(c.raw), &want); err != nil {
			t.Errorf("%q: decoded simply, but yaml.v3 fails: %v", c.raw, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %s, yaml.v3 gives %s", c.raw, typed(got), typed(want))
		}
	}
}

// FuzzSimpleYAML checks that whatever simpleYAML decodes, yaml.v3 decodes
// without error into the same values of the same types.
func FuzzSimpleYAML(f *testing.F) {
	for _, c := range simpleYAMLCases {
		f.Add([]byte(c.raw))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := simpleYAML(raw)
		if !ok {
			return
		}
		var want map[string]any
		if err := yaml.Unmarshal(raw, &want); err != nil {
			t.Fatalf("%q: decoded simply, but yaml.v3 fails: %v", raw, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %s, yaml.v3 gives %s", raw, typed(got), typed(want))
		}
	})
}

// typed prints a map's values with their types.
func typed(m map[string]any) string {
	s := "{"
	for k, v := range m {
		s += fmt.Sprintf(" %s: %T(%v)", k, v, v)
	}
	return s + " }"
}

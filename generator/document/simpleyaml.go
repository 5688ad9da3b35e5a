package document

import (
	"bytes"
	"strconv"
	"time"
)

// simpleYAML decodes YAML front matter that is certainly simple, giving
// exactly what yaml.Unmarshal into a map[string]any gives, without the
// YAML decoder: reading the front matter of every version of every
// document while history is read is most of what that costs. It reports
// false for anything it is not sure of, and the decoder reads it.
//
// Simple front matter is made of lines of printable ASCII, each one of:
//
//   - empty or only spaces;
//   - a comment: "#" at the start of the line;
//   - "key: value" at the start of the line, the key an ASCII letter
//     followed by at most 63 letters, digits, "_" or "-" (and not one of
//     the words YAML reads as a boolean or null), the colon right after
//     it, each key once.
//
// A value, with the spaces around it trimmed, is one of: nothing, "~" or
// null, Null, NULL (nil); true, True, TRUE, false, False, FALSE (a bool);
// a decimal number of at most 18 digits without a leading zero (an int); a
// valid date YYYY-MM-DD (a time.Time at midnight UTC); a text starting with an ASCII letter, of ASCII letters,
// digits, spaces and the characters in plainRest (a string); a text in
// double quotes of printable ASCII but for a double quote and a backslash,
// or in single quotes of printable ASCII but for a single quote (a
// string). Anything else — a tab, a carriage return, another control
// character, a byte that is not ASCII (a BOM), an indented line, a list, a flow collection, an anchor, a
// tag, a block scalar, a comment after a value, a number in another form —
// is left to the decoder.
func simpleYAML(raw []byte) (map[string]any, bool) {
	for _, c := range raw {
		if (c < 0x20 || c > 0x7e) && c != '\n' {
			return nil, false // yaml.v3 checks them, even in comments
		}
	}
	params := make(map[string]any, 8)
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		if len(line) == 0 || line[0] == '#' || len(bytes.TrimLeft(line, " ")) == 0 {
			continue
		}
		k := 0
		for k < len(line) && k <= maxSimpleKey && keyByte(line[k], k == 0) {
			k++
		}
		if k == 0 || k > maxSimpleKey || k == len(line) || line[k] != ':' {
			return nil, false
		}
		key, rest := line[:k], line[k+1:]
		if len(rest) > 0 && rest[0] != ' ' {
			return nil, false
		}
		if _, ok := yamlWords[string(key)]; ok {
			return nil, false
		}
		v, ok := simpleScalar(bytes.Trim(rest, " "))
		if !ok {
			return nil, false
		}
		if _, dup := params[string(key)]; dup {
			return nil, false // the decoder reports it
		}
		params[string(key)] = v
	}
	if len(params) == 0 {
		return nil, false
	}
	return params, true
}

// maxSimpleKey is the longest key simpleYAML reads.
const maxSimpleKey = 64

// keyByte reports whether c may be the byte of a simple key: an ASCII
// letter first, then letters, digits, "_" and "-".
func keyByte(c byte, first bool) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		return true
	case first:
		return false
	}
	return '0' <= c && c <= '9' || c == '_' || c == '-'
}

// yamlWords are the plain scalars yaml.v3 reads as something else than a
// string among those that start with a letter.
var yamlWords = map[string]any{
	"true": true, "True": true, "TRUE": true,
	"false": false, "False": false, "FALSE": false,
	"null": nil, "Null": nil, "NULL": nil,
}

// plainRest are the characters besides ASCII letters, digits and spaces
// that simpleScalar accepts after the first letter of a plain value: none
// can end it or start a comment there.
const plainRest = "-_.,/()'&+;=?!"

// simpleScalar decodes a value of simpleYAML, trimmed.
func simpleScalar(v []byte) (any, bool) {
	switch {
	case len(v) == 0 || string(v) == "~":
		return nil, true
	case v[0] == '"' || v[0] == '\'':
		q := v[0]
		if len(v) < 2 || v[len(v)-1] != q {
			return nil, false
		}
		in := v[1 : len(v)-1]
		for _, c := range in {
			if c == q || q == '"' && c == '\\' {
				return nil, false
			}
		}
		return string(in), true
	case '0' <= v[0] && v[0] <= '9':
		if digits(v) && len(v) <= 18 && (v[0] != '0' || len(v) == 1) {
			n, err := strconv.Atoi(string(v))
			return n, err == nil
		}
		if len(v) == 10 && digits(v[:4]) && v[4] == '-' && digits(v[5:7]) && v[7] == '-' && digits(v[8:]) {
			// What yaml.v3 makes of a timestamp in a map of interfaces
			// (the last of its formats, the only one that fits).
			t, err := time.Parse("2006-1-2", string(v))
			return t, err == nil
		}
		return nil, false
	case keyByte(v[0], true):
		if w, ok := yamlWords[string(v)]; ok {
			return w, true
		}
		for _, c := range v[1:] {
			if !keyByte(c, false) && c != ' ' && bytes.IndexByte([]byte(plainRest), c) < 0 {
				return nil, false
			}
		}
		return string(v), true
	}
	return nil, false
}

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// Package api defines the portal's public, machine-readable API: the JSON
// files under /api/ in the built site. Field names and meanings are a
// contract with the controllers who consume them: add fields, never rename
// or remove one. docs/api.md documents the schema.
package api

import (
	"bufio"
	"bytes"
	"encoding"
	"encoding/binary"
	"encoding/json"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// DocumentsPath is where the documents index is published.
const DocumentsPath = "api/documents.json"

// Documents is the content of /api/documents.json.
type Documents struct {
	// Generated is the build time, RFC 3339.
	Generated string `json:"generated"`
	// Documents are all documents, current and retired, ordered by id.
	Documents []Document `json:"documents"`
}

// Document is one legal document and its versions.
type Document struct {
	// ID is the identifier of the document's current path (the path below
	// the content folder without extension): its URL.
	ID string `json:"id"`
	// Key is the document's identity, which survives renames: the ID of
	// the first path it had. Notices, webhooks and feed entries are keyed
	// by it.
	Key string `json:"key"`
	// FormerIDs are the IDs of the paths the document had before a rename,
	// oldest first: their URLs redirect to the current ones. Omitted when
	// there are none.
	FormerIDs []string `json:"former_ids,omitempty"`
	// Title is the current title.
	Title string `json:"title"`
	// Kind is dpa, privacy, subprocessors, cookies, terms, security or other.
	Kind string `json:"kind"`
	// Language is a BCP 47 tag.
	Language string `json:"language"`
	// Path is the source file in the repository.
	Path string `json:"path"`
	// URL is the document's page, relative to the host.
	URL string `json:"url"`
	// Retired is true for a document deleted from the repository; its pages
	// stay online.
	Retired bool `json:"retired"`
	// LastUpdated is the publication date of the newest version, RFC 3339:
	// when the document last changed, whether or not that version is in
	// force yet. Null when the document has no committed version.
	LastUpdated *string `json:"last_updated"`
	// Effective is the effective date of the newest version, YYYY-MM-DD, or
	// null.
	Effective *string `json:"effective"`
	// InForce is the id of the version in force on the build date (the
	// text the document's page shows); null when none is yet (every
	// version takes effect later), for a retired document, and without
	// versions.
	InForce *string `json:"in_force"`
	// InForceSince is the day the version in force took effect,
	// YYYY-MM-DD in the portal's time zone: its effective date, or its
	// publication date when that is later. Null when InForce is.
	InForceSince *string `json:"in_force_since"`
	// Translations are the other documents with the same translationKey,
	// by language; omitted when there are none.
	Translations []Translation `json:"translations,omitempty"`
	// Binding is the language whose text of the document is legally
	// binding (`binding: true` front matter, or clause.toml's
	// binding_language); omitted when none is named or the document has
	// no translations.
	Binding string `json:"binding,omitempty"`
	// TranslationOf is, for a translation, its source document (the
	// document in the portal's default language) and the version of it the
	// translation reflects; omitted for a document that is no translation.
	TranslationOf *TranslationOf `json:"translation_of,omitempty"`
	// OutdatedSince is, for a translation whose source has had a material
	// version since the one it reflects, the publication date of the
	// oldest such version, RFC 3339; omitted when the translation is up to
	// date or no translation.
	OutdatedSince *string `json:"outdated_since,omitempty"`
	// Versions are newest first.
	Versions []Version `json:"versions"`
}

// Translation is a link from a document to one of its translations.
type Translation struct {
	// ID is the translation's document id.
	ID string `json:"id"`
	// Language is its BCP 47 language.
	Language string `json:"language"`
	// URL is its page, relative to the host.
	URL string `json:"url"`
}

// TranslationOf names the document a translation translates.
type TranslationOf struct {
	// ID is the source document's id.
	ID string `json:"id"`
	// Language is its BCP 47 language.
	Language string `json:"language"`
	// URL is its page, relative to the host.
	URL string `json:"url"`
	// Version is the id of the source's version the translation reflects;
	// null when unknown (no history).
	Version *string `json:"version"`
	// DiffURL is the redline of the source from that version to its
	// newest; null when the translation is up to date.
	DiffURL *string `json:"diff_url"`
}

// Version is one published version of a document.
type Version struct {
	// ID is content-based and stable across rebases: the first 12 hex digits
	// of SHA256, with "-2", "-3"… when the same text recurs.
	ID string `json:"id"`
	// Commit is the 40-hex commit on the published branch.
	Commit string `json:"commit"`
	// Date is the publication date (commit date on the published branch),
	// RFC 3339 with offset.
	Date string `json:"date"`
	// Path is the source file at this version.
	Path string `json:"path"`
	// Subject is the change summary: commit subject or merged pull
	// request's title.
	Subject string `json:"subject"`
	// Material reports a material change, which clause notify announces:
	// false for versions marked "Change-Type: minor", and for versions
	// that are LayoutOnly unless marked "Change-Type: material".
	Material bool `json:"material"`
	// LayoutOnly reports a version that changes no word of its
	// predecessor's text, no front matter a reader sees and no
	// sub-processor: only its layout (line breaks, markup).
	LayoutOnly bool `json:"layout_only"`
	// Effective is the version's effective date, YYYY-MM-DD, or null.
	Effective *string `json:"effective"`
	// SHA256 is the hex SHA-256 of the source file's bytes.
	SHA256 string `json:"sha256"`
	// URL is the version's permanent page.
	URL string `json:"url"`
	// DiffURL is the redline against the previous version, or null.
	DiffURL *string `json:"diff_url"`
}

// Marshal encodes v as indented JSON with a final newline, without
// escaping <, > and & (the files are served as application/json).
//
// The output is that of a json.Encoder with SetIndent("", "  "), which
// indents through a general-purpose scanner; indenting the compact encoding
// here is several times faster, which matters for the documents index of a
// long history (megabytes).
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(make([]byte, 0, buf.Len()*3/2))
	indent(out, buf.Bytes())
	return out.Bytes(), nil
}

// Write writes v to w as Marshal encodes it, without holding its encoding
// in memory: structs and slices that hold slices of structs (the lists of
// a register, its history) are written member by member and element by
// element, each element encoded and indented on its own. The API of a
// register of 154,000 rows in 6 versions is over 100 MB of JSON.
func Write(w io.Writer, v any) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	s := &streamer{w: bw}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	if err := s.value(reflect.ValueOf(v), 0); err != nil {
		return err
	}
	bw.WriteByte('\n')
	return bw.Flush()
}

// streamer is Write's state: where it writes, and the buffer in which it
// encodes one value at a time.
type streamer struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
}

// value writes v, indented as at depth.
func (s *streamer) value(v reflect.Value, depth int) error {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && !v.IsNil() && streamed(v.Type()) {
		v = v.Elem()
	}
	if !v.IsValid() || !streamed(v.Type()) {
		if v.IsValid() && direct(v.Type()) {
			s.direct(v, depth)
			return nil
		}
		return s.leaf(v, depth)
	}
	switch v.Kind() {
	case reflect.Slice:
		if v.IsNil() {
			s.w.WriteString("null")
			return nil
		}
		if v.Len() == 0 {
			s.w.WriteString("[]")
			return nil
		}
		s.w.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				s.w.WriteByte(',')
			}
			newline(s.w, depth+1)
			if err := s.value(v.Index(i), depth+1); err != nil {
				return err
			}
		}
		newline(s.w, depth)
		s.w.WriteByte(']')
		return nil
	case reflect.Struct:
		s.w.WriteByte('{')
		n := 0
		for _, f := range structFields(v.Type()) {
			fv := v.Field(f.index)
			if f.omitEmpty && isEmpty(fv) {
				continue
			}
			if n > 0 {
				s.w.WriteByte(',')
			}
			n++
			newline(s.w, depth+1)
			s.w.Write(f.key)
			if err := s.value(fv, depth+1); err != nil {
				return err
			}
		}
		if n > 0 {
			newline(s.w, depth)
		}
		s.w.WriteByte('}')
		return nil
	}
	return s.leaf(v, depth)
}

var (
	directTypes sync.Map // reflect.Type → bool
	stringType  = reflect.TypeFor[string]()
)

// direct reports whether Write writes values of type t itself rather than
// through encoding/json, which took most of the time of the API of a
// register of 150,000 rows (and of clause log --json on a long history): a
// string, a pointer to one, a slice of them, a bool, or a struct of such
// fields (see structFields), without custom marshalling.
func direct(t reflect.Type) bool {
	if b, ok := directTypes.Load(t); ok {
		return b.(bool)
	}
	b := computeDirect(t, true)
	directTypes.Store(t, b)
	return b
}

func computeDirect(t reflect.Type, top bool) bool {
	if t.Implements(marshalerType) || t.Implements(textMarshalerType) ||
		reflect.PointerTo(t).Implements(marshalerType) || reflect.PointerTo(t).Implements(textMarshalerType) {
		return false
	}
	switch {
	case t == stringType, t.Kind() == reflect.Bool:
		return true
	case t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice:
		return t.Elem() == stringType
	case top && t.Kind() == reflect.Struct:
		fs := structFields(t)
		if fs == nil {
			return false
		}
		for _, f := range fs {
			if !computeDirect(t.Field(f.index).Type, false) {
				return false
			}
		}
		return true
	}
	return false
}

// direct writes v, of a type that direct accepts, as leaf would.
func (s *streamer) direct(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		s.string(v.String())
	case reflect.Bool:
		s.w.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Pointer:
		if v.IsNil() {
			s.w.WriteString("null")
			return
		}
		s.string(v.Elem().String())
	case reflect.Slice:
		switch {
		case v.IsNil():
			s.w.WriteString("null")
		case v.Len() == 0:
			s.w.WriteString("[]")
		default:
			s.w.WriteByte('[')
			for i := range v.Len() {
				if i > 0 {
					s.w.WriteByte(',')
				}
				newline(s.w, depth+1)
				s.string(v.Index(i).String())
			}
			newline(s.w, depth)
			s.w.WriteByte(']')
		}
	case reflect.Struct:
		s.w.WriteByte('{')
		n := 0
		for _, f := range structFields(v.Type()) {
			fv := v.Field(f.index)
			if f.omitEmpty && isEmpty(fv) {
				continue
			}
			if n > 0 {
				s.w.WriteByte(',')
			}
			n++
			newline(s.w, depth+1)
			s.w.Write(f.key)
			s.direct(fv, depth+1)
		}
		if n > 0 {
			newline(s.w, depth)
		}
		s.w.WriteByte('}')
	}
}

// string writes str as encoding/json does (HTML not escaped): as it is
// when it is printable ASCII without quotes or backslashes, else encoded
// by encoding/json.
func (s *streamer) string(str string) {
	if !plainString(str) {
		s.buf.Reset()
		_ = s.enc.Encode(str) // a string: no error
		s.w.Write(bytes.TrimSuffix(s.buf.Bytes(), []byte("\n")))
		return
	}
	s.w.WriteByte('"')
	s.w.WriteString(str)
	s.w.WriteByte('"')
}

// plainString reports whether str is printable ASCII without quotes or
// backslashes: what encoding/json writes as it is. It tests 8 bytes at a
// time (the strings of a long history's API are megabytes).
func plainString(str string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	// zero has the high bit of each byte of x that is 0 set, and no false
	// positives in the bytes before the first that is 0: a byte below 0x20
	// is one that x-0x20 borrows from, a byte equal to c one that x^c makes
	// 0 (the usual SWAR tests).
	zero := func(x uint64) uint64 { return (x - ones) &^ x & highs }
	i := 0
	for ; i+8 <= len(str); i += 8 {
		x := binary.LittleEndian.Uint64([]byte(str[i : i+8]))
		if x&highs != 0 || (x-0x20*ones)&highs != 0 || zero(x^0x7f*ones)|zero(x^'"'*ones)|zero(x^'\\'*ones) != 0 {
			return false
		}
	}
	for ; i < len(str); i++ {
		if c := str[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// leaf writes v encoded whole by encoding/json, indented as at depth.
func (s *streamer) leaf(v reflect.Value, depth int) error {
	s.buf.Reset()
	var x any
	if v.IsValid() {
		x = v.Interface()
	}
	if err := s.enc.Encode(x); err != nil {
		return err
	}
	indentAt(s.w, bytes.TrimSuffix(s.buf.Bytes(), []byte("\n")), depth)
	return nil
}

// newline writes a newline and the indentation of depth.
func newline(w jsonWriter, depth int) {
	const spaces = "                                                                "
	w.WriteByte('\n')
	for n := 2 * depth; n > 0; n -= len(spaces) {
		w.WriteString(spaces[:min(n, len(spaces))])
	}
}

// field is a struct field as Write writes it.
type field struct {
	index     int
	key       []byte // "name": with its colon and space
	omitEmpty bool
}

var (
	streamedTypes sync.Map // reflect.Type → bool
	fieldsOf      sync.Map // reflect.Type → []field
)

// streamed reports whether values of type t are written part by part: a
// struct or slice that holds a slice of structs, at any depth, whose
// encoding Write can reproduce (no custom marshalling, no embedded
// fields, no tag options but omitempty).
func streamed(t reflect.Type) bool {
	if b, ok := streamedTypes.Load(t); ok {
		return b.(bool)
	}
	b := computeStreamed(t, map[reflect.Type]bool{})
	streamedTypes.Store(t, b)
	return b
}

var marshalerType = reflect.TypeFor[json.Marshaler]()
var textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()

func computeStreamed(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	if t.Implements(marshalerType) || t.Implements(textMarshalerType) ||
		reflect.PointerTo(t).Implements(marshalerType) || reflect.PointerTo(t).Implements(textMarshalerType) {
		return false
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		return t.Kind() == reflect.Pointer && computeStreamed(t.Elem(), seen)
	case reflect.Slice:
		e := t.Elem()
		for e.Kind() == reflect.Pointer {
			e = e.Elem()
		}
		return e.Kind() == reflect.Struct || computeStreamed(e, seen)
	case reflect.Struct:
		if structFields(t) == nil {
			return false
		}
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && computeStreamed(f.Type, seen) {
				return true
			}
		}
	}
	return false
}

// structFields returns the fields of struct type t as encoding/json writes
// them, or nil when Write leaves its encoding to encoding/json.
func structFields(t reflect.Type) []field {
	if fs, ok := fieldsOf.Load(t); ok {
		return fs.([]field)
	}
	fs := []field{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			fs = nil
			break
		}
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if opts != "" && opts != "omitempty" || !validName(name) {
			fs = nil
			break
		}
		if name == "" {
			name = f.Name
		}
		key, err := json.Marshal(name)
		if err != nil {
			fs = nil
			break
		}
		fs = append(fs, field{index: i, key: append(key, ':', ' '), omitEmpty: opts == "omitempty"})
	}
	fieldsOf.Store(t, fs)
	return fs
}

// validName reports whether a tag name is one encoding/json uses as it
// is: letters, digits and a few punctuation characters.
func validName(s string) bool {
	for _, c := range s {
		if !(c == '_' || c == '-' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// isEmpty is encoding/json's test for omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// jsonWriter is where indent writes: a bytes.Buffer or a bufio.Writer,
// which keep the first error to themselves.
type jsonWriter interface {
	io.Writer
	io.ByteWriter
	io.StringWriter
}

// indent indents compact JSON as json.Indent(dst, src, "", "  ") does: one
// element or member per line, two spaces per level, a space after each
// colon, and empty objects and arrays kept as {} and []. src must be the
// output of encoding/json, which has no white space outside strings but
// the final newline.
func indent(dst jsonWriter, src []byte) { indentAt(dst, src, 0) }

// indentAt is indent for a value at depth: its lines after the first are
// indented by depth levels more.
func indentAt(dst jsonWriter, src []byte, depth int) {
	open := false // just after { or [: a newline is due unless it closes
	nl := func() { newline(dst, depth) }
	for i := 0; i < len(src); i++ {
		c := src[i]
		if open && c != '}' && c != ']' {
			open = false
			nl()
		}
		switch c {
		case '"':
			// Copy the string through its closing quote.
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			dst.Write(src[i:min(j+1, len(src))])
			i = j
		case '{', '[':
			dst.WriteByte(c)
			depth++
			open = true
		case '}', ']':
			depth--
			if open {
				open = false
			} else {
				nl()
			}
			dst.WriteByte(c)
		case ',':
			dst.WriteByte(',')
			nl()
		case ':':
			dst.WriteString(": ")
		default:
			dst.WriteByte(c)
		}
	}
}

// String returns a pointer to s, or nil when s is empty: for the nullable
// fields.
func String(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

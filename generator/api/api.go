// Package api defines the portal's public, machine-readable API: the JSON
// files under /api/ in the built site. Field names and meanings are a
// contract with the controllers who consume them: add fields, never rename
// or remove one. docs/api.md documents the schema.
package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
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

// Write writes v to w as Marshal encodes it, indenting while it writes:
// the indented JSON of a large register (140 MB for 154,000 rows in 6
// versions) is not held in memory besides its compact encoding.
func Write(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	indent(bw, buf.Bytes())
	return bw.Flush()
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
func indent(dst jsonWriter, src []byte) {
	const spaces = "                                                                "
	depth := 0
	open := false // just after { or [: a newline is due unless it closes
	newline := func() {
		dst.WriteByte('\n')
		for n := 2 * depth; n > 0; n -= len(spaces) {
			dst.WriteString(spaces[:min(n, len(spaces))])
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if open && c != '}' && c != ']' {
			open = false
			newline()
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
				newline()
			}
			dst.WriteByte(c)
		case ',':
			dst.WriteByte(',')
			newline()
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

// Package document reads one legal document: a markdown file with optional
// YAML or TOML front matter. Every front matter field is optional; missing
// ones are inferred from the file name and the body (title from the first
// heading, kind from the name).
package document

import (
	"bytes"
	"errors"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/clause-portal/clause/generator/markdown"
)

// Kind classifies a legal document.
type Kind string

// The document kinds Clause knows. Unknown kinds in front matter are errors;
// documents whose kind cannot be inferred are KindOther.
const (
	KindDPA           Kind = "dpa"
	KindPrivacy       Kind = "privacy"
	KindSubprocessors Kind = "subprocessors"
	KindCookies       Kind = "cookies"
	KindTerms         Kind = "terms"
	KindSecurity      Kind = "security"
	KindOther         Kind = "other"
)

// Kinds lists the kinds in the order the portal's index shows them.
var Kinds = []Kind{KindDPA, KindSubprocessors, KindPrivacy, KindCookies, KindTerms, KindSecurity, KindOther}

// Label is the human name of a kind, used as a heading on the index page.
func (k Kind) Label() string {
	switch k {
	case KindDPA:
		return "Data processing agreements"
	case KindPrivacy:
		return "Privacy"
	case KindSubprocessors:
		return "Sub-processors"
	case KindCookies:
		return "Cookies"
	case KindTerms:
		return "Terms"
	case KindSecurity:
		return "Security"
	}
	return "Other documents"
}

func validKind(k Kind) bool {
	for _, v := range Kinds {
		if v == k {
			return true
		}
	}
	return false
}

// DefaultNoticeDays is the sub-processor notice period when front matter
// does not give one.
const DefaultNoticeDays = 30

// Document is one parsed markdown file.
type Document struct {
	// Path is the file's path relative to the repository root, with forward
	// slashes (e.g. "content/legal/dpa.md").
	Path string
	// ID identifies the document in URLs and the API: its path below the
	// content folder without extension, lower-cased ("legal/dpa").
	ID string
	// Title is from front matter, else the first level-1 heading, else the
	// file name.
	Title string
	// TitleFromBody is set when Title was taken from the body's first
	// heading (the page then omits that heading to avoid showing it twice).
	TitleFromBody bool
	// Kind is from front matter, else inferred from the file name.
	Kind Kind
	// Summary is a one-sentence description, if given.
	Summary string
	// Effective is the date the text takes effect, if given.
	Effective Date
	// Language is a BCP 47 tag, if given.
	Language string
	// TranslationKey links translations of the same document.
	TranslationKey string
	// NoticeDays is the sub-processor notice period in days.
	NoticeDays int
	// Aliases are additional URL paths that redirect to the document.
	Aliases []string
	// Slug is the URL path the front matter gives the document (`slug:`
	// as Docusaurus writes it, Jekyll's `permalink:`, Hugo's `url:`), and
	// SlugKey the key it was given by; its ID follows it. "/dpa" is below
	// the portal's root, "dpa" below the document's folder.
	Slug, SlugKey string
	// Draft is set by `draft: true`: the document is not published (only
	// clause serve --drafts shows it), its history neither.
	Draft bool
	// Params holds the whole front matter as decoded, for templates.
	Params map[string]any
	// FrontMatter is the raw front matter text (without delimiters), and
	// FrontMatterLine the 1-based file line where it starts.
	FrontMatter     []byte
	FrontMatterLine int
	// Body is the markdown after the front matter, with line endings
	// normalised to "\n", and BodyLine the file line where it starts.
	Body     []byte
	BodyLine int
	// Source is the file's bytes as read.
	Source []byte
}

// MaxSize is the largest document Parse accepts. Legal texts are far
// smaller; anything larger is almost certainly a mistake or an attack.
const MaxSize = 4 << 20

// Parse reads a document from its source bytes. p is the path relative to
// the repository root and contentDir the content folder relative to the
// same root ("content"), used to derive the document's ID.
func Parse(p, contentDir string, src []byte) (*Document, error) {
	return parse(p, contentDir, src, false, nil)
}

// ParseMeta reads only what the front matter says: it does not look at the
// body for a title or infer a kind. It is for reading the effective dates
// of thousands of past versions, where a full parse would be wasted work.
func ParseMeta(p, contentDir string, src []byte) (*Document, error) {
	return parse(p, contentDir, src, true, nil)
}

// MetaCache makes ParseMeta read each distinct front matter once.
// Successive versions of a document mostly differ in their body only, and
// reading and decoding the front matter is most of the cost of ParseMeta.
// The zero value is ready to use; a MetaCache is not safe for concurrent
// use.
type MetaCache struct {
	decoded map[metaKey]metaEntry
}

// metaKey is what the result of ParseMeta depends on, besides the body: the
// path and the text up to the end of the front matter.
type metaKey struct {
	path, head string
}

type metaEntry struct {
	doc Document // as parsed the first time, without its text (see remember)
	err error
}

// ParseMeta is ParseMeta with what the front matter says remembered. The
// documents it returns for equal front matter share their FrontMatter,
// Params and Aliases: treat them as read-only.
func (c *MetaCache) ParseMeta(p, contentDir string, src []byte) (*Document, error) {
	return parse(p, contentDir, src, true, c)
}

// lookup returns the document parsed earlier from a text that began with
// the same front matter, with d's own path, ID, source and body.
func (c *MetaCache) lookup(d *Document, text []byte) (*Document, bool, error) {
	n := frontMatterEnd(text)
	if n == 0 {
		return nil, false, nil
	}
	e, ok := c.decoded[metaKey{path: d.Path, head: string(text[:n])}]
	if !ok {
		return nil, false, nil
	}
	if e.err != nil {
		return nil, true, e.err
	}
	doc := e.doc
	doc.ID, doc.Source, doc.Body = d.ID, d.Source, text[n:]
	return &doc, true, nil
}

// remember records what parsing text, with the given body, gave: d or an
// error.
func (c *MetaCache) remember(p string, text, body []byte, d *Document, err error) {
	if c.decoded == nil {
		c.decoded = map[metaKey]metaEntry{}
	}
	e := metaEntry{err: err}
	if err == nil {
		// Without this version's text (lookup gives each document its
		// own): the text is a slice of a buffer (a git object) that would
		// otherwise stay in memory for the whole build, one for each front
		// matter remembered. FrontMatter is a copy already.
		e.doc = *d
		e.doc.Source, e.doc.Body = nil, nil
	}
	c.decoded[metaKey{path: p, head: string(text[:len(text)-len(body)])}] = e
}

// frontMatterEnd returns the length of the part of text that holds its
// front matter, delimiters and leading blank lines included, as
// splitFrontMatter finds it; 0 if text has no complete front matter.
func frontMatterEnd(text []byte) int {
	closer := ""
	for off := 0; off < len(text); {
		line := text[off:]
		next := len(text)
		if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
			line, next = line[:nl], off+nl+1
		}
		t := string(bytes.TrimSpace(line))
		switch {
		case closer == "" && t == "":
		case closer == "":
			switch t {
			case "---", "---yaml", "---toml":
				closer = "---"
			case "+++":
				closer = "+++"
			default:
				return 0
			}
		case t == closer:
			return next
		}
		off = next
	}
	return 0
}

func parse(p, contentDir string, src []byte, meta bool, cache *MetaCache) (*Document, error) {
	if len(src) > MaxSize {
		return nil, errorf(p, 0, "file is %d bytes; documents are limited to %d MiB", len(src), MaxSize>>20)
	}
	if bytes.IndexByte(src, 0) >= 0 {
		return nil, errorf(p, lineAt(src, bytes.IndexByte(src, 0)), "file contains NUL bytes: not a text document")
	}
	if !utf8.Valid(src) {
		off := firstInvalidUTF8(src)
		return nil, errorf(p, lineAt(src, off), "file is not valid UTF-8 (byte 0x%02x at offset %d); save it as UTF-8", src[off], off)
	}
	text := bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(text, '\r') >= 0 {
		text = bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))
	}

	d := &Document{Path: p, Source: src, NoticeDays: DefaultNoticeDays, Params: map[string]any{}}
	rel := strings.TrimPrefix(p, strings.TrimSuffix(contentDir, "/")+"/")
	if contentDir == "" || contentDir == "." {
		rel = p
	}
	d.ID = IDFromPath(rel)

	if cache != nil {
		if doc, ok, err := cache.lookup(d, text); ok {
			return doc, err
		}
	}
	fm, err := splitFrontMatter(p, text)
	if err != nil {
		return nil, err
	}
	d.Body, d.BodyLine = fm.body, fm.bodyLine
	d.FrontMatter, d.FrontMatterLine = fm.raw, fm.line
	if fm.raw != nil {
		err := d.decodeFrontMatter(fm)
		if cache != nil {
			cache.remember(p, text, fm.body, d, err)
		}
		if err != nil {
			return nil, err
		}
	}
	if d.Slug != "" {
		if id := slugID(rel, d.Slug); id != "" {
			d.ID = id
		}
	}
	if !meta {
		if err := checkBody(d); err != nil {
			return nil, err
		}
		d.inferDefaults(rel)
	}
	return d, nil
}

// slugID is the ID a slug gives the document at rel (below the content
// folder): "/dpa" → "dpa"; "dpa" in "legal/x.md" → "legal/dpa". A slug of
// the root ("/") gives "": the path's ID stands.
func slugID(rel, slug string) string {
	s := strings.TrimSpace(slug)
	if !strings.HasPrefix(s, "/") {
		if dir := path.Dir(rel); dir != "." {
			s = dir + "/" + s
		}
	}
	s = strings.Trim(path.Clean("/"+s), "/")
	if strings.HasSuffix(strings.ToLower(s), ".html") {
		s = strings.TrimSuffix(s, path.Ext(s))
	}
	return strings.ToLower(s)
}

// checkBody refuses a body that markdown parsing would take minutes over
// (see markdown.CheckLimits), at its file line.
func checkBody(d *Document) error {
	err := markdown.CheckLimits(d.Body)
	if err == nil {
		return nil
	}
	e := &Error{Path: d.Path, Msg: err.Error(), Err: err}
	var le *markdown.LimitError
	if errors.As(err, &le) {
		e.Line, e.Msg = d.BodyLine+le.Line-1, le.Msg
	}
	return e
}

// IDFromPath derives a document ID from its path below the content folder:
// the extension is dropped and the path lower-cased ("Legal/DPA.md" →
// "legal/dpa"). A final "index" or "_index" segment names its folder.
func IDFromPath(rel string) string {
	rel = strings.TrimSuffix(rel, path.Ext(rel))
	rel = strings.ToLower(rel)
	if base := path.Base(rel); base == "index" || base == "_index" {
		rel = path.Dir(rel)
	}
	return rel
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

// lineAt returns the 1-based line of byte offset off in b.
func lineAt(b []byte, off int) int {
	if off > len(b) {
		off = len(b)
	}
	return bytes.Count(b[:off], []byte("\n")) + 1
}

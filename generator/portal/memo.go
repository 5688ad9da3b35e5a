package portal

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"os"
	"sync"
	"sync/atomic"

	"github.com/clause-portal/clause/generator/diff"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/markdown"
	"github.com/clause-portal/clause/generator/site"
)

// memo keeps, from one build to the next, what the pager computes from
// the texts of archived versions: a version's HTML, a redline, a text
// published for the compare page. They take most of a build's own time
// (the redlines above all) and do not change once a version is published,
// but for the links in them: a link to another document reads as that
// document's URL, or its version in force on a day, which a later commit
// can change.
//
// So an entry is kept under a key of everything the computation reads but
// links (the documents' source and what Parse made of it, the options,
// the clause executable), and records every link it resolved with what
// it resolved to. It is used only when each of those links resolves the
// same way in this build: anything else the result depends on is in the
// key. The entries live in the page cache's folder (site.PageCache.Memo):
// same trust, same lifetime.
type memo struct {
	cache        *site.PageCache
	self         [32]byte // the clause executable
	hits, misses atomic.Int64
	loads        atomic.Int64 // blobs read (loadBlob)

	mu    sync.Mutex
	heads map[*Version]versionHead // this build's, by version
}

// newMemo returns the memo kept in cache; nil (no memo: everything is
// computed) when cache is nil or the executable cannot be read.
func newMemo(cache *site.PageCache) *memo {
	if cache == nil {
		return nil
	}
	self, err := executableID()
	if err != nil {
		return nil
	}
	return &memo{cache: cache, self: self}
}

var (
	executableOnce sync.Once
	executableSum  [32]byte
	executableErr  error
)

// executableID is the SHA-256 of the running executable: a new release,
// or any change to the code, computes every entry again.
func executableID() ([32]byte, error) {
	executableOnce.Do(func() {
		p, err := os.Executable()
		if err != nil {
			executableErr = err
			return
		}
		executableSum, executableErr = site.FileSum(p)
	})
	return executableSum, executableErr
}

// memoFormat names the encoding of entries and their keys; a change to
// either gets a new one.
const memoFormat = "clause-memo/2"

// key hashes kind, the executable and parts into an entry's key.
func (m *memo) key(kind string, parts ...func(h hash.Hash)) [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", memoFormat, kind)
	h.Write(m.self[:])
	for _, p := range parts {
		p(h)
	}
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k
}

// docPart writes into a key what the computations read of a parsed
// document: its source and path, and what Parse made of them.
func docPart(d *document.Document) func(h hash.Hash) {
	return func(h hash.Hash) {
		field := func(b []byte) {
			h.Write(binary.AppendUvarint(nil, uint64(len(b))))
			h.Write(b)
		}
		field(d.Source)
		field(d.Body)
		field([]byte(d.Path))
		field([]byte(d.Title))
		field([]byte(d.Kind))
		field([]byte(d.Effective.String()))
		fmt.Fprintf(h, "%d %v %d\n", d.BodyLine, d.TitleFromBody, d.NoticeDays)
	}
}

// versionHead is what the pages of a version need of its parsed text
// but the text itself: its title and kind, and the digest of docPart that
// the keys of its HTML, redlines and published text hold.
// The memo keeps it too (headKey): the pages of a version whose results
// the memo holds are then made without reading and parsing its text.
type versionHead struct {
	Title, Kind string
	Part        [32]byte
}

// headOf returns the head of version v, whose parsed text is d: computed
// once per version (a version is in many comparisons).
func (m *memo) headOf(v *Version, d *document.Document) versionHead {
	if hd, ok := m.knownHead(v); ok {
		return hd
	}
	hd := versionHead{Title: d.Title, Kind: string(d.Kind)}
	h := sha256.New()
	docPart(d)(h)
	copy(hd.Part[:], h.Sum(nil))
	m.setHead(v, hd)
	return hd
}

// knownHead returns the head of v if this build has it.
func (m *memo) knownHead(v *Version) (versionHead, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	hd, ok := m.heads[v]
	return hd, ok
}

func (m *memo) setHead(v *Version, hd versionHead) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.heads == nil {
		m.heads = map[*Version]versionHead{}
	}
	m.heads[v] = hd
}

// part writes the head's digest into a key.
func (hd versionHead) part() func(h hash.Hash) {
	return func(h hash.Hash) { h.Write(hd.Part[:]) }
}

// headKey is the key of the head of version v of a catalog: what
// document.Parse reads (the text, by its SHA-256, its path and the
// content folder). Only a text Parse read without error is kept under
// it: the notes and the stripped text shown otherwise also read the
// document as it stands, and log warnings, which a build from the memo
// would not.
func (m *memo) headKey(c *Catalog, v *Version) [32]byte {
	return m.key("head", stringPart(v.SHA256, v.Path, c.repoRelative(v.Path), c.content))
}

// stringPart writes strings into a key.
func stringPart(s ...string) func(h hash.Hash) {
	return func(h hash.Hash) {
		for _, x := range s {
			h.Write(binary.AppendUvarint(nil, uint64(len(x))))
			h.Write([]byte(x))
		}
	}
}

// wordsKey is the part of a key for the words a redline writes in the
// reader's language (nil: English).
func wordsKey(w *diff.Words) string {
	if w == nil {
		return ""
	}
	b, _ := json.Marshal(w) // maps in key order; Plural follows the language
	return string(b)
}

// resolved is one link a computation resolved, and what to.
type resolved struct {
	Dest, To string
	OK       bool
}

// linkTrace records the links a resolver resolves. It is safe for
// concurrent use.
type linkTrace struct {
	mu    sync.Mutex
	seen  map[string]bool
	links []resolved
}

// record returns r, recording into t each destination it resolves.
func (t *linkTrace) record(r markdown.LinkResolver) markdown.LinkResolver {
	if r == nil {
		return nil
	}
	return func(dest string) (string, bool) {
		to, ok := r(dest)
		t.mu.Lock()
		if !t.seen[dest] {
			if t.seen == nil {
				t.seen = map[string]bool{}
			}
			t.seen[dest] = true
			t.links = append(t.links, resolved{dest, to, ok})
		}
		t.mu.Unlock()
		return to, ok
	}
}

// list returns the links recorded.
func (t *linkTrace) list() []resolved {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]resolved(nil), t.links...)
}

// stillResolve reports whether every link resolves through r as recorded.
func stillResolve(links []resolved, r markdown.LinkResolver) bool {
	for _, l := range links {
		if r == nil {
			return false
		}
		if to, ok := r(l.Dest); to != l.To || ok != l.OK {
			return false
		}
	}
	return true
}

// memoValue is a value the memo keeps: written and read in a compact
// binary form (gob, tried first, spent more time decoding than the
// memo saved).
type memoValue interface {
	encode(w *memoWriter)
	decode(r *memoReader)
}

// get decodes the entry under key into v and reports whether there was
// one, whole.
func (m *memo) get(key [32]byte, v memoValue) bool {
	data, ok := m.cache.Memo(key)
	if !ok {
		return false
	}
	r := &memoReader{b: data}
	v.decode(r)
	return r.ok()
}

// put keeps v under key. The memo only saves work: a failure is ignored,
// and the next build computes the entry again.
func (m *memo) put(key [32]byte, v memoValue) {
	var w memoWriter
	v.encode(&w)
	_ = m.cache.SetMemo(key, w.b)
}

// blobRef names a large value kept apart from the entries that refer to
// it (an HTML body, a published text), under its SHA-256, so that an entry
// can be used without reading it: a page the page cache holds is found by
// the SHA-256 of its body (site.LazyHTML).
type blobRef struct {
	Sum  [sha256.Size]byte
	Size int
}

// blobKey is the memo key of the blob with SHA-256 sum. Blobs are named by
// their content alone: any entry may refer to one.
func blobKey(sum [sha256.Size]byte) [32]byte {
	return sha256.Sum256(append([]byte(memoFormat+" blob\n"), sum[:]...))
}

// putBlob keeps b apart and returns its reference.
func (m *memo) putBlob(b []byte) blobRef {
	r := blobRef{Sum: sha256.Sum256(b), Size: len(b)}
	_ = m.cache.SetMemo(blobKey(r.Sum), b)
	return r
}

// hasBlob reports whether the blob r names is kept, and keeps it for the
// next build, without reading it.
func (m *memo) hasBlob(r blobRef) bool {
	return m.cache.KeepMemo(blobKey(r.Sum))
}

// loadBlob reads the blob r names, checked against its SHA-256.
func (m *memo) loadBlob(r blobRef) ([]byte, error) {
	m.loads.Add(1)
	b, ok := m.cache.Memo(blobKey(r.Sum))
	if !ok || len(b) != r.Size || sha256.Sum256(b) != r.Sum {
		return nil, errBlobGone
	}
	return b, nil
}

var errBlobGone = errors.New("a value of the page cache's memo is missing or damaged: run the build again (it computes it anew)")

// lazy is the page body blob r names, read only if the page is rendered.
func (m *memo) lazy(r blobRef) *site.LazyHTML {
	return &site.LazyHTML{Sum: r.Sum, Size: r.Size, Load: func() ([]byte, error) { return m.loadBlob(r) }}
}

// memoWriter writes values for memoReader.
type memoWriter struct{ b []byte }

func (w *memoWriter) int(n int)       { w.b = binary.AppendVarint(w.b, int64(n)) }
func (w *memoWriter) bytes(p []byte)  { w.int(len(p)); w.b = append(w.b, p...) }
func (w *memoWriter) string(s string) { w.int(len(s)); w.b = append(w.b, s...) }
func (w *memoWriter) blob(r blobRef)  { w.b = append(w.b, r.Sum[:]...); w.int(r.Size) }
func (w *memoWriter) strings(s []string) {
	w.int(len(s))
	for _, x := range s {
		w.string(x)
	}
}
func (w *memoWriter) bool(v bool) {
	if v {
		w.int(1)
	} else {
		w.int(0)
	}
}
func (w *memoWriter) links(ls []resolved) {
	w.int(len(ls))
	for _, l := range ls {
		w.string(l.Dest)
		w.string(l.To)
		w.bool(l.OK)
	}
}

// memoReader reads what memoWriter wrote; a short or malformed value
// makes ok false (and every read after it zero).
type memoReader struct {
	b   []byte
	bad bool
}

func (r *memoReader) ok() bool { return !r.bad && len(r.b) == 0 }

func (r *memoReader) int() int {
	v, n := binary.Varint(r.b)
	if n <= 0 || r.bad {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

// count reads a length, which must fit in what is left.
func (r *memoReader) count() int {
	n := r.int()
	if n < 0 || n > len(r.b) {
		r.bad = true
		return 0
	}
	return n
}

func (r *memoReader) bytes() []byte {
	n := r.count()
	p := r.b[:n:n]
	r.b = r.b[n:]
	return p
}
func (r *memoReader) string() string { return string(r.bytes()) }
func (r *memoReader) bool() bool     { return r.int() == 1 }
func (r *memoReader) blob() blobRef {
	var b blobRef
	if len(r.b) < len(b.Sum) {
		r.bad = true
		return b
	}
	copy(b.Sum[:], r.b)
	r.b = r.b[len(b.Sum):]
	b.Size = r.int()
	return b
}
func (r *memoReader) strings() []string {
	n := r.count()
	var out []string
	for range n {
		out = append(out, r.string())
	}
	return out
}
func (r *memoReader) links() []resolved {
	n := r.count()
	var out []resolved
	for range n {
		out = append(out, resolved{Dest: r.string(), To: r.string(), OK: r.bool()})
	}
	return out
}

// count records a hit or a miss.
func (m *memo) count(hit bool) {
	if hit {
		m.hits.Add(1)
	} else {
		m.misses.Add(1)
	}
}

func (m *compareMemo) encode(w *memoWriter) {
	w.blob(m.HTML)
	f := &m.Facts
	w.string(f.RedlineSummary)
	w.string(f.Summary)
	w.bool(f.Identical)
	w.bool(f.SourceChanged)
	w.strings(f.Metadata)
	for _, n := range []int{f.Stats.Changed, f.Stats.Inserted, f.Stats.Deleted, f.Stats.Moved, f.Stats.Unchanged, f.Stats.Renumbered, f.Stats.Reparagraphed} {
		w.int(n)
	}
	w.links(m.LinksFrom)
	w.links(m.LinksTo)
}

func (m *compareMemo) decode(r *memoReader) {
	m.HTML = r.blob()
	f := &m.Facts
	f.RedlineSummary = r.string()
	f.Summary = r.string()
	f.Identical = r.bool()
	f.SourceChanged = r.bool()
	f.Metadata = r.strings()
	for _, n := range []*int{&f.Stats.Changed, &f.Stats.Inserted, &f.Stats.Deleted, &f.Stats.Moved, &f.Stats.Unchanged, &f.Stats.Renumbered, &f.Stats.Reparagraphed} {
		*n = r.int()
	}
	m.LinksFrom = r.links()
	m.LinksTo = r.links()
}

func (hd *versionHead) encode(w *memoWriter) {
	w.string(hd.Title)
	w.string(hd.Kind)
	w.bytes(hd.Part[:])
}

func (hd *versionHead) decode(r *memoReader) {
	hd.Title = r.string()
	hd.Kind = r.string()
	if b := r.bytes(); len(b) == len(hd.Part) {
		copy(hd.Part[:], b)
	} else {
		r.bad = true
	}
}

func (m *textMemo) encode(w *memoWriter) {
	w.blob(m.JSON)
	w.links(m.Links)
}

func (m *textMemo) decode(r *memoReader) {
	m.JSON = r.blob()
	m.Links = r.links()
}

func (m *renderMemo) encode(w *memoWriter) {
	w.blob(m.HTML)
	w.int(len(m.Headings))
	for _, h := range m.Headings {
		w.int(h.Level)
		w.string(h.ID)
		w.string(h.Number)
		w.string(h.Text)
		w.int(h.Line)
	}
	w.links(m.Links)
}

func (m *renderMemo) decode(r *memoReader) {
	m.HTML = r.blob()
	n := r.count()
	m.Headings = nil
	for range n {
		m.Headings = append(m.Headings, markdown.Heading{Level: r.int(), ID: r.string(), Number: r.string(), Text: r.string(), Line: r.int()})
	}
	m.Links = r.links()
}

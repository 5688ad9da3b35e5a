package portal

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/clause-portal/clause/generator/redline"
	"github.com/clause-portal/clause/generator/site"
)

// The texts the compare page loads (redline.Marshal of versionText) are
// published a few to a file, in packs, so that the output does not grow
// by a file for every version. A document's distinct texts (by the
// SHA-256 of their JSON), taken from its oldest version to its newest, are
// appended to a pack until it holds packMaxTexts of them or packMaxBytes
// of their JSON: its boundaries depend only on the versions before, so
// that a new version changes only the last pack, the one not yet full.
//
// A pack is the file TextsURL(id) + NAME.json, NAME being the first 10
// bytes (in hex) of the SHA-256 of its members' SHA-256s in order: named
// by its content, and named without reading it. It is a JSON object
// mapping each member's key (memberKey) to the member's JSON, verbatim, in
// pack order. VersionsJSONURL gives each version its pack and key.
//
// The pages give each version's text as they are computed (publishText,
// memoPublishText); the packs are written once all of a document's pages
// are (writePacks). A pack the page cache or the output reused has is
// not written again, and its members are not read.

const (
	// packMaxTexts and packMaxBytes close a pack: a pack holds
	// packMaxTexts texts, or fewer that reach packMaxBytes of JSON (the
	// last pack of a document may hold less).
	packMaxTexts = 16
	packMaxBytes = 256 << 10
	// textsHeldMax bounds the texts computed by this build that are kept
	// in memory until their document's packs are written: beyond it, a
	// text the memo holds is read from it again.
	textsHeldMax = 32 << 20
)

// textNames keeps each version's text until its document's packs are
// written, then the pack and key it was published under.
type textNames struct {
	stage string // the staged site; "" publishes nothing
	// reuse, if not nil, is the old output Build makes its own: a pack
	// it has already is not written again.
	reuse *site.Reuse
	// cache, if not nil, keeps the packs from one build to the next, as
	// it keeps pages': a pack it has is linked into the output (nothing
	// is read, and nothing written where the output reused is that file
	// already).
	cache *site.PageCache
	// heldMax is textsHeldMax, or a test's.
	heldMax int

	mu      sync.Mutex
	members map[*Version]*textMember // given, not yet packed
	held    int                      // bytes of the members' JSON in memory
	places  map[*Version]textPlace   // packed
}

// textMember is a version's text, as a pack's member: the SHA-256 and
// length of its JSON, and how to read it.
type textMember struct {
	sum  [sha256.Size]byte
	size int
	load func() ([]byte, error)
	held int // bytes load holds in memory
}

// textPlace is where a version's text is published: the file name of its
// pack in TextsURL, and its key in it.
type textPlace struct{ pack, key string }

// memberKey is a text's key in its pack: the first 10 bytes of its SHA-256.
func memberKey(sum [sha256.Size]byte) string { return hex.EncodeToString(sum[:10]) }

// publishText gives the text of side (version i of e) to its document's
// packs, once per version.
func (p *pager) publishText(e *Entry, i int, side Side) error {
	v := e.Versions[i]
	if p.textPublished(v) {
		return nil
	}
	data, err := redline.Marshal(versionText(v, side))
	if err != nil {
		return err
	}
	m := &textMember{sum: sha256.Sum256(data), size: len(data), load: func() ([]byte, error) { return data, nil }, held: len(data)}
	if p.memo != nil {
		ref := p.memo.putBlob(data)
		p.memo.put(p.textKey(e, v, p.memo.headOf(v, side.Doc)), &textMemo{JSON: ref, Links: side.trace.list()})
		if p.texts.heldBytes()+len(data) > p.texts.heldMax && p.memo.hasBlob(ref) {
			m.load, m.held = func() ([]byte, error) { return p.memo.loadBlob(ref) }, 0
		}
	}
	p.texts.give(v, m)
	return nil
}

// textMemo is a version's published text kept by the memo, with the links
// its blocks resolved.
type textMemo struct {
	JSON  blobRef
	Links []resolved
}

func (p *pager) textKey(e *Entry, v *Version, head versionHead) [32]byte {
	return p.memo.key("text", head.part(), stringPart(v.SHA256, e.Language))
}

// memoPublishText is publishText from the memo, given the version's head;
// false when the memo cannot give it. The text is read only if its pack
// is written.
func (p *pager) memoPublishText(e *Entry, i int, head versionHead) bool {
	v := e.Versions[i]
	if p.textPublished(v) {
		return true
	}
	var m textMemo
	if !p.memo.get(p.textKey(e, v, head), &m) || !stillResolve(m.Links, p.sideLinks(e, i)) || !p.memo.hasBlob(m.JSON) {
		return false
	}
	p.texts.give(v, &textMember{sum: m.JSON.Sum, size: m.JSON.Size, load: func() ([]byte, error) { return p.memo.loadBlob(m.JSON) }})
	return true
}

// textPublished reports whether version v's text is given already (or
// nothing is published: no staged site).
func (p *pager) textPublished(v *Version) bool {
	t := p.texts
	if t == nil || t.stage == "" {
		return true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	_, given := t.members[v]
	_, packed := t.places[v]
	return given || packed
}

func (t *textNames) heldBytes() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.held
}

func (t *textNames) give(v *Version, m *textMember) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.members == nil {
		t.members = map[*Version]*textMember{}
	}
	t.members[v] = m
	t.held += m.held
}

// textPlace is where publishText's text of version v was published; zero
// if it was not (a version too large to compare).
func (p *pager) textPlace(v *Version) textPlace {
	if p.texts == nil {
		return textPlace{}
	}
	p.texts.mu.Lock()
	defer p.texts.mu.Unlock()
	return p.texts.places[v]
}

// packTexts groups a document's distinct texts, oldest first, into packs.
func packTexts(members []*textMember) [][]*textMember {
	var packs [][]*textMember
	start, size := 0, 0
	for i, m := range members {
		size += m.size
		if i+1-start == packMaxTexts || size >= packMaxBytes {
			packs = append(packs, members[start:i+1:i+1])
			start, size = i+1, 0
		}
	}
	if start < len(members) {
		packs = append(packs, members[start:])
	}
	return packs
}

// packName is the file name of the pack of members.
func packName(members []*textMember) string {
	h := sha256.New()
	for _, m := range members {
		h.Write(m.sum[:])
	}
	return hex.EncodeToString(h.Sum(nil)[:10]) + ".json"
}

// packJSON is the content of the pack of members.
func packJSON(members []*textMember) ([]byte, error) {
	n := 2
	for _, m := range members {
		n += len(`,"":`) + 2*10 + m.size
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	for i, m := range members {
		data, err := m.load()
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, memberKey(m.sum)...)
		b = append(b, '"', ':')
		b = append(b, data...)
	}
	return append(b, '}'), nil
}

// writePacks writes the packs of e's texts into the staged site, once
// all of e's pages are computed, and lets go of the texts.
func (p *pager) writePacks(e *Entry) error {
	t := p.texts
	if t == nil || t.stage == "" {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var members []*textMember
	seen := map[[sha256.Size]byte]bool{}
	for i := len(e.Versions) - 1; i >= 0; i-- {
		m := t.members[e.Versions[i]]
		if m != nil && !seen[m.sum] {
			seen[m.sum] = true
			members = append(members, m)
		}
	}
	packOf := map[[sha256.Size]byte]string{}
	for _, pack := range packTexts(members) {
		name := packName(pack)
		if err := p.writePack(strings.TrimPrefix(TextsURL(e.ID), "/")+name, pack); err != nil {
			return err
		}
		for _, m := range pack {
			packOf[m.sum] = name
		}
	}
	if t.places == nil {
		t.places = map[*Version]textPlace{}
	}
	for _, v := range e.Versions {
		if m := t.members[v]; m != nil {
			t.places[v] = textPlace{pack: packOf[m.sum], key: memberKey(m.sum)}
			t.held -= m.held
			delete(t.members, v)
		}
	}
	return nil
}

// packMemo is what the memo keeps of a pack written: its file's SHA-256
// and length, by which the output reused is found to have it without
// reading its members.
type packMemo struct{ File blobRef }

func (m *packMemo) encode(w *memoWriter) { w.blob(m.File) }
func (m *packMemo) decode(r *memoReader) { m.File = r.blob() }

// writePack writes the pack of members at slash path rel below the staged
// site, unless the page cache or the output reused has it already. Call
// with p.texts.mu held.
func (p *pager) writePack(rel string, members []*textMember) error {
	t := p.texts
	// The file's key: its path and its members (named by their SHA-256).
	h := sha256.New()
	h.Write([]byte(rel + "\x00"))
	for _, m := range members {
		h.Write(m.sum[:])
	}
	var key [32]byte
	copy(key[:], h.Sum(nil))
	var memoKey [32]byte
	var known packMemo
	remembered := false
	if p.memo != nil {
		memoKey = p.memo.key("pack", func(h hash.Hash) { h.Write(key[:]) })
		remembered = p.memo.get(memoKey, &known)
	}
	if t.cache != nil && t.cache.RestoreFile(key, t.stage, t.reuse) {
		return nil
	}
	if remembered && t.reuse != nil && t.reuse.Same(rel, known.File.Size, known.File.Sum) {
		// The page cache keeps it from now on. It only saves work: a
		// failure is no error.
		if t.cache != nil {
			_ = t.cache.StoreFile(key, t.reuse.Root(), rel)
		}
		return nil
	}
	data, err := packJSON(members)
	if err != nil {
		return err
	}
	dst := filepath.Join(t.stage, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return err
	}
	if t.cache != nil {
		_ = t.cache.StoreFile(key, t.stage, rel)
	}
	if p.memo != nil {
		p.memo.put(memoKey, &packMemo{File: blobRef{Sum: sha256.Sum256(data), Size: len(data)}})
	}
	return nil
}

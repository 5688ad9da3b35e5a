package portal

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/redline"
	"github.com/clause-portal/clause/generator/redline/wasm"
	"github.com/clause-portal/clause/generator/site"
)

// Any two versions of a document are compared in the reader's browser, by
// generator/diff itself compiled to WebAssembly (generator/redline/wasm),
// on one page per document, ComparePageURL(id)?from=A&to=B. For it, the
// build publishes each version's text (redline.Text: its blocks and front
// matter, as the build's own redlines compare them) under TextsURL, named
// by the hash of the file, so that versions with the same text share one;
// and the engine once, under /js/. Only the redlines readers without
// JavaScript need are rendered as pages: each version against its
// predecessor and against the newest (comparePairs).

// ComparePageURL is the path of a document's compare page. The versions
// compared are given in the query: ComparePageURL(id) + "?from=A&to=B".
func ComparePageURL(id string) string { return "/" + id + "/compare/" }

// TextsURL is the folder of a document's published texts.
func TextsURL(id string) string { return "/" + id + "/versions/blocks/" }

// VersionsJSONURL is the path of a document's list of versions for the
// compare form and page: [{"id", "date", "subject", "text"}], newest first,
// where text names the version's file in TextsURL (absent for a version
// too large to compare).
func VersionsJSONURL(id string) string { return "/" + id + "/versions/versions.json" }

// textNames records the file each version's text was published as; the
// pages are built on one goroutine and versions.json written on another.
type textNames struct {
	stage string // the staged site; "" publishes nothing
	// reuse, if not nil, is the old output Build makes its own: a text
	// it has already is not written again.
	reuse *site.Reuse
	// cache, if not nil, keeps the texts' files from one build to the
	// next, as it keeps pages': a text it has is linked into the output
	// (nothing is read, and nothing written where the output reused is
	// that file already).
	cache *site.PageCache
	mu    sync.Mutex
	names map[*Version]string
	files map[string]bool // written, below stage
}

// publishText writes the text of side (version i of e) into the staged
// site, once per version and once per distinct file.
func (p *pager) publishText(e *Entry, i int, side Side) error {
	if p.textPublished(e.Versions[i]) {
		return nil
	}
	data, err := redline.Marshal(versionText(e.Versions[i], side))
	if err != nil {
		return err
	}
	if p.memo != nil {
		p.memo.put(p.textKey(e, e.Versions[i], p.memo.headOf(e.Versions[i], side.Doc)), &textMemo{JSON: p.memo.putBlob(data), Links: side.trace.list()})
	}
	return p.writeText(e, i, sha256.Sum256(data), len(data), func() ([]byte, error) { return data, nil })
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
// false when the memo cannot give it.
func (p *pager) memoPublishText(e *Entry, i int, head versionHead) bool {
	if p.textPublished(e.Versions[i]) {
		return true
	}
	var m textMemo
	if !p.memo.get(p.textKey(e, e.Versions[i], head), &m) || !stillResolve(m.Links, p.sideLinks(e, i)) || !p.memo.hasBlob(m.JSON) {
		return false
	}
	return p.writeText(e, i, m.JSON.Sum, m.JSON.Size, func() ([]byte, error) { return p.memo.loadBlob(m.JSON) }) == nil
}

// textPublished reports whether version v's text is published already
// (or nothing is: no staged site).
func (p *pager) textPublished(v *Version) bool {
	t := p.texts
	if t == nil || t.stage == "" {
		return true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	_, done := t.names[v]
	return done
}

// writeText writes the text of version i of e into the staged site,
// given its SHA-256 and length: load reads it, unless the page cache or the
// output reused has it already.
func (p *pager) writeText(e *Entry, i int, sum [sha256.Size]byte, size int, load func() ([]byte, error)) error {
	t := p.texts
	v := e.Versions[i]
	name := hex.EncodeToString(sum[:10]) + ".json"
	rel := strings.TrimPrefix(TextsURL(e.ID), "/") + name
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.names == nil {
		t.names, t.files = map[*Version]string{}, map[string]bool{}
	}
	t.names[v] = name
	if t.files[rel] {
		return nil
	}
	// The file's key: its path and bytes (named by their SHA-256).
	key := sha256.Sum256(append([]byte(rel+"\x00"), sum[:]...))
	if t.cache != nil && t.cache.RestoreFile(key, t.stage, t.reuse) {
		t.files[rel] = true
		return nil
	}
	if t.reuse != nil && t.reuse.Same(rel, size, sum) {
		t.files[rel] = true
		// The page cache keeps it from now on (an output made before
		// it kept texts). It only saves work: a failure is no error.
		if t.cache != nil {
			_ = t.cache.StoreFile(key, t.reuse.Root(), rel)
		}
		return nil
	}
	data, err := load()
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
	t.files[rel] = true
	if t.cache != nil {
		_ = t.cache.StoreFile(key, t.stage, rel)
	}
	return nil
}

// textName is the file name publishText gave version v's text, or "".
func (p *pager) textName(v *Version) string {
	if p.texts == nil {
		return ""
	}
	p.texts.mu.Lock()
	defer p.texts.mu.Unlock()
	return p.texts.names[v]
}

// versionText is what the compare page needs of a version: the blocks the
// build's redlines compare, and the front matter they name.
func versionText(v *Version, s Side) redline.Text {
	return redline.Text{Meta: meta(s.Doc), SHA256: v.SHA256, Blocks: s.blockList()}
}

func meta(d *document.Document) redline.Meta {
	return redline.Meta{Title: d.Title, Effective: d.Effective.String(), NoticeDays: d.NoticeDays, Register: d.Kind == document.KindSubprocessors}
}

// versionsJSON is the content of VersionsJSONURL.
func (p *pager) versionsJSON(e *Entry) ([]byte, error) {
	type item struct {
		ID      string `json:"id"`
		Date    string `json:"date"`
		Subject string `json:"subject"`
		Text    string `json:"text,omitempty"`
	}
	items := make([]item, len(e.Versions))
	for i, v := range e.Versions {
		items[i] = item{ID: v.ID, Date: p.localVersionDisplay(e, v), Subject: v.Subject, Text: p.textName(v)}
	}
	return json.Marshal(items)
}

// compareControl is what the "compare any two versions" form needs: where
// to find the document's list of versions (fetched by the theme's script,
// so that the list is not repeated on every page), the compare page it
// goes to, and the two versions preselected (from < 0: the newest and its
// predecessor).
func (p *pager) compareControl(e *Entry, from, to int) map[string]any {
	if len(e.Versions) < 2 {
		return nil
	}
	m := map[string]any{
		"versions_json": VersionsJSONURL(e.ID),
		"base":          ComparePageURL(e.ID),
	}
	if from >= 0 {
		m["from"], m["to"] = e.Versions[from].ID, e.Versions[to].ID
	} else {
		m["from"], m["to"] = e.Versions[min(1, len(e.Versions)-1)].ID, e.Versions[0].ID
	}
	return m
}

// compareAnyPage is a document's compare page, where the theme's script
// compares the two versions named in the query in the browser. Without
// JavaScript it says where the precomputed redlines are.
func (p *pager) compareAnyPage(e *Entry) *site.Page {
	params := archivedParams(p.documentParams(e))
	params["type"] = "compare-any"
	params["title"] = e.Doc.Title
	control := p.compareControl(e, -1, -1)
	control["query"] = true // the versions shown are the query's
	params["compare"] = control
	params["redline"] = map[string]any{
		"versions_json": VersionsJSONURL(e.ID),
		"texts":         TextsURL(e.ID),
		// Not through the url partial: the redline's links are the
		// paths the build's redlines link (diff.HTMLOptions.LinkBase).
		"link_base": VersionsURL(e.ID),
		"newest":    e.Versions[0].ID,
		"previous":  e.Versions[1].ID,
	}
	// The engine's words and the summary's, in the document's language
	// (JSON for the script; none for English).
	if words := p.redlineWords(e.Language); words != nil {
		w, _ := json.Marshal(words)
		s, _ := json.Marshal(p.summaryForms(e.Language))
		r := params["redline"].(map[string]any)
		r["words"], r["summary"], r["lang"] = string(w), string(s), e.Language
	}
	return &site.Page{URL: ComparePageURL(e.ID), Layout: "compare-any", Title: p.localizer(e.Language).T("compare_versions_of", map[string]any{"Title": e.Doc.Title}), Date: e.Versions[0].Date, Params: params}
}

// engineFiles are the redline engine and its loader as published: paths
// named by their content, and the Subresource Integrity of each. The
// engine (4.6 MB) is named from the sums generated with it and
// decompressed only when the output reused lacks it.
type engineFiles struct {
	wasmSum          wasm.Sum
	execJS           []byte
	wasmURL, execURL string
	wasmSRI, execSRI string
}

// redlineEngine names the embedded engine's files.
func redlineEngine() (*engineFiles, error) {
	sum, err := wasm.EngineSum()
	if err != nil {
		return nil, fmt.Errorf("the redline engine: %w", err)
	}
	f := &engineFiles{wasmSum: sum, execJS: wasm.ExecJS()}
	f.wasmURL, f.wasmSRI = contentURL("/js/redline", ".wasm", sum.SHA256), sum.Integrity
	s384 := sha512.Sum384(f.execJS)
	f.execURL, f.execSRI = contentURL("/js/wasm_exec", ".js", sha256.Sum256(f.execJS)), "sha384-"+base64.StdEncoding.EncodeToString(s384[:])
	return f, nil
}

// contentURL names a file by the first 8 bytes of its SHA-256.
func contentURL(prefix, ext string, sum [32]byte) string {
	return prefix + "." + hex.EncodeToString(sum[:8]) + ext
}

// params are the site parameters the compare page's template reads.
func (f *engineFiles) params() map[string]any {
	return map[string]any{"wasm": f.wasmURL, "wasm_integrity": f.wasmSRI, "exec": f.execURL, "exec_integrity": f.execSRI}
}

// write puts the engine's files into the staged site, or leaves them to
// the output reused when it has them as they are.
func (f *engineFiles) write(o *output) error {
	rel := strings.TrimPrefix(f.wasmURL, "/")
	if o.reuse == nil || !o.reuse.Same(rel, f.wasmSum.Size, f.wasmSum.SHA256) {
		w, err := wasm.Engine()
		if err != nil {
			return fmt.Errorf("the redline engine: %w", err)
		}
		if err := o.write(rel, w); err != nil {
			return err
		}
	}
	return o.write(strings.TrimPrefix(f.execURL, "/"), f.execJS)
}

// comparable reports whether some document of c has two versions or more:
// only then does the portal need the engine.
func comparable(c *Catalog) bool {
	for _, e := range c.Entries {
		if len(e.Versions) > 1 {
			return true
		}
	}
	return false
}

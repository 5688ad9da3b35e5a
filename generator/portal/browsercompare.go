package portal

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/redline"
	"github.com/clause-portal/clause/generator/redline/wasm"
	"github.com/clause-portal/clause/generator/site"
)

// Any two versions of a document are compared in the reader's browser, by
// generator/diff itself compiled to WebAssembly (generator/redline/wasm),
// on one page per document, ComparePageURL(id)?from=A&to=B. For it, the
// build publishes each version's text (redline.Text: its blocks and front
// matter, as the build's own redlines compare them) under TextsURL, a few
// versions' texts to a file (see textpacks.go), versions with the same
// text sharing one; and the engine once, under /js/. Only the redlines
// readers without JavaScript need are rendered as pages: each version
// against its predecessor and against the newest (comparePairs).

// ComparePageURL is the path of a document's compare page. The versions
// compared are given in the query: ComparePageURL(id) + "?from=A&to=B".
func ComparePageURL(id string) string { return "/" + id + "/compare/" }

// TextsURL is the folder of a document's published texts: its packs,
// each a JSON object of texts by key (see textpacks.go).
func TextsURL(id string) string { return "/" + id + "/versions/blocks/" }

// VersionsJSONURL is the path of a document's list of versions for the
// compare form and page: [{"id", "date", "subject", "text", "pack"}],
// newest first, where pack names the file in TextsURL that holds the
// version's text and text is its key there (both absent for a version too
// large to compare).
func VersionsJSONURL(id string) string { return "/" + id + "/versions/versions.json" }

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
		Pack    string `json:"pack,omitempty"`
	}
	items := make([]item, len(e.Versions))
	for i, v := range e.Versions {
		at := p.textPlace(v)
		items[i] = item{ID: v.ID, Date: p.localVersionDisplay(e, v), Subject: v.Subject, Text: at.key, Pack: at.pack}
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

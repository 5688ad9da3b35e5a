package site

import (
	"crypto/sha256"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// listTree maps each file below dir to its content and each folder to "/".
func listTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			out[rel] = "/"
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			out[rel] = string(b)
			return err
		default:
			out[rel] = "(not a file)"
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeTestFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReuse makes an old output into a new one: files linked from a cache,
// files the caller finds the same, files moved in from a stage folder; a
// file where a folder goes and a folder where a file goes; a symbolic link
// removed, not followed; whatever the new output lacks removed. The result
// holds the new output's files and folders and nothing else, and no file
// the old output shared with another (a hard link) was written in place.
func TestReuse(t *testing.T) {
	old, stage, cache, outside := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	writeTestFiles(t, old, map[string]string{
		"kept/index.html":      "cached page",
		"relinked/index.html":  "stale page",
		"same.json":            "same text",
		"changed.json":         "old text",
		"gone/deep/index.html": "retracted",
		"gone.html":            "retracted",
		"was-file":             "a file where a folder goes",
		"was-dir/x.html":       "a folder where a file goes",
		"moved/index.html":     "old version",
	})
	writeTestFiles(t, cache, map[string]string{"kept": "cached page", "relinked": "fresh page", "new": "new page"})
	// The old output's cached page is the cache's file (a hard link).
	os.Remove(filepath.Join(old, "kept", "index.html"))
	if err := os.Link(filepath.Join(cache, "kept"), filepath.Join(old, "kept", "index.html")); err != nil {
		t.Fatal(err)
	}
	// The stale one is a link too: replacing it must not write the file.
	os.Remove(filepath.Join(old, "relinked", "index.html"))
	shared := filepath.Join(outside, "shared")
	os.WriteFile(shared, []byte("stale page"), 0o644)
	if err := os.Link(shared, filepath.Join(old, "relinked", "index.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(old, "link")); err != nil {
		t.Fatal(err)
	}
	writeTestFiles(t, stage, map[string]string{
		"moved/index.html": "new version",
		"was-file/a.html":  "now a folder",
		"was-dir":          "now a file",
		"link/index.html":  "a folder where the link was",
		"fresh/index.html": "fresh",
		"changed.json":     "new text",
		".clause-output":   "marker",
		"empty/":           "",
	})
	os.Remove(filepath.Join(stage, "empty"))
	os.Mkdir(filepath.Join(stage, "empty"), 0o755)

	r, err := OpenReuse(old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(old, "link")); err == nil {
		t.Error("the symbolic link is still there after OpenReuse")
	}
	link := func(rel, name string) {
		t.Helper()
		src := filepath.Join(cache, name)
		fi, err := os.Lstat(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.link(rel, src, fi, func() ([]byte, error) { return os.ReadFile(src) }); err != nil {
			t.Fatal(err)
		}
	}
	link("kept/index.html", "kept")
	link("relinked/index.html", "relinked")
	link("new/page/index.html", "new")
	same := func(rel, text string) bool { return r.Same(rel, len(text), sha256.Sum256([]byte(text))) }
	if !same("same.json", "same text") {
		t.Error("Same: an identical file is not the same")
	}
	if same("changed.json", "new text") || same("changed.json", "old tex") || same("absent.json", "") || same("gone", "") {
		t.Error("Same: a different or missing file, or a folder, is the same")
	}
	if err := r.Merge(stage); err != nil {
		t.Fatal(err)
	}
	if err := r.Prune(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"kept": "/", "kept/index.html": "cached page",
		"relinked": "/", "relinked/index.html": "fresh page",
		"new": "/", "new/page": "/", "new/page/index.html": "new page",
		"same.json": "same text", "changed.json": "new text",
		"moved": "/", "moved/index.html": "new version",
		"was-file": "/", "was-file/a.html": "now a folder",
		"was-dir": "now a file",
		"link":    "/", "link/index.html": "a folder where the link was",
		"fresh": "/", "fresh/index.html": "fresh",
		".clause-output": "marker",
		"empty":          "/",
	}
	got := listTree(t, old)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: left in the output", k)
		}
	}
	if b, _ := os.ReadFile(shared); string(b) != "stale page" {
		t.Errorf("a file the old output shared was written in place: %q", b)
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 1 {
		t.Errorf("something was written through the symbolic link: %d entries", len(ents))
	}
	if r.Unchanged() != 2 {
		t.Errorf("%d files unchanged, want 2 (kept/index.html, same.json)", r.Unchanged())
	}
	var stageFiles []string
	filepath.WalkDir(stage, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			stageFiles = append(stageFiles, p)
		}
		return nil
	})
	if len(stageFiles) > 0 {
		t.Errorf("files left in the stage folder: %s", strings.Join(stageFiles, ", "))
	}
}

package site

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestMoveTree: files land at their paths below the destination, folders
// it lacks moved whole, files there replaced, what is not a regular file
// or folder left behind; the paths moved are listed.
func TestMoveTree(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	writeTestFiles(t, src, map[string]string{
		"new/page/index.html": "new page", "new/page/deep/x.html": "deep",
		"old/page/index.html": "replaced", "old/fresh/index.html": "fresh",
		"top.css": "css", "mixed/a.html": "a",
	})
	writeTestFiles(t, dst, map[string]string{"old/page/index.html": "stale", "old/other/index.html": "kept"})
	if err := os.Symlink("/etc", filepath.Join(src, "mixed", "link")); err != nil {
		t.Fatal(err)
	}
	moved, err := moveTree(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(moved)
	want := []string{"mixed/a.html", "new/page/deep/x.html", "new/page/index.html", "old/fresh/index.html", "old/page/index.html", "top.css"}
	if !slices.Equal(moved, want) {
		t.Errorf("moved %v, want %v", moved, want)
	}
	got := listTree(t, dst)
	for name, body := range map[string]string{
		"new/page/index.html": "new page", "new/page/deep/x.html": "deep", "old/page/index.html": "replaced",
		"old/fresh/index.html": "fresh", "top.css": "css", "mixed/a.html": "a", "old/other/index.html": "kept",
	} {
		if got[name] != body {
			t.Errorf("%s: %q, want %q", name, got[name], body)
		}
	}
	if _, ok := got["mixed/link"]; ok {
		t.Error("a symbolic link was moved")
	}
	if err := MoveInto(filepath.Join(src, "absent"), dst); err != nil {
		t.Errorf("MoveInto from a missing folder: %v", err)
	}
	if files, err := moveTree(filepath.Join(src, "absent"), dst); err != nil || len(files) != 0 {
		t.Errorf("from a missing folder: %v, %v", files, err)
	}
}

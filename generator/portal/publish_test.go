package portal

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestRemoveTree removes a site-like tree of nested folders, with a
// symbolic link to a folder outside it: everything inside goes, the link's
// target stays.
func TestRemoveTree(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	outside := filepath.Join(root, "outside")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "keep.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	for d := range 20 {
		for v := range 5 {
			dir := filepath.Join(site, fmt.Sprintf("doc%d", d), "versions", fmt.Sprintf("v%d", v))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<p>x</p>"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(site, "index.html"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(site, "doc3", "link")); err != nil {
		t.Fatal(err)
	}
	if err := removeTree(site); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(site); !os.IsNotExist(err) {
		t.Errorf("%s still exists (%v)", site, err)
	}
	if b, err := os.ReadFile(filepath.Join(outside, "keep.txt")); err != nil || string(b) != "keep" {
		t.Errorf("the target of a link inside the tree was touched: %q, %v", b, err)
	}
	if err := removeTree(filepath.Join(root, "missing")); err != nil {
		t.Errorf("removing a missing folder: %v", err)
	}
}

// TestSwapReplacesOutput publishes a stage over an existing output: the new
// site is in place, and neither the stage nor the old site is left.
func TestSwapReplacesOutput(t *testing.T) {
	root := t.TempDir()
	out, stage := filepath.Join(root, "public"), filepath.Join(root, ".public.clause-build-1")
	for dir, name := range map[string]string{out: "old.html", stage: "new.html"} {
		if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "sub", name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := swap(stage, out, func(err error) { t.Errorf("warning: %v", err) }); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 || entries[0].Name() != "public" {
		t.Errorf("left in %s: %v", root, entries)
	}
	if _, err := os.Stat(filepath.Join(out, "sub", "new.html")); err != nil {
		t.Errorf("new site not in place: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "sub", "old.html")); !os.IsNotExist(err) {
		t.Errorf("old site still there (%v)", err)
	}
}

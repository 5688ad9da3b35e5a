package portal

import (
	"os"
	"path/filepath"
	"testing"
)

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

package portal

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTree(t *testing.T, files map[string]string) {
	t.Helper()
	for p, body := range files {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSwapReplacesOutput publishes a build over an existing output: the new
// site is in place, and after release neither the build folder nor the old
// site is left.
func TestSwapReplacesOutput(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	writeTree(t, map[string]string{filepath.Join(out, "sub", "old.html"): "", filepath.Join(out, OutputMarker): ""})
	b, err := newBuildDir(out, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, map[string]string{filepath.Join(b.site, "sub", "new.html"): ""})
	if err := swap(b, out); err != nil {
		t.Fatal(err)
	}
	b.release(func(err error) { t.Errorf("warning: %v", err) })
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 || entries[0].Name() != "public" {
		t.Errorf("left in %s: %v", root, entries)
	}
	if _, err := os.Stat(filepath.Join(out, "sub", "new.html")); err != nil {
		t.Errorf("new site not in place: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, OutputMarker)); err != nil {
		t.Errorf("new site has no marker: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "sub", "old.html")); !os.IsNotExist(err) {
		t.Errorf("old site still there (%v)", err)
	}
}

// TestLeftoversOfKilledBuildsRemoved: the working folders a killed build
// leaves beside the output are removed by the next build, and only those.
func TestLeftoversOfKilledBuildsRemoved(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	keep := filepath.Join(root, ".other.clause-build-1", "x")
	writeTree(t, map[string]string{
		filepath.Join(root, ".public.clause-build-123", "site", "a.html"):     "",
		filepath.Join(root, ".public.clause-build-456", "clause-hugo-9", "b"): "",
		keep: "",
	})
	var logged []string
	b, err := newBuildDir(out, func(s string) { logged = append(logged, s) })
	if err != nil {
		t.Fatal(err)
	}
	defer b.release(nil)
	for _, gone := range []string{".public.clause-build-123", ".public.clause-build-456"} {
		if _, err := os.Stat(filepath.Join(root, gone)); !os.IsNotExist(err) {
			t.Errorf("%s not removed (%v)", gone, err)
		}
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("another output's folder was removed: %v", err)
	}
	if len(logged) != 2 || !strings.Contains(logged[0], "interrupted build") {
		t.Errorf("log = %q", logged)
	}
}

// TestOutputFolderGuards: --out never replaces what a build did not write.
func TestOutputFolderGuards(t *testing.T) {
	repo := t.TempDir()
	home := t.TempDir()
	t.Setenv("HOME", home)
	content := filepath.Join(repo, "content")
	writeTree(t, map[string]string{
		filepath.Join(content, "dpa.md"):                    "# DPA\n",
		filepath.Join(repo, "layouts", "page.html"):         "x",
		filepath.Join(repo, "notes", "mine.txt"):            "mine",
		filepath.Join(repo, "somefile.txt"):                 "x",
		filepath.Join(repo, "old", "api", "documents.json"): `{"generated": "2026-01-01T00:00:00Z"}`,
		filepath.Join(repo, "marked", OutputMarker):         "",
		filepath.Join(repo, "marked", "index.html"):         "",
	})
	if err := os.Symlink(filepath.Join(repo, "notes"), filepath.Join(repo, "link")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		out   string
		force bool
		want  string // "" for allowed
	}{
		{out: "public"},
		{out: "marked"},
		{out: "old"}, // written by a Clause release before the marker
		{out: "notes", want: "not written by clause build"},
		{out: "notes", force: true},
		{out: "somefile.txt", want: "is a file"},
		{out: "link", want: "symbolic link"},
		{out: "layouts", want: "layouts"},
		{out: "layouts/x", want: "layouts"},
		{out: ".git", want: ".git"},
		{out: "content", want: "content folder"},
		{out: "content/public", want: "content folder"},
		{out: ".", want: "contains the repository"},
		{out: "..", want: "contains the repository"},
		{out: home, want: "home folder"},
		{out: filepath.Dir(home), want: "contains"},
	} {
		out := tc.out
		if !filepath.IsAbs(out) {
			out = filepath.Join(repo, out)
		}
		err := checkOutDir(out, repo, content, tc.force)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("--out %s (force %v): %v", tc.out, tc.force, err)
		case tc.want != "" && (!errors.Is(err, ErrUnsafeOutput) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("--out %s: want ErrUnsafeOutput with %q, got %v", tc.out, tc.want, err)
		}
	}
	// With the content folder at the repository root, the output folder is
	// inside it, and is not read as content.
	if err := checkOutDir(filepath.Join(repo, "public"), repo, repo, false); err != nil {
		t.Errorf("content at the root: %v", err)
	}
}

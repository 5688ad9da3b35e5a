package portal

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/markdown"
	"github.com/clause-portal/clause/internal/gittest"
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
// site is in place, the old one is set aside, git-ignored, and the next
// build removes it.
func TestSwapReplacesOutput(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	writeTree(t, map[string]string{filepath.Join(out, "sub", "old.html"): "", filepath.Join(out, OutputMarker): ""})
	b, err := newBuildDir(out, false, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, map[string]string{filepath.Join(b.site, "sub", "new.html"): ""})
	if err := swap(b, out); err != nil {
		t.Fatal(err)
	}
	b.release(func(err error) { t.Errorf("warning: %v", err) })
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 || entries[0].Name() != ".public"+previousDirInfix+filepath.Base(b.path)[len(".public"+buildDirInfix):] || entries[1].Name() != "public" {
		t.Fatalf("left in %s: %v, want the output and the previous one set aside", root, entries)
	}
	aside := filepath.Join(root, entries[0].Name())
	if got, err := os.ReadFile(filepath.Join(aside, ".gitignore")); err != nil || !strings.Contains(string(got), "\n*\n") {
		t.Errorf("the folder set aside is not git-ignored: %q %v", got, err)
	}
	// The next build removes it (in the background, done by release).
	b2, err := newBuildDir(out, false, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	b2.release(nil)
	entries, _ = os.ReadDir(root)
	if len(entries) != 1 || entries[0].Name() != "public" {
		t.Errorf("after the next build, left in %s: %v", root, entries)
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
	b, err := newBuildDir(out, false, func(s string) { logged = append(logged, s) })
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

// TestPreviousOutputNotInGitStatus: the previous site a build sets aside
// beside the output never shows in git status (so git add -A cannot commit
// it), and the next build removes it.
func TestPreviousOutputNotInGitStatus(t *testing.T) {
	r := gittest.New(t)
	r.Write(".gitignore", "/public/\n")
	r.Write("content/dpa.md", "# DPA\n")
	r.Commit("2026-01-01T10:00:00Z", "DPA")
	mustBuild(t, r.Dir, Options{})
	mustBuild(t, r.Dir, Options{})
	if st := r.Git("status", "--porcelain", "--untracked-files=all"); st != "" {
		t.Errorf("git status after two builds:\n%s", st)
	}
	var aside []string
	entries, _ := os.ReadDir(r.Dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "clause-") {
			aside = append(aside, e.Name())
		}
	}
	if len(aside) != 1 || !strings.HasPrefix(aside[0], ".public"+previousDirInfix) {
		t.Errorf("beside the output: %v, want only the previous site", aside)
	}
	mustBuild(t, r.Dir, Options{})
	if _, err := os.Stat(filepath.Join(r.Dir, aside[0])); !os.IsNotExist(err) {
		t.Errorf("the next build did not remove %s (%v)", aside[0], err)
	}
}

// TestAheadFolderBesideTheOutput: the folder of pages rendered ahead
// (made before a build takes the output's lock) is beside the output, not
// in the system's temporary folder; the next build removes one a killed
// build left, and keeps the one of its own process.
func TestAheadFolderBesideTheOutput(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	killed := filepath.Join(root, ".public"+aheadDirInfix+"4194305-123")
	own := filepath.Join(root, aheadDirPrefix(out)+"456")
	writeTree(t, map[string]string{filepath.Join(killed, "1.html"): "<p>x</p>", filepath.Join(own, "1.html"): "<p>y</p>"})
	var a aheadPages
	a.parent, a.prefix = root, aheadDirPrefix(out)
	a.put(&Version{}, &markdown.Rendered{HTML: []byte("<p>z</p>")})
	if filepath.Dir(a.dir) != root || !strings.HasPrefix(filepath.Base(a.dir), aheadDirPrefix(out)) {
		t.Errorf("pages rendered ahead in %s, want a folder of %s beside the output", a.dir, root)
	}
	var logged []string
	b, err := newBuildDir(out, false, func(s string) { logged = append(logged, s) })
	if err != nil {
		t.Fatal(err)
	}
	b.release(nil)
	if _, err := os.Stat(killed); !os.IsNotExist(err) {
		t.Errorf("the folder a killed build left is still there (%v); log: %q", err, logged)
	}
	for _, keep := range []string{own, a.dir} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("this process's folder was removed: %v", err)
		}
	}
	dir := a.dir
	a.reset()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("reset left %s", dir)
	}
}

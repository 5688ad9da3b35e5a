package gitgen

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func requireGit(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git CLI not installed: needed to generate repositories")
	}
}

// git runs git in dir and returns its trimmed output.
func git(tb testing.TB, dir string, args ...string) string {
	tb.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = env()
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

func generate(tb testing.TB, opts Options) string {
	tb.Helper()
	requireGit(tb)
	dir := filepath.Join(tb.TempDir(), "repo")
	if err := Generate(dir, opts); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// TestGenerateIsReproducible pins the history for one set of options:
// benchmark figures are comparable between runs and machines only if the
// generated repository is the same. Change the hash only when the
// generator is changed on purpose (and say so where figures are quoted).
func TestGenerateIsReproducible(t *testing.T) {
	opts := Options{Commits: 400, Documents: 40, Seed: 7}
	a := git(t, generate(t, opts), "rev-parse", "main")
	b := git(t, generate(t, opts), "rev-parse", "main")
	if a != b {
		t.Fatalf("same options, different histories: %s and %s", a, b)
	}
	if want := "9d9d0fa82855ad6e1392cd065113e4bef9b9dd03"; a != want {
		t.Errorf("main is %s, want %s", a, want)
	}
	opts.Seed = 8
	if c := git(t, generate(t, opts), "rev-parse", "main"); c == a {
		t.Errorf("seeds 7 and 8 gave the same history %s", c)
	}
}

func TestGenerateShape(t *testing.T) {
	opts := Options{Commits: 300, Documents: 30, Seed: 1, Prefix: "legal/texts"}
	dir := generate(t, opts)

	commits, err := strconv.Atoi(git(t, dir, "rev-list", "--all", "--count"))
	if err != nil {
		t.Fatal(err)
	}
	if commits < opts.Commits || commits > opts.Commits+4 {
		t.Errorf("%d commits, want %d to %d", commits, opts.Commits, opts.Commits+4)
	}
	if got := git(t, dir, "symbolic-ref", "HEAD"); got != "refs/heads/main" {
		t.Errorf("HEAD is %s, want refs/heads/main", got)
	}
	if got := git(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("main is not checked out cleanly: git status:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(opts.Prefix))); err != nil {
		t.Errorf("content folder not in the work tree: %v", err)
	}
	if git(t, dir, "rev-list", "--merges", "--count", "main") == "0" {
		t.Error("no merge commits on main")
	}
	if packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack")); len(packs) != 1 {
		t.Errorf("packs %q, want one", packs)
	}

	// Every document is under the prefix; count the additions, renames and
	// deletions over all branches.
	status := map[byte]int{}
	for _, line := range strings.Split(git(t, dir, "log", "--all", "-M", "--name-status", "--format="), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 2 || !strings.HasSuffix(f[len(f)-1], ".md") || f[len(f)-1] == "README.md" {
			continue
		}
		for _, p := range f[1:] {
			if !strings.HasPrefix(p, opts.Prefix+"/") {
				t.Errorf("document %s outside %s/", p, opts.Prefix)
			}
		}
		status[f[0][0]]++
	}
	// The first commit adds half the documents, the others come later.
	added := status['A']
	if added > opts.Documents || added < opts.Documents/2+1 {
		t.Errorf("%d documents added, want at most %d and some after the first commit", added, opts.Documents)
	}
	if status['R'] == 0 || status['D'] == 0 || status['M'] == 0 {
		t.Errorf("history lacks renames, deletions or edits: %v", status)
	}
}

func TestGenerateDefaultPrefix(t *testing.T) {
	dir := generate(t, Options{Commits: 5, Documents: 4})
	files := git(t, dir, "ls-tree", "-r", "--name-only", "main")
	if !strings.Contains(files, "\n"+DefaultPrefix+"/") {
		t.Errorf("no document under %s/:\n%s", DefaultPrefix, files)
	}
}

func TestGenerateRefusesNonEmptyFolder(t *testing.T) {
	requireGit(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := Generate(dir, Options{Commits: 5, Documents: 4})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("Generate into a non-empty folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".git created in a non-empty folder: %v", err)
	}
}

func TestOptionsCheck(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string // prefix, or "" for an error
	}{
		{Options{Commits: 1, Documents: 1}, "content"},
		{Options{Commits: 1, Documents: 1, Prefix: "docs/legal/"}, "docs/legal"},
		{Options{Commits: 0, Documents: 1}, ""},
		{Options{Commits: 1, Documents: 0}, ""},
		{Options{Commits: 1, Documents: 1, Prefix: "legal texts"}, ""},
		{Options{Commits: 1, Documents: 1, Prefix: `a"b`}, ""},
		{Options{Commits: 1, Documents: 1, Prefix: "/abs"}, ""},
		{Options{Commits: 1, Documents: 1, Prefix: "../up"}, ""},
		{Options{Commits: 1, Documents: 1, Prefix: "."}, ""},
		{Options{Commits: 1, Documents: 1, Prefix: ".git/x"}, ""},
	} {
		got, err := tc.opts.check()
		if (err == nil) != (tc.want != "") || got != tc.want {
			t.Errorf("%+v: got %q, %v; want %q", tc.opts, got, err, tc.want)
		}
	}
}

// TestStreamMakesRequestedCommits checks the stream itself, without git:
// the number of commits and that every merge names a branch tip.
func TestStreamMakesRequestedCommits(t *testing.T) {
	for _, n := range []int{1, 19, 20, 21, 97} {
		var buf bytes.Buffer
		if err := writeStream(bufio.NewWriter(&buf), Options{Commits: n, Documents: 10, Seed: 3}, "content"); err != nil {
			t.Fatal(err)
		}
		got := strings.Count(buf.String(), "\ncommit refs/heads/") + 1 // the first has no newline before it
		if got < n || got > n+4 {
			t.Errorf("Commits %d: stream has %d commits", n, got)
		}
	}
}

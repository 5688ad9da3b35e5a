package history

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// gitRepo is a repository built with the git CLI for a test, in a
// temporary folder, independent of the machine's git configuration.
type gitRepo struct {
	tb  testing.TB
	dir string
}

// gitEnv is the environment of every git command the tests run.
func gitEnv() []string {
	env := []string{
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Clause Test",
		"GIT_AUTHOR_EMAIL=test@clause.example",
		"GIT_COMMITTER_NAME=Clause Test",
		"GIT_COMMITTER_EMAIL=test@clause.example",
		"GIT_TERMINAL_PROMPT=0",
		"LC_ALL=C",
		"TZ=UTC",
	}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GIT_") || strings.HasPrefix(kv, "LC_ALL=") || strings.HasPrefix(kv, "TZ=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func requireGit(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git CLI not installed: needed to build fixture repositories")
	}
}

// newGitRepo runs `git init` in a new temporary folder.
func newGitRepo(tb testing.TB) *gitRepo {
	tb.Helper()
	requireGit(tb)
	g := &gitRepo{tb: tb, dir: tb.TempDir()}
	g.git("init", "-q", "-b", "main")
	return g
}

// runGit runs git in dir with extra environment variables and returns its
// standard output.
func runGit(tb testing.TB, dir string, env []string, args ...string) string {
	tb.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(gitEnv(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

func (g *gitRepo) git(args ...string) string {
	g.tb.Helper()
	return runGit(g.tb, g.dir, nil, args...)
}

// gitAt runs git with author and committer date set to date (RFC 3339).
func (g *gitRepo) gitAt(date string, args ...string) string {
	g.tb.Helper()
	if _, err := time.Parse(time.RFC3339, date); err != nil {
		g.tb.Fatalf("bad fixture date %q: %v", date, err)
	}
	return runGit(g.tb, g.dir, []string{"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}, args...)
}

func (g *gitRepo) write(path, content string) {
	g.tb.Helper()
	p := filepath.Join(g.dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		g.tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		g.tb.Fatal(err)
	}
}

func (g *gitRepo) read(path string) string {
	g.tb.Helper()
	b, err := os.ReadFile(filepath.Join(g.dir, filepath.FromSlash(path)))
	if err != nil {
		g.tb.Fatal(err)
	}
	return string(b)
}

// commit stages everything and commits with the given date and message;
// it returns the new commit's hash.
func (g *gitRepo) commit(date, msg string) string {
	g.tb.Helper()
	g.git("add", "-A")
	f := filepath.Join(g.tb.TempDir(), "msg")
	if err := os.WriteFile(f, []byte(msg), 0o644); err != nil {
		g.tb.Fatal(err)
	}
	g.gitAt(date, "commit", "-q", "--allow-empty", "--cleanup=verbatim", "-F", f)
	return g.head()
}

func (g *gitRepo) head() string {
	g.tb.Helper()
	return strings.TrimSpace(g.git("rev-parse", "HEAD"))
}

// text makes a document of n numbered clauses, each a long line, so that
// editing one clause keeps the document well above the rename threshold.
func text(title string, n int, edits map[int]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", title)
	for i := 1; i <= n; i++ {
		if e, ok := edits[i]; ok {
			fmt.Fprintf(&b, "%d. %s\n\n", i, e)
			continue
		}
		fmt.Fprintf(&b, "%d. The %s clause %d: the processor shall process personal data only on documented instructions from the controller, as set out in clause %d.\n\n", i, strings.ToLower(title), i, i*7%n+1)
	}
	return b.String()
}

// openRepo opens dir with Open, failing the test on error, and closes it at
// the end of the test.
func openRepo(tb testing.TB, dir string, opts ...Option) *Repository {
	tb.Helper()
	r, err := Open(dir, opts...)
	if err != nil {
		tb.Fatalf("Open(%s): %v", dir, err)
	}
	tb.Cleanup(func() { r.Close() })
	return r
}

// findDoc returns the document with path p that exists at Head, or the
// first with that path.
func findDoc(h *History, p string) *Document {
	for _, d := range h.Documents {
		if d.Path == p {
			return d
		}
	}
	return nil
}

func versionCommits(d *Document) []string {
	var out []string
	for _, v := range d.Versions {
		out = append(out, v.Commit)
	}
	return out
}

// versionBlobs returns the blob of every version of every document of h.
func versionBlobs(h *History) []string {
	var blobs []string
	for _, d := range h.Documents {
		for _, v := range d.Versions {
			blobs = append(blobs, v.Blob)
		}
	}
	return blobs
}

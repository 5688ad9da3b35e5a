// Package gittest builds git repositories for tests with the git command
// line, with chosen author and committer dates, isolated from the
// machine's git configuration. The git CLI is also the independent oracle
// tests compare Clause's history against.
package gittest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Repo is a work tree created by New.
type Repo struct {
	TB  testing.TB
	Dir string
}

// Env is the environment git runs with: no global or system configuration,
// a fixed identity, and UTC unless a date says otherwise.
func Env() []string {
	env := []string{
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Legal Team",
		"GIT_AUTHOR_EMAIL=legal@example.com",
		"GIT_COMMITTER_NAME=Legal Team",
		"GIT_COMMITTER_EMAIL=legal@example.com",
		"TZ=UTC",
		"HOME=" + os.TempDir(),
	}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	return env
}

// New creates a repository with branch main in a temporary folder. It
// fails the test when git is not installed: the tests that use it are
// cross-checks against git itself, and must not pass by skipping.
func New(tb testing.TB) *Repo {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Fatalf("git is required for this test (it is the oracle for history): %v", err)
	}
	r := &Repo{TB: tb, Dir: tb.TempDir()}
	r.Git("init", "-q", "-b", "main")
	return r
}

// Git runs git in the repository and returns its trimmed output.
func (r *Repo) Git(args ...string) string {
	r.TB.Helper()
	return r.GitEnv(nil, args...)
}

// GitEnv runs git with extra environment variables.
func (r *Repo) GitEnv(extra []string, args ...string) string {
	r.TB.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	cmd.Env = append(Env(), extra...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.TB.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// Write writes a file below the repository, creating folders.
func (r *Repo) Write(path, content string) {
	r.TB.Helper()
	p := filepath.Join(r.Dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.TB.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.TB.Fatal(err)
	}
}

// Remove deletes a file below the repository.
func (r *Repo) Remove(path string) {
	r.TB.Helper()
	if err := os.Remove(filepath.Join(r.Dir, filepath.FromSlash(path))); err != nil {
		r.TB.Fatal(err)
	}
}

// Commit stages everything and commits with the given message, with author
// and committer date date (RFC 3339 or git's date formats). It returns the
// commit hash.
func (r *Repo) Commit(date, msg string) string {
	r.TB.Helper()
	r.Git("add", "-A")
	r.GitEnv(DateEnv(date), "commit", "-q", "--allow-empty", "-m", msg)
	return r.Git("rev-parse", "HEAD")
}

// Merge merges branch into the current branch with a merge commit (--no-ff)
// dated date, with a GitHub-style message.
func (r *Repo) Merge(date, branch, msg string) string {
	r.TB.Helper()
	r.GitEnv(DateEnv(date), "merge", "-q", "--no-ff", "-m", msg, branch)
	return r.Git("rev-parse", "HEAD")
}

// DateEnv sets both author and committer date.
func DateEnv(date string) []string {
	return []string{"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}
}

// Package gitgen generates synthetic git repositories shaped like the
// history of a legal portal, for tests and benchmarks of Clause's history
// reading.
//
// A generated repository has documents with YAML front matter (title, kind,
// effective date, moved forward by the edits of every fifth commit) in nested folders under
// a content folder, edited one or two at a time, renamed (purely or with edits,
// sometimes to another folder), added and deleted; feature branches merged
// into main with GitHub-style merge commits; minor-change trailers
// (Change-Type: minor); commits outside the content folder; several time
// zone offsets and a few commit dates out of order. A document path is
// never reused, so `git log --follow` is an exact oracle for every
// document's history.
//
// The history is a pure function of Options: the same options give the
// same commit hashes on every machine.
//
// Generate drives the git command line (git init, fast-import, repack,
// reset), so git must be installed. Clause itself reads history with go-git
// and needs no git binary; this package is only for tests, benchmarks and
// the gitgen command (internal/gitgen/cmd/gitgen).
package gitgen

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"strings"
)

// DefaultPrefix is the content folder documents are generated under when
// Options.Prefix is empty; it is also Clause's default content folder.
const DefaultPrefix = "content"

// Options says what repository Generate makes.
type Options struct {
	// Commits is the number of commits to make, counting all branches. The
	// repository has at least Commits commits and at most four more (a
	// feature branch and its merge are made whole). Must be at least 1.
	Commits int
	// Documents is the number of documents created over the history: half of
	// them in the first commit, the rest added along the way. Renamed and
	// deleted documents count once. Must be at least 1.
	Documents int
	// Seed selects the pseudo-random history; equal options give identical
	// repositories, commit hashes included.
	Seed uint64
	// Prefix is the slash-separated, repository-relative folder the
	// documents live under; empty means DefaultPrefix. It may not contain
	// spaces, quotes, backslashes or control characters.
	Prefix string
}

// Generate creates a repository in dir with the history opts describe:
// branch main, checked out (work tree and index), and feature branches
// feature/N, merged into main. The objects are packed with `git repack
// -adf` into a single pack, as after a fresh clone.
//
// dir is created if it does not exist; it must be empty if it does. When
// git is not installed the error wraps exec.ErrNotFound.
func Generate(dir string, opts Options) error {
	prefix, err := opts.check()
	if err != nil {
		return err
	}
	git, err := exec.LookPath("git")
	if err != nil {
		return fmt.Errorf("gitgen: the git command line is needed to generate a repository: %w", err)
	}
	if err := prepareDir(dir); err != nil {
		return err
	}
	if err := run(git, dir, "init", "-q", "--object-format=sha1", "-b", "main"); err != nil {
		return err
	}
	if err := fastImport(git, dir, opts, prefix); err != nil {
		return err
	}
	if err := run(git, dir, "repack", "-adfq", "--depth=50", "--window=10"); err != nil {
		return err
	}
	return run(git, dir, "reset", "-q", "--hard")
}

// check validates opts and returns the content folder to use.
func (opts Options) check() (string, error) {
	if opts.Commits < 1 {
		return "", fmt.Errorf("gitgen: Commits is %d, must be at least 1", opts.Commits)
	}
	if opts.Documents < 1 {
		return "", fmt.Errorf("gitgen: Documents is %d, must be at least 1", opts.Documents)
	}
	prefix := opts.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	if strings.ContainsFunc(prefix, func(r rune) bool { return r <= ' ' || r == '"' || r == '\\' || r == 0x7f }) {
		return "", fmt.Errorf("gitgen: Prefix %q contains a space, quote, backslash or control character", opts.Prefix)
	}
	clean := path.Clean(prefix)
	if path.IsAbs(clean) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") || clean == ".git" || strings.HasPrefix(clean, ".git/") {
		return "", fmt.Errorf("gitgen: Prefix %q is not a folder inside the repository", opts.Prefix)
	}
	return clean, nil
}

// prepareDir creates dir, or checks that it is empty.
func prepareDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("gitgen: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("gitgen: %w", err)
	case len(entries) > 0:
		return fmt.Errorf("gitgen: %s is not empty: the repository is generated into a new or empty folder", dir)
	}
	return nil
}

// env is the environment git runs in: the caller's, without any GIT_
// variable (a GIT_DIR inherited from a hook would redirect every command)
// and without the global and system configuration, so that the result does
// not depend on the machine.
func env() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") {
			out = append(out, kv)
		}
	}
	return append(out, "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
}

// run runs git in dir.
func run(git, dir string, args ...string) error {
	cmd := exec.Command(git, args...)
	cmd.Dir = dir
	cmd.Env = env()
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("gitgen: git %s in %s: %w\n%s", strings.Join(args, " "), dir, err, out)
	}
	return nil
}

// fastImport feeds the generated history to git fast-import in dir.
func fastImport(git, dir string, opts Options, prefix string) error {
	cmd := exec.Command(git, "fast-import", "--quiet")
	cmd.Dir = dir
	cmd.Env = env()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("gitgen: %w", err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("gitgen: git fast-import: %w", err)
	}
	werr := writeStream(bufio.NewWriterSize(stdin, 1<<20), opts, prefix)
	stdin.Close()
	// A failing fast-import breaks the pipe: its own error says why.
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("gitgen: git fast-import in %s: %w\n%s", dir, err, stderr.String())
	}
	if werr != nil {
		return fmt.Errorf("gitgen: writing to git fast-import: %w", werr)
	}
	return nil
}

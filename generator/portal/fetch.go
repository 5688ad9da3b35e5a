package portal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// A partial (blobless) clone has every commit and tree but fetches file
// contents from its promisor remote when git needs them. Netlify clones
// that way, and so does actions/checkout with `filter: blob:none`. go-git
// cannot fetch on demand, and Clause needs the text of every version, so
// before giving up on a missing object Load asks the git command line to
// do what git itself would do lazily: fetch, in one request, the objects
// of the documents' history that the clone lacks.

// errNoGitCLI is the error of fetchMissingObjects without a git command.
var errNoGitCLI = errors.New("the git command is not installed")

// fetchMissingObjects downloads from the promisor remote the objects that
// the first-parent history of ref under prefix needs and the clone lacks,
// and returns how many were missing. Progress goes to log.
func fetchMissingObjects(ctx context.Context, root, ref, prefix string, log io.Writer) (int, error) {
	git, err := exec.LookPath("git")
	if err != nil {
		return 0, errNoGitCLI
	}
	// run runs git with args; the error names the git subcommand.
	run := func(stdin io.Reader, args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, git, args...)
		cmd.Dir = root
		cmd.Stdin = stdin
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			msg := strings.TrimSpace(stderr.String())
			if msg == "" {
				msg = err.Error()
			}
			sub := args[0]
			if sub == "-c" {
				sub = args[2]
			}
			return "", fmt.Errorf("git %s: %s", sub, msg)
		}
		return stdout.String(), nil
	}
	remote, err := promisorRemote(run)
	if err != nil {
		return 0, err
	}
	if ref == "" {
		ref = "HEAD"
	}
	args := []string{"rev-list", "--objects", "--missing=print", "--first-parent", ref, "--"}
	if prefix != "" {
		args = append(args, prefix)
	}
	out, err := run(nil, args...)
	if err != nil {
		return 0, err
	}
	var missing []string
	for _, line := range strings.Split(out, "\n") {
		if oid, ok := strings.CutPrefix(line, "?"); ok {
			missing = append(missing, oid)
		}
	}
	if len(missing) == 0 {
		return 0, nil
	}
	fmt.Fprintf(log, "Partial clone: fetching %d objects of past document versions from %s\n", len(missing), remote)
	// The request git makes itself when it fetches missing objects of a
	// partial clone (promisor-remote.c).
	_, err = run(strings.NewReader(strings.Join(missing, "\n")+"\n"),
		"-c", "fetch.negotiationAlgorithm=noop", "fetch", remote,
		"--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin")
	return len(missing), err
}

// promisorRemote returns the remote a partial clone fetches missing objects
// from: extensions.partialClone, or the remote marked promisor.
func promisorRemote(run func(io.Reader, ...string) (string, error)) (string, error) {
	if out, err := run(nil, "config", "--get", "extensions.partialclone"); err == nil && strings.TrimSpace(out) != "" {
		return strings.TrimSpace(out), nil
	}
	out, err := run(nil, "config", "--get-regexp", `^remote\..*\.promisor$`)
	if err != nil {
		return "", errors.New("no promisor remote in the git configuration")
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		key, val, _ := strings.Cut(line, " ")
		if strings.EqualFold(val, "true") {
			return strings.TrimSuffix(strings.TrimPrefix(key, "remote."), ".promisor"), nil
		}
	}
	return "", errors.New("no promisor remote in the git configuration")
}

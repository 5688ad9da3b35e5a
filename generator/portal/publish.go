package portal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrUnsafeOutput is returned when the output folder would overwrite the
// repository, its content or its history.
var ErrUnsafeOutput = errors.New("unsafe output folder")

// checkOutDir refuses output folders whose replacement would destroy
// sources: the repository itself, a folder containing it, the content
// folder or anything holding it, and .git.
func checkOutDir(out, repo, content string) error {
	within := func(child, parent string) bool {
		r, err := filepath.Rel(parent, child)
		return err == nil && (r == "." || !strings.HasPrefix(r, ".."))
	}
	switch {
	case within(repo, out):
		return fmt.Errorf("%w: %s contains the repository; choose a folder inside it such as public", ErrUnsafeOutput, out)
	case within(content, out) || within(out, content):
		return fmt.Errorf("%w: %s overlaps the content folder %s", ErrUnsafeOutput, out, content)
	case within(out, filepath.Join(repo, ".git")):
		return fmt.Errorf("%w: %s is inside .git", ErrUnsafeOutput, out)
	}
	return nil
}

// stageDir creates an empty folder next to out, on the same file system,
// so the finished site can be renamed into place.
func stageDir(out string) (string, error) {
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	return os.MkdirTemp(parent, "."+filepath.Base(out)+".clause-build-")
}

// swap replaces out with the completed stage folder. Readers see either the
// old site or the new one: out is renamed aside, stage renamed into place,
// and the old site removed only once the new one stands. If the second
// rename fails the old site is put back. An old site that cannot be
// removed is reported through warn: the new one is published all the same.
func swap(stage, out string, warn func(error)) error {
	old := ""
	if _, err := os.Lstat(out); err == nil {
		old = stage + ".old"
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("moving previous output aside: %w", err)
		}
	}
	if err := os.Chmod(stage, 0o755); err != nil {
		return err
	}
	if err := os.Rename(stage, out); err != nil {
		if old != "" {
			if rerr := os.Rename(old, out); rerr != nil {
				return fmt.Errorf("publishing %s: %w (and restoring the previous output failed: %v; it is at %s)", out, err, rerr, old)
			}
		}
		return fmt.Errorf("publishing %s: %w", out, err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			warn(fmt.Errorf("the new site is published, but the previous one could not be removed from %s: %w", old, err))
		}
	}
	return nil
}

package portal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrUnsafeOutput is returned when the output folder would overwrite the
// repository, its content, its history, its templates, a folder holding
// the user's home, or a folder that Clause did not write.
var ErrUnsafeOutput = errors.New("unsafe output folder")

// OutputMarker is the file clause build leaves at the root of every site it
// writes. A non-empty output folder without it was not written by Clause
// and is not replaced unless the build is forced (--force).
const OutputMarker = ".clause-output"

const markerText = "This folder is written by `clause build` and replaced on every build: do not keep anything here.\n"

// checkOutDir refuses output folders whose replacement would destroy
// something that is not a previous build: the repository itself or a
// folder holding it or the user's home; the content folder, .git, the
// theme overrides (layouts, static, assets, i18n) or anything inside them;
// a file; a symbolic link; a non-empty folder that Clause did not write
// (unless force).
func checkOutDir(out, repo, content string, force bool) error {
	within := func(child, parent string) bool {
		r, err := filepath.Rel(parent, child)
		return err == nil && (r == "." || r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)))
	}
	// The output path's own name is not resolved: a symbolic link there is
	// refused below, not followed.
	out = filepath.Join(resolvePath(filepath.Dir(out)), filepath.Base(out))
	repo, content = resolvePath(repo), resolvePath(content)
	if within(repo, out) {
		return fmt.Errorf("%w: %s contains the repository; choose a folder inside it such as public", ErrUnsafeOutput, out)
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" && within(resolvePath(home), out) {
		return fmt.Errorf("%w: %s contains your home folder; choose a folder inside the repository such as public", ErrUnsafeOutput, out)
	}
	if content != repo && (within(out, content) || within(content, out)) {
		return fmt.Errorf("%w: %s overlaps the content folder %s", ErrUnsafeOutput, out, content)
	}
	for _, own := range []string{".git", "layouts", "static", "assets", "i18n", "themes", "archetypes", "data"} {
		if within(out, filepath.Join(repo, own)) {
			return fmt.Errorf("%w: %s is inside the repository's %s folder", ErrUnsafeOutput, out, own)
		}
	}
	fi, err := os.Lstat(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.Mode()&os.ModeSymlink != 0:
		return fmt.Errorf("%w: %s is a symbolic link; give the folder itself", ErrUnsafeOutput, out)
	case !fi.IsDir():
		return fmt.Errorf("%w: %s is a file, not a folder", ErrUnsafeOutput, out)
	}
	if force || writtenByClause(out) {
		return nil
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%w: %s is not empty and was not written by clause build (it has no %s file); "+
			"pass --force to replace it and everything in it", ErrUnsafeOutput, out, OutputMarker)
	}
	return nil
}

// writtenByClause reports whether a folder is a site Clause wrote: it has
// the marker, or, written before the marker existed, Clause's API index.
func writtenByClause(dir string) bool {
	if fi, err := os.Lstat(filepath.Join(dir, OutputMarker)); err == nil && fi.Mode().IsRegular() {
		return true
	}
	b, err := os.ReadFile(filepath.Join(dir, "api", "documents.json"))
	return err == nil && strings.Contains(string(b[:min(len(b), 512)]), `"generated"`)
}

// resolvePath makes p absolute and resolves the symbolic links of its
// longest existing prefix, so that two names of one folder compare equal.
func resolvePath(p string) string {
	p, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	rest := ""
	for dir := p; ; {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return p
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

// A build works in a folder beside the output, on the same file system:
// ".OUT.clause-build-RANDOM/", holding the site being built ("site/") and
// Hugo's working folders. Nothing goes to /tmp, and a build that is killed
// leaves only that folder, which the next build removes.
//
// After a swap the folder holds the previous site. Removing a large tree
// takes seconds, so the build does not wait for it: it renames the folder
// ".OUT.clause-previous-RANDOM/", and the next build makes it into its own
// output (site.Reuse: only what changed is written, and only what is gone
// deleted), or, when it cannot, removes it while it renders. Both kinds of
// folder hold a .gitignore that ignores everything in them, so that they
// never show in git status nor get committed.
const (
	buildDirInfix    = ".clause-build-"
	previousDirInfix = ".clause-previous-"
	// aheadDirInfix names the folder of pages rendered ahead (aheadPages),
	// made before the lock is taken: the process's id follows it, so that
	// a build removes those of others (killed), not its own.
	aheadDirInfix = ".clause-ahead-"
)

// buildDir creates the working folder of a build beside out, after
// removing those left by builds that were killed. The lock serialises
// builds into one output folder: it is held until release.
type buildDir struct {
	path string // the working folder
	site string // path/site: the staged site
	// reused is the output before the last build's, in path/base, when a
	// previous build left one ("": none); Build makes it into this
	// build's output.
	reused  string
	unlock  func()
	swapped bool          // the staged site is published: path holds the previous one
	cleaned chan struct{} // closed when the previous builds' folders are removed
}

func newBuildDir(out string, reclaim bool, log func(string)) (*buildDir, error) {
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	unlock, err := lockOutput(parent)
	if err != nil {
		return nil, err
	}
	base := filepath.Base(out)
	for _, prefix := range []string{"." + base + buildDirInfix, "." + base + aheadDirInfix} {
		removeLeftovers(parent, prefix, func(p string, err error) {
			if err != nil {
				log(fmt.Sprintf("the folder %s, left by an interrupted build, could not be removed: %v", p, err))
			} else {
				log(fmt.Sprintf("removed %s, left by an interrupted build", p))
			}
		})
	}
	dir, err := os.MkdirTemp(parent, "."+base+buildDirInfix)
	if err != nil {
		unlock()
		return nil, err
	}
	reused := ""
	if reclaim {
		reused = reclaimPrevious(parent, "."+base+previousDirInfix, filepath.Join(dir, "base"))
	}
	cleaned := make(chan struct{})
	go func() {
		defer close(cleaned)
		removeLeftovers(parent, "."+base+previousDirInfix, func(p string, err error) {
			if err != nil {
				log(fmt.Sprintf("the folder %s, the output before the last build, could not be removed: %v", p, err))
			}
		})
	}()
	b := &buildDir{path: dir, site: filepath.Join(dir, "site"), reused: reused, unlock: unlock, cleaned: cleaned}
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("# A build of clause: nothing here is to be committed.\n*\n"), 0o644); err != nil {
		b.release(nil)
		return nil, err
	}
	if err := os.Mkdir(b.site, 0o755); err != nil {
		b.release(nil)
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(b.site, OutputMarker), []byte(markerText), 0o644); err != nil {
		b.release(nil)
		return nil, err
	}
	return b, nil
}

// release lets the next build in. After a swap it sets the previous site
// aside for the next build to remove (renaming the working folder
// ".OUT.clause-previous-…"); so it does after a build that failed but had
// reclaimed the output before last (its base/ is still the next build's to
// reuse); otherwise it removes the working folder. A folder that cannot be
// removed or renamed is reported to warn; the next build tries again. It
// waits for the removal of the previous builds' folders that newBuildDir
// started.
func (b *buildDir) release(warn func(error)) {
	defer b.unlock()
	<-b.cleaned
	if b.swapped || b.reused != "" {
		aside := filepath.Join(filepath.Dir(b.path), strings.Replace(filepath.Base(b.path), buildDirInfix, previousDirInfix, 1))
		if err := os.Rename(b.path, aside); err == nil {
			return
		}
	}
	if err := os.RemoveAll(b.path); err != nil && warn != nil {
		warn(fmt.Errorf("the build folder %s could not be removed: %w", b.path, err))
	}
}

// reclaimPrevious moves the site a previous build set aside (in a folder
// of parent whose name starts with prefix) to dst, and returns dst; "" when
// there is none. Of the folders such a build holds (base/, site/ or
// previous/, see swap), the site is the one with the output marker.
func reclaimPrevious(parent, prefix, dst string) string {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return ""
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		for _, sub := range []string{"base", "site", "previous"} {
			p := filepath.Join(parent, e.Name(), sub)
			if fi, err := os.Lstat(p); err != nil || !fi.IsDir() {
				continue
			}
			if fi, err := os.Lstat(filepath.Join(p, OutputMarker)); err != nil || !fi.Mode().IsRegular() {
				continue
			}
			if os.Rename(p, dst) == nil {
				return dst
			}
		}
	}
	return ""
}

// aheadDirPrefix starts the name of this process's folder of pages
// rendered ahead of the build into out, in out's parent folder.
func aheadDirPrefix(out string) string {
	return fmt.Sprintf(".%s%s%d-", filepath.Base(out), aheadDirInfix, os.Getpid())
}

// removeLeftovers removes the folders in parent whose names start with
// prefix, reporting each to done. It runs under the output lock, so none
// of them is in use, but this process's folder of pages rendered ahead
// (made before the lock), which it keeps.
func removeLeftovers(parent, prefix string, done func(path string, err error)) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	own := fmt.Sprintf("%s%d-", aheadDirInfix, os.Getpid())
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) || strings.Contains(e.Name(), own) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		done(p, os.RemoveAll(p))
	}
}

// swap puts the staged site in place of out. Where the system can
// exchange two folders atomically (Linux renameat2 RENAME_EXCHANGE) the
// output path holds a complete site at every instant: the old one, then
// the new one. Elsewhere the old site is renamed aside and the new one
// renamed in, and the old one put back if that fails. The previous site
// ends up in the build folder, which release sets aside for the next build
// to remove.
func swap(b *buildDir, out string) error {
	stage := b.site
	if err := os.Chmod(stage, 0o755); err != nil {
		return err
	}
	if _, err := os.Lstat(out); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(stage, out); err != nil {
			return fmt.Errorf("publishing %s: %w", out, err)
		}
		return nil
	}
	if err := exchange(stage, out); err == nil {
		b.swapped = true
		return nil
	} else if !errors.Is(err, errNoExchange) {
		return fmt.Errorf("publishing %s: %w", out, err)
	}
	old := filepath.Join(b.path, "previous")
	if err := os.Rename(out, old); err != nil {
		return fmt.Errorf("moving previous output aside: %w", err)
	}
	if err := os.Rename(stage, out); err != nil {
		if rerr := os.Rename(old, out); rerr != nil {
			return fmt.Errorf("publishing %s: %w (and restoring the previous output failed: %v; it is at %s)", out, err, rerr, old)
		}
		return fmt.Errorf("publishing %s: %w", out, err)
	}
	b.swapped = true
	return nil
}

// errNoExchange is returned by exchange where the system or file system
// cannot exchange two paths atomically.
var errNoExchange = errors.New("atomic exchange not supported")

// lockTimeout is how long a build waits for another build of the same
// output folder to finish.
const lockTimeout = 10 * time.Minute

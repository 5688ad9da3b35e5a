package history

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	format "github.com/go-git/go-git/v5/plumbing/format/config"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"

	"github.com/clause-portal/clause/internal/readcap"
)

// Repository is an open git repository. It is not safe for concurrent use;
// Close releases its file descriptors.
type Repository struct {
	root    string
	gitDir  string // the git folder holding objects (the main one for a linked worktree)
	st      *filesystem.Storage
	objects *objectStore
	shallow map[plumbing.Hash]bool
	partial bool
	// sums caches the SHA-256 and size of blobs already hashed.
	sums map[plumbing.Hash]blobSum
	// saving is closed when the history cache the last Read saves in the
	// background is written, nil if there is none (see saveCache);
	// saveErr is the error of writing it, for saveWarn.
	saving   chan struct{}
	saveErr  error
	saveWarn func(error)
	// kept are texts the last Read kept for Blob (see keepBytes); Blob
	// hands each over once.
	kept map[plumbing.Hash][]byte
}

// objectCacheSize bounds the cache of the objects read through the
// Repository: the versions a build reads (Blob) and their delta bases.
// A build keeps what it computes from them in caches of its own (the
// portal's textCache): 48 MiB here only held memory (a cold build of a
// 5,000-commit generated portal peaked at 479 MB RSS with it and the
// portal's caches twice as large, at 346 MB with these, for the same
// CPU time).
const objectCacheSize = 16 << 20

// walkCacheSize bounds that cache while Read walks the history: it reads
// the commits and trees of two consecutive commits, and their delta bases,
// which are read just before them (a larger cache only held more memory:
// measured on a 20,000-commit generated repository, 8 MiB instead of 48
// lowered the peak RSS of `clause log` by 90 MB and not its CPU time).
const walkCacheSize = 8 << 20

// Option configures Open.
type Option func(*openOptions)

type openOptions struct {
	allowShallow bool
}

// AllowShallow lets Open succeed on a shallow clone (for a preview, say):
// Read then treats the commits at the shallow boundary as root commits, so the
// history it returns is truncated. Repository.Shallow reports it.
func AllowShallow() Option {
	return func(o *openOptions) { o.allowShallow = true }
}

// Open opens the git repository containing dir: dir itself or the nearest
// parent folder with a .git folder (or a .git file, as in a linked worktree or
// a submodule), or dir itself if it is a bare repository.
//
// It returns an error wrapping ErrNotRepository if there is none,
// ErrEmptyRepository if the repository has no commits, and ErrShallow for a
// shallow clone unless AllowShallow is given.
func Open(dir string, opts ...Option) (*Repository, error) {
	var o openOptions
	for _, opt := range opts {
		opt(&o)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open git repository %s: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("open git repository: %w", err)
	} else if !fi.IsDir() {
		abs = filepath.Dir(abs)
	}
	root, gitDir, err := findGitDir(abs)
	if err != nil {
		return nil, err
	}
	gitFS, objectsRoot, err := withCommonDir(osfs.New(gitDir))
	if err != nil {
		return nil, err
	}
	gitFS = packFS{Filesystem: gitFS, objects: objectsRoot}
	r := &Repository{root: root, gitDir: objectsRoot, sums: make(map[plumbing.Hash]blobSum)}
	r.objects = newObjectStore(r, gitFS, objectCacheSize)
	st := r.objects.st
	r.st = st
	if err := r.init(o); err != nil {
		_ = st.Close()
		return nil, err
	}
	return r, nil
}

func (r *Repository) init(o openOptions) error {
	shallow, err := r.st.Shallow()
	if err != nil {
		return fmt.Errorf("%s: read .git/shallow: %w", r.root, err)
	}
	if len(shallow) > 0 {
		if !o.allowShallow {
			return fmt.Errorf("%s: %w", r.root, ErrShallow)
		}
		r.shallow = make(map[plumbing.Hash]bool, len(shallow))
		for _, h := range shallow {
			r.shallow[h] = true
		}
	}
	cfg, err := r.config()
	if err != nil {
		return fmt.Errorf("%s: read git config: %w", r.root, err)
	}
	if f := cfg.Section("extensions").Option("objectformat"); f != "" && !strings.EqualFold(f, "sha1") {
		return fmt.Errorf("%s: the repository names its objects with %s (extensions.objectFormat): %w", r.root, f, ErrObjectFormat)
	}
	if f := cfg.Section("extensions").Option("refstorage"); f != "" && !strings.EqualFold(f, "files") {
		return fmt.Errorf("%s: the repository stores its references as %s (extensions.refStorage): %w", r.root, f, ErrRefFormat)
	}
	r.partial = isPartialClone(cfg)
	if _, err := r.resolve("HEAD"); err != nil {
		if !errors.Is(err, ErrRefNotFound) {
			return err
		}
		// HEAD may name an unborn branch while other branches exist.
		refs, err := r.st.IterReferences()
		if err != nil {
			return fmt.Errorf("%s: %w", r.root, err)
		}
		defer refs.Close()
		for {
			ref, err := refs.Next()
			if err != nil {
				return fmt.Errorf("%s: %w", r.root, ErrEmptyRepository)
			}
			if ref.Type() == plumbing.HashReference && ref.Name().IsBranch() {
				return nil
			}
		}
	}
	return nil
}

// Root returns the absolute path of the repository's worktree (of the git
// folder for a bare repository). Query.Prefix is relative to it.
func (r *Repository) Root() string { return r.root }

// Shallow reports whether the repository is a shallow clone opened with
// AllowShallow.
func (r *Repository) Shallow() bool { return len(r.shallow) > 0 }

// Close releases the file descriptors of the repository's pack files.
// It first waits for the history cache the last Read saves, if it is not
// written yet.
func (r *Repository) Close() error {
	r.waitCache()
	return r.objects.Close()
}

// DropCache empties the cache of objects read through r (see
// objectCacheSize), for a caller that will not read them again soon: what
// they hold is then the garbage collector's. Not for use while another
// goroutine reads through r.
//
// The packs' memory maps leave the process's resident memory too (they
// are read in again if needed).
func (r *Repository) DropCache() {
	r.kept = nil
	r.objects.cache.limit(0)()
	r.objects.packs.release()
}

// findGitDir looks for the git folder from dir upwards and returns the
// worktree root and the git folder.
func findGitDir(dir string) (root, gitDir string, err error) {
	for d := dir; ; {
		dotGit := filepath.Join(d, ".git")
		fi, err := os.Stat(dotGit)
		switch {
		case err == nil && fi.IsDir():
			return d, dotGit, nil
		case err == nil:
			gitDir, err := readGitFile(d, dotGit)
			if err != nil {
				return "", "", err
			}
			return d, gitDir, nil
		case !os.IsNotExist(err):
			return "", "", fmt.Errorf("open git repository: %w", err)
		}
		if d == dir && isBareGitDir(d) {
			return d, d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", "", fmt.Errorf("%s: %w", dir, ErrNotRepository)
		}
		d = parent
	}
}

// readGitFile reads a ".git" file ("gitdir: PATH") of a linked worktree or a
// submodule.
func readGitFile(worktree, file string) (string, error) {
	b, err := readcap.ReadFile(file, readcap.Small)
	if err != nil {
		return "", fmt.Errorf("open git repository: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	gitDir, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
	if !ok {
		return "", fmt.Errorf("%s: no \"gitdir:\" line: %w", file, ErrNotRepository)
	}
	gitDir = strings.TrimSpace(gitDir)
	if !filepath.IsAbs(gitDir) {
		gitDir = filepath.Join(worktree, gitDir)
	}
	return gitDir, nil
}

// withCommonDir wraps the git folder of a linked worktree so that objects and
// references are read from the main repository's git folder ("commondir").
// It also returns the folder that holds "objects".
func withCommonDir(fs billy.Filesystem) (billy.Filesystem, string, error) {
	b, err := readcap.ReadFile(filepath.Join(fs.Root(), "commondir"), readcap.Small)
	if os.IsNotExist(err) {
		return fs, fs.Root(), nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("open git repository: %w", err)
	}
	common := strings.TrimSpace(string(b))
	if !filepath.IsAbs(common) {
		common = filepath.Join(fs.Root(), common)
	}
	return dotgit.NewRepositoryFilesystem(fs, osfs.New(common)), common, nil
}

func isBareGitDir(dir string) bool {
	for _, name := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return false
		}
	}
	return true
}

// config reads the repository's git configuration; a repository without
// one has an empty configuration.
func (r *Repository) config() (*format.Config, error) {
	cfg := format.New()
	f, err := r.st.Filesystem().Open("config")
	if os.IsNotExist(err) {
		return cfg, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := format.NewDecoder(f).Decode(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// isPartialClone reports whether the configuration names a promisor remote
// (extensions.partialClone or remote.*.promisor), as `git clone --filter`
// writes it.
func isPartialClone(cfg *format.Config) bool {
	if cfg.Section("extensions").Option("partialclone") != "" {
		return true
	}
	for _, sub := range cfg.Section("remote").Subsections {
		if strings.EqualFold(sub.Option("promisor"), "true") {
			return true
		}
	}
	return false
}

// replaceRefs counts the references under refs/replace/ (git replace),
// which git log applies and go-git does not: the loose ones below the
// folder refs/replace and the packed ones, each name once. It reads that
// folder and packed-refs only, not every reference of the repository (a
// repository with many branches has thousands of files under refs/).
func (r *Repository) replaceRefs() int {
	names := map[string]bool{}
	root := filepath.Join(r.gitDir, "refs", "replace")
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if rel, err := filepath.Rel(r.gitDir, p); err == nil {
				names[filepath.ToSlash(rel)] = true
			}
		}
		return nil
	})
	if f, err := os.Open(filepath.Join(r.gitDir, "packed-refs")); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			// "HASH NAME"; comments start with "#", peeled tags with "^".
			if _, name, ok := strings.Cut(sc.Text(), " "); ok && strings.HasPrefix(name, "refs/replace/") {
				names[name] = true
			}
		}
	}
	return len(names)
}

package site

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Reuse makes a new output from an old one in place, instead of a fresh
// folder: a site of tens of thousands of pages, of which a rebuild changes
// a few hundred, costs a folder and a link per page when made anew, and as
// much again to delete the output it replaces. Clause keeps the output
// before the last one (it is no longer published: the last build swapped
// it out) and a build makes it into its own:
//
//   - a page the page cache holds is linked in where it is missing or is
//     another file (a file already there that is the cache's file is left
//     alone: nothing is written);
//   - a file Clause writes that is there with the same bytes is left alone
//     (Same);
//   - everything else is written into a fresh folder as before (Hugo
//     writes there, and so does Clause), then moved in by rename (Merge);
//   - and everything found there at the start that this build did not
//     make or keep is removed (Prune), so that the result holds the files
//     of a build from scratch and nothing else: no page of a document
//     since retracted, nothing a third party put there.
//
// Files are never written in place: a file of the old output may be a hard
// link to the page cache's copy and to the published output's. Anything
// that is neither a regular file nor a folder (a symbolic link, above all)
// is removed when the folder is opened, so that nothing is written through
// it.
type Reuse struct {
	root string

	mu    sync.Mutex
	found map[string]bool // slash paths found at the start: true for folders
	kept  map[string]bool // slash paths of this build's files and folders
	same  int             // files kept as they were
}

// OpenReuse opens folder root, the output of an earlier build, to make
// this build's output in. It removes what is neither a regular file nor a
// folder. The folders below root are read by several goroutines at once:
// a large output has tens of thousands of folders.
func OpenReuse(root string) (*Reuse, error) {
	root = filepath.Clean(root)
	r := &Reuse{root: root, found: map[string]bool{}, kept: map[string]bool{}}
	if fi, err := os.Lstat(root); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a folder", root)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, e := range entries {
		switch {
		case e.IsDir():
			dirs = append(dirs, e.Name())
		case e.Type().IsRegular():
			r.found[e.Name()] = false
		default:
			if err := os.Remove(filepath.Join(root, e.Name())); err != nil {
				return nil, err
			}
		}
	}
	// Each worker walks whole top-level folders into a map of its own.
	workers := min(runtime.GOMAXPROCS(0), 4, len(dirs))
	next := make(chan string)
	found := make([]map[string]bool, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		found[w] = map[string]bool{}
		wg.Go(func() {
			for name := range next {
				if errs[w] == nil {
					errs[w] = walkFound(root, name, found[w])
				}
			}
		})
	}
	for _, name := range dirs {
		next <- name
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, m := range found {
		maps.Copy(r.found, m)
	}
	return r, nil
}

// walkFound records in found the slash paths below root of folder name,
// a folder of root, and everything in it: true for folders. It removes
// what is neither a regular file nor a folder.
func walkFound(root, name string, found map[string]bool) error {
	return filepath.WalkDir(filepath.Join(root, name), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(p[len(root)+1:])
		switch {
		case d.IsDir():
			found[rel] = true
		case d.Type().IsRegular():
			found[rel] = false
		default:
			return os.Remove(p)
		}
		return nil
	})
}

// Root is the folder the output is made in.
func (r *Reuse) Root() string { return r.root }

// Unchanged is how many files of the old output were kept as they were:
// neither written nor linked again.
func (r *Reuse) Unchanged() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.same
}

func (r *Reuse) path(rel string) string {
	return filepath.Join(r.root, filepath.FromSlash(rel))
}

// dir makes sure slash path rel is a folder of the output, and keeps it
// and its parents. Call with r.mu held.
func (r *Reuse) dir(rel string) error {
	if rel == "." || rel == "" || r.kept[rel] {
		return nil
	}
	if err := r.dir(path.Dir(rel)); err != nil {
		return err
	}
	isDir, ok := r.found[rel]
	if !ok || !isDir {
		if ok {
			if err := os.Remove(r.path(rel)); err != nil {
				return err
			}
			delete(r.found, rel)
		}
		if err := os.Mkdir(r.path(rel), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	r.kept[rel] = true
	return nil
}

// clear removes what stands at rel, a folder or a file, so that a file
// can be put there. Call with r.mu held.
func (r *Reuse) clear(rel string) error {
	isDir, ok := r.found[rel]
	if !ok {
		return nil
	}
	delete(r.found, rel)
	if isDir {
		prefix := rel + "/"
		for p := range r.found {
			if strings.HasPrefix(p, prefix) {
				delete(r.found, p)
			}
		}
		return os.RemoveAll(r.path(rel))
	}
	return os.Remove(r.path(rel))
}

// link puts file src (the page cache's copy, described by fi) at slash
// path rel: nothing is done when rel is that file already; another file
// there is replaced by rename. A link that cannot be made is a copy of
// data, which read gives.
func (r *Reuse) link(rel, src string, fi fs.FileInfo, read func() ([]byte, error)) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	dst := r.path(rel)
	if err := r.dir(path.Dir(rel)); err != nil {
		return err
	}
	if isDir, ok := r.found[rel]; ok && !isDir {
		if cur, err := os.Lstat(dst); err == nil && os.SameFile(cur, fi) {
			r.kept[rel] = true
			r.same++
			return nil
		}
	}
	tmp := filepath.Join(filepath.Dir(dst), ".clause-link.tmp")
	os.Remove(tmp)
	if err := os.Link(src, tmp); err != nil {
		data, rerr := read()
		if rerr != nil {
			return rerr
		}
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	if isDir, ok := r.found[rel]; ok && isDir {
		if err := r.clear(rel); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	r.kept[rel] = true
	return nil
}

// Same reports whether the old output has a regular file at slash path
// rel of size bytes with SHA-256 sum, and if so keeps it: the caller need
// not write it.
func (r *Reuse) Same(rel string, size int, sum [sha256.Size]byte) bool {
	r.mu.Lock()
	isDir, ok := r.found[rel]
	r.mu.Unlock()
	if !ok || isDir {
		return false
	}
	f, err := os.Open(r.path(rel))
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(size) {
		return false
	}
	// One byte more than size: a file that grew since Stat is not the same.
	cur, err := io.ReadAll(io.LimitReader(f, int64(size)+1))
	if err != nil || sha256.Sum256(cur) != sum {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.dir(path.Dir(rel)); err != nil {
		return false
	}
	r.kept[rel] = true
	r.same++
	return true
}

// Merge moves everything in folder stage (what this build wrote) into the
// output, replacing what is there: files are renamed, not copied, and
// folders made where missing. Stage is left with empty folders.
func (r *Reuse) Merge(stage string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return filepath.WalkDir(stage, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(stage, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			return r.dir(rel)
		case d.Type().IsRegular():
			if err := r.dir(path.Dir(rel)); err != nil {
				return err
			}
			if isDir, ok := r.found[rel]; ok && isDir {
				if err := r.clear(rel); err != nil {
					return err
				}
			}
			if err := os.Rename(p, r.path(rel)); err != nil {
				return err
			}
			r.kept[rel] = true
			return nil
		default:
			return fmt.Errorf("%s: neither a file nor a folder in the built site", p)
		}
	})
}

// Prune removes everything the old output had that this build did not
// make or keep. After it the output holds this build's files alone.
func (r *Reuse) Prune() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var dirs []string
	var errs []error
	for rel, isDir := range r.found {
		if r.kept[rel] {
			continue
		}
		if isDir {
			dirs = append(dirs, rel)
			continue
		}
		if err := os.Remove(r.path(rel)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	// Deepest first: a folder is empty once what it held is gone.
	slices.SortFunc(dirs, func(a, b string) int {
		return strings.Count(b, "/") - strings.Count(a, "/")
	})
	for _, rel := range dirs {
		if err := os.RemoveAll(r.path(rel)); err != nil {
			errs = append(errs, err)
		}
	}
	r.found = map[string]bool{}
	return errors.Join(errs...)
}

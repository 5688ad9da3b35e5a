package history

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
)

// packFS is the git folder as go-git's storage sees it, with pack files
// opened as memory maps where the system has them.
//
// go-git reads a pack through a buffered reader that it seeks for every
// object, which costs two system calls per object (a seek and a read of a
// full buffer) when the pack is an open file; over a history of tens of
// thousands of objects that was a tenth of the time of reading it. A
// memory-mapped pack is read with copies from memory instead, and the
// operating system keeps a single copy of it however many storages open
// it. Pack files are never modified once written (git writes a new pack and
// renames it into place, and deletes old ones), so a map stays valid for
// as long as the storage reads it.
type packFS struct {
	billy.Filesystem
	// objects is the absolute path of the folder holding "objects": the
	// git folder, or the main repository's for a linked worktree.
	objects string
}

func (fs packFS) Open(name string) (billy.File, error) {
	if !isPackFile(name) {
		return fs.Filesystem.Open(name)
	}
	if f := openMapped(filepath.Join(fs.objects, filepath.FromSlash(name)), name); f != nil {
		return f, nil
	}
	return fs.Filesystem.Open(name) // no memory maps here, or the map failed
}

// isPackFile reports whether name, relative to the git folder, is a pack
// file: objects/pack/*.pack.
func isPackFile(name string) bool {
	name = filepath.ToSlash(name)
	return strings.HasPrefix(name, "objects/pack/") && strings.HasSuffix(name, ".pack") &&
		!strings.Contains(name[len("objects/pack/"):], "/")
}

// mappedFile is a read-only billy.File over the bytes of a memory map.
type mappedFile struct {
	name  string
	r     *bytes.Reader
	once  sync.Once
	unmap func() error
}

var errReadOnly = errors.New("pack file is read-only")

func (f *mappedFile) Name() string                            { return f.name }
func (f *mappedFile) Read(p []byte) (int, error)              { return f.r.Read(p) }
func (f *mappedFile) ReadAt(p []byte, off int64) (int, error) { return f.r.ReadAt(p, off) }
func (f *mappedFile) Seek(off int64, whence int) (int64, error) {
	return f.r.Seek(off, whence)
}
func (f *mappedFile) Write([]byte) (int, error) { return 0, errReadOnly }
func (f *mappedFile) Truncate(int64) error      { return errReadOnly }
func (f *mappedFile) Lock() error               { return nil }
func (f *mappedFile) Unlock() error             { return nil }

// Close unmaps the file; reading it afterwards is an error, not a fault.
func (f *mappedFile) Close() error {
	var err error
	f.once.Do(func() {
		f.r = bytes.NewReader(nil)
		err = f.unmap()
	})
	return err
}

// mapFile maps a whole file read-only with mmap and returns the bytes and
// the function that unmaps them; an empty file gives no bytes.
func mapFile(path string, mmap func(fd, size int) ([]byte, error), munmap func([]byte) error) ([]byte, func() error, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer file.Close() // a map outlives its file descriptor
	fi, err := file.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := fi.Size()
	if size == 0 {
		return nil, func() error { return nil }, nil
	}
	if int64(int(size)) != size {
		return nil, nil, errors.New("file too large to map")
	}
	data, err := mmap(int(file.Fd()), int(size))
	if err != nil {
		return nil, nil, err
	}
	return data, func() error { return munmap(data) }, nil
}

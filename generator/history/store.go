package history

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// objectStore reads the content of git objects through a go-git storage.
//
// It asks the storage for packed objects as they are stored
// (storer.DeltaObjectStorer) and applies pack deltas itself, keeping the
// objects it resolved in a cache of its own keyed by the hashes it asked
// for. go-git's own resolution computes the SHA-1 of every object it
// decodes, to key its cache, and copies a delta's base twice; over a long
// history that was most of the cost of reading it. The storage is given a
// cache that keeps nothing, so no object is hashed. (DESIGN.md asks to keep
// go-git's default object cache: its purpose, not decoding delta bases
// again, is kept, by a cache that needs no hashing.)
//
// The storage is opened with ExclusiveAccess: go-git then lists the loose
// objects once instead of trying to open a loose object file before every
// packed object it reads. A Read does not expect objects to appear while it
// runs: what a commit made meanwhile adds is not part of the history of the
// commit the Read resolved.
//
// The content returned is shared with the cache: callers must not modify
// it. An objectStore is not safe for concurrent use; each goroutine opens
// its own.
type objectStore struct {
	repo *Repository // for errors: the root and whether it is a partial clone
	st   *filesystem.Storage
	// alts are the storages of the alternate object databases
	// (objects/info/alternates, as `git clone --shared` writes it), which
	// DeltaObject does not search.
	alts  []*filesystem.Storage
	cache *contentCache
}

// maxAlternateDepth bounds the chains of alternates followed, as git does.
const maxAlternateDepth = 5

// maxDeltaChain bounds the delta chains followed, well above git's default
// pack depth of 50 and its maximum of 4095, so that a corrupt pack whose
// deltas form a loop gives an error instead of hanging.
const maxDeltaChain = 10000

func newObjectStore(r *Repository, fs billy.Filesystem, cacheBytes int) *objectStore {
	s := &objectStore{
		repo:  r,
		st:    openStorage(fs),
		cache: newContentCache(cacheBytes),
	}
	seen := map[string]bool{filepath.Clean(filepath.Join(r.gitDir, "objects")): true}
	var add func(gitDir string, depth int)
	add = func(gitDir string, depth int) {
		for _, objects := range alternates(gitDir) {
			if seen[objects] || depth > maxAlternateDepth {
				continue
			}
			seen[objects] = true
			alt := filepath.Dir(objects)
			s.alts = append(s.alts, openStorage(packFS{Filesystem: osfs.New(alt), objects: alt}))
			add(alt, depth+1)
		}
	}
	add(r.gitDir, 1)
	return s
}

func openStorage(fs billy.Filesystem) *filesystem.Storage {
	return filesystem.NewStorageWithOptions(fs, noCache{}, filesystem.Options{KeepDescriptors: true, ExclusiveAccess: true})
}

// alternates returns the object folders listed in gitDir's
// objects/info/alternates, absolute and cleaned; relative ones are relative
// to gitDir/objects, as in git.
func alternates(gitDir string) []string {
	objects := filepath.Join(gitDir, "objects")
	b, err := os.ReadFile(filepath.Join(objects, "info", "alternates"))
	if err != nil {
		return nil
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !filepath.IsAbs(line) {
			line = filepath.Join(objects, line)
		}
		if fi, err := os.Stat(line); err == nil && fi.IsDir() {
			out = append(out, filepath.Clean(line))
		}
	}
	return out
}

// Close releases the file descriptors of the pack files.
func (s *objectStore) Close() error {
	err := s.st.Close()
	for _, a := range s.alts {
		if aerr := a.Close(); err == nil {
			err = aerr
		}
	}
	return err
}

// deltaObject returns object h as stored (see storer.DeltaObjectStorer),
// from the repository's own database or an alternate one.
func (s *objectStore) deltaObject(h plumbing.Hash) (plumbing.EncodedObject, error) {
	obj, err := s.st.DeltaObject(plumbing.AnyObject, h)
	for _, a := range s.alts {
		if !errors.Is(err, plumbing.ErrObjectNotFound) {
			break
		}
		obj, err = a.DeltaObject(plumbing.AnyObject, h)
	}
	return obj, err
}

// read returns the content of object h, which must be of type t (or any
// type for plumbing.AnyObject), and its type.
func (s *objectStore) read(t plumbing.ObjectType, h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	typ, data, err := s.resolve(h)
	if err != nil {
		return 0, nil, s.wrap(t, h, err)
	}
	if t != plumbing.AnyObject && typ != t {
		return 0, nil, fmt.Errorf("%s: object %s is a %s, not a %s: the repository is corrupt", s.repo.root, h, typ, t)
	}
	return typ, data, nil
}

// wrap names the object and the repository in an error of read, and tells a
// missing object of a partial clone from a corrupt repository.
func (s *objectStore) wrap(t plumbing.ObjectType, h plumbing.Hash, err error) error {
	what := "object"
	if t != plumbing.AnyObject {
		what = t.String()
	}
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		if s.repo.partial {
			return fmt.Errorf("%s: %s %s is missing: %w", s.repo.root, what, h, ErrPartialClone)
		}
		return fmt.Errorf("%s: %s %s is missing: the repository is incomplete or corrupt: %w", s.repo.root, what, h, err)
	}
	return fmt.Errorf("%s: read %s %s: %w (`git fsck` checks the repository)", s.repo.root, what, h, err)
}

// resolve returns the type and content of object h, applying the deltas of
// its delta chain to the nearest base that is cached or stored whole.
func (s *objectStore) resolve(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	if e, ok := s.cache.get(h); ok {
		return e.typ, e.data, nil
	}
	type link struct {
		hash  plumbing.Hash
		delta []byte
	}
	var chain []link // the delta objects from h towards the base
	var typ plumbing.ObjectType
	var data []byte
	for cur := h; ; {
		if e, ok := s.cache.get(cur); ok {
			typ, data = e.typ, e.data
			break
		}
		if len(chain) == maxDeltaChain {
			return 0, nil, fmt.Errorf("delta chain longer than %d objects", maxDeltaChain)
		}
		obj, err := s.deltaObject(cur)
		if err != nil {
			return 0, nil, err
		}
		content, err := readAll(obj)
		if err != nil {
			return 0, nil, err
		}
		if d, ok := obj.(plumbing.DeltaObject); ok {
			chain = append(chain, link{hash: cur, delta: content})
			cur = d.BaseHash()
			continue
		}
		typ, data = obj.Type(), content
		s.cache.put(cur, typ, data)
		break
	}
	for i := len(chain) - 1; i >= 0; i-- {
		next, err := patch(data, chain[i].delta)
		if err != nil {
			return 0, nil, fmt.Errorf("apply delta of %s: %w", chain[i].hash, err)
		}
		data = next
		s.cache.put(chain[i].hash, typ, data)
	}
	return typ, data, nil
}

// patch applies a pack delta to its base.
func patch(base, delta []byte) ([]byte, error) {
	if len(base) > 0 {
		return packfile.PatchDelta(base, delta)
	}
	// PatchDelta refuses an empty base, which a delta may still have.
	var src, dst plumbing.MemoryObject
	if err := packfile.ApplyDelta(&dst, &src, delta); err != nil {
		return nil, err
	}
	return readAll(&dst)
}

// readAll reads the whole content of an object.
func readAll(obj plumbing.EncodedObject) (_ []byte, err error) {
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := rd.Close(); err == nil {
			err = cerr
		}
	}()
	buf := make([]byte, obj.Size())
	if _, err := io.ReadFull(rd, buf); err != nil {
		return nil, err
	}
	// An object may be longer than its header says only if it is corrupt;
	// reading one byte more tells.
	var one [1]byte
	if n, _ := rd.Read(one[:]); n > 0 {
		return nil, errors.New("object longer than its header says: the repository is corrupt")
	}
	return buf, nil
}

// noCache is a go-git object cache that keeps nothing: the objectStore
// caches what it resolves itself, and go-git's cache would hash every
// object to key it.
type noCache struct{}

func (noCache) Put(plumbing.EncodedObject)                       {}
func (noCache) Get(plumbing.Hash) (plumbing.EncodedObject, bool) { return nil, false }
func (noCache) Clear()                                           {}

var _ cache.Object = noCache{}

// contentCache is a least-recently-used cache of object contents, bounded
// by their total size.
type contentCache struct {
	max, size  int
	entries    map[plumbing.Hash]*cacheEntry
	head, tail *cacheEntry // most and least recently used
}

type cacheEntry struct {
	hash       plumbing.Hash
	typ        plumbing.ObjectType
	data       []byte
	prev, next *cacheEntry
}

func newContentCache(max int) *contentCache {
	return &contentCache{max: max, entries: map[plumbing.Hash]*cacheEntry{}}
}

func (c *contentCache) get(h plumbing.Hash) (*cacheEntry, bool) {
	e, ok := c.entries[h]
	if ok {
		c.unlink(e)
		c.pushFront(e)
	}
	return e, ok
}

// put adds an object; one larger than the whole cache is not kept.
func (c *contentCache) put(h plumbing.Hash, t plumbing.ObjectType, data []byte) {
	if len(data) > c.max {
		return
	}
	if e, ok := c.entries[h]; ok {
		c.unlink(e)
		c.pushFront(e)
		return
	}
	e := &cacheEntry{hash: h, typ: t, data: data}
	c.entries[h] = e
	c.pushFront(e)
	c.size += len(data)
	for c.size > c.max && c.tail != nil {
		old := c.tail
		c.unlink(old)
		delete(c.entries, old.hash)
		c.size -= len(old.data)
	}
}

func (c *contentCache) pushFront(e *cacheEntry) {
	e.prev, e.next = nil, c.head
	if c.head != nil {
		c.head.prev = e
	}
	c.head = e
	if c.tail == nil {
		c.tail = e
	}
}

func (c *contentCache) unlink(e *cacheEntry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		c.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		c.tail = e.prev
	}
	e.prev, e.next = nil, nil
}

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

	// packs reads the packs of the database and its alternates; go-git
	// reads what they lack.
	packs     *packSet
	chain     []deltaLink
	deltaBufs [][]byte // inflated deltas, by position in a chain
	patchBuf  []byte   // the result of the delta being applied
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
	dirs := []string{filepath.Clean(filepath.Join(r.gitDir, "objects"))}
	seen := map[string]bool{dirs[0]: true}
	var add func(gitDir string, depth int)
	add = func(gitDir string, depth int) {
		for _, objects := range alternates(gitDir) {
			if seen[objects] || depth > maxAlternateDepth {
				continue
			}
			seen[objects] = true
			dirs = append(dirs, objects)
			alt := filepath.Dir(objects)
			s.alts = append(s.alts, openStorage(packFS{Filesystem: osfs.New(alt), objects: alt}))
			add(alt, depth+1)
		}
	}
	add(r.gitDir, 1)
	s.packs = openPacks(dirs)
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
	if perr := s.packs.Close(); err == nil {
		err = perr
	}
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
	e, ok, err := s.packs.find(h)
	if err != nil {
		return 0, nil, err
	}
	if ok {
		return s.resolvePacked(e)
	}
	return s.resolveStored(h)
}

// resolvePacked resolves an object of one of the packs the objectStore
// reads itself; the cache keys its objects by their place in the pack.
func (s *objectStore) resolvePacked(e packEntry) (plumbing.ObjectType, []byte, error) {
	chain := s.chain[:0] // the delta objects from e towards the base
	defer func() {
		clear(chain)
		s.chain = chain[:0]
	}()
	var typ plumbing.ObjectType
	var data []byte
walk:
	for cur := e; ; {
		key := cacheKey{pack: cur.pack, offset: cur.offset}
		if c, ok := s.cache.get(key); ok {
			typ, data = c.typ, c.data
			break
		}
		if len(chain) == maxDeltaChain {
			return 0, nil, fmt.Errorf("delta chain longer than %d objects", maxDeltaChain)
		}
		if cur.typ != plumbing.OFSDeltaObject && cur.typ != plumbing.REFDeltaObject {
			var err error
			if data, err = s.packs.inflate(cur, nil); err != nil { // a buffer of its own, made once its size is checked
				return 0, nil, err
			}
			typ = cur.typ
			s.cache.put(key, typ, data)
			break
		}
		delta, err := s.packs.inflate(cur, s.deltaBuf(len(chain)))
		if err != nil {
			return 0, nil, err
		}
		s.deltaBufs[len(chain)] = delta
		chain = append(chain, deltaLink{key: key, delta: delta})
		if cur.typ == plumbing.OFSDeltaObject {
			if cur, err = cur.pack.entry(cur.baseOff); err != nil {
				return 0, nil, err
			}
			continue
		}
		base, ok, err := s.packs.find(cur.baseRef)
		switch {
		case err != nil:
			return 0, nil, err
		case ok:
			cur = base
		default: // a base outside the packs (a thin pack completed with loose objects)
			if typ, data, err = s.resolveStored(cur.baseRef); err != nil {
				return 0, nil, err
			}
			break walk
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		out, err := applyDelta(s.patchBuf[:0], data, chain[i].delta)
		if err != nil {
			return 0, nil, fmt.Errorf("%s: apply delta at offset %d: %w", chain[i].key.pack.name, chain[i].key.offset, err)
		}
		s.patchBuf = out
		// The patch buffer is reused; the cache keeps a copy of the exact
		// size (append does not clear memory it then overwrites).
		data = append([]byte(nil), out...)
		s.cache.put(chain[i].key, typ, data)
	}
	return typ, data, nil
}

// deltaLink is a delta object of a chain being resolved.
type deltaLink struct {
	key   cacheKey
	delta []byte // in one of the objectStore's delta buffers
}

// deltaBuf returns the buffer for the delta at position i of a chain.
func (s *objectStore) deltaBuf(i int) []byte {
	for len(s.deltaBufs) <= i {
		s.deltaBufs = append(s.deltaBufs, nil)
	}
	return s.deltaBufs[i]
}

// resolveStored resolves an object through go-git: a loose object, or one
// of a pack the objectStore does not read itself.
func (s *objectStore) resolveStored(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	if e, ok := s.cache.get(cacheKey{hash: h}); ok {
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
		if e, ok := s.cache.get(cacheKey{hash: cur}); ok {
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
		s.cache.put(cacheKey{hash: cur}, typ, data)
		break
	}
	for i := len(chain) - 1; i >= 0; i-- {
		next, err := patch(data, chain[i].delta)
		if err != nil {
			return 0, nil, fmt.Errorf("apply delta of %s: %w", chain[i].hash, err)
		}
		data = next
		s.cache.put(cacheKey{hash: chain[i].hash}, typ, data)
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
	entries    map[cacheKey]*cacheEntry
	head, tail *cacheEntry // most and least recently used
}

// cacheKey names a cached object: by its place in a pack the objectStore
// reads itself, or by its hash.
type cacheKey struct {
	hash   plumbing.Hash
	pack   *pack
	offset int64
}

type cacheEntry struct {
	key        cacheKey
	typ        plumbing.ObjectType
	data       []byte
	prev, next *cacheEntry
}

func newContentCache(max int) *contentCache {
	return &contentCache{max: max, entries: map[cacheKey]*cacheEntry{}}
}

// limit bounds the cache to max bytes, dropping the least recently used
// objects over it, until the function it returns restores the bound it had.
func (c *contentCache) limit(max int) (restore func()) {
	old := c.max
	c.max = max
	c.evict()
	return func() { c.max = old }
}

func (c *contentCache) get(h cacheKey) (*cacheEntry, bool) {
	e, ok := c.entries[h]
	if ok {
		c.unlink(e)
		c.pushFront(e)
	}
	return e, ok
}

// put adds an object; one larger than the whole cache is not kept.
func (c *contentCache) put(h cacheKey, t plumbing.ObjectType, data []byte) {
	if len(data) > c.max {
		return
	}
	if e, ok := c.entries[h]; ok {
		c.unlink(e)
		c.pushFront(e)
		return
	}
	e := &cacheEntry{key: h, typ: t, data: data}
	c.entries[h] = e
	c.pushFront(e)
	c.size += len(data)
	c.evict()
}

// evict drops the least recently used objects until the cache holds at
// most max bytes.
func (c *contentCache) evict() {
	for c.size > c.max && c.tail != nil {
		old := c.tail
		c.unlink(old)
		delete(c.entries, old.key)
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

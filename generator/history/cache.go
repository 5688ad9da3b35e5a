package history

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/clause-portal/clause/internal/readcap"
)

// The history cache makes reading a long history again cheap.
//
// Everything Read computes is a function of immutable git objects: what a
// first-parent commit changes among the documents (against its first
// parent), the renames among those changes, a blob's SHA-256 and size and,
// for a given Inspect function, what Inspect says of it. Read records these
// in a file, keyed by object hashes, and a later Read takes them from there
// instead of inflating commits, trees and blobs again: it reads objects only
// for the commits that are new since. Keys that are object hashes cannot go
// stale. What can change is Clause's own computation, so the file also
// records cacheFormat, which must be incremented whenever the walk, the tree
// diff, rename detection or the blob sums change what they produce, and
// the version of a released Clause binary (see buildVersion); a file written
// with other ones is ignored. Inspect results are kept only under
// Query.InspectKey, which the caller changes when Inspect changes.
//
// The file is written atomically (a temporary file renamed into place)
// after a successful Read that computed anything, with only the entries
// that Read used, so that it does not grow with rewritten history. A file
// that cannot be read is ignored and rewritten; one that cannot be written
// is reported through Query.Warn and does not fail the Read.

// cacheFormat is the version of the cache file's content; see above.
// 3: commit messages are capped (capMessage).
const cacheFormat = 3

// CacheFolder is the folder, inside the git folder (the main repository's
// for a linked worktree), that Repository.CacheDir names.
const CacheFolder = "clause"

// cacheFile is the content of a cache file.
type cacheFile struct {
	Format  int
	Build   string // buildVersion() of the writer
	Key     string // prefix and match key
	Inspect string // Query.InspectKey the Info fields belong to; "" for none
	Steps   map[plumbing.Hash]*cachedStep
	Blobs   map[plumbing.Hash]cachedBlob
}

// cachedStep is what the walk computed from one first-parent commit.
type cachedStep struct {
	Parents []plumbing.Hash
	Date    int64 // committer date, Unix seconds
	Offset  int   // its UTC offset, seconds east
	Message string
	// Added, Deleted and Modified are the documents the commit changes
	// against its first parent (or the empty tree), Renames the pairs among
	// Deleted and Added.
	Added, Deleted, Modified []cachedChange
	Renames                  []cachedRename
	// Inward are the documents of Added moved there from outside the
	// prefix.
	Inward []cachedInward
	// FollowKey names the set of paths outside the prefix that documents
	// were followed to (walker.followSetKey; zero for none) when Follow was
	// computed: what the commit does to those of them it changes.
	FollowKey uint64
	Follow    []cachedFollow
}

type cachedInward struct {
	Dst  int
	From string
	Blob plumbing.Hash
	Pure bool
}

type cachedFollow struct {
	Path      string
	Blob, Old plumbing.Hash
	From      string
	FromBlob  plumbing.Hash
	Pure      bool
}

type cachedChange struct {
	Path      string
	Blob, Old plumbing.Hash
}

type cachedRename struct {
	Src, Dst int
	Pure     bool
}

type cachedBlob struct {
	SHA256    [32]byte
	Size      int64
	Info      string
	Inspected bool
}

// CacheDir returns the usual folder for Query.Cache: CacheFolder inside
// the repository's git folder, which git itself never touches and which is
// not part of the work tree.
func (r *Repository) CacheDir() string { return filepath.Join(r.gitDir, CacheFolder) }

// buildVersion is the module version of a released Clause binary, or "" for
// a development build (whose changes to the computation cacheFormat must
// cover).
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}

// historyCache is the cache of one Read: what was loaded, and what the Read
// used or computed, to be written back. Every cached step is checked against
// the commit object it names before it is used (walker.cachedStep): one
// object read per commit, much cheaper than the tree diffs it saves.
type historyCache struct {
	path    string
	key     string
	inspect string
	loaded  *cacheFile // nil when there was no usable file
	used    *cacheFile
	dirty   bool // something was computed or dropped: write the file
}

// cachePath returns the file for the documents q selects, or "" when the
// walk cannot be cached: no Cache folder, no MatchKey, or a shallow clone
// (whose commits at the boundary are read as roots). Read has set the
// MatchKey of the default Match.
func (r *Repository) cachePath(q Query, prefix string) (path, key string) {
	if q.Cache == "" || r.Shallow() || q.MatchKey == "" {
		return "", ""
	}
	key = prefix + "\x00" + q.MatchKey
	sum := sha1.Sum([]byte(key))
	return filepath.Join(q.Cache, "history-"+hex.EncodeToString(sum[:8])), key
}

// maxCacheFile caps the history cache file read back: far above what a
// repository of 100,000 commits writes. A larger one is rebuilt.
const maxCacheFile = 1 << 30

// openCache loads the cache file for q, if any. Problems reading it are
// reported through warn and leave an empty cache, to be written.
func (r *Repository) openCache(q Query, prefix string, warn func(error)) *historyCache {
	c := r.newCache(q, prefix)
	if c == nil {
		return nil
	}
	path := c.path
	data, err := readcap.ReadFile(path, maxCacheFile)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) { // none yet (writing will tell why)
		return c
	}
	var f *cacheFile
	if err == nil {
		f, err = decodeCache(data)
	}
	if err != nil {
		warn(fmt.Errorf("history cache %s is unreadable and will be rebuilt: %w", path, err))
		return c
	}
	if f.Format != cacheFormat || f.Build != buildVersion() || f.Key != c.key {
		return c // written by another Clause: start afresh
	}
	if f.Inspect != c.inspect {
		for h, b := range f.Blobs {
			b.Info, b.Inspected = "", false
			f.Blobs[h] = b
		}
	}
	c.loaded, c.dirty = f, false
	return c
}

// newCache returns an empty cache for q, to be written after the Read; nil
// when the Read cannot be cached.
func (r *Repository) newCache(q Query, prefix string) *historyCache {
	path, key := r.cachePath(q, prefix)
	if path == "" {
		return nil
	}
	c := &historyCache{path: path, key: key, inspect: q.InspectKey, dirty: true}
	c.used = &cacheFile{Format: cacheFormat, Build: buildVersion(), Key: key, Inspect: c.inspect,
		Steps: map[plumbing.Hash]*cachedStep{}, Blobs: map[plumbing.Hash]cachedBlob{}}
	return c
}

// step returns the cached step of commit h, not yet recorded as used: the
// caller checks it against the repository first, then calls use or drop.
func (c *historyCache) step(h plumbing.Hash) (*cachedStep, bool) {
	if c == nil || c.loaded == nil {
		return nil, false
	}
	s, ok := c.loaded.Steps[h]
	return s, ok
}

// use records the cached step of commit h as used.
func (c *historyCache) use(h plumbing.Hash, s *cachedStep) { c.used.Steps[h] = s }

// drop forgets the cached step of commit h, which does not match the
// repository: the file is rewritten without it.
func (c *historyCache) drop(h plumbing.Hash) {
	delete(c.loaded.Steps, h)
	delete(c.used.Steps, h)
	c.dirty = true
}

// addStep records a step the walk computed.
func (c *historyCache) addStep(h plumbing.Hash, s *cachedStep) {
	if c != nil {
		c.used.Steps[h] = s
		c.dirty = true
	}
}

// blob returns the cached sum of blob h, recording it as used.
func (c *historyCache) blob(h plumbing.Hash) (blobSum, bool) {
	if c == nil || c.loaded == nil {
		return blobSum{}, false
	}
	b, ok := c.loaded.Blobs[h]
	if !ok {
		return blobSum{}, false
	}
	c.used.Blobs[h] = b
	return blobSum{sha256: hex.EncodeToString(b.SHA256[:]), size: b.Size, info: b.Info, inspected: b.Inspected}, true
}

// addBlob records the sum of a blob that was hashed.
func (c *historyCache) addBlob(h plumbing.Hash, s blobSum) {
	if c == nil {
		return
	}
	var b cachedBlob
	if _, err := hex.Decode(b.SHA256[:], []byte(s.sha256)); err != nil {
		return
	}
	b.Size, b.Info, b.Inspected = s.size, s.info, s.inspected
	c.used.Blobs[h] = b
	c.dirty = true
}

// write saves what the Read used, if that differs from what was loaded.
func (c *historyCache) write() error {
	if c == nil {
		return nil
	}
	if err := c.save(); err != nil {
		return fmt.Errorf("history cache not saved, the next read will read the whole history again (--no-cache skips the cache): %w", err)
	}
	return nil
}

// staleTemp is the age after which a temporary file of the cache folder is
// taken for the leftover of an interrupted write and removed.
const staleTemp = time.Hour

func (c *historyCache) save() error {
	if !c.dirty && c.loaded != nil &&
		(len(c.used.Steps) != len(c.loaded.Steps) || len(c.used.Blobs) != len(c.loaded.Blobs)) {
		c.dirty = true // entries of rewritten history to drop
	}
	if !c.dirty {
		return nil
	}
	data := encodeCache(c.used)
	dir := filepath.Dir(c.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".history-*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), c.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if old, _ := filepath.Glob(filepath.Join(dir, ".history-*.tmp")); len(old) > 0 {
		for _, p := range old {
			if fi, err := os.Stat(p); err == nil && time.Since(fi.ModTime()) > staleTemp {
				os.Remove(p)
			}
		}
	}
	return nil
}

// mismatch compares a cached step with the commit object it claims to
// have been computed from, read from the repository, and names the first
// field that differs; "" when they agree. A cache folder shared between
// repositories or users (--cache-dir) may hold a file written elsewhere: its
// checksum only proves that it is whole, not that it describes this
// repository.
func (s *cachedStep) mismatch(c *commitObject) string {
	_, off := c.date.Zone()
	switch {
	case !slices.Equal(s.Parents, c.parents):
		return "other parents"
	case s.Date != c.date.Unix() || s.Offset != off:
		return "another date"
	case s.Message != c.message:
		return "another message"
	}
	return ""
}

// newCachedStep records what the walk computed from the commit of s.
func newCachedStep(st *step) *cachedStep {
	c, ch := st.c, st.changes
	_, off := c.date.Zone()
	s := &cachedStep{Parents: c.parents, Date: c.date.Unix(), Offset: off, Message: c.message, FollowKey: st.followKey}
	conv := func(in []fileChange) []cachedChange {
		var out []cachedChange
		for _, f := range in {
			out = append(out, cachedChange{Path: f.path, Blob: f.blob, Old: f.old})
		}
		return out
	}
	s.Added, s.Deleted, s.Modified = conv(ch.added), conv(ch.deleted), conv(ch.modified)
	for _, p := range st.renames {
		s.Renames = append(s.Renames, cachedRename{Src: p.src, Dst: p.dst, Pure: p.pure})
	}
	for _, in := range st.inward {
		s.Inward = append(s.Inward, cachedInward{Dst: in.dst, From: in.from.path, Blob: in.from.blob, Pure: in.pure})
	}
	for _, f := range st.follow {
		s.Follow = append(s.Follow, cachedFollow{Path: f.path, Blob: f.blob, Old: f.old, From: f.from, FromBlob: f.fromBlob, Pure: f.pure})
	}
	return s
}

// changes returns the step's changes and renames as the walk uses them.
func (s *cachedStep) changes() (*treeChanges, []renamePair, []inwardRename) {
	conv := func(in []cachedChange) []fileChange {
		var out []fileChange
		for _, f := range in {
			out = append(out, fileChange{path: f.Path, blob: f.Blob, old: f.Old})
		}
		return out
	}
	ch := &treeChanges{added: conv(s.Added), deleted: conv(s.Deleted), modified: conv(s.Modified)}
	var pairs []renamePair
	for _, p := range s.Renames {
		pairs = append(pairs, renamePair{src: p.Src, dst: p.Dst, pure: p.Pure})
	}
	var inward []inwardRename
	for _, in := range s.Inward {
		inward = append(inward, inwardRename{dst: in.Dst, from: fileChange{path: in.From, blob: in.Blob}, pure: in.Pure})
	}
	return ch, pairs, inward
}

// followChanges returns the step's changes to followed paths.
func (s *cachedStep) followChanges() []followChange {
	var out []followChange
	for _, f := range s.Follow {
		out = append(out, followChange{path: f.Path, blob: f.Blob, old: f.Old, from: f.From, fromBlob: f.FromBlob, pure: f.Pure})
	}
	return out
}

// fixedZone returns the zone of a commit date's offset, as parseSignatureTime
// makes it.
func fixedZone(off int) *time.Location { return time.FixedZone("", off) }

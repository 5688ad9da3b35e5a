package site

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// PageCache keeps what Hugo wrote for each page of partial builds (the
// archived versions and their redlines, which do not change once
// published), under a key of everything Hugo read to write it: the page's
// content file as Build writes it (front matter and HTML), the site's
// configuration and parameters, the theme, the i18n bundles, the user's
// layouts/ and assets/, and the renderer (the clause-render binary, or the
// process rendering in itself). A page whose key is cached is put into the
// output instead of being rendered; nothing else can make a cached page
// differ from what Hugo would write, so a rebuild writes the same files as
// a cold build.
//
// The folder holds an index (page key → the files of the page, by path
// and SHA-256) and the files themselves, named by their SHA-256. A cached
// file is checked against its name before it is used, then hard-linked
// into the output (copied where a link cannot be made): linking is several
// times cheaper than writing, and a file edited in place in a published
// output is found changed by the next build, dropped and rendered again.
// Like the history cache the folder must be writable by the build alone:
// one that others may write to is refused.
type PageCache struct {
	dir       string
	indexErr  error // why the last build's index was not read
	indexSize int64 // its size

	mu    sync.Mutex
	index map[entryKey][]cachedFile // the last build's pages
	next  map[entryKey][]cachedFile // this build's: restored or stored
	dirs  map[string]bool           // output folders made
	// blobDirs are the cache's folders of files made or found.
	blobDirs map[string]bool
	hits     int
	misses   int

	once    sync.Once
	userKey [32]byte // the user's layouts/ and assets/, the renderer
	userErr error
}

type cachedFile struct {
	path string // slash-separated, below the output folder
	sum  [sha256.Size]byte
	// size and mtime (Unix nanoseconds) are the file's when it was
	// stored: while they stay the same it is not read to be checked
	// against sum (git's index does the same with its files).
	size, mtime int64
	// inline is the value of a memo entry kept in the index itself
	// (path memoInline): it has no file.
	inline []byte
}

// pageCacheMagic starts the index; a new format gets a new one.
const pageCacheMagic = "clause-pages/4\n"

// maxPageIndex caps the index file read (readcap's rule: every input has
// a size cap).
const maxPageIndex = 256 << 20

// OpenPageCache returns the page cache in folder dir, creating it (mode
// 0700) if needed. A folder that group or others may write to, or that
// belongs to another user, is refused. A damaged index is an empty cache.
func OpenPageCache(dir string) (*PageCache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a folder", dir)
	}
	if err := privateFolder(dir, fi); err != nil {
		return nil, err
	}
	removeStaleTemps(dir)
	c := &PageCache{dir: dir, next: map[entryKey][]cachedFile{}, dirs: map[string]bool{}}
	name := filepath.Join(dir, "index")
	c.index, c.indexErr = readPageIndex(name)
	if errors.Is(c.indexErr, fs.ErrNotExist) {
		c.indexErr = nil // a new cache
	} else if c.indexErr != nil {
		c.indexErr = fmt.Errorf("%s: %w (the cache starts afresh)", name, c.indexErr)
	}
	if fi, err := os.Stat(name); err == nil && c.indexErr == nil {
		c.indexSize = fi.Size()
	}
	if c.index == nil {
		c.index = map[entryKey][]cachedFile{}
	}
	return c, nil
}

// IndexError is why the index of the last build could not be read (it
// was damaged, or written by another release), or nil: with it, the
// cache holds nothing of earlier builds, and this build renders every
// page.
func (c *PageCache) IndexError() error { return c.indexErr }

// IndexSize is the size in bytes of the index read from the last build
// (0 for none). Held in memory for the whole build, it takes about three
// times that.
func (c *PageCache) IndexSize() int64 { return c.indexSize }

// Stats returns how many pages were taken from the cache and how many
// rendered.
func (c *PageCache) Stats() (hits, misses int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// Save writes the index of this build's pages and removes the files no
// page of it has: pages that no longer exist, or whose inputs changed.
// Call it after a build that succeeded.
func (c *PageCache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Written as it is encoded: the index of a 20,000-commit portal is
	// 44 MB, which a buffer would hold (twice over while it grew) at the
	// end of the build, when it holds the most.
	if err := writeAtomicWith(filepath.Join(c.dir, "index"), func(w io.Writer) error { return writePageIndex(w, c.next) }); err != nil {
		return err
	}
	// Pages' files are in files/, memos in memo/ (blobFolder), named by
	// their SHA-256 in hex; kept by folder and SHA-256 (not by name: a
	// hundred thousand names at the end of a large build).
	type blobID struct {
		folder string
		sum    [sha256.Size]byte
	}
	keep := map[blobID]bool{}
	for _, files := range c.next {
		for _, f := range files {
			if f.path != memoInline {
				keep[blobID{blobFolder(f.path), f.sum}] = true
			}
		}
	}
	var errs []error
	for _, folder := range []string{"files", memoFolder} {
		subs, err := os.ReadDir(filepath.Join(c.dir, folder))
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
			continue
		}
		for _, sub := range subs {
			names, err := os.ReadDir(filepath.Join(c.dir, folder, sub.Name()))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			for _, n := range names {
				id := blobID{folder: folder}
				if !lowerHex(n.Name(), id.sum[:]) || !keep[id] {
					if err := os.Remove(filepath.Join(c.dir, folder, sub.Name(), n.Name())); err != nil {
						errs = append(errs, err)
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

// lowerHex decodes name into sum and reports whether it is sum's name: as
// many lower-case hexadecimal digits as sum has nibbles.
func lowerHex(name string, sum []byte) bool {
	if len(name) != 2*len(sum) || strings.ToLower(name) != name {
		return false
	}
	_, err := hex.Decode(sum, []byte(name))
	return err == nil
}

// blobFolder is the folder of the cache holding a file at path p of an
// entry: memo/ for memos, files/ for pages' files.
func blobFolder(p string) string {
	if p == memoFile {
		return memoFolder
	}
	return "files"
}

func (c *PageCache) blob(sum [sha256.Size]byte) string {
	return c.blobIn("files", sum)
}

// blobIn is the name of the file with SHA-256 sum in folder of the cache.
func (c *PageCache) blobIn(folder string, sum [sha256.Size]byte) string {
	h := fmt.Sprintf("%x", sum)
	return filepath.Join(c.dir, folder, h[:2], h)
}

// siteKey hashes what every page of a build shares: Hugo's configuration
// cfg but the output folder (a new one each build), the files of the Hugo
// project Build writes besides the content (theme, i18n bundles: see
// projectFiles), the user's layouts/ and assets/, and the renderer.
func (c *PageCache) siteKey(project map[string][]byte, cfg map[string]any, opts Options) ([32]byte, error) {
	c.once.Do(func() {
		h := sha256.New()
		for _, dir := range []string{opts.LayoutsDir, opts.AssetsDir} {
			fmt.Fprintf(h, "dir %q\n", filepath.Base(dir))
			if isDir(dir) {
				if err := hashTree(h, os.DirFS(dir)); err != nil {
					c.userErr = err
					return
				}
			}
		}
		id, err := rendererID()
		if err != nil {
			c.userErr = err
			return
		}
		h.Write(id[:])
		copy(c.userKey[:], h.Sum(nil))
	})
	if c.userErr != nil {
		return [32]byte{}, c.userErr
	}
	h := sha256.New()
	h.Write([]byte(pageCacheMagic))
	h.Write(c.userKey[:])
	keyed := maps.Clone(cfg)
	delete(keyed, "publishDir")
	b, err := json.Marshal(keyed) // maps are marshalled in key order
	if err != nil {
		return [32]byte{}, err
	}
	h.Write(b)
	for _, name := range slices.Sorted(maps.Keys(project)) {
		fmt.Fprintf(h, "%q %d\n", name, len(project[name]))
		h.Write(project[name])
	}
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k, nil
}

// pageKey is a page's key: the site's key and the page's content file.
func pageKey(site [32]byte, name string, parts ...[]byte) entryKey {
	h := sha256.New()
	h.Write(site[:])
	fmt.Fprintf(h, "%s\n", name)
	for _, p := range parts {
		h.Write(p)
	}
	var k entryKey
	h.Sum(k[:0])
	return k
}

// entryKey is the key of an entry of the index: a SHA-256 (pageKey,
// memoKey, fileKey), written in hex in the index file. Kept as bytes in
// memory: the index of a 20,000-commit portal has 150,000 entries, held
// for the whole build.
type entryKey [sha256.Size]byte

// restore puts the files cached under key into publish, or into reuse if
// not nil; false when there is no entry, or a file of it is missing or
// changed (it is removed, and the files of the page put into publish so
// far too: those put into reuse are pruned unless another page has them).
func (c *PageCache) restore(key entryKey, publish string, reuse *Reuse) bool {
	return c.restoreErr(key, publish, reuse) == nil
}

// errNoEntry is restoreErr's error for a key the cache does not have.
var errNoEntry = errors.New("not in the page cache")

// restoreErr is restore, with why it failed: errNoEntry, or what kept a
// file of the entry from being put in place.
func (c *PageCache) restoreErr(key entryKey, publish string, reuse *Reuse) (err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	files, ok := c.next[key]
	if !ok {
		files, ok = c.index[key]
		err = errNoEntry
	}
	if ok {
		err = nil
		var done []string
		for _, f := range files {
			dst := filepath.Join(publish, filepath.FromSlash(f.path))
			if reuse != nil {
				dst = ""
			}
			if err = c.place(f, dst, reuse); err != nil {
				err = fmt.Errorf("%s: %w", f.path, err)
				for _, d := range done {
					os.Remove(d)
				}
				ok = false
				break
			}
			if dst != "" {
				done = append(done, dst)
			}
		}
	}
	if !ok {
		c.misses++
		return err
	}
	c.hits++
	c.next[key] = files
	return nil
}

// restoreFiles is restore for files that are no page: not counted in
// Stats.
func (c *PageCache) restoreFiles(key entryKey, publish string, reuse *Reuse) bool {
	return c.restoreFilesErr(key, publish, reuse) == nil
}

// restoreFilesErr is restoreFiles, with why it failed (restoreErr).
func (c *PageCache) restoreFilesErr(key entryKey, publish string, reuse *Reuse) error {
	err := c.restoreErr(key, publish, reuse)
	c.mu.Lock()
	if err == nil {
		c.hits--
	} else {
		c.misses--
	}
	c.mu.Unlock()
	return err
}

// place puts cached file f at dst, or at its path in reuse if not nil:
// checked against its SHA-256, then hard-linked, or copied where a link
// cannot be made.
func (c *PageCache) place(f cachedFile, dst string, reuse *Reuse) error {
	blob := c.blob(f.sum)
	fi, err := os.Lstat(blob)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return errBadEntry
	}
	var data []byte
	if fi.Size() != f.size || fi.ModTime().UnixNano() != f.mtime {
		// Changed since stored, or only touched: checked byte for byte.
		if data, err = c.verified(blob, f.sum); err != nil {
			return err
		}
	}
	if reuse != nil {
		return reuse.link(f.path, blob, fi, func() ([]byte, error) {
			if data != nil {
				return data, nil
			}
			return c.verified(blob, f.sum)
		})
	}
	if dir := filepath.Dir(dst); !c.dirs[dir] {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		c.dirs[dir] = true
	}
	if err := os.Link(blob, dst); err == nil {
		return nil
	} else if cur, serr := os.Lstat(dst); errors.Is(err, fs.ErrExist) && serr == nil && os.SameFile(cur, fi) {
		return nil // put there already (a resource of the site)
	}
	if data == nil {
		if data, err = c.verified(blob, f.sum); err != nil {
			return err
		}
	}
	return os.WriteFile(dst, data, 0o644)
}

// verified reads the cache's file blob and checks it against its SHA-256
// sum; a file that differs is removed.
func (c *PageCache) verified(blob string, sum [sha256.Size]byte) ([]byte, error) {
	data, err := readcapFile(blob)
	if err != nil {
		return nil, err
	}
	if sha256.Sum256(data) != sum {
		os.Remove(blob)
		return nil, errBadEntry
	}
	return data, nil
}

// stamp sets f's size and modification time to the file name's.
func stamp(f *cachedFile, name string) error {
	fi, err := os.Lstat(name)
	if err != nil {
		return err
	}
	f.size, f.mtime = fi.Size(), fi.ModTime().UnixNano()
	return nil
}

// store caches the files of publish at the slash-separated paths rel
// under key. A page whose files are not all there is not cached.
func (c *PageCache) store(key entryKey, publish string, rel []string) error {
	files := make([]cachedFile, 0, len(rel))
	for _, r := range rel {
		src := filepath.Join(publish, filepath.FromSlash(r))
		data, err := os.ReadFile(src)
		if err != nil {
			return nil // Hugo wrote it elsewhere: render it next time too
		}
		f := cachedFile{path: r, sum: sha256.Sum256(data)}
		blob := c.blob(f.sum)
		if _, err := os.Stat(blob); err != nil {
			if err := os.MkdirAll(filepath.Dir(blob), 0o700); err != nil {
				return err
			}
			// The output file itself, linked: nothing is written twice.
			if err := os.Link(src, blob); err != nil && !errors.Is(err, fs.ErrExist) {
				if err := writeAtomic(blob, data); err != nil {
					return err
				}
			}
		}
		if err := stamp(&f, blob); err != nil {
			return err
		}
		files = append(files, f)
	}
	c.mu.Lock()
	c.next[key] = files
	c.mu.Unlock()
	return nil
}

// storeMore adds the files of publish at the slash-separated paths rel
// to the entry under key (a file at a path it has already replaces it),
// creating it, even empty, if there is none.
func (c *PageCache) storeMore(key entryKey, publish string, rel []string) error {
	c.mu.Lock()
	had, ok := c.next[key]
	if !ok {
		had = c.index[key]
	}
	c.mu.Unlock()
	if err := c.store(key, publish, rel); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	added, ok := c.next[key]
	if !ok {
		return nil // a file was missing: not kept
	}
	merged := slices.Clone(added)
	for _, f := range had {
		if !slices.ContainsFunc(added, func(a cachedFile) bool { return a.path == f.path }) {
			merged = append(merged, f)
		}
	}
	slices.SortFunc(merged, func(a, b cachedFile) int { return strings.Compare(a.path, b.path) })
	c.next[key] = merged
	return nil
}

// writeAtomic writes data to name through a temporary file renamed over
// it.
func writeAtomic(name string, data []byte) error {
	return writeAtomicWith(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomicWith is writeAtomic of what write writes, through a buffer.
func writeAtomicWith(name string, write func(w io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(tmp, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// readcapFile reads a cached file, refusing one larger than a page can be
// (Hugo's output of a document's largest page).
func readcapFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxCachedFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxCachedFile {
		return nil, errBadEntry
	}
	return b, nil
}

// maxCachedFile caps one cached file.
const maxCachedFile = 1 << 30

var errBadEntry = errors.New("damaged page cache entry")

// encodePageIndex returns the index as writePageIndex writes it.
func encodePageIndex(index map[entryKey][]cachedFile) []byte {
	var b bytes.Buffer
	writePageIndex(&b, index) // a bytes.Buffer does not fail
	return b.Bytes()
}

// writePageIndex writes the index to w, followed by the SHA-256 of what
// it wrote (readPageIndex checks it).
func writePageIndex(w io.Writer, index map[entryKey][]cachedFile) error {
	// In the order of their hex (that of their bytes).
	keys := slices.SortedFunc(maps.Keys(index), func(a, b entryKey) int { return bytes.Compare(a[:], b[:]) })
	var hexKey [2 * sha256.Size]byte
	h := sha256.New()
	// Hashed as it is written; small writes gathered before either.
	b := bufio.NewWriterSize(io.MultiWriter(w, h), 64<<10)
	var n []byte // a varint
	uvarint := func(x uint64) { n = binary.AppendUvarint(n[:0], x); b.Write(n) }
	varint := func(x int64) { n = binary.AppendVarint(n[:0], x); b.Write(n) }
	b.WriteString(pageCacheMagic)
	uvarint(uint64(len(keys)))
	for _, k := range keys {
		hex.Encode(hexKey[:], k[:])
		b.Write(hexKey[:])
		files := index[k]
		uvarint(uint64(len(files)))
		for _, f := range files {
			uvarint(uint64(len(f.path)))
			b.WriteString(f.path)
			b.Write(f.sum[:])
			varint(f.size)
			varint(f.mtime)
			if f.path == memoInline {
				uvarint(uint64(len(f.inline)))
				b.Write(f.inline)
			}
		}
	}
	if err := b.Flush(); err != nil {
		return err
	}
	_, err := w.Write(h.Sum(nil))
	return err
}

func readPageIndex(name string) (map[entryKey][]cachedFile, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPageIndex+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxPageIndex || len(data) < len(pageCacheMagic)+sha256.Size || !bytes.HasPrefix(data, []byte(pageCacheMagic)) {
		return nil, errBadEntry
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if s := sha256.Sum256(body); !bytes.Equal(s[:], sum) {
		return nil, errBadEntry
	}
	rest := body[len(pageCacheMagic):]
	take := func(n int) ([]byte, bool) {
		if n < 0 || n > len(rest) {
			return nil, false
		}
		b := rest[:n]
		rest = rest[n:]
		return b, true
	}
	count := func() (int, bool) {
		n, w := binary.Uvarint(rest)
		if w <= 0 || n > uint64(len(rest)) {
			return 0, false
		}
		rest = rest[w:]
		return int(n), true
	}
	n, ok := count()
	if !ok {
		return nil, errBadEntry
	}
	index := make(map[entryKey][]cachedFile, n)
	for range n {
		k, ok := take(2 * sha256.Size)
		if !ok {
			return nil, errBadEntry
		}
		nf, ok := count()
		if !ok {
			return nil, errBadEntry
		}
		files := make([]cachedFile, 0, min(nf, 16))
		for range nf {
			l, ok := count()
			if !ok {
				return nil, errBadEntry
			}
			p, ok := take(l)
			if !ok {
				return nil, errBadEntry
			}
			s, ok := take(sha256.Size)
			if !ok {
				return nil, errBadEntry
			}
			// Only files below the output folder, named as Build names
			// them.
			ps := string(p)
			if !fs.ValidPath(ps) || ps != path.Clean(ps) || strings.HasPrefix(path.Base(ps), ".") {
				return nil, errBadEntry
			}
			f := cachedFile{path: ps}
			copy(f.sum[:], s)
			for _, x := range []*int64{&f.size, &f.mtime} {
				v, w := binary.Varint(rest)
				if w <= 0 {
					return nil, errBadEntry
				}
				*x, rest = v, rest[w:]
			}
			if ps == memoInline {
				l, ok := count()
				if !ok || l > memoInlineMax {
					return nil, errBadEntry
				}
				if f.inline, ok = take(l); !ok || sha256.Sum256(f.inline) != f.sum {
					return nil, errBadEntry
				}
			}
			files = append(files, f)
		}
		var key entryKey
		if _, err := hex.Decode(key[:], k); err != nil {
			return nil, errBadEntry
		}
		index[key] = files
	}
	if len(rest) != 0 {
		return nil, errBadEntry
	}
	return index, nil
}

// hashTree writes the names and contents of the regular files below fsys
// to h, in a fixed order.
func hashTree(h io.Writer, fsys fs.FS) error {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%q %d\n", n, len(b))
		h.Write(b)
	}
	return nil
}

var (
	rendererOnce sync.Once
	rendererSum  [32]byte
	rendererErr  error
)

// rendererID identifies what renders: the clause-render binary Build
// would run, or this process's own executable when it renders itself.
// The theme is in the key apart from it (it is written to the project).
func rendererID() ([32]byte, error) {
	rendererOnce.Do(func() {
		rendererMu.Lock()
		inside := inProcess != nil
		rendererMu.Unlock()
		var p string
		if inside {
			p, rendererErr = os.Executable()
		} else {
			p, rendererErr = findHelper(io.Discard)
		}
		if rendererErr != nil {
			return
		}
		sum, err := FileSum(p)
		if err != nil {
			rendererErr = err
			return
		}
		h := sha256.New()
		fmt.Fprintf(h, "%s inside=%v %x\n", RenderProtocol, inside, sum)
		copy(rendererSum[:], h.Sum(nil))
	})
	return rendererSum, rendererErr
}

// cacheRun is one partial build's use of the page cache: the pages it
// restored, and those it left to Hugo, to be stored once rendered.
//
// Besides its pages' files, Hugo publishes the resources their templates
// use (a script, a style sheet: resources.Get … | fingerprint), once, for
// whichever page asks first: a page restored from the cache would leave
// them out. So a partial build with the cache has Hugo write into a folder
// of its own, and the files there that are no page's are the site's
// resources: kept under the site's key (the union of all builds' under
// it), and put into the output with the first page a build restores. A
// build finds no page in the cache until the site's resources are there.
type cacheRun struct {
	cache     *PageCache
	site      [32]byte
	publish   string
	reuse     *Reuse // where cached pages go instead of publish, if not nil
	log       io.Writer
	pending   []pendingPage
	resources int // 0: not restored yet, 1: restored, -1: missing
}

type pendingPage struct {
	key   entryKey
	files []string // slash-separated, below the output folder
}

// restore copies page p from the cache into the output, given the file
// name suffix its content file has and the digest of its front matter
// (frontMatterDigest); false when it must be rendered.
//
// body is the body of its content file; dp, when not nil, the HTML that
// goes round Hugo, which the key covers in place of its placeholders:
// frontMatter is then the front matter's JSON, placeholders and all.
func (r *cacheRun) restore(p *Page, suffix string, frontMatter, body []byte, dp *deferredPage) bool {
	// The body by its SHA-256: a lazy one (Page.Lazy) need not be read.
	var sum [sha256.Size]byte
	if body == nil && p.Lazy != nil {
		sum = p.Lazy.Sum
	} else {
		sum = sha256.Sum256(body)
	}
	parts := [][]byte{frontMatter, {'\n'}, sum[:]}
	name := suffix
	if dp != nil {
		// Named apart: no content file, however written, has the key
		// of a page with deferred HTML.
		parts, name = dp.keyParts(frontMatter, body, p.Lazy), suffix+"\x00deferred"
	}
	key := pageKey(r.site, name, parts...)
	if r.resources == 0 {
		r.resources = -1
		switch err := r.cache.restoreFilesErr(r.resourcesKey(), r.publish, r.reuse); {
		case err == nil:
			r.resources = 1
		case !errors.Is(err, errNoEntry):
			// Every page of the batch is rendered (with the resources):
			// a build that takes as long as a cold one says why.
			cacheWarning(r.log, fmt.Errorf("the site's scripts and style sheets could not be restored: %w", err))
		}
	}
	if r.resources != 1 {
		r.cache.mu.Lock()
		r.cache.misses++ // rendered, with the resources
		r.cache.mu.Unlock()
	} else if r.cache.restore(key, r.publish, r.reuse) {
		return true
	}
	files := []string{outputFile(p.URL)}
	for _, a := range p.Aliases {
		files = append(files, outputFile(a))
	}
	r.pending = append(r.pending, pendingPage{key: key, files: files})
	return false
}

// resourcesKey is the key of the site's resources.
func (r *cacheRun) resourcesKey() entryKey {
	return pageKey(r.site, "\x00resources")
}

// storeRendered caches the pages Hugo rendered, given every file it
// wrote (slash paths below publish): those that are no page's are the
// site's resources.
func (r *cacheRun) storeRendered(wrote []string) error {
	pages := map[string]bool{}
	for _, p := range r.pending {
		if err := r.cache.store(p.key, r.publish, p.files); err != nil {
			return err
		}
		for _, f := range p.files {
			pages[f] = true
		}
	}
	var resources []string
	for _, f := range wrote {
		if !pages[f] {
			resources = append(resources, f)
		}
	}
	return r.cache.storeMore(r.resourcesKey(), r.publish, resources)
}

// outputFile is the file Hugo writes for the page or alias at URL path u.
func outputFile(u string) string {
	return strings.TrimPrefix(path.Join(u, "index.html"), "/")
}

// removeStaleTemps removes the temporary files a killed build left in the
// cache folder: those an hour old or more (a running build's are newer).
func removeStaleTemps(dir string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".tmp-") {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// PageCache keeps what Hugo wrote for each page of partial builds (the
// archived versions and their redlines, which do not change once
// published), under a key of everything Hugo read to write it: the page's
// content file as Build writes it (front matter and HTML), the site's
// configuration and parameters, the theme, the i18n bundles, the user's
// layouts/ and assets/, and the renderer (the clause-render binary, or the
// process rendering in itself). A page whose key is cached is copied from
// the cache instead of being rendered; nothing else can make a cached page
// differ from what Hugo would write, so a rebuild writes the same files as
// a cold build.
//
// The cache is a folder of files, one a page, each checked by a SHA-256
// of its contents when read. Like the history cache it must be writable by
// the build alone: a folder that others may write to is refused (a forged
// entry would be published as it is).
type PageCache struct {
	dir string

	mu     sync.Mutex
	used   map[string]bool // keys read or written by this build
	hits   int
	misses int

	once    sync.Once
	userKey [32]byte // the user's layouts/ and assets/
	userErr error
}

// pageCacheMagic starts every cache file; a new format gets a new one.
const pageCacheMagic = "clause-page/1\n"

// OpenPageCache returns the page cache in folder dir, creating it (mode
// 0700) if needed. A folder that group or others may write to, or that
// belongs to another user, is refused.
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
	return &PageCache{dir: dir, used: map[string]bool{}}, nil
}

// Stats returns how many pages were copied from the cache and how many
// rendered.
func (c *PageCache) Stats() (hits, misses int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// Prune removes the entries that this build neither read nor wrote: pages
// that no longer exist, or whose inputs changed. Call it after a build
// that succeeded.
func (c *PageCache) Prune() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	subs, err := os.ReadDir(c.dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, sub := range subs {
		if !sub.IsDir() || len(sub.Name()) != 2 {
			continue
		}
		files, err := os.ReadDir(filepath.Join(c.dir, sub.Name()))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, f := range files {
			key, ok := strings.CutSuffix(f.Name(), ".page")
			if ok && c.used[key] {
				continue
			}
			if err := os.Remove(filepath.Join(c.dir, sub.Name(), f.Name())); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// siteKey hashes what every page of a build shares: Hugo's configuration
// cfg but the output folder (a new one each build), the Hugo project
// folder work as Build wrote it before the content (theme, i18n bundles),
// the user's layouts/ and assets/, and the renderer.
func (c *PageCache) siteKey(work string, cfg map[string]any, opts Options) ([32]byte, error) {
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
	if err := hashTree(h, os.DirFS(work)); err != nil {
		return [32]byte{}, err
	}
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k, nil
}

// pageKey is a page's key: the site's key and the page's content file.
func pageKey(site [32]byte, name string, parts ...[]byte) string {
	h := sha256.New()
	h.Write(site[:])
	fmt.Fprintf(h, "%s\n", name)
	for _, p := range parts {
		h.Write(p)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func (c *PageCache) file(key string) string {
	return filepath.Join(c.dir, key[:2], key+".page")
}

// restore writes the files cached under key into publish; false when
// there is no valid entry (a damaged one is removed).
func (c *PageCache) restore(key, publish string) bool {
	data, err := os.ReadFile(c.file(key))
	if err == nil {
		var files []cachedFile
		if files, err = decodePage(data); err == nil {
			for _, f := range files {
				name := filepath.Join(publish, filepath.FromSlash(f.path))
				if err = os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
					break
				}
				if err = os.WriteFile(name, f.data, 0o644); err != nil {
					break
				}
			}
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			os.Remove(c.file(key))
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.misses++
		return false
	}
	c.hits++
	c.used[key] = true
	return true
}

// store caches the files of publish at the slash-separated paths rel
// under key. A page whose files are not all there is not cached.
func (c *PageCache) store(key, publish string, rel []string) error {
	files := make([]cachedFile, 0, len(rel))
	for _, r := range rel {
		b, err := os.ReadFile(filepath.Join(publish, filepath.FromSlash(r)))
		if err != nil {
			return nil // Hugo wrote it elsewhere: render it next time too
		}
		files = append(files, cachedFile{path: r, data: b})
	}
	name := c.file(key)
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(encodePage(files)); err != nil {
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
	c.mu.Lock()
	c.used[key] = true
	c.mu.Unlock()
	return nil
}

type cachedFile struct {
	path string
	data []byte
}

func encodePage(files []cachedFile) []byte {
	var b bytes.Buffer
	b.WriteString(pageCacheMagic)
	b.Write(binary.AppendUvarint(nil, uint64(len(files))))
	for _, f := range files {
		b.Write(binary.AppendUvarint(nil, uint64(len(f.path))))
		b.WriteString(f.path)
		b.Write(binary.AppendUvarint(nil, uint64(len(f.data))))
		b.Write(f.data)
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes()
}

var errBadEntry = errors.New("damaged page cache entry")

func decodePage(data []byte) ([]cachedFile, error) {
	if len(data) < len(pageCacheMagic)+sha256.Size || !bytes.HasPrefix(data, []byte(pageCacheMagic)) {
		return nil, errBadEntry
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if s := sha256.Sum256(body); !bytes.Equal(s[:], sum) {
		return nil, errBadEntry
	}
	rest := body[len(pageCacheMagic):]
	next := func() ([]byte, bool) {
		n, w := binary.Uvarint(rest)
		if w <= 0 || n > uint64(len(rest)-w) {
			return nil, false
		}
		b := rest[w : w+int(n)]
		rest = rest[w+int(n):]
		return b, true
	}
	count, w := binary.Uvarint(rest)
	if w <= 0 || count > 64 {
		return nil, errBadEntry
	}
	rest = rest[w:]
	files := make([]cachedFile, 0, count)
	for range count {
		p, ok := next()
		if !ok {
			return nil, errBadEntry
		}
		d, ok := next()
		if !ok {
			return nil, errBadEntry
		}
		// Only files below the output folder, named as Build names them.
		ps := string(p)
		if !fs.ValidPath(ps) || ps != path.Clean(ps) || strings.HasPrefix(path.Base(ps), ".") {
			return nil, errBadEntry
		}
		files = append(files, cachedFile{path: ps, data: d})
	}
	if len(rest) != 0 {
		return nil, errBadEntry
	}
	return files, nil
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
		f, err := os.Open(p)
		if err != nil {
			rendererErr = err
			return
		}
		defer f.Close()
		h := sha256.New()
		fmt.Fprintf(h, "%s inside=%v\n", RenderProtocol, inside)
		if _, err := io.Copy(h, f); err != nil {
			rendererErr = err
			return
		}
		copy(rendererSum[:], h.Sum(nil))
	})
	return rendererSum, rendererErr
}

// cacheRun is one partial build's use of the page cache: the pages it
// restored, and those it left to Hugo, to be stored once rendered.
type cacheRun struct {
	cache   *PageCache
	site    [32]byte
	publish string
	pending []pendingPage
}

type pendingPage struct {
	key   string
	files []string // slash-separated, below the output folder
}

// restore copies page p from the cache into the output, given the file
// name suffix and front matter its content file has; false when it must
// be rendered.
func (r *cacheRun) restore(p *Page, suffix string, frontMatter []byte) bool {
	key := pageKey(r.site, suffix, frontMatter, []byte{'\n'}, p.HTML)
	if r.cache.restore(key, r.publish) {
		return true
	}
	files := []string{outputFile(p.URL)}
	for _, a := range p.Aliases {
		files = append(files, outputFile(a))
	}
	r.pending = append(r.pending, pendingPage{key: key, files: files})
	return false
}

// storeRendered caches the pages Hugo rendered.
func (r *cacheRun) storeRendered() error {
	for _, p := range r.pending {
		if err := r.cache.store(p.key, r.publish, p.files); err != nil {
			return err
		}
	}
	return nil
}

// outputFile is the file Hugo writes for the page or alias at URL path u.
func outputFile(u string) string {
	return strings.TrimPrefix(path.Join(u, "index.html"), "/")
}

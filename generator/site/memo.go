package site

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// memoFile is the path a memo entry's one file has in the index. Pages'
// files end in index.html: no page has it, and a memo is never put into an
// output folder.
const memoFile = "memo"

// memoInline is the path of a memo entry whose value is in the index
// itself (cachedFile.inline): small values, of which a build reads
// thousands, cost no file to open.
const memoInline = "memo-inline"

// memoInlineMax is the largest value kept in the index.
const memoInlineMax = 1 << 10

// memoFolder holds the memos' files, apart from the pages'.
const memoFolder = "memo"

// Memo returns the value SetMemo kept under key, in this build or the
// last one; false when there is none, or its file is missing or damaged
// (a damaged file is removed). Values are checked against their SHA-256
// like the pages' files; like them they are trusted because the folder is
// writable by the build alone (see OpenPageCache). Memo entries are kept
// by Save when this build used them, as pages are.
func (c *PageCache) Memo(key [32]byte) ([]byte, bool) {
	k := memoKey(key)
	c.mu.Lock()
	files, ok := c.next[k]
	if !ok {
		files, ok = c.index[k]
	}
	c.mu.Unlock()
	if ok && len(files) == 1 && files[0].path == memoInline {
		// Checked with the index it is in.
		c.mu.Lock()
		c.next[k] = files
		c.mu.Unlock()
		return files[0].inline, true
	}
	if !ok || len(files) != 1 || files[0].path != memoFile {
		return nil, false
	}
	blob := c.blobIn(memoFolder, files[0].sum)
	data, err := readcapFile(blob)
	if err != nil {
		return nil, false
	}
	if sha256.Sum256(data) != files[0].sum {
		os.Remove(blob)
		return nil, false
	}
	value, err := unpack(data)
	if err != nil {
		os.Remove(blob)
		return nil, false
	}
	c.mu.Lock()
	c.next[k] = files
	c.mu.Unlock()
	return value, true
}

// KeepMemo reports whether a value is kept under key, in this build or
// the last one, without reading it, and keeps it for the next build as
// Memo does. Its file must have the size and modification time it had
// when stored (a file changed since is not kept); Memo checks its bytes
// when it reads it.
func (c *PageCache) KeepMemo(key [32]byte) bool {
	k := memoKey(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	files, ok := c.next[k]
	if !ok {
		files, ok = c.index[k]
	}
	if ok && len(files) == 1 && files[0].path == memoInline {
		c.next[k] = files
		return true
	}
	if !ok || len(files) != 1 || files[0].path != memoFile {
		return false
	}
	// Its size and modification time as stored, as for pages' files: a
	// file changed since is read (and checked) by Memo instead.
	f := files[0]
	if fi, err := os.Lstat(c.blobIn(memoFolder, f.sum)); err != nil || !fi.Mode().IsRegular() || fi.Size() != f.size || fi.ModTime().UnixNano() != f.mtime {
		return false
	}
	c.next[k] = files
	return true
}

// SetMemo keeps value under key, for this build and (once Save wrote the
// index) the next. Keys are the caller's: a digest of everything the value
// was computed from.
func (c *PageCache) SetMemo(key [32]byte, value []byte) error {
	if len(value) <= memoInlineMax {
		f := cachedFile{path: memoInline, sum: sha256.Sum256(value), inline: bytes.Clone(value)}
		c.mu.Lock()
		c.next[memoKey(key)] = []cachedFile{f}
		c.mu.Unlock()
		return nil
	}
	value = pack(value)
	f := cachedFile{path: memoFile, sum: sha256.Sum256(value)}
	blob := c.blobIn(memoFolder, f.sum)
	if err := c.writeBlob(blob, value); err != nil {
		return err
	}
	if err := stamp(&f, blob); err != nil {
		return err
	}
	c.mu.Lock()
	c.next[memoKey(key)] = []cachedFile{f}
	c.mu.Unlock()
	return nil
}

// writeBlob writes data to blob, a file of the cache named by the
// SHA-256 of data, unless it is there already. It creates the file
// exclusively: one left cut short by a build that was killed (it has
// another size) is replaced through a temporary file; one damaged in
// place is found so by Memo, which removes it.
func (c *PageCache) writeBlob(blob string, data []byte) error {
	dir := filepath.Dir(blob)
	c.mu.Lock()
	made := c.blobDirs[dir]
	c.mu.Unlock()
	if !made {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		c.mu.Lock()
		if c.blobDirs == nil {
			c.blobDirs = map[string]bool{}
		}
		c.blobDirs[dir] = true
		c.mu.Unlock()
	}
	f, err := os.OpenFile(blob, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		if fi, err := os.Lstat(blob); err == nil && fi.Mode().IsRegular() && fi.Size() == int64(len(data)) {
			return nil
		}
		return writeAtomic(blob, data)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(blob)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(blob)
		return err
	}
	return nil
}

// memoKey is the index key of a memo: a hash apart from the pages' keys
// (pageKey), so that no memo can stand for a page or a page for a memo.
func memoKey(key [32]byte) entryKey { return namedKey("clause-memo/2", key) }

// namedKey hashes a caller's key under name into an index key: keys of
// different names never meet.
func namedKey(name string, key [32]byte) entryKey {
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write(key[:])
	var k entryKey
	h.Sum(k[:0])
	return k
}

// packMin is the smallest value pack compresses: for less, setting up a
// decompressor costs more than reading the bytes.
const packMin = 2 << 10

// pack is how a value is stored: a first byte saying how, then the value
// compressed (the HTML of redlines takes a fifth of the room, for less
// time to inflate it than to read it whole from the disk), or as it is
// when small.
func pack(value []byte) []byte {
	if len(value) < packMin {
		return append([]byte{packRaw}, value...)
	}
	return append([]byte{packDeflate}, deflate(value)...)
}

// unpack is pack's inverse.
func unpack(data []byte) ([]byte, error) {
	switch {
	case len(data) > 0 && data[0] == packRaw:
		return data[1:], nil
	case len(data) > 0 && data[0] == packDeflate:
		return inflate(data[1:])
	}
	return nil, errBadEntry
}

const (
	packRaw     = 'r'
	packDeflate = 'd'
)

// deflaters are reused: each holds a megabyte of state.
var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

// deflate compresses b.
func deflate(b []byte) []byte {
	var out bytes.Buffer
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&out)
	w.Write(b) // writes to a bytes.Buffer do not fail
	w.Close()
	deflaters.Put(w)
	return out.Bytes()
}

// inflate is deflate's inverse, refusing more than maxCachedFile bytes.
func inflate(b []byte) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(b))
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, maxCachedFile+1))
	if err != nil {
		return nil, err
	}
	if len(out) > maxCachedFile {
		return nil, errBadEntry
	}
	return out, nil
}

// RestoreFile puts the file StoreFile kept under key at its path below
// publish, or into reuse if not nil (see PageCache.restore: hard-linked,
// and nothing is written where reuse has that very file); false when the
// cache lacks it or it changed since.
func (c *PageCache) RestoreFile(key [32]byte, publish string, reuse *Reuse) bool {
	return c.restoreFiles(fileKey(key), publish, reuse)
}

// StoreFile keeps the file at slash path rel below dir under key, for
// this build and (once Save wrote the index) the next: hard-linked into
// the cache where dir is on its file system. Keys are the caller's: a
// digest of the path and everything the file's bytes are made of.
func (c *PageCache) StoreFile(key [32]byte, dir, rel string) error {
	return c.store(fileKey(key), dir, []string{rel})
}

// fileKey is the index key of a file StoreFile keeps.
func fileKey(key [32]byte) entryKey { return namedKey("clause-file/1", key) }

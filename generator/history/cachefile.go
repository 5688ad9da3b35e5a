package history

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
)

// The cache file is a compact binary encoding, several times faster to
// decode than encoding/gob (which decodes hashes byte by byte):
//
//	magic "clause-history\n", then the fields of cacheFile in order:
//	ints as varints, strings and lists prefixed with their length, hashes
//	as 20 (SHA-1) or 32 (SHA-256) raw bytes, booleans as one byte;
//	steps and blobs sorted by hash, so that equal content gives equal
//	files; and at the end the SHA-256 of everything before it, so that a
//	truncated or damaged file is recognised and ignored.

const cacheMagic = "clause-history\n"

// errCacheFile is the error of a damaged cache file.
var errCacheFile = errors.New("not a valid cache file")

func encodeCache(f *cacheFile) []byte {
	e := &cacheEncoder{buf: []byte(cacheMagic)}
	e.int(int64(f.Format))
	e.str(f.Build)
	e.str(f.Key)
	e.str(f.Inspect)
	steps := sortedHashes(f.Steps)
	e.int(int64(len(steps)))
	for _, h := range steps {
		s := f.Steps[h]
		e.hash(h)
		e.int(int64(len(s.Parents)))
		for _, p := range s.Parents {
			e.hash(p)
		}
		e.int(s.Date)
		e.int(int64(s.Offset))
		e.str(s.Message)
		for _, list := range [][]cachedChange{s.Added, s.Deleted, s.Modified} {
			e.int(int64(len(list)))
			for _, c := range list {
				e.str(c.Path)
				e.hash(c.Blob)
				e.hash(c.Old)
			}
		}
		e.int(int64(len(s.Renames)))
		for _, r := range s.Renames {
			e.int(int64(r.Src))
			e.int(int64(r.Dst))
			e.bool(r.Pure)
		}
		e.int(int64(len(s.Inward)))
		for _, in := range s.Inward {
			e.int(int64(in.Dst))
			e.str(in.From)
			e.hash(in.Blob)
			e.bool(in.Pure)
		}
		e.uint(s.FollowKey)
		e.int(int64(len(s.Follow)))
		for _, f := range s.Follow {
			e.str(f.Path)
			e.hash(f.Blob)
			e.hash(f.Old)
			e.str(f.From)
			e.hash(f.FromBlob)
			e.bool(f.Pure)
		}
	}
	blobs := sortedHashes(f.Blobs)
	e.int(int64(len(blobs)))
	for _, h := range blobs {
		b := f.Blobs[h]
		e.hash(h)
		e.buf = append(e.buf, b.SHA256[:]...)
		e.int(b.Size)
		e.str(b.Info)
		e.bool(b.Inspected)
	}
	sum := sha256.Sum256(e.buf)
	return append(e.buf, sum[:]...)
}

func sortedHashes[V any](m map[plumbing.Hash]V) []plumbing.Hash {
	hs := make([]plumbing.Hash, 0, len(m))
	for h := range m {
		hs = append(hs, h)
	}
	slices.SortFunc(hs, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
	return hs
}

type cacheEncoder struct{ buf []byte }

func (e *cacheEncoder) int(n int64)          { e.buf = binary.AppendVarint(e.buf, n) }
func (e *cacheEncoder) uint(n uint64)        { e.buf = binary.AppendUvarint(e.buf, n) }
func (e *cacheEncoder) hash(h plumbing.Hash) { e.buf = append(e.buf, h[:]...) }
func (e *cacheEncoder) str(s string) {
	e.int(int64(len(s)))
	e.buf = append(e.buf, s...)
}
func (e *cacheEncoder) bool(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

// decodeCache decodes a cache file, checking its checksum first.
func decodeCache(data []byte) (*cacheFile, error) {
	if len(data) < len(cacheMagic)+sha256.Size || string(data[:len(cacheMagic)]) != cacheMagic {
		return nil, errCacheFile
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, fmt.Errorf("%w: checksum mismatch (truncated or damaged)", errCacheFile)
	}
	d := &cacheDecoder{buf: body[len(cacheMagic):]}
	f := &cacheFile{Format: int(d.int()), Build: d.str(), Key: d.str(), Inspect: d.str()}
	if f.Format != cacheFormat {
		return f, d.err // a later format may be laid out otherwise
	}
	n := d.count()
	f.Steps = make(map[plumbing.Hash]*cachedStep, n)
	for range n {
		h := d.hash()
		s := &cachedStep{}
		if np := d.count(); np > 0 {
			s.Parents = make([]plumbing.Hash, np)
			for i := range s.Parents {
				s.Parents[i] = d.hash()
			}
		}
		s.Date, s.Offset, s.Message = d.int(), int(d.int()), d.str()
		for _, list := range []*[]cachedChange{&s.Added, &s.Deleted, &s.Modified} {
			if nc := d.count(); nc > 0 {
				*list = make([]cachedChange, nc)
				for i := range *list {
					(*list)[i] = cachedChange{Path: d.str(), Blob: d.hash(), Old: d.hash()}
				}
			}
		}
		if nr := d.count(); nr > 0 {
			s.Renames = make([]cachedRename, nr)
			for i := range s.Renames {
				s.Renames[i] = cachedRename{Src: int(d.int()), Dst: int(d.int()), Pure: d.bool()}
			}
		}
		if n := d.count(); n > 0 {
			s.Inward = make([]cachedInward, n)
			for i := range s.Inward {
				s.Inward[i] = cachedInward{Dst: int(d.int()), From: d.str(), Blob: d.hash(), Pure: d.bool()}
			}
		}
		s.FollowKey = d.uint()
		if n := d.count(); n > 0 {
			s.Follow = make([]cachedFollow, n)
			for i := range s.Follow {
				s.Follow[i] = cachedFollow{Path: d.str(), Blob: d.hash(), Old: d.hash(), From: d.str(), FromBlob: d.hash(), Pure: d.bool()}
			}
		}
		if err := s.check(); err != nil && d.err == nil {
			d.err = err
		}
		if d.err != nil {
			return nil, d.err
		}
		f.Steps[h] = s
	}
	n = d.count()
	f.Blobs = make(map[plumbing.Hash]cachedBlob, n)
	for range n {
		h := d.hash()
		var b cachedBlob
		copy(b.SHA256[:], d.bytes(sha256.Size))
		b.Size, b.Info, b.Inspected = d.int(), d.str(), d.bool()
		if d.err != nil {
			return nil, d.err
		}
		f.Blobs[h] = b
	}
	if d.err == nil && len(d.buf) > 0 {
		d.err = fmt.Errorf("%w: %d bytes after the end", errCacheFile, len(d.buf))
	}
	if d.err != nil {
		return nil, d.err
	}
	return f, nil
}

// check refuses a step whose renames point outside its changes, or name a
// document added twice.
func (s *cachedStep) check() error {
	dst := make([]bool, len(s.Added))
	for _, r := range s.Renames {
		if r.Src < 0 || r.Src >= len(s.Deleted) || r.Dst < 0 || r.Dst >= len(s.Added) {
			return fmt.Errorf("%w: rename out of range", errCacheFile)
		}
		dst[r.Dst] = true
	}
	for _, in := range s.Inward {
		if in.Dst < 0 || in.Dst >= len(s.Added) || dst[in.Dst] {
			return fmt.Errorf("%w: rename out of range", errCacheFile)
		}
		dst[in.Dst] = true
	}
	return nil
}

// cacheDecoder reads what cacheEncoder wrote; after the first error every
// read returns a zero value and err stays set.
type cacheDecoder struct {
	buf []byte
	err error
}

func (d *cacheDecoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: bad %s", errCacheFile, what)
	}
	d.buf = nil
}

func (d *cacheDecoder) uint() uint64 {
	n, k := binary.Uvarint(d.buf)
	if k <= 0 {
		d.fail("number")
		return 0
	}
	d.buf = d.buf[k:]
	return n
}

func (d *cacheDecoder) int() int64 {
	n, k := binary.Varint(d.buf)
	if k <= 0 {
		d.fail("number")
		return 0
	}
	d.buf = d.buf[k:]
	return n
}

// count reads a length, which cannot exceed the bytes left.
func (d *cacheDecoder) count() int {
	n := d.int()
	if n < 0 || n > int64(len(d.buf)) {
		d.fail("length")
		return 0
	}
	return int(n)
}

func (d *cacheDecoder) bytes(n int) []byte {
	if n > len(d.buf) {
		d.fail("field")
		return make([]byte, n)
	}
	b := d.buf[:n]
	d.buf = d.buf[n:]
	return b
}

func (d *cacheDecoder) str() string { return string(d.bytes(d.count())) }

func (d *cacheDecoder) hash() (h plumbing.Hash) {
	copy(h[:], d.bytes(len(h)))
	return h
}

func (d *cacheDecoder) bool() bool {
	b := d.bytes(1)
	if b[0] > 1 {
		d.fail("boolean")
	}
	return b[0] == 1
}

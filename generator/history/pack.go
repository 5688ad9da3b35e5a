package history

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// packSet reads objects from the pack files of an object database
// (objects/pack/*.pack with their version 2 index), memory-mapped where the
// system allows it.
//
// go-git decodes a packed object through a buffered scanner that copies it
// through a bytes.Buffer, a copy buffer and a MemoryObject, and its delta
// objects name their base by hash, which it finds with a reverse lookup of
// the index. A packSet inflates an object once (inflate.go), into a buffer of the size
// its header gives, and follows offset deltas by offset; the objectStore
// applies the deltas. Objects it does not have (loose objects, a pack
// without a usable index) are read through go-git as before.
type packSet struct {
	packs []*pack
	inf   inflater
}

// pack is one pack file and its index, both held in memory (mapped).
type pack struct {
	name  string // for errors
	data  []byte // the pack file
	idx   []byte // the index file
	count int    // objects in the pack
	close []func() error
	// mapped are data and idx where they are memory maps (see release).
	mapped [][]byte
}

// packEntry is an object as stored in a pack: whole (typ is a commit, tree,
// blob or tag) or a delta against a base, given by its offset in the same
// pack (ofsDelta) or by its hash (refDelta).
type packEntry struct {
	pack    *pack
	offset  int64
	typ     plumbing.ObjectType
	size    int64 // of the inflated content: the object, or the delta
	content int64 // offset of the zlib stream
	baseOff int64 // ofsDelta: the base's offset in the same pack
	baseRef plumbing.Hash
}

// openPacks opens the packs in each of the object folders; a pack that
// cannot be read is skipped (go-git reads it, or reports it).
func openPacks(objectDirs []string) *packSet {
	ps := &packSet{}
	for _, dir := range objectDirs {
		names, _ := filepath.Glob(filepath.Join(dir, "pack", "pack-*.idx"))
		sort.Strings(names)
		for _, idx := range names {
			if p, err := openPack(idx, strings.TrimSuffix(idx, ".idx")+".pack"); err == nil {
				ps.packs = append(ps.packs, p)
			}
		}
	}
	return ps
}

// release tells the system that the packs' memory maps are not needed
// soon: their pages leave the process's resident memory (the file's pages
// stay in the system's cache) and are read in again if they are. The
// history of a 20,000-commit repository maps 20 MB of packs, which a
// build reads while it loads the history and then hardly at all.
func (ps *packSet) release() {
	if ps == nil {
		return
	}
	for _, p := range ps.packs {
		for _, b := range p.mapped {
			dropResident(b)
		}
	}
}

// Close unmaps the packs.
func (ps *packSet) Close() error {
	var err error
	for _, p := range ps.packs {
		for _, c := range p.close {
			if cerr := c(); err == nil {
				err = cerr
			}
		}
	}
	ps.packs = nil
	return err
}

var errBadIndex = errors.New("not a version 2 pack index")

func openPack(idxPath, packPath string) (*pack, error) {
	p := &pack{name: packPath}
	idx, unmapIdx, mapped, err := mapOrRead(idxPath)
	if err != nil {
		return nil, err
	}
	p.close = append(p.close, unmapIdx)
	if mapped {
		p.mapped = append(p.mapped, idx)
	}
	data, unmapPack, mapped, err := mapOrRead(packPath)
	if err != nil {
		unmapIdx()
		return nil, err
	}
	p.close = append(p.close, unmapPack)
	if mapped {
		p.mapped = append(p.mapped, data)
	}
	p.idx, p.data = idx, data
	if err := p.check(); err != nil {
		for _, c := range p.close {
			c()
		}
		return nil, err
	}
	return p, nil
}

// Version 2 index layout: magic, version, 256 cumulative counts by first
// byte, the sorted hashes, their CRC-32s, their 4-byte offsets (the high
// bit set: an index into the following table of 8-byte offsets), the pack's
// checksum and the index's.
const (
	idxHeader   = 8
	idxFanout   = idxHeader
	idxHashes   = idxFanout + 256*4
	packHeader  = 12
	hashSize    = 20
	maxIdxCount = 1 << 31
)

func (p *pack) check() error {
	if len(p.idx) < idxHashes+2*hashSize || !bytes.Equal(p.idx[:8], []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}) {
		return errBadIndex
	}
	n := int64(binary.BigEndian.Uint32(p.idx[idxHashes-4:]))
	if n >= maxIdxCount || int64(len(p.idx)) < idxHashes+n*(hashSize+4+4)+2*hashSize {
		return errBadIndex
	}
	p.count = int(n)
	if len(p.data) < packHeader+hashSize || !bytes.Equal(p.data[:4], []byte("PACK")) {
		return errors.New("not a pack file")
	}
	// The index ends with the checksum of the pack it indexes.
	if !bytes.Equal(p.data[len(p.data)-hashSize:], p.idx[len(p.idx)-2*hashSize:len(p.idx)-hashSize]) {
		return errors.New("the index is not the pack's")
	}
	return nil
}

// find returns the offset of object h in the pack.
func (p *pack) find(h plumbing.Hash) (int64, bool) {
	lo := 0
	if h[0] > 0 {
		lo = int(binary.BigEndian.Uint32(p.idx[idxFanout+4*(int(h[0])-1):]))
	}
	hi := int(binary.BigEndian.Uint32(p.idx[idxFanout+4*int(h[0]):]))
	if hi > p.count || lo > hi {
		return 0, false
	}
	// A binary search for the first hash not below h, comparing the
	// first 8 bytes as a number (they almost always decide) and the rest
	// only when they are equal.
	hashes := p.idx[idxHashes:]
	if len(hashes) < hi*hashSize {
		return 0, false
	}
	key, end := binary.BigEndian.Uint64(h[:8]), hi
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		e := hashes[mid*hashSize : (mid+1)*hashSize]
		if k := binary.BigEndian.Uint64(e); k < key || k == key && bytes.Compare(e[8:], h[8:]) < 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	i := lo
	if i >= end || !bytes.Equal(hashes[i*hashSize:(i+1)*hashSize], h[:]) {
		return 0, false
	}
	offsets := idxHashes + p.count*(hashSize+4)
	off := binary.BigEndian.Uint32(p.idx[offsets+4*i:])
	if off&0x80000000 == 0 {
		return int64(off), true
	}
	large := offsets + 4*p.count + 8*int(off&0x7fffffff)
	if large+8 > len(p.idx)-2*hashSize {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(p.idx[large:])), true
}

// find returns the entry of object h, or false if no pack has it.
func (ps *packSet) find(h plumbing.Hash) (packEntry, bool, error) {
	for _, p := range ps.packs {
		if off, ok := p.find(h); ok {
			e, err := p.entry(off)
			return e, true, err
		}
	}
	return packEntry{}, false, nil
}

// entry parses the header of the object at offset off.
func (p *pack) entry(off int64) (packEntry, error) {
	e := packEntry{pack: p, offset: off}
	end := int64(len(p.data)) - hashSize
	if off < packHeader || off >= end {
		return e, p.corrupt(off, "offset out of the pack")
	}
	pos := off
	c := p.data[pos]
	pos++
	t := (c >> 4) & 7
	size := int64(c & 15)
	for shift := 4; c&0x80 != 0; shift += 7 {
		if pos >= end || shift > 56 {
			return e, p.corrupt(off, "bad object header")
		}
		c = p.data[pos]
		pos++
		size |= int64(c&0x7f) << shift
	}
	e.size = size
	switch plumbing.ObjectType(t) {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
		e.typ = plumbing.ObjectType(t)
	case plumbing.OFSDeltaObject:
		e.typ = plumbing.OFSDeltaObject
		if pos >= end {
			return e, p.corrupt(off, "bad delta base offset")
		}
		c = p.data[pos]
		pos++
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if pos >= end || rel >= 1<<55 {
				return e, p.corrupt(off, "bad delta base offset")
			}
			c = p.data[pos]
			pos++
			rel = (rel+1)<<7 | int64(c&0x7f)
		}
		if rel <= 0 || rel > off-packHeader {
			return e, p.corrupt(off, "bad delta base offset")
		}
		e.baseOff = off - rel
	case plumbing.REFDeltaObject:
		e.typ = plumbing.REFDeltaObject
		if pos+hashSize > end {
			return e, p.corrupt(off, "bad delta base")
		}
		copy(e.baseRef[:], p.data[pos:pos+hashSize])
		pos += hashSize
	default:
		return e, p.corrupt(off, fmt.Sprintf("unknown object type %d", t))
	}
	e.content = pos
	return e, nil
}

func (p *pack) corrupt(off int64, what string) error {
	return fmt.Errorf("%s: object at offset %d: %s: the pack is corrupt", p.name, off, what)
}

// maxInflate bounds the size of an object read whole (2 GiB): a header
// claiming more is taken for corruption rather than allocated.
const maxInflate = 1 << 31

// maxDeflated is the most a zlib stream of n bytes can inflate to: DEFLATE
// makes at most 258 bytes of two bits (1032:1), plus the stream's framing.
// A header claiming more is refused before a buffer of its size is made.
func maxDeflated(n int) int64 { return int64(n)*1032 + 1024 }

// inflate decompresses the content of entry e into buf (grown as needed)
// and returns it, exactly e.size bytes.
func (ps *packSet) inflate(e packEntry, buf []byte) ([]byte, error) {
	if e.size > maxInflate {
		return nil, e.pack.corrupt(e.offset, "object too large")
	}
	src := e.pack.data[e.content : len(e.pack.data)-hashSize]
	if e.size > maxDeflated(len(src)) {
		return nil, e.pack.corrupt(e.offset, fmt.Sprintf("object of %d bytes in the %d bytes left in the pack", e.size, len(src)))
	}
	n := int(e.size)
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if err := ps.inf.inflate(buf, src); err != nil {
		return nil, e.pack.corrupt(e.offset, "inflate: "+err.Error())
	}
	return buf, nil
}

// applyDelta appends to dst the object a git delta makes of base (see
// gitformat-pack(5), "Deltified representation") and returns it; dst is
// expected to be empty, with room for the result.
func applyDelta(dst, base, delta []byte) ([]byte, error) {
	srcSize, delta, ok := deltaSize(delta)
	if !ok || srcSize != uint64(len(base)) {
		return nil, errors.New("delta base size mismatch")
	}
	dstSize, delta, ok := deltaSize(delta)
	// Each instruction, one byte at least, makes at most 0x10000 bytes: a
	// larger size is a lie, refused before a buffer of that size is made.
	if !ok || dstSize > maxInflate || dstSize > uint64(len(delta))*0x10000 {
		return nil, errors.New("bad delta target size")
	}
	if uint64(cap(dst)-len(dst)) < dstSize {
		dst = append(make([]byte, 0, len(dst)+int(dstSize)), dst...)
	}
	start := len(dst)
	for len(delta) > 0 {
		op := delta[0]
		delta = delta[1:]
		switch {
		case op&0x80 != 0: // copy from base
			var off, n uint64
			for i := range 4 {
				if op&(1<<i) != 0 {
					if len(delta) == 0 {
						return nil, errors.New("truncated delta")
					}
					off |= uint64(delta[0]) << (8 * i)
					delta = delta[1:]
				}
			}
			for i := range 3 {
				if op&(0x10<<i) != 0 {
					if len(delta) == 0 {
						return nil, errors.New("truncated delta")
					}
					n |= uint64(delta[0]) << (8 * i)
					delta = delta[1:]
				}
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > uint64(len(base)) || uint64(len(dst)-start)+n > dstSize {
				return nil, errors.New("delta copies out of bounds")
			}
			dst = append(dst, base[off:off+n]...)
		case op != 0: // insert the next op bytes
			n := int(op)
			if n > len(delta) || uint64(len(dst)-start+n) > dstSize {
				return nil, errors.New("delta inserts out of bounds")
			}
			dst = append(dst, delta[:n]...)
			delta = delta[n:]
		default:
			return nil, errors.New("delta opcode 0 is reserved")
		}
	}
	if uint64(len(dst)-start) != dstSize {
		return nil, errors.New("delta result size mismatch")
	}
	return dst, nil
}

// deltaSize reads a size at the start of a delta (little-endian base 128).
func deltaSize(b []byte) (uint64, []byte, bool) {
	var n uint64
	for i, shift := 0, 0; i < len(b) && shift < 64; i, shift = i+1, shift+7 {
		n |= uint64(b[i]&0x7f) << shift
		if b[i]&0x80 == 0 {
			return n, b[i+1:], true
		}
	}
	return 0, nil, false
}

// deltaTargetSize returns the size of the object a delta makes, 0 if the
// delta is malformed (applyDelta then reports it).
func deltaTargetSize(delta []byte) int {
	if _, rest, ok := deltaSize(delta); ok {
		if n, _, ok := deltaSize(rest); ok && n <= maxInflate {
			return int(n)
		}
	}
	return 0
}

// mapOrRead returns the bytes of the file at path, memory-mapped where the
// system allows it (mapped), and the function that releases them.
func mapOrRead(path string) (data []byte, release func() error, mapped bool, err error) {
	if data, unmap, err := mapBytes(path); err == nil {
		return data, unmap, true, nil
	}
	data, err = os.ReadFile(path)
	return data, func() error { return nil }, false, err
}

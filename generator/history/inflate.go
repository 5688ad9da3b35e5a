package history

import (
	"encoding/binary"
	"errors"
	"hash/adler32"
	"math/bits"
	"sync"
)

// inflater decompresses the zlib streams of pack objects (RFC 1950, 1951)
// in one call, from a byte slice into a byte slice of the size the
// object's header gives.
//
// Reading history inflates every version of every document, the trees
// and the commits: tens of thousands of objects, mostly small. Through
// compress/zlib each costs a reader reset, a 32 KiB window the output is
// copied through, a method call through an interface per byte read and a
// 512-entry table per dynamic block. Here the output buffer is the window
// (pack objects are inflated whole), the input is read 8 bytes at a time
// into a 64-bit bit buffer, and the tables are sized to the longest code.
//
// It accepts exactly what compress/zlib read to the end of the stream
// accepts (FuzzInflate checks it against compress/zlib): a stream whose
// checksum does not match, that is truncated, that makes more or fewer
// bytes than the header says, or that names a preset dictionary is an
// error. An inflater is not safe for concurrent use.
type inflater struct {
	lit, dist, clen huffTable
	lens            [maxLitCodes + maxDistCodes]uint8
}

// Limits of RFC 1951 as compress/flate applies them: a dynamic block
// declares at most 286 literal/length codes and 30 distance codes.
const (
	maxLitCodes  = 286
	maxDistCodes = 30
	maxCodeLen   = 15
	endOfBlock   = 256
)

// Root table sizes, in bits: longer codes go through a second table.
const (
	litRootBits  = 10
	distRootBits = 8
	clenRootBits = 7
)

var (
	errInflateCorrupt  = errors.New("corrupt deflate data")
	errInflateLong     = errors.New("object longer than its header says")
	errInflateShort    = errors.New("object shorter than its header says")
	errInflateTrunc    = errors.New("truncated zlib stream")
	errInflateHeader   = errors.New("bad zlib header")
	errInflateDict     = errors.New("zlib stream needs a preset dictionary")
	errInflateChecksum = errors.New("bad zlib checksum")
)

// huffTable decodes one canonical Huffman code. An entry of the root
// table (indexed by the next rootBits bits of the stream, least
// significant first) is either a symbol: symbol<<16 | code length, or a
// link to a second-level table: offset<<16 | linkFlag | subBits<<4, whose
// entries hold symbol<<16 | (code length - rootBits). A zero entry is a
// bit sequence no code starts with.
type huffTable struct {
	entries []uint32
	root    uint   // bits indexing the root table
	mask    uint64 // 1<<root - 1
}

const linkFlag = 1 << 8

// build makes t decode the code with the given lengths (0: symbol unused),
// with a root table of at most rootBits bits. Like compress/flate, it
// refuses a code that is over-subscribed, or incomplete but for a single
// code of length 1; an empty code is accepted (decoding with it fails).
func (t *huffTable) build(lengths []uint8, rootBits uint) bool {
	var count [maxCodeLen + 1]uint16
	maxLen := uint(0)
	for _, l := range lengths {
		count[l]++
		maxLen = max(maxLen, uint(l))
	}
	count[0] = 0
	code := 0
	var next [maxCodeLen + 2]int
	for l := 1; l <= int(maxLen); l++ {
		code = (code + int(count[l-1])) << 1
		next[l] = code
	}
	// code+count[maxLen] is the number of maxLen-bit sequences used.
	if used := code + int(count[maxLen]); maxLen > 0 && used != 1<<maxLen && !(used == 1 && maxLen == 1) {
		return false
	}
	root := min(rootBits, max(maxLen, 1))
	size := 1 << root
	if cap(t.entries) < size {
		t.entries = make([]uint32, size, 2*size)
	}
	t.entries = t.entries[:size]
	clear(t.entries)
	t.root, t.mask = root, uint64(size-1)
	if maxLen == 0 {
		return true
	}
	// Symbols in code order: by length, then by symbol.
	var offs [maxCodeLen + 2]uint16
	for l := 1; l <= int(maxLen); l++ {
		offs[l+1] = offs[l] + count[l]
	}
	var sorted [maxLitCodes + 2]uint16
	for s, l := range lengths {
		if l != 0 {
			sorted[offs[l]] = uint16(s)
			offs[l]++
		}
	}
	n := int(offs[maxLen])
	left := count // codes of each length longer than the root not placed yet
	linkPrefix := -1
	var linkOff, linkBits uint
	for _, s := range sorted[:n] {
		l := uint(lengths[s])
		c := next[l]
		next[l]++
		rev := uint(bits.Reverse16(uint16(c))) >> (16 - l)
		if l <= root {
			e := uint32(s)<<16 | uint32(l)
			for i := rev; i < uint(size); i += 1 << l {
				t.entries[i] = e
			}
			continue
		}
		// A code longer than the root: in the second-level table of its
		// first root bits, made when the first code with them comes (codes
		// sharing a prefix are consecutive in code order), as large as the
		// codes left to place, this one included, need (as zlib's
		// inflate_table does: the code is complete).
		if prefix := int(rev & uint(t.mask)); prefix != linkPrefix {
			linkPrefix = prefix
			linkBits = l - root
			room := 1 << linkBits
			for linkBits+root < maxLen {
				room -= int(left[linkBits+root])
				if room <= 0 {
					break
				}
				linkBits++
				room <<= 1
			}
			linkOff = uint(len(t.entries))
			end := int(linkOff) + 1<<linkBits
			if cap(t.entries) < end {
				t.entries = append(t.entries[:cap(t.entries)], make([]uint32, end-cap(t.entries))...)
			}
			t.entries = t.entries[:end]
			clear(t.entries[linkOff:])
			t.entries[prefix] = uint32(linkOff)<<16 | linkFlag | uint32(linkBits)<<4
		}
		e := uint32(s)<<16 | uint32(l-root)
		for i := rev >> root; i < 1<<linkBits; i += 1 << (l - root) {
			t.entries[linkOff+i] = e
		}
		left[l]--
	}
	return true
}

// fixedTables are the codes of RFC 1951, 3.2.6.
var fixedTables = sync.OnceValue(func() *[2]huffTable {
	var lens [288]uint8
	for i := range lens {
		switch {
		case i < 144:
			lens[i] = 8
		case i < 256:
			lens[i] = 9
		case i < 280:
			lens[i] = 7
		default:
			lens[i] = 8
		}
	}
	var t [2]huffTable
	t[0].build(lens[:], litRootBits)
	var dl [32]uint8
	for i := range dl {
		dl[i] = 5
	}
	t[1].build(dl[:], distRootBits)
	return &t
})

var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint32{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	clenOrder   = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

// bitReader reads a byte slice least significant bit first, up to 64 bits
// at a time. Past the end of src it reads zeros, and counts them in pos:
// consumed tells whether any were used.
type bitReader struct {
	src  []byte
	pos  int    // next byte of src to load (may pass len(src))
	bits uint64 // loaded bits, the next one lowest
	nb   uint   // how many of bits are loaded
}

// refill loads bytes until at least 56 bits are loaded.
func (br *bitReader) refill() {
	if br.pos+8 <= len(br.src) {
		br.bits |= binary.LittleEndian.Uint64(br.src[br.pos:]) << br.nb
		k := (63 - br.nb) >> 3
		br.pos += int(k)
		br.nb += k << 3
		return
	}
	for br.nb <= 56 {
		if br.pos < len(br.src) {
			br.bits |= uint64(br.src[br.pos]) << br.nb
		}
		br.pos++
		br.nb += 8
	}
}

// alignedPos drops the bits up to the next byte boundary and returns the
// position in src of the next unread byte; the bit buffer is emptied.
func (br *bitReader) alignedPos() int {
	p := br.pos - int(br.nb>>3)
	br.bits, br.nb = 0, 0
	br.pos = p
	return p
}

// inflate decompresses the zlib stream at the start of src (which may go
// on past the stream's end) into dst, which it fills exactly.
func (f *inflater) inflate(dst, src []byte) error {
	if len(src) < 2 {
		return errInflateTrunc
	}
	cmf, flg := src[0], src[1]
	if cmf&0x0f != 8 || cmf>>4 > 7 || (uint(cmf)<<8|uint(flg))%31 != 0 {
		return errInflateHeader
	}
	if flg&0x20 != 0 {
		return errInflateDict
	}
	br := bitReader{src: src, pos: 2}
	o := 0
	for final := false; !final; {
		if br.nb < 3 {
			br.refill()
		}
		if br.pos-int(br.nb>>3) > len(src) {
			return errInflateTrunc
		}
		final = br.bits&1 != 0
		typ := br.bits >> 1 & 3
		br.bits >>= 3
		br.nb -= 3
		var err error
		switch typ {
		case 0:
			o, err = f.stored(&br, dst, o)
		case 1:
			t := fixedTables()
			o, err = f.codes(&br, dst, o, &t[0], &t[1])
		case 2:
			if err = f.dynamic(&br); err == nil {
				o, err = f.codes(&br, dst, o, &f.lit, &f.dist)
			}
		default:
			err = errInflateCorrupt
		}
		if err != nil {
			if br.pos-int(br.nb>>3) > len(src) {
				return errInflateTrunc // the error came of reading zeros past the end
			}
			return err
		}
	}
	p := br.alignedPos()
	if p > len(src) {
		return errInflateTrunc
	}
	if o != len(dst) {
		return errInflateShort
	}
	if len(src)-p < 4 {
		return errInflateTrunc
	}
	if binary.BigEndian.Uint32(src[p:]) != adler32.Checksum(dst) {
		return errInflateChecksum
	}
	return nil
}

// stored copies a stored block.
func (f *inflater) stored(br *bitReader, dst []byte, o int) (int, error) {
	p := br.alignedPos()
	if p+4 > len(br.src) {
		return o, errInflateTrunc
	}
	n := int(binary.LittleEndian.Uint16(br.src[p:]))
	if binary.LittleEndian.Uint16(br.src[p+2:]) != ^uint16(n) {
		return o, errInflateCorrupt
	}
	p += 4
	if p+n > len(br.src) {
		return o, errInflateTrunc
	}
	if o+n > len(dst) {
		return o, errInflateLong
	}
	copy(dst[o:], br.src[p:p+n])
	br.pos = p + n
	return o + n, nil
}

// dynamic reads the codes of a dynamic block into f.lit and f.dist.
func (f *inflater) dynamic(br *bitReader) error {
	br.refill()
	nlit := int(br.bits&0x1f) + 257
	ndist := int(br.bits>>5&0x1f) + 1
	nclen := int(br.bits>>10&0xf) + 4
	br.bits >>= 14
	br.nb -= 14
	if nlit > maxLitCodes || ndist > maxDistCodes {
		return errInflateCorrupt
	}
	var cl [19]uint8
	for i := range nclen {
		if br.nb < 3 {
			br.refill()
		}
		cl[clenOrder[i]] = uint8(br.bits & 7)
		br.bits >>= 3
		br.nb -= 3
	}
	if !f.clen.build(cl[:], clenRootBits) {
		return errInflateCorrupt
	}
	lens := f.lens[:nlit+ndist]
	for i := 0; i < len(lens); {
		if br.nb < 7+7 {
			br.refill()
		}
		e := f.clen.entries[br.bits&f.clen.mask] // the code is at most 7 bits: no links
		l := uint(e & 15)
		if l == 0 {
			return errInflateCorrupt
		}
		br.bits >>= l
		br.nb -= l
		sym := e >> 16
		if sym < 16 {
			lens[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var v uint8
		switch sym {
		case 16:
			if i == 0 {
				return errInflateCorrupt
			}
			rep, v = 3+int(br.bits&3), lens[i-1]
			br.bits >>= 2
			br.nb -= 2
		case 17:
			rep = 3 + int(br.bits&7)
			br.bits >>= 3
			br.nb -= 3
		default:
			rep = 11 + int(br.bits&0x7f)
			br.bits >>= 7
			br.nb -= 7
		}
		if i+rep > len(lens) {
			return errInflateCorrupt
		}
		for range rep {
			lens[i] = v
			i++
		}
	}
	if !f.lit.build(lens[:nlit], litRootBits) || !f.dist.build(lens[nlit:], distRootBits) {
		return errInflateCorrupt
	}
	return nil
}

// decode returns the next symbol of t's code and how many bits its code
// has (0: no code starts with the bits read). At least 15 bits must be
// loaded.
func (t *huffTable) decode(b uint64) (sym uint32, n uint) {
	e := t.entries[b&t.mask]
	if e&linkFlag != 0 {
		sub := uint64(1)<<(e>>4&15) - 1
		e = t.entries[uint64(e>>16)+(b>>t.root&sub)]
		if e == 0 {
			return 0, 0
		}
		return e >> 16, t.root + uint(e&15)
	}
	return e >> 16, uint(e & 15)
}

// codes decodes the symbols of a compressed block into dst from o.
func (f *inflater) codes(br *bitReader, dst []byte, o int, lit, dist *huffTable) (int, error) {
	for {
		// 48 bits: a length code and its extra bits (15+5), a distance
		// code and its extra bits (15+13).
		if br.nb < 48 {
			br.refill()
		}
		sym, n := lit.decode(br.bits)
		if n == 0 {
			return o, errInflateCorrupt
		}
		br.bits >>= n
		br.nb -= n
		if sym < endOfBlock {
			if o >= len(dst) {
				return o, errInflateLong
			}
			dst[o] = byte(sym)
			o++
			continue
		}
		if sym == endOfBlock {
			return o, nil
		}
		sym -= endOfBlock + 1
		if sym >= uint32(len(lengthBase)) {
			return o, errInflateCorrupt
		}
		x := uint(lengthExtra[sym])
		length := int(lengthBase[sym]) + int(br.bits&(1<<x-1))
		br.bits >>= x
		br.nb -= x
		dsym, n := dist.decode(br.bits)
		if n == 0 || dsym >= uint32(len(distBase)) {
			return o, errInflateCorrupt
		}
		br.bits >>= n
		br.nb -= n
		x = uint(distExtra[dsym])
		d := int(distBase[dsym]) + int(br.bits&(1<<x-1))
		br.bits >>= x
		br.nb -= x
		if d > o {
			return o, errInflateCorrupt
		}
		if length > len(dst)-o {
			return o, errInflateLong
		}
		// Copy from d bytes back; where the two overlap, the copied part
		// doubles at each step (it repeats with period d).
		from, end := o-d, o+length
		for o < end {
			o += copy(dst[o:end], dst[from:o])
		}
	}
}

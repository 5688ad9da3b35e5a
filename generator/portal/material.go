package portal

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clause-portal/clause/generator/history"
	"github.com/clause-portal/clause/generator/markdown"
)

// Materiality: one rule, computed once by Load, which the pages, the
// feeds, the API and clause notify all read from Version.Material.
//
//   - A version whose commit message says "Change-Type: minor" is minor.
//   - A version whose commit message says "Change-Type: material" is
//     material, whatever its text.
//   - Any other version is material, unless it is LayoutOnly: its redline
//     against its predecessor has no textual change (a re-wrap, a change of
//     markup), no front matter a reader sees changed (title, effective
//     date, notice period) and no sub-processor changed. Such a version is
//     archived and listed, as "No textual change (layout only)", and never
//     notified.
//
// The first version of a document is always material unless marked minor.

// settleVersions sets what Load computes of every version from the texts
// and dates of its document: Material, LayoutOnly and SharesDay.
func (c *Catalog) settleVersions() error {
	for _, e := range c.Entries {
		c.markSharedDays(e)
		for i, v := range e.Versions {
			layout, err := c.layoutOnly(e, i)
			if err != nil {
				return err
			}
			v.LayoutOnly = layout
			switch v.ChangeType() {
			case history.ChangeTypeMaterial:
				v.Material = true
			case history.ChangeTypeMinor:
				v.Material = false
			default:
				v.Material = !layout
			}
		}
	}
	return nil
}

// markSharedDays sets SharesDay on the versions of e published on a day
// (in the portal's time zone) on which another one was, and sharesMinute
// on those published in the same minute as another.
func (c *Catalog) markSharedDays(e *Entry) {
	// A day, or a minute of it (minute -1 for the day itself), in the
	// portal's time zone: compared as numbers, not formatted (done for
	// every version of every load).
	type when struct{ year, yearDay, minute int }
	whens := make([]when, len(e.Versions))
	seen := make(map[when]int, 2*len(e.Versions))
	for i, v := range e.Versions {
		t := v.Date.In(c.Config.Location)
		h, m, _ := t.Clock()
		whens[i] = when{t.Year(), t.YearDay(), 60*h + m}
		seen[whens[i]]++
		seen[when{t.Year(), t.YearDay(), -1}]++
	}
	for i, v := range e.Versions {
		w := whens[i]
		v.sharesMinute = seen[w] > 1
		w.minute = -1
		v.SharesDay = seen[w] > 1
	}
}

// layoutOnly reports whether version i of e changes only the layout of
// its predecessor's text (see Version.LayoutOnly). The letters prints of
// the two texts, read with the history, are compared first: only when
// they are the same (rare: a re-wrap, a change of markup or of a number)
// are the texts parsed and redlined, so that a long history is not
// parsed at every load (clause log) nor redlined twice by a build.
func (c *Catalog) layoutOnly(e *Entry, i int) (bool, error) {
	if i+1 >= len(e.Versions) {
		return false, nil
	}
	v, prev := e.Versions[i], e.Versions[i+1]
	if v.TooLarge() || prev.TooLarge() || v.SHA256 == prev.SHA256 {
		return false, nil
	}
	if v.letters != "" && prev.letters != "" && v.letters != prev.letters {
		return false, nil
	}
	for _, x := range []*Version{v, prev} {
		if _, notShown, err := c.parseVersion(e, x); err != nil {
			return false, err
		} else if notShown {
			return false, nil
		}
	}
	a, err := c.VersionSide(e, prev)
	if err != nil {
		return false, err
	}
	b, err := c.VersionSide(e, v)
	if err != nil {
		return false, err
	}
	if !sameWords(a.blockList(), b.blockList()) {
		return false, nil
	}
	cmp := Compare(a, b)
	// No word changed: the same blocks, or the same words divided into
	// paragraphs differently (re-paragraphed).
	if !(cmp.Identical() || cmp.LayoutOnly()) || !cmp.SourceChanged || len(cmp.Metadata) > 0 {
		return false, nil
	}
	h, err := c.Register(e)
	if err != nil {
		return false, err
	}
	return h == nil || h.Changes[i].Empty(), nil
}

// lettersPrint is a hash of the letters of a markdown body in order,
// leaving out what a reader does not read as words: markup, digits,
// punctuation, white space, HTML tags and comments, character references,
// link destinations and reference labels (and reference definitions).
// Two texts whose redline has no textual change have the same print (a
// layout-only version keeps its letters); the converse does not hold, and
// layoutOnly checks it with a redline. It reads the body once, without
// parsing it: it is computed for every version while history is read.
func lettersPrint(body []byte) string {
	var p letterHash
	skipTo := func(i int, end string) int {
		if j := bytes.Index(body[i:], []byte(end)); j >= 0 {
			return i + j + len(end)
		}
		return len(body)
	}
	for i := 0; i < len(body); {
		// At the start of a line.
		j := i
		for j < len(body) && (body[j] == ' ' || body[j] == '\t') {
			j++
		}
		if j < len(body) && body[j] == '[' {
			end := len(body)
			if k := bytes.IndexByte(body[j:], '\n'); k >= 0 {
				end = j + k
			}
			if bytes.Contains(body[j:end], []byte("]:")) {
				i = end // a reference definition: [label]: destination
				continue
			}
		}
		// The rest of the line: runs of ASCII letters and other plain
		// bytes, the letters gathered without a branch, between the bytes
		// that may start something skipped.
		for i < len(body) {
			i += p.gather(body[i:])
			if i >= len(body) {
				break
			}
			c := body[i]
			next := byte(0)
			if i+1 < len(body) {
				next = body[i+1]
			}
			if c == '\n' {
				i++
				break // a new line
			}
			switch {
			case c == '<' && bytes.HasPrefix(body[i:], []byte("<!--")):
				i = skipTo(i, "-->")
			case c == '<' && (next == '/' || next < utf8.RuneSelf && unicode.IsLetter(rune(next))):
				i = skipTo(i, ">") // an HTML tag or an autolink
			case c == '&' && entity.Match(body[i:min(len(body), i+34)]):
				i += len(entity.Find(body[i:min(len(body), i+34)]))
			case c == ']' && next == '(':
				i = skipTo(i, ")") // a link's destination
			case c == ']' && next == '[':
				i = skipTo(i+1, "]") // a reference label
			case c < utf8.RuneSelf:
				i++
			default:
				r, size := utf8.DecodeRune(body[i:])
				if unicode.IsLetter(r) {
					p.add(body[i : i+size])
				}
				i += size
			}
		}
	}
	return p.sum()
}

// letterHash hashes the letters lettersPrint finds, as one sequence of
// bytes: it gathers them into a buffer and hashes each full buffer 8 bytes
// at a time, in four independent lanes, so that the print is a function of
// the sequence alone, however it was gathered.
type letterHash struct {
	buf   [letterBuf]byte
	n     int // bytes in buf
	total uint64
	lanes [4]uint64
	begun bool
}

// letterBuf is the size of letterHash's buffer: a power of two, so that an
// index masked to a byte needs no bounds check.
const letterBuf = 256

// gather adds the ASCII letters of text up to its first byte that is
// special to lettersPrint (asciiSpecial), skipping the other bytes, and
// returns how many bytes it read.
func (p *letterHash) gather(text []byte) int {
	read := 0
	for len(text) > 0 {
		// At most as many bytes as the buffer has room for: each adds one
		// letter or none.
		chunk := text[:min(len(text), letterBuf-p.n)]
		n := p.n
		k := 0
		for ; k < len(chunk); k++ {
			c := chunk[k]
			cls := asciiClass[c]
			if cls == asciiSpecial {
				break
			}
			p.buf[uint8(n)] = c
			n += int(cls) // asciiLetter is 1, asciiOther 0
		}
		p.n = n
		read += k
		if p.n == letterBuf {
			p.flush()
		}
		if k < len(chunk) {
			break
		}
		text = text[k:]
	}
	return read
}

// add adds the bytes of a letter.
func (p *letterHash) add(b []byte) {
	for _, c := range b {
		p.buf[uint8(p.n)] = c
		p.n++
		if p.n == letterBuf {
			p.flush()
		}
	}
}

// Constants of letterHash: the offset basis and prime of 64-bit FNV-1a, and
// a rotation that carries the high bits of each product down.
const (
	letterOffset = 14695981039346656037
	letterPrime  = 1099511628211
	letterRotate = 29
)

// flush hashes the whole buffer.
func (p *letterHash) flush() {
	if !p.begun {
		p.lanes = [4]uint64{letterOffset, letterOffset ^ 1, letterOffset ^ 2, letterOffset ^ 3}
		p.begun = true
	}
	l0, l1, l2, l3 := p.lanes[0], p.lanes[1], p.lanes[2], p.lanes[3]
	for b := p.buf[:]; len(b) >= 32; b = b[32:] {
		l0 = bits.RotateLeft64((l0^binary.LittleEndian.Uint64(b))*letterPrime, letterRotate)
		l1 = bits.RotateLeft64((l1^binary.LittleEndian.Uint64(b[8:]))*letterPrime, letterRotate)
		l2 = bits.RotateLeft64((l2^binary.LittleEndian.Uint64(b[16:]))*letterPrime, letterRotate)
		l3 = bits.RotateLeft64((l3^binary.LittleEndian.Uint64(b[24:]))*letterPrime, letterRotate)
	}
	p.lanes = [4]uint64{l0, l1, l2, l3}
	p.total += letterBuf
	p.n = 0
}

// sum returns the print: the lanes and what is left in the buffer, with the
// number of letter bytes, mixed into one hex number.
func (p *letterHash) sum() string {
	if !p.begun {
		p.lanes = [4]uint64{letterOffset, letterOffset ^ 1, letterOffset ^ 2, letterOffset ^ 3}
	}
	h := uint64(letterOffset)
	for _, l := range p.lanes {
		h = bits.RotateLeft64((h^l)*letterPrime, letterRotate)
	}
	for _, c := range p.buf[:p.n] {
		h = (h ^ uint64(c)) * letterPrime
	}
	h = bits.RotateLeft64((h^(p.total+uint64(p.n)))*letterPrime, letterRotate)
	// A final mix (the finaliser of MurmurHash3), so that every bit of
	// the print depends on every letter.
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return strconv.FormatUint(h, 16)
}

// asciiClass sorts the bytes lettersPrint reads: ASCII letters, the bytes
// that may start what it skips (and the newline, and every byte of a
// multi-byte rune), and the others.
var asciiClass = func() (t [256]byte) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = asciiLetter, asciiLetter
	}
	for _, c := range "\n<&]" {
		t[c] = asciiSpecial
	}
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = asciiSpecial
	}
	return t
}()

const (
	asciiOther = iota
	asciiLetter
	asciiSpecial
)

// entity is a character reference at the start of a text.
var entity = regexp.MustCompile(`^&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});`)

// sameWords reports whether two texts have the same words in the same
// order, whatever their blocks: a redline with no textual change has.
func sameWords(a, b []markdown.Block) bool {
	words := func(bs []markdown.Block) []string {
		var out []string
		for _, bl := range bs {
			out = append(out, strings.Fields(bl.Text)...)
		}
		return out
	}
	wa, wb := words(a), words(b)
	if len(wa) != len(wb) {
		return false
	}
	for k := range wa {
		if wa[k] != wb[k] {
			return false
		}
	}
	return true
}

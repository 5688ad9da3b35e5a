package history

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// zlibInflate is the oracle: what compress/zlib makes of src read to the
// end of the stream into n bytes, as packSet.inflate read objects before
// it had an inflater of its own.
func zlibInflate(src []byte, n int) ([]byte, bool) {
	zr, err := zlib.NewReader(bytes.NewReader(src))
	if err != nil {
		return nil, false
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(zr, buf); err != nil {
		return nil, false
	}
	var one [1]byte
	if k, err := zr.Read(one[:]); k > 0 || err != io.EOF {
		return nil, false
	}
	return buf, true
}

// checkInflate inflates src into n bytes with f and with compress/zlib and
// fails unless both refuse it or both make the same bytes.
func checkInflate(t testing.TB, f *inflater, src []byte, n int, what string) (ok bool) {
	t.Helper()
	want, wantOK := zlibInflate(src, n)
	got := make([]byte, n)
	err := f.inflate(got, src)
	switch {
	case wantOK && err != nil:
		t.Fatalf("%s: compress/zlib reads the stream (%d bytes), the inflater says %v", what, n, err)
	case !wantOK && err == nil:
		t.Fatalf("%s: compress/zlib refuses the stream, the inflater reads %d bytes", what, n)
	case wantOK && !bytes.Equal(got, want):
		i := 0
		for i < n && got[i] == want[i] {
			i++
		}
		t.Fatalf("%s: the inflater's %d bytes differ from compress/zlib's from byte %d", what, n, i)
	}
	return wantOK
}

func compress(tb testing.TB, data []byte, level int) []byte {
	var b bytes.Buffer
	zw, err := zlib.NewWriterLevel(&b, level)
	if err != nil {
		tb.Fatal(err)
	}
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

// inflateSamples are texts that make every kind of block: stored, fixed and
// dynamic codes, long matches, overlapping copies, codes of 15 bits (a
// skewed distribution over many symbols), empty and large objects.
func inflateSamples() map[string][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 70000)
	for i := range random {
		random[i] = byte(r.IntN(256))
	}
	skewed := make([]byte, 200000)
	for i := range skewed {
		// Symbol k with probability about 2^-(k+1): code lengths up to
		// the limit of 15 bits.
		k := 0
		for k < 255 && r.IntN(2) == 0 {
			k++
		}
		skewed[i] = byte(k)
	}
	var words bytes.Buffer
	vocab := []string{"controller", "processor", "personal data", "sub-processor", "shall", "the", "of", "and", "Article 28", "GDPR", "\n\n## ", "notice", "30 days", "object"}
	for words.Len() < 300000 {
		words.WriteString(vocab[r.IntN(len(vocab))])
		words.WriteByte(" .,;\n"[r.IntN(5)])
	}
	return map[string][]byte{
		"empty":    nil,
		"one":      []byte("x"),
		"short":    []byte("# Privacy policy\n\nWe process personal data.\n"),
		"repeat":   bytes.Repeat([]byte("a"), 100000),
		"period3":  bytes.Repeat([]byte("abc"), 40000),
		"random":   random,
		"skewed":   skewed,
		"words":    words.Bytes(),
		"wordsBig": bytes.Repeat(words.Bytes(), 4),
	}
}

// TestInflateMatchesZlib: every sample at every compression level, and
// damaged copies of each stream (a flipped byte, a cut, a wrong size),
// read the same by the inflater and by compress/zlib.
func TestInflateMatchesZlib(t *testing.T) {
	var f inflater
	r := rand.New(rand.NewPCG(3, 4))
	for name, data := range inflateSamples() {
		for level := zlib.HuffmanOnly; level <= zlib.BestCompression; level++ {
			src := compress(t, data, level)
			what := fmt.Sprintf("%s at level %d", name, level)
			if !checkInflate(t, &f, src, len(data), what) {
				t.Fatalf("%s: compress/zlib does not read its own stream", what)
			}
			// The stream followed by other bytes, as in a pack.
			checkInflate(t, &f, append(append([]byte{}, src...), 1, 2, 3, 4, 5, 6, 7, 8, 9), len(data), what+" in a pack")
			checkInflate(t, &f, src, len(data)+1, what+" size+1")
			if len(data) > 0 {
				checkInflate(t, &f, src, len(data)-1, what+" size-1")
			}
			for _, cut := range []int{0, 1, 2, len(src) / 2, len(src) - 5, len(src) - 4, len(src) - 1} {
				if cut >= 0 && cut < len(src) {
					checkInflate(t, &f, src[:cut], len(data), what+" cut")
				}
			}
			for range 40 {
				bad := append([]byte{}, src...)
				bad[r.IntN(len(bad))] ^= byte(1 + r.IntN(255))
				checkInflate(t, &f, bad, len(data), what+" damaged")
			}
		}
	}
}

// TestInflateRefuses names the streams compress/zlib refuses and checks
// that the inflater gives the reason.
func TestInflateRefuses(t *testing.T) {
	text := []byte("# Data Processing Agreement\n\nThe processor shall process personal data only on documented instructions.\n")
	src := compress(t, text, zlib.BestCompression)
	badSum := append([]byte{}, src...)
	badSum[len(badSum)-1] ^= 1
	dict := []byte{0x78, 0xbb} // FDICT set; (0x78<<8|0xbb)%31 == 0
	for _, c := range []struct {
		name string
		src  []byte
		n    int
		want error
	}{
		{"checksum", badSum, len(text), errInflateChecksum},
		{"longer", src, len(text) - 1, errInflateLong},
		{"shorter", src, len(text) + 1, errInflateShort},
		{"truncated", src[:len(src)-2], len(text), errInflateTrunc},
		{"truncated data", src[:len(src)/2], len(text), errInflateTrunc},
		{"header", append([]byte{0x79}, src[1:]...), len(text), errInflateHeader},
		{"dictionary", append(dict, src[2:]...), len(text), errInflateDict},
		{"no header", src[:1], len(text), errInflateTrunc},
	} {
		if _, ok := zlibInflate(c.src, c.n); ok {
			t.Fatalf("%s: compress/zlib reads it: not a refused stream", c.name)
		}
		var f inflater
		if err := f.inflate(make([]byte, c.n), c.src); err != c.want {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// TestInflateReadsGitPacks inflates every object of the packs git writes
// (C zlib's streams: the ones Clause reads) of a corpus repository, as
// packSet.inflate does, and compares with compress/zlib.
func TestInflateReadsGitPacks(t *testing.T) {
	requireGit(t)
	bundle, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpora", "retool-legal.bundle"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bundle); err != nil {
		t.Fatalf("corpus: %v (the corpora are in ../shared/corpora beside the checkout)", err)
	}
	dir := filepath.Join(t.TempDir(), "repo")
	if out, err := exec.Command("git", "clone", "-q", bundle, dir).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	runGit(t, dir, gitEnv(), "repack", "-adq", "--window=50", "--depth=50")
	idxs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	if len(idxs) != 1 {
		t.Fatalf("%d pack indexes after git repack -ad, want 1", len(idxs))
	}
	p, err := openPack(idxs[0], idxs[0][:len(idxs[0])-len(".idx")]+".pack")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, c := range p.close {
			c()
		}
	}()
	var f inflater
	offsets := idxHashes + p.count*(hashSize+4)
	deltas := 0
	for i := range p.count {
		off := int64(binary.BigEndian.Uint32(p.idx[offsets+4*i:]))
		e, err := p.entry(off)
		if err != nil {
			t.Fatal(err)
		}
		if e.typ == plumbing.OFSDeltaObject || e.typ == plumbing.REFDeltaObject {
			deltas++
		}
		src := p.data[e.content : len(p.data)-hashSize]
		if !checkInflate(t, &f, src, int(e.size), fmt.Sprintf("object at offset %d", off)) {
			t.Fatalf("compress/zlib cannot read the object at offset %d", off)
		}
	}
	if p.count < 500 || deltas < 100 {
		t.Fatalf("%d objects, %d deltas: not the pack this test expects", p.count, deltas)
	}
}

// FuzzInflate compresses the fuzzer's data, damages the stream as told
// and compares the inflater with compress/zlib.
func FuzzInflate(f *testing.F) {
	for _, data := range inflateSamples() {
		if len(data) < 5000 {
			f.Add(data, int8(6), uint32(0), uint8(0), int8(0))
		}
	}
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabcabcabc"), int8(9), uint32(7), uint8(0x10), int8(0))
	f.Add([]byte("stored block"), int8(0), uint32(3), uint8(1), int8(0))
	f.Add([]byte("fixed"), int8(1), uint32(2), uint8(0x80), int8(1))
	var inf inflater
	f.Fuzz(func(t *testing.T, data []byte, level int8, at uint32, flip uint8, delta int8) {
		lv := int(uint8(level))%12 - 2 // zlib.HuffmanOnly (-2) to zlib.BestCompression (9)
		src := compress(t, data, lv)
		if flip != 0 {
			src[int(at%uint32(len(src)))] ^= flip
		}
		n := max(0, len(data)+int(delta))
		checkInflate(t, &inf, src, n, "fuzz")
		// The raw bytes as a stream of their own, with a header.
		raw := append([]byte{0x78, 0x9c}, data...)
		checkInflate(t, &inf, raw, n, "raw")
	})
}

// BenchmarkInflate inflates the objects of a pack-like mix: small trees
// and commits, deltas and whole texts, with each decoder.
func BenchmarkInflate(b *testing.B) {
	samples := inflateSamples()
	var objs [][]byte
	var sizes []int
	for _, name := range []string{"short", "words", "one", "period3"} {
		data := samples[name]
		for _, cut := range []int{40, 300, 3000, 30000} {
			d := data[:min(cut, len(data))]
			objs = append(objs, compress(b, d, zlib.DefaultCompression))
			sizes = append(sizes, len(d))
		}
	}
	b.Run("inflater", func(b *testing.B) {
		var f inflater
		bufs := make([][]byte, len(sizes))
		for i, n := range sizes {
			bufs[i] = make([]byte, n)
		}
		for b.Loop() {
			for i, src := range objs {
				if err := f.inflate(bufs[i], src); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("zlib", func(b *testing.B) {
		for b.Loop() {
			for i, src := range objs {
				if _, ok := zlibInflate(src, sizes[i]); !ok {
					b.Fatal("zlib")
				}
			}
		}
	})
}

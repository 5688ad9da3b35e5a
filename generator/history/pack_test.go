package history

import (
	"bytes"
	"compress/zlib"
	"runtime"

	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestPackReaderReadsEveryObject reads every object of a generated
// repository, repacked with offset deltas and then with deltas that name
// their base by hash, through the objectStore's own pack reader. The oracle
// is git's object naming: the SHA-1 of each object's type and content must
// be its name.
func TestPackReaderReadsEveryObject(t *testing.T) {
	for _, tc := range []struct {
		name   string
		repack []string
		delta  plumbing.ObjectType
	}{
		{"offset deltas", []string{"repack", "-adfq", "--depth=50", "--window=50"}, plumbing.OFSDeltaObject},
		{"reference deltas", []string{"-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq"}, plumbing.REFDeltaObject},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := &gitRepo{tb: t, dir: t.TempDir()}
			generateHistory(t, g.dir, 150, 20, 3)
			g.git(tc.repack...)
			list := strings.Fields(g.git("cat-file", "--batch-all-objects", "--batch-check=%(objectname)"))
			if len(list) < 300 {
				t.Fatalf("only %d objects", len(list))
			}
			r := openRepo(t, g.dir)
			// A small cache, so that delta chains are followed to the base.
			s := newObjectStore(r, r.st.Filesystem(), 64<<10)
			defer s.Close()
			if len(s.packs.packs) != 1 {
				t.Fatalf("pack reader opened %d packs, want 1", len(s.packs.packs))
			}
			deltas := 0
			for _, name := range list {
				h := plumbing.NewHash(name)
				e, ok, err := s.packs.find(h)
				if err != nil || !ok {
					t.Fatalf("%s: not found in the pack (%v)", name, err)
				}
				if e.typ == tc.delta {
					deltas++
				}
				typ, data, err := s.read(plumbing.AnyObject, h)
				if err != nil {
					t.Fatal(err)
				}
				if got := plumbing.ComputeHash(typ, data); got != h {
					t.Fatalf("%s: read a %s whose hash is %s", name, typ, got)
				}
			}
			if deltas == 0 {
				t.Fatalf("the pack has no %s: the test tests nothing", tc.delta)
			}
		})
	}
}

func TestPackFindMissingObject(t *testing.T) {
	g := newGitRepo(t)
	g.write("content/dpa.md", text("DPA", 3, nil))
	g.commit("2024-01-01T00:00:00Z", "Add the DPA")
	g.git("repack", "-adq")
	r := openRepo(t, g.dir)
	for _, name := range []string{"0000000000000000000000000000000000000000", "ffffffffffffffffffffffffffffffffffffffff",
		"7f00000000000000000000000000000000000000"} {
		if _, ok, err := r.objects.packs.find(plumbing.NewHash(name)); ok || err != nil {
			t.Errorf("%s: found %v, error %v", name, ok, err)
		}
	}
	if _, err := r.Blob("7f00000000000000000000000000000000000000"); err == nil {
		t.Error("reading a missing blob succeeded")
	}
}

// delta builds a git delta from base size, target size and instructions.
func delta(src, dst int, ops ...[]byte) []byte {
	size := func(n int) []byte {
		var b []byte
		for {
			c := byte(n & 0x7f)
			n >>= 7
			if n == 0 {
				return append(b, c)
			}
			b = append(b, c|0x80)
		}
	}
	d := append(size(src), size(dst)...)
	for _, op := range ops {
		d = append(d, op...)
	}
	return d
}

func TestApplyDelta(t *testing.T) {
	base := []byte("The processor shall process personal data.")
	// Copy "The processor shall " (offset 0, 20 bytes), insert "only ",
	// copy "process personal data." (offset 20, 22 bytes).
	d := delta(len(base), 47, []byte{0x90, 20}, append([]byte{5}, "only "...), []byte{0x91, 20, 22})
	got, err := applyDelta(nil, base, d)
	if err != nil {
		t.Fatal(err)
	}
	if want := "The processor shall only process personal data."; string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if n := deltaTargetSize(d); n != 47 {
		t.Errorf("deltaTargetSize %d, want 47", n)
	}
	// A copy of size 0 means 0x10000 bytes.
	big := bytes.Repeat([]byte("x"), 0x10000)
	if got, err := applyDelta(nil, big, delta(len(big), len(big), []byte{0x80})); err != nil || !bytes.Equal(got, big) {
		t.Errorf("copy of 0x10000 bytes: %d bytes, %v", len(got), err)
	}
	// An empty base.
	if got, err := applyDelta(nil, nil, delta(0, 3, append([]byte{3}, "abc"...))); err != nil || string(got) != "abc" {
		t.Errorf("delta of an empty base: %q, %v", got, err)
	}
}

func TestApplyDeltaRejectsCorruptDeltas(t *testing.T) {
	base := []byte("0123456789")
	for name, d := range map[string][]byte{
		"empty":             nil,
		"base size":         delta(9, 10, []byte{0x90, 10}),
		"target too short":  delta(10, 11, []byte{0x90, 10}),
		"target too long":   delta(10, 5, []byte{0x90, 10}),
		"copy past base":    delta(10, 10, []byte{0x91, 5, 10}),
		"truncated copy":    delta(10, 10, []byte{0x91, 5}),
		"truncated insert":  delta(10, 5, []byte{5, 'a', 'b'}),
		"reserved opcode 0": delta(10, 10, []byte{0}),
		"insert past size":  delta(10, 1, append([]byte{2}, "ab"...)),
		// Two instruction bytes make at most 0x20000 bytes.
		"target beyond its instructions": delta(10, 1<<20, []byte{0x90, 10}),
	} {
		if got, err := applyDelta(nil, base, d); err == nil {
			t.Errorf("%s: applied, giving %q", name, got)
		}
	}
}

func FuzzApplyDelta(f *testing.F) {
	f.Add([]byte("0123456789"), delta(10, 12, []byte{0x90, 10}, []byte{2, 'a', 'b'}))
	f.Add([]byte(""), delta(0, 1, []byte{1, 'a'}))
	f.Fuzz(func(t *testing.T, base, d []byte) {
		got, err := applyDelta(nil, base, d)
		if err == nil && len(got) != deltaTargetSize(d) {
			t.Fatalf("result of %d bytes, the delta says %d", len(got), deltaTargetSize(d))
		}
	})
}

// TestInflateRefusesSizeItsDataCannotHold: an object whose header claims
// more than its compressed bytes could inflate to (DEFLATE's 1032:1) is
// corrupt, and no buffer of the claimed size is made for it.
func TestInflateRefusesSizeItsDataCannotHold(t *testing.T) {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte("a short text"))
	zw.Close()
	p := &pack{name: "test.pack", data: append(z.Bytes(), make([]byte, hashSize)...)}
	var ps packSet
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ps.inflate(packEntry{pack: p, offset: 12, size: 1 << 30}, nil)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "left in the pack") {
		t.Fatalf("a 1 GiB object in %d bytes: %v", z.Len(), err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("%d bytes allocated for an object refused", grew)
	}
	// A delta claiming a 1 GiB result from two instructions.
	runtime.ReadMemStats(&before)
	_, err = applyDelta(nil, []byte("0123456789"), delta(10, 1<<30, []byte{0x90, 10}))
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("a delta of two instructions making 1 GiB: applied")
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("%d bytes allocated for a delta refused", grew)
	}
	// The size it has is read.
	got, err := ps.inflate(packEntry{pack: p, offset: 12, size: int64(len("a short text"))}, nil)
	if err != nil || string(got) != "a short text" {
		t.Fatalf("%q, %v", got, err)
	}
}

package site

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMemo: a memo set in one build is read in the next (compressed on
// disk); one the next build did not use is gone after it; a damaged file
// is a miss and is removed.
func TestMemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pages")
	c, err := OpenPageCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	big := []byte(strings.Repeat("<p>The processor shall notify the controller without undue delay.</p>\n", 2000))
	keep, drop := [32]byte{1}, [32]byte{2}
	if err := c.SetMemo(keep, big); err != nil {
		t.Fatal(err)
	}
	if err := c.SetMemo(drop, append([]byte("another "), big...)); err != nil {
		t.Fatal(err)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	files := func() []string {
		var out []string
		filepath.WalkDir(filepath.Join(dir, memoFolder), func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				out = append(out, p)
			}
			return nil
		})
		return out
	}
	if n := len(files()); n != 2 {
		t.Fatalf("%d memo files, want 2", n)
	}
	for _, f := range files() {
		if fi, _ := os.Stat(f); fi.Size() > int64(len(big))/10 && fi.Size() > 100 {
			t.Errorf("%s: %d bytes for %d bytes of HTML: not compressed", f, fi.Size(), len(big))
		}
	}

	// The next build uses one of the two.
	c, err = OpenPageCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Memo(keep); !ok || !bytes.Equal(got, big) {
		t.Fatalf("Memo(keep) = %d bytes, %v; want the %d bytes set", len(got), ok, len(big))
	}
	if _, ok := c.Memo([32]byte{3}); ok {
		t.Error("a key never set was found")
	}
	// Files not named as the cache names its own go too: a copy of a
	// kept one under its name in capitals, and another name.
	for _, f := range files() {
		name := filepath.Base(f)
		for _, stray := range []string{strings.ToUpper(name), name + ".old", "x" + name[1:]} {
			if err := os.WriteFile(filepath.Join(filepath.Dir(f), stray), big, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	left := files()
	if len(left) != 1 {
		t.Fatalf("after a build that used one memo: %d files: %q", len(left), left)
	}

	// A damaged file is a miss, and removed.
	b, _ := os.ReadFile(left[0])
	b[len(b)/2] ^= 0xff
	os.WriteFile(left[0], b, 0o600)
	c, err = OpenPageCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Memo(keep); ok {
		t.Error("a damaged memo was used")
	}
	if _, err := os.Stat(left[0]); !os.IsNotExist(err) {
		t.Errorf("the damaged memo file is still there: %v", err)
	}
}

// TestKeepMemo: a value can be kept for the next build without being
// read, unless its file changed since it was stored; small values are
// stored as they are, and read back the same.
func TestKeepMemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pages")
	c, err := OpenPageCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	// a and b are stored as they are, in files; tiny in the index.
	a, b, tiny, gone := [32]byte{1}, [32]byte{2}, [32]byte{3}, [32]byte{4}
	value := func(k [32]byte) []byte {
		if k == tiny || k == gone {
			return []byte{'t', k[0]}
		}
		return append(bytes.Repeat([]byte("x"), memoInlineMax+100), k[0])
	}
	for _, k := range [][32]byte{a, b, tiny, gone} {
		if err := c.SetMemo(k, value(k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	memoFiles := func() map[string][]byte {
		out := map[string][]byte{}
		filepath.WalkDir(filepath.Join(dir, memoFolder), func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				out[p], _ = os.ReadFile(p)
			}
			return nil
		})
		return out
	}
	var bFile string
	for p, data := range memoFiles() {
		if bytes.Contains(data, value(b)) {
			bFile = p
		}
	}
	if n := len(memoFiles()); n != 2 || bFile == "" {
		t.Fatalf("%d memo files (want 2, the small values in the index), b's as it is: %q", n, bFile)
	}
	c, err = OpenPageCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !c.KeepMemo(a) || !c.KeepMemo(tiny) || c.KeepMemo([32]byte{9}) {
		t.Fatal("KeepMemo: a stored value not found, or one never stored found")
	}
	if got, ok := c.Memo(tiny); !ok || !bytes.Equal(got, value(tiny)) {
		t.Errorf("Memo(tiny) = %q, %v", got, ok)
	}
	// b's file is touched: not kept without reading it.
	future := time.Now().Add(time.Hour)
	os.Chtimes(bFile, future, future)
	if c.KeepMemo(b) {
		t.Error("KeepMemo kept a value whose file changed since it was stored")
	}
	if got, ok := c.Memo(b); !ok || !bytes.Equal(got, value(b)) {
		t.Errorf("Memo(b) = %d bytes, %v after its file was touched (same bytes)", len(got), ok)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c, err = OpenPageCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range [][32]byte{a, tiny} {
		if got, ok := c.Memo(k); !ok || !bytes.Equal(got, value(k)) {
			t.Errorf("a value kept by KeepMemo was dropped by Save: %q, %v", got, ok)
		}
	}
	if _, ok := c.Memo(gone); ok {
		t.Error("a small value no build used was kept")
	}
}

// A cache's index from the last build is read, and its size told; one
// damaged is an error the build can tell (the cache starts afresh).
func TestPageCacheIndexErrorAndSize(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pages")
	c, err := OpenPageCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.IndexError() != nil || c.IndexSize() != 0 {
		t.Errorf("a new cache: index error %v, size %d; want nil, 0", c.IndexError(), c.IndexSize())
	}
	if err := c.SetMemo([32]byte{1}, []byte("a value")); err != nil {
		t.Fatal(err)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	if c, err = OpenPageCache(dir); err != nil {
		t.Fatal(err)
	}
	if c.IndexError() != nil || c.IndexSize() != fi.Size() {
		t.Errorf("after a build: index error %v, size %d; want nil, %d", c.IndexError(), c.IndexSize(), fi.Size())
	}
	if _, ok := c.Memo([32]byte{1}); !ok {
		t.Error("the value set is not found")
	}
	b, _ := os.ReadFile(filepath.Join(dir, "index"))
	b[len(b)/2] ^= 1
	os.WriteFile(filepath.Join(dir, "index"), b, 0o600)
	if c, err = OpenPageCache(dir); err != nil {
		t.Fatal(err)
	}
	if c.IndexError() == nil || !strings.Contains(c.IndexError().Error(), "starts afresh") || c.IndexSize() != 0 {
		t.Errorf("a damaged index: error %v, size %d", c.IndexError(), c.IndexSize())
	}
	if _, ok := c.Memo([32]byte{1}); ok {
		t.Error("a value of the damaged index is found")
	}
}

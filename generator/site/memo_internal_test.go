package site

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if err := c.SetMemo(drop, []byte("short")); err != nil {
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
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	left := files()
	if len(left) != 1 {
		t.Fatalf("after a build that used one memo: %d files", len(left))
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

package site

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestFileSumKeptUnderTheFileIdentity checks FileSum against SHA-256 of the
// file's bytes while it keeps sums: a file unchanged is not read again; one
// appended to, or replaced by another of the same size and modification
// time, is; a file changed a moment ago is not kept; a cache folder others
// may write to is not used.
func TestFileSumKeptUnderTheFileIdentity(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("sums are kept on Linux only (the change time of a file)")
	}
	cache := filepath.Join(t.TempDir(), "clause")
	oldDir, oldSettle := sumCacheDir, settleTime
	sumCacheDir, settleTime = func() string { return cache }, -time.Second
	t.Cleanup(func() { sumCacheDir, settleTime = oldDir, oldSettle })

	dir := t.TempDir()
	name := filepath.Join(dir, "clause-render")
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(name, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what string, data []byte, read bool) {
		t.Helper()
		before := fileSumsRead.Load()
		got, err := FileSum(name)
		if err != nil {
			t.Fatal(err)
		}
		if got != sha256.Sum256(data) {
			t.Errorf("%s: sum %x, want %x", what, got, sha256.Sum256(data))
		}
		if n := fileSumsRead.Load() - before; (n == 1) != read {
			t.Errorf("%s: read the file %d times, want read %v", what, n, read)
		}
	}

	v1 := []byte("version one of the renderer")
	write(name, v1)
	check("first", v1, true)
	check("unchanged", v1, false)
	if _, err := os.Stat(filepath.Join(cache, sumsFile)); err != nil {
		t.Fatalf("no sums kept: %v", err)
	}

	v2 := append(v1, " and more"...)
	write(name, v2)
	check("appended to", v2, true)
	check("unchanged again", v2, false)

	// Another file of the same size and modification time in its place.
	v3 := []byte("VERSION ONE OF THE RENDERER and more")
	other := filepath.Join(dir, "new")
	write(other, v3)
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(other, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(other, name); err != nil {
		t.Fatal(err)
	}
	check("replaced", v3, true)

	// Changed a moment ago: read, and read again, until it settles.
	settleTime = time.Hour
	v4 := []byte("a fresh build")
	write(name, v4)
	check("fresh", v4, true)
	check("still fresh", v4, true)

	// A cache folder others may write to is neither read nor written.
	settleTime = -time.Second
	if err := os.Chmod(cache, 0o777); err != nil {
		t.Fatal(err)
	}
	check("open folder", v4, true)
	check("open folder again", v4, true)
	if err := os.Chmod(cache, 0o700); err != nil {
		t.Fatal(err)
	}
	check("private again", v4, true)
	check("private, kept", v4, false)
}

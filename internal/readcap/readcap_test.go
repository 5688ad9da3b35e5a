package readcap

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFileCap(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "clause.toml")
	if err := os.WriteFile(p, []byte(strings.Repeat("x", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadFile(p, 100)
	if err != nil || len(b) != 100 {
		t.Fatalf("at the cap: %d bytes, %v; want 100 bytes", len(b), err)
	}
	_, err = ReadFile(p, 99)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Size != 100 || tl.Limit != 99 {
		t.Fatalf("over the cap: %v; want a TooLargeError of size 100, limit 99", err)
	}
	if got, want := err.Error(), p+": file is 100 bytes; this file is limited to 99 bytes"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}

// A file that is not regular (a FIFO, /dev/zero) has no size to check
// first: the cap still holds while reading.
func TestReadFileEndlessFile(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := ReadFile("/dev/zero", 1<<20)
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("reading /dev/zero: %v; want a TooLargeError", err)
	}
	if got, want := err.Error(), "/dev/zero: file is larger than 1 MiB, the limit for this file"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}

func TestReader(t *testing.T) {
	b, err := io.ReadAll(Reader(strings.NewReader("abcdef"), "subs.txt", 6))
	if err != nil || string(b) != "abcdef" {
		t.Fatalf("at the cap: %q, %v", b, err)
	}
	b, err = io.ReadAll(Reader(strings.NewReader("abcdefg"), "subs.txt", 6))
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Path != "subs.txt" {
		t.Fatalf("over the cap: %q, %v; want a TooLargeError naming subs.txt", b, err)
	}
	if len(b) > 7 {
		t.Errorf("read %d bytes past a 6-byte cap", len(b))
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{512: "512 bytes", 64 << 10: "64 KiB", 3<<20 + 1<<19: "3.5 MiB", 2 << 30: "2 GiB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

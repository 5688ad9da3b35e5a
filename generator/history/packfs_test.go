package history

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/go-git/go-billy/v5/osfs"
)

func TestIsPackFile(t *testing.T) {
	for name, want := range map[string]bool{
		"objects/pack/pack-0123.pack":              true,
		filepath.Join("objects", "pack", "a.pack"): true,
		"objects/pack/pack-0123.idx":               false,
		"objects/pack/sub/pack-0123.pack":          false,
		"objects/12/3456.pack":                     false,
		"packed-refs":                              false,
	} {
		if got := isPackFile(name); got != want {
			t.Errorf("isPackFile(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestPackFSMapsPacks opens a pack through packFS: on systems with memory
// maps it is mapped, and reads, seeks and closes like the file.
func TestPackFSMapsPacks(t *testing.T) {
	g := smallRepo(t)
	g.git("repack", "-adq")
	packs, _ := filepath.Glob(filepath.Join(g.dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("packs %q", packs)
	}
	want, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	gitDir := filepath.Join(g.dir, ".git")
	fs := packFS{Filesystem: osfs.New(gitDir), objects: gitDir}
	name := filepath.Join("objects", "pack", filepath.Base(packs[0]))
	f, err := fs.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	m, mapped := f.(*mappedFile)
	if runtime.GOOS == "linux" && !mapped {
		t.Errorf("pack opened as %T, not mapped", f)
	}
	if f.Name() != name {
		t.Errorf("Name() = %q, want %q", f.Name(), name)
	}
	if _, err := f.Seek(12, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(f)
	if err != nil || string(got) != string(want[12:]) {
		t.Errorf("read after seek: %d bytes, %v; want %d bytes", len(got), err, len(want)-12)
	}
	head := make([]byte, 4)
	if _, err := f.ReadAt(head, 0); err != nil || string(head) != "PACK" {
		t.Errorf("ReadAt(0) = %q, %v", head, err)
	}
	if mapped {
		if _, err := m.Write([]byte("x")); !errors.Is(err, errReadOnly) {
			t.Errorf("Write: %v, want errReadOnly", err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if mapped {
		if err := f.Close(); err != nil { // a second Close does not unmap twice
			t.Errorf("second Close: %v", err)
		}
		if n, err := f.ReadAt(head, 0); n != 0 || err == nil {
			t.Errorf("ReadAt after Close read %d bytes, %v", n, err)
		}
	}
	other, err := fs.Open("HEAD") // not a pack: the file system's own file
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, ok := other.(*mappedFile); ok {
		t.Error("HEAD was mapped")
	}
}

// TestReadPackedLinkedWorktree reads a packed repository from a linked
// worktree, whose objects (and pack files) are in the main git folder.
func TestReadPackedLinkedWorktree(t *testing.T) {
	g := smallRepo(t)
	g.git("repack", "-adq")
	wt := filepath.Join(t.TempDir(), "wt")
	g.git("worktree", "add", "-q", "-b", "preview", wt)
	r := openRepo(t, wt)
	if fs, ok := r.st.Filesystem().(packFS); !ok || fs.objects != filepath.Join(g.dir, ".git") {
		t.Errorf("packs are looked for in %+v, want the main git folder %s", r.st.Filesystem(), filepath.Join(g.dir, ".git"))
	}
	h, err := r.Read(t.Context(), Query{Prefix: "content"})
	if err != nil {
		t.Fatal(err)
	}
	crossCheck(t, g, h)
	checkContent(t, g.dir, h, false)
}

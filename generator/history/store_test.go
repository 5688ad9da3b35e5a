package history

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// gitBlobs reads blobs with `git cat-file --batch`: the oracle for the
// content Read resolves from pack deltas itself.
func gitBlobs(tb testing.TB, dir string, hashes []string) map[string][]byte {
	tb.Helper()
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir = dir
	cmd.Env = gitEnv()
	cmd.Stdin = strings.NewReader(strings.Join(hashes, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("git cat-file --batch: %v", err)
	}
	rd := bufio.NewReader(bytes.NewReader(out))
	blobs := map[string][]byte{}
	for range hashes {
		header, err := rd.ReadString('\n')
		if err != nil {
			tb.Fatalf("git cat-file --batch: %v", err)
		}
		f := strings.Fields(header)
		if len(f) != 3 || f[1] != "blob" {
			tb.Fatalf("git cat-file --batch: header %q", header)
		}
		n, _ := strconv.Atoi(f[2])
		data := make([]byte, n+1) // content and a newline
		if _, err := io.ReadFull(rd, data); err != nil {
			tb.Fatalf("git cat-file --batch: %v", err)
		}
		blobs[f[0]] = data[:n]
	}
	return blobs
}

// checkContent checks the SHA-256 and size of every version against the
// blob git reads and, if Inspect returned the content it was given, what
// Inspect saw against the same bytes.
func checkContent(t *testing.T, dir string, h *History, inspected bool) {
	t.Helper()
	var hashes []string
	for _, d := range h.Documents {
		for _, v := range d.Versions {
			hashes = append(hashes, v.Blob)
		}
	}
	blobs := gitBlobs(t, dir, hashes)
	for _, d := range h.Documents {
		for _, v := range d.Versions {
			data := blobs[v.Blob]
			sum := sha256.Sum256(data)
			if v.SHA256 != hex.EncodeToString(sum[:]) || v.Size != int64(len(data)) {
				t.Errorf("%s at %s: SHA-256 %s size %d; git cat-file gives %x size %d", v.Path, v.Commit, v.SHA256, v.Size, sum, len(data))
			}
			if inspected && v.Info != string(data) {
				t.Errorf("%s at %s: Inspect saw other content than git cat-file gives", v.Path, v.Commit)
			}
		}
	}
}

// continueHistory commits, on top of a generated history, an edit of a
// document, a rename with an edit of another one to moved, and the
// deletion of a third, and returns the documents as they were before.
func continueHistory(g *gitRepo, moved string) []string {
	g.tb.Helper()
	var docs []string
	for _, p := range strings.Fields(g.git("ls-files", "content")) {
		if !Unpublished(p) {
			docs = append(docs, p)
		}
	}
	if len(docs) < 3 {
		g.tb.Fatalf("%d documents to continue the history with", len(docs))
	}
	g.write(docs[0], g.read(docs[0])+"\nA clause added later.\n")
	g.commit("2031-01-02T10:00:00+01:00", "Edit a document")
	g.git("mv", docs[1], moved)
	g.write(moved, g.read(moved)+"\nEdited while moved.\n")
	g.commit("2031-01-03T10:00:00+05:30", "Move and edit a document")
	g.git("rm", "-q", docs[2])
	g.commit("2031-01-04T10:00:00Z", "Retire a document")
	return docs
}

// TestReadContentFromPacksAndLooseObjects checks the content of every
// version on a packed history with delta chains (gitgen repacks with git's
// default depth) continued by commits whose objects are loose, including a
// rename with an edit and a deletion.
func TestReadContentFromPacksAndLooseObjects(t *testing.T) {
	dir := t.TempDir()
	generateHistory(t, dir, 300, 30, 3)
	g := &gitRepo{tb: t, dir: dir}
	docs := continueHistory(g, "content/moved-after-pack.md")
	if loose := g.git("count-objects"); strings.HasPrefix(loose, "0 objects") {
		t.Fatalf("no loose objects: %s", loose)
	}

	r := openRepo(t, dir)
	h, err := r.Read(t.Context(), Query{Prefix: "content", Inspect: func(b []byte) string { return string(b) }})
	if err != nil {
		t.Fatal(err)
	}
	crossCheck(t, g, h)
	checkContent(t, dir, h, true)
	if d := findDoc(h, "content/moved-after-pack.md"); d == nil || len(d.Renames) == 0 || d.Renames[0].From != docs[1] {
		t.Errorf("rename of %s after the pack not followed: %+v", docs[1], d)
	}
}

// TestReadContentDeepDeltaChains repacks a history of one document edited
// 300 times with long delta chains and a small window, so that resolving a
// version needs many deltas, and checks every version's content.
func TestReadContentDeepDeltaChains(t *testing.T) {
	g := newGitRepo(t)
	edits := map[int]string{}
	for i := range 300 {
		edits[1+i%40] = fmt.Sprintf("Revision %d of this clause.", i)
		g.write("content/dpa.md", text("DPA", 40, edits))
		g.commit(fmt.Sprintf("2024-01-01T00:%02d:%02dZ", i/60, i%60), fmt.Sprintf("Revision %d", i))
	}
	g.git("repack", "-adfq", "--depth=250", "--window=250")
	r := openRepo(t, g.dir)
	h, err := r.Read(t.Context(), Query{Prefix: "content", Inspect: func(b []byte) string { return string(b) }})
	if err != nil {
		t.Fatal(err)
	}
	if d := findDoc(h, "content/dpa.md"); d == nil || len(d.Versions) != 300 {
		t.Fatalf("want 300 versions of content/dpa.md, got %+v", d)
	}
	crossCheck(t, g, h)
	checkContent(t, g.dir, h, true)
}

func TestReadCorruptPackNamesObject(t *testing.T) {
	g := newGitRepo(t)
	g.write("content/dpa.md", text("DPA", 30, nil))
	g.commit("2024-01-01T00:00:00Z", "Add the DPA")
	g.git("repack", "-adq")
	packs, _ := filepath.Glob(filepath.Join(g.dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("packs %q", packs)
	}
	blob := strings.TrimSpace(g.git("rev-parse", "HEAD:content/dpa.md"))
	// Overwrite the middle of the pack, where the objects are; git's own
	// reading would fail too.
	data, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	for i := 40; i < len(data)-40; i++ {
		data[i] = 0xff
	}
	if err := os.Chmod(packs[0], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(packs[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(g.dir)
	if err == nil {
		defer r.Close()
		_, err = r.Blob(blob)
	}
	if err == nil {
		t.Fatal("reading a corrupt pack succeeded")
	}
	t.Log(err)
	if !strings.Contains(err.Error(), g.dir) {
		t.Errorf("error does not name the repository: %v", err)
	}
}

func TestContentCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := newContentCache(100)
	h := func(i int) cacheKey { return cacheKey{hash: plumbing.NewHash(fmt.Sprintf("%040x", i))} }
	c.put(h(1), plumbing.BlobObject, make([]byte, 40))
	c.put(h(2), plumbing.BlobObject, make([]byte, 40))
	if _, ok := c.get(h(1)); !ok { // 1 is now the most recently used
		t.Fatal("1 not cached")
	}
	c.put(h(3), plumbing.TreeObject, make([]byte, 40)) // evicts 2
	if _, ok := c.get(h(2)); ok {
		t.Error("2, least recently used, was kept")
	}
	for _, i := range []int{1, 3} {
		if _, ok := c.get(h(i)); !ok {
			t.Errorf("%d was evicted", i)
		}
	}
	if e, _ := c.get(h(3)); e.typ != plumbing.TreeObject || len(e.data) != 40 {
		t.Errorf("entry 3 is %v with %d bytes", e.typ, len(e.data))
	}
	if c.size != 80 {
		t.Errorf("size %d, want 80", c.size)
	}
	c.put(h(4), plumbing.BlobObject, make([]byte, 101)) // larger than the cache
	if _, ok := c.get(h(4)); ok || c.size != 80 {
		t.Errorf("an object larger than the cache was kept (size %d)", c.size)
	}
	c.put(h(3), plumbing.TreeObject, make([]byte, 40)) // again: no double count
	if c.size != 80 || len(c.entries) != 2 {
		t.Errorf("size %d with %d entries after putting an entry twice", c.size, len(c.entries))
	}
}

// TestContentCacheLimit: a lower bound drops the least recently used
// objects over it, and the bound comes back when restored.
func TestContentCacheLimit(t *testing.T) {
	c := newContentCache(100)
	h := func(i int) cacheKey { return cacheKey{hash: plumbing.NewHash(fmt.Sprintf("%040x", i))} }
	c.put(h(1), plumbing.BlobObject, make([]byte, 40))
	c.put(h(2), plumbing.BlobObject, make([]byte, 40))
	restore := c.limit(50)
	if _, ok := c.get(h(1)); ok || c.size != 40 {
		t.Errorf("under a limit of 50: 1 kept, or size %d", c.size)
	}
	c.put(h(3), plumbing.BlobObject, make([]byte, 40))
	if _, ok := c.get(h(2)); ok || c.size != 40 {
		t.Errorf("under a limit of 50: 2 kept, or size %d", c.size)
	}
	restore()
	c.put(h(4), plumbing.BlobObject, make([]byte, 40))
	if _, ok := c.get(h(3)); !ok || c.size != 80 {
		t.Errorf("after restoring: 3 evicted, or size %d", c.size)
	}
}

// TestReadContentLargeObjects reads versions of a document larger than
// go-git's threshold for reading packed objects into memory at once
// (16 KiB), stored whole and as deltas: every version's content must be
// git's.
func TestReadContentLargeObjects(t *testing.T) {
	g := newGitRepo(t)
	for i := range 5 {
		g.write("content/dpa.md", text("DPA", 800, map[int]string{1 + i*100: fmt.Sprintf("Revision %d.", i)}))
		g.commit(fmt.Sprintf("2024-02-0%dT00:00:00Z", i+1), fmt.Sprintf("Revision %d", i))
	}
	g.git("repack", "-adq")
	h, err := openRepo(t, g.dir).Read(t.Context(), Query{Prefix: "content", Inspect: func(b []byte) string { return string(b) }})
	if err != nil {
		t.Fatal(err)
	}
	d := findDoc(h, "content/dpa.md")
	if d == nil || len(d.Versions) != 5 || d.Versions[0].Size < 64<<10 {
		t.Fatalf("want 5 versions over 64 KiB, got %+v", d)
	}
	checkContent(t, g.dir, h, true)
}

// TestReadSharedClone reads a clone made with `git clone --shared`, whose
// objects are in the source repository (objects/info/alternates).
func TestReadSharedClone(t *testing.T) {
	g := smallRepo(t)
	g.git("repack", "-adq")
	shared := filepath.Join(t.TempDir(), "shared")
	runGit(t, "", gitEnv(), "clone", "-q", "--shared", g.dir, shared)
	if _, err := os.Stat(filepath.Join(shared, ".git", "objects", "info", "alternates")); err != nil {
		t.Fatalf("no alternates: %v", err)
	}
	h, err := openRepo(t, shared).Read(t.Context(), Query{Prefix: "content"})
	if err != nil {
		t.Fatal(err)
	}
	crossCheck(t, &gitRepo{tb: t, dir: shared}, h)
	checkContent(t, shared, h, false)

	// The same with the alternate given relative to the objects folder, as
	// git allows.
	alt := filepath.Join(shared, ".git", "objects", "info", "alternates")
	rel, err := filepath.Rel(filepath.Join(shared, ".git", "objects"), filepath.Join(g.dir, ".git", "objects"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alt, []byte(rel+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h2, err := openRepo(t, shared).Read(t.Context(), Query{Prefix: "content"})
	if err != nil {
		t.Fatalf("relative alternate %s: %v", rel, err)
	}
	if len(h2.Documents) != len(h.Documents) || h2.Head != h.Head {
		t.Error("a relative alternate gives another history")
	}
}

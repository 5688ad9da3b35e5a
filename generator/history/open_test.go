package history

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// smallRepo has three commits of two documents.
func smallRepo(t *testing.T) *gitRepo {
	t.Helper()
	g := newGitRepo(t)
	g.write("content/dpa.md", text("DPA", 10, nil))
	g.write("content/privacy.md", text("Privacy", 10, nil))
	g.commit("2024-05-01T10:00:00+02:00", "Add documents\n")
	g.write("content/dpa.md", text("DPA", 10, map[int]string{1: "Scope."}))
	g.commit("2024-05-02T10:00:00+02:00", "Edit DPA\n")
	g.write("content/dpa.md", text("DPA", 10, map[int]string{1: "Scope and duration."}))
	g.commit("2024-05-03T10:00:00+02:00", "Edit DPA again\n")
	return g
}

func TestOpenFindsRepositoryFromSubfolder(t *testing.T) {
	g := smallRepo(t)
	r := openRepo(t, filepath.Join(g.dir, "content"))
	if r.Root() != g.dir {
		t.Errorf("Root() = %s, want %s", r.Root(), g.dir)
	}
	if r.Shallow() {
		t.Error("Shallow() = true for a full repository")
	}
	// A file path works too.
	r2 := openRepo(t, filepath.Join(g.dir, "content", "dpa.md"))
	if r2.Root() != g.dir {
		t.Errorf("Root() = %s, want %s", r2.Root(), g.dir)
	}
}

func TestOpenNotRepository(t *testing.T) {
	_, err := Open(t.TempDir())
	if !errors.Is(err, ErrNotRepository) {
		t.Fatalf("err = %v, want ErrNotRepository", err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Open of a missing folder: no error")
	}
}

func TestOpenEmptyRepository(t *testing.T) {
	g := newGitRepo(t)
	_, err := Open(g.dir)
	if !errors.Is(err, ErrEmptyRepository) {
		t.Fatalf("err = %v, want ErrEmptyRepository", err)
	}
}

func TestOpenShallowClone(t *testing.T) {
	g := smallRepo(t)
	dst := filepath.Join(t.TempDir(), "shallow")
	runGit(t, t.TempDir(), nil, "clone", "-q", "--depth", "1", "file://"+g.dir, dst)

	_, err := Open(dst)
	if !errors.Is(err, ErrShallow) {
		t.Fatalf("err = %v, want ErrShallow", err)
	}
	for _, want := range []string{"git fetch --unshallow", "fetch-depth: 0", "wrong"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}

	r := openRepo(t, dst, AllowShallow())
	if !r.Shallow() {
		t.Error("Shallow() = false for a shallow clone")
	}
	h, err := r.Read(context.Background(), Query{Prefix: "content"})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Documents) != 2 || h.Commits != 1 {
		t.Fatalf("documents %d, commits %d; want 2, 1", len(h.Documents), h.Commits)
	}
	for _, d := range h.Documents {
		if len(d.Versions) != 1 || d.Versions[0].Commit != h.Head.Hash {
			t.Errorf("%s: versions %q, want only the shallow commit", d.Path, versionCommits(d))
		}
	}
}

func TestReadPartialClone(t *testing.T) {
	g := smallRepo(t)
	g.git("config", "uploadpack.allowFilter", "true")
	dst := filepath.Join(t.TempDir(), "partial")
	runGit(t, t.TempDir(), nil, "clone", "-q", "--filter=blob:none", "file://"+g.dir, dst)

	r := openRepo(t, dst)
	_, err := r.Read(context.Background(), Query{Prefix: "content"})
	if !errors.Is(err, ErrPartialClone) {
		t.Fatalf("err = %v, want ErrPartialClone", err)
	}
	for _, want := range []string{"git fetch --refetch", "content/dpa.md"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	// The first version's blob is missing; the current one was checked out.
	full := readPortal(t, g.dir, Query{Prefix: "content"})
	dpa := findDoc(full, "content/dpa.md")
	if _, err := r.Blob(dpa.Versions[len(dpa.Versions)-1].Blob); !errors.Is(err, ErrPartialClone) {
		t.Errorf("Blob(old): err = %v, want ErrPartialClone", err)
	}
	if _, err := r.Blob(dpa.Versions[0].Blob); err != nil {
		t.Errorf("Blob(current): %v", err)
	}
}

func TestOpenLinkedWorktree(t *testing.T) {
	g := smallRepo(t)
	wt := filepath.Join(t.TempDir(), "wt")
	g.git("worktree", "add", "-q", "-b", "preview", wt)
	r := openRepo(t, wt)
	if r.Root() != wt {
		t.Errorf("Root() = %s, want %s", r.Root(), wt)
	}
	h, err := r.Read(context.Background(), Query{Prefix: "content"})
	if err != nil {
		t.Fatal(err)
	}
	if d := findDoc(h, "content/dpa.md"); d == nil || len(d.Versions) != 3 {
		t.Errorf("dpa in worktree: %+v", d)
	}
}

func TestReadLFSPointer(t *testing.T) {
	g := smallRepo(t)
	pointer := "version https://git-lfs.github.com/spec/v1\n" +
		"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n" +
		"size 12345\n"
	if !IsLFSPointer([]byte(pointer)) {
		t.Fatal("IsLFSPointer(pointer) = false")
	}
	g.write("content/annex.md", pointer)
	head := g.commit("2024-05-04T10:00:00+02:00", "Add annex\n")

	r := openRepo(t, g.dir)
	_, err := r.Read(context.Background(), Query{Prefix: "content"})
	if !errors.Is(err, ErrLFSPointer) {
		t.Fatalf("err = %v, want ErrLFSPointer", err)
	}
	for _, want := range []string{"content/annex.md", head, "git lfs pull"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestIsLFSPointer(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 1\n", true},
		{"version https://hawser.github.com/spec/v1\noid sha256:abc\nsize 1\n", true},
		{"# DPA\n\nversion https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 1\n", false},
		{"version https://git-lfs.github.com/spec/v1\n", false},
		{"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 1\n" + strings.Repeat("x", 1024), false},
		{"", false},
	} {
		if got := IsLFSPointer([]byte(tt.in)); got != tt.want {
			t.Errorf("IsLFSPointer(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestBlobBadHash(t *testing.T) {
	g := smallRepo(t)
	r := openRepo(t, g.dir)
	if _, err := r.Blob("not-a-hash"); err == nil {
		t.Error("Blob(not-a-hash): no error")
	}
	if _, err := r.Blob(strings.Repeat("0", 40)); err == nil || errors.Is(err, ErrPartialClone) {
		t.Errorf("Blob(missing) in a full clone: err = %v", err)
	}
}

func TestOpenBareRepository(t *testing.T) {
	g := smallRepo(t)
	bare := filepath.Join(t.TempDir(), "bare.git")
	runGit(t, t.TempDir(), nil, "clone", "-q", "--bare", g.dir, bare)
	r := openRepo(t, bare)
	h, err := r.Read(context.Background(), Query{Prefix: "content"})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Documents) != 2 {
		t.Errorf("documents = %d, want 2", len(h.Documents))
	}
	if _, err := os.Stat(filepath.Join(r.Root(), "HEAD")); err != nil {
		t.Errorf("Root() = %s: %v", r.Root(), err)
	}
}

func TestOpenSHA256Repository(t *testing.T) {
	requireGit(t)
	dir := t.TempDir()
	runGit(t, dir, gitEnv(), "init", "-q", "--object-format=sha256", "-b", "main")
	g := &gitRepo{tb: t, dir: dir}
	g.write("content/dpa.md", "# DPA\n")
	g.commit("2026-01-01T00:00:00Z", "DPA")
	_, err := Open(dir)
	if !errors.Is(err, ErrObjectFormat) || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("Open of a SHA-256 repository: %v, want ErrObjectFormat naming sha256", err)
	}
}

func TestOpenReftableRepository(t *testing.T) {
	g := smallRepo(t)
	// git 2.45+ writes this for --ref-format=reftable; the CI's git may
	// predate it, so the configuration is written directly.
	g.git("config", "core.repositoryformatversion", "1")
	g.git("config", "extensions.refStorage", "reftable")
	_, err := Open(g.dir)
	if !errors.Is(err, ErrRefFormat) || !strings.Contains(err.Error(), "reftable") {
		t.Errorf("Open of a reftable repository: %v, want ErrRefFormat naming reftable", err)
	}
}

func TestReadWarnsOfReplaceRefs(t *testing.T) {
	g := smallRepo(t)
	g.git("replace", "--graft", "HEAD", "HEAD~2")
	var warnings []string
	h, err := openRepo(t, g.dir).Read(t.Context(), Query{Prefix: "content", Warn: func(err error) { warnings = append(warnings, err.Error()) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "replace references (1 under refs/replace/)") {
		t.Errorf("warnings %q, want one about the replace reference", warnings)
	}
	// The history is the commits' own, as git log --no-replace-objects shows it.
	if d := findDoc(h, "content/dpa.md"); d == nil || len(d.Versions) != 3 {
		t.Errorf("dpa: %+v", d)
	}
}

// TestReadWarnsOfPackedReplaceRefs: replace references are counted in
// packed-refs too, and a reference both packed and loose once.
func TestReadWarnsOfPackedReplaceRefs(t *testing.T) {
	g := smallRepo(t)
	g.git("replace", "--graft", "HEAD", "HEAD~2")
	g.git("pack-refs", "--all")
	g.git("replace", "--graft", "HEAD~1")
	g.git("replace", "-f", "--graft", "HEAD") // packed and loose
	var warnings []string
	if _, err := openRepo(t, g.dir).Read(t.Context(), Query{Prefix: "content", Warn: func(err error) { warnings = append(warnings, err.Error()) }}); err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "replace references (2 under refs/replace/)") {
		t.Errorf("warnings %q, want one about the two replace references", warnings)
	}
}

// TestDropCache: DropCache empties the object cache, and what it held is
// read again, the same, after it.
func TestDropCache(t *testing.T) {
	g := smallRepo(t)
	r := openRepo(t, g.dir)
	h, err := r.Read(context.Background(), Query{Prefix: "content"})
	if err != nil {
		t.Fatal(err)
	}
	blobs := versionBlobs(h)
	before := map[string][]byte{}
	for _, b := range blobs {
		if before[b], err = r.Blob(b); err != nil {
			t.Fatal(err)
		}
	}
	if r.objects.cache.size == 0 || len(r.objects.cache.entries) == 0 {
		t.Fatal("nothing in the object cache after reading the blobs")
	}
	r.DropCache()
	if r.objects.cache.size != 0 || len(r.objects.cache.entries) != 0 || r.objects.cache.head != nil {
		t.Errorf("object cache after DropCache: %d bytes, %d entries", r.objects.cache.size, len(r.objects.cache.entries))
	}
	if r.objects.cache.max != objectCacheSize {
		t.Errorf("the cache's bound is %d after DropCache, want %d", r.objects.cache.max, objectCacheSize)
	}
	for _, b := range blobs {
		if again, err := r.Blob(b); err != nil || !bytes.Equal(again, before[b]) {
			t.Errorf("Blob(%s) after DropCache: %q, %v; want %q", b, again, err, before[b])
		}
	}
}

// TestBlobOfDeletedDocumentKept: Read keeps the newest text of a deleted
// document, which Blob hands over once; what Blob returns is the
// caller's (changing it changes no later Blob), and equals git's text
// whether kept or read again.
func TestBlobOfDeletedDocumentKept(t *testing.T) {
	g := newGitRepo(t)
	g.write("content/dpa.md", text("DPA", 10, nil))
	g.write("content/old.md", text("Old terms", 10, nil))
	g.commit("2024-01-01T10:00:00Z", "Add")
	g.write("content/old.md", text("Old terms", 10, map[int]string{3: "Changed."}))
	g.commit("2024-02-01T10:00:00Z", "Change the old terms")
	g.git("rm", "-q", "content/old.md")
	g.commit("2024-03-01T10:00:00Z", "Retire the old terms")
	want := g.git("cat-file", "blob", "HEAD~1:content/old.md")

	r := openRepo(t, g.dir)
	h, err := r.Read(t.Context(), Query{Prefix: "content"})
	if err != nil {
		t.Fatal(err)
	}
	d := findDoc(h, "content/old.md")
	if d == nil || !d.Deleted || len(d.Versions) != 2 {
		t.Fatalf("content/old.md: %+v, want a deleted document with two versions", d)
	}
	newest, _ := parseHash(d.Versions[0].Blob)
	if _, ok := r.kept[newest]; !ok || len(r.kept) != 1 {
		t.Fatalf("kept %d texts, not the newest of the deleted document", len(r.kept))
	}
	for i := range 2 { // kept, then read again
		got, err := r.Blob(d.Versions[0].Blob)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Fatalf("Blob, call %d: %q, want git's %q", i+1, got, want)
		}
		clear(got) // the caller's to change
	}
	if len(r.kept) != 0 {
		t.Errorf("%d texts still kept after Blob handed them over", len(r.kept))
	}
}

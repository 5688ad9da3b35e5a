package history

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// readWith reads dir with a fresh Repository (no blob sums in memory), so
// that what a second Read knows comes from the cache file only.
func readWith(t *testing.T, dir string, q Query) *History {
	t.Helper()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h, err := r.Read(t.Context(), q)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return h
}

// cacheQuery is a Query with the cache in folder cache, counting Inspect
// calls and failing the test on warnings.
func cacheQuery(t *testing.T, cache string, inspected *int) Query {
	return Query{
		Prefix:     "content",
		Cache:      cache,
		Inspect:    func(b []byte) string { *inspected++; return firstLine(b) },
		InspectKey: "first-line/1",
		Warn:       func(err error) { t.Errorf("warning: %v", err) },
	}
}

// filledCache makes a small repository and reads it once with the cache
// in a new folder, which it returns.
func filledCache(t *testing.T) (*gitRepo, string) {
	t.Helper()
	g := smallRepo(t)
	cache := filepath.Join(t.TempDir(), "cache")
	var n int
	readWith(t, g.dir, cacheQuery(t, cache, &n))
	return g, cache
}

// cacheFileIn returns the one cache file in folder cache, decoded.
func cacheFileIn(t *testing.T, cache string) (string, *cacheFile) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(cache, "history-*"))
	if len(files) != 1 {
		t.Fatalf("cache files %q, want one", files)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	f, err := decodeCache(data)
	if err != nil {
		t.Fatal(err)
	}
	return files[0], f
}

func firstLine(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return string(line)
}

// TestCacheGivesTheSameHistory reads a generated history (with documents
// outside the content folder) without a cache, then with a cache twice
// (filling it, then using it), then again after new commits (an edit, a
// rename with an edit, a deletion, documents moved in from outside) on top:
// every cached result must equal the uncached one, and the walk must be
// cross-checked with git.
func TestCacheGivesTheSameHistory(t *testing.T) {
	dir := t.TempDir()
	generateHistory(t, dir, 300, 30, 11)
	startOutside(&gitRepo{tb: t, dir: dir})
	cache := filepath.Join(t.TempDir(), "cache")
	var n int
	plain := cacheQuery(t, "", &n)

	want := readWith(t, dir, plain)
	n = 0
	if got := readWith(t, dir, cacheQuery(t, cache, &n)); !reflect.DeepEqual(got, want) {
		t.Fatal("the Read that fills the cache differs from a Read without one")
	}
	filled := n
	files, _ := filepath.Glob(filepath.Join(cache, "history-*"))
	if len(files) != 1 {
		t.Fatalf("cache files %q, want one", files)
	}
	n = 0
	if got := readWith(t, dir, cacheQuery(t, cache, &n)); !reflect.DeepEqual(got, want) {
		t.Fatal("a Read from the cache differs from a Read without one")
	}
	if n != 0 || filled == 0 {
		t.Errorf("Inspect ran %d times filling the cache and %d times reading from it, want >0 and 0", filled, n)
	}

	g := &gitRepo{tb: t, dir: dir}
	continueHistory(g, "content/moved-after-cache.md")
	moveIntoContent(g)

	want = readWith(t, dir, plain)
	n = 0
	got := readWith(t, dir, cacheQuery(t, cache, &n))
	if !reflect.DeepEqual(got, want) {
		t.Fatal("after new commits, a Read with the cache differs from a Read without one")
	}
	if n != 6 { // the two new texts of continueHistory, the annex's three, the draft's last
		t.Errorf("Inspect ran %d times after the new commits, want 6 (the texts that are new versions)", n)
	}
	crossCheck(t, g, got)
	if a := findDoc(got, "content/annex.md"); a == nil || len(a.Versions) != 3 || a.Versions[2].Path != "policies/annex.md" {
		t.Errorf("content/annex.md: %+v, want 3 versions, the first outside content/", a)
	}
	if p := findDoc(got, "content/published.md"); p == nil || len(p.Versions) != 1 {
		t.Errorf("content/published.md: %+v, want 1 version: the draft's is not one", p)
	}
}

// startOutside commits documents outside the content folder, and a draft
// in it: policies/annex.md, edited, and content/_draft.md.
func startOutside(g *gitRepo) {
	g.tb.Helper()
	g.write("policies/annex.md", text("Annex", 12, nil))
	g.write("content/_draft.md", text("Draft", 12, nil))
	g.commit("2030-12-01T10:00:00+01:00", "Draft an annex\n")
	g.write("policies/annex.md", text("Annex", 12, map[int]string{3: "Edited outside."}))
	g.commit("2030-12-02T10:00:00+01:00", "Edit the annex\n")
}

// moveIntoContent continues startOutside after a cache was filled: the
// annex moves to policies/old/ and then into content/ with an edit, the
// draft is published.
func moveIntoContent(g *gitRepo) {
	g.tb.Helper()
	g.move("policies/annex.md", "policies/old/annex.md")
	g.commit("2031-02-01T10:00:00+01:00", "Move the annex\n")
	g.move("policies/old/annex.md", "content/annex.md")
	g.write("content/annex.md", text("Annex", 12, map[int]string{3: "Edited outside.", 4: "Edited on the way in."}))
	g.move("content/_draft.md", "content/published.md")
	g.commit("2031-02-02T10:00:00+01:00", "Publish the annex and the draft\n")
}

// TestCacheIsUsed deletes the loose objects of old versions after the cache
// is filled: a Read with the cache does not need them, a Read without it
// fails.
func TestCacheIsUsed(t *testing.T) {
	g := smallRepo(t)
	cache := filepath.Join(t.TempDir(), "cache")
	var n int
	h := readWith(t, g.dir, cacheQuery(t, cache, &n))
	dpa := findDoc(h, "content/dpa.md")
	for _, v := range dpa.Versions[1:] {
		obj := filepath.Join(g.dir, ".git", "objects", v.Blob[:2], v.Blob[2:])
		if err := os.Remove(obj); err != nil {
			t.Fatal(err)
		}
	}
	if got := readWith(t, g.dir, cacheQuery(t, cache, &n)); !reflect.DeepEqual(got, h) {
		t.Error("Read from the cache differs")
	}
	r := openRepo(t, g.dir)
	if _, err := r.Read(t.Context(), Query{Prefix: "content"}); err == nil {
		t.Error("Read without the cache succeeded with blobs missing: the test proves nothing")
	}
}

func TestCacheInspectKey(t *testing.T) {
	g, cache := filledCache(t)
	var n int
	q := cacheQuery(t, cache, &n)
	q.InspectKey = "first-line/2"
	q.Inspect = func(b []byte) string { n++; return "v2:" + firstLine(b) }
	n = 0
	h := readWith(t, g.dir, q)
	if n == 0 {
		t.Error("a new InspectKey did not run Inspect again")
	}
	for _, d := range h.Documents {
		for _, v := range d.Versions {
			if !strings.HasPrefix(v.Info, "v2:") {
				t.Errorf("%s %s: Info %q is from the old Inspect", d.Path, v.ID, v.Info)
			}
		}
	}
	// Without an InspectKey, Inspect results are never taken from the cache.
	q.InspectKey = ""
	n = 0
	readWith(t, g.dir, q)
	if n == 0 {
		t.Error("Inspect without InspectKey was answered from the cache")
	}
}

func TestCacheDamagedFileIsRebuilt(t *testing.T) {
	g := smallRepo(t)
	cache := filepath.Join(t.TempDir(), "cache")
	var n int
	want := readWith(t, g.dir, cacheQuery(t, cache, &n))
	files, _ := filepath.Glob(filepath.Join(cache, "history-*"))
	if len(files) != 1 {
		t.Fatalf("cache files %q", files)
	}
	good, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	for name, data := range map[string][]byte{
		"truncated": good[:len(good)/2],
		"flipped":   flipped,
		"garbage":   []byte("not a cache"),
		"empty":     nil,
	} {
		if err := os.WriteFile(files[0], data, 0o644); err != nil {
			t.Fatal(err)
		}
		var warnings []string
		q := cacheQuery(t, cache, &n)
		q.Warn = func(err error) { warnings = append(warnings, err.Error()) }
		if got := readWith(t, g.dir, q); !reflect.DeepEqual(got, want) {
			t.Errorf("%s cache file: Read differs", name)
		}
		if len(warnings) != 1 || !strings.Contains(warnings[0], files[0]) {
			t.Errorf("%s cache file: warnings %q, want one naming the file", name, warnings)
		}
		if now, _ := os.ReadFile(files[0]); !bytes.Equal(now, good) {
			t.Errorf("%s cache file was not rewritten as it was", name)
		}
	}
}

func TestCacheUnwritableWarns(t *testing.T) {
	g := smallRepo(t)
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var n int
	var warnings []error
	q := cacheQuery(t, filepath.Join(blocker, "cache"), &n) // below a file: cannot be created
	q.Warn = func(err error) { warnings = append(warnings, err) }
	h := readWith(t, g.dir, q)
	if d := findDoc(h, "content/dpa.md"); d == nil || len(d.Versions) != 3 {
		t.Errorf("Read with an unwritable cache: %+v", d)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0].Error(), "--no-cache") {
		t.Errorf("warnings %v, want one that names --no-cache", warnings)
	}
}

// TestCacheRemovesStaleTemporaryFiles leaves the temporary files of
// interrupted writes, one old and one recent, in the cache folder: a write
// removes the old one only (the recent one may be another process's).
func TestCacheRemovesStaleTemporaryFiles(t *testing.T) {
	g := smallRepo(t)
	cache := filepath.Join(t.TempDir(), "cache")
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	old, recent := filepath.Join(cache, ".history-1.tmp"), filepath.Join(cache, ".history-2.tmp")
	for _, p := range []string{old, recent} {
		if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * staleTemp)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}
	var n int
	readWith(t, g.dir, cacheQuery(t, cache, &n))
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("stale temporary file kept (%v)", err)
	}
	if _, err := os.Stat(recent); err != nil {
		t.Errorf("recent temporary file removed: %v", err)
	}
}

// TestCacheDropsRewrittenHistory resets the branch to an older commit and
// commits anew: the cache keeps only the commits the last Read walked.
func TestCacheDropsRewrittenHistory(t *testing.T) {
	g, cache := filledCache(t)
	var n int
	g.git("reset", "-q", "--hard", "HEAD~2")
	g.write("content/dpa.md", text("DPA", 10, map[int]string{2: "Rewritten."}))
	g.commit("2024-06-01T00:00:00Z", "Rewrite\n")
	h := readWith(t, g.dir, cacheQuery(t, cache, &n))
	crossCheck(t, g, h)
	if _, f := cacheFileIn(t, cache); len(f.Steps) != h.Commits {
		t.Errorf("cache holds %d commits, the history %d", len(f.Steps), h.Commits)
	}
}

func TestCacheNotUsedForShallowClones(t *testing.T) {
	g := smallRepo(t)
	clone := filepath.Join(t.TempDir(), "clone")
	runGit(t, "", gitEnv(), "clone", "-q", "--depth=1", "file://"+g.dir, clone)
	r := openRepo(t, clone, AllowShallow())
	cache := filepath.Join(t.TempDir(), "cache")
	var n int
	if _, err := r.Read(t.Context(), cacheQuery(t, cache, &n)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cache); !os.IsNotExist(err) {
		t.Errorf("a shallow clone's history was cached (%v)", err)
	}
}

func TestCacheDirIsInMainGitFolder(t *testing.T) {
	g := smallRepo(t)
	wt := filepath.Join(t.TempDir(), "wt")
	g.git("worktree", "add", "-q", "-b", "preview", wt)
	if got, want := openRepo(t, wt).CacheDir(), filepath.Join(g.dir, ".git", CacheFolder); got != want {
		t.Errorf("CacheDir() = %s, want %s", got, want)
	}
}

func TestCacheFileRoundTrip(t *testing.T) {
	h := func(b byte) plumbing.Hash { return plumbing.Hash{b, 1, 2} }
	f := &cacheFile{Format: cacheFormat, Build: "v1.2.3", Key: "content\x00markdown", Inspect: "k",
		Steps: map[plumbing.Hash]*cachedStep{
			h(1): {Parents: []plumbing.Hash{h(2), h(3)}, Date: -86400, Offset: -18000, Message: "Merge\n\nBody ü\n",
				Added: []cachedChange{{Path: "content/a.md", Blob: h(4)}, {Path: "content/b.md", Blob: h(5)}}, Deleted: []cachedChange{{Path: "content/c.md", Blob: h(6)}},
				Modified: []cachedChange{{Path: "content/d.md", Blob: h(7), Old: h(8)}}, Renames: []cachedRename{{Src: 0, Dst: 1, Pure: true}},
				Inward:    []cachedInward{{Dst: 0, From: "old/a.md", Blob: h(9), Pure: true}},
				FollowKey: 1<<63 | 5,
				Follow:    []cachedFollow{{Path: "x.md", Blob: h(10), From: "y/x.md", FromBlob: h(11)}, {Path: "z.md", Old: h(12)}}},
			h(2): {Date: 1700000000},
		},
		Blobs: map[plumbing.Hash]cachedBlob{h(4): {SHA256: [32]byte{9}, Size: 123, Info: "2026-01-01", Inspected: true}, h(5): {}},
	}
	data := encodeCache(f)
	got, err := decodeCache(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, f) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, f)
	}
	if !bytes.Equal(encodeCache(got), data) {
		t.Error("encoding is not deterministic")
	}
}

// FuzzDecodeCache feeds damaged files to decodeCache: it must return an
// error or a file that encodes back to the same bytes, and never panic.
func FuzzDecodeCache(f *testing.F) {
	f.Add(encodeCache(&cacheFile{Format: cacheFormat, Steps: map[plumbing.Hash]*cachedStep{{1}: {Message: "m", Added: []cachedChange{{Path: "p"}}}}}))
	f.Add([]byte(cacheMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := decodeCache(data)
		if err != nil || file.Format != cacheFormat {
			return
		}
		if !bytes.Equal(encodeCache(file), data) {
			t.Errorf("decoded file encodes differently")
		}
	})
}

// TestCacheCycleIsRebuilt writes a cache whose head commit is its own
// grandparent: Read must not loop, but warn, read from git and rewrite it.
// TestCacheForgedEntryIsDropped forges entries of a cache file, as anyone
// writing to a shared --cache-dir could, with the checksum recomputed: each
// is checked against the repository, dropped with a warning naming the
// commit, and the commit read from git; the file is rewritten as an honest
// Read writes it.
func TestCacheForgedEntryIsDropped(t *testing.T) {
	forged := plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")
	for name, c := range map[string]struct {
		forge func(f *cacheFile, head, parent plumbing.Hash)
		want  string
	}{
		"message": {func(f *cacheFile, head, _ plumbing.Hash) {
			f.Steps[head].Message = "Forged subject: see https://evil.example/\n"
		}, "another message"},
		"date": {func(f *cacheFile, head, _ plumbing.Hash) { f.Steps[head].Date -= 86400 }, "another date"},
		// A parent that is not in the repository, whose made-up entry
		// would end the history early.
		"parent": {func(f *cacheFile, head, _ plumbing.Hash) {
			f.Steps[head].Parents = []plumbing.Hash{forged}
			f.Steps[forged] = &cachedStep{Message: "Forged root\n"}
		}, "other parents"},
		// A parent link to the commit itself, a cycle git cannot make.
		"cycle": {func(f *cacheFile, head, parent plumbing.Hash) {
			f.Steps[parent].Parents = []plumbing.Hash{head}
		}, "other parents"},
	} {
		t.Run(name, func(t *testing.T) {
			g, cache := filledCache(t)
			file, _ := cacheFileIn(t, cache)
			honest, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			_, f := cacheFileIn(t, cache)
			head, _ := parseHash(g.head())
			c.forge(f, head, f.Steps[head].Parents[0])
			if err := os.WriteFile(file, encodeCache(f), 0o644); err != nil {
				t.Fatal(err)
			}
			var warnings []string
			var n int
			q := cacheQuery(t, cache, &n)
			q.Warn = func(err error) { warnings = append(warnings, err.Error()) }
			h := readWith(t, g.dir, q)
			crossCheck(t, g, h)
			if len(warnings) != 1 || !strings.Contains(warnings[0], c.want) || !strings.Contains(warnings[0], file) {
				t.Errorf("warnings %q, want one naming the file and %q", warnings, c.want)
			}
			for _, d := range h.Documents {
				for _, v := range d.Versions {
					if strings.Contains(v.Subject, "Forged") {
						t.Errorf("%s: forged subject %q served", d.Path, v.Subject)
					}
				}
			}
			if now, _ := os.ReadFile(file); !bytes.Equal(now, honest) {
				t.Errorf("the cache file was not rewritten as an honest Read writes it")
			}
			// The next Read has nothing to say.
			readWith(t, g.dir, cacheQuery(t, cache, &n))
		})
	}
}

// TestCacheSavedInTheBackground: the cache a Read saves is written by the
// time Close returns, a second Read of the same Repository reads it (no
// text inspected again), and a cache that cannot be written is reported
// once, through the Read's warn function, by Close.
func TestCacheSavedInTheBackground(t *testing.T) {
	g := smallRepo(t)
	cache := filepath.Join(t.TempDir(), "cache")
	var n int
	q := cacheQuery(t, cache, &n)
	r, err := Open(g.dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := r.Read(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("nothing inspected by the first Read")
	}
	r.sums = map[plumbing.Hash]blobSum{} // what the second Read knows, it knows from the cache file
	n = 0
	got, err := r.Read(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("second Read of the same Repository: %d texts inspected (want 0: read from the cache), same history: %v", n, reflect.DeepEqual(got, want))
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(cache, "history-*")); len(files) != 1 {
		t.Fatalf("after Close: cache files %q, want one", files)
	}

	// A cache folder that is a file: the cache cannot be saved.
	blocked := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocked, []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	var warnings []error
	q = cacheQuery(t, filepath.Join(blocked, "cache"), &n)
	q.Warn = func(err error) { warnings = append(warnings, err) }
	r, err = Open(g.dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0].Error(), "history cache not saved") {
		t.Fatalf("warnings %v, want one: history cache not saved", warnings)
	}
}

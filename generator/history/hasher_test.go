package history

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestHasherTextsAreGits: with a hasher cache so small that most texts
// are evicted before the next is read, and an Inspect slower than the
// reading (so that its queue is full), each version's SHA-256, the text
// Inspect saw, and the newest texts of deleted documents that Read keeps
// for Blob are git's.
func TestHasherTextsAreGits(t *testing.T) {
	dir := t.TempDir()
	generateHistory(t, dir, 400, 12, 5)
	// Deleted documents, whose newest texts Read keeps for Blob.
	g := &gitRepo{tb: t, dir: dir}
	docs := strings.Fields(g.git("ls-files", "content"))
	if len(docs) < 6 {
		t.Fatalf("%d documents generated", len(docs))
	}
	g.git(append([]string{"rm", "-q"}, docs[:3]...)...)
	g.commit("2031-01-01T10:00:00Z", "Retire three documents")
	runGit(t, dir, gitEnv(), "repack", "-adq", "--depth=50", "--window=50")
	defer func(n int) { hasherCacheSize = n }(hasherCacheSize)
	hasherCacheSize = 48 << 10

	r := openRepo(t, dir)
	seen := 0
	h, err := r.Read(t.Context(), Query{Prefix: "content", Inspect: func(b []byte) string {
		if seen++; seen%4 == 0 {
			time.Sleep(200 * time.Microsecond) // let the reader run ahead
		}
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:])
	}})
	if err != nil {
		t.Fatal(err)
	}
	blobs := versionBlobs(h)
	want := gitSHA256s(t, dir, blobs)
	n := 0
	for _, d := range h.Documents {
		for _, v := range d.Versions {
			n++
			if v.SHA256 != want[v.Blob] || v.Info != want[v.Blob] {
				t.Fatalf("%s at %s: SHA-256 %s, Inspect saw %s, git's text has %s", v.Path, v.Commit, v.SHA256, v.Info, want[v.Blob])
			}
		}
	}
	// The texts Read kept for Blob: the newest of deleted documents.
	if len(r.kept) == 0 {
		t.Fatal("no text kept for Blob, though three documents were deleted")
	}
	for _, d := range h.Documents {
		if !d.Deleted {
			continue
		}
		data, err := r.Blob(d.Versions[0].Blob)
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != want[d.Versions[0].Blob] {
			t.Fatalf("%s: the kept newest text is not git's", d.Path)
		}
	}
	if n < 300 {
		t.Fatalf("%d versions: not the history this test expects", n)
	}
}

// gitSHA256s returns the SHA-256 of each blob's content as git cat-file
// prints it.
func gitSHA256s(t *testing.T, dir string, blobs []string) map[string]string {
	t.Helper()
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(strings.Join(blobs, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	br := bufio.NewReader(bytes.NewReader(out))
	for {
		var hash, typ string
		var size int
		if _, err := fmt.Fscanf(br, "%s %s %d\n", &hash, &typ, &size); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		data := make([]byte, size+1) // and the newline after it
		if _, err := io.ReadFull(br, data); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data[:size])
		sums[hash] = hex.EncodeToString(sum[:])
	}
	return sums
}

package site

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestPageIndexRoundTrip: the index reads back as written; a truncated,
// extended or re-checksummed index with a path that leaves the output
// folder is refused.
func TestPageIndexRoundTrip(t *testing.T) {
	var key entryKey
	for i := range key {
		key[i] = 0xab
	}
	in := map[entryKey][]cachedFile{key: {{path: "dpa/versions/1a2b/index.html", sum: sha256.Sum256([]byte("x"))}}}
	name := filepath.Join(t.TempDir(), "index")
	data := encodePageIndex(in)
	os.WriteFile(name, data, 0o600)
	out, err := readPageIndex(name)
	if err != nil || !reflect.DeepEqual(in, out) {
		t.Fatalf("read back %v, %v; want %v", out, err, in)
	}
	for what, bad := range map[string][]byte{
		"truncated": data[:len(data)-1],
		"extended":  append(append([]byte{}, data...), 0),
		"escaping":  encodePageIndex(map[entryKey][]cachedFile{key: {{path: "../../.ssh/authorized_keys"}}}),
		"hidden":    encodePageIndex(map[entryKey][]cachedFile{key: {{path: "dpa/.clause-output"}}}),
		"absolute":  encodePageIndex(map[entryKey][]cachedFile{key: {{path: "/etc/passwd"}}}),
	} {
		os.WriteFile(name, bad, 0o600)
		if idx, err := readPageIndex(name); err == nil {
			t.Errorf("%s index accepted: %v", what, idx)
		}
	}
}

// FuzzReadPageIndex: no input makes the index reader panic or accept a
// path outside the output folder.
func FuzzReadPageIndex(f *testing.F) {
	var key entryKey
	for i := range key {
		key[i] = 0xcd
	}
	f.Add(encodePageIndex(map[entryKey][]cachedFile{key: {{path: "a/index.html"}}}))
	f.Add([]byte(pageCacheMagic))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(dir, "index")
		os.WriteFile(name, data, 0o600)
		idx, err := readPageIndex(name)
		if err != nil {
			return
		}
		for _, files := range idx {
			for _, fl := range files {
				if strings.HasPrefix(fl.path, "/") || strings.Contains(fl.path, "..") {
					t.Fatalf("accepted path %q", fl.path)
				}
			}
		}
	})
}

// BenchmarkPageIndex reads and writes an index the size of a
// 20,000-commit portal's: 150,000 entries, two in three memos kept inline
// (a few hundred bytes each), the others a page's file.
//
//	go test -run '^$' -bench PageIndex ./generator/site/
func BenchmarkPageIndex(b *testing.B) {
	index := make(map[entryKey][]cachedFile, 150000)
	value := []byte(strings.Repeat("a memo value, ", 20))
	for i := range 150000 {
		k := sha256.Sum256([]byte{byte(i), byte(i >> 8), byte(i >> 16)})
		f := cachedFile{path: "archive/doc/versions/" + fmt.Sprintf("%012x", i) + "/index.html", size: 20000, mtime: 1e18}
		if i%3 != 0 {
			f = cachedFile{path: memoInline, inline: value}
		}
		f.sum = sha256.Sum256(f.inline)
		index[k] = []cachedFile{f}
	}
	name := filepath.Join(b.TempDir(), "index")
	if err := os.WriteFile(name, encodePageIndex(index), 0o600); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		idx, err := readPageIndex(name)
		if err != nil {
			b.Fatal(err)
		}
		if err := writePageIndex(io.Discard, idx); err != nil {
			b.Fatal(err)
		}
	}
}

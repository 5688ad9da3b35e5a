package history

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

func TestSimilarity(t *testing.T) {
	doc := text("DPA", 20, nil)
	tests := []struct {
		name     string
		a, b     string
		min, max float64
	}{
		{"identical", doc, doc, 100, 100},
		{"one clause edited", doc, text("DPA", 20, map[int]string{4: "Changed."}), 90, 99.9},
		{"half rewritten", doc, text("DPA", 20, map[int]string{1: "x", 2: "x", 3: "x", 4: "x", 5: "x", 6: "x", 7: "x", 8: "x", 9: "x", 10: "x", 11: "x", 12: "x", 13: "x", 14: "x"}), 0, 49.9},
		{"unrelated", doc, strings.Repeat("something else entirely\n", 50), 0, 0},
		{"size too different", doc, doc[:len(doc)/3], 0, 0},
		{"CRLF counts like LF in text", "a\nb\nc\n", "a\r\nb\r\nc\r\n", 66, 67},
		{"empty", "", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := similarity(newSignature([]byte(tt.a)), newSignature([]byte(tt.b)))
			if s < tt.min || s > tt.max {
				t.Errorf("similarity = %.1f, want %.1f..%.1f", s, tt.min, tt.max)
			}
		})
	}
}

func TestSignatureChunksLongLines(t *testing.T) {
	// A 200-byte line is four chunks: 64+64+64+8 bytes.
	sig := newSignature(bytes.Repeat([]byte{'a'}, 200))
	var total int64
	for _, n := range sig.chunks {
		total += n
	}
	if total != 200 || len(sig.chunks) != 2 {
		t.Errorf("chunks = %v", sig.chunks)
	}
}

// TestDetectRenames checks the pairing rules on a real object database:
// identical blobs first (same file name preferred), then the best score.
func TestDetectRenames(t *testing.T) {
	g := newGitRepo(t)
	files := map[string]string{
		"a":  text("Alpha", 20, nil),
		"a2": text("Alpha", 20, map[int]string{3: "Edited."}),
		"a3": text("Alpha", 20, map[int]string{3: "Edited.", 4: "Edited.", 5: "Edited."}),
		"b":  text("Beta", 20, nil),
		"c":  strings.Repeat("unrelated\n", 100),
	}
	blobs := map[string]plumbing.Hash{}
	for name, content := range files {
		g.write(name, content)
		h, _ := parseHash(strings.TrimSpace(g.git("hash-object", "-w", name)))
		blobs[name] = h
	}
	g.commit("2024-01-01T00:00:00Z", "objects\n")
	r := openRepo(t, g.dir)
	fc := func(path, blob string) fileChange { return fileChange{path: path, blob: blobs[blob]} }

	tests := []struct {
		name           string
		deleted, added []fileChange
		want           []renamePair
	}{
		{
			name:    "identical content prefers the same file name",
			deleted: []fileChange{fc("old/x.md", "b")},
			added:   []fileChange{fc("new/y.md", "b"), fc("new/x.md", "b")},
			want:    []renamePair{{src: 0, dst: 1, pure: true}},
		},
		{
			name:    "identical first, then similar",
			deleted: []fileChange{fc("a.md", "a"), fc("b.md", "b")},
			added:   []fileChange{fc("a-edited.md", "a2"), fc("beta.md", "b")},
			want:    []renamePair{{src: 1, dst: 1, pure: true}, {src: 0, dst: 0}},
		},
		{
			name:    "best score wins, each file once",
			deleted: []fileChange{fc("a.md", "a")},
			added:   []fileChange{fc("far.md", "a3"), fc("near.md", "a2")},
			want:    []renamePair{{src: 0, dst: 1}},
		},
		{
			name:    "below the threshold: no rename",
			deleted: []fileChange{fc("a.md", "a")},
			added:   []fileChange{fc("c.md", "c")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.detectRenames(tt.deleted, tt.added)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("pairs = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestReadRenameWithSimultaneousAddAndDelete: a commit that renames one
// document, deletes an unrelated one and adds a new one.
func TestReadRenameWithSimultaneousAddAndDelete(t *testing.T) {
	g := newGitRepo(t)
	g.write("content/keep.md", text("Keep", 12, nil))
	g.write("content/gone.md", text("Gone", 12, nil))
	g.commit("2024-02-01T10:00:00+01:00", "Start\n")
	g.git("mv", "content/keep.md", "content/kept.md")
	g.git("rm", "-q", "content/gone.md")
	g.write("content/new.md", strings.Repeat("fresh\n", 30))
	g.commit("2024-02-02T10:00:00+01:00", "Reorganise\n")

	h := readPortal(t, g.dir, Query{Prefix: "content"})
	crossCheck(t, g, h)
	var got []string
	for _, d := range h.Documents {
		got = append(got, d.Path+map[bool]string{true: " (deleted)"}[d.Deleted])
	}
	want := []string{"content/gone.md (deleted)", "content/kept.md", "content/new.md"}
	if !slices.Equal(got, want) {
		t.Errorf("documents = %q, want %q", got, want)
	}
	if kept := findDoc(h, "content/kept.md"); len(kept.Versions) != 1 || len(kept.Renames) != 1 || !kept.Renames[0].Pure {
		t.Errorf("kept.md = %+v", kept)
	}
}

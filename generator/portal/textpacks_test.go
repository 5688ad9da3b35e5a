package portal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause/generator/redline"
	"github.com/clause-portal/clause/internal/gittest"
)

// publishedTexts is what a build published of a document's texts for the
// compare page: its versions.json, newest first, and its packs, each as
// its file's bytes and its members in file order.
type publishedTexts struct {
	versions []struct{ ID, Text, Pack string }
	files    map[string][]byte
	packs    map[string][]packedText
}

type packedText struct {
	key  string
	json []byte // verbatim
}

func readPublishedTexts(t *testing.T, pub, id string) publishedTexts {
	t.Helper()
	var p publishedTexts
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(pub, id, "versions", "versions.json"))), &p.versions); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(pub, id, "versions", "blocks")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	p.files, p.packs = map[string][]byte{}, map[string][]packedText{}
	for _, ent := range ents {
		b, err := os.ReadFile(filepath.Join(dir, ent.Name()))
		if err != nil {
			t.Fatal(err)
		}
		p.files[ent.Name()] = b
		dec := json.NewDecoder(bytes.NewReader(b))
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			t.Fatalf("pack %s: not a JSON object: %v %v", ent.Name(), tok, err)
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				t.Fatalf("pack %s: %v", ent.Name(), err)
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				t.Fatalf("pack %s: %v", ent.Name(), err)
			}
			p.packs[ent.Name()] = append(p.packs[ent.Name()], packedText{key: tok.(string), json: raw})
		}
		if _, err := dec.Token(); err != nil {
			t.Fatalf("pack %s: %v", ent.Name(), err)
		}
	}
	return p
}

// wantTexts is the JSON of each version's text (redline.Marshal of the
// blocks and front matter a build reads), by version ID, from a catalog
// loaded anew; and the versions' IDs, oldest first. A version too large to
// compare has none.
func wantTexts(t *testing.T, dir, id string) (map[string][]byte, []string) {
	t.Helper()
	c, err := Load(t.Context(), LoadOptions{Repo: dir, HistoryOptions: HistoryOptions{NoCache: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	e, err := c.Find(id)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string][]byte{}
	var ids []string
	for i := len(e.Versions) - 1; i >= 0; i-- {
		v := e.Versions[i]
		ids = append(ids, v.ID)
		if v.TooLarge() {
			continue
		}
		s, err := c.VersionSide(e, v)
		if err != nil {
			t.Fatal(err)
		}
		if texts[v.ID], err = redline.Marshal(versionText(v, s)); err != nil {
			t.Fatal(err)
		}
	}
	return texts, ids
}

// checkPacks checks a document's published texts against the texts a
// build reads, and returns its packs' sizes in members, oldest first:
// every version resolves to its text, by its pack and key; the distinct
// texts, oldest first, are the packs' members in order; a pack is closed
// exactly when it holds packMaxTexts texts or packMaxBytes of them; each
// pack is named by its members' sums; and no other file is published.
func checkPacks(t *testing.T, got publishedTexts, want map[string][]byte, oldestFirst []string) []int {
	t.Helper()
	byID := map[string]struct{ ID, Text, Pack string }{}
	for _, v := range got.versions {
		byID[v.ID] = v
	}
	if len(byID) != len(oldestFirst) {
		t.Fatalf("versions.json lists %d versions, want %d", len(byID), len(oldestFirst))
	}
	// The distinct texts, oldest first, and the packs as they come.
	var distinct [][]byte
	var order []string
	for _, id := range oldestFirst {
		v, w := byID[id], want[id]
		if w == nil {
			if v.Text != "" || v.Pack != "" {
				t.Errorf("version %s is too large to compare but has text %q in pack %q", id, v.Text, v.Pack)
			}
			continue
		}
		sum := sha256.Sum256(w)
		if v.Text != hex.EncodeToString(sum[:10]) {
			t.Errorf("version %s: key %q, want the first 10 bytes of its text's SHA-256", id, v.Text)
		}
		var member []byte
		for _, m := range got.packs[v.Pack] {
			if m.key == v.Text {
				member = m.json
			}
		}
		if !bytes.Equal(member, w) {
			t.Errorf("version %s: text %s of pack %q is\n%.300s\nwant\n%.300s", id, v.Text, v.Pack, member, w)
		}
		if !slices.ContainsFunc(distinct, func(d []byte) bool { return bytes.Equal(d, w) }) {
			distinct = append(distinct, w)
			if !slices.Contains(order, v.Pack) {
				order = append(order, v.Pack)
			}
		}
	}
	if len(order) != len(got.packs) {
		t.Errorf("%d packs published, %d used by versions.json", len(got.packs), len(order))
	}
	var members [][]byte
	var sizes []int
	for k, name := range order {
		pack := got.packs[name]
		sizes = append(sizes, len(pack))
		h := sha256.New()
		n := 0
		for j, m := range pack {
			members = append(members, m.json)
			sum := sha256.Sum256(m.json)
			h.Write(sum[:])
			if full := j+1 == packMaxTexts || n+len(m.json) >= packMaxBytes; full && j+1 < len(pack) {
				t.Errorf("pack %d (%s) not closed at its %d texts of %d bytes: it holds %d", k, name, j+1, n+len(m.json), len(pack))
			}
			n += len(m.json)
		}
		if last := k == len(order)-1; !last && len(pack) < packMaxTexts && n < packMaxBytes {
			t.Errorf("pack %d (%s) closed at %d texts of %d bytes", k, name, len(pack), n)
		}
		if want := hex.EncodeToString(h.Sum(nil)[:10]) + ".json"; name != want {
			t.Errorf("pack %d is named %s, want %s (its members' sums)", k, name, want)
		}
	}
	if len(members) != len(distinct) {
		t.Errorf("%d texts in the packs, want the %d distinct ones", len(members), len(distinct))
	} else {
		for i := range members {
			if !bytes.Equal(members[i], distinct[i]) {
				t.Errorf("the packs' member %d is not distinct text %d, oldest first", i, i)
				break
			}
		}
	}
	return sizes
}

// commitVersions commits n versions of content/dpa.md, one a day from
// day start, text(i) the ith.
func commitVersions(r *gittest.Repo, start, n int, text func(i int) string) {
	day := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	for i := start; i < start+n; i++ {
		r.Write("content/dpa.md", text(i))
		r.Commit(day.AddDate(0, 0, i).Format(time.RFC3339), fmt.Sprintf("Revision %d", i))
	}
}

func smallDPA(i int) string {
	return fmt.Sprintf("# DPA\n\n## 1. Scope\n\nRevision %d of the agreement.\n\n## 2. Security\n\nThe processor keeps the data safe.\n", i)
}

// TestTextPacksByCount: 40 versions of a small text are published in
// three packs of 16, 16 and 8 texts, oldest first; each version's entry in
// versions.json names its text's pack and key. One more commit changes
// only the last pack: the full ones are the same files, linked from the
// page cache (not written again), and the output is a cold build's.
func TestTextPacksByCount(t *testing.T) {
	r := gittest.New(t)
	commitVersions(r, 0, 40, smallDPA)
	out := filepath.Join(t.TempDir(), "public")
	opts := Options{Out: out, HistoryOptions: HistoryOptions{CacheDir: t.TempDir()}}
	mustBuild(t, r.Dir, opts)
	want, ids := wantTexts(t, r.Dir, "dpa")
	before := readPublishedTexts(t, out, "dpa")
	if sizes := checkPacks(t, before, want, ids); !slices.Equal(sizes, []int{16, 16, 8}) {
		t.Fatalf("packs of %v texts, want [16 16 8]", sizes)
	}
	full := map[string]os.FileInfo{}
	for _, v := range before.versions {
		if name := v.Pack; len(before.packs[name]) == packMaxTexts && full[name] == nil {
			fi, err := os.Stat(filepath.Join(out, "dpa", "versions", "blocks", name))
			if err != nil {
				t.Fatal(err)
			}
			full[name] = fi
		}
	}

	commitVersions(r, 40, 1, smallDPA)
	mustBuild(t, r.Dir, opts)
	want, ids = wantTexts(t, r.Dir, "dpa")
	after := readPublishedTexts(t, out, "dpa")
	if sizes := checkPacks(t, after, want, ids); !slices.Equal(sizes, []int{16, 16, 9}) {
		t.Fatalf("after a commit: packs of %v texts, want [16 16 9]", sizes)
	}
	if len(full) != 2 {
		t.Fatalf("%d full packs before the commit", len(full))
	}
	for name, fi := range full {
		now, err := os.Stat(filepath.Join(out, "dpa", "versions", "blocks", name))
		if err != nil {
			t.Errorf("full pack %s is gone after a commit: %v", name, err)
			continue
		}
		if !bytes.Equal(after.files[name], before.files[name]) {
			t.Errorf("full pack %s changed after a commit", name)
		}
		if !os.SameFile(fi, now) {
			t.Errorf("full pack %s was written again after a commit, not kept", name)
		}
	}
	changed := 0
	for name := range after.files {
		if full[name] == nil {
			changed++
			if before.files[name] != nil {
				t.Errorf("the last pack %s did not change after a commit", name)
			}
		}
	}
	if changed != 1 || len(after.files) != 3 {
		t.Errorf("after a commit: %d packs, %d new; want 3, 1", len(after.files), changed)
	}

	// As a build without the page cache writes them.
	cold := filepath.Join(t.TempDir(), "cold")
	mustBuild(t, r.Dir, Options{Out: cold, HistoryOptions: HistoryOptions{NoCache: true}})
	got, wantTree := tree(t, filepath.Join(out, "dpa", "versions")), tree(t, filepath.Join(cold, "dpa", "versions"))
	if d := diffTrees(got, wantTree); len(d) > 0 {
		t.Errorf("after a commit: %d files differ from a cold build's:\n%s", len(d), strings.Join(d, "\n"))
	}
}

// TestTextPacksByBytes: versions of some 68 kB of JSON each close a pack
// at 256 KiB, before it holds 16: four to a pack.
func TestTextPacksByBytes(t *testing.T) {
	r := gittest.New(t)
	var body strings.Builder
	for i := range 350 {
		fmt.Fprintf(&body, "## %d. Clause %d\n\nThe processor shall keep record %d of every processing activity it carries out.\n\n", i+1, i+1, i)
	}
	commitVersions(r, 0, 10, func(i int) string {
		return fmt.Sprintf("# DPA\n\nRevision %d.\n\n", i) + body.String()
	})
	mustBuild(t, r.Dir, Options{})
	want, ids := wantTexts(t, r.Dir, "dpa")
	if n := len(want[ids[0]]); n < 66_000 || n > 87_000 {
		t.Fatalf("a text of %d bytes, want 66–87 kB (4 reach 256 KiB, 3 do not)", n)
	}
	sizes := checkPacks(t, readPublishedTexts(t, filepath.Join(r.Dir, "public"), "dpa"), want, ids)
	// 4 × 68 kB reach 256 KiB; 3 do not.
	if !slices.Equal(sizes, []int{4, 4, 2}) {
		t.Errorf("packs of %v texts of %d bytes, want [4 4 2]", sizes, len(want[ids[0]]))
	}
}

// TestTextPacksShareIdenticalTexts: versions with the same text (a text
// restored, and restored again) are one member of a pack, which
// versions.json gives all of them; a version too large to compare has
// neither pack nor key.
func TestTextPacksShareIdenticalTexts(t *testing.T) {
	r := gittest.New(t)
	texts := []string{smallDPA(0), smallDPA(1), smallDPA(0), hugeText("DPA"), smallDPA(2), smallDPA(1)}
	commitVersions(r, 0, len(texts), func(i int) string { return texts[i] })
	mustBuild(t, r.Dir, Options{})
	want, ids := wantTexts(t, r.Dir, "dpa")
	got := readPublishedTexts(t, filepath.Join(r.Dir, "public"), "dpa")
	if sizes := checkPacks(t, got, want, ids); !slices.Equal(sizes, []int{3}) {
		t.Fatalf("packs of %v texts, want one of 3", sizes)
	}
	at := map[string]string{}
	for _, v := range got.versions {
		at[v.ID] = v.Pack + " " + v.Text
	}
	if at[ids[0]] != at[ids[2]] || at[ids[1]] != at[ids[5]] || at[ids[0]] == at[ids[1]] || at[ids[3]] != " " {
		t.Errorf("versions oldest first at %q", []string{at[ids[0]], at[ids[1]], at[ids[2]], at[ids[3]], at[ids[4]], at[ids[5]]})
	}
}

// TestTextPacksFromTheOutputReused: a pack the page cache lost but the
// output reused has (it is the same file) is kept there, found by the sum
// the memo keeps of it: its members are not read.
func TestTextPacksFromTheOutputReused(t *testing.T) {
	r := gittest.New(t)
	commitVersions(r, 0, 20, smallDPA)
	out := filepath.Join(t.TempDir(), "public")
	cacheDir := t.TempDir()
	opts := Options{Out: out, HistoryOptions: HistoryOptions{CacheDir: cacheDir}}
	for range 2 {
		mustBuild(t, r.Dir, opts)
	}
	before := readPublishedTexts(t, out, "dpa")
	if res := mustBuild(t, r.Dir, opts); res.BodiesRead != 0 {
		t.Fatalf("nothing changed: %d bodies and texts read", res.BodiesRead)
	}
	isPack := regexp.MustCompile(`^\{"[0-9a-f]{20}":\{`)
	lost := 0
	filepath.WalkDir(filepath.Join(cacheDir, PageCacheFolder, "files"), func(p string, d os.DirEntry, err error) error {
		if b, rerr := os.ReadFile(p); err == nil && d.Type().IsRegular() && rerr == nil && isPack.Match(b) {
			if os.Remove(p) == nil {
				lost++
			}
		}
		return nil
	})
	if lost != len(before.packs) {
		t.Fatalf("%d packs removed from the page cache, want %d", lost, len(before.packs))
	}
	res := mustBuild(t, r.Dir, opts)
	if res.BodiesRead != 0 {
		t.Errorf("the page cache lost the packs the output reused has: %d texts read", res.BodiesRead)
	}
	after := readPublishedTexts(t, out, "dpa")
	if len(after.files) != len(before.files) {
		t.Errorf("%d packs, want %d", len(after.files), len(before.files))
	}
	for name, b := range before.files {
		if !bytes.Equal(after.files[name], b) {
			t.Errorf("pack %s differs", name)
		}
	}
}

// TestTextPacksBeyondTheMemoryBound: texts beyond the bound of those kept
// in memory until their packs are written are read again from the memo;
// the packs are the same.
func TestTextPacksBeyondTheMemoryBound(t *testing.T) {
	r := gittest.New(t)
	commitVersions(r, 0, 20, smallDPA)
	want := filepath.Join(t.TempDir(), "public")
	mustBuild(t, r.Dir, Options{Out: want, HistoryOptions: HistoryOptions{NoCache: true}})
	out := filepath.Join(t.TempDir(), "public")
	// Two texts' worth: the others are read from the memo.
	res := mustBuild(t, r.Dir, Options{Out: out, HistoryOptions: HistoryOptions{CacheDir: t.TempDir()}, textsHeldMax: 700})
	if res.BodiesRead < 18 {
		t.Errorf("%d texts read from the memo, want 18 or more", res.BodiesRead)
	}
	if d := diffTrees(tree(t, filepath.Join(out, "dpa", "versions")), tree(t, filepath.Join(want, "dpa", "versions"))); len(d) > 0 {
		t.Errorf("%d files differ from a cold build's:\n%s", len(d), strings.Join(d, "\n"))
	}
}

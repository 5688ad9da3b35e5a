package history

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseMessage(t *testing.T) {
	tests := []struct {
		name     string
		msg      string
		merge    bool
		subject  string
		raw      string
		body     string
		trailers map[string][]string
		material bool
	}{
		{
			name: "plain", msg: "Update DPA\n", subject: "Update DPA", raw: "Update DPA", material: true,
		},
		{
			name:    "summary trailer wins over the subject",
			msg:     "dpa: s/72h/48h/, fix #12\n\nSummary: Personal data breaches are now notified within\n  48 hours instead of 72.\nChange-Type: material\n",
			subject: "Personal data breaches are now notified within 48 hours instead of 72.", raw: "dpa: s/72h/48h/, fix #12",
			trailers: map[string][]string{"Summary": {"Personal data breaches are now notified within 48 hours instead of 72."}, "Change-Type": {"material"}}, material: true,
		},
		{
			name: "summary trailer wins over a pull request title", merge: true,
			msg:     "Merge pull request #7 from acme/breach\n\nShorter breach notice\n\nSummary: Breaches are notified within 48 hours.\n",
			subject: "Breaches are notified within 48 hours.", raw: "Merge pull request #7 from acme/breach",
			trailers: map[string][]string{"Summary": {"Breaches are notified within 48 hours."}}, material: true,
		},
		{
			name: "multi-line subject like %s", msg: "Update the DPA\nand the annex\n\nWhy.\n",
			subject: "Update the DPA and the annex", raw: "Update the DPA and the annex", body: "Why.", material: true,
		},
		{
			name:    "minor trailer",
			msg:     "Fix typo\n\nJust a typo.\n\nchange-type: MINOR\nSigned-off-by: A <a@example.com>\n",
			subject: "Fix typo", raw: "Fix typo", body: "Just a typo.",
			trailers: map[string][]string{"Change-Type": {"MINOR"}, "Signed-Off-By": {"A <a@example.com>"}},
		},
		{
			name: "material trailer", msg: "Add clause\n\nChange-Type: material\n",
			subject: "Add clause", raw: "Add clause",
			trailers: map[string][]string{"Change-Type": {"material"}}, material: true,
		},
		{
			name: "minor and material: material wins", msg: "Edit\n\nChange-Type: minor\nChange-Type: material\n",
			subject: "Edit", raw: "Edit",
			trailers: map[string][]string{"Change-Type": {"minor", "material"}}, material: true,
		},
		{
			name: "continuation line", msg: "Edit\n\nCo-authored-by: A\n  <a@example.com>\nRefs: #1\n",
			subject: "Edit", raw: "Edit",
			trailers: map[string][]string{"Co-Authored-By": {"A <a@example.com>"}, "Refs": {"#1"}}, material: true,
		},
		{
			name: "not a trailer block: prose", msg: "Edit\n\nNote: this is prose\nand not a trailer.\n",
			subject: "Edit", raw: "Edit", body: "Note: this is prose\nand not a trailer.", material: true,
		},
		{
			name:    "git-generated trailer allows other lines",
			msg:     "Edit\n\nBody.\n\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\nSigned-off-by: A <a@b>\n",
			subject: "Edit", raw: "Edit", body: "Body.",
			trailers: map[string][]string{"Signed-Off-By": {"A <a@b>"}}, material: true,
		},
		{
			name: "subject only is never a trailer", msg: "Change-Type: minor\n",
			subject: "Change-Type: minor", raw: "Change-Type: minor", material: true,
		},
		{
			name: "github merge", merge: true,
			msg:     "Merge pull request #12 from acme/cookies\n\nAdd cookie policy\n\nLonger description.\n\nChange-Type: minor\n",
			subject: "Add cookie policy", raw: "Merge pull request #12 from acme/cookies", body: "Longer description.",
			trailers: map[string][]string{"Change-Type": {"minor"}},
		},
		{
			name: "github merge without title", merge: true, msg: "Merge pull request #12 from acme/cookies\n",
			subject: "Merge pull request #12 from acme/cookies", raw: "Merge pull request #12 from acme/cookies", material: true,
		},
		{
			name: "gitlab merge", merge: true,
			msg:     "Merge branch 'cookies' into 'main'\n\nAdd cookie policy\n\nCloses #3\n\nSee merge request acme/legal!7\n",
			subject: "Add cookie policy", raw: "Merge branch 'cookies' into 'main'", body: "Closes #3\n\nSee merge request acme/legal!7", material: true,
		},
		{
			name: "gitlab merge without description", merge: true,
			msg:     "Merge branch 'cookies' into 'main'\n\nSee merge request acme/legal!7\n",
			subject: "Merge branch 'cookies' into 'main'", raw: "Merge branch 'cookies' into 'main'", body: "See merge request acme/legal!7", material: true,
		},
		{
			name: "azure devops merge", merge: true, msg: "Merged PR 42: Update cookie policy\n",
			subject: "Update cookie policy", raw: "Merged PR 42: Update cookie policy", material: true,
		},
		{
			name: "local merge keeps its subject", merge: true, msg: "Merge branch 'cookies'\n\nSome text.\n",
			subject: "Merge branch 'cookies'", raw: "Merge branch 'cookies'", body: "Some text.", material: true,
		},
		{
			name: "github-like subject on a non-merge commit", msg: "Merge pull request #12 from acme/cookies\n\nTitle\n",
			subject: "Merge pull request #12 from acme/cookies", raw: "Merge pull request #12 from acme/cookies", body: "Title", material: true,
		},
		{
			name: "CRLF and leading blank lines", msg: "\r\n\r\nEdit\r\n\r\nBody\r\n",
			subject: "Edit", raw: "Edit", body: "Body", material: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := parseMessage(tt.msg, tt.merge)
			if m.subject != tt.subject || m.rawSubject != tt.raw || m.body != tt.body {
				t.Errorf("subject %q raw %q body %q\nwant    %q raw %q body %q", m.subject, m.rawSubject, m.body, tt.subject, tt.raw, tt.body)
			}
			if !reflect.DeepEqual(m.trailers, tt.trailers) {
				t.Errorf("trailers = %v, want %v", m.trailers, tt.trailers)
			}
			if m.material() != tt.material {
				t.Errorf("material = %v, want %v", m.material(), tt.material)
			}
		})
	}
}

// TestChangeType tells a version marked material from one that is
// material by default: only the first may override what its text says.
func TestChangeType(t *testing.T) {
	for msg, want := range map[string]string{
		"Edit\n":                          "",
		"Edit\n\nChange-Type: minor\n":    ChangeTypeMinor,
		"Edit\n\nChange-Type: Material\n": ChangeTypeMaterial,
		"Edit\n\nChange-Type: minor\nChange-Type: material\n": ChangeTypeMaterial,
		"Edit\n\nChange-Type: minor\nChange-Type: major\n":    "",
		"Edit\n\nChange-Type: editorial\n":                    "",
		"Edit\n\nRefs: #1\n":                                  "",
	} {
		m := parseMessage(msg, false)
		v := Version{Trailers: m.trailers, Material: m.material()}
		if got := v.ChangeType(); got != want {
			t.Errorf("%q: ChangeType %q, want %q", msg, got, want)
		}
		if v.Material != (v.ChangeType() != ChangeTypeMinor) {
			t.Errorf("%q: Material %v disagrees with ChangeType %q", msg, v.Material, v.ChangeType())
		}
	}
}

func TestParseCommit(t *testing.T) {
	raw := "tree 0123456789abcdef0123456789abcdef01234567\n" +
		"parent 1111111111111111111111111111111111111111\n" +
		"parent 2222222222222222222222222222222222222222\n" +
		"author A <a@example.com> 1700000000 +0100\n" +
		"committer C <c@example.com> 1700003600 -0230\n" +
		"gpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n" +
		"\n" +
		"Subject\n\nBody\n"
	c, err := parseCommit([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if c.tree.String() != "0123456789abcdef0123456789abcdef01234567" || len(c.parents) != 2 ||
		c.parents[1].String() != "2222222222222222222222222222222222222222" {
		t.Errorf("tree %s parents %v", c.tree, c.parents)
	}
	if got := c.date.Format(time.RFC3339); got != "2023-11-14T20:43:20-02:30" {
		t.Errorf("date = %s", got)
	}
	if c.message != "Subject\n\nBody\n" {
		t.Errorf("message = %q", c.message)
	}
	if _, err := parseCommit([]byte("tree xyz\n\nmsg")); err == nil {
		t.Error("bad commit: no error")
	}
}

func TestIsMarkdown(t *testing.T) {
	for p, want := range map[string]bool{
		"content/dpa.md": true, "a/B.MD": true, "x.markdown": true, "x.Markdown": true,
		"md": false, "x.mdx": false, "x.txt": false, "content/md/x": false, ".md": true,
	} {
		if got := IsMarkdown(p); got != want {
			t.Errorf("IsMarkdown(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestCapMessage checks that huge commit messages are cut to the caps with
// a note giving their size, keeping valid UTF-8 and the trailer block.
func TestCapMessage(t *testing.T) {
	huge := strings.Repeat("é", 4<<20) // 8 MiB, two bytes a rune
	for _, c := range []struct {
		name            string
		msg             string
		merge           bool
		subject, body   string // prefixes the parsed fields must have
		material        bool
		trailerKeptFrom string
	}{
		{name: "subject", msg: huge + "\n\nWhy.\n", subject: "éé", body: "Why.", material: true},
		{name: "body with minor trailer", msg: "Edit\n\n" + huge + "\n\nChange-Type: minor\n", subject: "Edit", body: "éé"},
		{name: "multi-line subject", msg: strings.Repeat("word ", 1000) + "\nmore\n", subject: "word word", material: true},
		{name: "pull request title", msg: "Merge pull request #1 from a/b\n\n" + strings.Repeat("t", 10<<10) + "\n\nBody.\n",
			merge: true, subject: "ttt", body: "Body.", material: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			capped := capMessage(c.msg)
			if len(capped) > MaxSubject+MaxBody+maxTrailers+200 {
				t.Errorf("capped message is %d bytes", len(capped))
			}
			m := parseMessage(capped, c.merge)
			if len(m.subject) > MaxSubject+100 || len(m.rawSubject) > MaxSubject+100 || len(m.body) > MaxBody+100 {
				t.Errorf("subject %d, raw subject %d, body %d bytes", len(m.subject), len(m.rawSubject), len(m.body))
			}
			if !strings.HasPrefix(m.subject, c.subject) || !strings.HasPrefix(m.body, c.body) {
				t.Errorf("subject %.40q…, body %.40q…", m.subject, m.body)
			}
			for _, s := range []string{m.subject, m.rawSubject, m.body} {
				if !utf8.ValidString(s) {
					t.Errorf("invalid UTF-8 after the cut: %q", s[len(s)-80:])
				}
			}
			cut := len(c.msg) > MaxSubject+MaxBody || len(m.subject) > MaxSubject
			note := fmt.Sprintf("[truncated by Clause: the commit message is %d bytes]", len(c.msg))
			if c.merge {
				note = "[truncated by Clause: the pull request title is "
			}
			if all := m.subject + "\n" + m.body; cut && !strings.Contains(all, note) {
				t.Errorf("no note %q", note)
			}
			if m.material() != c.material {
				t.Errorf("material = %v, want %v (trailers %v)", m.material(), c.material, m.trailers)
			}
		})
	}
	small := "Fix typo\n\nBody.\n\nChange-Type: minor\n"
	if got := capMessage(small); got != small {
		t.Errorf("a message within the caps changed: %q", got)
	}
	ok := strings.Repeat("x", MaxSubject) + "\n\n" + strings.Repeat("y\n", MaxBody/2)
	if got := capMessage(ok); got != ok {
		t.Errorf("a message at the caps changed")
	}
}

// TestReadCapsCommitMessages reads a history whose commits have 8 MiB
// subjects and bodies: the versions carry the capped form, and so does the
// history cache.
func TestReadCapsCommitMessages(t *testing.T) {
	g := newGitRepo(t)
	subject := strings.Repeat("S", 8<<20)
	g.write("content/dpa.md", text("DPA", 3, nil))
	g.commit("2024-05-01T10:00:00Z", subject+"\n")
	g.write("content/dpa.md", text("DPA", 3, map[int]string{1: "Edit."}))
	g.commit("2024-05-02T10:00:00Z", "Edit\n\n"+subject+"\n\nChange-Type: minor\n")
	cache := filepath.Join(t.TempDir(), "cache")
	var n int
	for range 2 { // filling the cache, then from it
		h := readWith(t, g.dir, cacheQuery(t, cache, &n))
		d := findDoc(h, "content/dpa.md")
		if len(d.Versions) != 2 {
			t.Fatalf("%d versions", len(d.Versions))
		}
		edit, first := d.Versions[0], d.Versions[1]
		if len(first.Subject) > MaxSubject+100 || !strings.Contains(first.Subject, "[truncated by Clause: the commit message is 8388609 bytes]") {
			t.Errorf("first subject: %d bytes, ends %q", len(first.Subject), first.Subject[max(0, len(first.Subject)-80):])
		}
		if edit.Subject != "Edit" || len(edit.Body) > MaxBody+100 || !strings.Contains(edit.Body, "[truncated by Clause") || edit.Material {
			t.Errorf("edit: subject %q, body %d bytes, material %v", edit.Subject, len(edit.Body), edit.Material)
		}
	}
	file, _ := cacheFileIn(t, cache)
	if fi, err := os.Stat(file); err != nil || fi.Size() > 1<<20 {
		t.Errorf("cache file: %v, %d bytes", err, fi.Size())
	}
}

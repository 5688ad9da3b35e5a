package history

import (
	"reflect"
	"testing"
	"time"
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

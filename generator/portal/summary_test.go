package portal

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestRegisterVersionsInRegisterWords: a sub-processor list's versions are
// described by what they did to the register, with the objection
// deadline, alike on the versions page, the changelog, the register page,
// the feeds, the API and the notices.
func TestRegisterVersionsInRegisterWords(t *testing.T) {
	r := registerRepo(t)
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/"})
	pub := filepath.Join(r.Dir, "public")
	const words = "1 added (Ledgerly AB), 1 changed (Mailbird Europe GmbH: name Mailbird Inc. → Mailbird Europe GmbH, location United States → Germany, " +
		"transfer mechanism EU-US Data Privacy Framework → Not applicable (EEA))"
	const deadline = "; objections due by 10 December 2026"
	for _, page := range []string{"subprocessors/versions/index.html", "changelog/index.html"} {
		html := readFile(t, filepath.Join(pub, filepath.FromSlash(page)))
		if !strings.Contains(html, `<span class="change-summary">`+words+deadline+`</span>`) {
			t.Errorf("%s does not describe the newest version in register words", page)
		}
		if !strings.Contains(html, `<span class="change-summary">No change to the sub-processors; 1 clause moved</span>`) {
			t.Errorf("%s does not say that reordering changed no sub-processor", page)
		}
		if strings.Contains(html, "clause changed") {
			t.Errorf("%s describes a sub-processor version in document words", page)
		}
	}
	register := readFile(t, filepath.Join(pub, "subprocessors", "index.html"))
	if !strings.Contains(register, "— "+words+"\n") || !strings.Contains(register, `objections due by <time datetime="2026-12-10">10 December 2026</time>`) {
		t.Errorf("register page does not describe the newest version in register words")
	}
	feed := readFile(t, filepath.Join(pub, "feeds", "subprocessors.json"))
	if !strings.Contains(feed, `"summary": "Material change to Sub-processors: Add Ledgerly; Mailbird moves to its EU entity. `+words+deadline+`.`) {
		t.Errorf("feed entry not in register words:\n%s", feed)
	}
	subs := readSubprocessorsAPI(t, pub)
	if got := subs.Lists[0].History[0].Summary; got != words {
		t.Errorf("API summary %q", got)
	}
	c, err := Load(context.Background(), LoadOptions{Repo: r.Dir, Now: now, HistoryOptions: HistoryOptions{NoCache: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	notices, err := c.Notices("https://legal.example.com/")
	if err != nil {
		t.Fatal(err)
	}
	if n := notices[len(notices)-1]; n.Summary != words+deadline || n.Subprocessors == nil || n.Subprocessors.ObjectionDeadline != "2026-12-10" {
		t.Errorf("notice summary %q", n.Summary)
	}
}

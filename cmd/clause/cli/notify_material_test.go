package cli

import (
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

// TestNotifyLayoutOnlyVersionSendsNothing: a commit that only re-wraps a
// document is archived but never notified; the same re-wrap marked
// Change-Type: material is notified, once; a change of words is notified.
func TestNotifyLayoutOnlyVersionSendsNothing(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/privacy.md", "# Privacy Policy\n\nWe keep your data for one year and then delete it.\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish privacy policy")
	rc := newReceiver(t)
	env := map[string]string{"CLAUSE_WEBHOOK_SECRET": testSecret}
	args := []string{"--repo", r.Dir, "--base-url", "https://legal.example.com/", "--webhook", "crm=" + rc.srv.URL}
	send := func(step string, extra ...string) {
		t.Helper()
		if code, out, errOut := notifyRunCmd(t, env, append(args, extra...)...); code != ExitOK {
			t.Fatalf("%s: exit %d\n%s%s", step, code, out, errOut)
		}
	}
	send("first run", "--since", "2026-01-01")

	r.Write("content/privacy.md", "# Privacy Policy\n\nWe keep your data\nfor one year and then\ndelete it.\n")
	r.Commit("2026-02-10T09:00:00Z", "Rewrap privacy policy")
	send("after a re-wrap")
	if got := strings.Join(rc.subjects(), "|"); got != "Publish privacy policy" {
		t.Errorf("after a re-wrap, delivered: %s", got)
	}

	r.Write("content/privacy.md", "# Privacy Policy\n\nWe keep your data for one year\nand then delete it.\n")
	r.Commit("2026-03-10T09:00:00Z", "Rewrap, reviewed by counsel\n\nChange-Type: material")
	send("after a re-wrap marked material")
	send("rerun")
	if got := strings.Join(rc.subjects(), "|"); got != "Publish privacy policy|Rewrap, reviewed by counsel" {
		t.Errorf("after a re-wrap marked material and a rerun, delivered: %s", got)
	}
	if ev := rc.got[1]["data"].(map[string]any); ev["material"] != true || ev["summary"] != "No textual change (layout only)" {
		t.Errorf("payload of the re-wrap marked material: material %v summary %v", ev["material"], ev["summary"])
	}

	r.Write("content/privacy.md", "# Privacy Policy\n\nWe keep your data for six months\nand then delete it.\n")
	r.Commit("2026-04-10T09:00:00Z", "Privacy: shorter retention")
	send("after a change of words")
	send("rerun")
	if got := strings.Join(rc.subjects(), "|"); got != "Publish privacy policy|Rewrap, reviewed by counsel|Privacy: shorter retention" {
		t.Errorf("after a change of words, delivered: %s", got)
	}
}

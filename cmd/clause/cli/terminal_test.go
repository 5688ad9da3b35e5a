package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

// hostile holds the terminal controls a commit subject or a document may
// carry: a screen clear, an OSC 52 clipboard write, a C1 CSI, concealed
// text, and a carriage return that overwrites the line.
const hostile = "\x1b[2J\x1b[H\x1b]52;c;cm0gLXJmIH4=\x07\u009b31m\x1b[8m\r"

// assertNoControls fails when out contains a control character other than
// a line feed or a tab, or an escape sequence not in allowed.
func assertNoControls(t *testing.T, what, out string, allowed ...string) {
	t.Helper()
	for _, a := range allowed {
		out = strings.ReplaceAll(out, a, "")
	}
	for _, r := range out {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			t.Errorf("%s prints control character %U:\n%q", what, r, out)
			return
		}
	}
}

func TestLogAndDiffEscapeTerminalControlsFromContent(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "---\ntitle: \"DPA \\e[2J\"\n---\n## 1. Breach\n\nNotice within 72 hours.\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish "+hostile)
	r.Write("content/dpa.md", "---\ntitle: \"DPA \\e[2J\"\n---\n## 1. Breach\n\nNotice within 48 hours"+hostile+".\n")
	r.Commit("2026-05-10T09:00:00Z", "Shorter "+hostile)

	code, out, errOut := run(t, "log", "dpa", "--repo", r.Dir)
	if code != ExitOK {
		t.Fatalf("log: %d %s", code, errOut)
	}
	assertNoControls(t, "clause log", out)
	if !strings.Contains(out, `Shorter \x1b[2J\x1b[H\x1b]52;c;`) || !strings.Contains(out, `DPA \x1b[2J`) {
		t.Errorf("clause log does not show the escaped subject and title:\n%s", out)
	}

	code, out, errOut = run(t, "log", "--repo", r.Dir)
	if code != ExitOK {
		t.Fatalf("log: %d %s", code, errOut)
	}
	assertNoControls(t, "clause log (all)", out)

	for _, color := range []string{"never", "always"} {
		code, out, errOut = run(t, "diff", "dpa", "--repo", r.Dir, "--color", color)
		if code != ExitOK {
			t.Fatalf("diff: %d %s", code, errOut)
		}
		assertNoControls(t, "clause diff --color "+color, out, redlineColors...)
		if !strings.Contains(out, `\x1b]52;c;`) {
			t.Errorf("diff --color %s does not show the escaped text:\n%q", color, out)
		}
	}
}

// TestNotifyEscapesServerRepliesInItsOutput: a receiver's reply is quoted
// in notify's log and error, escaped (a guard: HTTP replies were quoted
// with %q before; the output is now escaped as a whole).
func TestNotifyEscapesServerRepliesInItsOutput(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "no \u009b2J\u009d52;c;eA==\u009c", http.StatusBadRequest)
	}))
	defer srv.Close()
	code, out, errOut := notifyRunCmd(t, map[string]string{"CLAUSE_WEBHOOK_SECRET": testSecret},
		"--repo", r.Dir, "--base-url", "https://legal.example.com/", "--webhook", "crm="+srv.URL, "--since", "2020-01-01")
	if code != ExitError || !strings.Contains(errOut, `no \u009b2J`) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	assertNoControls(t, "clause notify", out+errOut)
}

package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/clause-portal/clause/internal/gittest"
)

const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// receiver is a real HTTP server on loopback that verifies each delivery's
// signature with the standard-webhooks library.
type receiver struct {
	t        *testing.T
	srv      *httptest.Server
	mu       sync.Mutex
	failNext int
	requests int // every request, failed ones included
	got      []map[string]any
	ids      []string
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{t: t}
	verifier, err := standardwebhooks.NewWebhook(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		rc.requests++
		if rc.failNext > 0 {
			rc.failNext--
			http.Error(w, "temporarily down", http.StatusServiceUnavailable)
			return
		}
		if err := verifier.Verify(body, r.Header); err != nil {
			t.Errorf("signature does not verify: %v", err)
		}
		var ev map[string]any
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Errorf("payload: %v", err)
		}
		rc.got = append(rc.got, ev)
		rc.ids = append(rc.ids, r.Header.Get("webhook-id"))
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) subjects() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []string
	for _, ev := range rc.got {
		out = append(out, ev["data"].(map[string]any)["subject"].(string))
	}
	return out
}

func notifyRunCmd(t *testing.T, env map[string]string, args ...string) (ExitCode, string, string) {
	t.Helper()
	var out, errOut strings.Builder
	getenv := func(k string) string { return env[k] }
	code := Main(append([]string{"notify"}, args...), &IO{Out: &out, ErrOut: &errOut, In: strings.NewReader(""), Getenv: getenv})
	return code, out.String(), errOut.String()
}

func TestNotifyExactlyOnce(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "---\ntitle: DPA\n---\nv1\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish DPA")
	rc := newReceiver(t)
	env := map[string]string{"CLAUSE_WEBHOOK_SECRET": testSecret}
	args := []string{"--repo", r.Dir, "--base-url", "https://legal.example.com/", "--webhook", rc.srv.URL + "/hook", "--retries", "4"}

	// First run: baseline, nothing sent.
	code, out, errOut := notifyRunCmd(t, env, args...)
	if code != ExitOK || len(rc.subjects()) != 0 || !strings.Contains(out, "1 baselined") {
		t.Fatalf("first run: %d %q %q, received %v", code, out, errOut, rc.subjects())
	}
	if _, err := os.Stat(filepath.Join(r.Dir, ".clause", "notify-state.json")); err != nil {
		t.Fatal("no state file written")
	}

	// Two material versions and one minor in one push: two deliveries.
	r.Write("content/dpa.md", "---\ntitle: DPA\n---\nv2\n")
	r.Commit("2026-02-10T09:00:00Z", "DPA: 48-hour breach notice")
	r.Write("content/dpa.md", "---\ntitle: DPA\n---\nv2.\n")
	r.Commit("2026-02-11T09:00:00Z", "Typo\n\nChange-Type: minor")
	r.Write("content/privacy.md", "# Privacy\n")
	r.Commit("2026-02-12T09:00:00Z", "Publish privacy notice")
	rc.failNext = 2 // the receiver fails twice first: retried, still exactly once
	code, _, errOut = notifyRunCmd(t, env, append(args, "--timeout", "5s")...)
	if code != ExitOK {
		t.Fatalf("second run: %d %s", code, errOut)
	}
	if got := rc.subjects(); strings.Join(got, "|") != "DPA: 48-hour breach notice|Publish privacy notice" {
		t.Errorf("delivered %v", got)
	}
	ev := rc.got[0]["data"].(map[string]any)
	if ev["url"] != "https://legal.example.com/dpa/versions/"+ev["version_id"].(string)+"/" {
		t.Errorf("payload url %v", ev["url"])
	}

	// A rerun sends nothing.
	notifyRunCmd(t, env, args...)
	if n := len(rc.subjects()); n != 2 {
		t.Errorf("rerun sent again: %d deliveries", n)
	}

	// Server down for the whole run: exit 1; the next run delivers.
	r.Write("content/dpa.md", "---\ntitle: DPA\n---\nv3\n")
	r.Commit("2026-03-10T09:00:00Z", "DPA v3")
	rc.failNext = 1000
	code, _, errOut = notifyRunCmd(t, env, append(args[:len(args)-2], "--retries", "1")...)
	if code != ExitError || !strings.Contains(errOut, "DPA v3") && !strings.Contains(errOut, "dpa@") {
		t.Errorf("failing channel: exit %d, stderr %q", code, errOut)
	}
	rc.failNext = 0
	if code, _, errOut := notifyRunCmd(t, env, args...); code != ExitOK {
		t.Fatalf("recovery run: %d %s", code, errOut)
	}
	if got := rc.subjects(); len(got) != 3 || got[2] != "DPA v3" {
		t.Errorf("after recovery: %v", got)
	}
	seen := map[string]bool{}
	for _, id := range rc.ids {
		if seen[id] {
			t.Errorf("webhook-id %s delivered twice", id)
		}
		seen[id] = true
	}
}

func TestNotifyRefusals(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n")
	r.Write("subscribers.txt", "a@example.com\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish")
	base := []string{"--repo", r.Dir, "--base-url", "https://legal.example.com/"}

	code, _, errOut := notifyRunCmd(t, map[string]string{"CONTEXT": "deploy-preview", "CLAUSE_WEBHOOK_SECRET": testSecret}, append(base, "--webhook", "https://hooks.example/x")...)
	if code == ExitOK || !strings.Contains(errOut, "deploy-preview") {
		t.Errorf("deploy preview: %d %q", code, errOut)
	}
	code, _, errOut = notifyRunCmd(t, nil, base...)
	if code != ExitUsage || !strings.Contains(errOut, "no channel") {
		t.Errorf("no channel: %d %q", code, errOut)
	}
	code, _, errOut = notifyRunCmd(t, nil, append(base, "--webhook", "https://hooks.example/x")...)
	if code != ExitUsage || !strings.Contains(errOut, "CLAUSE_WEBHOOK_SECRET") {
		t.Errorf("no secret: %d %q", code, errOut)
	}
	code, _, errOut = notifyRunCmd(t, nil, append(base, "--smtp-url", "smtp://127.0.0.1:2525", "--mail-from", "legal@example.com", "--mail-to-file", filepath.Join(r.Dir, "subscribers.txt"))...)
	if code != ExitUsage || !strings.Contains(errOut, "inside the portal repository") {
		t.Errorf("subscribers in repo: %d %q", code, errOut)
	}
	code, _, errOut = notifyRunCmd(t, map[string]string{"CLAUSE_WEBHOOK_SECRET": testSecret}, "--repo", r.Dir, "--webhook", "https://hooks.example/x")
	if code != ExitError || !strings.Contains(errOut, "base_url") {
		t.Errorf("no base URL: %d %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, ".clause")); err == nil {
		t.Error("a refused run wrote state")
	}
}

// TestNotifyRefusesSubscriberFilesInsideTheRepository: the subscriber list
// must never be in the public repository, however the path is written.
func TestNotifyRefusesSubscriberFilesInsideTheRepository(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish")
	for _, name := range []string{"..subs.txt", "subscribers.txt", "content/subs.txt"} {
		if err := os.WriteFile(filepath.Join(r.Dir, name), []byte("a@example.com\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outside := t.TempDir()
	if err := os.Symlink(filepath.Join(r.Dir, "subscribers.txt"), filepath.Join(outside, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(r.Dir, filepath.Join(outside, "repo")); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{
		filepath.Join(r.Dir, "..subs.txt"),                       // a file name starting with "..", not a parent
		filepath.Join(r.Dir, "content", "..", "subscribers.txt"), // ".." inside the repository
		filepath.Join(outside, "link.txt"),                       // a link from outside to a file inside
		filepath.Join(outside, "repo", "content", "subs.txt"),    // through a link to the repository
		filepath.Join(outside, "..", filepath.Base(outside), "link.txt"),
	} {
		code, _, errOut := notifyRunCmd(t, nil, "--repo", r.Dir, "--base-url", "https://legal.example.com/",
			"--smtp-url", "smtp://127.0.0.1:2525", "--mail-from", "legal@example.com", "--mail-to-file", file)
		if code != ExitUsage || !strings.Contains(errOut, "inside the portal repository") {
			t.Errorf("--mail-to-file %s: exit %d, %q", file, code, errOut)
		}
	}
	// Through a link to the repository given as --repo, too.
	code, _, errOut := notifyRunCmd(t, nil, "--repo", filepath.Join(outside, "repo"), "--base-url", "https://legal.example.com/",
		"--smtp-url", "smtp://127.0.0.1:2525", "--mail-from", "legal@example.com", "--mail-to-file", filepath.Join(r.Dir, "..subs.txt"))
	if code != ExitUsage || !strings.Contains(errOut, "inside the portal repository") {
		t.Errorf("--repo through a link: exit %d, %q", code, errOut)
	}
	// A file next to the repository is fine (it fails later, connecting).
	beside := filepath.Join(filepath.Dir(r.Dir), filepath.Base(r.Dir)+"-subs.txt")
	if err := os.WriteFile(beside, []byte("a@example.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(beside)
	if inside, err := insideRepository(r.Dir, beside); err != nil || inside {
		t.Errorf("%s next to the repository: inside %v, %v", beside, inside, err)
	}
}

// TestNotifyRetriesZeroMeansOneAttempt: --retries N is N retries after the
// first attempt; 0 is one attempt, not the default.
func TestNotifyRetriesZeroMeansOneAttempt(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish DPA")
	rc := newReceiver(t)
	env := map[string]string{"CLAUSE_WEBHOOK_SECRET": testSecret}
	args := []string{"--repo", r.Dir, "--base-url", "https://legal.example.com/", "--webhook", rc.srv.URL + "/hook"}
	if code, _, errOut := notifyRunCmd(t, env, args...); code != ExitOK {
		t.Fatalf("baseline: %d %s", code, errOut)
	}
	r.Write("content/dpa.md", "# DPA v2\n")
	r.Commit("2026-02-10T09:00:00Z", "DPA v2")
	for _, c := range []struct {
		retries  string
		attempts int
	}{{"0", 1}, {"1", 2}} {
		rc.mu.Lock()
		rc.failNext, rc.requests = 1000, 0
		rc.mu.Unlock()
		code, _, errOut := notifyRunCmd(t, env, append(args, "--retries", c.retries, "--timeout", "5s")...)
		rc.mu.Lock()
		got := rc.requests
		rc.mu.Unlock()
		if code != ExitError || got != c.attempts {
			t.Errorf("--retries %s: exit %d, %d attempts, want %d (%s)", c.retries, code, got, c.attempts, errOut)
		}
	}
	if code, _, errOut := notifyRunCmd(t, env, append(args, "--retries", "-1")...); code != ExitUsage {
		t.Errorf("--retries -1: exit %d %s", code, errOut)
	}
}

// TestNotifyNamedWebhookKeepsPendingNoticesUntilDeliveredOrDropped: a
// notice that failed on a webhook's old URL is sent to its new URL (the
// channel is its name, not its URL); --drop gives one up explicitly. No
// URL path is ever printed or stored.
func TestNotifyNamedWebhookKeepsPendingNoticesUntilDeliveredOrDropped(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish DPA")
	rc := newReceiver(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	env := map[string]string{"CLAUSE_WEBHOOK_SECRET": testSecret}
	base := []string{"--repo", r.Dir, "--base-url", "https://legal.example.com/", "--retries", "0"}
	var printed strings.Builder
	notifyWith := func(hook string, extra ...string) (ExitCode, string) {
		t.Helper()
		code, out, errOut := notifyRunCmd(t, env, append(append(base, "--webhook", hook), extra...)...)
		printed.WriteString(out + errOut)
		return code, out + errOut
	}

	if code, out := notifyWith("crm=" + closedURL + "/hooks/T0KEN-OLD"); code != ExitOK || !strings.Contains(out, "webhook:crm: 1 baselined") {
		t.Fatalf("baseline: %d %s", code, out)
	}
	r.Write("content/dpa.md", "# DPA v2\n")
	r.Commit("2026-02-10T09:00:00Z", "DPA v2")
	if code, out := notifyWith("crm=" + closedURL + "/hooks/T0KEN-OLD"); code != ExitError || !strings.Contains(out, "webhook:crm: 1 skipped, 1 failed") {
		t.Fatalf("old URL down: %d %s", code, out)
	}
	// The receiver moved: the pending notice goes to the new URL.
	if code, out := notifyWith("crm=" + rc.srv.URL + "/hooks/T0KEN-NEW"); code != ExitOK || !strings.Contains(out, "webhook:crm: 1 sent, 1 skipped") {
		t.Fatalf("new URL: %d %s", code, out)
	}
	if got := rc.subjects(); len(got) != 1 || got[0] != "DPA v2" {
		t.Errorf("delivered %v, want the pending DPA v2", got)
	}

	// A notice that cannot be delivered is given up explicitly.
	r.Write("content/dpa.md", "# DPA v3\n")
	r.Commit("2026-03-10T09:00:00Z", "DPA v3")
	if code, _ := notifyWith("crm=" + closedURL + "/hooks/T0KEN-OLD"); code != ExitError {
		t.Fatal("want a failure")
	}
	code, out, errOut := notifyRunCmd(t, env, "--repo", r.Dir, "--base-url", "https://legal.example.com/", "--drop", "crm", "--dry-run")
	if code != ExitOK || !strings.Contains(out, "webhook:crm: would drop dpa@") {
		t.Fatalf("--drop --dry-run: %d %s %s", code, out, errOut)
	}
	code, out, errOut = notifyRunCmd(t, env, "--repo", r.Dir, "--drop", "webhook:crm=dpa")
	if code != ExitOK || !strings.Contains(out, "webhook:crm: dropped dpa@") {
		t.Fatalf("--drop: %d %s %s", code, out, errOut)
	}
	if code, out := notifyWith("crm=" + rc.srv.URL + "/hooks/T0KEN-NEW"); code != ExitOK || !strings.Contains(out, "webhook:crm: 3 skipped") || len(rc.subjects()) != 1 {
		t.Fatalf("after the drop: %d %s, delivered %v", code, out, rc.subjects())
	}
	for _, args := range [][]string{{"--drop", "nope"}, {"--drop", "crm=nodoc@x"}, {"--drop", "crm", "--webhook", "crm=" + rc.srv.URL}} {
		if code, _, errOut := notifyRunCmd(t, env, append([]string{"--repo", r.Dir, "--base-url", "https://legal.example.com/"}, args...)...); code != ExitUsage {
			t.Errorf("%v: exit %d %s", args, code, errOut)
		}
	}

	// A bare URL is named by its host, with a warning.
	code, out = notifyWith(rc.srv.URL + "/hooks/T0KEN-BARE")
	if code != ExitOK || !strings.Contains(out, "webhook:"+rc.srv.URL+": 3 baselined") || !strings.Contains(out, "--webhook NAME=URL") {
		t.Errorf("bare URL: %d %s", code, out)
	}

	state, err := os.ReadFile(filepath.Join(r.Dir, ".clause", "notify-state.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(state), "T0KEN") || strings.Contains(printed.String(), "T0KEN") {
		t.Errorf("a URL path was stored or printed:\n%s\n%s", state, printed.String())
	}
	if !strings.Contains(string(state), `"dropped": true`) {
		t.Errorf("the state does not record the drop:\n%s", state)
	}
}

// TestNotifyAnnouncesARetiredDocumentOnce: deleting a published document
// is a notice of its own kind, sent once.
func TestNotifyAnnouncesARetiredDocumentOnce(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n")
	r.Write("content/subprocessors.md", "---\ntitle: Sub-processors\n---\n| Name | Purpose | Location |\n| --- | --- | --- |\n| Acme | Mail | EU |\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish")
	rc := newReceiver(t)
	env := map[string]string{"CLAUSE_WEBHOOK_SECRET": testSecret}
	args := []string{"--repo", r.Dir, "--base-url", "https://legal.example.com/", "--webhook", "crm=" + rc.srv.URL}
	if code, out, errOut := notifyRunCmd(t, env, args...); code != ExitOK || !strings.Contains(out, "2 baselined") {
		t.Fatalf("baseline: %d %s %s", code, out, errOut)
	}
	r.Remove("content/subprocessors.md")
	r.Commit("2026-02-10T09:00:00Z", "Retire the sub-processor list")
	for run := 0; run < 2; run++ {
		if code, out, errOut := notifyRunCmd(t, env, args...); code != ExitOK {
			t.Fatalf("run %d: %d %s %s", run, code, out, errOut)
		}
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.got) != 1 {
		t.Fatalf("%d events, want one retirement: %v", len(rc.got), rc.got)
	}
	ev := rc.got[0]
	data := ev["data"].(map[string]any)
	if ev["type"] != "document.retired" || data["retired"] != true || data["document_id"] != "subprocessors" ||
		data["url"] != "https://legal.example.com/subprocessors/" || data["subject"] != "Retire the sub-processor list" ||
		!strings.HasPrefix(data["key"].(string), "subprocessors@retired-") || data["published"] != "2026-02-10T09:00:00Z" {
		t.Errorf("retirement event: %v", ev)
	}
}

// TestNotifyTakesOverTheStateOfAnEarlierRelease: a state file keyed by a
// webhook's URL (as earlier releases wrote it) is taken over by the named
// channel with that URL: the notice pending there is sent, nothing is
// baselined, and the URL's path is gone from the file.
func TestNotifyTakesOverTheStateOfAnEarlierRelease(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish DPA")
	rc := newReceiver(t)
	hookURL := rc.srv.URL + "/hooks/T0KEN"
	env := map[string]string{"CLAUSE_WEBHOOK_SECRET": testSecret}
	// The state an earlier release wrote after its baseline.
	_, jsonOut, _ := run(t, "log", "dpa", "--json", "--repo", r.Dir)
	var doc struct {
		Versions []struct {
			ID string `json:"id"`
		} `json:"versions"`
	}
	if err := json.Unmarshal([]byte(jsonOut), &doc); err != nil || len(doc.Versions) != 1 {
		t.Fatalf("log --json: %v %s", err, jsonOut)
	}
	old := `{"version": 1, "channels": {"webhook:` + hookURL + `": {"baseline": "2026-01-11T00:00:00Z",
	  "delivered": {"dpa@` + doc.Versions[0].ID + `": {"at": "2026-01-11T00:00:00Z", "baseline": true}}}}}`
	statePath := filepath.Join(r.Dir, ".clause", "notify-state.json")
	if err := os.MkdirAll(filepath.Dir(statePath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(statePath, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	r.Write("content/dpa.md", "# DPA v2\n")
	r.Commit("2026-02-10T09:00:00Z", "DPA v2")
	code, out, errOut := notifyRunCmd(t, env, "--repo", r.Dir, "--base-url", "https://legal.example.com/", "--webhook", "crm="+hookURL)
	if code != ExitOK || !strings.Contains(out, "webhook:crm: 1 sent, 1 skipped") || !strings.Contains(errOut, "took over") {
		t.Fatalf("upgrade run: %d %s %s", code, out, errOut)
	}
	if got := rc.subjects(); len(got) != 1 || got[0] != "DPA v2" {
		t.Errorf("delivered %v", got)
	}
	data, _ := os.ReadFile(statePath)
	if strings.Contains(string(data), "T0KEN") || strings.Contains(out+errOut, "T0KEN") {
		t.Errorf("the URL path survives:\n%s\n%s%s", data, out, errOut)
	}
}

// TestNotifyRenameSendsNothingAgain: the notices of a document with three
// versions, delivered, are not sent again after `git mv`, nor when the
// state was written by a release that keyed them by the renamed path.
func TestNotifyRenameSendsNothingAgain(t *testing.T) {
	r := gittest.New(t)
	for i, text := range []string{"One.", "One. Two.", "One. Two. Three."} {
		r.Write("content/dpa-a.md", "# DPA\n\n"+text+"\n")
		r.Commit(fmt.Sprintf("2026-0%d-10T09:00:00Z", i+1), fmt.Sprintf("v%d", i+1))
	}
	rc := newReceiver(t)
	env := map[string]string{"CLAUSE_WEBHOOK_SECRET": testSecret}
	args := []string{"--repo", r.Dir, "--base-url", "https://legal.example.com/", "--webhook", "crm=" + rc.srv.URL}
	if code, out, errOut := notifyRunCmd(t, env, append(args, "--since", "2026-01-01")...); code != ExitOK {
		t.Fatalf("first run: %d %s %s", code, out, errOut)
	}
	if n := len(rc.subjects()); n != 3 {
		t.Fatalf("%d notices delivered, want 3", n)
	}
	r.Git("mv", "content/dpa-a.md", "content/dpa-b.md")
	r.Commit("2026-04-10T09:00:00Z", "Rename")
	if code, out, errOut := notifyRunCmd(t, env, args...); code != ExitOK {
		t.Fatalf("after the rename: %d %s %s", code, out, errOut)
	}
	if n := len(rc.subjects()); n != 3 {
		t.Errorf("after the rename, %d notices in all, want still 3: %v", n, rc.subjects())
	}

	// A state written by an earlier release after the rename keys the
	// deliveries by the new path's ID.
	statePath := filepath.Join(r.Dir, ".clause", "notify-state.json")
	b, err := os.ReadFile(statePath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"dpa-a@`) {
		t.Fatalf("state does not key by the document's identity:\n%s", b)
	}
	if err := os.WriteFile(statePath, []byte(strings.ReplaceAll(string(b), `"dpa-a@`, `"dpa-b@`)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := notifyRunCmd(t, env, args...); code != ExitOK {
		t.Fatalf("with an earlier release's state: %d %s %s", code, out, errOut)
	}
	if n := len(rc.subjects()); n != 3 {
		t.Errorf("with an earlier release's state, %d notices in all, want still 3", n)
	}
}

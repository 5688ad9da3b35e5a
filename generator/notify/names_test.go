package notify

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestChannelNamesLogsAndStateNeverShowTheURLPath: the path of a webhook
// URL (where services keep a token) is not in the channel's name, the log,
// the errors (an HTTP failure and a connection failure) or the state file.
func TestChannelNamesLogsAndStateNeverShowTheURLPath(t *testing.T) {
	up := newHookServer(t, 0, 0)
	failing := newHookServer(t, 1000, http.StatusServiceUnavailable)
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Cannot POST "+r.URL.RequestURI(), http.StatusNotFound) // as Express answers
	}))
	defer echo.Close()
	channels := []Channel{
		newTestWebhook(t, echo.URL+"/hooks/T0KEN-ECHO?sig=Q5ECRET", "echo"),
		newTestWebhook(t, up.URL+"/hooks/T0KEN-UP?sig=Q5ECRET", ""),
		newTestWebhook(t, failing.URL+"/hooks/T0KEN-503", ""),
		newTestWebhook(t, closedURL(t)+"/T0KEN-CLOSED", "closed"),
	}
	slack, err := NewSlack(SlackConfig{URL: up.URL + "/services/T0KEN-SLACK"})
	if err != nil {
		t.Fatal(err)
	}
	channels = append(channels, slack)
	path := filepath.Join(t.TempDir(), "notify-state.json")
	state, err := OpenState(path)
	if err != nil {
		t.Fatal(err)
	}
	defer state.Close()
	for _, ch := range channels {
		if _, err := state.Baseline(ch.Name(), nil); err != nil {
			t.Fatal(err)
		}
	}
	var log bytes.Buffer
	opts := fastOptions()
	opts.Retries, opts.Log = 1, &log
	rep, err := deliver(t, state, channels, testNotices(), opts)
	if err == nil || len(up.succeeded()) != 6 || !strings.Contains(err.Error(), "Cannot POST") {
		t.Fatalf("want three failing channels and two delivered: %v, %d delivered", err, len(up.succeeded()))
	}
	data, _ := os.ReadFile(path)
	var names []string
	for _, ch := range channels {
		names = append(names, ch.Name())
	}
	for _, r := range rep.Channels {
		names = append(names, r.String())
	}
	for what, text := range map[string]string{"names": strings.Join(names, " "), "log": log.String(), "error": err.Error(), "state": string(data)} {
		if strings.Contains(text, "T0KEN") || strings.Contains(text, "Q5ECRET") {
			t.Errorf("%s show a URL path or query:\n%s", what, text)
		}
	}
	if !strings.Contains(log.String(), "webhook:closed (http://127.0.0.1:") {
		t.Errorf("log lines do not name the channel with its scheme and host:\n%s", log.String())
	}
}

// TestPendingNoticeSurvivesATokenRotation: a notice that failed on a
// webhook is sent to its new URL (same host, rotated token in the path),
// not baselined away as if the channel were new.
func TestPendingNoticeSurvivesATokenRotation(t *testing.T) {
	srv := newHookServer(t, 1000, http.StatusServiceUnavailable)
	state := openTestState(t)
	notices := testNotices()
	opts := fastOptions()
	opts.BaselineNew, opts.Retries = true, -1
	old := newTestWebhook(t, srv.URL+"/hooks/old-token", "")
	if _, err := deliver(t, state, []Channel{old}, notices[:1], opts); err != nil { // baseline
		t.Fatal(err)
	}
	if _, err := deliver(t, state, []Channel{old}, notices[:2], opts); err == nil {
		t.Fatal("want the delivery to fail")
	}
	srv.mu.Lock()
	srv.fail = 0
	srv.mu.Unlock()
	rotated := newTestWebhook(t, srv.URL+"/hooks/new-token", "")
	rep, err := deliver(t, state, []Channel{rotated}, notices[:2], opts)
	if err != nil {
		t.Fatal(err)
	}
	if cr := rep.Channels[0]; len(cr.Baselined) != 0 || len(cr.Sent) != 1 || cr.Sent[0] != notices[1].Key() {
		t.Errorf("after the token rotation: %+v, want the pending notice sent", cr)
	}
}

// TestStateOfAnEarlierReleaseIsTakenOver: a state file written by an
// earlier release, keyed by URLs with their paths, is read without
// re-sending or dropping anything, and the paths are not written back.
func TestStateOfAnEarlierReleaseIsTakenOver(t *testing.T) {
	srv := newHookServer(t, 0, 0)
	notices := testNotices()
	hookURL := srv.URL + "/hooks/T0KEN"
	slackURL := srv.URL + "/services/T0KEN-SLACK"
	at := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	entry := func() map[string]any {
		return map[string]any{"baseline": at, "delivered": map[string]any{notices[0].Key(): map[string]any{"at": at, "baseline": true}}}
	}
	old := map[string]any{"version": 1, "channels": map[string]any{
		"webhook:" + hookURL: entry(),
		"slack:" + strings.TrimPrefix(srv.URL, "http://") + "#" + shortHash(slackURL): entry(),
		"webhook:https://elsewhere.example/x/S3CRET":                                  entry(),
	}}
	data, _ := json.Marshal(old)
	path := filepath.Join(t.TempDir(), "notify-state.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	state, err := OpenState(path)
	if err != nil {
		t.Fatal(err)
	}
	defer state.Close()
	slack, err := NewSlack(SlackConfig{URL: slackURL})
	if err != nil {
		t.Fatal(err)
	}
	opts := fastOptions()
	opts.BaselineNew = true
	rep, err := deliver(t, state, []Channel{newTestWebhook(t, hookURL, ""), slack}, notices[:2], opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, cr := range rep.Channels {
		if len(cr.Baselined) != 0 || len(cr.Skipped) != 1 || len(cr.Sent) != 1 || cr.Sent[0] != notices[1].Key() {
			t.Errorf("%s: %+v, want the first notice skipped and the second sent", cr.Channel, cr)
		}
	}
	data, _ = os.ReadFile(path)
	if strings.Contains(string(data), "T0KEN") || strings.Contains(string(data), "S3CRET") {
		t.Errorf("the state file still holds URL paths:\n%s", data)
	}
	if state.LegacyChannels() != 1 {
		t.Errorf("%d legacy channels, want the unmatched one kept under its hash", state.LegacyChannels())
	}
	// The unmatched entry is still found by its URL later.
	if !state.Adopt("webhook:elsewhere", []string{"webhook:https://elsewhere.example/x/S3CRET"}) || !state.HasChannel("webhook:elsewhere") {
		t.Error("the hashed entry of an earlier release is not adopted by its URL")
	}
}

func TestDropGivesUpPendingNotices(t *testing.T) {
	srv := newHookServer(t, 0, 0)
	state := openTestState(t)
	hook := newTestWebhook(t, srv.URL, "prod")
	notices := testNotices()
	if _, err := state.Baseline(hook.Name(), notices[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := state.Drop("webhook:nope", notices[1:2]); err == nil {
		t.Error("dropping for an unknown channel: want an error")
	}
	dropped, err := state.Drop(hook.Name(), notices[:2])
	if err != nil || len(dropped) != 1 || dropped[0] != notices[1].Key() {
		t.Fatalf("dropped %v, %v; want only the pending notice", dropped, err)
	}
	if d, _ := state.Delivered(hook.Name(), notices[1].Key()); !d.Dropped {
		t.Errorf("delivery %+v is not marked dropped", d)
	}
	rep, err := deliver(t, state, []Channel{hook}, notices, fastOptions())
	if err != nil || len(srv.received()) != 1 || rep.Channels[0].Sent[0] != notices[2].Key() {
		t.Errorf("after the drop: %+v %v, %d requests; want only the third notice sent", rep.Channels[0], err, len(srv.received()))
	}
}

func TestChannelNamesAreWords(t *testing.T) {
	for _, id := range []string{"prod", "crm-eu.2", "legal+dpo@acme"} {
		if _, err := NewWebhook(WebhookConfig{URL: "https://h.example/x", Secret: testSecret, ID: id}); err != nil {
			t.Errorf("id %q: %v", id, err)
		}
	}
	for _, id := range []string{"https://h.example/x", "a b", "-x", "a:b", "a\x1b[2J", strings.Repeat("x", 65)} {
		if _, err := NewWebhook(WebhookConfig{URL: "https://h.example/x", Secret: testSecret, ID: id}); err == nil {
			t.Errorf("id %q accepted", id)
		}
	}
}

// TestRetirementsBeforeAnUpgradeAreNotSent: a channel of an earlier
// release, which did not announce retired documents, is not told of the
// documents retired before its last run; one retired since is sent.
func TestRetirementsBeforeAnUpgradeAreNotSent(t *testing.T) {
	srv := newHookServer(t, 0, 0)
	notices := testNotices()
	lastRun := time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC)
	old := map[string]any{"version": 1, "channels": map[string]any{
		"webhook:prod": map[string]any{"delivered": map[string]any{
			notices[0].Key(): map[string]any{"at": lastRun.Add(-time.Hour)},
			notices[1].Key(): map[string]any{"at": lastRun},
			notices[2].Key(): map[string]any{"at": lastRun},
		}},
	}}
	data, _ := json.Marshal(old)
	path := filepath.Join(t.TempDir(), "notify-state.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	state, err := OpenState(path)
	if err != nil {
		t.Fatal(err)
	}
	defer state.Close()
	retired := func(id string, at time.Time) Notice {
		return Notice{DocumentID: id, DocumentTitle: id, VersionID: "retired-x", Commit: strings.Repeat("d", 40), Published: at,
			Subject: "Retire " + id, Material: true, Retired: true, URL: "https://legal.example.com/" + id + "/", DocumentURL: "https://legal.example.com/" + id + "/"}
	}
	all := append(notices, retired("cookies", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)), retired("terms", lastRun.Add(time.Hour)))
	hook := newTestWebhook(t, srv.URL, "prod")
	rep, err := deliver(t, state, []Channel{hook}, all, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	cr := rep.Channels[0]
	if len(cr.Sent) != 1 || cr.Sent[0] != "terms@retired-x" || len(cr.Baselined) != 1 || cr.Baselined[0] != "cookies@retired-x" {
		t.Errorf("%+v: want the old retirement baselined and the new one sent", cr)
	}
	var ev WebhookEvent
	if reqs := srv.received(); len(reqs) != 1 || json.Unmarshal(reqs[0].body, &ev) != nil || ev.Type != EventDocumentRetired || !ev.Data.Retired {
		t.Errorf("event %+v", ev)
	}
	// A new channel, after its baseline, gets every retirement.
	state2 := openTestState(t)
	if _, err := state2.Baseline("webhook:prod", notices); err != nil {
		t.Fatal(err)
	}
	if rep, err := deliver(t, state2, []Channel{hook}, all, fastOptions()); err != nil || len(rep.Channels[0].Sent) != 2 {
		t.Errorf("new channel: %+v %v", rep.Channels[0], err)
	}
}

func TestRetiredNoticesSayRetired(t *testing.T) {
	n := Notice{DocumentID: "subprocessors", DocumentTitle: "Sub-processors", VersionID: "retired-s4d5e6", Commit: strings.Repeat("e", 40),
		Published: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC), Subject: "Withdraw the list", Material: true, Retired: true,
		URL: "https://legal.example.com/subprocessors/", DocumentURL: "https://legal.example.com/subprocessors/"}
	m := NewSlackMessage([]Notice{n})
	if !strings.Contains(m.Text, "Sub-processors retired 2026-05-01") || !strings.Contains(m.Blocks[0].Text.Text, "Read the retired document") || strings.Contains(m.Blocks[0].Text.Text, "Current text") {
		t.Errorf("slack message: %+v", m)
	}
	e, err := NewEmail(EmailConfig{URL: "smtp://127.0.0.1:2525", From: "legal@acme.example", Recipients: []string{"dpo@customer.example"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Subject([]Notice{n}); got != "Sub-processors retired 2026-05-01" {
		t.Errorf("subject %q", got)
	}
	msg, err := e.compose([]Notice{n}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p := parseMail(t, msg)
	for _, want := range []string{"Retired: Sub-processors", "Retired: 2026-05-01 10:00 UTC", "Read the retired document: https://legal.example.com/subprocessors/"} {
		if !strings.Contains(strings.ReplaceAll(p.text, "=\r\n", ""), want) {
			t.Errorf("text part lacks %q:\n%s", want, p.text)
		}
	}
	if !strings.Contains(p.html, "Read the retired document") {
		t.Errorf("html part:\n%s", p.html)
	}
}

// TestNoticesListTranslations: a notice of a document with translations
// names its language and links each translation, in the webhook event,
// the email (text and HTML) and the Slack message.
func TestNoticesListTranslations(t *testing.T) {
	n := testNotices()[0]
	n.Language = "en"
	n.Translations = []Translation{
		{Language: "de", Title: "Auftragsverarbeitungsvertrag", URL: "https://legal.example.com/de/dpa/"},
		{Language: "fr", Title: "Accord <b>de traitement</b>", URL: "https://legal.example.com/fr/dpa/"},
	}
	ev := NewWebhookEvent(n)
	if ev.Data.Language != "en" || len(ev.Data.Translations) != 2 || ev.Data.Translations[0] != (EventTranslation{"de", "Auftragsverarbeitungsvertrag", "https://legal.example.com/de/dpa/"}) {
		t.Errorf("webhook event: %+v", ev.Data)
	}
	if ev := NewWebhookEvent(testNotices()[0]); ev.Data.Language != "" || ev.Data.Translations != nil {
		t.Errorf("a notice without languages got %+v", ev.Data)
	}
	if s := NewSlackMessage([]Notice{n}).Blocks[0].Text.Text; !strings.Contains(s, "*Also in:* <https://legal.example.com/de/dpa/|Auftragsverarbeitungsvertrag (de)> · <https://legal.example.com/fr/dpa/|Accord &lt;b&gt;de traitement&lt;/b&gt; (fr)>") {
		t.Errorf("slack section:\n%s", s)
	}
	e, err := NewEmail(EmailConfig{URL: "smtp://127.0.0.1:2525", From: "legal@acme.example", Recipients: []string{"dpo@customer.example"}})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := e.compose([]Notice{n}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p := parseMail(t, msg)
	if text := strings.ReplaceAll(p.text, "=\r\n", ""); !strings.Contains(text, "Also in:\n  - Auftragsverarbeitungsvertrag (de): https://legal.example.com/de/dpa/") && !strings.Contains(text, "Also in:\r\n  - Auftragsverarbeitungsvertrag (de): https://legal.example.com/de/dpa/") {
		t.Errorf("text part:\n%s", text)
	}
	if !strings.Contains(p.html, `hreflang="fr" lang="fr"`) || !strings.Contains(p.html, "Accord &lt;b&gt;de traitement&lt;/b&gt;") {
		t.Errorf("html part:\n%s", p.html)
	}
}

package notify

import (
	"bytes"
	"encoding/json"
	"net/http"
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
	channels := []Channel{
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
	if err == nil || len(up.succeeded()) != 6 {
		t.Fatalf("want two failing channels and two delivered: %v, %d delivered", err, len(up.succeeded()))
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

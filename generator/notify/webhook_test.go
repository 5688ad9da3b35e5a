package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// wantWebhookID computes the webhook-id independently of the package.
func wantWebhookID(key, channel string) string {
	sum := sha256.Sum256([]byte(key + "|" + channel))
	return "msg_" + hex.EncodeToString(sum[:])[:24]
}

func TestWebhookDeliversSignedEventsThatTheStandardLibraryVerifies(t *testing.T) {
	srv := newHookServer(t, 0, 0)
	hook := newTestWebhook(t, srv.URL+"/hooks/clause", "")
	state := openTestState(t)
	notices := testNotices()[:2]

	rep, err := deliver(t, state, []Channel{hook}, notices, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Channels[0].Sent; len(got) != 2 {
		t.Fatalf("sent %v, want both notices", got)
	}
	reqs := srv.received()
	if len(reqs) != 2 {
		t.Fatalf("server received %d requests, want 2", len(reqs))
	}
	if want := "webhook:" + srv.URL; hook.Name() != want { // never the path
		t.Errorf("name %q, want %q", hook.Name(), want)
	}
	for i, r := range reqs {
		if r.verifyErr != nil {
			t.Errorf("request %d: standard-webhooks Verify: %v", i, r.verifyErr)
		}
		if got, want := r.header.Get("webhook-id"), wantWebhookID(notices[i].Key(), hook.Name()); got != want {
			t.Errorf("request %d: webhook-id %q, want %q", i, got, want)
		}
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("request %d: Content-Type %q", i, ct)
		}
		var ev map[string]any
		if err := json.Unmarshal(r.body, &ev); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		data := ev["data"].(map[string]any)
		if ev["type"] != "document.version.published" || data["document_id"] != notices[i].DocumentID ||
			data["version_id"] != notices[i].VersionID || data["url"] != notices[i].URL {
			t.Errorf("request %d: payload %s", i, r.body)
		}
		if _, err := time.Parse(time.RFC3339, ev["timestamp"].(string)); err != nil {
			t.Errorf("request %d: timestamp: %v", i, err)
		}
	}
	// Empty optional fields are null; the sub-processor block is filled.
	var first, second map[string]any
	json.Unmarshal(reqs[0].body, &first)
	json.Unmarshal(reqs[1].body, &second)
	if d := first["data"].(map[string]any); d["subprocessors"] != nil || d["effective"] != "2026-04-01" || d["published"] != "2026-03-01T14:05:00Z" {
		t.Errorf("dpa payload: %s", reqs[0].body)
	}
	d := second["data"].(map[string]any)
	sp, _ := d["subprocessors"].(map[string]any)
	if d["effective"] != nil || d["diff_url"] != nil || sp == nil || sp["objection_deadline"] != "2026-04-03" ||
		sp["notice_days"] != 30.0 || len(sp["added"].([]any)) != 1 || sp["removed"] == nil {
		t.Errorf("sub-processor payload: %s", reqs[1].body)
	}
	for _, n := range notices {
		if _, ok := state.Delivered(hook.Name(), n.Key()); !ok {
			t.Errorf("state lacks %s", n.Key())
		}
	}
}

func TestWebhookRetriesFailuresAndDeliversExactlyOnce(t *testing.T) {
	srv := newHookServer(t, 2, http.StatusInternalServerError)
	hook := newTestWebhook(t, srv.URL, "")
	state := openTestState(t)
	notice := testNotices()[:1]

	rep, err := deliver(t, state, []Channel{hook}, notice, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	cr := rep.Channels[0]
	if cr.Attempts != 3 || cr.Retries != 2 || len(cr.Sent) != 1 {
		t.Errorf("report %+v, want 3 attempts, 2 retries, 1 sent", cr)
	}
	reqs := srv.received()
	if len(reqs) != 3 || len(srv.succeeded()) != 1 {
		t.Fatalf("%d requests, %d successful; want 3 and 1", len(reqs), len(srv.succeeded()))
	}
	for i, r := range reqs {
		if r.header.Get("webhook-id") != reqs[0].header.Get("webhook-id") {
			t.Errorf("attempt %d has webhook-id %q, attempt 1 %q", i+1, r.header.Get("webhook-id"), reqs[0].header.Get("webhook-id"))
		}
		if r.verifyErr != nil {
			t.Errorf("attempt %d: %v", i+1, r.verifyErr)
		}
	}

	// A rerun sends nothing.
	rep, err = deliver(t, state, []Channel{hook}, notice, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(srv.received()); n != 3 {
		t.Errorf("rerun sent again: %d requests", n)
	}
	if cr := rep.Channels[0]; len(cr.Skipped) != 1 || len(cr.Sent) != 0 || cr.Attempts != 0 {
		t.Errorf("rerun report %+v", cr)
	}
}

func TestWebhookDownChannelFailsWhileOtherIsDeliveredAndNextRunCatchesUp(t *testing.T) {
	notices := testNotices()[:2]
	up := newHookServer(t, 0, 0)
	upHook := newTestWebhook(t, up.URL+"/up", "")
	down := newTestWebhook(t, closedURL(t), "partner")
	state := openTestState(t)

	rep, err := deliver(t, state, []Channel{down, upHook}, notices, fastOptions())
	if err == nil {
		t.Fatal("want an error for the channel that is down")
	}
	for _, want := range []string{"webhook:partner", notices[0].Key(), "4 attempts"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if strings.Contains(err.Error(), upHook.Name()) {
		t.Errorf("error names the healthy channel: %v", err)
	}
	d := rep.Channels[0]
	if d.Attempts != 4 || len(d.Failed) != 1 || d.Failed[0] != notices[0].Key() || len(d.Pending) != 1 || d.Pending[0] != notices[1].Key() || len(d.Sent) != 0 {
		t.Errorf("down channel report %+v", d)
	}
	if got := len(up.succeeded()); got != 2 {
		t.Errorf("healthy channel got %d deliveries, want 2", got)
	}
	for _, n := range notices {
		if _, ok := state.Delivered(down.Name(), n.Key()); ok {
			t.Errorf("state records %s for the channel that is down", n.Key())
		}
		if _, ok := state.Delivered(upHook.Name(), n.Key()); !ok {
			t.Errorf("state lacks %s for the healthy channel", n.Key())
		}
	}

	// The next run, with the partner back (same ID, new address), delivers
	// the rest and nothing twice.
	back := newHookServer(t, 0, 0)
	partner := newTestWebhook(t, back.URL, "partner")
	if _, err := deliver(t, state, []Channel{partner, upHook}, notices, fastOptions()); err != nil {
		t.Fatal(err)
	}
	if got := len(back.succeeded()); got != 2 {
		t.Errorf("partner got %d deliveries, want 2", got)
	}
	if got := len(up.received()); got != 2 {
		t.Errorf("healthy channel got %d requests after the rerun, want still 2", got)
	}
	for i, r := range back.received() {
		if got, want := r.header.Get("webhook-id"), wantWebhookID(notices[i].Key(), "webhook:partner"); got != want {
			t.Errorf("partner request %d: webhook-id %q, want %q", i, got, want)
		}
	}

	// And a third run sends nothing anywhere.
	if _, err := deliver(t, state, []Channel{partner, upHook}, notices, fastOptions()); err != nil {
		t.Fatal(err)
	}
	if len(back.received()) != 2 || len(up.received()) != 2 {
		t.Errorf("third run sent again: %d, %d", len(back.received()), len(up.received()))
	}
}

func TestWebhookIDIsStableAcrossRuns(t *testing.T) {
	srv := newHookServer(t, 4, http.StatusBadGateway) // the whole first run fails
	hook := newTestWebhook(t, srv.URL, "")
	state := openTestState(t)
	notice := testNotices()[:1]
	if _, err := deliver(t, state, []Channel{hook}, notice, fastOptions()); err == nil {
		t.Fatal("first run: want an error")
	}
	if _, err := deliver(t, state, []Channel{hook}, notice, fastOptions()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.received()
	if len(reqs) != 5 || len(srv.succeeded()) != 1 {
		t.Fatalf("%d requests, %d successful; want 5 and 1", len(reqs), len(srv.succeeded()))
	}
	for _, r := range reqs {
		if r.header.Get("webhook-id") != hook.MessageID(notice[0]) {
			t.Errorf("webhook-id %q, want %q", r.header.Get("webhook-id"), hook.MessageID(notice[0]))
		}
	}
}

func TestWebhookNewVersionsAreDeliveredOnceEach(t *testing.T) {
	srv := newHookServer(t, 0, 0)
	hook := newTestWebhook(t, srv.URL, "")
	state := openTestState(t)
	all := testNotices()
	if _, err := deliver(t, state, []Channel{hook}, all[:1], fastOptions()); err != nil {
		t.Fatal(err)
	}
	rep, err := deliver(t, state, []Channel{hook}, all, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	if cr := rep.Channels[0]; len(cr.Sent) != 2 || len(cr.Skipped) != 1 {
		t.Errorf("report %+v, want 2 sent and 1 skipped", cr)
	}
	ids := map[string]bool{}
	for _, r := range srv.received() {
		ids[r.header.Get("webhook-id")] = true
	}
	if len(srv.received()) != 3 || len(ids) != 3 {
		t.Errorf("%d requests with %d distinct ids, want 3 and 3", len(srv.received()), len(ids))
	}
}

func TestWebhookHonoursRetryAfter(t *testing.T) {
	srv := newHookServer(t, 1, http.StatusTooManyRequests)
	srv.retryAfter = "1"
	hook := newTestWebhook(t, srv.URL, "")
	opts := fastOptions()
	opts.MaxBackoff = 2 * time.Second
	if _, err := deliver(t, openTestState(t), []Channel{hook}, testNotices()[:1], opts); err != nil {
		t.Fatal(err)
	}
	reqs := srv.received()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	// The backoff alone would be 1ms; the server asked for a second.
	if gap := reqs[1].at.Sub(reqs[0].at); gap < 900*time.Millisecond {
		t.Errorf("retried after %v, the server asked for 1s", gap)
	}
}

func TestWebhookRetryAfterLongerThanMaxBackoffIsNotWaitedFor(t *testing.T) {
	srv := newHookServer(t, 1, http.StatusServiceUnavailable)
	srv.retryAfter = "3600"
	hook := newTestWebhook(t, srv.URL, "")
	_, err := deliver(t, openTestState(t), []Channel{hook}, testNotices()[:1], fastOptions())
	if err == nil || !strings.Contains(err.Error(), "asked to retry after 1h0m0s") {
		t.Errorf("error %v, want one about Retry-After", err)
	}
	if n := len(srv.received()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestWebhookGoneIsPermanent(t *testing.T) {
	srv := newHookServer(t, 10, http.StatusGone)
	hook := newTestWebhook(t, srv.URL, "")
	state := openTestState(t)
	rep, err := deliver(t, state, []Channel{hook}, testNotices()[:2], fastOptions())
	var herr *HTTPStatusError
	if !errors.As(err, &herr) || herr.StatusCode != http.StatusGone || !strings.Contains(err.Error(), "remove or update this subscription") {
		t.Fatalf("error %v, want a 410 HTTPStatusError", err)
	}
	if n := len(srv.received()); n != 1 {
		t.Errorf("%d requests, want 1 (410 is not retried)", n)
	}
	if cr := rep.Channels[0]; len(cr.Failed) != 1 || len(cr.Pending) != 1 || state.HasChannel(hook.Name()) {
		t.Errorf("report %+v; state has channel: %v", cr, state.HasChannel(hook.Name()))
	}
}

func TestWebhookNamesAndErrorsCarryNoSecrets(t *testing.T) {
	raw := closedURL(t)
	raw = strings.Replace(raw, "http://", "http://user:hunter2@", 1) + "?token=tok3n"
	hook := newTestWebhook(t, raw, "")
	if strings.Contains(hook.Name(), "hunter2") || strings.Contains(hook.Name(), "tok3n") {
		t.Errorf("name %q carries a secret", hook.Name())
	}
	opts := fastOptions()
	opts.Retries = -1
	_, err := deliver(t, openTestState(t), []Channel{hook}, testNotices()[:1], opts)
	if err == nil {
		t.Fatal("want a connection error")
	}
	if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "tok3n") {
		t.Errorf("error %q carries a secret", err)
	}
}

func TestNewWebhookRejectsBadConfig(t *testing.T) {
	for _, cfg := range []WebhookConfig{
		{URL: "https://h.example/x", Secret: ""},
		{URL: "https://h.example/x", Secret: "whsec_not base64!"},
		{URL: "https://h.example/x", Secret: "whsec_c2hvcnQ="},
		{URL: "ftp://h.example/x", Secret: testSecret},
		{URL: "/relative", Secret: testSecret},
	} {
		if _, err := NewWebhook(cfg); err == nil {
			t.Errorf("NewWebhook(%+v) succeeded", cfg)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              0,
		"7":                             7 * time.Second,
		"-3":                            0,
		"soon":                          0,
		"Sun, 01 Mar 2026 12:00:30 GMT": 30 * time.Second,
		"Sun, 01 Mar 2026 11:00:00 GMT": 0,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

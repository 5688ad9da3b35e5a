package notify

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestDeliverDryRunSendsNothingAndKeepsTheState(t *testing.T) {
	srv := newHookServer(t, 0, 0)
	hook := newTestWebhook(t, srv.URL, "")
	state := openTestState(t)
	notices := testNotices()
	if _, err := state.Baseline(hook.Name(), notices[:1]); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(state.Path())
	var log bytes.Buffer
	opts := fastOptions()
	opts.DryRun, opts.Log = true, &log

	rep, err := deliver(t, state, []Channel{hook}, notices, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.DryRun || len(rep.Channels[0].Sent) != 2 || len(rep.Channels[0].Skipped) != 1 {
		t.Errorf("report %+v", rep)
	}
	if got, want := rep.Channels[0].String(), hook.Name()+": 2 would be sent, 1 skipped"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	if n := len(srv.received()); n != 0 {
		t.Errorf("dry run sent %d requests", n)
	}
	after, _ := os.ReadFile(state.Path())
	if !bytes.Equal(before, after) {
		t.Error("dry run changed the state file")
	}
	if _, ok := state.Delivered(hook.Name(), notices[1].Key()); ok {
		t.Error("dry run recorded a delivery")
	}
	if !strings.Contains(log.String(), "would send "+notices[1].Key()) {
		t.Errorf("log %q", log.String())
	}
}

func TestDeliverBaselinesNewChannelsWhenAsked(t *testing.T) {
	srv := newHookServer(t, 0, 0)
	hook := newTestWebhook(t, srv.URL, "")
	state := openTestState(t)
	notices := testNotices()
	opts := fastOptions()
	opts.BaselineNew = true

	// A dry run only says it would baseline.
	opts.DryRun = true
	rep, err := deliver(t, state, []Channel{hook}, notices[:2], opts)
	if err != nil || len(rep.Channels[0].Baselined) != 2 || state.HasChannel(hook.Name()) {
		t.Fatalf("dry run: %v, %+v", err, rep.Channels[0])
	}
	opts.DryRun = false
	rep, err = deliver(t, state, []Channel{hook}, notices[:2], opts)
	if err != nil || len(rep.Channels[0].Baselined) != 2 || len(srv.received()) != 0 {
		t.Fatalf("first run: %v, %+v, %d requests", err, rep.Channels[0], len(srv.received()))
	}
	if _, ok := state.BaselinedAt(hook.Name()); !ok {
		t.Error("no baseline marker")
	}
	// The next run sends only what is new.
	rep, err = deliver(t, state, []Channel{hook}, notices, opts)
	if err != nil {
		t.Fatal(err)
	}
	if cr := rep.Channels[0]; len(cr.Sent) != 1 || cr.Sent[0] != notices[2].Key() || len(cr.Skipped) != 2 || len(srv.received()) != 1 {
		t.Errorf("second run %+v, %d requests", cr, len(srv.received()))
	}
}

func TestDeliverSendsInPublicationOrder(t *testing.T) {
	srv := newHookServer(t, 0, 0)
	hook := newTestWebhook(t, srv.URL, "")
	n := testNotices()
	if _, err := deliver(t, openTestState(t), []Channel{hook}, []Notice{n[2], n[0], n[1]}, fastOptions()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.received()
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, r := range reqs {
		if !strings.Contains(string(r.body), `"key":"`+n[i].Key()+`"`) {
			t.Errorf("request %d is not %s: %s", i, n[i].Key(), r.body)
		}
	}
}

func TestDeliverValidatesBeforeSendingAnything(t *testing.T) {
	srv := newHookServer(t, 0, 0)
	hook := newTestWebhook(t, srv.URL, "")
	state := openTestState(t)
	good := testNotices()

	bad := append([]Notice(nil), good...)
	bad[2].URL = "/privacy/versions/p7f8a9/"
	if _, err := deliver(t, state, []Channel{hook}, bad, fastOptions()); err == nil || !strings.Contains(err.Error(), "privacy@p7f8a9") {
		t.Errorf("relative URL: %v", err)
	}
	if _, err := deliver(t, state, []Channel{hook}, append(good, good[0]), fastOptions()); err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("duplicate notice: %v", err)
	}
	twin := newTestWebhook(t, srv.URL, "")
	if _, err := deliver(t, state, []Channel{hook, twin}, good, fastOptions()); err == nil || !strings.Contains(err.Error(), "two channels") {
		t.Errorf("duplicate channel: %v", err)
	}
	if n := len(srv.received()); n != 0 {
		t.Errorf("%d requests sent despite invalid input", n)
	}
}

func TestDeliverBacksOffExponentiallyUpToTheCap(t *testing.T) {
	srv := newHookServer(t, 100, http.StatusInternalServerError)
	hook := newTestWebhook(t, srv.URL, "")
	var waits []time.Duration
	opts := Options{Retries: 5, InitialBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond}
	opts.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}
	rep, err := deliver(t, openTestState(t), []Channel{hook}, testNotices()[:1], opts)
	if err == nil || !strings.Contains(err.Error(), "HTTP 500") {
		t.Fatalf("error %v", err)
	}
	want := []time.Duration{1, 2, 4, 4, 4}
	for i := range want {
		want[i] *= time.Millisecond
	}
	if len(waits) != len(want) || rep.Channels[0].Attempts != 6 || rep.Channels[0].Retries != 5 {
		t.Fatalf("waits %v, report %+v", waits, rep.Channels[0])
	}
	for i := range want {
		if waits[i] != want[i] {
			t.Errorf("waits %v, want %v", waits, want)
			break
		}
	}
}

func TestDeliverStopsWhenTheContextIsCancelled(t *testing.T) {
	srv := newHookServer(t, 100, http.StatusInternalServerError)
	hook := newTestWebhook(t, srv.URL, "")
	other := newHookServer(t, 0, 0)
	otherHook := newTestWebhook(t, other.URL, "")
	ctx, cancel := context.WithCancel(context.Background())
	opts := Options{InitialBackoff: time.Hour, MaxBackoff: time.Hour}
	opts.sleep = func(c context.Context, d time.Duration) error {
		cancel() // the user pressed Ctrl-C during the first backoff
		<-c.Done()
		return c.Err()
	}
	rep, err := Deliver(ctx, openTestState(t), []Channel{hook, otherHook}, testNotices()[:1], opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if len(srv.received()) != 1 || len(other.received()) != 0 || len(rep.Channels) != 2 || rep.Channels[1].Err == nil {
		t.Errorf("%d and %d requests, report %+v", len(srv.received()), len(other.received()), rep)
	}
}

func TestDeliverStopsWhenADeliveryCannotBeRecorded(t *testing.T) {
	srv := newHookServer(t, 0, 0)
	hook := newTestWebhook(t, srv.URL, "")
	other := newHookServer(t, 0, 0)
	otherHook := newTestWebhook(t, other.URL, "")
	state := openTestState(t)
	notices := testNotices()[:2]
	state.write = func(*os.File, []byte) error { return errors.New("disk full") }

	rep, err := deliver(t, state, []Channel{hook, otherHook}, notices, fastOptions())
	if err == nil || !strings.Contains(err.Error(), "was delivered but could not be recorded") {
		t.Fatalf("error %v", err)
	}
	if len(srv.received()) != 1 || len(other.received()) != 0 {
		t.Errorf("%d and %d requests: want the run stopped after the first send", len(srv.received()), len(other.received()))
	}
	if len(rep.Channels) != 2 || len(rep.Channels[0].Failed) != 1 || len(rep.Channels[0].Pending) != 1 ||
		len(rep.Channels[1].Pending) != 2 || rep.Channels[1].Attempts != 0 {
		t.Errorf("report %+v", rep.Channels)
	}
	if _, err := os.Stat(state.Path()); !os.IsNotExist(err) {
		t.Errorf("state file written: %v", err)
	}

	// The next run sends that notice again, with the same webhook-id
	// (at least once on the wire; receivers drop the duplicate).
	state.write = writeAll
	if _, err := deliver(t, state, []Channel{hook, otherHook}, notices, fastOptions()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.received()
	if len(reqs) != 3 || reqs[0].header.Get("webhook-id") != reqs[1].header.Get("webhook-id") {
		t.Errorf("%d requests; ids %q %q", len(reqs), reqs[0].header.Get("webhook-id"), reqs[1].header.Get("webhook-id"))
	}
}

func TestChannelReportString(t *testing.T) {
	r := ChannelReport{Channel: "webhook:https://h/p", Sent: []string{"a@1", "b@2"}, Skipped: []string{"c@3"},
		Failed: []string{"d@4"}, Pending: []string{"e@5"}, Retries: 3}
	if got, want := r.String(), "webhook:https://h/p: 2 sent, 1 skipped, 1 failed, 1 pending, 3 retries"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got := (ChannelReport{Channel: "x"}).String(); got != "x: nothing to send" {
		t.Errorf("%q", got)
	}
}

func TestCheckContext(t *testing.T) {
	for _, tt := range []struct {
		env map[string]string
		ok  bool
	}{
		{map[string]string{}, true},
		{map[string]string{"NETLIFY": "true", "CONTEXT": "production"}, true},
		{map[string]string{"NETLIFY": "true"}, true},
		{map[string]string{"NETLIFY": "true", "CONTEXT": "deploy-preview"}, false},
		{map[string]string{"NETLIFY": "true", "CONTEXT": "branch-deploy"}, false},
		{map[string]string{"NETLIFY": "true", "CONTEXT": "staging"}, false},
		{map[string]string{"CONTEXT": "deploy-preview"}, false},
		{map[string]string{"CONTEXT": "something-else"}, true},
		{map[string]string{"VERCEL": "1", "VERCEL_ENV": "preview"}, false},
		{map[string]string{"VERCEL": "1", "VERCEL_ENV": "production"}, true},
		{map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request"}, false},
		{map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push"}, true},
	} {
		err := CheckContext(func(k string) string { return tt.env[k] })
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrPreviewBuild)) {
			t.Errorf("%v: %v", tt.env, err)
		}
		if err != nil && tt.env["CONTEXT"] != "" && !strings.Contains(err.Error(), "CONTEXT="+tt.env["CONTEXT"]) {
			t.Errorf("%v: error %q does not name the context", tt.env, err)
		}
	}
}

package notify

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func decodeSlack(t *testing.T, body []byte) SlackMessage {
	t.Helper()
	var m SlackMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return m
}

func TestSlackDigestPostsOneMessageWithASectionPerNotice(t *testing.T) {
	srv := newHookServer(t, 0, 0)
	slack, err := NewSlack(SlackConfig{URL: srv.URL + "/services/T000/B000/XXXXSECRET", Digest: true})
	if err != nil {
		t.Fatal(err)
	}
	state := openTestState(t)
	notices := testNotices()
	rep, err := deliver(t, state, []Channel{slack}, notices, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.received()
	if len(reqs) != 1 || len(rep.Channels[0].Sent) != 3 {
		t.Fatalf("%d requests, report %+v; want one digest of 3", len(reqs), rep.Channels[0])
	}
	if slack.Name() != "slack:"+srv.URL {
		t.Errorf("name %q", slack.Name())
	}
	m := decodeSlack(t, reqs[0].body)
	var sections []string
	for _, b := range m.Blocks {
		if b.Type == "section" {
			sections = append(sections, b.Text.Text)
		}
	}
	if len(sections) != 3 || m.Blocks[0].Type != "header" || len(m.Blocks) != 6 {
		t.Fatalf("blocks %+v", m.Blocks)
	}
	for _, want := range []string{
		"*<https://legal.example.com/dpa/versions/v1a2b3/|Data Processing Agreement>*",
		"_What changed:_ 2 clauses changed, 1 added", "*Effective:* 2026-04-01",
		"<https://legal.example.com/dpa/diff/v1a2b3/|See the changes>",
	} {
		if !strings.Contains(sections[0], want) {
			t.Errorf("dpa section lacks %q:\n%s", want, sections[0])
		}
	}
	if !strings.Contains(sections[1], "*Objection deadline:* 2026-04-03 (30 days' notice)") ||
		!strings.Contains(sections[1], "*Added:* Acme Mail (email delivery, Ireland)") {
		t.Errorf("sub-processor section:\n%s", sections[1])
	}
	// Markup from content is escaped, so it cannot forge links or mentions.
	if !strings.Contains(sections[2], "Datenschutzerklärung &lt;script&gt;alert(1)&lt;/script&gt;") ||
		!strings.Contains(sections[2], "Clarify retention &amp; &lt;b&gt;deletion&lt;/b&gt;") {
		t.Errorf("privacy section not escaped:\n%s", sections[2])
	}
	for _, n := range notices {
		if !strings.Contains(m.Text, n.URL) {
			t.Errorf("text lacks %s", n.URL)
		}
	}
}

func TestSlackPostsOneMessagePerNoticeByDefault(t *testing.T) {
	srv := newHookServer(t, 0, 0)
	slack, err := NewSlack(SlackConfig{URL: srv.URL + "/services/T/B/S", ID: "legal-updates"})
	if err != nil {
		t.Fatal(err)
	}
	state := openTestState(t)
	if _, err := deliver(t, state, []Channel{slack}, testNotices(), fastOptions()); err != nil {
		t.Fatal(err)
	}
	if slack.Name() != "slack:legal-updates" || len(srv.received()) != 3 {
		t.Fatalf("name %q, %d requests", slack.Name(), len(srv.received()))
	}
	m := decodeSlack(t, srv.received()[0].body)
	if len(m.Blocks) != 1 || m.Text != "Data Processing Agreement updated 2026-03-01: https://legal.example.com/dpa/versions/v1a2b3/" {
		t.Errorf("message %+v", m)
	}
}

func TestSlackRevokedURLIsPermanent(t *testing.T) {
	srv := newHookServer(t, 5, http.StatusNotFound)
	slack, err := NewSlack(SlackConfig{URL: srv.URL + "/services/T/B/S"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := deliver(t, openTestState(t), []Channel{slack}, testNotices()[:1], fastOptions())
	if err == nil || !strings.Contains(err.Error(), "404") || strings.Contains(err.Error(), "/services/") {
		t.Fatalf("error %v", err)
	}
	if rep.Channels[0].Attempts != 1 {
		t.Errorf("%d attempts, want 1", rep.Channels[0].Attempts)
	}
}

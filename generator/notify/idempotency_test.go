package notify

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// failNextSave makes the State's next save fail, as if the run had been
// killed after the receiver accepted a delivery and before it was recorded.
func failNextSave(s *State) {
	s.write = func(f *os.File, data []byte) error {
		s.write = writeAll
		return errors.New("killed")
	}
}

// TestEmailDigestResentWithANewVersionIsRecognisable: a digest accepted by
// the server but not recorded is sent again by the next run together with
// a newer version; the new digest refers to the notice's first message, and
// names its notices.
func TestEmailDigestResentWithANewVersionIsRecognisable(t *testing.T) {
	srv, pool := startSMTPServer(t, smtpServerOptions{startTLS: true})
	email := newTestEmail(t, "smtp", srv, pool, srv.pass, true)
	state := openTestState(t)
	notices := testNotices()

	failNextSave(state)
	if _, err := deliver(t, state, []Channel{email}, notices[:1], fastOptions()); err == nil || !strings.Contains(err.Error(), "could not be recorded") {
		t.Fatalf("want a delivery that could not be recorded, got %v", err)
	}
	if _, err := deliver(t, state, []Channel{email}, notices[:2], fastOptions()); err != nil {
		t.Fatal(err)
	}
	mails := srv.received()
	if len(mails) != 2 {
		t.Fatalf("%d messages, want 2", len(mails))
	}
	first, second := parseMail(t, mails[0].data), parseMail(t, mails[1].data)
	firstID := first.header.Get("Message-ID")
	if firstID == "" || firstID != email.MessageID(notices[:1]) {
		t.Fatalf("first Message-ID %q", firstID)
	}
	if refs := second.header.Get("References"); !strings.Contains(refs, firstID) || !strings.Contains(refs, email.MessageID(notices[1:2])) {
		t.Errorf("the second digest's References %q do not name the messages of its notices (%s)", refs, firstID)
	}
	if got, want := second.header.Get("X-Clause-Notice-Ids"), notices[0].Key()+", "+notices[1].Key(); got != want {
		t.Errorf("X-Clause-Notice-Ids %q, want %q", got, want)
	}
	// The same notices in another order have the same Message-ID.
	if email.MessageID([]Notice{notices[1], notices[0]}) != email.MessageID(notices[:2]) {
		t.Error("the digest's Message-ID depends on the order of its notices")
	}
}

// TestSlackMessagesCarryStableIDs: a Slack message re-sent after a
// delivery that was not recorded carries the same idempotency key, and a
// digest re-sent with a newer version the same block id for the notice.
func TestSlackMessagesCarryStableIDs(t *testing.T) {
	srv := newHookServer(t, 0, 0)
	slack, err := NewSlack(SlackConfig{URL: srv.URL + "/services/x", ID: "legal", Digest: true})
	if err != nil {
		t.Fatal(err)
	}
	state := openTestState(t)
	notices := testNotices()
	for range 2 {
		failNextSave(state)
		if _, err := deliver(t, state, []Channel{slack}, notices[:1], fastOptions()); err == nil {
			t.Fatal("want a delivery that could not be recorded")
		}
	}
	if _, err := deliver(t, state, []Channel{slack}, notices[:3], fastOptions()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.received()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	var msgs []SlackMessage
	for _, r := range reqs {
		msgs = append(msgs, decodeSlack(t, r.body))
	}
	key := msgs[0].Metadata.Payload.IdempotencyKey
	if key == "" || msgs[1].Metadata.Payload.IdempotencyKey != key || reqs[1].header.Get("Idempotency-Key") != key {
		t.Errorf("a re-sent message has another idempotency key: %q, %q, header %q", key, msgs[1].Metadata.Payload.IdempotencyKey, reqs[1].header.Get("Idempotency-Key"))
	}
	if msgs[2].Metadata.Payload.IdempotencyKey == key || msgs[2].Metadata.EventType != "clause_notice" {
		t.Errorf("the digest of three notices: metadata %+v", msgs[2].Metadata)
	}
	if got := msgs[2].Metadata.Payload.NoticeKeys; got != strings.Join(keysOf(notices), ",") {
		t.Errorf("notice_keys %q", got)
	}
	blockIDs := func(m SlackMessage) []string {
		var ids []string
		for _, b := range m.Blocks {
			if b.Type == "section" {
				ids = append(ids, b.BlockID)
			}
		}
		return ids
	}
	alone, digest := blockIDs(msgs[0]), blockIDs(msgs[2])
	if len(alone) != 1 || alone[0] == "" || len(digest) != 3 || digest[0] != alone[0] || digest[1] == digest[0] {
		t.Errorf("section block ids: alone %v, in the digest %v", alone, digest)
	}
}

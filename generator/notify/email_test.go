package notify

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause/internal/readcap"
)

// newTestEmail returns an email channel for srv, trusting pool.
func newTestEmail(t *testing.T, scheme string, srv *testSMTPServer, pool *x509.CertPool, pass string, digest bool) *Email {
	t.Helper()
	u := url.URL{Scheme: scheme, Host: srv.addr, User: url.UserPassword(srv.user, pass)}
	cfg := EmailConfig{
		URL: u.String(), From: "Acme Legal <legal@acme.example>",
		Recipients:  []string{"dpo@customer.example", "Vendor Risk <risk@other.example>"},
		Digest:      digest,
		PortalTitle: "Acme · Legal",
	}
	if pool != nil {
		cfg.TLSConfig = &tls.Config{RootCAs: pool}
	}
	e, err := NewEmail(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// parsedMail is a received message taken apart with net/mail and
// mime/multipart.
type parsedMail struct {
	header      mail.Header
	subject     string
	text, html  string
	contentType string
}

func parseMail(t *testing.T, data []byte) parsedMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("net/mail: %v\n%s", err, data)
	}
	var p parsedMail
	p.header = m.Header
	p.subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject: %v", err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", m.Header.Get("Content-Type"), err)
	}
	p.contentType = mt
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(part)
		if err != nil {
			t.Fatal(err)
		}
		switch ct := part.Header.Get("Content-Type"); ct {
		case "text/plain; charset=utf-8":
			p.text = string(body)
		case "text/html; charset=utf-8":
			p.html = string(body)
		default:
			t.Errorf("unexpected part %q", ct)
		}
	}
	if p.text == "" || p.html == "" {
		t.Fatalf("want a text and an html part:\n%s", data)
	}
	return p
}

func TestEmailOverSTARTTLSWithAuthPlain(t *testing.T) {
	srv, pool := startSMTPServer(t, smtpServerOptions{startTLS: true})
	email := newTestEmail(t, "smtp", srv, pool, srv.pass, false)
	state := openTestState(t)
	notices := testNotices()[1:]

	rep, err := deliver(t, state, []Channel{email}, notices, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Channels[0].Sent) != 2 || email.Name() != "email:legal@acme.example" {
		t.Errorf("report %+v, name %q", rep.Channels[0], email.Name())
	}
	mails := srv.received()
	if len(mails) != 2 {
		t.Fatalf("server accepted %d messages, want one per notice", len(mails))
	}
	for i, m := range mails {
		if !m.tls {
			t.Errorf("message %d was not sent over TLS", i)
		}
		if m.from != "legal@acme.example" || strings.Join(m.to, ",") != "dpo@customer.example,risk@other.example" {
			t.Errorf("message %d: envelope %s -> %v", i, m.from, m.to)
		}
		p := parseMail(t, m.data)
		if from, err := p.header.AddressList("From"); err != nil || from[0].Address != "legal@acme.example" || from[0].Name != "Acme Legal" {
			t.Errorf("From %v: %v", from, err)
		}
		if strings.Contains(string(m.data), "dpo@customer.example") || p.header.Get("Bcc") != "" {
			t.Errorf("message %d shows the recipients", i)
		}
		if d, err := p.header.Date(); err != nil || time.Since(d) > time.Minute {
			t.Errorf("Date %v: %v", d, err)
		}
		if got, want := p.header.Get("Message-ID"), email.MessageID(notices[i:i+1]); got != want || !strings.HasSuffix(got, "@acme.example>") {
			t.Errorf("Message-ID %q, want %q", got, want)
		}
		if p.header.Get("MIME-Version") != "1.0" || p.header.Get("Auto-Submitted") != "auto-generated" {
			t.Errorf("headers %v", p.header)
		}
		for _, tag := range []string{"<img", "<link", "<script", "src=", "url(", "@import"} {
			if strings.Contains(strings.ToLower(p.html), tag) {
				t.Errorf("message %d: html has %q", i, tag)
			}
		}
	}

	sub := parseMail(t, mails[0].data)
	if want := "Sub-processors updated 2026-03-04 (objections by 2026-04-03)"; sub.subject != want {
		t.Errorf("subject %q, want %q", sub.subject, want)
	}
	for _, want := range []string{
		"Acme · Legal", "Sub-processors", "Published: 2026-03-04 09:30 CET", "Change: Add Acme Mail",
		"What changed: 1 row added", "New sub-processors:\n  - Acme Mail (email delivery, Ireland)",
		"Objection deadline: 2026-04-03 (30 days' notice)",
		"Read this version: https://legal.example.com/subprocessors/versions/s4d5e6/",
	} {
		if !strings.Contains(strings.ReplaceAll(sub.text, "\r\n", "\n"), want) {
			t.Errorf("text part lacks %q:\n%s", want, sub.text)
		}
	}
	if !strings.Contains(sub.html, `<a href="https://legal.example.com/subprocessors/versions/s4d5e6/"`) ||
		!strings.Contains(sub.html, "<strong>2026-04-03</strong>") {
		t.Errorf("html part:\n%s", sub.html)
	}

	// Non-ASCII and markup from content: MIME-encoded subject, escaped HTML.
	priv := parseMail(t, mails[1].data)
	if want := "Datenschutzerklärung <script>alert(1)</script> updated 2026-03-05"; priv.subject != want {
		t.Errorf("subject %q, want %q", priv.subject, want)
	}
	if raw := mails[1].data; !bytes.Contains(raw, []byte("Subject: =?utf-8?q?")) {
		t.Errorf("subject is not MIME-encoded:\n%s", raw)
	}
	if !strings.Contains(priv.html, "Datenschutzerklärung &lt;script&gt;alert(1)&lt;/script&gt;") ||
		!strings.Contains(priv.html, "Clarify retention &amp; &lt;b&gt;deletion&lt;/b&gt;") {
		t.Errorf("html part does not escape content:\n%s", priv.html)
	}
	for i, m := range mails {
		for _, line := range strings.Split(string(m.data), "\r\n") {
			if len(line) > 998 {
				t.Errorf("message %d has a line of %d characters", i, len(line))
			}
		}
	}
}

func TestEmailDigestSendsOneMessageWithEveryNotice(t *testing.T) {
	srv, pool := startSMTPServer(t, smtpServerOptions{startTLS: true})
	email := newTestEmail(t, "smtp", srv, pool, srv.pass, true)
	state := openTestState(t)
	notices := testNotices()[:2]

	rep, err := deliver(t, state, []Channel{email}, notices, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	mails := srv.received()
	if len(mails) != 1 || len(rep.Channels[0].Sent) != 2 || rep.Channels[0].Attempts != 1 {
		t.Fatalf("%d messages, report %+v; want one digest of two notices", len(mails), rep.Channels[0])
	}
	p := parseMail(t, mails[0].data)
	if want := "2 legal document updates: Data Processing Agreement, Sub-processors (2026-03-01 to 2026-03-04)"; p.subject != want {
		t.Errorf("subject %q, want %q", p.subject, want)
	}
	for _, want := range []string{"Data Processing Agreement", "Sub-processors", "Add SCC module 3", "Acme Mail"} {
		if !strings.Contains(p.text, want) || !strings.Contains(p.html, want) {
			t.Errorf("digest lacks %q", want)
		}
	}
	for _, n := range notices {
		if _, ok := state.Delivered(email.Name(), n.Key()); !ok {
			t.Errorf("state lacks %s", n.Key())
		}
	}
	// A rerun sends no second digest.
	if _, err := deliver(t, state, []Channel{email}, notices, fastOptions()); err != nil || len(srv.received()) != 1 {
		t.Errorf("rerun: %v, %d messages", err, len(srv.received()))
	}
}

func TestEmailWrongPasswordIsAnAuthErrorAndNotRetried(t *testing.T) {
	srv, pool := startSMTPServer(t, smtpServerOptions{startTLS: true})
	email := newTestEmail(t, "smtp", srv, pool, "wrong", false)
	state := openTestState(t)
	_, err := deliver(t, state, []Channel{email}, testNotices()[:1], fastOptions())
	if !errors.Is(err, ErrSMTPAuth) {
		t.Fatalf("error %v, want ErrSMTPAuth", err)
	}
	if msg := err.Error(); !strings.Contains(msg, `rejected user "mailer"`) || !strings.Contains(msg, "535") || strings.Contains(msg, "wrong") {
		t.Errorf("error %q: want the user and the server's reply, not the password", msg)
	}
	if srv.authAttempts != 1 || len(srv.received()) != 0 || state.HasChannel(email.Name()) {
		t.Errorf("%d auth attempts, %d messages, state %v", srv.authAttempts, len(srv.received()), state.Channels())
	}
}

func TestEmailOverImplicitTLS(t *testing.T) {
	srv, pool := startSMTPServer(t, smtpServerOptions{implicitTLS: true})
	email := newTestEmail(t, "smtps", srv, pool, srv.pass, false)
	if _, err := deliver(t, openTestState(t), []Channel{email}, testNotices()[:1], fastOptions()); err != nil {
		t.Fatal(err)
	}
	if m := srv.received(); len(m) != 1 || !m[0].tls {
		t.Errorf("messages %d", len(m))
	}
}

func TestEmailLoopbackRelayWithoutSTARTTLSIsAllowed(t *testing.T) {
	srv, _ := startSMTPServer(t, smtpServerOptions{plainAuth: true})
	email := newTestEmail(t, "smtp", srv, nil, srv.pass, false)
	if _, err := deliver(t, openTestState(t), []Channel{email}, testNotices()[:1], fastOptions()); err != nil {
		t.Fatal(err)
	}
	if m := srv.received(); len(m) != 1 || m[0].tls {
		t.Errorf("want one plain-text message, got %d", len(m))
	}
}

func TestEmailUntrustedCertificateIsPermanent(t *testing.T) {
	srv, _ := startSMTPServer(t, smtpServerOptions{startTLS: true})
	email := newTestEmail(t, "smtp", srv, nil, srv.pass, false) // system roots only
	rep, err := deliver(t, openTestState(t), []Channel{email}, testNotices()[:1], fastOptions())
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("error %v, want a certificate error", err)
	}
	if rep.Channels[0].Attempts != 1 || len(srv.received()) != 0 {
		t.Errorf("%d attempts, %d messages; want 1 and 0", rep.Channels[0].Attempts, len(srv.received()))
	}
}

func TestEmailRejectedRecipientSendsNothingAndNamesIt(t *testing.T) {
	srv, pool := startSMTPServer(t, smtpServerOptions{startTLS: true})
	srv.reject = "risk@other.example"
	email := newTestEmail(t, "smtp", srv, pool, srv.pass, false)
	rep, err := deliver(t, openTestState(t), []Channel{email}, testNotices()[:1], fastOptions())
	if err == nil || !strings.Contains(err.Error(), "<risk@other.example> rejected") || !strings.Contains(err.Error(), "550") {
		t.Fatalf("error %v, want the rejected recipient", err)
	}
	if rep.Channels[0].Attempts != 1 || len(srv.received()) != 0 {
		t.Errorf("%d attempts, %d messages", rep.Channels[0].Attempts, len(srv.received()))
	}
}

func TestNewEmailNamesInvalidRecipients(t *testing.T) {
	_, err := NewEmail(EmailConfig{
		URL: "smtp://mail.example.com", From: "legal@acme.example",
		Recipients: []string{"ok@example.com", "bob@", "Alice <alice@example.com>", "not an address"},
	})
	if !errors.Is(err, ErrInvalidAddress) {
		t.Fatalf("error %v, want ErrInvalidAddress", err)
	}
	for _, want := range []string{`recipient 2 "bob@"`, `recipient 4 "not an address"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "alice") {
		t.Errorf("error names a valid address: %v", err)
	}
	for _, cfg := range []EmailConfig{
		{URL: "smtp://mail.example.com", From: "nobody", Recipients: []string{"a@example.com"}},
		{URL: "smtp://mail.example.com", From: "legal@acme.example"},
		{URL: "http://mail.example.com", From: "legal@acme.example", Recipients: []string{"a@example.com"}},
		{URL: "smtp://:pw@mail.example.com", From: "legal@acme.example", Recipients: []string{"a@example.com"}},
		{URL: "smtp://mail.example.com/x?y=z", From: "legal@acme.example", Recipients: []string{"a@example.com"}},
	} {
		if _, err := NewEmail(cfg); err == nil {
			t.Errorf("NewEmail(%+v) succeeded", cfg)
		} else if strings.Contains(err.Error(), ":pw@") {
			t.Errorf("error shows the password: %v", err)
		}
	}
}

func TestParseRecipientsReportsFileAndLine(t *testing.T) {
	in := "# customers\ndpo@customer.example\n\nVendor Risk <risk@other.example>\nbroken@\n  also broken  \n"
	_, err := ParseRecipients("subscribers.txt", strings.NewReader(in))
	if !errors.Is(err, ErrInvalidAddress) {
		t.Fatalf("error %v", err)
	}
	for _, want := range []string{`subscribers.txt:5: invalid email address "broken@"`, `subscribers.txt:6: invalid email address "also broken"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	got, err := ParseRecipients("ok.txt", strings.NewReader("# c\na@example.com\nB <b@example.com>\n"))
	if err != nil || fmt.Sprint(got) != "[a@example.com B <b@example.com>]" {
		t.Errorf("got %v, %v", got, err)
	}
	if _, err := ParseRecipients("empty.txt", strings.NewReader("# nobody\n")); err == nil {
		t.Error("an empty list is accepted")
	}
}

func TestDecideStartTLS(t *testing.T) {
	for _, tt := range []struct {
		host                       string
		offered, creds, requireTLS bool
		use, ok                    bool
	}{
		{"smtp.example.com", true, true, false, true, true},
		{"smtp.example.com", false, false, false, false, true},
		{"smtp.example.com", false, true, false, false, false}, // password in clear over the network
		{"smtp.example.com", false, false, true, false, false},
		{"127.0.0.1", false, true, false, false, true},
		{"127.0.0.53", false, true, false, false, true},
		{"::1", false, true, false, false, true},
		{"localhost", false, true, false, false, true},
		{"localhost.example.com", false, true, false, false, false},
		{"10.0.0.1", false, true, false, false, false},
		{"127.0.0.1", false, true, true, false, false},
	} {
		use, err := decideStartTLS(tt.host, tt.offered, tt.creds, tt.requireTLS)
		if use != tt.use || (err == nil) != tt.ok {
			t.Errorf("decideStartTLS(%q, offered=%v, creds=%v, require=%v) = %v, %v", tt.host, tt.offered, tt.creds, tt.requireTLS, use, err)
		}
		if err != nil && !isPermanent(err) {
			t.Errorf("%s: refusal is not permanent", tt.host)
		}
		if err != nil && tt.creds && !tt.requireTLS && !errors.Is(err, ErrSMTPAuth) {
			t.Errorf("%s: refusal does not wrap ErrSMTPAuth: %v", tt.host, err)
		}
	}
}

func TestWriteHeaderFoldsLongValues(t *testing.T) {
	var b bytes.Buffer
	subject := mime.QEncoding.Encode("utf-8", strings.Repeat("Auftragsverarbeitungsvertrag Änderung ", 6))
	writeHeader(&b, "Subject", subject)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n")
	if len(lines) < 2 {
		t.Errorf("not folded: %q", b.String())
	}
	for i, line := range lines {
		if limit := 78; len(line) > limit && (i > 0 || len(line) > len("Subject: ")+75) {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
	}
	m, err := mail.ReadMessage(strings.NewReader(b.String() + "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil || got != strings.Repeat("Auftragsverarbeitungsvertrag Änderung ", 6) {
		t.Errorf("round trip: %q, %v", got, err)
	}
}

// TestParseRecipientsOverCap: a subscriber list read through a capped
// reader fails once past the cap, naming the file once.
func TestParseRecipientsOverCap(t *testing.T) {
	list := strings.Repeat("someone@example.com\n", 100)
	_, err := ParseRecipients("subs.txt", readcap.Reader(strings.NewReader(list), "subs.txt", 1000))
	if err == nil || err.Error() != "subs.txt: file is larger than 1000 bytes, the limit for this file" {
		t.Fatalf("error %v, want the cap named once", err)
	}
	got, err := ParseRecipients("subs.txt", readcap.Reader(strings.NewReader(list), "subs.txt", int64(len(list))))
	if err != nil || len(got) != 100 {
		t.Fatalf("at the cap: %d recipients, %v", len(got), err)
	}
}

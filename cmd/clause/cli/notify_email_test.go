package cli

import (
	"bytes"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/clause-portal/clause/internal/gittest"
)

// mailbox is a real SMTP server (emersion/go-smtp) on loopback that keeps
// the messages it accepts.
type mailbox struct {
	mu    sync.Mutex
	mails []*mail.Message
	rcpts [][]string
}

type mailSession struct {
	box *mailbox
	to  []string
}

func (s *mailSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	// Read the whole message now: r is not readable after Data returns.
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.box.mails = append(s.box.mails, m)
	s.box.rcpts = append(s.box.rcpts, s.to)
	return nil
}
func (s *mailSession) Reset()        { s.to = nil }
func (s *mailSession) Logout() error { return nil }

func startMailbox(t *testing.T) (*mailbox, string) {
	box := &mailbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{box: box}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return box, l.Addr().String()
}

// TestNotifyEmailDigest runs clause notify --smtp-url against a real SMTP
// server: two new material versions arrive as one digest email with a
// plain-text and an HTML part, to every subscriber, and a rerun sends
// nothing.
func TestNotifyEmailDigest(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "---\ntitle: DPA\n---\n## 1. Breach\n\nWithin 72 hours.\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish DPA")
	box, addr := startMailbox(t)
	subscribers := filepath.Join(t.TempDir(), "subscribers.txt")
	if err := os.WriteFile(subscribers, []byte("# DPOs\ndpo@customer-a.example\nPrivacy Team <privacy@customer-b.example>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--repo", r.Dir, "--base-url", "https://legal.example.com/", "--smtp-url", "smtp://" + addr,
		"--mail-from", "Acme Legal <legal@acme.example>", "--mail-to-file", subscribers, "--digest"}
	if code, _, errOut := notifyRunCmd(t, nil, args...); code != ExitOK {
		t.Fatalf("baseline: %d %s", code, errOut)
	}

	r.Write("content/dpa.md", "---\ntitle: DPA\n---\n## 1. Breach\n\nWithin 48 hours.\n")
	r.Commit("2026-02-10T09:00:00Z", "DPA: 48-hour breach notice")
	r.Write("content/privacy.md", "# Privacy notice\n")
	r.Commit("2026-02-11T09:00:00Z", "Publish privacy notice")
	if code, _, errOut := notifyRunCmd(t, nil, args...); code != ExitOK {
		t.Fatalf("notify: %d %s", code, errOut)
	}
	notifyRunCmd(t, nil, args...) // rerun: nothing new
	box.mu.Lock()
	defer box.mu.Unlock()
	if len(box.mails) != 1 {
		t.Fatalf("%d emails, want one digest", len(box.mails))
	}
	if got := strings.Join(box.rcpts[0], ","); got != "dpo@customer-a.example,privacy@customer-b.example" {
		t.Errorf("recipients %s", got)
	}
	m := box.mails[0]
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		b, _ := io.ReadAll(p)
		parts[ct] = string(b)
	}
	text := parts["text/plain"]
	for _, want := range []string{"DPA: 48-hour breach notice", "Publish privacy notice", "1 clause changed"} {
		if !strings.Contains(strings.ReplaceAll(text, "=\r\n", ""), want) {
			t.Errorf("plain-text part lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(parts["text/html"], "https://legal.example.com/dpa/versions/") || !strings.Contains(parts["text/html"], "#changes_in_version") {
		t.Error("HTML part lacks the redline link")
	}
}

package notify

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math"
	"net/mail"
	"strings"
	"time"

	"github.com/clause-portal/clause/internal/readcap"
)

// ErrInvalidAddress is wrapped by the errors of ParseRecipients and
// NewEmail for an address that net/mail cannot parse.
var ErrInvalidAddress = errors.New("invalid email address")

// EmailConfig configures an email channel.
type EmailConfig struct {
	// URL is the SMTP server: "smtp://user:pass@host:port" (port 587 by
	// default; STARTTLS when the server offers it) or
	// "smtps://user:pass@host:port" (implicit TLS, port 465 by default).
	// User and password are optional and percent-encoded.
	URL string
	// From is the sender, e.g. "Acme Legal <legal@acme.example>".
	From string
	// Recipients are the subscribers' addresses (see ParseRecipients).
	// They never appear in the channel name or the State.
	Recipients []string
	// Digest sends all the notices of a run in one email; otherwise each
	// notice is its own email.
	Digest bool
	// ID, if set, names the channel "email:ID" instead of "email:" + the
	// From address; set it to keep two lists with one sender apart.
	ID string
	// PortalTitle, e.g. "Acme · Legal", heads the email; optional.
	PortalTitle string
	// TLSConfig verifies the server (custom root CAs, say); nil means the
	// system roots. ServerName defaults to the URL's host.
	TLSConfig *tls.Config
	// RequireTLS refuses a plain-text connection even without
	// credentials.
	RequireTLS bool
	// HelloName is the name sent with EHLO; "localhost" by default.
	HelloName string
}

// Email is a channel that sends notices by email over SMTP.
//
// Each email is a multipart/alternative message with a plain-text and an
// HTML part (html/template escaped, inline styles, no external resources),
// with Date, a Message-ID stable across retries and reruns (receivers may
// drop duplicates), and a Subject naming the document and the version date,
// MIME-encoded when not ASCII. One email per notice, or one per run with
// Digest.
//
// Recipients get the email as blind copies of one SMTP transaction (the To
// header is the sender): nobody sees the other subscribers, and the
// server accepts the message for all of them or none, which keeps delivery
// exactly once per run. A recipient the server rejects fails the whole
// delivery with an error naming the address (permanent for a 5xx reply):
// remove it from the list and rerun. Lists longer than the server's
// recipient limit belong in several channels.
//
// Security: with smtp://, STARTTLS is used whenever the server offers it.
// When it does not, a channel with credentials refuses to connect unless the
// host is a loopback address (a local relay), so a password never crosses
// the network in clear; RequireTLS refuses plain text altogether. TLS
// certificates are always verified. Authentication uses PLAIN, or LOGIN
// when the server offers only that; a rejection wraps ErrSMTPAuth and is
// not retried, so as not to lock the account.
type Email struct {
	name        string
	server      smtpServer
	from        *mail.Address
	recipients  []*mail.Address
	digest      bool
	portalTitle string
	tls         *tls.Config
	requireTLS  bool
	hello       string
}

// NewEmail validates cfg — the server URL, the sender and every recipient —
// and returns the channel. Errors name the bad address and its position in
// the list.
func NewEmail(cfg EmailConfig) (*Email, error) {
	srv, err := parseSMTPURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("email sender %q: %w: %v", cfg.From, ErrInvalidAddress, err)
	}
	if len(cfg.Recipients) == 0 {
		return nil, errors.New("email channel: no recipients")
	}
	var errs []error
	var rcpts []*mail.Address
	seen := map[string]bool{}
	for i, r := range cfg.Recipients {
		a, err := mail.ParseAddress(r)
		if err != nil {
			errs = append(errs, fmt.Errorf("email recipient %d %q: %w: %v", i+1, r, ErrInvalidAddress, err))
			continue
		}
		if k := strings.ToLower(a.Address); !seen[k] {
			seen[k] = true
			rcpts = append(rcpts, a)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	name := "email:" + strings.ToLower(from.Address)
	if cfg.ID != "" {
		if name, err = checkName("email", cfg.ID); err != nil {
			return nil, err
		}
	}
	hello := cfg.HelloName
	if hello == "" {
		hello = "localhost"
	}
	return &Email{
		name: name, server: srv, from: from, recipients: rcpts, digest: cfg.Digest,
		portalTitle: oneLine(cfg.PortalTitle), tls: cfg.TLSConfig, requireTLS: cfg.RequireTLS, hello: hello,
	}, nil
}

// ParseRecipients reads a subscriber list: one address per line ("Name
// <addr>" or a bare address), blank lines and lines starting with "#"
// ignored. name is the list's file name, used in errors of the form
// "name:line: invalid email address ...", all reported at once.
func ParseRecipients(name string, r io.Reader) ([]string, error) {
	var out []string
	var errs []error
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if _, err := mail.ParseAddress(s); err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w %q: %v", name, line, ErrInvalidAddress, s, err))
			continue
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		if tl := (*readcap.TooLargeError)(nil); errors.As(err, &tl) {
			return nil, err // names the file; the lines read are cut short
		}
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no recipients", name)
	}
	return out, nil
}

// Name returns "email:" + the sender's address, or "email:ID".
func (e *Email) Name() string { return e.name }

// MaxBatch is 1, or unlimited with Digest.
func (e *Email) MaxBatch() int {
	if e.digest {
		return math.MaxInt
	}
	return 1
}

// Send emails batch (one notice, or a digest) to every recipient in one
// SMTP transaction.
func (e *Email) Send(ctx context.Context, batch []Notice) error {
	if len(batch) == 0 {
		return nil
	}
	msg, err := e.compose(batch, time.Now())
	if err != nil {
		return Permanent(err)
	}
	to := make([]string, len(e.recipients))
	for i, r := range e.recipients {
		to[i] = r.Address
	}
	return e.server.send(ctx, sendParams{
		tls: e.tls, requireTLS: e.requireTLS, hello: e.hello,
		from: e.from.Address, to: to, msg: msg,
	})
}

// Subject returns the subject of the email announcing batch, e.g. "Data
// Processing Agreement updated 2026-03-01".
func (e *Email) Subject(batch []Notice) string {
	if len(batch) == 1 {
		s := headline(batch[0])
		if sp := batch[0].Subprocessors; sp != nil && sp.ObjectionDeadline != "" {
			s += " (objections by " + sp.ObjectionDeadline + ")"
		}
		return s
	}
	var titles []string
	seen := map[string]bool{}
	for _, n := range batch {
		if t := n.title(); !seen[t] {
			seen[t] = true
			titles = append(titles, t)
		}
	}
	s := fmt.Sprintf("%d legal document updates: %s", len(batch), clip(strings.Join(titles, ", "), 120))
	first, last := batch[0].publishedDate(), batch[len(batch)-1].publishedDate()
	switch {
	case first != "" && first != last:
		s += " (" + first + " to " + last + ")"
	case first != "":
		s += " (" + first + ")"
	}
	return s
}

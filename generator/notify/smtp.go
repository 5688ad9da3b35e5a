package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
)

// ErrSMTPAuth is wrapped by the error of an email delivery whose SMTP
// authentication failed: credentials rejected, or no usable mechanism.
var ErrSMTPAuth = errors.New("smtp authentication failed")

// smtpServer is a parsed smtp:// or smtps:// URL.
type smtpServer struct {
	implicitTLS bool
	host, port  string
	user, pass  string
	credentials bool
}

func (s smtpServer) addr() string { return net.JoinHostPort(s.host, s.port) }

// parseSMTPURL parses "smtp://user:pass@host:port" or "smtps://…". Errors
// never show the password.
func parseSMTPURL(raw string) (smtpServer, error) {
	var s smtpServer
	u, err := url.Parse(raw)
	if err != nil {
		return s, errors.New("email server URL: not a URL (want smtp://user:pass@host:port or smtps://…)")
	}
	shown := u.Redacted()
	switch u.Scheme {
	case "smtp":
		s.port = "587"
	case "smtps":
		s.implicitTLS, s.port = true, "465"
	default:
		return s, fmt.Errorf("email server URL %s: scheme must be smtp or smtps", shown)
	}
	s.host = u.Hostname()
	if s.host == "" {
		return s, fmt.Errorf("email server URL %s: no host", shown)
	}
	if p := u.Port(); p != "" {
		s.port = p
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return s, fmt.Errorf("email server URL %s: unexpected path, query or fragment", shown)
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
		if s.user == "" {
			return s, fmt.Errorf("email server URL %s: password without a user name", shown)
		}
		s.credentials = true
	}
	return s, nil
}

// isLoopback reports whether host is "localhost" or a loopback IP literal.
// Names are not resolved: only what the URL says is trusted.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// decideStartTLS decides, on a plain smtp:// connection, whether to upgrade
// with STARTTLS. It upgrades whenever the server offers it. Without it, a
// connection that would authenticate is refused unless the host is a
// loopback address (a local relay: the password never leaves the machine),
// and so is any connection when TLS is required. The error is permanent.
func decideStartTLS(host string, offered, credentials, requireTLS bool) (bool, error) {
	if offered {
		return true, nil
	}
	if requireTLS {
		return false, Permanent(fmt.Errorf("smtp server %s does not offer STARTTLS and TLS is required; use smtps:// or a server that offers STARTTLS", host))
	}
	if credentials && !isLoopback(host) {
		return false, Permanent(fmt.Errorf("%w: smtp server %s does not offer STARTTLS; refusing to send the password in clear (use smtps://, or a server that offers STARTTLS)", ErrSMTPAuth, host))
	}
	return false, nil
}

type sendParams struct {
	tls        *tls.Config
	requireTLS bool
	hello      string
	from       string
	to         []string
	msg        []byte
}

// send runs one SMTP transaction: connect, EHLO, STARTTLS, AUTH, MAIL,
// RCPT for every recipient, DATA. ctx bounds the whole exchange.
func (s smtpServer) send(ctx context.Context, p sendParams) (err error) {
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if p.tls != nil {
		tlsConfig = p.tls.Clone()
	}
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = s.host
	}
	dialer := &net.Dialer{}
	var conn net.Conn
	if s.implicitTLS {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: tlsConfig}).DialContext(ctx, "tcp", s.addr())
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", s.addr())
	}
	if err != nil {
		return s.classify("connect", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		conn.Close()
		return s.classify("greeting", err)
	}
	defer c.Close()
	if err := c.Hello(p.hello); err != nil {
		return s.classify("EHLO", err)
	}
	if !s.implicitTLS {
		offered, _ := c.Extension("STARTTLS")
		use, err := decideStartTLS(s.host, offered, s.credentials, p.requireTLS)
		if err != nil {
			return err
		}
		if use {
			if err := c.StartTLS(tlsConfig); err != nil {
				return s.classify("STARTTLS", err)
			}
		}
	}
	if s.credentials {
		if err := s.auth(c); err != nil {
			return err
		}
	}
	if err := c.Mail(p.from); err != nil {
		return s.classify("MAIL FROM <"+p.from+">", err)
	}
	for _, rcpt := range p.to {
		if err := c.Rcpt(rcpt); err != nil {
			_ = c.Reset()
			return s.classify("recipient <"+rcpt+"> rejected; nothing was sent to anyone", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return s.classify("DATA", err)
	}
	if _, err := w.Write(p.msg); err != nil {
		return s.classify("DATA", err)
	}
	if err := w.Close(); err != nil {
		return s.classify("message not accepted", err)
	}
	// The server has accepted the message: a failing QUIT changes nothing.
	_ = c.Quit()
	return nil
}

// auth authenticates with PLAIN, or LOGIN when the server offers only that.
func (s smtpServer) auth(c *smtp.Client) error {
	ok, mechs := c.Extension("AUTH")
	if !ok {
		return Permanent(fmt.Errorf("%w: smtp server %s does not offer AUTH, but the URL has credentials", ErrSMTPAuth, s.addr()))
	}
	var a smtp.Auth
	offered := strings.Fields(strings.ToUpper(mechs))
	switch {
	case contains(offered, "PLAIN"):
		a = plainAuth{user: s.user, pass: s.pass}
	case contains(offered, "LOGIN"):
		a = &loginAuth{user: s.user, pass: s.pass}
	default:
		return Permanent(fmt.Errorf("%w: smtp server %s offers AUTH %s; clause supports PLAIN and LOGIN", ErrSMTPAuth, s.addr(), mechs))
	}
	err := c.Auth(a)
	var te *textproto.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te) && te.Code >= 500:
		// Not retried: repeating a wrong password can lock the account.
		return Permanent(fmt.Errorf("%w: smtp server %s rejected user %q: %v", ErrSMTPAuth, s.addr(), s.user, err))
	case te != nil:
		return fmt.Errorf("%w: smtp server %s: temporary failure for user %q: %v", ErrSMTPAuth, s.addr(), s.user, err)
	}
	return s.classify("AUTH", err)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// classify wraps an SMTP failure with the server and stage, and marks
// permanent what retrying cannot fix: 5xx replies and certificate errors.
func (s smtpServer) classify(stage string, err error) error {
	err = fmt.Errorf("smtp %s: %s: %w", s.addr(), stage, err)
	var te *textproto.Error
	var cve *tls.CertificateVerificationError
	var uae x509.UnknownAuthorityError
	var hne x509.HostnameError
	var cie x509.CertificateInvalidError
	switch {
	case errors.As(err, &te):
		if te.Code >= 500 {
			return Permanent(err)
		}
	case errors.As(err, &cve), errors.As(err, &uae), errors.As(err, &hne), errors.As(err, &cie):
		return Permanent(err)
	}
	return err
}

// plainAuth is SASL PLAIN (RFC 4616). Unlike net/smtp.PlainAuth it does not
// decide by itself whether the connection is safe: decideStartTLS did.
type plainAuth struct{ user, pass string }

func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected server challenge")
	}
	return nil, nil
}

// loginAuth is the LOGIN mechanism, still the only one some servers offer.
type loginAuth struct {
	user, pass string
	step       int
}

func (a *loginAuth) Start(*smtp.ServerInfo) (string, []byte, error) { return "LOGIN", nil, nil }

func (a *loginAuth) Next(challenge []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	switch c := strings.ToLower(string(challenge)); {
	case strings.Contains(c, "username") || (a.step == 1 && !strings.Contains(c, "password")):
		return []byte(a.user), nil
	case strings.Contains(c, "password") || a.step == 2:
		return []byte(a.pass), nil
	}
	return nil, fmt.Errorf("unexpected LOGIN challenge %q", challenge)
}

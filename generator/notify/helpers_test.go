package notify

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// testSecret is a Standard Webhooks secret of 32 bytes.
var testSecret = "whsec_" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))

// testNotices returns three notices in publication order: a DPA version, a
// sub-processor list version, and a privacy policy with a non-ASCII title
// and markup in its subject.
func testNotices() []Notice {
	cet := time.FixedZone("CET", 3600)
	return []Notice{
		{
			DocumentID: "dpa", DocumentTitle: "Data Processing Agreement", Kind: "dpa",
			VersionID: "v1a2b3", Commit: strings.Repeat("a", 40),
			Published: time.Date(2026, 3, 1, 14, 5, 0, 0, time.UTC),
			Subject:   "Add SCC module 3", Material: true, Effective: "2026-04-01",
			URL:         "https://legal.example.com/dpa/versions/v1a2b3/",
			DocumentURL: "https://legal.example.com/dpa/",
			DiffURL:     "https://legal.example.com/dpa/diff/v1a2b3/",
			Summary:     "2 clauses changed, 1 added",
		},
		{
			DocumentID: "subprocessors", DocumentTitle: "Sub-processors", Kind: "subprocessors",
			VersionID: "s4d5e6", Commit: strings.Repeat("b", 40),
			Published: time.Date(2026, 3, 4, 9, 30, 0, 0, cet),
			Subject:   "Add Acme Mail", Material: true,
			URL:         "https://legal.example.com/subprocessors/versions/s4d5e6/",
			DocumentURL: "https://legal.example.com/subprocessors/",
			Summary:     "1 row added",
			Subprocessors: &SubprocessorChanges{
				Added:             []string{"Acme Mail (email delivery, Ireland)"},
				ObjectionDeadline: "2026-04-03", NoticeDays: 30,
			},
		},
		{
			DocumentID: "privacy", DocumentTitle: "Datenschutzerklärung <script>alert(1)</script>", Kind: "privacy",
			VersionID: "p7f8a9", Commit: strings.Repeat("c", 40),
			Published: time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC),
			Subject:   "Clarify retention & <b>deletion</b>", Material: true,
			URL:         "https://legal.example.com/privacy/versions/p7f8a9/",
			DocumentURL: "https://legal.example.com/privacy/",
			Summary:     "1 clause changed",
		},
	}
}

// openTestState opens a State in a temporary folder, closed at the end.
func openTestState(t *testing.T) *State {
	t.Helper()
	s, err := OpenState(filepath.Join(t.TempDir(), ".clause", "notify-state.json"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fastOptions retries quickly so that tests stay fast.
func fastOptions() Options {
	return Options{Retries: 3, InitialBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond, Timeout: 5 * time.Second}
}

// hookRequest is one request a hookServer received.
type hookRequest struct {
	header http.Header
	body   []byte
	at     time.Time
	status int
	// verifyErr is the standard-webhooks library's verdict on the
	// signature.
	verifyErr error
}

// hookServer is a real HTTP server on loopback that receives webhooks,
// verifies their signatures with the standard-webhooks library, and fails
// the first fail requests with failStatus.
type hookServer struct {
	*httptest.Server
	mu         sync.Mutex
	requests   []hookRequest
	fail       int
	failStatus int
	retryAfter string
}

func newHookServer(t *testing.T, fail, failStatus int) *hookServer {
	t.Helper()
	verifier, err := standardwebhooks.NewWebhook(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	h := &hookServer{fail: fail, failStatus: failStatus}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		req := hookRequest{header: r.Header.Clone(), body: body, at: time.Now(), status: http.StatusNoContent}
		req.verifyErr = verifier.Verify(body, r.Header)
		if len(h.requests) < h.fail {
			req.status = h.failStatus
			if h.retryAfter != "" {
				w.Header().Set("Retry-After", h.retryAfter)
			}
		}
		h.requests = append(h.requests, req)
		w.WriteHeader(req.status)
		if req.status >= 300 {
			io.WriteString(w, "try later")
		}
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) received() []hookRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookRequest(nil), h.requests...)
}

// succeeded returns the requests answered with 2xx.
func (h *hookServer) succeeded() []hookRequest {
	var out []hookRequest
	for _, r := range h.received() {
		if r.status < 300 {
			out = append(out, r)
		}
	}
	return out
}

func newTestWebhook(t *testing.T, url, id string) *Webhook {
	t.Helper()
	w, err := NewWebhook(WebhookConfig{URL: url, Secret: testSecret, ID: id})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// closedURL returns the URL of a loopback port nobody listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/hooks/clause"
}

// receivedMail is one message an smtpServer accepted.
type receivedMail struct {
	from string
	to   []string
	data []byte
	tls  bool
}

// smtpServer is a real SMTP server (emersion/go-smtp) on loopback.
type testSMTPServer struct {
	addr         string
	user, pass   string
	reject       string // a recipient refused with 550
	mu           sync.Mutex
	mails        []receivedMail
	authAttempts int
}

type smtpServerOptions struct {
	startTLS    bool // offer STARTTLS (with a self-signed certificate)
	implicitTLS bool // TLS from the first byte (smtps)
	plainAuth   bool // allow AUTH without TLS
}

// startSMTPServer starts the server and returns it with a pool trusting
// its certificate.
func startSMTPServer(t *testing.T, o smtpServerOptions) (*testSMTPServer, *x509.CertPool) {
	t.Helper()
	s := &testSMTPServer{user: "mailer", pass: "s3cret pässword"}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &testSession{srv: s, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = o.plainAuth
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	var pool *x509.CertPool
	var l net.Listener
	var err error
	l, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.startTLS || o.implicitTLS {
		var cfg *tls.Config
		cfg, pool = selfSignedTLS(t)
		if o.startTLS {
			srv.TLSConfig = cfg
		}
		if o.implicitTLS {
			l = tls.NewListener(l, cfg)
		}
	}
	s.addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s, pool
}

func (s *testSMTPServer) received() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.mails...)
}

type testSession struct {
	srv  *testSMTPServer
	conn *smtp.Conn
	auth bool
	from string
	to   []string
}

func (s *testSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *testSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		s.srv.mu.Lock()
		s.srv.authAttempts++
		s.srv.mu.Unlock()
		if username != s.srv.user || password != s.srv.pass {
			return smtp.ErrAuthFailed // 535, as real servers answer
		}
		s.auth = true
		return nil
	}), nil
}

func (s *testSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.auth {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == s.srv.reject {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.srv.mu.Lock()
	s.srv.mails = append(s.srv.mails, receivedMail{from: s.from, to: s.to, data: data, tls: isTLS})
	s.srv.mu.Unlock()
	return nil
}

func (s *testSession) Reset() { s.from, s.to = "", nil }

func (s *testSession) Logout() error { return nil }

// selfSignedTLS returns a server config with a fresh self-signed
// certificate for 127.0.0.1 and localhost, and a pool that trusts it.
func selfSignedTLS(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "clause test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

// deliver runs Deliver with a bounded context.
func deliver(t *testing.T, s *State, channels []Channel, notices []Notice, opts Options) (Report, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return Deliver(ctx, s, channels, notices, opts)
}

package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Channel is one destination of notices: a webhook endpoint, a Slack
// channel, a mailing list.
//
// Name is the channel's identity in the State: stable across runs and free
// of secrets (credentials, tokens, subscriber addresses), because the State
// file may be kept in a public repository. Two channels given to Deliver
// must not share a name.
//
// Send delivers batch as one unit: it either succeeds for all of its notices
// or fails for all of them, and it must honour ctx's deadline. Deliver gives
// it one notice at a time, or up to MaxBatch notices for a Batcher.
// A failure is retried unless it is marked permanent (see SendError).
type Channel interface {
	Name() string
	Send(ctx context.Context, batch []Notice) error
}

// Batcher is implemented by channels that can announce several notices in
// one message (a digest). MaxBatch is the most notices one Send may carry;
// values below 2 mean one notice per Send.
type Batcher interface {
	MaxBatch() int
}

// SendError classifies a failed Send for Deliver's retry loop. Channels
// return it (or wrap it) to say that retrying is pointless, or how long the
// receiver asked them to wait.
type SendError struct {
	// Err is the failure.
	Err error
	// Permanent reports that retrying in this run cannot help (a rejected
	// request, wrong credentials, an endpoint that is gone). The notice is
	// not recorded as delivered, so the next run tries again.
	Permanent bool
	// RetryAfter is the wait the receiver asked for (a Retry-After
	// header), or 0.
	RetryAfter time.Duration
}

// Error returns the underlying failure's message.
func (e *SendError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying failure.
func (e *SendError) Unwrap() error { return e.Err }

// Permanent marks err as a failure that retrying in this run cannot fix.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &SendError{Err: err, Permanent: true}
}

func isPermanent(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}

func retryAfter(err error) time.Duration {
	var se *SendError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}

// HTTPStatusError is a non-2xx reply from an HTTP endpoint.
type HTTPStatusError struct {
	// StatusCode is the HTTP status code, Status its text.
	StatusCode int
	Status     string
	// Body is the start of the response body, for the error message.
	Body string
}

// Error describes the reply, with a hint for 410 Gone and redirects.
func (e *HTTPStatusError) Error() string {
	msg := "HTTP " + e.Status
	if e.Body != "" {
		msg += fmt.Sprintf(": %q", e.Body)
	}
	switch {
	case e.StatusCode == http.StatusGone:
		msg += " (the endpoint is gone: remove or update this subscription)"
	case e.StatusCode >= 300 && e.StatusCode < 400:
		msg += " (redirects are not followed: configure the final URL)"
	}
	return msg
}

// httpSender posts JSON to one URL and classifies the reply:
//
//   - 2xx is success;
//   - 408, 425, 429 and 5xx are retried, honouring Retry-After on 429 and
//     503;
//   - 410 Gone, other 4xx and 3xx are permanent (redirects are not followed:
//     a POST must not silently turn into a GET elsewhere).
//
// Errors never show the URL's path, user info or query, which may carry a
// token.
type httpSender struct {
	url    string
	client *http.Client
}

func newHTTPSender(rawURL string, client *http.Client) *httpSender {
	if client == nil {
		client = &http.Client{}
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &httpSender{url: rawURL, client: &c}
}

func (s *httpSender) post(ctx context.Context, body []byte, header http.Header) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return Permanent(redactURL(err, s.url))
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "clause-notify")
	resp, err := s.client.Do(req)
	if err != nil {
		return redactURL(err, s.url)
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // let the connection be reused
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	herr := &HTTPStatusError{StatusCode: resp.StatusCode, Status: resp.Status, Body: clip(oneLine(s.redact(string(head))), 200)}
	se := &SendError{Err: herr}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable:
		se.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	case code == http.StatusRequestTimeout || code == http.StatusTooEarly || code >= 500:
	default:
		se.Permanent = true
	}
	return se
}

// redact removes the URL's secret parts from text (a reply body, which
// may quote the request: "Cannot POST /hooks/T0KEN"): the URL, its path,
// query and user info, in both their raw and escaped forms.
func (s *httpSender) redact(text string) string {
	u, err := url.Parse(s.url)
	if err != nil {
		return strings.ReplaceAll(text, s.url, "…")
	}
	secrets := []string{s.url, u.RawQuery, u.Fragment}
	if u.Path != "/" {
		secrets = append(secrets, u.Path, u.EscapedPath())
	}
	if u.User != nil {
		secrets = append(secrets, u.User.String(), u.User.Username())
		if p, ok := u.User.Password(); ok {
			secrets = append(secrets, p)
		}
	}
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	for _, sec := range secrets {
		if len(sec) >= 2 {
			text = strings.ReplaceAll(text, sec, "…")
		}
	}
	return text
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date.
// It returns 0 when the header is absent or unreadable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// redactURL replaces a secret URL inside an error from net/http with its
// redacted form (no user info, no query, no path), keeping the cause.
func redactURL(err error, secret string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s %s: %w", ue.Op, publicURL(secret, false), ue.Err)
	}
	return errors.New(strings.ReplaceAll(err.Error(), secret, publicURL(secret, false)))
}

// publicURL returns rawURL without user info, query and fragment, and
// without its path unless withPath: a form safe to print and to store.
func publicURL(rawURL string, withPath bool) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return "(invalid URL)"
	}
	out := u.Scheme + "://" + u.Host
	if withPath {
		out += u.EscapedPath()
	}
	return out
}

// shortHash is a stable, non-reversible tag for a secret, for channel names.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:12]
}

// deliveryID is the identifier of one delivery of batch to a channel,
// stable across retries and reruns.
func deliveryID(channel string, batch []Notice) string {
	h := sha256.New()
	for i, n := range batch {
		if i > 0 {
			h.Write([]byte{','})
		}
		h.Write([]byte(n.Key()))
	}
	h.Write([]byte{'|'})
	h.Write([]byte(channel))
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// clip shortens s to at most n runes, marking the cut with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// checkName validates a channel id given by the user and returns the
// channel name kind + ":" + id. An id is a word of letters, digits and
// ".", "_", "-", "+", "@" (at most 64), starting with a letter or digit:
// it cannot be mistaken for a URL, and it carries no secret.
func checkName(kind, id string) (string, error) {
	id = strings.TrimSpace(id)
	ok := id != "" && len(id) <= 64
	for i, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case i > 0 && strings.ContainsRune("._-+@", r):
		default:
			ok = false
		}
	}
	if !ok {
		// The value is not quoted: a mistyped flag may hold a URL's token.
		return "", fmt.Errorf("%s channel name: use letters, digits, and . _ - + @ (at most 64), starting with a letter or digit", kind)
	}
	return kind + ":" + id, nil
}

// Endpointer is implemented by channels that talk to a URL: Endpoint is its
// scheme and host ("https://hooks.example.com"), the only part of the URL
// ever printed or stored.
type Endpointer interface {
	Endpoint() string
}

// LegacyNamer is implemented by channels whose name in the State differed
// in an earlier release of clause: LegacyNames lists the names the channel
// may be recorded under in a State written by it. Deliver moves such an
// entry to the channel's name (see State.Adopt).
type LegacyNamer interface {
	LegacyNames() []string
}

// describe names a channel in log lines: its name, and the scheme and host
// it talks to when the name does not say.
func describe(ch Channel) string {
	name := ch.Name()
	if e, ok := ch.(Endpointer); ok {
		if ep := e.Endpoint(); ep != "" && !strings.HasSuffix(name, ":"+ep) {
			return name + " (" + ep + ")"
		}
	}
	return name
}

package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Webhook event types.
const (
	// EventVersionPublished is the event type of a new version.
	EventVersionPublished = "document.version.published"
	// EventDocumentRetired is the event type of a retired document (a
	// Notice with Retired set).
	EventDocumentRetired = "document.retired"
)

// WebhookEvent is the JSON body of a webhook: a Standard Webhooks payload
// whose data is one notice. The body of a notice is the same on every
// attempt; only the webhook-timestamp and webhook-signature headers change.
type WebhookEvent struct {
	// Type is EventVersionPublished, or EventDocumentRetired.
	Type string `json:"type"`
	// Timestamp is when the event occurred: the version's publication time,
	// RFC 3339 in UTC.
	Timestamp string `json:"timestamp"`
	// Data describes the version.
	Data EventData `json:"data"`
}

// EventData is a Notice in the webhook payload, with lower_snake field
// names. Empty optional values are null.
type EventData struct {
	Key           string              `json:"key"`
	DocumentID    string              `json:"document_id"`
	DocumentTitle string              `json:"document_title"`
	Kind          string              `json:"kind"`
	VersionID     string              `json:"version_id"`
	Commit        string              `json:"commit"`
	Published     string              `json:"published"`
	Subject       string              `json:"subject"`
	Material      bool                `json:"material"`
	Effective     *string             `json:"effective"`
	URL           string              `json:"url"`
	DocumentURL   string              `json:"document_url"`
	DiffURL       *string             `json:"diff_url"`
	Summary       string              `json:"summary"`
	Subprocessors *EventSubprocessors `json:"subprocessors"`
	// Retired is true in a document.retired event.
	Retired bool `json:"retired"`
	// Language is the document's BCP 47 language; omitted when not known.
	Language string `json:"language,omitempty"`
	// Translations are the document's translations; omitted when none.
	Translations []EventTranslation `json:"translations,omitempty"`
}

// EventSubprocessors is SubprocessorChanges in the webhook payload. The
// lists are never null.
type EventSubprocessors struct {
	Added             []string `json:"added"`
	Removed           []string `json:"removed"`
	Changed           []string `json:"changed"`
	ObjectionDeadline *string  `json:"objection_deadline"`
	NoticeDays        int      `json:"notice_days"`
}

// EventTranslation is a Translation in the webhook payload.
type EventTranslation struct {
	Language string `json:"language"`
	Title    string `json:"title"`
	URL      string `json:"url"`
}

// NewWebhookEvent returns the webhook payload of n.
func NewWebhookEvent(n Notice) WebhookEvent {
	d := EventData{
		Key: n.Key(), DocumentID: n.DocumentID, DocumentTitle: n.DocumentTitle, Kind: n.Kind,
		VersionID: n.VersionID, Commit: n.Commit, Published: rfc3339(n.Published),
		Subject: n.Subject, Material: n.Material, Effective: nullable(n.Effective),
		URL: n.URL, DocumentURL: n.DocumentURL, DiffURL: nullable(n.DiffURL), Summary: n.Summary,
		Retired: n.Retired, Language: n.Language,
	}
	for _, t := range n.Translations {
		d.Translations = append(d.Translations, EventTranslation{Language: t.Language, Title: t.Title, URL: t.URL})
	}
	if sp := n.Subprocessors; sp != nil {
		d.Subprocessors = &EventSubprocessors{
			Added: nonNil(sp.Added), Removed: nonNil(sp.Removed), Changed: nonNil(sp.Changed),
			ObjectionDeadline: nullable(sp.ObjectionDeadline), NoticeDays: sp.NoticeDays,
		}
	}
	typ := EventVersionPublished
	if n.Retired {
		typ = EventDocumentRetired
	}
	return WebhookEvent{Type: typ, Timestamp: rfc3339(n.Published), Data: d}
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WebhookConfig configures a signed webhook channel.
type WebhookConfig struct {
	// URL is the http(s) endpoint. User info in it is sent as HTTP basic
	// authentication and never stored or printed.
	URL string
	// Secret is the signing secret in the Standard Webhooks form
	// "whsec_<base64>" (the prefix is optional); the decoded key must be at
	// least 24 bytes, as the specification recommends.
	Secret string
	// ID names the channel "webhook:ID" in the State and in logs (letters,
	// digits, "._-+@"). Without it the channel is named by the URL's scheme
	// and host only ("webhook:https://hooks.example.com"): the URL's path,
	// where many services keep a token, is never part of a name. Either way
	// the URL can change (a rotated token) and the channel keeps what was
	// delivered and what is still pending; an ID also keeps it across a
	// change of host, and tells two webhooks on one host apart.
	ID string
	// Client sends the requests (custom CAs, proxies); nil means a default
	// client. Redirects are never followed. Deliver bounds every attempt
	// with Options.Timeout.
	Client *http.Client
}

// Webhook is a channel that POSTs one signed JSON event per notice,
// following the Standard Webhooks specification (standardwebhooks.com):
//
//	webhook-id:        msg_<24 hex digits of SHA-256(key "|" channel name)>
//	webhook-timestamp: <unix seconds of the attempt>
//	webhook-signature: v1,<base64 HMAC-SHA256(secret, id "." timestamp "." body)>
//
// The webhook-id is the same on every retry and rerun, so receivers can
// drop duplicates. A 2xx reply is success. 408, 425, 429 and 5xx replies
// and network errors are retried (honouring Retry-After on 429 and 503).
// 410 Gone and other 3xx/4xx replies are permanent failures for the run:
// the notice is not recorded, the run fails, and the error says to remove
// or update the subscription — a gone endpoint is never silently dropped.
type Webhook struct {
	name     string
	endpoint string
	legacy   string
	key      []byte
	sender   *httpSender
}

// NewWebhook validates cfg and returns the channel.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("webhook URL %s: want an absolute http(s) URL", publicURL(cfg.URL, false))
	}
	key, err := decodeSecret(cfg.Secret)
	if err != nil {
		return nil, fmt.Errorf("webhook %s: %w", publicURL(cfg.URL, false), err)
	}
	endpoint := publicURL(cfg.URL, false)
	name := "webhook:" + endpoint
	if cfg.ID != "" {
		if name, err = checkName("webhook", cfg.ID); err != nil {
			return nil, err
		}
	}
	return &Webhook{
		name: name, endpoint: endpoint, legacy: "webhook:" + publicURL(cfg.URL, true),
		key: key, sender: newHTTPSender(cfg.URL, cfg.Client),
	}, nil
}

// decodeSecret decodes a "whsec_<base64>" secret.
func decodeSecret(secret string) ([]byte, error) {
	s := strings.TrimPrefix(strings.TrimSpace(secret), "whsec_")
	if s == "" {
		return nil, errors.New("empty signing secret (want whsec_<base64>)")
	}
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		return nil, errors.New("signing secret is not whsec_ followed by standard base64")
	}
	if len(key) < 24 {
		return nil, fmt.Errorf("signing secret is %d bytes; use at least 24 random bytes (e.g. whsec_$(openssl rand -base64 32))", len(key))
	}
	return key, nil
}

// Name returns "webhook:ID", or "webhook:" followed by the URL's scheme
// and host when the config set no ID.
func (w *Webhook) Name() string { return w.name }

// Endpoint returns the URL's scheme and host.
func (w *Webhook) Endpoint() string { return w.endpoint }

// LegacyNames returns the name earlier releases of clause gave the channel without an ID:
// "webhook:" followed by the URL's scheme, host and path.
func (w *Webhook) LegacyNames() []string { return []string{w.legacy} }

// MessageID returns the webhook-id of n on this channel.
func (w *Webhook) MessageID(n Notice) string {
	return "msg_" + deliveryID(w.name, []Notice{n})
}

// Send POSTs the event of the one notice in batch.
func (w *Webhook) Send(ctx context.Context, batch []Notice) error {
	if len(batch) != 1 {
		return Permanent(fmt.Errorf("a webhook sends one notice per request, got %d", len(batch)))
	}
	body, err := json.Marshal(NewWebhookEvent(batch[0]))
	if err != nil {
		return Permanent(err)
	}
	id := w.MessageID(batch[0])
	ts := time.Now().Unix()
	h := http.Header{}
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	h.Set("webhook-signature", sign(w.key, id, ts, body))
	return w.sender.post(ctx, body, h)
}

// sign returns the Standard Webhooks v1 signature of a message.
func sign(key []byte, id string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", id, ts)
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// SlackConfig configures a Slack-compatible incoming webhook.
type SlackConfig struct {
	// URL is the incoming-webhook URL. Its path is a secret: it is never
	// stored or printed.
	URL string
	// ID names the channel "slack:ID" (letters, digits, "._-+@"); without
	// it the channel is named by the URL's scheme and host
	// ("slack:https://hooks.slack.com"), which two Slack channels share:
	// give each an ID.
	ID string
	// Digest posts up to 20 notices in one message; otherwise each notice
	// is its own message.
	Digest bool
	// Client sends the requests; nil means a default client.
	Client *http.Client
}

// slackDigestMax keeps a digest within Slack's 50 blocks per message: a
// header, and a section and a divider per notice.
const slackDigestMax = 20

// Slack is a channel that posts to a Slack-compatible incoming webhook
// (Slack, Mattermost, Rocket.Chat, Discord's /slack endpoint): a "text"
// fallback with a plain link per notice, and "blocks" with a section per
// notice (title linked to the version, change subject, redline summary,
// effective date, sub-processor changes and objection deadline, links).
//
// HTTP replies are classified as for Webhook; Slack answers 4xx for a
// revoked URL or an archived channel, a permanent failure.
type Slack struct {
	name     string
	endpoint string
	legacy   string
	digest   bool
	sender   *httpSender
}

// NewSlack validates cfg and returns the channel.
func NewSlack(cfg SlackConfig) (*Slack, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("slack webhook URL %s: want an absolute http(s) URL", publicURL(cfg.URL, false))
	}
	endpoint := publicURL(cfg.URL, false)
	name := "slack:" + endpoint
	if cfg.ID != "" {
		if name, err = checkName("slack", cfg.ID); err != nil {
			return nil, err
		}
	}
	return &Slack{
		name: name, endpoint: endpoint, legacy: "slack:" + u.Host + "#" + shortHash(cfg.URL),
		digest: cfg.Digest, sender: newHTTPSender(cfg.URL, cfg.Client),
	}, nil
}

// Name returns "slack:ID", or "slack:" followed by the URL's scheme and
// host when the config set no ID.
func (s *Slack) Name() string { return s.name }

// Endpoint returns the URL's scheme and host.
func (s *Slack) Endpoint() string { return s.endpoint }

// LegacyNames returns the name earlier releases of clause gave the channel without an ID:
// "slack:HOST#HASH", HASH being 12 hex digits of the URL's SHA-256.
func (s *Slack) LegacyNames() []string { return []string{s.legacy} }

// MaxBatch is the digest size: 1 unless the config asked for a digest.
func (s *Slack) MaxBatch() int {
	if s.digest {
		return slackDigestMax
	}
	return 1
}

// Send posts one message announcing every notice of batch.
func (s *Slack) Send(ctx context.Context, batch []Notice) error {
	if len(batch) == 0 {
		return nil
	}
	m := NewSlackMessage(batch)
	body, err := json.Marshal(m)
	if err != nil {
		return Permanent(err)
	}
	h := http.Header{}
	h.Set("Idempotency-Key", m.Metadata.Payload.IdempotencyKey)
	return s.sender.post(ctx, body, h)
}

// SlackIdempotencyKey returns the idempotency key of the message announcing
// batch: "clause-" and 24 hex digits derived from the notices' keys in key
// order. It is the same on every retry and rerun of the same notices.
func SlackIdempotencyKey(batch []Notice) string {
	return "clause-" + deliveryID("", sortedByKey(batch))
}

// slackBlockID is the block_id of the section announcing n: the same in
// every message that announces n, alone or in a digest.
func slackBlockID(n Notice) string { return "clause-notice-" + deliveryID("", []Notice{n}) }

// SlackMessage is the JSON body posted to a Slack incoming webhook.
//
// A message carries ids that are the same whenever the same notices are
// sent again (a retry, or a rerun after a delivery that was not recorded),
// so that a re-sent message is recognisable: the message metadata's
// idempotency_key (also sent as the Idempotency-Key header) derives from
// all its notices, and each notice's section has a block_id of its own,
// the same alone or in a digest.
type SlackMessage struct {
	// Text is the fallback shown in notifications and by receivers that
	// do not render blocks.
	Text string `json:"text"`
	// Blocks lay the message out, with a section per notice.
	Blocks []SlackBlock `json:"blocks"`
	// Metadata is Slack message metadata naming the notices.
	Metadata SlackMetadata `json:"metadata"`
}

// SlackMetadata is Slack's message metadata: event_type "clause_notice".
type SlackMetadata struct {
	EventType string             `json:"event_type"`
	Payload   SlackNoticePayload `json:"event_payload"`
}

// SlackNoticePayload identifies the notices of a message.
type SlackNoticePayload struct {
	// IdempotencyKey is SlackIdempotencyKey of the message's notices.
	IdempotencyKey string `json:"idempotency_key"`
	// NoticeKeys lists the notices' keys (DOC@VERSION), comma-separated,
	// in publication order.
	NoticeKeys string `json:"notice_keys"`
}

// SlackBlock is one Block Kit block: a header, a section or a divider.
type SlackBlock struct {
	Type    string     `json:"type"`
	BlockID string     `json:"block_id,omitempty"`
	Text    *SlackText `json:"text,omitempty"`
}

// SlackText is a Block Kit text object, "plain_text" or "mrkdwn".
type SlackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// NewSlackMessage lays out the message announcing notices. All text taken
// from notices is escaped for mrkdwn.
func NewSlackMessage(notices []Notice) SlackMessage {
	var m SlackMessage
	var lines []string
	if len(notices) > 1 {
		head := fmt.Sprintf("%d legal document updates", len(notices))
		m.Blocks = append(m.Blocks, SlackBlock{Type: "header", Text: &SlackText{Type: "plain_text", Text: head}})
		lines = append(lines, head+":")
	}
	for i, n := range notices {
		if i > 0 {
			m.Blocks = append(m.Blocks, SlackBlock{Type: "divider"})
		}
		m.Blocks = append(m.Blocks, SlackBlock{Type: "section", BlockID: slackBlockID(n), Text: &SlackText{Type: "mrkdwn", Text: slackSection(n)}})
		lines = append(lines, slackEscape(headline(n))+": "+n.URL)
	}
	m.Text = strings.Join(lines, "\n")
	m.Metadata = SlackMetadata{EventType: "clause_notice", Payload: SlackNoticePayload{
		IdempotencyKey: SlackIdempotencyKey(notices), NoticeKeys: strings.Join(keysOf(notices), ","),
	}}
	return m
}

// headline is the one-line announcement of n, e.g. "Data Processing
// Agreement updated 2026-03-01".
func headline(n Notice) string {
	t := clip(n.title(), 120)
	what := " updated"
	if n.Retired {
		what = " retired"
	}
	if d := n.publishedDate(); d != "" {
		return t + what + " " + d
	}
	return t + what
}

func slackSection(n Notice) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*<%s|%s>*", n.URL, slackLabel(clip(n.title(), 200)))
	switch d := n.publishedDate(); {
	case n.Retired && d != "":
		fmt.Fprintf(&b, " — retired %s (withdrawn; the last text stays online)", d)
	case n.Retired:
		b.WriteString(" — retired (withdrawn; the last text stays online)")
	case d != "":
		fmt.Fprintf(&b, " — new version published %s", d)
	}
	if s := oneLine(n.Subject); s != "" {
		fmt.Fprintf(&b, "\n%s", slackEscape(clip(s, 300)))
	}
	if s := oneLine(n.Summary); s != "" {
		fmt.Fprintf(&b, "\n_What changed:_ %s", slackEscape(clip(s, 300)))
	}
	if n.Effective != "" {
		fmt.Fprintf(&b, "\n*Effective:* %s", slackEscape(n.Effective))
	}
	if sp := n.Subprocessors; sp != nil {
		for _, l := range []struct {
			label string
			items []string
		}{{"Added", sp.Added}, {"Removed", sp.Removed}, {"Changed", sp.Changed}} {
			if len(l.items) > 0 {
				fmt.Fprintf(&b, "\n*%s:* %s", l.label, slackEscape(clip(oneLine(strings.Join(l.items, "; ")), 600)))
			}
		}
		if sp.ObjectionDeadline != "" {
			fmt.Fprintf(&b, "\n*Objection deadline:* %s", slackEscape(sp.ObjectionDeadline))
			if sp.NoticeDays > 0 {
				fmt.Fprintf(&b, " (%d days' notice)", sp.NoticeDays)
			}
		}
	}
	links := []string{fmt.Sprintf("<%s|Read this version>", n.URL)}
	if n.Retired {
		links = []string{fmt.Sprintf("<%s|Read the retired document>", n.URL)}
	}
	if n.DiffURL != "" {
		links = append(links, fmt.Sprintf("<%s|See the changes>", n.DiffURL))
	}
	if n.DocumentURL != "" && n.DocumentURL != n.URL {
		links = append(links, fmt.Sprintf("<%s|Current text>", n.DocumentURL))
	}
	b.WriteString("\n" + strings.Join(links, " · "))
	if len(n.Translations) > 0 {
		var ts []string
		for _, t := range n.Translations {
			ts = append(ts, fmt.Sprintf("<%s|%s (%s)>", t.URL, slackLabel(clip(oneLine(t.Title), 200)), slackLabel(oneLine(t.Language))))
		}
		b.WriteString("\n*Also in:* " + strings.Join(ts, " · "))
	}
	return clip(b.String(), 3000)
}

// slackEscape escapes the three characters mrkdwn gives a meaning to.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// slackLabel escapes the text of a <url|label> link, where "|" would end
// the URL.
func slackLabel(s string) string { return strings.ReplaceAll(slackEscape(s), "|", "¦") }

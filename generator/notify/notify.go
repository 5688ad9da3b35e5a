// Package notify delivers change notices for legal documents to subscribers'
// channels — signed webhooks, Slack-compatible incoming webhooks and email
// over SMTP — exactly once per version and channel.
//
// The caller (the `clause notify` command) computes the notices from git
// history and hands them to Deliver as values. Deliver consults a State file
// to find what each channel has not received yet, sends it in publication
// order with retries, and records every success in the State file at once
// (atomically, under a lock), so that a rerun never sends a notice twice to
// the same channel and a failure or a crash never drops one: whatever was not
// recorded is sent by the next run.
//
// On the wire, delivery is at least once: a crash between a receiver's
// acceptance and the State save, or a reply lost to a timeout, means the next
// attempt sends the same notice again. Every delivery therefore carries an
// identifier that is stable across retries and reruns — the webhook-id header
// for webhooks, the Message-ID header for email, an idempotency key and a
// block id per notice for Slack — so that receivers can drop duplicates. A
// digest (email or Slack) re-sent together with a newer version cannot be
// the same message; it names the notices it repeats (References,
// X-Clause-Notice-Ids; the notices' block ids) so that it is recognisable.
package notify

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Notice is one material version of a document to announce, or the
// retirement of a document.
//
// Deliver announces every notice it is given: choosing which versions are
// material (and dropping the minor ones) is the caller's job.
type Notice struct {
	// DocumentID identifies the document; it survives renames.
	DocumentID string
	// FormerDocumentIDs are the other IDs the document was known by (its
	// paths before and after renames): deliveries recorded under them,
	// by a release that keyed notices by the current path, count.
	FormerDocumentIDs []string `json:"-"`
	// DocumentTitle is the document's title at this version.
	DocumentTitle string
	// Kind is the document kind: dpa, privacy, subprocessors, cookies,
	// terms, security or other.
	Kind string
	// VersionID identifies the version by its content, so that it is stable
	// across rebases. It must not contain "@".
	VersionID string
	// Commit is the hash of the commit that published the version.
	Commit string
	// Published is the publication time (the commit date on the published
	// branch), with its time zone.
	Published time.Time
	// Subject is the change summary: the commit subject, or the merged pull
	// request's title.
	Subject string
	// Material reports whether the version is a material change.
	Material bool
	// Effective is the date the text takes effect (YYYY-MM-DD), or "".
	Effective string
	// URL is the absolute URL of the version's page.
	URL string
	// DocumentURL is the absolute URL of the document's current page.
	DocumentURL string
	// DiffURL is the absolute URL of the redline against the previous
	// version, or "".
	DiffURL string
	// Summary is a plain-text summary of the redline, such as
	// "2 clauses changed, 1 added".
	Summary string
	// Subprocessors lists the changes of a sub-processor list; nil for
	// other documents.
	Subprocessors *SubprocessorChanges
	// Language is the BCP 47 language of the document, or "" when not
	// known.
	Language string
	// Translations are the document's current translations: a document
	// with translations is announced by one notice listing them, not one
	// per language (unless a subscriber asks for a language).
	Translations []Translation
	// Retired reports a notice of its own kind: the document was retired
	// (deleted from the portal's content; its pages stay online, marked
	// retired). Commit, Published and Subject are those of the commit that
	// deleted it, VersionID is "retired-" and the id of its last version,
	// URL and DocumentURL are the retired document's page, DiffURL is "".
	Retired bool
}

// Translation is a translation of a notice's document: its language, its
// title and the absolute URL of its current page.
type Translation struct {
	Language, Title, URL string
}

// SubprocessorChanges describes how a version changes a sub-processor list,
// and the period in which controllers may object.
type SubprocessorChanges struct {
	// Added describes each new sub-processor, e.g. "Acme Mail (email
	// delivery, Ireland)".
	Added []string
	// Removed describes each sub-processor no longer used.
	Removed []string
	// Changed describes each sub-processor whose entry changed, with the
	// changed fields.
	Changed []string
	// ObjectionDeadline is the last day to object (YYYY-MM-DD), or "".
	ObjectionDeadline string
	// NoticeDays is the notice period in days.
	NoticeDays int
}

// Key identifies the notice in the State: DocumentID + "@" + VersionID. It is
// stable across reruns and rebases; webhook ids and Message-IDs derive from
// it.
func (n Notice) Key() string { return n.DocumentID + "@" + n.VersionID }

// Validate reports a notice that cannot be announced: a missing document id,
// version id or publication time, or a URL that is not absolute.
func (n Notice) Validate() error {
	switch {
	case strings.TrimSpace(n.DocumentID) == "":
		return fmt.Errorf("notice %q: empty document id", n.Key())
	case strings.TrimSpace(n.VersionID) == "":
		return fmt.Errorf("notice %q: empty version id", n.Key())
	case strings.Contains(n.VersionID, "@"):
		return fmt.Errorf("notice %q: version id contains \"@\"", n.Key())
	case n.Published.IsZero():
		return fmt.Errorf("notice %q: no publication time", n.Key())
	}
	for _, u := range []struct{ field, value string }{
		{"url", n.URL}, {"document url", n.DocumentURL}, {"diff url", n.DiffURL},
	} {
		if u.value == "" && u.field != "url" {
			continue
		}
		if !absoluteHTTP(u.value) {
			return fmt.Errorf("notice %q: %s %q is not an absolute http(s) URL", n.Key(), u.field, u.value)
		}
	}
	return nil
}

func absoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// title returns the document title, or its id when the title is empty.
func (n Notice) title() string {
	if t := oneLine(n.DocumentTitle); t != "" {
		return t
	}
	return n.DocumentID
}

// publishedDate is the publication date in the notice's own time zone.
func (n Notice) publishedDate() string {
	if n.Published.IsZero() {
		return ""
	}
	return n.Published.Format(time.DateOnly)
}

// publishedTime is the publication time for readers, with its zone.
func (n Notice) publishedTime() string {
	if n.Published.IsZero() {
		return ""
	}
	return n.Published.Format("2006-01-02 15:04 MST")
}

// inPublicationOrder validates notices and returns them sorted by
// publication time; notices published at the same time keep the caller's
// order. Duplicate keys are an error.
func inPublicationOrder(notices []Notice) ([]Notice, error) {
	seen := make(map[string]bool, len(notices))
	var errs []error
	for _, n := range notices {
		if err := n.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[n.Key()] {
			errs = append(errs, fmt.Errorf("notice %q: given twice", n.Key()))
		}
		seen[n.Key()] = true
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	out := append([]Notice(nil), notices...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Published.Before(out[j].Published) })
	return out, nil
}

// oneLine collapses runs of white space and control characters into single
// spaces, so that untrusted text (a title from content) cannot break a header
// or a line-oriented format.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029
	}), " ")
}

// ErrPreviewBuild is wrapped by CheckContext's error when the build is a
// deploy preview or branch build, which must never send notifications.
var ErrPreviewBuild = errors.New("notifications are not sent from preview builds")

// CheckContext refuses to notify from a deploy preview or branch build. It
// reads the environment through getenv (os.Getenv in the CLI).
//
// On Netlify (NETLIFY=true, or CONTEXT set to one of Netlify's preview
// contexts) CONTEXT must be "production": "deploy-preview", "branch-deploy"
// and "dev" are refused. An unset CONTEXT is fine: that is a local run or
// another CI. For the same reason it also refuses a Vercel preview
// (VERCEL_ENV other than "production") and a GitHub Actions run triggered by
// a pull request (GITHUB_EVENT_NAME "pull_request" or
// "pull_request_target"), whose content is not published.
func CheckContext(getenv func(string) string) error {
	ctx := getenv("CONTEXT")
	netlifyPreview := ctx == "deploy-preview" || ctx == "branch-deploy" || ctx == "dev"
	if (getenv("NETLIFY") == "true" && ctx != "" && ctx != "production") || netlifyPreview {
		return fmt.Errorf("%w: this is a Netlify %s build (CONTEXT=%s); notifications go out from the production context only",
			ErrPreviewBuild, ctx, ctx)
	}
	if env := getenv("VERCEL_ENV"); getenv("VERCEL") != "" && env != "" && env != "production" {
		return fmt.Errorf("%w: this is a Vercel %s build (VERCEL_ENV=%s); notifications go out from production only",
			ErrPreviewBuild, env, env)
	}
	if ev := getenv("GITHUB_EVENT_NAME"); getenv("GITHUB_ACTIONS") == "true" && (ev == "pull_request" || ev == "pull_request_target") {
		return fmt.Errorf("%w: this GitHub Actions run was triggered by %s (GITHUB_EVENT_NAME); notify from a push to the published branch instead",
			ErrPreviewBuild, ev)
	}
	return nil
}

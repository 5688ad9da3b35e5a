package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/notify"
	"github.com/clause-portal/clause/generator/portal"
)

// NotifyOptions are the flags of clause notify.
type NotifyOptions struct {
	Repo, Content, BaseURL string
	HistoryFlags
	Webhooks          []string
	SlackWebhooks     []string
	SMTPURL, MailFrom string
	MailToFile        string
	Digest            bool
	State             string
	Since             string
	DryRun            bool
	Retries           int
	Timeout           time.Duration
	Quiet             bool
}

func newNotifyCmd(streams *IO, runF func(*NotifyOptions) error) *cobra.Command {
	opts := &NotifyOptions{}
	cmd := &cobra.Command{
		Use:   "notify",
		Short: "Send notifications of new material versions to webhooks, Slack and email",
		Long: `Notify announces every material version (not marked "Change-Type: minor")
that a channel has not received yet: exactly once per version and channel.
What has been delivered is kept in the state file, saved after each
delivery, so a rerun never sends twice and a failure never drops one:
failed deliveries are retried with exponential backoff, the other channels
still get theirs, the command exits 1, and the next run sends the rest.

The first run for a channel records what exists as a baseline and sends
nothing, unless --since says from when to send.

Channels:
  --webhook URL         JSON event signed per the Standard Webhooks spec
                        (secret from $CLAUSE_WEBHOOK_SECRET, whsec_ form)
  --slack-webhook URL   Slack-compatible incoming webhook
  --smtp-url URL        email over SMTP (smtp://user:pass@host:587, STARTTLS
                        when offered; smtps:// for implicit TLS), with
                        --mail-from and --mail-to-file (one address a line;
                        the file must not be in the portal repository)

Notify refuses to run for a deploy preview or branch deploy (Netlify
CONTEXT other than production).`,
		Example: `  CLAUSE_WEBHOOK_SECRET=whsec_... clause notify --webhook https://hooks.example.com/clause
  clause notify --smtp-url "smtp://bot:$SMTP_PASSWORD@smtp.example.com:587" \
      --mail-from "Acme Legal <legal@acme.example>" --mail-to-file /secrets/subscribers.txt --digest
  clause notify --webhook https://hooks.example.com/clause --since 2026-11-01 --dry-run`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return notifyRun(cmd, streams, opts)
		},
	}
	addSourceFlags(cmd, &opts.Repo, &opts.Content)
	addHistoryFlags(cmd, &opts.HistoryFlags)
	f := cmd.Flags()
	f.StringVar(&opts.BaseURL, "base-url", "", "absolute `URL` of the published portal (default: clause.toml base_url, or $URL)")
	f.StringArrayVar(&opts.Webhooks, "webhook", nil, "send signed JSON events to `URL` (repeatable)")
	f.StringArrayVar(&opts.SlackWebhooks, "slack-webhook", nil, "post Slack-compatible messages to `URL` (repeatable)")
	f.StringVar(&opts.SMTPURL, "smtp-url", "", "send email through this SMTP server `URL`")
	f.StringVar(&opts.MailFrom, "mail-from", "", "email sender `address`")
	f.StringVar(&opts.MailToFile, "mail-to-file", "", "`file` of subscriber addresses, one a line (outside the repository)")
	f.BoolVar(&opts.Digest, "digest", false, "one email (and one Slack message) for all new versions instead of one each")
	f.StringVar(&opts.State, "state", filepath.Join(".clause", "notify-state.json"), "delivery state `file`, relative to --repo unless absolute")
	f.StringVar(&opts.Since, "since", "", "on a channel's first run, send versions published after `DATE|COMMIT` instead of recording a baseline")
	f.BoolVar(&opts.DryRun, "dry-run", false, "print what would be sent; send nothing, change no state")
	f.IntVar(&opts.Retries, "retries", 3, "retries per delivery after the first attempt")
	f.DurationVar(&opts.Timeout, "timeout", 30*time.Second, "timeout of one delivery attempt")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print only errors")
	return cmd
}

func notifyRun(cmd *cobra.Command, streams *IO, opts *NotifyOptions) error {
	if err := notify.CheckContext(streams.Getenv); err != nil {
		return err
	}
	if len(opts.Webhooks)+len(opts.SlackWebhooks) == 0 && opts.SMTPURL == "" {
		return usageError{errors.New("no channel: give --webhook, --slack-webhook or --smtp-url")}
	}
	c, err := loadCatalog(cmd, streams, opts.Repo, opts.Content, opts.Quiet, opts.HistoryFlags)
	if err != nil {
		return err
	}
	defer c.Close()
	if c.Head == nil {
		return errors.New("notify needs git history: run it in a full clone of the portal repository")
	}
	base := c.BaseURL(opts.BaseURL, streams.Getenv)
	notices, err := c.Notices(base)
	if err != nil {
		return err
	}
	channels, err := notifyChannels(streams, opts)
	if err != nil {
		return err
	}
	statePath := opts.State
	if !filepath.IsAbs(statePath) {
		statePath = filepath.Join(opts.Repo, statePath)
	}
	if err := os.MkdirAll(filepath.Dir(statePath), 0o755); err != nil {
		return err
	}
	state, err := notify.OpenState(statePath)
	if err != nil {
		return err
	}
	defer state.Close()

	dopts := notify.Options{DryRun: opts.DryRun, Retries: opts.Retries, Timeout: opts.Timeout, Log: streams.ErrOut, BaselineNew: opts.Since == ""}
	if opts.Quiet {
		dopts.Log = nil
	}
	if opts.Since != "" && !opts.DryRun {
		before, err := noticesUpTo(c, notices, opts.Since)
		if err != nil {
			return usageError{err}
		}
		for _, ch := range channels {
			if !state.HasChannel(ch.Name()) {
				if _, err := state.Baseline(ch.Name(), before); err != nil {
					return err
				}
			}
		}
	}
	report, err := notify.Deliver(cmd.Context(), state, channels, notices, dopts)
	if !opts.Quiet {
		for _, cr := range report.Channels {
			fmt.Fprintln(streams.Out, cr.String())
		}
	}
	return err
}

// notifyChannels builds the channels the flags ask for.
func notifyChannels(streams *IO, opts *NotifyOptions) ([]notify.Channel, error) {
	var channels []notify.Channel
	if len(opts.Webhooks) > 0 {
		secret := streams.Getenv("CLAUSE_WEBHOOK_SECRET")
		if secret == "" {
			return nil, usageError{errors.New("--webhook needs the signing secret in $CLAUSE_WEBHOOK_SECRET (whsec_<base64>)")}
		}
		for _, u := range opts.Webhooks {
			w, err := notify.NewWebhook(notify.WebhookConfig{URL: u, Secret: secret})
			if err != nil {
				return nil, usageError{err}
			}
			channels = append(channels, w)
		}
	}
	for _, u := range opts.SlackWebhooks {
		s, err := notify.NewSlack(notify.SlackConfig{URL: u, Digest: opts.Digest})
		if err != nil {
			return nil, usageError{err}
		}
		channels = append(channels, s)
	}
	if opts.SMTPURL != "" {
		if opts.MailFrom == "" || opts.MailToFile == "" {
			return nil, usageError{errors.New("--smtp-url needs --mail-from and --mail-to-file")}
		}
		recipients, err := readRecipients(opts.Repo, opts.MailToFile)
		if err != nil {
			return nil, err
		}
		e, err := notify.NewEmail(notify.EmailConfig{URL: opts.SMTPURL, From: opts.MailFrom, Recipients: recipients, Digest: opts.Digest})
		if err != nil {
			return nil, usageError{err}
		}
		channels = append(channels, e)
	}
	return channels, nil
}

// readRecipients reads the subscriber list, refusing a file inside the
// portal repository: subscribers' addresses must never be published.
func readRecipients(repo, file string) ([]string, error) {
	inside, err := insideRepository(repo, file)
	if err != nil {
		return nil, err
	}
	if inside {
		return nil, usageError{fmt.Errorf("--mail-to-file %s is inside the portal repository: subscribers' addresses must not be published; keep the list outside it (e.g. a CI secret written to a temporary file)", file)}
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return notify.ParseRecipients(file, f)
}

// insideRepository reports whether file is, or would be, inside the
// repository folder repo. Both paths are resolved first (absolute, cleaned,
// symbolic links followed), and the folders above the file are compared
// with the repository by identity (os.SameFile), not by name, so that a
// symbolic link, "..", a different letter case on a case-insensitive file
// system or a bind mount does not hide that the file is in the repository.
// A name like "..subs.txt" is an ordinary file in the folder.
func insideRepository(repo, file string) (bool, error) {
	absRepo, err := filepath.Abs(repo)
	if err != nil {
		return false, err
	}
	if real, err := filepath.EvalSymlinks(absRepo); err == nil {
		absRepo = real
	}
	repoInfo, err := os.Stat(absRepo)
	if err != nil {
		return false, err
	}
	absFile, err := filepath.Abs(file)
	if err != nil {
		return false, err
	}
	real, err := filepath.EvalSymlinks(absFile)
	if err != nil {
		// A missing file fails when it is opened; a dangling link or an
		// unreadable folder is judged by where its parent folder lies.
		real = absFile
		if dir, err := filepath.EvalSymlinks(filepath.Dir(absFile)); err == nil {
			real = filepath.Join(dir, filepath.Base(absFile))
		}
	}
	if rel, err := filepath.Rel(absRepo, real); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return true, nil
	}
	for dir := real; ; {
		if info, err := os.Stat(dir); err == nil && os.SameFile(info, repoInfo) {
			return true, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false, nil
		}
		dir = parent
	}
}

// noticesUpTo returns the notices published at or before since, a date
// (YYYY-MM-DD or RFC 3339) or the commit of a version.
func noticesUpTo(c *portal.Catalog, notices []notify.Notice, since string) ([]notify.Notice, error) {
	var cutoff time.Time
	if t, err := time.Parse(time.RFC3339, since); err == nil {
		cutoff = t
	} else if d, err := document.ParseDate(since); err == nil {
		cutoff = d.Time(c.Config.Location).AddDate(0, 0, 1).Add(-time.Nanosecond)
	} else {
		for _, n := range notices {
			if len(since) >= 7 && strings.HasPrefix(n.Commit, since) {
				cutoff = n.Published
			}
		}
		if cutoff.IsZero() {
			return nil, fmt.Errorf("--since %q is neither a date (YYYY-MM-DD) nor the commit of a published version", since)
		}
	}
	var out []notify.Notice
	for _, n := range notices {
		if !n.Published.After(cutoff) {
			out = append(out, n)
		}
	}
	return out, nil
}

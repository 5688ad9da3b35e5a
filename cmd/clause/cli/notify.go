package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/text/language"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/notify"
	"github.com/clause-portal/clause/generator/portal"
	"github.com/clause-portal/clause/internal/readcap"
	"github.com/clause-portal/clause/internal/termsafe"
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
	Drop              []string
	Language          string
}

func newNotifyCmd(streams *IO, runF func(*NotifyOptions) error) *cobra.Command {
	opts := &NotifyOptions{}
	cmd := &cobra.Command{
		Use:   "notify",
		Short: "Send notifications of new material versions to webhooks, Slack and email",
		Long: `Notify announces every material version (not marked "Change-Type: minor")
and every retired document that a channel has not received yet: exactly
once per version and channel. What has been delivered is kept in the state
file, saved after each delivery, so a rerun never sends twice and a failure
never drops one: failed deliveries are retried with exponential backoff
(--retries N: N retries after the first attempt; 0 makes one attempt), the
other channels still get theirs, the command exits 1, and the next run
sends the rest. A notice stays pending for its channel until it is
delivered, or given up with --drop.

The first run for a channel records what exists as a baseline and sends
nothing, unless --since says from when to send.

A document with translations is announced by one notice, that of its
source (the document in the default language), listing its translations.
--language LANG is for subscribers of one language: they get the notices
of the documents in LANG (each translation's own versions); of the
documents with no translation in LANG, those in their own language; and a
source's versions its translation in LANG does not reflect yet, in the
source's language. Give such a subscriber a channel of its own (one NAME
per language).

Channels:
  --webhook NAME=URL        JSON event signed per the Standard Webhooks spec
                            (secret from $CLAUSE_WEBHOOK_SECRET, whsec_ form)
  --slack-webhook NAME=URL  Slack-compatible incoming webhook
  --smtp-url URL            email over SMTP (smtp://user:pass@host:587,
                            STARTTLS when offered; smtps:// for implicit TLS),
                            with --mail-from and --mail-to-file (one address a
                            line; the file must not be in the portal
                            repository)

NAME (letters, digits, . _ - + @) names the channel in the state file and
in the output, as webhook:NAME or slack:NAME: the URL may change (a rotated
token) and the channel keeps its state. A URL's path, where services keep
their tokens, is never stored or printed: only its scheme and host. A bare
URL still works, named by its host (webhook:https://hooks.example.com); a
state file of an earlier release, keyed by URL, is taken over by the
channel with that URL.

--drop CHANNEL gives up every notice pending for a channel (for example
after a receiver was retired for good), --drop CHANNEL=KEY,... the notices
listed (keys as the output prints them, DOC@VERSION, or document ids):
they are recorded as delivered by decision and never sent. Such a run
sends nothing.

Notify refuses to run for a deploy preview or branch deploy (Netlify
CONTEXT other than production).`,
		Example: `  CLAUSE_WEBHOOK_SECRET=whsec_... clause notify --webhook "crm=$CRM_WEBHOOK_URL"
  clause notify --smtp-url "smtp://bot:$SMTP_PASSWORD@smtp.example.com:587" \
      --mail-from "Acme Legal <legal@acme.example>" --mail-to-file /secrets/subscribers.txt --digest
  clause notify --webhook "crm=$CRM_WEBHOOK_URL" --since 2026-11-01 --dry-run
  clause notify --drop webhook:crm=dpa@3f2a9c41b7d0
  clause notify --language de --webhook "crm-de=$CRM_DE_WEBHOOK_URL"`,
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
	f.StringArrayVar(&opts.Webhooks, "webhook", nil, "send signed JSON events to `NAME=URL` (repeatable; NAME keeps the channel's state when the URL changes)")
	f.StringArrayVar(&opts.SlackWebhooks, "slack-webhook", nil, "post Slack-compatible messages to `NAME=URL` (repeatable)")
	f.StringVar(&opts.SMTPURL, "smtp-url", "", "send email through this SMTP server `URL`")
	f.StringVar(&opts.MailFrom, "mail-from", "", "email sender `address`")
	f.StringVar(&opts.MailToFile, "mail-to-file", "", "`file` of subscriber addresses, one a line (outside the repository)")
	f.BoolVar(&opts.Digest, "digest", false, "one email (and one Slack message) for all new versions instead of one each")
	f.StringVar(&opts.State, "state", filepath.Join(".clause", "notify-state.json"), "delivery state `file`, relative to --repo unless absolute")
	f.StringVar(&opts.Since, "since", "", "on a channel's first run, send versions published after `DATE|COMMIT` instead of recording a baseline")
	f.BoolVar(&opts.DryRun, "dry-run", false, "print what would be sent; send nothing, change no state")
	f.IntVar(&opts.Retries, "retries", 3, "retries of a failed delivery after its first attempt (0: one attempt only)")
	f.DurationVar(&opts.Timeout, "timeout", 30*time.Second, "timeout of one delivery attempt")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print only errors")
	f.StringVar(&opts.Language, "language", "", "send the notices of the documents in `LANG` (a BCP 47 tag), and of those not translated into it")
	f.StringArrayVar(&opts.Drop, "drop", nil, "give up the pending notices of `CHANNEL[=KEY,...]` (all, or the keys or document ids listed): record them as delivered by decision, send nothing (repeatable)")
	return cmd
}

// deliverRetries maps --retries N (N retries after the first attempt) to
// notify.Options.Retries, where 0 means the default and a negative value
// none.
func deliverRetries(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

func notifyRun(cmd *cobra.Command, streams *IO, opts *NotifyOptions) (err error) {
	// Messages may quote content or a server's reply: escaped for the
	// terminal (see termsafe).
	defer func() { err = termsafe.Error(err) }()
	if err := notify.CheckContext(streams.Getenv); err != nil {
		return err
	}
	if opts.Retries < 0 {
		return usageError{fmt.Errorf("--retries %d: give 0 (one attempt) or more", opts.Retries)}
	}
	if opts.Language != "" {
		tag, err := language.Parse(opts.Language)
		if err != nil {
			return usageError{fmt.Errorf("--language %q: not a BCP 47 language tag (e.g. de, fr, pt-BR)", opts.Language)}
		}
		opts.Language = tag.String()
	}
	hasChannels := len(opts.Webhooks)+len(opts.SlackWebhooks) > 0 || opts.SMTPURL != ""
	switch {
	case len(opts.Drop) > 0 && hasChannels:
		return usageError{errors.New("--drop gives notices up and sends nothing: run it without --webhook, --slack-webhook and --smtp-url")}
	case len(opts.Drop) == 0 && !hasChannels:
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
	base, err := c.BaseURL(opts.BaseURL, streams.Getenv)
	if err != nil {
		return err
	}
	if base == "" && len(opts.Drop) > 0 {
		base = "https://portal.invalid/" // --drop needs the notices' keys, not their links
	}
	notices, err := c.NoticesIn(base, opts.Language)
	if err != nil {
		return err
	}
	if opts.Language != "" && !opts.Quiet && !hasLanguage(c, opts.Language) {
		fmt.Fprintf(termsafe.Writer(streams.ErrOut), "warning: no document is in %s (--language): the notices are those of every document, in its own language\n", opts.Language)
	}
	var channels []notify.Channel
	if len(opts.Drop) == 0 {
		if channels, err = notifyChannels(streams, opts); err != nil {
			return err
		}
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

	// Names, keys and errors may carry text from content or from a server:
	// nothing reaches the terminal unescaped.
	out, errOut := termsafe.Writer(streams.Out), termsafe.Writer(streams.ErrOut)
	if len(opts.Drop) > 0 {
		return notifyDrop(out, errOut, state, notices, opts)
	}
	dopts := notify.Options{DryRun: opts.DryRun, Retries: deliverRetries(opts.Retries), Timeout: opts.Timeout, Log: errOut, BaselineNew: opts.Since == ""}
	if opts.Quiet {
		dopts.Log = nil
	}
	// A channel named otherwise by an earlier release (by its URL) takes
	// over its entry before anything is baselined.
	for _, ch := range channels {
		if ln, ok := ch.(notify.LegacyNamer); ok && state.Adopt(ch.Name(), ln.LegacyNames()) && dopts.Log != nil {
			fmt.Fprintf(dopts.Log, "%s: took over its delivery state from the name an earlier clause gave it (which held its URL)\n", ch.Name())
		}
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
			fmt.Fprintln(out, cr.String())
		}
	}
	return err
}

// notifyDrop gives up the pending notices --drop names: they are recorded
// as delivered by decision, and never sent.
func notifyDrop(out, errOut io.Writer, state *notify.State, notices []notify.Notice, opts *NotifyOptions) error {
	type drop struct {
		channel string
		notices []notify.Notice
	}
	var drops []drop
	for _, spec := range opts.Drop {
		name, keys, _ := strings.Cut(spec, "=")
		channel, err := stateChannel(state, strings.TrimSpace(name))
		if err != nil {
			return usageError{fmt.Errorf("--drop %s: %w", termsafe.Line(spec), err)}
		}
		var pending []notify.Notice
		for _, n := range notices {
			if _, ok := state.Delivered(channel, n.Key()); !ok {
				pending = append(pending, n)
			}
		}
		if keys != "" {
			var chosen []notify.Notice
			for _, k := range strings.Split(keys, ",") {
				k = strings.TrimSpace(k)
				found, known := false, false
				for _, n := range notices {
					if n.Key() == k || n.DocumentID == k {
						known = true
					}
				}
				for _, n := range pending {
					if n.Key() == k || n.DocumentID == k {
						chosen, found = append(chosen, n), true
					}
				}
				switch {
				case !known:
					return usageError{fmt.Errorf("--drop %s: %q is neither a notice key (DOC@VERSION, as the run's output lists them) nor a document id", termsafe.Line(spec), termsafe.Line(k))}
				case !found:
					fmt.Fprintf(errOut, "%s: %s is not pending (delivered or dropped before)\n", channel, k)
				}
			}
			pending = chosen
		}
		drops = append(drops, drop{channel, pending})
	}
	for _, d := range drops {
		keys := make([]string, len(d.notices))
		for i, n := range d.notices {
			keys[i] = n.Key()
		}
		switch {
		case len(keys) == 0:
			fmt.Fprintf(out, "%s: nothing pending to drop\n", d.channel)
			continue
		case opts.DryRun:
			fmt.Fprintf(out, "%s: would drop %s\n", d.channel, strings.Join(keys, ", "))
			continue
		}
		dropped, err := state.Drop(d.channel, d.notices)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: dropped %s (recorded as given up by decision; never sent)\n", d.channel, strings.Join(dropped, ", "))
	}
	return nil
}

// stateChannel finds the channel the State knows by its name
// ("webhook:prod"), or by its id ("prod") when one channel has it.
func stateChannel(state *notify.State, name string) (string, error) {
	known := state.Channels()
	var match []string
	for _, c := range known {
		if c == name {
			return c, nil
		}
		if _, id, ok := strings.Cut(c, ":"); ok && id == name {
			match = append(match, c)
		}
	}
	switch {
	case len(match) == 1:
		return match[0], nil
	case len(match) > 1:
		return "", fmt.Errorf("%q names %s; give the whole name", name, strings.Join(match, " and "))
	case len(known) == 0:
		return "", fmt.Errorf("the state file %s knows no channel", state.Path())
	}
	return "", fmt.Errorf("no channel %q in the state file (channels: %s)", name, strings.Join(known, ", "))
}

// notifyChannels builds the channels the flags ask for.
func notifyChannels(streams *IO, opts *NotifyOptions) ([]notify.Channel, error) {
	var channels []notify.Channel
	if len(opts.Webhooks) > 0 {
		secret := streams.Getenv("CLAUSE_WEBHOOK_SECRET")
		if secret == "" {
			return nil, usageError{errors.New("--webhook needs the signing secret in $CLAUSE_WEBHOOK_SECRET (whsec_<base64>)")}
		}
		for _, v := range opts.Webhooks {
			id, u, err := channelFlag("webhook", v)
			if err != nil {
				return nil, err
			}
			w, err := notify.NewWebhook(notify.WebhookConfig{URL: u, Secret: secret, ID: id})
			if err != nil {
				return nil, usageError{err}
			}
			warnUnnamed(streams, opts, "webhook", id, w)
			channels = append(channels, w)
		}
	}
	for _, v := range opts.SlackWebhooks {
		id, u, err := channelFlag("slack-webhook", v)
		if err != nil {
			return nil, err
		}
		s, err := notify.NewSlack(notify.SlackConfig{URL: u, Digest: opts.Digest, ID: id})
		if err != nil {
			return nil, usageError{err}
		}
		warnUnnamed(streams, opts, "slack-webhook", id, s)
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

// channelFlag splits the value of --webhook or --slack-webhook, NAME=URL or
// a bare URL, into the channel's id ("" for a bare URL) and its URL. Errors
// never show the value: its URL may carry a token.
func channelFlag(flag, v string) (id, rawURL string, err error) {
	lower := strings.ToLower(strings.TrimSpace(v))
	if strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://") {
		return "", strings.TrimSpace(v), nil
	}
	id, rawURL, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(id) == "" {
		return "", "", usageError{fmt.Errorf("--%s: want NAME=URL (or a bare http(s) URL)", flag)}
	}
	return strings.TrimSpace(id), strings.TrimSpace(rawURL), nil
}

// warnUnnamed warns that a channel given by a bare URL is named by its
// scheme and host.
func warnUnnamed(streams *IO, opts *NotifyOptions, flag, id string, ch notify.Channel) {
	if id != "" || opts.Quiet {
		return
	}
	fmt.Fprintf(termsafe.Writer(streams.ErrOut), "clause: warning: --%s without a name is the channel %s, named by its host (a URL's path is never stored or printed): name it, --%s NAME=URL, so that it keeps its state if its host changes\n",
		flag, ch.Name(), flag)
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
	return notify.ParseRecipients(file, readcap.Reader(f, file, readcap.Recipients))
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

// hasLanguage reports whether a document of c is in lang.
func hasLanguage(c *portal.Catalog, lang string) bool {
	for _, e := range c.Entries {
		if strings.EqualFold(e.Language, lang) {
			return true
		}
	}
	return false
}

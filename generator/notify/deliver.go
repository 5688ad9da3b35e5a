package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Options tunes Deliver. The zero value is ready to use.
type Options struct {
	// DryRun reports what would be sent (as Sent, or Baselined) and sends
	// nothing; the State is not changed.
	DryRun bool
	// Retries is how many times a failed Send is repeated before the
	// channel is given up for this run: 0 means 3, a negative value none.
	Retries int
	// InitialBackoff is the wait before the first retry (default 1s); it
	// doubles for each further retry, up to MaxBackoff. There is no jitter:
	// one run talks to each receiver sequentially.
	InitialBackoff time.Duration
	// MaxBackoff caps the wait between attempts (default 30s). A receiver
	// asking (Retry-After) for a longer wait is not retried in this run.
	MaxBackoff time.Duration
	// Timeout bounds each attempt (default 30s).
	Timeout time.Duration
	// BaselineNew baselines every channel the State has no entry for
	// (see State.Baseline) instead of sending it the whole history.
	BaselineNew bool
	// Log, if set, receives one line per delivery, retry and failure.
	Log io.Writer

	// sleep waits for d or until ctx is done; tests may replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

func (o Options) withDefaults() Options {
	if o.Retries == 0 {
		o.Retries = 3
	} else if o.Retries < 0 {
		o.Retries = 0
	}
	if o.InitialBackoff <= 0 {
		o.InitialBackoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.InitialBackoff > o.MaxBackoff {
		o.InitialBackoff = o.MaxBackoff
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.sleep == nil {
		o.sleep = sleep
	}
	return o
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Report tells what Deliver did, channel by channel, in the order given.
type Report struct {
	// DryRun reports that nothing was sent: Sent lists what would have
	// been.
	DryRun bool
	// Channels has one entry per channel.
	Channels []ChannelReport
}

// ChannelReport tells what Deliver did for one channel. Its lists hold
// notice keys in publication order.
type ChannelReport struct {
	// Channel is the channel's name.
	Channel string
	// Sent lists the notices delivered (and recorded) in this run.
	Sent []string
	// Skipped lists the notices the State records as already delivered.
	Skipped []string
	// Baselined lists the notices recorded without sending, because the
	// channel was new and Options.BaselineNew was set.
	Baselined []string
	// Failed lists the notices of the delivery that failed, Pending those
	// after it, not attempted so as to keep publication order. The next run
	// sends both.
	Failed  []string
	Pending []string
	// Attempts counts Send calls; Retries those that repeated a failed one.
	Attempts int
	Retries  int
	// Err is the channel's failure, or nil.
	Err error
	// DryRun reports that nothing was sent nor recorded: Sent and
	// Baselined list what would have been.
	DryRun bool
}

// String summarises the report in one line, e.g. "webhook:prod: 2 sent,
// 1 skipped, 1 failed, 1 pending, 3 retries", or on a dry run
// "webhook:prod: 2 would be sent, 1 skipped".
func (r ChannelReport) String() string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	if r.DryRun {
		add(len(r.Sent), "would be sent")
		add(len(r.Baselined), "would be baselined")
	} else {
		add(len(r.Sent), "sent")
		add(len(r.Baselined), "baselined")
	}
	add(len(r.Skipped), "skipped")
	add(len(r.Failed), "failed")
	add(len(r.Pending), "pending")
	add(r.Retries, "retries")
	if len(parts) == 0 {
		parts = append(parts, "nothing to send")
	}
	return r.Channel + ": " + strings.Join(parts, ", ")
}

// Deliver sends every channel the notices the State does not record for it,
// in publication order, and records each success in the State immediately.
//
// Channels are served one after another. A failed Send is retried with
// exponential backoff (see Options), honouring a Retry-After the receiver
// sent; failures marked permanent (SendError) are not retried. When a
// delivery still fails, the channel's later notices are left pending (a
// subscriber never gets version 3 before version 2) and Deliver goes on with
// the next channel; the returned error joins one error per failed channel,
// naming it and the notices, so the CLI exits non-zero and the next run
// delivers the rest. If a delivery succeeded but the State could not be
// saved, Deliver stops at once (the channels after it are reported with
// their notices pending): that notice will be sent again.
//
// Before anything is sent, notices are validated (Notice.Validate, unique
// keys) and channel names checked for duplicates. A cancelled ctx stops
// Deliver between attempts.
func Deliver(ctx context.Context, state *State, channels []Channel, notices []Notice, opts Options) (Report, error) {
	opts = opts.withDefaults()
	rep := Report{DryRun: opts.DryRun}
	if state == nil {
		return rep, errors.New("notify: nil State")
	}
	ordered, err := inPublicationOrder(notices)
	if err != nil {
		return rep, err
	}
	seen := map[string]bool{}
	for _, ch := range channels {
		name := ch.Name()
		if name == "" {
			return rep, errors.New("notify: a channel has an empty name")
		}
		if seen[name] {
			return rep, fmt.Errorf("notify: two channels are named %q; give each its own name (an ID)", name)
		}
		seen[name] = true
	}
	// Channels named otherwise by an earlier release take over their entry.
	for _, ch := range channels {
		if ln, ok := ch.(LegacyNamer); ok && state.Adopt(ch.Name(), ln.LegacyNames()) {
			fmt.Fprintf(opts.Log, "%s: took over its delivery state from the name an earlier clause gave it (which held its URL)\n", describe(ch))
		}
	}
	// A document renamed before its notices were keyed by its identity
	// was delivered under the IDs it had then: those deliveries count.
	for _, n := range ordered {
		state.carryOver(n)
	}
	if !opts.DryRun {
		if err := state.Save(); err != nil {
			return rep, err
		}
	}

	var errs []error
	stopped := false
	for _, ch := range channels {
		if stopped {
			// Not attempted: list what this channel still lacks.
			cr := ChannelReport{Channel: ch.Name(), DryRun: opts.DryRun}
			for _, n := range ordered {
				if _, ok := state.Delivered(cr.Channel, n.Key()); ok {
					cr.Skipped = append(cr.Skipped, n.Key())
				} else {
					cr.Pending = append(cr.Pending, n.Key())
				}
			}
			rep.Channels = append(rep.Channels, cr)
			continue
		}
		cr, fatal := deliverChannel(ctx, state, ch, ordered, opts)
		rep.Channels = append(rep.Channels, cr)
		if cr.Err != nil {
			errs = append(errs, cr.Err)
		}
		stopped = fatal
	}
	return rep, errors.Join(errs...)
}

// deliverChannel serves one channel. fatal reports a State that could not
// be saved, which must stop the whole run.
func deliverChannel(ctx context.Context, state *State, ch Channel, notices []Notice, opts Options) (cr ChannelReport, fatal bool) {
	name := ch.Name()
	who := describe(ch)
	cr.Channel, cr.DryRun = name, opts.DryRun
	if opts.BaselineNew && !state.HasChannel(name) {
		cr.Baselined = keysOf(notices)
		if n := state.LegacyChannels(); n > 0 {
			fmt.Fprintf(opts.Log, "%s: warning: the state has %s of an earlier clause, keyed by a URL that no channel of this run has; if this channel is one of them under a new URL, give it its old URL once (or its notices still pending there are not sent)\n",
				who, plural(n, "channel"))
		}
		if opts.DryRun {
			fmt.Fprintf(opts.Log, "%s: would baseline %d notices (new channel)\n", who, len(notices))
			return cr, false
		}
		if _, err := state.Baseline(name, notices); err != nil {
			cr.Baselined = nil
			cr.Err = fmt.Errorf("%s: baseline: %w", name, err)
			return cr, true
		}
		fmt.Fprintf(opts.Log, "%s: baselined %d notices (new channel; nothing sent)\n", who, len(notices))
		return cr, false
	}

	// A channel of an earlier release, which did not announce retired
	// documents, is not told now of those retired before its last run.
	if before, ok := state.retirementsBefore(name); ok {
		var old []Notice
		for _, n := range notices {
			if _, done := state.Delivered(name, n.Key()); n.Retired && !done && !n.Published.After(before) {
				old = append(old, n)
			}
		}
		if err := state.baselineRetirements(name, old, opts.DryRun); err != nil {
			cr.Err = fmt.Errorf("%s: baseline: %w", name, err)
			return cr, true
		}
		if len(old) > 0 {
			cr.Baselined = keysOf(old)
			verb := "baselined"
			if opts.DryRun {
				verb = "would baseline"
			}
			fmt.Fprintf(opts.Log, "%s: %s %s retired before its last run (announced from now on; nothing sent)\n", who, verb, plural(len(old), "document"))
		}
	}

	var pending []Notice
	for _, n := range notices {
		if slices.Contains(cr.Baselined, n.Key()) {
			continue
		}
		if _, ok := state.Delivered(name, n.Key()); ok {
			cr.Skipped = append(cr.Skipped, n.Key())
		} else {
			pending = append(pending, n)
		}
	}
	size := 1
	if b, ok := ch.(Batcher); ok && b.MaxBatch() > 1 {
		size = b.MaxBatch()
	}
	for i := 0; i < len(pending); i += size {
		batch := pending[i:min(i+size, len(pending))]
		keys := keysOf(batch)
		if opts.DryRun {
			fmt.Fprintf(opts.Log, "%s: would send %s\n", who, strings.Join(keys, ", "))
			cr.Sent = append(cr.Sent, keys...)
			continue
		}
		attempts, err := sendWithRetry(ctx, ch, batch, opts)
		cr.Attempts += attempts
		cr.Retries += max(attempts-1, 0)
		if err != nil {
			cr.Failed = keys
			cr.Pending = keysOf(pending[i+len(batch):])
			cr.Err = fmt.Errorf("%s: %s not delivered (%s; the next run retries): %w",
				name, strings.Join(keys, ", "), plural(attempts, "attempt"), err)
			fmt.Fprintf(opts.Log, "%s: FAILED %s: %v\n", who, strings.Join(keys, ", "), err)
			return cr, false
		}
		if err := state.record(name, keys, time.Now().UTC().Truncate(time.Second)); err != nil {
			cr.Failed = keys
			cr.Pending = keysOf(pending[i+len(batch):])
			cr.Err = fmt.Errorf("%s: %s was delivered but could not be recorded, so the next run sends it again: %w",
				name, strings.Join(keys, ", "), err)
			return cr, true
		}
		cr.Sent = append(cr.Sent, keys...)
		fmt.Fprintf(opts.Log, "%s: sent %s\n", who, strings.Join(keys, ", "))
	}
	return cr, false
}

// sendWithRetry calls ch.Send until it succeeds, fails permanently, or
// the retries are used up. It returns the number of attempts.
func sendWithRetry(ctx context.Context, ch Channel, batch []Notice, opts Options) (int, error) {
	backoff := opts.InitialBackoff
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return attempt - 1, err
		}
		actx, cancel := context.WithTimeout(ctx, opts.Timeout)
		err := ch.Send(actx, batch)
		cancel()
		if err == nil {
			return attempt, nil
		}
		if ctx.Err() != nil {
			return attempt, errors.Join(err, ctx.Err())
		}
		if isPermanent(err) {
			return attempt, fmt.Errorf("%w (not retried)", err)
		}
		if attempt > opts.Retries {
			return attempt, err
		}
		wait := backoff
		if ra := retryAfter(err); ra > opts.MaxBackoff {
			return attempt, fmt.Errorf("%w (the receiver asked to retry after %v, longer than the %v this run waits)", err, ra, opts.MaxBackoff)
		} else if ra > wait {
			wait = ra
		}
		fmt.Fprintf(opts.Log, "%s: attempt %d failed (%v); retrying in %v\n", describe(ch), attempt, err, wait)
		if serr := opts.sleep(ctx, wait); serr != nil {
			return attempt, errors.Join(err, serr)
		}
		backoff = min(backoff*2, opts.MaxBackoff)
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func keysOf(notices []Notice) []string {
	if len(notices) == 0 {
		return nil
	}
	keys := make([]string, len(notices))
	for i, n := range notices {
		keys[i] = n.Key()
	}
	return keys
}

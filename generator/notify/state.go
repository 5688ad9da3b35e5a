package notify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/clause-portal/clause/internal/readcap"
)

// ErrStateLocked is wrapped by OpenState's error when another run holds the
// State's lock.
var ErrStateLocked = errors.New("notify state is locked by another run")

// ErrCorruptState is wrapped by OpenState's error when the State file cannot
// be read as a notify state.
var ErrCorruptState = errors.New("notify state file is corrupt")

// stateVersion is the format version written to the State file.
const stateVersion = 1

// State records, per channel name, which notices have been delivered, so
// that a rerun sends nothing twice. It is a JSON file, for example:
//
//	{
//	  "version": 1,
//	  "channels": {
//	    "webhook:prod": {
//	      "baseline": "2026-03-01T09:00:00Z",
//	      "delivered": {
//	        "dpa@3f2a…": {"at": "2026-03-01T09:00:00Z", "baseline": true},
//	        "dpa@9c41…": {"at": "2026-03-04T17:12:09Z"}
//	      }
//	    }
//	  }
//	}
//
// The file holds no secrets (channel names carry none), so it may be kept
// in the repository. A State written by an earlier release named a webhook
// without an ID by its URL, path included: such names are replaced on
// reading by "legacy:" and a hash of the old name, and moved to the
// channel's current name when the channel is used again (see Adopt); the
// path is never written back. OpenState locks it against concurrent runs until
// Close; every change is saved at once and atomically: the new content is
// written to a temporary file in the same folder, synced, and renamed over
// the old one, so the file is never truncated or half-written, even by a
// crash. A State is not safe for concurrent use by several goroutines.
type State struct {
	path    string
	release func() error
	file    stateFile
	// dirty reports a change made in memory (names migrated on reading, or
	// by Adopt) that no save has written yet.
	dirty bool
	// write writes the temporary file's content; tests replace it to
	// simulate a failure in the middle of a save.
	write func(f *os.File, data []byte) error
}

type stateFile struct {
	Version  int                      `json:"version"`
	Channels map[string]*channelState `json:"channels"`
}

type channelState struct {
	Baseline  *time.Time          `json:"baseline,omitempty"`
	Delivered map[string]Delivery `json:"delivered"`
	// Retirements is set once the channel is served by a clause that
	// announces retired documents; a channel of an earlier release has
	// not been told of the documents retired before (see Deliver).
	Retirements bool `json:"retirements,omitempty"`
}

// Delivery records when a notice was delivered to a channel.
type Delivery struct {
	// At is the time of the delivery, or of the baseline.
	At time.Time `json:"at"`
	// Baseline reports that the notice was recorded by Baseline, not sent.
	Baseline bool `json:"baseline,omitempty"`
	// Dropped reports that the notice was given up by decision (Drop),
	// not sent.
	Dropped bool `json:"dropped,omitempty"`
}

// OpenState locks and reads the State file at path; a missing file is an
// empty State. The lock is the file path+".lock" (flock'ed, so a crashed run
// leaves no stale lock on Linux, macOS and the BSDs; it is not deleted).
// Parent folders are created as needed.
//
// path is resolved first — made absolute, symbolic links followed (a link
// to a file that does not exist yet included) — and the State uses the
// resolved path for its lock and its saves: two runs that name the same file
// through different links take the same lock, and a save replaces the file,
// not the link.
//
// The error wraps ErrStateLocked when another run holds the lock, and
// ErrCorruptState, with the line and column, when the file is not a valid
// state.
func OpenState(path string) (*State, error) {
	if path == "" {
		return nil, errors.New("notify state: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("notify state: %w", err)
	}
	path, err := resolvePath(path)
	if err != nil {
		return nil, fmt.Errorf("notify state: %w", err)
	}
	release, err := acquireLock(path + ".lock")
	if err != nil {
		return nil, err
	}
	s := &State{path: path, release: release, write: writeAll}
	if err := s.load(); err != nil {
		_ = release()
		return nil, err
	}
	return s, nil
}

// resolvePath returns the absolute path of the file path names, symbolic
// links followed. When the file does not exist, its folder is resolved (and
// created); a dangling link is followed to where the file would be.
func resolvePath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	for range 40 {
		real, err := filepath.EvalSymlinks(abs)
		if err == nil {
			return real, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if fi, err := os.Lstat(abs); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(abs)
			if err != nil {
				return "", err
			}
			if !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(abs), target)
			}
			abs = filepath.Clean(target)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return "", err
		}
		dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
		if err != nil {
			return "", err
		}
		return filepath.Join(dir, filepath.Base(abs)), nil
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

func writeAll(f *os.File, data []byte) error {
	_, err := f.Write(data)
	return err
}

func (s *State) load() error {
	s.file = stateFile{Version: stateVersion, Channels: map[string]*channelState{}}
	data, err := readcap.ReadFile(s.path, readcap.State)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("notify state: %w", err)
	}
	fix := "fix it, or restore it from a backup; deleting it forgets what was delivered"
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Errorf("%s: %w: the file is empty; %s", s.path, ErrCorruptState, fix)
	}
	var f stateFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		var off int64 = -1
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF):
			off, err = int64(len(data)), errors.New("the file ends in the middle of the JSON (truncated?)")
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		}
		if off >= 0 {
			line, col := position(data, off)
			return fmt.Errorf("%s:%d:%d: %w: %v; %s", s.path, line, col, ErrCorruptState, err, fix)
		}
		return fmt.Errorf("%s: %w: %v; %s", s.path, ErrCorruptState, err, fix)
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := position(data, dec.InputOffset())
		return fmt.Errorf("%s:%d:%d: %w: data after the JSON object; %s", s.path, line, col, ErrCorruptState, fix)
	}
	if f.Version != stateVersion {
		return fmt.Errorf("%s: %w: format version %d, this clause reads version %d", s.path, ErrCorruptState, f.Version, stateVersion)
	}
	if f.Channels == nil {
		f.Channels = map[string]*channelState{}
	}
	for name, ch := range f.Channels {
		if name == "" || ch == nil {
			return fmt.Errorf("%s: %w: channel %q has no entry; %s", s.path, ErrCorruptState, name, fix)
		}
		if ch.Delivered == nil {
			ch.Delivered = map[string]Delivery{}
		}
	}
	s.file = f
	for name := range f.Channels {
		if secretName(name) {
			s.rename(name, legacyKey(name))
			s.dirty = true
		}
	}
	return nil
}

// secretName reports a channel name written by an earlier release that
// holds a URL path: "webhook:https://host/path".
func secretName(name string) bool {
	rest, ok := strings.CutPrefix(name, "webhook:")
	if !ok {
		return false
	}
	_, hostPath, ok := strings.Cut(rest, "://")
	return ok && strings.ContainsAny(hostPath, "/?#")
}

// legacyKey is what a secret channel name of an earlier release is kept
// under: "legacy:" and 16 hex digits of the name's SHA-256.
func legacyKey(name string) string {
	sum := sha256.Sum256([]byte(name))
	return "legacy:" + hex.EncodeToString(sum[:8])
}

// rename moves the entry of channel from to channel to, merging it into an
// existing entry: deliveries are joined (the earlier one kept), and so are
// baselines and the other marks.
func (s *State) rename(from, to string) {
	old := s.file.Channels[from]
	if old == nil || from == to {
		return
	}
	delete(s.file.Channels, from)
	cur := s.file.Channels[to]
	if cur == nil {
		s.file.Channels[to] = old
		return
	}
	for k, d := range old.Delivered {
		if have, ok := cur.Delivered[k]; !ok || d.At.Before(have.At) {
			cur.Delivered[k] = d
		}
	}
	if cur.Baseline == nil || (old.Baseline != nil && old.Baseline.Before(*cur.Baseline)) {
		cur.Baseline = old.Baseline
	}
	cur.Retirements = cur.Retirements && old.Retirements
}

// Adopt moves the entry a channel has under one of its former names (see
// LegacyNamer) to its name, so that a channel renamed by an upgrade keeps
// what was delivered, and what is still pending, instead of being
// baselined as new. It reports whether an entry was moved; the change is
// saved by the next save, or at once by Save.
func (s *State) Adopt(name string, formerNames []string) bool {
	moved := false
	for _, former := range formerNames {
		for _, key := range []string{former, legacyKey(former)} {
			if key != name && s.file.Channels[key] != nil {
				s.rename(key, name)
				moved = true
			}
		}
	}
	if moved {
		s.dirty = true
	}
	return moved
}

// LegacyChannels counts the entries of an earlier release that no channel
// has adopted yet (named "legacy:…", see Adopt).
func (s *State) LegacyChannels() int {
	n := 0
	for name := range s.file.Channels {
		if strings.HasPrefix(name, "legacy:") {
			n++
		}
	}
	return n
}

// Save writes changes made in memory (by reading an earlier release's
// State, or by Adopt), if any.
func (s *State) Save() error {
	if !s.dirty {
		return nil
	}
	return s.save()
}

// Drop records the notices as given up for the channel: delivered by
// decision, without sending anything, so that they are no longer pending.
// Notices the channel already has are left as they are. It saves, and
// returns the keys it recorded. The channel must be known to the State.
func (s *State) Drop(channel string, notices []Notice) ([]string, error) {
	ch := s.file.Channels[channel]
	if ch == nil {
		return nil, fmt.Errorf("notify state: drop: no channel %q in %s", channel, s.path)
	}
	now := time.Now().UTC().Truncate(time.Second)
	var added []string
	for _, n := range notices {
		if _, ok := ch.Delivered[n.Key()]; !ok {
			ch.Delivered[n.Key()] = Delivery{At: now, Dropped: true}
			added = append(added, n.Key())
		}
	}
	if len(added) == 0 {
		return nil, nil
	}
	if err := s.save(); err != nil {
		for _, k := range added {
			delete(ch.Delivered, k)
		}
		return nil, err
	}
	return added, nil
}

// position converts a byte offset into a 1-based line and column.
func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// Path returns the State file's resolved path (see OpenState).
func (s *State) Path() string { return s.path }

// Close releases the lock. The State must not be used afterwards.
func (s *State) Close() error {
	if s.release == nil {
		return nil
	}
	err := s.release()
	s.release = nil
	return err
}

// Channels returns the names of the channels the State knows, sorted.
func (s *State) Channels() []string {
	names := make([]string, 0, len(s.file.Channels))
	for name := range s.file.Channels {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// HasChannel reports whether the State has an entry for the channel: false
// on the first run for a channel, which the CLI typically baselines.
func (s *State) HasChannel(channel string) bool { return s.file.Channels[channel] != nil }

// Delivered reports whether the notice with key was delivered (or
// baselined) to the channel, and when.
// carryOver records, for every channel, a delivery of n made under one of
// its document's former IDs (FormerDocumentIDs) as a delivery of n: a
// renamed document's versions are not sent again.
func (s *State) carryOver(n Notice) {
	for _, ch := range s.file.Channels {
		if ch == nil || ch.Delivered == nil {
			continue
		}
		if _, ok := ch.Delivered[n.Key()]; ok {
			continue
		}
		for _, id := range n.FormerDocumentIDs {
			if d, ok := ch.Delivered[id+"@"+n.VersionID]; ok {
				ch.Delivered[n.Key()] = d
				break
			}
		}
	}
}

// Delivered returns the record of the notice with key on channel, if it
// was delivered (or baselined, or dropped).
func (s *State) Delivered(channel, key string) (Delivery, bool) {
	ch := s.file.Channels[channel]
	if ch == nil {
		return Delivery{}, false
	}
	d, ok := ch.Delivered[key]
	return d, ok
}

// BaselinedAt returns when the channel was baselined, if it was.
func (s *State) BaselinedAt(channel string) (time.Time, bool) {
	ch := s.file.Channels[channel]
	if ch == nil || ch.Baseline == nil {
		return time.Time{}, false
	}
	return *ch.Baseline, true
}

// Baseline records every notice as delivered to the channel without sending
// anything, marks the channel as baselined, and saves. It is what the first
// run for a new channel does, so that a subscriber is not flooded with the
// whole history; notices already recorded keep their entry. It returns how
// many notices it recorded.
func (s *State) Baseline(channel string, notices []Notice) (int, error) {
	if channel == "" {
		return 0, errors.New("notify state: baseline: empty channel name")
	}
	for _, n := range notices {
		if err := n.Validate(); err != nil {
			return 0, fmt.Errorf("baseline %s: %w", channel, err)
		}
	}
	now := time.Now().UTC().Truncate(time.Second)
	existed := s.file.Channels[channel] != nil
	ch := s.channel(channel)
	oldBaseline := ch.Baseline
	ch.Baseline = &now
	var added []string
	for _, n := range notices {
		if _, ok := ch.Delivered[n.Key()]; !ok {
			ch.Delivered[n.Key()] = Delivery{At: now, Baseline: true}
			added = append(added, n.Key())
		}
	}
	if err := s.save(); err != nil {
		for _, k := range added {
			delete(ch.Delivered, k)
		}
		ch.Baseline = oldBaseline
		if !existed {
			delete(s.file.Channels, channel)
		}
		return 0, err
	}
	return len(added), nil
}

// record marks keys as delivered to the channel at time at, and saves. On
// failure the State is left as it was.
func (s *State) record(channel string, keys []string, at time.Time) error {
	existed := s.file.Channels[channel] != nil
	ch := s.channel(channel)
	var added []string
	for _, k := range keys {
		if _, ok := ch.Delivered[k]; !ok {
			ch.Delivered[k] = Delivery{At: at}
			added = append(added, k)
		}
	}
	if err := s.save(); err != nil {
		for _, k := range added {
			delete(ch.Delivered, k)
		}
		if !existed {
			delete(s.file.Channels, channel)
		}
		return err
	}
	return nil
}

func (s *State) channel(name string) *channelState {
	ch := s.file.Channels[name]
	if ch == nil {
		ch = &channelState{Delivered: map[string]Delivery{}, Retirements: true}
		s.file.Channels[name] = ch
	}
	return ch
}

// retirementsBefore returns, for a channel that a clause announcing
// retired documents has not served yet, the time of its last recorded
// activity (baseline or delivery): retirements older than that are history
// the channel was never going to be told, not news. ok is false for a new
// channel, and for one already served.
func (s *State) retirementsBefore(channel string) (before time.Time, ok bool) {
	ch := s.file.Channels[channel]
	if ch == nil || ch.Retirements {
		return time.Time{}, false
	}
	if ch.Baseline != nil {
		before = *ch.Baseline
	}
	for _, d := range ch.Delivered {
		if d.At.After(before) {
			before = d.At
		}
	}
	return before, true
}

// baselineRetirements records the retirement notices as baselined for a
// channel of an earlier release and marks it as served by this one.
func (s *State) baselineRetirements(channel string, notices []Notice, dryRun bool) error {
	ch := s.file.Channels[channel]
	if ch == nil || dryRun {
		return nil
	}
	now := time.Now().UTC().Truncate(time.Second)
	var added []string
	for _, n := range notices {
		if _, ok := ch.Delivered[n.Key()]; !ok {
			ch.Delivered[n.Key()] = Delivery{At: now, Baseline: true}
			added = append(added, n.Key())
		}
	}
	ch.Retirements = true
	if err := s.save(); err != nil {
		for _, k := range added {
			delete(ch.Delivered, k)
		}
		ch.Retirements = false
		return err
	}
	return nil
}

// save writes the State atomically: temporary file in the same folder,
// fsync, rename over the State file, fsync of the folder.
func (s *State) save() error {
	if s.release == nil {
		return fmt.Errorf("notify state %s: used after Close", s.path)
	}
	data, err := json.MarshalIndent(s.file, "", "  ")
	if err != nil {
		return fmt.Errorf("notify state %s: %w", s.path, err)
	}
	data = append(data, '\n')
	dir := filepath.Dir(s.path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(s.path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("save notify state %s: %w", s.path, err)
	}
	tmp := f.Name()
	err = s.write(f, data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, s.path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("save notify state %s: %w", s.path, err)
	}
	s.dirty = false
	// Make the rename durable. Some file systems cannot sync a folder;
	// the rename itself is atomic either way.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

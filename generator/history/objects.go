package history

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// commitObject is the part of a raw commit object Read uses.
type commitObject struct {
	hash    plumbing.Hash
	tree    plumbing.Hash
	parents []plumbing.Hash
	date    time.Time // committer date, with its offset
	message string
}

// raw reads the content of an object of type t. The content is shared
// with the object cache: it must not be modified.
func (r *Repository) raw(t plumbing.ObjectType, h plumbing.Hash) ([]byte, error) {
	_, data, err := r.objects.read(t, h)
	return data, err
}

// Blob returns the content of the blob with the given 40-hex hash, such as
// Version.Blob. A blob missing from a partial clone gives an error wrapping
// ErrPartialClone.
func (r *Repository) Blob(hash string) ([]byte, error) {
	h, ok := parseHash(hash)
	if !ok {
		return nil, fmt.Errorf("blob %q: not a 40-hex object hash", hash)
	}
	if data, ok := r.kept[h]; ok {
		delete(r.kept, h) // the caller's now: nothing else holds it
		return data, nil
	}
	data, err := r.raw(plumbing.BlobObject, h)
	return bytes.Clone(data), err
}

// commit reads and parses a commit object.
func (r *Repository) commit(h plumbing.Hash) (*commitObject, error) {
	data, err := r.raw(plumbing.CommitObject, h)
	if err != nil {
		return nil, err
	}
	c, err := parseCommit(data)
	if err != nil {
		return nil, fmt.Errorf("%s: commit %s: %w", r.root, h, err)
	}
	c.hash = h
	return c, nil
}

// parseCommit parses the raw content of a commit object: headers, a blank
// line, the message, capped (capMessage).
func parseCommit(data []byte) (*commitObject, error) {
	c := &commitObject{}
	haveTree, haveDate := false, false
	for len(data) > 0 {
		line := data
		rest := []byte(nil)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, rest = data[:i], data[i+1:]
		}
		data = rest
		if len(line) == 0 {
			c.message = capMessage(string(data))
			break
		}
		if line[0] == ' ' {
			continue // continuation of a multi-line header (gpgsig, mergetag)
		}
		key, val, _ := bytes.Cut(line, []byte{' '})
		switch string(key) {
		case "tree":
			h, ok := parseHash(string(val))
			if !ok {
				return nil, fmt.Errorf("bad tree line %q", line)
			}
			c.tree, haveTree = h, true
		case "parent":
			h, ok := parseHash(string(val))
			if !ok {
				return nil, fmt.Errorf("bad parent line %q", line)
			}
			c.parents = append(c.parents, h)
		case "committer":
			t, ok := parseSignatureTime(val)
			if !ok {
				return nil, fmt.Errorf("bad committer line %q", line)
			}
			c.date, haveDate = t, true
		}
	}
	if !haveTree || !haveDate {
		return nil, errors.New("no tree or committer line")
	}
	return c, nil
}

// parseSignatureTime parses the time of "Name <email> 1700000000 +0100",
// keeping the offset.
func parseSignatureTime(sig []byte) (time.Time, bool) {
	i := bytes.LastIndexByte(sig, '>')
	if i < 0 {
		return time.Time{}, false
	}
	fields := bytes.Fields(sig[i+1:])
	if len(fields) == 0 {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(string(fields[0]), 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	loc := time.UTC
	if len(fields) > 1 {
		if off, ok := parseOffset(string(fields[1])); ok {
			loc = fixedZone(off)
		}
	}
	return time.Unix(sec, 0).In(loc), true
}

// parseOffset parses a git time zone offset "+0130" into seconds east of UTC.
func parseOffset(tz string) (int, bool) {
	if len(tz) != 5 || (tz[0] != '+' && tz[0] != '-') {
		return 0, false
	}
	hh, err1 := strconv.Atoi(tz[1:3])
	mm, err2 := strconv.Atoi(tz[3:5])
	if err1 != nil || err2 != nil {
		return 0, false
	}
	off := hh*3600 + mm*60
	if tz[0] == '-' {
		off = -off
	}
	return off, true
}

func parseHash(s string) (plumbing.Hash, bool) {
	if len(s) != 40 {
		return plumbing.ZeroHash, false
	}
	var h plumbing.Hash
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return plumbing.ZeroHash, false
	}
	return h, true
}

// resolve resolves a reference name or a 40-hex hash to a commit hash,
// peeling annotated tags. Short names are tried as git does: NAME,
// refs/NAME, refs/tags/NAME, refs/heads/NAME, refs/remotes/NAME,
// refs/remotes/NAME/HEAD; then, when no reference has that name, as an
// abbreviated commit hash of at least 4 digits.
func (r *Repository) resolve(ref string) (plumbing.Hash, error) {
	if ref == "" {
		ref = "HEAD"
	}
	h, ok := parseHash(ref)
	if !ok {
		found := false
		names := []string{"refs/" + ref, "refs/tags/" + ref, "refs/heads/" + ref,
			"refs/remotes/" + ref, "refs/remotes/" + ref + "/HEAD"}
		if strings.HasPrefix(ref, "refs/") || isPseudoRef(ref) {
			names = append([]string{ref}, names...)
		}
		for _, name := range names {
			res, err := storer.ResolveReference(r.st, plumbing.ReferenceName(name))
			if errors.Is(err, plumbing.ErrReferenceNotFound) {
				continue
			}
			if err != nil {
				return plumbing.ZeroHash, fmt.Errorf("%s: resolve %q: %w", r.root, ref, err)
			}
			h, found = res.Hash(), true
			break
		}
		if !found && isAbbrevHash(ref) {
			return r.expandAbbrev(ref)
		}
		if !found {
			return plumbing.ZeroHash, fmt.Errorf("%s: %q: %w", r.root, ref, ErrRefNotFound)
		}
	}
	c, err := r.peel(h)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("%q: %w", ref, err)
	}
	return c, nil
}

// peel returns the commit h names: h itself, or the commit an annotated
// tag (or a tag of a tag) points at. An object that is neither gives an
// error wrapping ErrRefNotFound.
func (r *Repository) peel(h plumbing.Hash) (plumbing.Hash, error) {
	for range 10 { // tags of tags are rare
		typ, data, err := r.objects.read(plumbing.AnyObject, h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		switch typ {
		case plumbing.CommitObject:
			return h, nil
		case plumbing.TagObject:
			target, ok := tagTarget(data)
			if !ok {
				return plumbing.ZeroHash, fmt.Errorf("%s: bad tag object %s", r.root, h)
			}
			h = target
		default:
			return plumbing.ZeroHash, fmt.Errorf("%s: %s is a %s, not a commit: %w", r.root, h, typ, ErrRefNotFound)
		}
	}
	return plumbing.ZeroHash, fmt.Errorf("%s: %s: too many nested tags", r.root, h)
}

// isPseudoRef reports whether name is like HEAD, ORIG_HEAD or FETCH_HEAD:
// upper case letters and underscores, read from the git folder itself.
func isPseudoRef(name string) bool {
	for _, c := range name {
		if !(c == '_' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return name != ""
}

// tagTarget returns the object an annotated tag points at.
func tagTarget(data []byte) (plumbing.Hash, bool) {
	line, _, _ := bytes.Cut(data, []byte{'\n'})
	val, ok := bytes.CutPrefix(line, []byte("object "))
	if !ok {
		return plumbing.ZeroHash, false
	}
	return parseHash(string(val))
}

// lfsPrefixes are the first lines of Git LFS pointer files (the current and
// the pre-release spec).
var lfsPrefixes = []string{
	"version https://git-lfs.github.com/spec/",
	"version https://hawser.github.com/spec/",
}

// IsLFSPointer reports whether data is a Git LFS pointer file (a small text
// file "version https://git-lfs.github.com/spec/v1", "oid sha256:…",
// "size …") rather than the file's content.
func IsLFSPointer(data []byte) bool {
	if len(data) >= 1024 {
		return false
	}
	ok := false
	for _, p := range lfsPrefixes {
		if bytes.HasPrefix(data, []byte(p)) {
			ok = true
		}
	}
	return ok && bytes.Contains(data, []byte("\noid sha256:")) && bytes.Contains(data, []byte("\nsize "))
}

package history

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// ErrAmbiguous is returned when an abbreviated commit hash matches more
// than one commit.
var ErrAmbiguous = errors.New("ambiguous abbreviated hash")

// minAbbrev is the shortest abbreviated hash accepted, as in git.
const minAbbrev = 4

// isAbbrevHash reports whether s can be an abbreviated object hash: 4 to 39
// hexadecimal digits.
func isAbbrevHash(s string) bool {
	if len(s) < minAbbrev || len(s) >= 40 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// expandAbbrev finds the commit whose hash starts with the hexadecimal
// prefix abbrev, in the repository's object database and its alternates,
// as git rev-parse does for "5c5198c". Objects that are not commits (blobs,
// trees) do not count; an annotated tag counts as the commit it names. It
// returns an error wrapping ErrRefNotFound when no commit matches and
// ErrAmbiguous when several do.
func (r *Repository) expandAbbrev(abbrev string) (plumbing.Hash, error) {
	abbrev = strings.ToLower(abbrev)
	prefix, err := hex.DecodeString(abbrev[:len(abbrev)/2*2])
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("%s: %q: %w", r.root, abbrev, ErrRefNotFound)
	}
	seen, isCommit := map[plumbing.Hash]bool{}, map[plumbing.Hash]bool{}
	var commits []plumbing.Hash
	for _, st := range append([]storage{r.objects.st}, altStorages(r.objects)...) {
		hashes, err := st.HashesWithPrefix(prefix)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("%s: look up %q: %w", r.root, abbrev, err)
		}
		for _, h := range hashes {
			if seen[h] || !strings.HasPrefix(h.String(), abbrev) {
				continue
			}
			seen[h] = true
			if c, err := r.peel(h); err == nil && !isCommit[c] {
				isCommit[c] = true
				commits = append(commits, c)
			}
		}
	}
	switch len(commits) {
	case 0:
		return plumbing.ZeroHash, fmt.Errorf("%s: %q: %w", r.root, abbrev, ErrRefNotFound)
	case 1:
		return commits[0], nil
	}
	names := make([]string, len(commits))
	for i, c := range commits {
		names[i] = c.String()[:12]
	}
	return plumbing.ZeroHash, fmt.Errorf("%q: %w: it matches commits %s; give more characters", abbrev, ErrAmbiguous, strings.Join(names, ", "))
}

// storage is the part of a go-git storage expandAbbrev uses.
type storage interface {
	HashesWithPrefix(prefix []byte) ([]plumbing.Hash, error)
}

func altStorages(s *objectStore) []storage {
	out := make([]storage, len(s.alts))
	for i, a := range s.alts {
		out[i] = a
	}
	return out
}

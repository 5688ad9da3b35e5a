package history

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// revisionSuffix matches the ancestry suffixes git accepts after a name:
// "~3", "~", "^", "^1".
var revisionSuffix = regexp.MustCompile(`(~\d*|\^1?)$`)

// ErrNotOnHistory is returned by AtRevision when the first-parent history of
// the revision reaches no commit that want accepts.
var ErrNotOnHistory = errors.New("no commit of the document's history is an ancestor of this revision")

// AtRevision resolves a git revision (a branch or tag name, a commit hash
// or an abbreviation of one, HEAD, each optionally followed by git's
// first-parent suffixes
// "~N" and "^") and walks its first-parent history, newest first, to the
// first commit for which want returns true. It returns that commit's
// 40-hex hash. limit bounds the commits walked.
func (r *Repository) AtRevision(rev string, want func(hash string) bool, limit int) (string, error) {
	orig := rev
	back := 0
	for {
		m := revisionSuffix.FindStringIndex(rev)
		if m == nil || m[0] == 0 {
			break
		}
		suffix := rev[m[0]:]
		rev = rev[:m[0]]
		switch {
		case suffix == "~" || suffix == "^" || suffix == "^1":
			back++
		default:
			n, err := strconv.Atoi(suffix[1:])
			if err != nil || n > 1<<20 {
				return "", fmt.Errorf("%q: not a revision", orig)
			}
			back += n
		}
	}
	h, err := r.resolve(rev)
	if err != nil {
		return "", err
	}
	for i := 0; i < limit; i++ {
		c, err := r.commit(h)
		if err != nil {
			return "", err
		}
		if back > 0 {
			back--
		} else if want(h.String()) {
			return h.String(), nil
		}
		if len(c.parents) == 0 {
			if back > 0 {
				return "", fmt.Errorf("%q: the first-parent history of %s has fewer commits", orig, rev)
			}
			return "", ErrNotOnHistory
		}
		h = c.parents[0]
	}
	return "", ErrNotOnHistory
}

package history

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Following documents from outside the content folder.
//
// A document moved into the prefix from elsewhere in the repository (a
// reorganisation: dpa.md → legal/dpa.md) keeps the versions it had there,
// as `git log --follow` shows them. The walk diffs only the tree under the
// prefix; it looks outside only in two cases, so that commits that change
// nothing under the prefix cost what they did:
//
//   - a commit adds a document under the prefix that is not renamed from
//     within it: the files the commit deletes outside the prefix are listed
//     (a diff of the whole tree that skips the prefix and every subtree with
//     the same hash on both sides) and paired with such additions like
//     renames among documents (inwardRenames, cached with the step);
//   - a document is at a path outside the prefix (walker.followed): each
//     older commit looks that path up in its tree and its parent's, which
//     reads a handful of trees, and when the path was added, looks for where
//     it came from among the files the commit deletes, outside the prefix or
//     in it (followStep).
//
// Files that are never published (Unpublished) or that Query.Match rejects
// are never sources: a draft renamed into a published path starts a new
// document, and none of the draft's text is a version.

// inwardRename is a document added under the prefix (changes.added[dst])
// that the commit moved there from outside it.
type inwardRename struct {
	dst  int
	from fileChange // the deleted file outside the prefix
	pure bool
}

// followChange is what a commit does to a followed path: blob and old are
// its blobs in the commit and in its first parent (zero: absent). A path
// added by the commit (old zero) may have been renamed from path from.
type followChange struct {
	path      string
	blob, old plumbing.Hash
	from      string
	fromBlob  plumbing.Hash
	pure      bool
}

// outside reports whether repository path p is outside the prefix.
func (w *walker) outside(p string) bool {
	if w.prefix == "" {
		return false
	}
	return !strings.HasPrefix(p, w.prefix) || (len(p) > len(w.prefix) && p[len(w.prefix)] != '/')
}

// updateFollowed keeps walker.followed the set of the outside paths that
// are live or dormant.
func (w *walker) updateFollowed(p string) {
	if !w.outside(p) {
		return
	}
	_, live := w.live[p]
	_, dormant := w.dormant[p]
	if was := w.followed[p]; was == (live || dormant) {
		return
	}
	if live || dormant {
		w.followed[p] = true
	} else {
		delete(w.followed, p)
	}
	w.followDirty = true
}

// followSetKey names the set of followed paths for the history cache: zero
// for none, else 8 bytes of the SHA-256 of the sorted paths.
func (w *walker) followSetKey() uint64 {
	if !w.followDirty {
		return w.followKey
	}
	w.followDirty = false
	w.followKey = 0
	if len(w.followed) == 0 {
		return 0
	}
	hs := sha256.New()
	for _, p := range w.sortedFollowed() {
		hs.Write([]byte(p))
		hs.Write([]byte{0})
	}
	w.followKey = binary.BigEndian.Uint64(hs.Sum(nil)) | 1
	return w.followKey
}

func (w *walker) sortedFollowed() []string {
	paths := make([]string, 0, len(w.followed))
	for p := range w.followed {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}

// roots makes sure s.tree and s.parentTree are known, reading the commit
// and its first parent for a step from the cache.
func (w *walker) roots(s *step) error {
	if s.rootsRead {
		return nil
	}
	w.trees.rotate()
	c, err := w.repo.commit(s.c.hash)
	if err != nil {
		return err
	}
	s.tree = c.tree
	if !s.parent.IsZero() {
		pc, err := w.repo.commit(s.parent)
		if err != nil {
			return err
		}
		s.parentTree = pc.tree
	}
	s.rootsRead = true
	return nil
}

// outsideDeletions returns the documents the commit of s deletes outside
// the prefix: files q.Match accepts that are not unpublished.
func (w *walker) outsideDeletions(s *step) ([]fileChange, error) {
	if s.outsideRead {
		return s.outside, nil
	}
	if err := w.roots(s); err != nil {
		return nil, err
	}
	if err := w.trees.deletions(s.tree, s.parentTree, "", w.prefix, w.match, &s.outside); err != nil {
		return nil, err
	}
	s.outsideRead = true
	return s.outside, nil
}

// inwardRenames pairs the documents s adds under the prefix, and that are
// not renamed from within it, with the documents it deletes outside it.
func (w *walker) inwardRenames(s *step) error {
	if w.prefix == "" || s.parent.IsZero() {
		return nil
	}
	paired := make([]bool, len(s.changes.added))
	for _, p := range s.renames {
		paired[p.dst] = true
	}
	var added []fileChange
	var index []int
	for i, a := range s.changes.added {
		if !paired[i] {
			added = append(added, a)
			index = append(index, i)
		}
	}
	deleted, err := w.outsideDeletions(s)
	if err != nil || len(deleted) == 0 {
		return err
	}
	pairs, err := w.repo.detectRenames(deleted, added)
	if err != nil {
		return err
	}
	for _, p := range pairs {
		s.inward = append(s.inward, inwardRename{dst: index[p.dst], from: deleted[p.src], pure: p.pure})
	}
	slices.SortFunc(s.inward, func(a, b inwardRename) int { return a.dst - b.dst })
	return nil
}

// followStep computes what the commit of s does to the followed paths,
// unless the cache has it for the same set of paths.
func (w *walker) followStep(s *step) error {
	key := w.followSetKey()
	s.followKey = key
	if s.cached != nil && s.cached.FollowKey == key {
		s.follow = s.cached.followChanges()
		return nil
	}
	s.follow = nil
	if key == 0 {
		return nil
	}
	if err := w.roots(s); err != nil {
		return err
	}
	var added []fileChange // followed paths the commit adds
	var index []int
	for _, p := range w.sortedFollowed() {
		blob, err := w.trees.blobAt(s.tree, p)
		if err != nil {
			return err
		}
		old := plumbing.ZeroHash
		if !s.parentTree.IsZero() {
			if old, err = w.trees.blobAt(s.parentTree, p); err != nil {
				return err
			}
		}
		if blob == old {
			continue
		}
		if old.IsZero() {
			added = append(added, fileChange{path: p, blob: blob})
			index = append(index, len(s.follow))
		}
		s.follow = append(s.follow, followChange{path: p, blob: blob, old: old})
	}
	if len(added) == 0 || s.parentTree.IsZero() {
		return nil
	}
	// Where the added paths come from: what the commit deletes outside the
	// prefix and no document moved into it took, or under the prefix and
	// no document there took.
	deleted, err := w.outsideDeletions(s)
	if err != nil {
		return err
	}
	taken := map[string]bool{}
	for _, in := range s.inward {
		taken[in.from.path] = true
	}
	var sources []fileChange
	for _, d := range deleted {
		if !taken[d.path] {
			sources = append(sources, d)
		}
	}
	srcPaired := make([]bool, len(s.changes.deleted))
	for _, p := range s.renames {
		srcPaired[p.src] = true
	}
	for i, d := range s.changes.deleted {
		if !srcPaired[i] {
			sources = append(sources, d)
		}
	}
	pairs, err := w.repo.detectRenames(sources, added)
	if err != nil {
		return err
	}
	for _, p := range pairs {
		f := &s.follow[index[p.dst]]
		f.from, f.fromBlob, f.pure = sources[p.src].path, sources[p.src].blob, p.pure
	}
	return nil
}

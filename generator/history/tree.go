package history

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// File modes of tree entries (the type bits).
const (
	modeTypeMask = 0o170000
	modeTree     = 0o040000
	modeRegular  = 0o100000
)

// treeEntry is one entry of a raw tree object. name points into the raw
// object bytes.
type treeEntry struct {
	name []byte
	mode uint32
	hash plumbing.Hash
}

func (e *treeEntry) isTree() bool    { return e.mode&modeTypeMask == modeTree }
func (e *treeEntry) isRegular() bool { return e.mode&modeTypeMask == modeRegular }

// parseTree parses a raw tree object: entries "MODE SP NAME NUL HASH20",
// sorted in git's order. It appends them to entries[:0].
func parseTree(data []byte, entries []treeEntry) ([]treeEntry, error) {
	if n := bytes.Count(data, []byte{0}); cap(entries) < n {
		entries = make([]treeEntry, 0, n)
	}
	entries = entries[:0]
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp <= 0 {
			return nil, errors.New("bad tree entry: no mode")
		}
		var mode uint32
		for _, c := range data[:sp] {
			if c < '0' || c > '7' {
				return nil, fmt.Errorf("bad tree entry mode %q", data[:sp])
			}
			mode = mode<<3 | uint32(c-'0')
		}
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul <= 0 || len(data) < nul+1+20 {
			return nil, errors.New("bad tree entry: truncated")
		}
		e := treeEntry{name: data[:nul:nul], mode: mode}
		copy(e.hash[:], data[nul+1:nul+21])
		entries = append(entries, e)
		data = data[nul+21:]
	}
	return entries, nil
}

// treeReader reads and parses tree objects. It remembers the trees read for
// the current and the previous commit only, which is what walking a chain
// of commits needs: each commit's trees are read again as the next commit's
// parent trees. Memory stays bounded however long the history is.
type treeReader struct {
	repo      *Repository
	cur, prev map[plumbing.Hash][]treeEntry
	// free are entry slices of dropped trees, for the next trees read:
	// a walk reads a few trees per commit, for tens of thousands of
	// commits, and allocating their entries was a tenth of its time.
	free [][]treeEntry
}

func newTreeReader(r *Repository) *treeReader {
	return &treeReader{repo: r, cur: map[plumbing.Hash][]treeEntry{}, prev: map[plumbing.Hash][]treeEntry{}}
}

// rotate starts a new generation: the trees of two commits ago are dropped.
func (tr *treeReader) rotate() {
	for h, e := range tr.prev {
		if _, kept := tr.cur[h]; !kept { // the same slice when it is
			tr.free = append(tr.free, e)
		}
	}
	tr.prev, tr.cur = tr.cur, tr.prev
	clear(tr.cur)
}

// read returns the entries of tree h; the zero hash is the empty tree.
func (tr *treeReader) read(h plumbing.Hash) ([]treeEntry, error) {
	if h.IsZero() {
		return nil, nil
	}
	if e, ok := tr.cur[h]; ok {
		return e, nil
	}
	if e, ok := tr.prev[h]; ok {
		tr.cur[h] = e
		return e, nil
	}
	data, err := tr.repo.raw(plumbing.TreeObject, h)
	if err != nil {
		return nil, err
	}
	var reuse []treeEntry
	if n := len(tr.free); n > 0 {
		reuse, tr.free = tr.free[n-1], tr.free[:n-1]
	}
	e, err := parseTree(data, reuse)
	if err != nil {
		return nil, fmt.Errorf("%s: tree %s: %w", tr.repo.root, h, err)
	}
	tr.cur[h] = e
	return e, nil
}

// subtree returns the hash of the tree at the slash-separated path parts
// below tree root, or the zero hash if there is no such tree.
func (tr *treeReader) subtree(root plumbing.Hash, parts []string) (plumbing.Hash, error) {
	h := root
	for _, part := range parts {
		entries, err := tr.read(h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		next := plumbing.ZeroHash
		for i := range entries {
			if entries[i].isTree() && string(entries[i].name) == part {
				next = entries[i].hash
				break
			}
		}
		if next.IsZero() {
			return plumbing.ZeroHash, nil
		}
		h = next
	}
	return h, nil
}

// fileChange is a document file a commit adds, deletes or modifies.
type fileChange struct {
	path string
	blob plumbing.Hash // the new blob; the old one for a deletion
	old  plumbing.Hash // the old blob of a modification
}

// treeChanges are the document files that differ between two trees.
type treeChanges struct {
	added, deleted, modified []fileChange
}

func (c *treeChanges) empty() bool {
	return len(c.added) == 0 && len(c.deleted) == 0 && len(c.modified) == 0
}

// diff compares tree newer with tree older (either may be the zero hash: the
// empty tree), both at folder dir, and records the regular files for which
// match is true that were added, deleted or changed content. Subtrees with the
// same hash on both sides are skipped without being read, and so are files
// and folders that are never published (unpublishedName). A change of mode
// only is not a change; a file that becomes a symbolic link or a submodule is
// deleted, and the other way round.
func (tr *treeReader) diff(newer, older plumbing.Hash, dir string, match func(string) bool, out *treeChanges) error {
	if newer == older {
		return nil
	}
	a, err := tr.read(newer)
	if err != nil {
		return err
	}
	b, err := tr.read(older)
	if err != nil {
		return err
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var c int
		switch {
		case i == len(a):
			c = 1
		case j == len(b):
			c = -1
		default:
			c = compareEntries(&a[i], &b[j])
		}
		switch {
		case c < 0: // only in newer
			if err := tr.side(&a[i], dir, match, out, true); err != nil {
				return err
			}
			i++
		case c > 0: // only in older
			if err := tr.side(&b[j], dir, match, out, false); err != nil {
				return err
			}
			j++
		default:
			ea, eb := &a[i], &b[j]
			i++
			j++
			if ea.hash == eb.hash && ea.mode&modeTypeMask == eb.mode&modeTypeMask {
				continue
			}
			if unpublishedName(ea.name, ea.isTree()) {
				continue
			}
			if ea.isTree() { // both are trees: same key
				if err := tr.diff(ea.hash, eb.hash, join(dir, ea.name), match, out); err != nil {
					return err
				}
				continue
			}
			switch ra, rb := ea.isRegular(), eb.isRegular(); {
			case ra && rb:
				if p := join(dir, ea.name); match(p) {
					out.modified = append(out.modified, fileChange{path: p, blob: ea.hash, old: eb.hash})
				}
			case ra:
				if err := tr.side(ea, dir, match, out, true); err != nil {
					return err
				}
			case rb:
				if err := tr.side(eb, dir, match, out, false); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// side records an entry present on one side only: added (newer) or deleted.
func (tr *treeReader) side(e *treeEntry, dir string, match func(string) bool, out *treeChanges, newer bool) error {
	if unpublishedName(e.name, e.isTree()) {
		return nil
	}
	switch {
	case e.isTree():
		if newer {
			return tr.diff(e.hash, plumbing.ZeroHash, join(dir, e.name), match, out)
		}
		return tr.diff(plumbing.ZeroHash, e.hash, join(dir, e.name), match, out)
	case e.isRegular():
		p := join(dir, e.name)
		if !match(p) {
			return nil
		}
		if newer {
			out.added = append(out.added, fileChange{path: p, blob: e.hash})
		} else {
			out.deleted = append(out.deleted, fileChange{path: p, blob: e.hash})
		}
	}
	return nil
}

// deletions records the regular files for which match is true that tree
// older has and tree newer lacks (or has as something else than a regular
// file), both at folder dir, except below folder skip: the files a commit
// deletes outside the content folder, among which a document moved into it
// may have come from. Like diff, it reads only the subtrees that differ,
// and never goes into what is never published.
func (tr *treeReader) deletions(newer, older plumbing.Hash, dir, skip string, match func(string) bool, out *[]fileChange) error {
	if newer == older || older.IsZero() {
		return nil
	}
	a, err := tr.read(newer)
	if err != nil {
		return err
	}
	b, err := tr.read(older)
	if err != nil {
		return err
	}
	i := 0
	for j := range b {
		eb := &b[j]
		c := 1
		for i < len(a) {
			if c = compareEntries(&a[i], eb); c >= 0 {
				break
			}
			i++ // only in newer: an addition
		}
		if unpublishedName(eb.name, eb.isTree()) {
			continue
		}
		p := join(dir, eb.name)
		if c == 0 { // same name on both sides
			ea := &a[i]
			i++
			switch {
			case ea.hash == eb.hash && ea.mode&modeTypeMask == eb.mode&modeTypeMask:
			case eb.isTree():
				if p != skip {
					if err := tr.deletions(ea.hash, eb.hash, p, skip, match, out); err != nil {
						return err
					}
				}
			case eb.isRegular() && !ea.isRegular() && match(p):
				*out = append(*out, fileChange{path: p, blob: eb.hash})
			}
			continue
		}
		switch { // only in older
		case eb.isTree():
			if p != skip {
				if err := tr.deletions(plumbing.ZeroHash, eb.hash, p, skip, match, out); err != nil {
					return err
				}
			}
		case eb.isRegular() && match(p):
			*out = append(*out, fileChange{path: p, blob: eb.hash})
		}
	}
	return nil
}

// blobAt returns the blob of the regular file at the slash-separated path
// p below tree root, or the zero hash if there is none.
func (tr *treeReader) blobAt(root plumbing.Hash, p string) (plumbing.Hash, error) {
	dir, name := "", p
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		dir, name = p[:i], p[i+1:]
	}
	h := root
	if dir != "" {
		var err error
		if h, err = tr.subtree(root, strings.Split(dir, "/")); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	if h.IsZero() {
		return plumbing.ZeroHash, nil
	}
	entries, err := tr.read(h)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	for i := range entries {
		if e := &entries[i]; !e.isTree() && string(e.name) == name {
			if e.isRegular() {
				return e.hash, nil
			}
			break
		}
	}
	return plumbing.ZeroHash, nil
}

// unpublishedName reports whether a file or folder name below the content
// folder makes what it names unpublished (see Unpublished): it starts with
// "." or "_", and is not the file "_index.*".
func unpublishedName(name []byte, tree bool) bool {
	if len(name) == 0 || (name[0] != '.' && name[0] != '_') {
		return false
	}
	return tree || !bytes.HasPrefix(name, []byte(indexName))
}

// compareEntries orders entries as git sorts a tree: by name, a tree's
// name compared as if it ended in "/". Equal means same name and both trees
// or both not trees.
func compareEntries(a, b *treeEntry) int {
	n := min(len(a.name), len(b.name))
	if c := bytes.Compare(a.name[:n], b.name[:n]); c != 0 {
		return c
	}
	ca, cb := nameEnd(a, n), nameEnd(b, n)
	switch {
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	}
	return 0
}

// nameEnd is the byte of e's sort key at position n: the name's byte, '/'
// just past the end of a tree's name, or 0 past the end of a file's name.
func nameEnd(e *treeEntry, n int) int {
	switch {
	case n < len(e.name):
		return int(e.name[n])
	case e.isTree():
		return '/'
	}
	return 0
}

func join(dir string, name []byte) string {
	if dir == "" {
		return string(name)
	}
	return dir + "/" + string(name)
}

package history

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// progressEvery is how many commits pass between two Query.Progress calls.
const progressEvery = 500

// Read walks the first-parent history of q.Ref once and returns the versions
// of every document under q.Prefix, followed through renames.
//
// For each commit it compares the tree under q.Prefix with its first
// parent's (a root commit's with the empty tree), reading only the subtrees
// whose hash differs. A document's content changing makes a version; a
// rename with identical content (a pure rename) does not, but is recorded.
// Documents are identified by their path at q.Ref, or their last path if
// deleted; a document deleted and later added again at the same path is the
// same document. Renames are detected among documents first; a document
// that a commit adds under q.Prefix and that is not renamed from within it
// is looked for among the markdown files (q.Match) the commit deletes
// outside q.Prefix, and a document moved in from outside is followed there
// into older commits, like `git log --follow`: its versions from before the
// move are its versions, with their paths outside q.Prefix (follow.go). A
// file moved out of q.Prefix, or to a name q.Match rejects or that is never
// published (see Unpublished), is deleted; one moved from such a name is
// added, without the versions it had there. The order of versions is the
// first-parent order, whatever the commit dates.
//
// Read returns an error wrapping ErrRefNotFound if q.Ref names no commit,
// ErrPartialClone if a needed object is missing from a partial clone,
// ErrLFSPointer if a document at q.Ref is a Git LFS pointer, and ctx.Err()
// if ctx is done.
func (r *Repository) Read(ctx context.Context, q Query) (*History, error) {
	if q.Match == nil {
		q.Match, q.MatchKey = IsMarkdown, "markdown"
	}
	prefix := cleanPrefix(q.Prefix)
	var parts []string
	if prefix != "" {
		parts = strings.Split(prefix, "/")
	}
	head, err := r.resolve(q.Ref)
	if err != nil {
		return nil, err
	}
	warn := q.Warn
	if warn == nil {
		warn = func(error) {}
	}
	r.waitCache() // a second Read in the process reads what the first saved
	if n := r.replaceRefs(); n > 0 {
		warn(fmt.Errorf("%s has replace references (%d under refs/replace/): git log shows the history they rewrite, Clause reads the commits as they are", r.root, n))
	}
	h, err := r.read(ctx, q, head, prefix, parts, r.openCache(q, prefix, warn), warn)
	if errors.Is(err, errCacheCycle) {
		// Start afresh, without what the cache holds.
		warn(fmt.Errorf("%w; it is rebuilt", err))
		h, err = r.read(ctx, q, head, prefix, parts, r.newCache(q, prefix), warn)
	}
	return h, err
}

// errCacheCycle is the error of a history cache whose commits form a cycle,
// which git history cannot.
var errCacheCycle = errors.New("the history cache is damaged")

func (r *Repository) read(ctx context.Context, q Query, head plumbing.Hash, prefix string, parts []string, cache *historyCache, warn func(error)) (*History, error) {
	defer r.objects.cache.limit(walkCacheSize)()
	w := &walker{
		repo:     r,
		trees:    newTreeReader(r),
		match:    q.Match,
		prefix:   prefix,
		parts:    parts,
		live:     map[string]*docState{},
		dormant:  map[string]*docState{},
		followed: map[string]bool{},
		cache:    cache,
		warn:     warn,
		hasher:   r.startHasher(ctx, q.Inspect, cache),
	}
	err := w.walk(ctx, head, q.Progress)
	if herr := w.hasher.wait(); err == nil && herr != nil {
		err = w.blobError(herr)
	}
	if err != nil {
		return nil, err
	}
	if err := w.finish(); err != nil {
		return nil, err
	}
	r.saveCache(cache, warn)
	return w.history(), nil
}

// saveCache writes the history cache in a goroutine of its own: encoding
// and writing it (5 MB at 20,000 commits) is a sixth of what a cold
// `clause log` does after the walk, which the caller's work on the
// history overlaps. The next Read and Close wait for it, and report a
// failure then, through the warn function of the Read that saved it.
func (r *Repository) saveCache(c *historyCache, warn func(error)) {
	r.waitCache()
	if c == nil {
		return
	}
	done := make(chan struct{})
	r.saving, r.saveWarn = done, warn
	go func() {
		defer close(done)
		r.saveErr = c.write()
	}()
}

// waitCache waits until the history cache the last Read saves is written.
func (r *Repository) waitCache() {
	if r.saving == nil {
		return
	}
	<-r.saving
	r.saving = nil
	if r.saveErr != nil {
		r.saveWarn(r.saveErr)
		r.saveErr = nil
	}
}

// cleanPrefix turns "./content/" into "content" and "." or "/" into "".
func cleanPrefix(p string) string {
	p = path.Clean("/" + strings.ReplaceAll(p, "\\", "/"))
	return strings.TrimPrefix(p, "/")
}

// walker holds the state of one Read. It walks from the newest commit to
// the oldest; live maps the paths of the documents in the newer tree of the
// step being processed to their documents.
type walker struct {
	repo   *Repository
	trees  *treeReader
	match  func(string) bool
	prefix string   // the content folder, cleaned; "" for the whole repository
	parts  []string // its segments

	live map[string]*docState
	// dormant maps a path to the document last added there (seen from the
	// newest commit back): an older deletion at that path is the same
	// document's.
	dormant map[string]*docState
	// followed are the paths outside the prefix that are keys of live or
	// dormant: where documents moved into the prefix were before (follow.go).
	followed    map[string]bool
	followKey   uint64 // of followed, see followSetKey; valid unless followDirty
	followDirty bool
	docs        []*docState
	commits     int
	head        Commit
	hasher      *hasher
	cache       *historyCache // nil without one
	warn        func(error)
	last        *commitObject // the last commit read, the next step's
}

// docState is a document being built; versions, renames and paths are
// collected newest first.
type docState struct {
	doc   *Document
	order int
	paths []string // newest first
}

// step is one commit of the first-parent chain, what it changes among the
// documents, and its message parsed on demand.
type step struct {
	c       *commitObject
	parent  plumbing.Hash // the commit the walk goes on with; zero at the end
	changes *treeChanges
	renames []renamePair // among changes.deleted and changes.added
	// inward are the documents moved into the prefix from outside it.
	inward []inwardRename
	// follow is what the commit does to the followed paths (see
	// walker.followed), computed for the set followKey names.
	follow    []followChange
	followKey uint64
	// tree and parentTree are the root trees of the commit and of its first
	// parent (zero for none), when known: for a step read from the cache,
	// they are not.
	tree, parentTree plumbing.Hash
	rootsRead        bool
	// outside are the files the commit deletes outside the prefix, once
	// computed (outsideRead).
	outside     []fileChange
	outsideRead bool
	cached      *cachedStep // the cache entry the step was read from; nil if none
	commit      *Commit
	msg         message
}

func (s *step) meta() *Commit {
	if s.commit == nil {
		s.msg = parseMessage(s.c.message, len(s.c.parents) > 1)
		s.commit = &Commit{Hash: s.c.hash.String(), Date: s.c.date, Subject: s.msg.subject, RawSubject: s.msg.rawSubject}
	}
	return s.commit
}

func (w *walker) walk(ctx context.Context, head plumbing.Hash, progress func(int)) error {
	// Git history has no cycles, but a damaged cache could make one.
	var seen map[plumbing.Hash]bool
	if w.cache != nil {
		seen = map[plumbing.Hash]bool{}
	}
	for h := head; !h.IsZero(); {
		if err := ctx.Err(); err != nil {
			return err
		}
		if seen != nil {
			if seen[h] {
				return fmt.Errorf("%w: commit %s is its own ancestor in %s", errCacheCycle, h, w.cache.path)
			}
			seen[h] = true
		}
		w.commits++
		if progress != nil && w.commits%progressEvery == 0 {
			progress(w.commits)
		}
		s := w.cachedStep(h)
		if s == nil {
			var err error
			if s, err = w.readStep(h); err != nil {
				return err
			}
		}
		if err := w.followStep(s); err != nil {
			return err
		}
		if w.cache != nil && (s.cached == nil || s.cached.FollowKey != s.followKey) {
			w.cache.addStep(h, newCachedStep(s))
		}
		if h == head {
			w.head = *s.meta()
		}
		if !s.changes.empty() || len(s.follow) > 0 {
			w.apply(s)
		}
		h = s.parent
	}
	if progress != nil {
		progress(w.commits)
	}
	return nil
}

// cachedStep returns the step of commit h from the history cache, or nil.
// The entry is trusted only if commit h is in the repository with the
// parents, date and message the entry records (one object read); one that
// is not is dropped with a warning, and the commit read from git. What the
// entry says the commit changes is not checked (that is the tree diff the
// cache saves): a blob it names that is not in the repository fails the
// build when the version is read.
func (w *walker) cachedStep(h plumbing.Hash) *step {
	cs, ok := w.cache.step(h)
	if !ok {
		return nil
	}
	c, err := w.repo.commit(h)
	what := ""
	switch {
	case err != nil:
		what = "no commit in the repository to match (" + err.Error() + ")"
	case cs.mismatch(c) != "":
		what = cs.mismatch(c) + " than the repository's commit"
	}
	if what != "" {
		w.warn(fmt.Errorf("history cache %s: the entry of commit %s has %s: it is dropped and the commit read from git", w.cache.path, h, what))
		w.cache.drop(h)
		return nil
	}
	w.cache.use(h, cs)
	s := &step{c: c, cached: cs}
	s.changes, s.renames, s.inward = cs.changes()
	if len(s.c.parents) > 0 {
		s.parent = s.c.parents[0]
	}
	return s
}

// readStep reads commit h and its first parent and compares their trees
// under the prefix. When the commit adds documents that are not renamed
// from within the prefix, it looks for where they come from among the
// files the commit deletes outside it.
func (w *walker) readStep(h plumbing.Hash) (*step, error) {
	c := w.last
	if c == nil || c.hash != h {
		var err error
		if c, err = w.repo.commit(h); err != nil {
			return nil, err
		}
	}
	w.trees.rotate()
	tree, err := w.trees.subtree(c.tree, w.parts)
	if err != nil {
		return nil, err
	}
	s := &step{c: c, changes: &treeChanges{}, tree: c.tree, rootsRead: true}
	parentTree := plumbing.ZeroHash
	w.last = nil
	if len(c.parents) > 0 && !w.repo.shallow[h] {
		s.parent = c.parents[0]
		pc, err := w.repo.commit(s.parent)
		if err != nil {
			return nil, err
		}
		w.last = pc
		s.parentTree = pc.tree
		if parentTree, err = w.trees.subtree(pc.tree, w.parts); err != nil {
			return nil, err
		}
	}
	if tree != parentTree {
		if err := w.trees.diff(tree, parentTree, w.prefix, w.match, s.changes); err != nil {
			return nil, err
		}
		if s.renames, err = w.repo.detectRenames(s.changes.deleted, s.changes.added); err != nil {
			return nil, err
		}
		if len(s.changes.added) > len(s.renames) {
			if err := w.inwardRenames(s); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// apply records the changes one commit makes to the documents.
func (w *walker) apply(s *step) {
	ch := s.changes
	for _, m := range ch.modified {
		w.addVersion(w.docAt(m.path), s, m.path, m.blob)
	}
	srcPaired := make([]bool, len(ch.deleted))
	dstPaired := make([]bool, len(ch.added))
	var moves []move
	for _, p := range s.renames {
		srcPaired[p.src], dstPaired[p.dst] = true, true
		dst := ch.added[p.dst]
		moves = append(moves, move{from: ch.deleted[p.src].path, to: dst.path, blob: dst.blob, pure: p.pure})
	}
	for _, in := range s.inward {
		dstPaired[in.dst] = true
		dst := ch.added[in.dst]
		moves = append(moves, move{from: in.from.path, to: dst.path, blob: dst.blob, pure: in.pure})
	}
	// What the commit does to the followed paths outside the prefix.
	var created []followChange
	var restored []string
	for _, f := range s.follow {
		switch {
		case f.from != "":
			moves = append(moves, move{from: f.from, to: f.path, blob: f.blob, pure: f.pure})
			if !w.outside(f.from) { // moved out of the prefix, then back in
				for i, d := range ch.deleted {
					if d.path == f.from && !srcPaired[i] {
						srcPaired[i] = true
						break
					}
				}
			}
		case f.blob.IsZero():
			restored = append(restored, f.path)
		case f.old.IsZero():
			created = append(created, f)
		default:
			if ds := w.live[f.path]; ds != nil {
				w.addVersion(ds, s, f.path, f.blob)
			}
		}
	}
	renamed := make([]*docState, len(moves))
	for k, m := range moves {
		ds := w.docAt(m.to)
		renamed[k] = ds
		if !m.pure {
			w.addVersion(ds, s, m.to, m.blob)
		}
		ds.doc.Renames = append(ds.doc.Renames, Rename{From: m.from, To: m.to, Commit: *s.meta(), Pure: m.pure})
	}
	// Two phases, so that a path both renamed to and from in one commit
	// keeps the right document.
	for _, m := range moves {
		delete(w.live, m.to)
	}
	for k, m := range moves {
		delete(w.dormant, m.from)
		w.live[m.from] = renamed[k]
		renamed[k].paths = append(renamed[k].paths, m.from)
	}
	for i, a := range ch.added {
		if dstPaired[i] {
			continue
		}
		ds := w.docAt(a.path)
		w.addVersion(ds, s, a.path, a.blob)
		delete(w.live, a.path)
		w.dormant[a.path] = ds
	}
	for _, f := range created {
		if ds := w.live[f.path]; ds != nil {
			w.addVersion(ds, s, f.path, f.blob)
			delete(w.live, f.path)
			w.dormant[f.path] = ds
		}
	}
	for i, d := range ch.deleted {
		if srcPaired[i] {
			continue
		}
		if ds, ok := w.dormant[d.path]; ok {
			// Deleted here, added again later: the same document.
			delete(w.dormant, d.path)
			w.live[d.path] = ds
			continue
		}
		ds := w.newDoc(d.path)
		ds.doc.Deleted = true
		ds.doc.DeletedAt = s.meta()
		w.live[d.path] = ds
	}
	for _, p := range restored {
		if ds, ok := w.dormant[p]; ok {
			delete(w.dormant, p)
			w.live[p] = ds
		}
	}
	if len(moves) > len(s.renames) || len(created) > 0 || len(restored) > 0 {
		for _, m := range moves {
			w.updateFollowed(m.from)
			w.updateFollowed(m.to)
		}
		for _, f := range created {
			w.updateFollowed(f.path)
		}
		for _, p := range restored {
			w.updateFollowed(p)
		}
	}
}

// move is a rename of a document in one commit: to is its path in the
// commit, with blob, from its path in the first parent.
type move struct {
	from, to string
	blob     plumbing.Hash
	pure     bool
}

// docAt returns the document at path in the newer tree of the current step.
// A path not seen yet is unchanged up to Ref: the document exists there.
func (w *walker) docAt(p string) *docState {
	if ds, ok := w.live[p]; ok {
		return ds
	}
	ds := w.newDoc(p)
	w.live[p] = ds
	return ds
}

func (w *walker) newDoc(p string) *docState {
	ds := &docState{doc: &Document{Path: p}, order: len(w.docs), paths: []string{p}}
	w.docs = append(w.docs, ds)
	return ds
}

// addVersion records a version; its SHA-256 and size are filled in by
// finish, from the hasher.
func (w *walker) addVersion(ds *docState, s *step, p string, blob plumbing.Hash) {
	// The newest text of a deleted document: the portal reads it next
	// (its retired page).
	w.hasher.add(blob, ds.doc.Deleted && len(ds.doc.Versions) == 0)
	meta := s.meta()
	ds.doc.Versions = append(ds.doc.Versions, Version{
		Commit:     meta.Hash,
		Date:       meta.Date,
		Subject:    meta.Subject,
		RawSubject: meta.RawSubject,
		Body:       s.msg.body,
		Trailers:   s.msg.trailers,
		Material:   s.msg.material(),
		Merge:      len(s.c.parents) > 1,
		Path:       p,
		Blob:       blob.String(),
	})
}

// blobError names the document version whose blob the hasher failed on.
func (w *walker) blobError(err error) error {
	failed := w.hasher.failed.String()
	for _, ds := range w.docs {
		for _, v := range ds.doc.Versions {
			if v.Blob == failed {
				return fmt.Errorf("%s at commit %s: %w", v.Path, v.Commit, err)
			}
		}
	}
	return err
}

// finish fills in the SHA-256 and size of every version and checks that no
// document at Ref is a Git LFS pointer.
func (w *walker) finish() error {
	for _, ds := range w.docs {
		d := ds.doc
		for i := range d.Versions {
			v := &d.Versions[i]
			h, _ := parseHash(v.Blob)
			sum, ok := w.repo.sums[h]
			if !ok {
				return fmt.Errorf("%s at commit %s: blob %s was not hashed", v.Path, v.Commit, v.Blob)
			}
			v.SHA256, v.Size, v.Info = sum.sha256, sum.size, sum.info
		}
		if d.Deleted || len(d.Versions) == 0 || d.Versions[0].Size >= 1024 {
			continue
		}
		// The newest version of an existing document is its text at Ref.
		data, err := w.repo.Blob(d.Versions[0].Blob)
		if err != nil {
			return fmt.Errorf("%s at commit %s: %w", d.Path, w.head.Hash, err)
		}
		if IsLFSPointer(data) {
			return fmt.Errorf("%s at commit %s: %w", d.Path, w.head.Hash, ErrLFSPointer)
		}
	}
	return nil
}

// history finishes the documents: version IDs, paths oldest first, order.
func (w *walker) history() *History {
	h := &History{Head: w.head, Commits: w.commits}
	for _, ds := range w.docs {
		d := ds.doc
		if len(d.Versions) == 0 {
			continue // deleted before the start of a shallow history
		}
		seen := map[string]int{}
		for i := len(d.Versions) - 1; i >= 0; i-- {
			v := &d.Versions[i]
			id := v.SHA256[:12]
			seen[id]++
			if n := seen[id]; n > 1 {
				id += "-" + strconv.Itoa(n)
			}
			v.ID = id
		}
		// Paths oldest first, each once at its latest position.
		var paths []string
		for _, p := range ds.paths {
			if !slices.Contains(paths, p) {
				paths = append(paths, p)
			}
		}
		slices.Reverse(paths)
		d.Paths = paths
		h.Documents = append(h.Documents, d)
	}
	order := make(map[*Document]int, len(w.docs))
	for _, ds := range w.docs {
		order[ds.doc] = ds.order
	}
	slices.SortStableFunc(h.Documents, func(a, b *Document) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if a.Deleted != b.Deleted {
			if a.Deleted {
				return 1
			}
			return -1
		}
		return order[a] - order[b]
	})
	return h
}

// Package history reads the version history of the documents of a Clause
// portal from git.
//
// A document is a markdown file under the content folder. Its versions are the
// commits on the first-parent history of the published branch in which its
// content differs from the previous first-parent commit, following renames
// (like `git log --first-parent --follow`); a pure rename is not a version.
// A document moved into the content folder from elsewhere in the repository
// is followed there too: its versions from before the move are its
// versions, each with the path it had (Version.Path, Document.Paths).
//
// Files that are never published are never documents, whatever Query.Match
// says: hidden files and drafts, whose path below the content folder has a
// segment starting with "." or "_" (see Unpublished; for a file outside the
// content folder that a document may come from, any segment of its
// repository path). They make no document,
// current or deleted, and no version; a draft renamed to a published name
// starts a new document (the draft's earlier texts are not its versions),
// and a document renamed to an unpublished name is deleted. This is a
// confidentiality rule, built in so that no caller can forget it.
//
// The package reads the repository with go-git only (no git binary is needed)
// and walks the first-parent chain once for all documents: for each commit it
// compares the raw tree objects with those of its first parent, descending only
// into subtrees whose hash differs, and detects renames itself among the
// documents a commit adds and deletes; it looks outside the content folder
// only for commits that add documents, and along the paths of documents
// moved in from there (follow.go). See DESIGN.md, "Version" and the
// performance non-negotiables. Pack objects are inflated (inflate.go) and
// their deltas applied by the package, with pack files memory-mapped
// (store.go, packfs.go); every version's text is
// read on a second goroutine for its SHA-256 and handed to a third for
// Query.Inspect (sum.go).
// With Query.Cache, what a Read computed is kept on disk and the next Read
// reads only the commits that are new (cache.go).
//
// Typical use:
//
//	repo, err := history.Open(".")
//	if err != nil { ... }
//	defer repo.Close()
//	h, err := repo.Read(ctx, history.Query{Prefix: "content", Cache: repo.CacheDir()})
package history

import (
	"errors"
	"strings"
	"time"
)

// ErrNotRepository is returned by Open when the folder is not inside a git
// repository.
var ErrNotRepository = errors.New("not a git repository (or any parent folder): Clause reads document versions from git history; run `git init` and commit the documents, or pass the repository folder")

// ErrShallow is returned by Open for a shallow clone unless AllowShallow is
// given: the history of a shallow clone is truncated, so version lists and
// "last updated" dates would be wrong.
var ErrShallow = errors.New("shallow clone: the git history is truncated, so document versions and dates would be wrong; " +
	"run `git fetch --unshallow`, or clone in full on the CI host (GitHub Actions: actions/checkout with `fetch-depth: 0`; " +
	"GitLab CI: GIT_DEPTH: 0; Cloudflare Pages / Vercel: fetch the full history in the build command)")

// ErrPartialClone is returned when an object needed to read the history (an
// old document version, typically) is missing from a partial (blobless)
// clone, one whose configuration names a promisor remote.
var ErrPartialClone = errors.New("partial (blobless) clone: objects of old document versions are missing; " +
	"fetch them with `git config --unset remote.origin.partialclonefilter && git fetch --refetch origin` (git 2.36+), " +
	"or make a full clone without --filter (GitHub Actions: actions/checkout without `filter:`, with `fetch-depth: 0`)")

// ErrObjectFormat is returned by Open for a repository whose objects are not
// named by SHA-1 (git init --object-format=sha256): go-git v5, which Clause
// reads history with, cannot read them.
var ErrObjectFormat = errors.New("go-git v5, which Clause reads history with, reads only repositories with SHA-1 object names (git's default); " +
	"publish from a SHA-1 repository (`git fast-export --all | git fast-import` into a new `git init --object-format=sha1` one converts it, with new commit hashes)")

// ErrRefFormat is returned by Open for a repository whose references are
// not stored as files (git init --ref-format=reftable): go-git v5 cannot
// read them.
var ErrRefFormat = errors.New("go-git v5, which Clause reads history with, reads only references stored as files (git's default); " +
	"convert them with `git refs migrate --ref-format=files` (git 2.46+)")

// ErrEmptyRepository is returned by Open when the repository has no commits.
var ErrEmptyRepository = errors.New("the git repository has no commits yet: commit the documents first")

// ErrRefNotFound is returned by Read when Query.Ref does not name a commit.
var ErrRefNotFound = errors.New("git reference not found")

// ErrLFSPointer is returned by Read when a document at the published commit is
// a Git LFS pointer file instead of markdown.
var ErrLFSPointer = errors.New("the file is a Git LFS pointer, not the document text: " +
	"install git-lfs and run `git lfs pull` before building, or do not track markdown files with LFS (.gitattributes)")

// History is the version history of all the documents under a folder of a
// repository, as seen from one commit (Query.Ref).
type History struct {
	// Head is the commit Query.Ref resolved to: the published state.
	Head Commit
	// Documents are all the documents that exist at Head or existed on its
	// first-parent history, sorted by Path; among documents with the same
	// Path (possible only when at most one of them exists at Head) the
	// existing one comes first, then the most recently deleted.
	Documents []*Document
	// Commits is the number of first-parent commits walked.
	Commits int
}

// Document is one markdown file followed through its renames.
type Document struct {
	// Path is the document's identity: its repository-relative,
	// slash-separated path at Head or, for a deleted document, the path it
	// had when it was deleted.
	Path string
	// Deleted reports that the document does not exist at Head (a retired
	// document).
	Deleted bool
	// DeletedAt is the commit that deleted the document, for a deleted
	// document; nil otherwise.
	DeletedAt *Commit
	// Paths are all the paths the document has had, oldest first, each once;
	// the last one is Path. Old paths are what old URLs redirect from. Paths
	// outside Query.Prefix are those of a document moved into it.
	Paths []string
	// Renames are the document's renames, newest first.
	Renames []Rename
	// Versions are the document's versions, newest first. Versions[0] is the
	// text at Head unless the document is deleted.
	Versions []Version
}

// Rename is a change of a document's path in a commit.
type Rename struct {
	// From and To are the old and new path.
	From, To string
	// Commit is the first-parent commit that renamed the document.
	Commit Commit
	// Pure reports that the content did not change (no new version).
	Pure bool
}

// Version is the content of a document as introduced by one commit of the
// first-parent history.
type Version struct {
	// ID is a content-based identifier, stable across rebases and force
	// pushes: the first 12 hex characters of SHA256, followed by "-2", "-3"...
	// when the same content occurred earlier in the document's history (a
	// revert, for example).
	ID string
	// Commit is the 40-hex hash of the first-parent commit.
	Commit string
	// Date is the committer date of that commit, with its original offset:
	// the publication date.
	Date time.Time
	// Subject is the change summary: the commit subject or, for a merge
	// commit, the merged pull (merge) request's title. Like RawSubject and
	// Body, it is cut at MaxSubject (MaxBody) bytes with a note saying so.
	Subject string
	// RawSubject is the subject line of the commit message as written.
	RawSubject string
	// Body is the rest of the message: without the subject, the pull request
	// title of a merge commit and the trailer block.
	Body string
	// Trailers is the git trailer block at the end of the message, with
	// canonical keys ("Change-Type"); nil when there is none. The versions a
	// commit makes share the map: treat it as read-only.
	Trailers map[string][]string
	// Material reports that readers are to be notified: false only when the
	// message has a "Change-Type: minor" trailer (case-insensitive).
	Material bool
	// Merge reports that the commit is a merge commit.
	Merge bool
	// Path is the document's path at this version: outside Query.Prefix
	// for a version from before the document was moved into it.
	Path string
	// Blob is the 40-hex git blob hash of the content.
	Blob string
	// SHA256 is the hex SHA-256 of the content bytes.
	SHA256 string
	// Size is the content size in bytes.
	Size int64
	// Info is what Query.Inspect returned for the content; empty without
	// it.
	Info string
}

// Change types a commit message may state with a Change-Type trailer.
const (
	ChangeTypeMaterial = "material"
	ChangeTypeMinor    = "minor"
)

// ChangeType is what the commit message says of the change:
// ChangeTypeMaterial when a Change-Type trailer says "material" (any case;
// it wins over "minor"), ChangeTypeMinor when every Change-Type trailer
// says "minor", and "" when the message does not say (no trailer, or only
// other values). Material is true unless ChangeType is ChangeTypeMinor:
// ChangeType tells a version explicitly marked material from one that is
// material by default.
func (v *Version) ChangeType() string {
	vals := v.Trailers["Change-Type"]
	minor := len(vals) > 0
	for _, val := range vals {
		switch {
		case strings.EqualFold(strings.TrimSpace(val), ChangeTypeMaterial):
			return ChangeTypeMaterial
		case !strings.EqualFold(strings.TrimSpace(val), ChangeTypeMinor):
			minor = false
		}
	}
	if minor {
		return ChangeTypeMinor
	}
	return ""
}

// Commit identifies a commit of the first-parent history.
type Commit struct {
	// Hash is the 40-hex commit hash.
	Hash string
	// Date is the committer date with its original offset.
	Date time.Time
	// Subject is the change summary (a merge commit's pull request title, see
	// Version.Subject).
	Subject string
	// RawSubject is the subject line of the commit message as written.
	RawSubject string
}

// Query selects what Read reads.
type Query struct {
	// Ref is the published commit: a reference name ("HEAD", "main",
	// "refs/heads/main", "origin/main", a tag) or a 40-hex commit hash.
	// Empty means "HEAD".
	Ref string
	// Prefix is the repository-relative, slash-separated folder holding the
	// documents, e.g. "content"; empty means the whole repository.
	Prefix string
	// Match reports whether the file at a repository-relative path is a
	// document; nil means files ending in .md or .markdown. Whatever it
	// says, unpublished files (see Unpublished) are never documents. It
	// also selects the files outside Prefix a document may have been moved
	// into it from.
	Match func(path string) bool
	// Progress, when set, is called about every 500 commits with the number
	// of commits walked so far, and once at the end.
	Progress func(done int)
	// Inspect, when set, is called once with the content of each distinct
	// blob that is a version of a document; its result is Version.Info. It
	// runs on a goroutine of Read's while the walk goes on (never two calls
	// at once), so a caller that needs something of every version's text
	// (its front matter, say) does not read every blob a second time.
	Inspect func(content []byte) string
	// InspectKey names what Inspect computes, for the history cache: Inspect
	// results are cached only with an InspectKey, and only under the same
	// one. Change it whenever what Inspect returns for a content changes.
	InspectKey string
	// Cache is the folder of the history cache (see Repository.CacheDir),
	// which makes reading the same history again cheap; empty disables it.
	// The walk is cached only with the default Match, or with a MatchKey.
	Cache string
	// MatchKey names Match for the history cache. Change it whenever Match
	// changes which paths it accepts.
	MatchKey string
	// Warn, when set, is told of problems that do not fail Read, such as a
	// history cache that cannot be written.
	Warn func(error)
}

// indexName starts the name of a folder's own page ("_index.md", as in
// Hugo), the one file starting with "_" that is published.
const indexName = "_index."

// Unpublished reports whether the file at path rel, slash-separated and
// relative to the content folder, is one Clause never publishes: a hidden
// file or a draft, that is, one of the path's segments starts with "." or
// "_" (".hidden.md", "_draft.md", "_internal/notes.md", ".github/x.md"),
// except a last segment "_index.*", a folder's own page. Read never makes
// documents or versions of such files, whatever Query.Match says.
func Unpublished(rel string) bool {
	for {
		seg, rest, more := strings.Cut(rel, "/")
		if unpublishedName([]byte(seg), more) {
			return true
		}
		if !more {
			return false
		}
		rel = rest
	}
}

// IsMarkdown reports whether path ends in .md or .markdown (any case): the
// default Query.Match.
func IsMarkdown(path string) bool {
	n := len(path)
	switch {
	case n >= 3 && equalFoldASCII(path[n-3:], ".md"):
		return true
	case n >= 9 && equalFoldASCII(path[n-9:], ".markdown"):
		return true
	}
	return false
}

func equalFoldASCII(s, lower string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

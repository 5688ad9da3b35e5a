package history

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/go-git/go-git/v5/plumbing"
)

// blobSum is what Read needs of a blob: its SHA-256 and size, and what
// Query.Inspect said of it.
type blobSum struct {
	sha256    string
	size      int64
	info      string
	inspected bool
}

// hasherCacheSize bounds the object cache of the hasher's storage. Versions
// of a document are read newest first, so the delta bases a blob needs were
// read just before: a small cache is enough.
var hasherCacheSize = 32 << 20 // a variable for tests

// hasher computes the SHA-256 of version blobs in a goroutine of its own,
// while the walk goes on, and inspects them (Query.Inspect) in another:
// reading, hashing and inspecting every version's content is more than
// half of the work of Read. It reads through a second storage over the
// same git folder, since a go-git storage is not safe for concurrent use.
// Each blob is read once; no content is kept but in the object cache and,
// for at most inspectQueue blobs, on its way to Inspect.
type hasher struct {
	repo    *Repository
	objects *objectStore
	queue   chan blobJob
	done    chan struct{}
	inspect func([]byte) string
	asked   map[plumbing.Hash]bool // walker side: blobs already queued
	cache   *historyCache          // walker side; nil without one

	// Written by the goroutines, read after done is closed: sums by the
	// inspecting one (the reading one without an Inspect function), err
	// and failed by the reading one.
	sums   map[plumbing.Hash]blobSum
	err    error
	failed plumbing.Hash // the blob err is about
	// kept are the texts of the blobs queued with keep, up to keepBytes
	// in all (reading goroutine).
	kept     map[plumbing.Hash][]byte
	keptSize int
}

// blobJob is a blob for the hasher to read; keep asks it to keep the text
// for Repository.Blob.
type blobJob struct {
	hash plumbing.Hash
	keep bool
}

// keepBytes bounds the texts a Read keeps for Repository.Blob: the newest
// texts of deleted documents, which the portal reads right after (480 of
// them, 4 MB, in a 20,000-commit generated repository: reading them again
// was a twentieth of a cold `clause log`).
const keepBytes = 16 << 20

// readBlob is a blob the reading goroutine read and hashed, on its way to
// the inspecting one. data is shared with the object cache: read only.
type readBlob struct {
	hash plumbing.Hash
	sum  blobSum
	data []byte
}

// inspectQueue is how many read blobs may wait for Inspect: enough to
// even out the two goroutines' pace, little memory.
const inspectQueue = 64

func (r *Repository) startHasher(ctx context.Context, inspect func([]byte) string, cache *historyCache) *hasher {
	h := &hasher{
		inspect: inspect,
		cache:   cache,
		repo:    r,
		objects: newObjectStore(r, r.st.Filesystem(), hasherCacheSize),
		queue:   make(chan blobJob, 1024),
		done:    make(chan struct{}),
		asked:   map[plumbing.Hash]bool{},
		sums:    map[plumbing.Hash]blobSum{},
		kept:    map[plumbing.Hash][]byte{},
	}
	go h.run(ctx)
	return h
}

// add queues blob b for hashing unless its sum is known (from an earlier
// Read or the history cache) or queued. With keep, the hasher keeps the
// text it reads for Repository.Blob (see keepBytes).
func (h *hasher) add(b plumbing.Hash, keep bool) {
	if h.asked[b] {
		return
	}
	h.asked[b] = true
	complete := func(s blobSum) bool { return s.inspected || h.inspect == nil }
	if s, ok := h.cache.blob(b); ok && complete(s) {
		h.repo.sums[b] = s
		return
	}
	if s, ok := h.repo.sums[b]; ok && complete(s) {
		h.cache.addBlob(b, s)
		return
	}
	h.queue <- blobJob{hash: b, keep: keep}
}

func (h *hasher) run(ctx context.Context) {
	defer close(h.done)
	// Without an Inspect function, one goroutine reads and hashes. With
	// one, a second goroutine inspects what the first read and hashed,
	// so that the walk, the reading and the inspecting run on as many
	// cores (each blob is inspected once, by one goroutine: Inspect
	// needs not be safe for concurrent use).
	var read chan readBlob
	inspected := make(chan struct{})
	if h.inspect == nil {
		close(inspected)
	} else {
		read = make(chan readBlob, inspectQueue)
		go func() {
			defer close(inspected)
			for r := range read {
				r.sum.info, r.sum.inspected = h.inspect(r.data), true
				h.sums[r.hash] = r.sum
			}
		}()
	}
	for job := range h.queue {
		b := job.hash
		if h.err != nil {
			continue // drain, so that the walker never blocks
		}
		if err := ctx.Err(); err != nil {
			h.err = err
			continue
		}
		s, data, err := h.sum(b)
		if err != nil {
			h.err, h.failed = err, b
			continue
		}
		if job.keep && h.keptSize+len(data) <= keepBytes {
			h.kept[b] = data // shared with the storage's cache, which nothing writes to
			h.keptSize += len(data)
		}
		if read != nil {
			read <- readBlob{hash: b, sum: s, data: data}
		} else {
			h.sums[b] = s
		}
	}
	if read != nil {
		close(read)
	}
	<-inspected
}

// wait stops the hasher, closes its storage and adds the sums to the
// repository's.
func (h *hasher) wait() error {
	close(h.queue)
	<-h.done
	if err := h.objects.Close(); err != nil && h.err == nil {
		h.err = err
	}
	for b, s := range h.sums {
		h.repo.sums[b] = s
		h.cache.addBlob(b, s)
	}
	h.repo.kept = h.kept
	return h.err
}

// sum reads and hashes a blob; it returns the blob's content too, shared
// with the object cache.
func (h *hasher) sum(b plumbing.Hash) (blobSum, []byte, error) {
	_, data, err := h.objects.read(plumbing.BlobObject, b)
	if err != nil {
		return blobSum{}, nil, err
	}
	sum := sha256.Sum256(data)
	return blobSum{sha256: hex.EncodeToString(sum[:]), size: int64(len(data))}, data, nil
}

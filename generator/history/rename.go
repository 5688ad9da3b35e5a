package history

import (
	"bytes"
	"path"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
)

// Rename detection, after git's diffcore-rename: among the documents a
// commit deletes (sources) and adds (destinations), pair identical blobs
// first, then pair what is left by content similarity, best score first,
// each file at most once. Only the documents are compared, never the whole
// tree: a commit changes a handful of them, so this costs next to nothing.

// minSimilarity is git's default rename threshold (-M50%), in percent.
const minSimilarity = 50

// renameLimit bounds the similarity matrix like git's diff.renameLimit:
// with more sources × destinations than renameLimit², only identical
// content is paired.
const renameLimit = 1000

// renamePair pairs deleted[src] with added[dst].
type renamePair struct {
	src, dst int
	pure     bool // identical content
}

// detectRenames pairs deleted and added documents of one commit.
func (r *Repository) detectRenames(deleted, added []fileChange) ([]renamePair, error) {
	if len(deleted) == 0 || len(added) == 0 {
		return nil, nil
	}
	var pairs []renamePair
	srcUsed := make([]bool, len(deleted))
	dstUsed := make([]bool, len(added))

	// Identical content: for each source, the destination with the same
	// blob, preferring one with the same file name.
	byBlob := make(map[plumbing.Hash][]int, len(added))
	for i, a := range added {
		byBlob[a.blob] = append(byBlob[a.blob], i)
	}
	for s, d := range deleted {
		best := -1
		for _, i := range byBlob[d.blob] {
			if dstUsed[i] {
				continue
			}
			if best < 0 || (!sameBase(d.path, added[best].path) && sameBase(d.path, added[i].path)) {
				best = i
			}
		}
		if best >= 0 {
			srcUsed[s], dstUsed[best] = true, true
			pairs = append(pairs, renamePair{src: s, dst: best, pure: true})
		}
	}

	// Similar content for the rest.
	var srcs, dsts []int
	for i := range deleted {
		if !srcUsed[i] {
			srcs = append(srcs, i)
		}
	}
	for i := range added {
		if !dstUsed[i] {
			dsts = append(dsts, i)
		}
	}
	if len(srcs) == 0 || len(dsts) == 0 || len(srcs)*len(dsts) > renameLimit*renameLimit {
		return pairs, nil
	}
	srcSig := make([]*signature, len(srcs))
	for k, i := range srcs {
		sig, err := r.signature(deleted[i].blob)
		if err != nil {
			return nil, err
		}
		srcSig[k] = sig
	}
	type candidate struct {
		src, dst int
		score    float64
		sameBase bool
	}
	var cands []candidate
	for _, di := range dsts {
		dsig, err := r.signature(added[di].blob)
		if err != nil {
			return nil, err
		}
		for k, si := range srcs {
			if score := similarity(srcSig[k], dsig); score >= minSimilarity {
				cands = append(cands, candidate{si, di, score, sameBase(deleted[si].path, added[di].path)})
			}
		}
	}
	sort.SliceStable(cands, func(a, b int) bool {
		ca, cb := cands[a], cands[b]
		if ca.score != cb.score {
			return ca.score > cb.score
		}
		return ca.sameBase && !cb.sameBase
	})
	for _, c := range cands {
		if srcUsed[c.src] || dstUsed[c.dst] {
			continue
		}
		srcUsed[c.src], dstUsed[c.dst] = true, true
		pairs = append(pairs, renamePair{src: c.src, dst: c.dst})
	}
	return pairs, nil
}

func sameBase(a, b string) bool { return path.Base(a) == path.Base(b) }

// signature summarises content for similarity: the number of bytes in each
// chunk, keyed by the chunk's hash. Like git's diffcore-delta, a chunk ends
// at a newline or after 64 bytes, and the CR of a CRLF is ignored in text.
type signature struct {
	size   int64
	chunks map[uint64]int64
}

func (r *Repository) signature(h plumbing.Hash) (*signature, error) {
	data, err := r.raw(plumbing.BlobObject, h)
	if err != nil {
		return nil, err
	}
	return newSignature(data), nil
}

func newSignature(data []byte) *signature {
	const (
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	sig := &signature{size: int64(len(data)), chunks: make(map[uint64]int64, bytes.Count(data, []byte{'\n'})+1)}
	text := bytes.IndexByte(data[:min(len(data), 8000)], 0) < 0
	h, n := uint64(offset64), int64(0)
	for i, c := range data {
		if text && c == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			continue
		}
		h = (h ^ uint64(c)) * prime64
		n++
		if n < 64 && c != '\n' {
			continue
		}
		sig.chunks[h] += n
		h, n = offset64, 0
	}
	if n > 0 {
		sig.chunks[h] += n
	}
	return sig
}

// similarity estimates, in percent, how much of dst is copied from src: the
// bytes of the chunks they share (as many as the smaller count of each),
// divided by the larger size. Sizes too far apart to reach minSimilarity
// are not compared.
func similarity(src, dst *signature) float64 {
	maxSize, minSize := max(src.size, dst.size), min(src.size, dst.size)
	if maxSize == 0 {
		return 0
	}
	if (maxSize-minSize)*100 > maxSize*(100-minSimilarity) {
		return 0
	}
	small, large := src.chunks, dst.chunks
	if len(small) > len(large) {
		small, large = large, small
	}
	var copied int64
	for h, n := range small {
		if m, ok := large[h]; ok {
			copied += min(n, m)
		}
	}
	return float64(copied) * 100 / float64(maxSize)
}

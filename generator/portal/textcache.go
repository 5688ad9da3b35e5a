package portal

import (
	"container/list"
	"sync"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/markdown"
)

// textCacheBytes is the budget of each cache of what a build computes from
// the texts of versions: a few large documents, so that memory stays
// bounded by the largest documents, not by versions × documents (see
// history's objectCacheSize for what 48 MiB cost).
const textCacheBytes = 24 << 20

// textCache keeps values computed from the text of versions (the parsed
// document, its blocks), least recently used out first, within a budget of
// bytes. A build reads the same version for its page, its redlines, its
// notices and its register: each is parsed once while it is in the cache.
// It is safe for concurrent use.
type textCache[V any] struct {
	mu    sync.Mutex
	max   int // budget in bytes
	size  int
	order *list.List // of *textEntry[V], most recently used first
	items map[*Version]*list.Element
}

type textEntry[V any] struct {
	key  *Version
	val  V
	size int
}

// get returns the value kept for v.
func (c *textCache[V]) get(v *Version) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[v]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*textEntry[V]).val, true
	}
	var zero V
	return zero, false
}

// put keeps val for v, of about size bytes, dropping the least recently
// used values beyond the budget. A value larger than the budget is not
// kept.
func (c *textCache[V]) put(v *Version, val V, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil {
		c.items, c.order = map[*Version]*list.Element{}, list.New()
		if c.max == 0 {
			c.max = textCacheBytes
		}
	}
	if size > c.max {
		return
	}
	if el, ok := c.items[v]; ok {
		c.size -= el.Value.(*textEntry[V]).size
		c.order.Remove(el)
	}
	c.items[v] = c.order.PushFront(&textEntry[V]{key: v, val: val, size: size})
	c.size += size
	for c.size > c.max {
		last := c.order.Back()
		e := last.Value.(*textEntry[V])
		c.order.Remove(last)
		delete(c.items, e.key)
		c.size -= e.size
	}
}

// reset drops every value.
func (c *textCache[V]) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items, c.order, c.size = nil, nil, 0
}

// parsedVersion is a version's document as parseVersion returns it.
type parsedVersion struct {
	doc      *document.Document
	notShown bool
	clean    bool // parsed without error (see Catalog.readVersion)
}

// blocksSize estimates the memory of a version's blocks.
func blocksSize(bs []markdown.Block) int {
	n := 0
	for _, b := range bs {
		n += 160 + len(b.Text) + len(b.Number) + len(b.Anchor) + len(b.Clause)
		for _, c := range b.Cells {
			n += 16 + len(c)
		}
		for _, l := range b.Links {
			n += 16 + len(l)
		}
	}
	return n
}

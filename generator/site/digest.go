package site

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"math"
	"slices"
	"sync"
	"time"
)

// frontMatterDigest is a digest of fm, a page's front matter as
// writeContent gives it to Hugo (JSON): two front matters have the same
// digest if and only if (but for SHA-256 collisions) they have the same
// JSON. It is what the page cache's key covers instead of the JSON, which
// takes several times longer to write: a rebuild looks up thousands of
// pages, and writes the JSON of the few the cache lacks.
//
// Values are written with a tag of their type and the length of what
// follows, so that no two values write the same bytes; a type it does not
// know writes its JSON (json.Marshal), tagged apart. Deferred HTML
// writes its length and SHA-256 where it stands.
func frontMatterDigest(fm map[string]any) ([sha256.Size]byte, error) {
	e := digestBuffers.Get().(*digestEncoder)
	defer digestBuffers.Put(e)
	e.b = e.b[:0]
	if err := e.value(fm); err != nil {
		return [sha256.Size]byte{}, err
	}
	return sha256.Sum256(e.b), nil
}

type digestEncoder struct {
	b    []byte
	keys []string // a stack of maps' sorted keys, one map's above its parent's
}

// sortedKeys pushes m's keys, sorted, on e.keys and returns them; pop
// them with e.keys = e.keys[:len(e.keys)-len(keys)] when done.
func sortedKeys[V any](e *digestEncoder, m map[string]V) []string {
	start := len(e.keys)
	for k := range m {
		e.keys = append(e.keys, k)
	}
	keys := e.keys[start:]
	slices.Sort(keys)
	return keys
}

var digestBuffers = sync.Pool{New: func() any { return &digestEncoder{} }}

func (e *digestEncoder) tag(t byte)      { e.b = append(e.b, t) }
func (e *digestEncoder) length(n int)    { e.b = binary.AppendUvarint(e.b, uint64(n)) }
func (e *digestEncoder) string(s string) { e.length(len(s)); e.b = append(e.b, s...) }

func (e *digestEncoder) value(v any) error {
	switch t := v.(type) {
	case nil:
		e.tag('0')
	case string:
		e.tag('s')
		e.string(t)
	case bool:
		if t {
			e.tag('T')
		} else {
			e.tag('F')
		}
	case int:
		e.tag('i')
		e.b = binary.AppendVarint(e.b, int64(t))
	case int64:
		e.tag('i')
		e.b = binary.AppendVarint(e.b, t)
	case float64:
		// JSON writes an integral float64 as an int: tagged apart all
		// the same (the digest may tell apart more than JSON does).
		e.tag('f')
		e.b = binary.BigEndian.AppendUint64(e.b, math.Float64bits(t))
	case []string:
		if t == nil {
			e.tag('0')
			return nil
		}
		e.tag('[')
		e.length(len(t))
		for _, s := range t {
			e.string(s)
		}
	case []any:
		if t == nil {
			e.tag('0')
			return nil
		}
		e.tag('a')
		e.length(len(t))
		for _, x := range t {
			if err := e.value(x); err != nil {
				return err
			}
		}
	case []map[string]any:
		if t == nil {
			e.tag('0')
			return nil
		}
		e.tag('l')
		e.length(len(t))
		for _, x := range t {
			if err := e.value(x); err != nil {
				return err
			}
		}
	case map[string]any:
		if t == nil {
			e.tag('0')
			return nil
		}
		e.tag('m')
		e.length(len(t))
		keys := sortedKeys(e, t)
		for _, k := range keys {
			e.string(k)
			if err := e.value(t[k]); err != nil {
				return err
			}
		}
		e.keys = e.keys[:len(e.keys)-len(keys)]
	case map[string]string:
		if t == nil {
			e.tag('0')
			return nil
		}
		e.tag('M')
		e.length(len(t))
		keys := sortedKeys(e, t)
		for _, k := range keys {
			e.string(k)
			e.string(t[k])
		}
		e.keys = e.keys[:len(e.keys)-len(keys)]
	case map[string]int:
		if t == nil {
			e.tag('0')
			return nil
		}
		e.tag('I')
		e.length(len(t))
		keys := sortedKeys(e, t)
		for _, k := range keys {
			e.string(k)
			e.b = binary.AppendVarint(e.b, int64(t[k]))
		}
		e.keys = e.keys[:len(e.keys)-len(keys)]
	case []map[string]string:
		if t == nil {
			e.tag('0')
			return nil
		}
		e.tag('L')
		e.length(len(t))
		for _, x := range t {
			if err := e.value(x); err != nil {
				return err
			}
		}
	case *Deferred:
		// By the HTML it stands for, not its placeholder (drawn anew at
		// every build): its length and SHA-256, at hand or kept
		// elsewhere alike.
		if t == nil {
			e.tag('0')
			return nil
		}
		e.tag('D')
		size, sum := len(t.html), [sha256.Size]byte{}
		if t.lazy != nil {
			size, sum = t.lazy.Size, t.lazy.Sum
		} else {
			sum = sha256.Sum256(t.html)
		}
		e.length(size)
		e.b = append(e.b, sum[:]...)
	case time.Time:
		// As JSON writes it.
		e.tag('t')
		e.string(t.Format(time.RFC3339Nano))
	default:
		b, err := json.Marshal(t)
		if err != nil {
			return err
		}
		e.tag('j')
		e.string(string(b))
	}
	return nil
}

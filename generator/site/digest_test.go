package site

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"
)

// TestFrontMatterDigest: two front matters get the same digest exactly
// when their JSON is the same, over random nested values of the types
// pages' parameters hold (and some they do not, written as JSON), nil and
// empty collections included.
func TestFrontMatterDigest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	strs := []string{"", "a", "b", "ab", "a\"b", "<p>", "\u00e9", "1", "true", "null"}
	type custom struct{ A, B string }
	var value func(depth int) any
	value = func(depth int) any {
		n := 15
		if depth > 2 {
			n = 7
		}
		switch rng.IntN(n) {
		case 0:
			return nil
		case 1:
			return strs[rng.IntN(len(strs))]
		case 2:
			return rng.IntN(2) == 0
		case 3:
			return rng.IntN(3)
		case 4:
			return float64(rng.IntN(3)) / 2
		case 5:
			return time.Date(2026, 1, 1+rng.IntN(2), 0, 0, 0, 0, time.UTC)
		case 6:
			return custom{A: strs[rng.IntN(len(strs))]}
		case 7:
			if rng.IntN(4) == 0 {
				return []string(nil)
			}
			l := make([]string, rng.IntN(3))
			for i := range l {
				l[i] = strs[rng.IntN(len(strs))]
			}
			return l
		case 8, 9:
			if rng.IntN(5) == 0 {
				return map[string]any(nil)
			}
			m := map[string]any{}
			for range rng.IntN(3) {
				m[strs[rng.IntN(len(strs))]] = value(depth + 1)
			}
			return m
		case 10:
			if rng.IntN(4) == 0 {
				return []any(nil)
			}
			l := make([]any, rng.IntN(3))
			for i := range l {
				l[i] = value(depth + 1)
			}
			return l
		case 11:
			m := map[string]string{}
			for range rng.IntN(3) {
				m[strs[rng.IntN(len(strs))]] = strs[rng.IntN(len(strs))]
			}
			return m
		case 12:
			if rng.IntN(5) == 0 {
				return map[string]int(nil)
			}
			m := map[string]int{}
			for range rng.IntN(3) {
				m[strs[rng.IntN(len(strs))]] = rng.IntN(3) - 1
			}
			return m
		case 13:
			if rng.IntN(5) == 0 {
				return []map[string]string(nil)
			}
			l := make([]map[string]string, rng.IntN(3))
			for i := range l {
				l[i] = map[string]string{strs[rng.IntN(len(strs))]: strs[rng.IntN(len(strs))]}
			}
			return l
		default:
			if rng.IntN(4) == 0 {
				return []map[string]any(nil)
			}
			l := make([]map[string]any, rng.IntN(3))
			for i := range l {
				l[i] = map[string]any{"k": value(depth + 1)}
			}
			return l
		}
	}
	seen := map[[32]byte]string{}
	for range 20000 {
		fm := map[string]any{"title": strs[rng.IntN(3)], "params": map[string]any{"clause": value(0)}}
		b, err := json.Marshal(fm)
		if err != nil {
			t.Fatal(err)
		}
		d, err := frontMatterDigest(fm)
		if err != nil {
			t.Fatal(err)
		}
		if j, ok := seen[d]; ok && j != string(b) {
			t.Fatalf("one digest for two front matters:\n%s\n%s", j, b)
		}
		seen[d] = string(b)
	}
	// Equal JSON, equal digest: the same value built twice (maps in
	// another order).
	a := map[string]any{"params": map[string]any{"x": 1, "y": []string{"a"}, "z": map[string]string{"p": "q", "r": "s"}}}
	b := map[string]any{"params": map[string]any{"z": map[string]string{"r": "s", "p": "q"}, "y": []string{"a"}, "x": 1}}
	da, _ := frontMatterDigest(a)
	db, _ := frontMatterDigest(b)
	if da != db {
		t.Error("the same front matter has two digests")
	}
}

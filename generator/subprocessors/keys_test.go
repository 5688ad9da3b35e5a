package subprocessors

import (
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// assignKeysRef is assignKeys as it was written first: every part of
// every row computed, for TestAssignKeysAsReference.
func assignKeysRef(r *Register) {
	level := make([]int, len(r.Rows))
	parts := make([][]string, len(r.Rows))
	for i, row := range r.Rows {
		parts[i] = keyParts(row)
	}
	key := func(i int) string {
		n := min(level[i]+1, len(parts[i]))
		return strings.Join(parts[i][:n], "/")
	}
	for {
		count := map[string]int{}
		for i := range r.Rows {
			count[key(i)]++
		}
		raised := false
		for i := range r.Rows {
			if count[key(i)] > 1 && level[i]+1 < len(parts[i]) {
				level[i]++
				raised = true
			}
		}
		if !raised {
			break
		}
	}
	seen := map[string]int{}
	for i := range r.Rows {
		k := key(i)
		seen[k]++
		if seen[k] > 1 {
			k += "#" + strconv.Itoa(seen[k])
		}
		r.Rows[i].Key = k
	}
}

func TestAssignKeysAsReference(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	pick := func(s ...string) string { return s[rng.Intn(len(s))] }
	for range 300 {
		var a, b Register
		for range rng.Intn(30) {
			row := Row{
				Name:     pick("Acme", "Acme GmbH", "Acme Ltd", "Beta", "", "!!", "Gamma Inc.", "S000123", "GmbH", "aBc9", "x y", "Ltd"),
				Website:  pick("", "", "https://acme.example", "https://www.acme.example/x", "not a url"),
				Purpose:  pick("Hosting", "Mail", "", "Hosting "),
				Location: pick("DE", "Germany", "France", "", "Mars"),
				Group:    pick("", "Infra", "Affiliates"),
			}
			a.Rows = append(a.Rows, row)
			b.Rows = append(b.Rows, row)
		}
		prepare(&a)
		for i := range b.Rows {
			b.Rows[i].Locations = a.Rows[i].Locations
		}
		assignKeysRef(&b)
		for i := range a.Rows {
			first, n := firstKeyPart(a.Rows[i])
			if parts := keyParts(a.Rows[i]); first != parts[0] || n != len(parts) {
				t.Fatalf("row %+v: first key part %q of %d, want %q of %d", a.Rows[i], first, n, parts[0], len(parts))
			}
			if a.Rows[i].Key != b.Rows[i].Key {
				t.Fatalf("row %d %+v: key %q, want %q", i, a.Rows[i], a.Rows[i].Key, b.Rows[i].Key)
			}
		}
	}
}

func TestCleanTextFolded(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	pieces := []string{"a", " ", "  ", "\t", "\n", "\u00a0", "é", "-", "--", "x y", "\r", "\v", "\f", "\u2003"}
	for range 20000 {
		var b strings.Builder
		for range rng.Intn(6) {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		s := b.String()
		want := strings.Join(strings.Fields(s), " ")
		switch want {
		case "-", "–", "—", "--":
			want = ""
		}
		if got := cleanText(s); got != want {
			t.Fatalf("cleanText(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestMissingAsReference(t *testing.T) {
	ref := func(s string) bool {
		switch strings.ToLower(strings.Trim(cleanText(s), ".")) {
		case "", "n/a", "na", "none", "tbd", "tba", "?", "unknown", "not applicable":
			return true
		}
		return false
	}
	rng := rand.New(rand.NewSource(11))
	pieces := []string{"n", "/", "a", "N", "A", "none", "TBD", "tba", "?", "Unknown", "not", " ", "applicable", ".", "-", "–", "\t", "K", "\u212a", "é", "x"}
	for range 50000 {
		var b strings.Builder
		for range rng.Intn(4) {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		if s := b.String(); missing(s) != ref(s) {
			t.Fatalf("missing(%q) = %v", s, missing(s))
		}
	}
}

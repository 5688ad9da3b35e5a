package portal

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

// BenchmarkPathological builds the pathological portals of issue 11 (item
// 11): a sub-processor register of 154,000 rows with 6 versions, three
// 850 KB documents with 21 versions each, and four commits with 8 MiB
// subjects. scripts/bench-pathological.sh builds the same shapes with the
// clause binary and reports peak RSS; here, -benchmem and -memprofile show
// where the memory goes:
//
//	go test ./generator/portal -run '^$' -bench Pathological -benchtime 1x -benchmem
func BenchmarkPathological(b *testing.B) {
	for _, c := range []struct {
		name string
		make func(b *testing.B) *gittest.Repo
	}{
		{"register-154k-rows-6-versions", register154kRepo},
		{"three-850KB-documents-21-versions", largeDocumentsRepo},
		{"four-8MiB-subjects", hugeSubjectsRepo},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := c.make(b)
			b.ResetTimer()
			for range b.N {
				out := filepath.Join(b.TempDir(), "public")
				if _, err := Build(b.Context(), Options{Repo: r.Dir, Out: out, Now: now, HistoryOptions: HistoryOptions{NoCache: true},
					BaseURL: "https://legal.example.com/"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// register154kRepo makes a register of 154,000 rows with short cells (about
// 3.5 MB, under document.MaxSize) in 6 versions, each editing, removing and
// adding rows.
func register154kRepo(b *testing.B) *gittest.Repo {
	const rows = 154_000
	r := gittest.New(b)
	for v := 1; v <= 6; v++ {
		var s strings.Builder
		s.WriteString("---\ntitle: Sub-processors\nkind: subprocessors\n---\n\n| Sub-processor | Purpose | Location of processing |\n|---|---|---|\n")
		for i := range rows - v*100 {
			p := "Hosting"
			if i%97 == v {
				p = fmt.Sprintf("Hosting v%d", v)
			}
			fmt.Fprintf(&s, "| S%06d | %s | DE |\n", i, p)
		}
		for i := range v * 100 {
			fmt.Fprintf(&s, "| N%d-%05d | Mail | FR |\n", v, i)
		}
		r.Write("content/subprocessors.md", s.String())
		r.Commit(fmt.Sprintf("2026-01-%02dT10:00:00Z", v), fmt.Sprintf("Register version %d", v))
	}
	return r
}

// largeDocumentsRepo makes three documents of about 850 KB (2,000 clauses)
// with 21 versions each, every version editing 40 clauses of each.
func largeDocumentsRepo(b *testing.B) *gittest.Repo {
	r := gittest.New(b)
	for v := 1; v <= 21; v++ {
		for _, d := range []string{"dpa", "privacy", "terms"} {
			var s strings.Builder
			fmt.Fprintf(&s, "---\ntitle: %s\n---\n\n", d)
			for i := 1; i <= 2000; i++ {
				fmt.Fprintf(&s, "## %d. Clause %d\n\n", i, i)
				t := "The processor shall process personal data only on documented instructions from the controller, including with regard to transfers of personal data to a third country, unless required to do so by law"
				if i%50 == v%50 {
					t += fmt.Sprintf(" as amended in version %d", v)
				}
				fmt.Fprintf(&s, "%s; clause %d of %s applies to %s and its annexes in full.\n\n", t, i, d, d)
			}
			r.Write("content/"+d+".md", s.String())
		}
		r.Commit(fmt.Sprintf("2026-01-%02dT10:00:00Z", v), fmt.Sprintf("Edit version %d", v))
	}
	return r
}

// hugeSubjectsRepo makes four commits whose subjects are 8 MiB each.
func hugeSubjectsRepo(b *testing.B) *gittest.Repo {
	r := gittest.New(b)
	msg := filepath.Join(b.TempDir(), "msg")
	for v := 1; v <= 4; v++ {
		r.Write("content/dpa.md", fmt.Sprintf("# DPA\n\nVersion %d of the agreement.\n", v))
		word := fmt.Sprintf("Subject %d ", v)
		if err := os.WriteFile(msg, []byte(strings.Repeat(word, (8<<20)/len(word))+"\n"), 0o644); err != nil {
			b.Fatal(err)
		}
		r.Git("add", "-A")
		r.GitEnv(gittest.DateEnv(fmt.Sprintf("2026-01-%02dT10:00:00Z", v)), "commit", "-q", "--cleanup=verbatim", "-F", msg)
	}
	return r
}

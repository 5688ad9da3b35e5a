package diff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the want files of testdata/*.txtar")

// TestGolden runs the cases in testdata/*.txtar. Each archive holds old.md
// and new.md, and the expected redline as WriteText prints it without
// colour (want.txt) and, optionally, as JSON (want.json). The archive's
// comment describes the case; a line "context: N" in it sets
// TextOptions.Context. With -update the want files are rewritten from the
// current output: review every change to them like code.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			old, new := section(t, a, "old.md"), section(t, a, "new.md")
			r := compare(t, string(old), string(new))
			opts := TextOptions{}
			for _, line := range strings.Split(string(a.Comment), "\n") {
				if v, ok := strings.CutPrefix(line, "context: "); ok {
					if opts.Context, err = strconv.Atoi(strings.TrimSpace(v)); err != nil {
						t.Fatal(err)
					}
				}
			}
			var text bytes.Buffer
			if err := WriteText(&text, r, opts); err != nil {
				t.Fatal(err)
			}
			outputs := map[string][]byte{"want.txt": text.Bytes()}
			if has(a, "want.json") {
				var js bytes.Buffer
				if err := WriteJSON(&js, r); err != nil {
					t.Fatal(err)
				}
				outputs["want.json"] = js.Bytes()
			}
			changed := false
			for name, got := range outputs {
				if !has(a, name) {
					a.Files = append(a.Files, txtar.File{Name: name})
				}
				for k := range a.Files {
					f := &a.Files[k]
					if f.Name != name || bytes.Equal(f.Data, got) {
						continue
					}
					if *update {
						f.Data = got
						changed = true
					} else {
						t.Errorf("%s differs; got:\n%s\nwant:\n%s", name, got, f.Data)
					}
				}
			}
			if changed {
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func section(t *testing.T, a *txtar.Archive, name string) []byte {
	t.Helper()
	for _, f := range a.Files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("no %s in archive", name)
	return nil
}

func has(a *txtar.Archive, name string) bool {
	for _, f := range a.Files {
		if f.Name == name {
			return true
		}
	}
	return false
}

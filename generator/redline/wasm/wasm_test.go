package wasm

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestEngineUpToDate rebuilds the engine and wasm_exec.js with gen.go and
// compares them with the committed files: a change to generator/diff,
// generator/markdown or generator/redline that is not regenerated would
// make the browser's redline differ from the build's.
func TestEngineUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the engine to WebAssembly")
	}
	readSources(t)
	dir := t.TempDir()
	cmd := exec.Command("go", "run", "gen.go", "-out", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run gen.go: %v\n%s", err, out)
	}
	want, err := Engine()
	if err != nil {
		t.Fatal(err)
	}
	got := gunzip(t, filepath.Join(dir, "redline.wasm.gz"))
	if !bytes.Equal(got, want) {
		t.Errorf("redline.wasm.gz is out of date (%d bytes built, %d committed): run go generate ./generator/redline/wasm and commit it", len(got), len(want))
	}
	js, err := os.ReadFile(filepath.Join(dir, "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(js, ExecJS()) {
		t.Error("wasm_exec.js differs from the Go toolchain's: run go generate ./generator/redline/wasm and commit it")
	}
	sum, err := os.ReadFile(filepath.Join(dir, "redline.wasm.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if string(sum) != engineSum {
		t.Errorf("redline.wasm.sum is out of date (%q built, %q committed): run go generate ./generator/redline/wasm and commit it", sum, engineSum)
	}
}

// TestEngineSum checks the committed size and sums of the engine against
// the engine itself.
func TestEngineSum(t *testing.T) {
	b, err := Engine()
	if err != nil {
		t.Fatal(err)
	}
	s, err := EngineSum()
	if err != nil {
		t.Fatal(err)
	}
	s384 := sha512.Sum384(b)
	want := Sum{Size: len(b), SHA256: sha256.Sum256(b), Integrity: "sha384-" + base64.StdEncoding.EncodeToString(s384[:])}
	if s != want {
		t.Errorf("EngineSum() = %+v, the engine's are %+v: run go generate ./generator/redline/wasm", s, want)
	}
}

// TestEngineIsWebAssembly checks that the embedded engine decompresses to
// a WebAssembly module.
func TestEngineIsWebAssembly(t *testing.T) {
	b, err := Engine()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\x00asm\x01\x00\x00\x00")) {
		t.Errorf("engine starts %q, not a WebAssembly module", b[:min(8, len(b))])
	}
}

// readSources reads the module's source files the engine is compiled
// from, and go.sum: go test caches a test's result until a file the test
// itself opened changes, and the compiler's reads in gen.go do not count.
func readSources(t *testing.T) {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", `{{if .Module}}{{if .Module.Main}}{{range .GoFiles}}{{$.Dir}}/{{.}}
{{end}}{{end}}{{end}}`, "github.com/clause-portal/clause/cmd/clause-redline-wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	files := strings.Fields(string(out))
	if len(files) < 3 {
		t.Fatalf("go list found the engine's sources %v", files)
	}
	for _, name := range append(files, filepath.Join("..", "..", "..", "go.sum")) {
		if _, err := os.ReadFile(name); err != nil {
			t.Fatal(err)
		}
	}
}

func gunzip(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

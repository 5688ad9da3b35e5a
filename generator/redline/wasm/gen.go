//go:build ignore

// gen builds the redline engine for the browser: cmd/clause-redline-wasm
// compiled with GOOS=js GOARCH=wasm into redline.wasm.gz, its size and
// sums into redline.wasm.sum (so that a build names and checks the engine
// without decompressing it), and the Go toolchain's wasm_exec.js that runs
// it, into the folder given by -out (default: this one). go generate runs it; TestEngineUpToDate runs it
// into a temporary folder and compares.
//
// The build is reproducible: no paths (-trimpath), no build ID, no VCS
// stamp, no symbol names; gzip without a name or time.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	out := flag.String("out", ".", "folder to write redline.wasm.gz and wasm_exec.js into")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	tmp, err := os.MkdirTemp("", "clause-redline-wasm-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "redline.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid=", "-o", bin, "github.com/clause-portal/clause/cmd/clause-redline-wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	wasm, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(wasm); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	execJS, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "redline.wasm.gz"), gz.Bytes(), 0o644); err != nil {
		return err
	}
	s384 := sha512.Sum384(wasm)
	sum := fmt.Sprintf("%d %x sha384-%s\n", len(wasm), sha256.Sum256(wasm), base64.StdEncoding.EncodeToString(s384[:]))
	if err := os.WriteFile(filepath.Join(out, "redline.wasm.sum"), []byte(sum), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "wasm_exec.js"), execJS, 0o644)
}

// Package wasm holds Clause's redline engine compiled to WebAssembly
// (cmd/clause-redline-wasm, generator/diff inside), and the Go runtime's
// wasm_exec.js that loads it, so that clause build can publish them
// without a Go toolchain. The portal's compare page runs them to compare
// any two versions in the reader's browser.
//
// The files are generated (go generate ./generator/redline/wasm) and
// committed, the engine gzip-compressed; TestEngineUpToDate rebuilds them
// and fails when the committed ones differ, so that the browser never runs
// another redline than the build's.
package wasm

//go:generate go run gen.go

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
)

//go:embed redline.wasm.gz
var engineGz []byte

//go:embed redline.wasm.sum
var engineSum string

//go:embed wasm_exec.js
var execJS []byte

var engine = sync.OnceValues(func() ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(engineGz))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
})

// Engine returns the redline engine, a WebAssembly module. The caller must
// not modify the slice.
func Engine() ([]byte, error) { return engine() }

// Sum describes the engine without decompressing it (~30 ms), as gen.go
// wrote it beside the engine: its size, its SHA-256, and its Subresource
// Integrity ("sha384-…").
type Sum struct {
	Size      int
	SHA256    [32]byte
	Integrity string
}

var engineSums = sync.OnceValues(func() (Sum, error) {
	var s Sum
	var hexSum string
	if _, err := fmt.Sscanf(engineSum, "%d %64s %s\n", &s.Size, &hexSum, &s.Integrity); err != nil {
		return Sum{}, fmt.Errorf("redline.wasm.sum: %w", err)
	}
	b, err := hex.DecodeString(hexSum)
	if err != nil || len(b) != len(s.SHA256) {
		return Sum{}, fmt.Errorf("redline.wasm.sum: bad SHA-256 %q", hexSum)
	}
	copy(s.SHA256[:], b)
	return s, nil
})

// EngineSum returns the engine's size and sums.
func EngineSum() (Sum, error) { return engineSums() }

// ExecJS returns wasm_exec.js of the Go release that compiled the engine:
// the script that runs it in a browser. The caller must not modify it.
func ExecJS() []byte { return execJS }

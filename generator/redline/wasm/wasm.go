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
	"io"
	"sync"
)

//go:embed redline.wasm.gz
var engineGz []byte

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

// ExecJS returns wasm_exec.js of the Go release that compiled the engine:
// the script that runs it in a browser. The caller must not modify it.
func ExecJS() []byte { return execJS }

//go:build js && wasm

// Command clause-redline-wasm is Clause's redline engine for the browser:
// built with GOOS=js GOARCH=wasm (go generate ./generator/redline/wasm),
// it defines one JavaScript function,
//
//	clauseRedline(fromJSON, toJSON, optionsJSON) → {html, summary, counts, identical, source_changed, metadata} | {error}
//
// which compares two versions' published texts (redline.Text) with
// generator/diff, exactly as clause build writes its compare pages, and
// then waits for further calls. The portal's compare page loads it.
package main

import (
	"encoding/json"
	"syscall/js"

	"github.com/clause-portal/clause/generator/redline"
)

func main() {
	js.Global().Set("clauseRedline", js.FuncOf(compare))
	if ready := js.Global().Get("clauseRedlineReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}

// compare is clauseRedline: it returns the result as a JSON string, or an
// object with an error message.
func compare(_ js.Value, args []js.Value) any {
	fail := func(msg string) any { return map[string]any{"error": msg} }
	if len(args) != 3 {
		return fail("clauseRedline takes three arguments: from, to, options (JSON)")
	}
	from, err := redline.Unmarshal([]byte(args[0].String()))
	if err != nil {
		return fail("from: " + err.Error())
	}
	to, err := redline.Unmarshal([]byte(args[1].String()))
	if err != nil {
		return fail("to: " + err.Error())
	}
	var opts redline.Options
	if err := json.Unmarshal([]byte(args[2].String()), &opts); err != nil {
		return fail("options: " + err.Error())
	}
	if opts.Words != nil && opts.Lang != "" {
		opts.Words.Plural = pluralRules(opts.Lang)
	}
	res, err := redline.Compute(from, to, opts)
	if err != nil {
		return fail(err.Error())
	}
	b, err := json.Marshal(res)
	if err != nil {
		return fail(err.Error())
	}
	return string(b)
}

// pluralRules returns the plural category of n in lang by the browser's
// Intl.PluralRules, or nil (English's rules) where there is none.
func pluralRules(lang string) func(int) string {
	intl := js.Global().Get("Intl")
	if intl.Type() != js.TypeObject || intl.Get("PluralRules").Type() != js.TypeFunction {
		return nil
	}
	rules := intl.Get("PluralRules").New(lang)
	return func(n int) string { return rules.Call("select", n).String() }
}

package site

import (
	"strings"
	"testing"
)

// TestContentSecurityPolicyFor checks that only the compare pages may
// compile WebAssembly, and that their policy differs in nothing else.
func TestContentSecurityPolicyFor(t *testing.T) {
	for path, wasm := range map[string]bool{
		"/dpa/compare/":             true,
		"/de/dpa/compare/":          true,
		"/dpa/compare/a1b2/c3d4/":   true,
		"/":                         false,
		"/dpa/":                     false,
		"/dpa/versions/a1b2/":       false,
		"/compare/":                 false, // a document whose ID is compare
		"/js/redline.0123abcd.wasm": false,
	} {
		got := ContentSecurityPolicyFor(path)
		if has := strings.Contains(got, "'wasm-unsafe-eval'"); has != wasm {
			t.Errorf("%s: wasm-unsafe-eval %v, want %v", path, has, wasm)
		}
	}
	if strings.Contains(ContentSecurityPolicy, "wasm") || strings.Replace(CompareContentSecurityPolicy, " 'wasm-unsafe-eval'", "", 1) != ContentSecurityPolicy {
		t.Errorf("compare policy %q is not the portal's %q plus wasm-unsafe-eval", CompareContentSecurityPolicy, ContentSecurityPolicy)
	}
}

package site

import (
	"regexp"
	"strings"
)

// CompareContentSecurityPolicy is ContentSecurityPolicy with one addition,
// for the pages at ComparePaths only: 'wasm-unsafe-eval' in script-src,
// which lets the compare page compile Clause's redline engine
// (WebAssembly, from the portal's own origin, checked against its
// integrity hash). It allows no eval of JavaScript, and the rest of the
// portal runs without it. netlify.toml sends it (a test keeps the two
// equal) and clause serve in the preview.
var CompareContentSecurityPolicy = strings.Replace(ContentSecurityPolicy, "script-src 'self';", "script-src 'self' 'wasm-unsafe-eval';", 1)

// ComparePaths is the netlify.toml [[headers]] pattern of the pages sent
// CompareContentSecurityPolicy: a document's compare page,
// /ID/compare/?from=A&to=B, and its precomputed redlines below it.
const ComparePaths = "/*/compare/*"

var comparePath = regexp.MustCompile(`^/.*/compare/`)

// ContentSecurityPolicyFor returns the policy for a URL path below the
// site's root: CompareContentSecurityPolicy for ComparePaths,
// ContentSecurityPolicy for every other.
func ContentSecurityPolicyFor(path string) string {
	if comparePath.MatchString(path) {
		return CompareContentSecurityPolicy
	}
	return ContentSecurityPolicy
}

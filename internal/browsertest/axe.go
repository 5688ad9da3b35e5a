package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeEnv is the environment variable that names axe-core's axe.min.js.
// Without it, AxeSource looks where scripts/fetch-axe-core.sh puts it.
const AxeEnv = "CLAUSE_AXE_JS"

// AxeSource returns the source of axe-core (axe.min.js), the accessibility
// engine run by Page.Axe: the file named by $CLAUSE_AXE_JS, else
// $CLAUSE_AXE_DIR/axe.min.js or $TMPDIR/clause-axe-core/axe.min.js, where
// scripts/fetch-axe-core.sh unpacks it from the npm registry. When it is
// missing, the test fails in CI ($CI=true: the accessibility checks must
// run there) and is skipped elsewhere, saying how to fetch it.
func AxeSource(tb testing.TB) string {
	tb.Helper()
	path := os.Getenv(AxeEnv)
	if path == "" {
		dir := os.Getenv("CLAUSE_AXE_DIR")
		if dir == "" {
			dir = filepath.Join(os.TempDir(), "clause-axe-core")
		}
		path = filepath.Join(dir, "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err == nil && len(b) > 0 {
		return string(b)
	}
	msg := fmt.Sprintf("axe-core is needed for the accessibility checks and %s cannot be read (%v): run scripts/fetch-axe-core.sh, or set $%s to an axe.min.js", path, err, AxeEnv)
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
	return ""
}

// Violation is one rule axe-core found broken on a page, with the elements
// that break it.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// String describes the violation and its first elements, for a test
// failure.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for i, n := range v.Nodes {
		if i == 5 {
			fmt.Fprintf(&b, "\n    … and %d more", len(v.Nodes)-i)
			break
		}
		fmt.Fprintf(&b, "\n    %v %s", n.Target, n.HTML)
		if n.Summary != "" {
			fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	return b.String()
}

// Axe runs axe-core (source, from AxeSource) in the page with its default
// rules (WCAG 2 A and AA, and best practices) and returns the violations.
// The script is evaluated over the DevTools protocol, as a tester's
// console would: the page's Content-Security-Policy does not apply to it,
// and it loads nothing.
func (p *Page) Axe(source string) []Violation {
	p.tb.Helper()
	if !Eval[bool](p, `typeof window.axe === "object"`) {
		Run(p, chromedp.Evaluate[chromedp.Void](source))
	}
	return Run(p, chromedp.Evaluate[[]Violation](
		`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`,
		chromedp.EvalAwaitPromise))
}

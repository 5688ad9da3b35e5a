package portal

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/browsertest"
)

// TestFormerURLsForwardInChromium: on a host without redirect rules (the
// test server knows nothing of _redirects), a version page asked for under
// a renamed document's former name reaches the same page under its current
// name through the portal's 404 page, under the production CSP.
func TestFormerURLsForwardInChromium(t *testing.T) {
	r := historyRepo(t)
	mustBuild(t, r.Dir, Options{})
	headers := browsertest.NetlifyHeaders(t, filepath.Join("..", "..", "netlify.toml"))
	base := browsertest.Serve(t, filepath.Join(r.Dir, "public"), headers)
	var id string
	for _, d := range loadAPI(t, r.Dir).Documents {
		if d.ID == "security" {
			id = d.Versions[1].ID
		}
	}
	if id == "" {
		t.Fatal("no second version of security")
	}
	b := browsertest.New(t)
	p := b.Open(t, base+"/security-old/versions/"+id+"/#clause-1")
	p.WaitPath("/security/versions/" + id + "/")
	if got := browsertest.Eval[string](p, "location.hash"); got != "#clause-1" {
		t.Errorf("fragment lost on the way: %q", got)
	}
	for _, problem := range p.Problems() {
		// The 404 of the former URL itself is what the browser reports
		// before the page forwards: expected.
		if !strings.Contains(problem, "/security-old/versions/") || !strings.Contains(problem, "status of 404") {
			t.Error(problem)
		}
	}
	// A page that never existed stays on the 404 page.
	p = b.Open(t, base+"/nothing/here/")
	if got := p.Text("h1"); got != "Page not found" {
		t.Errorf("unknown page: h1 %q", got)
	}
}

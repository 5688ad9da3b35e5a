package portal

import (
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/clause-portal/clause/generator/markdown"
)

// aheadBytes is the most HTML aheadPages keeps in files; pages beyond it
// are rendered when their page is built.
const aheadBytes = 512 << 20

// aheadPages are the pages of versions that Catalog.Register rendered
// while it read their registers (see prerenderBody), until their pages
// are built. Their HTML (10 MB for a register of 154,000 rows) waits in
// files of a temporary folder beside the output, not in memory, which the
// register's parsing needs: the folder is removed by reset
// (Catalog.Close), or if the build is killed, by the next build. It is
// safe for concurrent use.
type aheadPages struct {
	mu sync.Mutex
	// parent and prefix name the folder made for the files: beside the
	// output (aheadDirPrefix), so that one a killed build left is removed
	// by the next build (newBuildDir); "" for the system's temporary
	// folder (no output: tests).
	parent, prefix string
	dir            string
	pages          map[*Version]*aheadPage
	size           int
	n              int
}

// aheadPage is a page rendered ahead: its HTML is in file.
type aheadPage struct {
	file     string
	rendered markdown.Rendered // without its HTML
}

// put keeps r as the page of v; a failure to write it only loses the
// work done (the page is rendered again).
func (a *aheadPages) put(v *Version, r *markdown.Rendered) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.size+len(r.HTML) > aheadBytes {
		return
	}
	if a.dir == "" {
		dir, err := os.MkdirTemp(a.parent, a.prefix)
		if err != nil {
			return
		}
		a.dir, a.pages = dir, map[*Version]*aheadPage{}
	}
	a.n++
	name := filepath.Join(a.dir, strconv.Itoa(a.n)+".html")
	if err := os.WriteFile(name, r.HTML, 0o600); err != nil {
		os.Remove(name)
		return
	}
	p := &aheadPage{file: name, rendered: *r}
	p.rendered.HTML = nil
	a.pages[v] = p
	a.size += len(r.HTML)
}

// get returns the page of v rendered ahead; with take, it is dropped (its
// page is built).
func (a *aheadPages) get(v *Version, take bool) (*markdown.Rendered, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p, ok := a.pages[v]
	if !ok {
		return nil, false
	}
	html, err := os.ReadFile(p.file)
	if take || err != nil {
		delete(a.pages, v)
		os.Remove(p.file)
	}
	if err != nil {
		return nil, false
	}
	r := p.rendered
	r.HTML = html
	return &r, true
}

// reset drops every page and removes the folder.
func (a *aheadPages) reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.dir != "" {
		os.RemoveAll(a.dir)
	}
	a.dir, a.pages, a.size = "", nil, 0
}

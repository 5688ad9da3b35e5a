package site

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// DeferBody is the size from which a page's body goes round Hugo (see
// Deferred): Hugo reads the page with a placeholder, and the body is put
// in its place in the page Hugo wrote. A register of 154,000 rows has
// pages of 10 MB, which Hugo held several times over while it rendered
// them.
const DeferBody = 1 << 20

// Deferred is HTML that a page's parameters hold for its template to print
// with safeHTML, which goes round Hugo: Hugo reads a placeholder in its
// place, and Build replaces the placeholder with the HTML in the page Hugo
// wrote. A large register's table is one.
//
// A placeholder is an element, <clause-deferred id="…">, whose id holds a
// random nonce drawn for each Build: content, rendered before the nonce
// is drawn, cannot name it. It is replaced only where it stands as
// written, that is where a template printed it as HTML: escaped in an
// attribute or as text, or stripped of tags (a summary), it is left as it
// is.
type Deferred struct {
	html  []byte
	lazy  *LazyHTML // the HTML, read only if the page is rendered
	token string    // the placeholder, set while a page is written
}

// Defer returns html as a Deferred parameter value.
func Defer(html []byte) *Deferred { return &Deferred{html: html} }

// DeferLazy returns HTML kept elsewhere as a Deferred parameter value:
// the page cache keys the page by the HTML's sum, and the HTML is read
// only for a page that must be rendered.
func DeferLazy(l *LazyHTML) *Deferred { return &Deferred{lazy: l} }

// MarshalJSON writes d's placeholder as a JSON string: the value Hugo
// reads. A Deferred outside a page's parameters (which Build walks to
// give each its placeholder) is an error.
func (d *Deferred) MarshalJSON() ([]byte, error) {
	if d.token == "" {
		return nil, errors.New("deferred HTML outside a page's parameters")
	}
	return json.Marshal(d.token)
}

// deferrer gives the deferred HTML of one Build its placeholders, and
// keeps the HTML in files of dir (outside Hugo's project) while Hugo
// renders: not in memory.
type deferrer struct {
	nonce string
	n     int
	dir   string
}

func newDeferrer(dir string) (*deferrer, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	return &deferrer{nonce: hex.EncodeToString(b[:]), dir: dir}, nil
}

// placeholderStart is how a placeholder starts: deferred.token begins
// with it and the nonce.
const placeholderStart = `<clause-deferred id="`

// placeholder returns a new placeholder.
func (df *deferrer) placeholder() string {
	df.n++
	return placeholderStart + df.nonce + "-" + strconv.Itoa(df.n) + `"></clause-deferred>`
}

// deferredPage is a page whose output holds placeholders: the HTML each
// stands for, until it is kept in a file (see keep).
type deferredPage struct {
	file   string // the page's output file, below the publish folder
	tokens []string
	html   [][]byte
	lazy   []*LazyHTML // for each token, the HTML kept elsewhere, or nil
	body   int         // 1 + the index of the body's token; 0: none
	kept   []string    // the files that hold html, once kept
}

// load returns the HTML of placeholder i.
func (dp *deferredPage) load(i int) ([]byte, error) {
	if l := dp.lazy[i]; l != nil {
		b, err := l.read()
		if err != nil {
			return nil, fmt.Errorf("%s: reading its kept HTML: %w", dp.file, err)
		}
		return b, nil
	}
	return dp.html[i], nil
}

// keep writes the page's deferred HTML into files of df.dir and drops it
// from memory.
func (dp *deferredPage) keep(df *deferrer) error {
	if err := os.MkdirAll(df.dir, 0o755); err != nil {
		return err
	}
	for i := range dp.tokens {
		h, err := dp.load(i)
		if err != nil {
			return err
		}
		name := filepath.Join(df.dir, strings.TrimPrefix(strings.TrimSuffix(dp.tokens[i], `"></clause-deferred>`), placeholderStart)+".html")
		if err := os.WriteFile(name, h, 0o644); err != nil {
			return err
		}
		dp.kept = append(dp.kept, name)
	}
	dp.html, dp.lazy = nil, nil
	return nil
}

// prepare gives each Deferred among p's parameters (at any depth of maps
// and slices) a placeholder and, when p's body is DeferBody or larger,
// takes it out of the content file: it returns the body the content file
// gets and the page's deferred HTML (nil for none).
func (df *deferrer) prepare(p *Page) ([]byte, *deferredPage) {
	var dp deferredPage
	add := func(html []byte, lazy *LazyHTML) string {
		t := df.placeholder()
		dp.tokens = append(dp.tokens, t)
		dp.html = append(dp.html, html)
		dp.lazy = append(dp.lazy, lazy)
		return t
	}
	walkDeferred(p.Params, func(d *Deferred) { d.token = add(d.html, d.lazy) })
	body := p.HTML
	if len(body) >= DeferBody {
		body = []byte(add(body, nil))
		dp.body = len(dp.tokens)
	}
	if len(dp.tokens) == 0 {
		return body, nil
	}
	dp.file = outputFile(p.URL)
	return body, &dp
}

// walkDeferred calls f with each Deferred in v, a page's parameters.
func walkDeferred(v any, f func(*Deferred)) {
	switch t := v.(type) {
	case *Deferred:
		if t != nil {
			f(t)
		}
	case map[string]any:
		for _, x := range t {
			walkDeferred(x, f)
		}
	case []map[string]any:
		for _, x := range t {
			walkDeferred(x, f)
		}
	case []any:
		for _, x := range t {
			walkDeferred(x, f)
		}
	}
}

// keyParts returns what the page cache keys a page by in place of its
// content file: the digest of its front matter (frontMatterDigest, which
// covers the HTML of deferred parameters by its sum, wherever it stands)
// and the SHA-256 of its body, of the HTML it stands for when the body
// goes round Hugo. A lazy body (body nil) is below DeferBody: its sum is
// its own.
func (dp *deferredPage) keyParts(frontMatter, body []byte, lazyBody *LazyHTML) [][]byte {
	var sum [sha256.Size]byte
	prefix := "body "
	switch {
	case dp.body > 0:
		body, prefix = dp.html[dp.body-1], "deferred body "
		sum = sha256.Sum256(body)
	case body == nil && lazyBody != nil:
		sum = lazyBody.Sum
	default:
		sum = sha256.Sum256(body)
	}
	return [][]byte{frontMatter, {'\n'}, []byte(prefix), sum[:]}
}

// substitute replaces the placeholders in the page Hugo wrote below
// publish with the HTML they stand for. A placeholder the page does not
// hold as written (its template does not print it) is no error.
func (dp *deferredPage) substitute(publish string) error {
	name := filepath.Join(publish, filepath.FromSlash(dp.file))
	b, err := os.ReadFile(name)
	if os.IsNotExist(err) {
		return nil // a page Hugo did not write (a layout that writes nothing)
	}
	if err != nil {
		return err
	}
	html := make([][]byte, len(dp.tokens))
	for i := range dp.tokens {
		if dp.kept != nil {
			html[i], err = os.ReadFile(dp.kept[i])
		} else {
			html[i], err = dp.load(i)
		}
		if err != nil {
			return err
		}
	}
	out, changed := replacePlaceholders(b, dp.tokens, html)
	if !changed {
		return nil
	}
	if err := os.WriteFile(name, out, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", dp.file, err)
	}
	return nil
}

// replacePlaceholders replaces every occurrence of tokens[i] in b with
// html[i], in one pass, byte for byte.
func replacePlaceholders(b []byte, tokens []string, html [][]byte) ([]byte, bool) {
	if !bytes.Contains(b, []byte(placeholderStart)) {
		return b, false
	}
	size := len(b)
	for i, t := range tokens {
		size += bytes.Count(b, []byte(t)) * (len(html[i]) - len(t))
	}
	out := make([]byte, 0, size)
	changed := false
	for {
		i := bytes.Index(b, []byte(placeholderStart))
		if i < 0 {
			break
		}
		k := -1
		for j, t := range tokens {
			if bytes.HasPrefix(b[i:], []byte(t)) {
				k = j
				break
			}
		}
		if k < 0 {
			out = append(out, b[:i+len(placeholderStart)]...)
			b = b[i+len(placeholderStart):]
			continue
		}
		out = append(out, b[:i]...)
		out = append(out, html[k]...)
		b = b[i+len(tokens[k]):]
		changed = true
	}
	return append(out, b...), changed
}

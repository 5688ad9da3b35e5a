package portal

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/clause-portal/clause/generator/diff"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/history"
	"github.com/clause-portal/clause/generator/markdown"
	"github.com/clause-portal/clause/generator/redline"
	"github.com/clause-portal/clause/generator/site"
)

// ChangesAnchor and SinceAnchor name the redlines on a version's page:
// against its predecessor (what changed in the version), and against the
// current text (what changed since). The text's own anchors are
// lower-case letters, digits and hyphens (markdown.Slug): the underscore
// keeps these apart from them.
const (
	ChangesAnchor = "changes_in_version"
	SinceAnchor   = "changes_since"
)

// ChangesURL is where the redline of a version against its predecessor
// is: on the version's page.
func ChangesURL(id, version string) string {
	return VersionURL(id, version) + "#" + ChangesAnchor
}

// SinceURL is where the redline of a version against the current text
// (the newest version) is: on the version's page, whose link to it stays
// the same when versions are added.
func SinceURL(id, version string) string {
	return VersionURL(id, version) + "#" + SinceAnchor
}

// CompareURL is the path at which earlier releases published the redline
// between two versions as a page of its own: it redirects to the
// document's compare page with the pair in its query (compareRedirects,
// and the 404 page's script on hosts without redirect rules).
func CompareURL(id, from, to string) string {
	return "/" + id + "/compare/" + from + "/" + to + "/"
}

// currentSide stands for the newest version in the compare page's query
// (no version id has the form), as in /ID/compare/V/current/, which the
// previous release published.
const currentSide = "current"

// comparison is a precomputed redline, indexes into a document's
// versions: from its predecessor to version to (from == to+1), on the
// page of version to; or from version from to the newest (current: to is
// 0), on the page of version from.
type comparison struct {
	from, to int
	current  bool
}

// againstPredecessor reports whether c is the redline of a version against
// its predecessor (it keeps the unchanged text, folded).
func (c comparison) againstPredecessor() bool { return !c.current && c.from == c.to+1 }

// anchor is where c is on its version's page, and idPrefix what the ids
// of its redline start with there.
func (c comparison) anchor() string {
	if c.current {
		return SinceAnchor
	}
	return ChangesAnchor
}

func (c comparison) idPrefix() string {
	if c.current {
		return "since_"
	}
	return "changes_"
}

// Side is one side of a comparison: a version, or the working tree.
type Side struct {
	// Version is nil for the file in the content folder (uncommitted).
	Version *Version
	Doc     *document.Document

	blocks []markdown.Block      // cached Blocks(Doc)
	links  markdown.LinkResolver // how links between documents read
	trace  *linkTrace            // the links blocks resolved, for the memo
}

// sideBlocks are a version's blocks, and the links they resolved.
type sideBlocks struct {
	blocks []markdown.Block
	trace  *linkTrace
}

func (s Side) blockList() []markdown.Block {
	if s.blocks != nil {
		return s.blocks
	}
	return blocksOf(s.Doc, s.links)
}

// WorktreeSide is the side of e's file in the content folder, as it is.
func (c *Catalog) WorktreeSide(e *Entry) Side {
	return Side{Doc: e.Doc, links: c.linker().resolver(e, e.Doc.Path, nil, false)}
}

// Label names a side for readers.
func (s Side) Label() string {
	if s.Version == nil {
		return "working tree"
	}
	return s.Version.ID
}

// VersionSide reads version v of e. A version that is TooLarge gives an
// error wrapping ErrVersionTooLarge.
func (c *Catalog) VersionSide(e *Entry, v *Version) (Side, error) {
	if v.TooLarge() {
		return Side{}, fmt.Errorf("%s at version %s: %w (%.1f MiB; the limit is %d MiB)", v.Path, v.ID, ErrVersionTooLarge, float64(v.Size)/(1<<20), document.MaxSize>>20)
	}
	d, err := c.ParseVersion(e, v)
	if err != nil {
		return Side{}, err
	}
	// Links between documents read as the documents' URLs on both sides
	// of a comparison: a link is changed only when its target is.
	s := Side{Version: v, Doc: d, links: c.linker().resolver(e, c.repoRelative(v.Path), v, false)}
	if bs, ok := c.versionBlocks.get(v); ok {
		s.blocks, s.trace = bs.blocks, bs.trace
	} else {
		s.trace = &linkTrace{}
		s.blocks = blocksOf(s.Doc, s.trace.record(s.links))
		c.versionBlocks.put(v, sideBlocks{s.blocks, s.trace}, blocksSize(s.blocks))
	}
	return s, nil
}

// Blocks splits a side's body into the blocks a redline compares.
func Blocks(d *document.Document) []markdown.Block { return blocksOf(d, nil) }

func blocksOf(d *document.Document, links markdown.LinkResolver) []markdown.Block {
	// File lines, as clause check reports them.
	opts := []markdown.Option{markdown.WithFirstLine(d.BodyLine)}
	if d.TitleFromBody {
		opts = append(opts, markdown.WithoutTitle(d.Title))
	}
	if links != nil {
		opts = append(opts, markdown.WithLinks(links))
	}
	return markdown.Blocks(d.Body, opts...)
}

// Comparison is a redline with what changed outside the text.
type Comparison struct {
	*diff.Redline
	// Metadata lists changes of front matter a reader cares about
	// ("Effective date: 2026-03-01 → 2026-12-15").
	Metadata []string
	// SourceChanged reports that the files differ at all: a redline with
	// no textual change then means a change of layout (line breaks) only.
	SourceChanged bool
}

// Compare computes the redline between two sides.
func Compare(from, to Side) *Comparison {
	cmp := &Comparison{Redline: diff.Compare(from.blockList(), to.blockList())}
	cmp.SourceChanged = !bytes.Equal(from.Doc.Source, to.Doc.Source)
	// The compare page names them in the browser with the same function.
	cmp.Metadata = redline.MetadataChanges(meta(from.Doc), meta(to.Doc))
	return cmp
}

// Summary says what changed, for readers and feeds.
func (cmp *Comparison) Summary() string {
	s := cmp.Redline.Summary()
	if cmp.Identical() && cmp.SourceChanged {
		if len(cmp.Metadata) > 0 {
			s = "No change to the text; " + lowerFirst(strings.Join(cmp.Metadata, "; "))
		} else {
			s = "No textual change (layout only)"
		}
	} else if len(cmp.Metadata) > 0 {
		s += "; " + lowerFirst(strings.Join(cmp.Metadata, "; "))
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// comparePairs lists the precomputed comparisons of e, indexes into
// e.Versions, in the order the version pages compute them (newest first):
// each version against its predecessor, and each but the newest against
// the newest (the current text). These are the redlines readers without
// JavaScript, crawlers and print get, on the version pages; any other
// pair is compared in the browser, on the compare page (ComparePageURL).
func comparePairs(e *Entry) []comparison {
	n := len(e.Versions)
	var pairs []comparison
	for i := 0; i < n; i++ {
		pairs = append(pairs, versionComparisons(e, i)...)
	}
	return pairs
}

// versionComparisons are the comparisons on the page of version i of e:
// against its predecessor, then against the current text.
func versionComparisons(e *Entry, i int) []comparison {
	var out []comparison
	if i+1 < len(e.Versions) {
		out = append(out, comparison{from: i + 1, to: i})
	}
	if i > 0 {
		out = append(out, comparison{from: i, to: 0, current: true})
	}
	return out
}

// redline computes the redline from version from to version to, for the
// version page that shows it (see comparison), and says what changed: for
// a version against its predecessor, the summary readers see in the
// changelog (see Catalog.versionSummary). It returns the parameters of
// the page's view of it (redlineParams).
//
// The redline against the predecessor keeps the unchanged text, folded, so
// it can be read in context; the redline against the current text names
// unchanged runs and links to the full text, or a long history would
// repeat every version's whole text once more on every version page.
func (p *pager) redline(e *Entry, c comparison) (map[string]any, string, error) {
	from, to := c.from, c.to
	if e.Versions[from].TooLarge() || e.Versions[to].TooLarge() {
		return p.notCompared(e, c)
	}
	if pr := p.registerPair(e, c); pr != nil {
		return p.registerRedline(e, c, pr)
	}
	hopts := p.redlineOptions(e, c)
	var key [32]byte
	if p.memo != nil {
		var heads [2]versionHead
		for k, i := range []int{from, to} {
			h, _, err := p.versionHead(e, e.Versions[i])
			if err != nil {
				return nil, "", err
			}
			heads[k] = h
		}
		// The document's language: what the page says of the redline may be
		// written in it.
		key = p.memo.key("compare", heads[0].part(), heads[1].part(), stringPart(hopts.LinkBase, fmt.Sprint(hopts.Omit), hopts.IDPrefix, fmt.Sprint(hopts.Level), e.Language, wordsKey(hopts.Words)))
		if params, summary, ok, err := p.memoRedline(e, c, heads, key); ok || err != nil {
			return params, summary, err
		}
	}
	p.comparing(e, from, to)
	a, err := p.side(e, from)
	if err != nil {
		return nil, "", err
	}
	b, err := p.side(e, to)
	if err != nil {
		return nil, "", err
	}
	// Every version is compared with its predecessor here: its text for
	// the compare page is published as it is read.
	if err := p.publishText(e, from, a); err != nil {
		return nil, "", err
	}
	if err := p.publishText(e, to, b); err != nil {
		return nil, "", err
	}
	cmp := Compare(a, b)
	var buf bytes.Buffer
	if err := diff.WriteHTML(&buf, cmp.Redline, hopts); err != nil {
		return nil, "", err
	}
	f := factsOf(cmp)
	if p.memo != nil {
		p.memo.count(false)
		p.memo.put(key, &compareMemo{HTML: p.memo.putBlob(buf.Bytes()), Facts: f, LinksFrom: a.trace.list(), LinksTo: b.trace.list()})
	}
	return p.redlineParams(e, c, f, site.Defer(buf.Bytes()))
}

// redlineOptions is how the redline of c is written on its version's
// page: its ids apart from the text's and the other redline's, its
// headings under the view's own (an h2), its clauses linked to the newer
// version's text.
func (p *pager) redlineOptions(e *Entry, c comparison) diff.HTMLOptions {
	return diff.HTMLOptions{LinkBase: VersionURL(e.ID, e.Versions[c.to].ID), Omit: !c.againstPredecessor(), Words: p.redlineWords(e.Language), IDPrefix: c.idPrefix(), Level: 2}
}

// compared is what a version page shows of a comparison besides its
// redline.
type compared struct {
	// RedlineSummary is the redline's own summary, Summary the
	// comparison's (with the changes of front matter).
	RedlineSummary, Summary  string
	Identical, SourceChanged bool
	Metadata                 []string
	Stats                    diff.Stats
}

func factsOf(cmp *Comparison) compared {
	return compared{
		RedlineSummary: cmp.Redline.Summary(),
		Summary:        cmp.Summary(),
		Identical:      cmp.Identical(),
		SourceChanged:  cmp.SourceChanged,
		Metadata:       cmp.Metadata,
		Stats:          cmp.Stats,
	}
}

// compareMemo is a comparison kept by the memo: its redline's HTML, what
// the page says of it, and the links each side resolved.
type compareMemo struct {
	HTML               blobRef
	Facts              compared
	LinksFrom, LinksTo []resolved
}

// memoRedline is redline from the memo: ok is false when the memo has no
// entry for the comparison, or one whose links no longer resolve the same
// way, or the texts of its versions are not kept.
func (p *pager) memoRedline(e *Entry, c comparison, heads [2]versionHead, key [32]byte) (params map[string]any, summary string, ok bool, err error) {
	from, to := c.from, c.to
	var m compareMemo
	if !p.memo.get(key, &m) {
		return nil, "", false, nil
	}
	if !stillResolve(m.LinksFrom, p.sideLinks(e, from)) || !stillResolve(m.LinksTo, p.sideLinks(e, to)) || !p.memo.hasBlob(m.HTML) {
		return nil, "", false, nil
	}
	for k, i := range []int{from, to} {
		if !p.memoPublishText(e, i, heads[k]) {
			return nil, "", false, nil
		}
	}
	p.memo.count(true)
	// The redline itself is read only if the page cache lacks the page.
	params, summary, err = p.redlineParams(e, c, m.Facts, site.DeferLazy(p.memo.lazy(m.HTML)))
	return params, summary, true, err
}

// sideLinks is how links read in version i of e when it is compared (see
// VersionSide).
func (p *pager) sideLinks(e *Entry, i int) markdown.LinkResolver {
	v := e.Versions[i]
	return p.c.linker().resolver(e, p.c.repoRelative(v.Path), v, false)
}

// redlineParams are the parameters of a redline's view on its version's
// page (the theme's redline.html partial), given its HTML: where it is,
// its two sides, what changed.
func (p *pager) redlineParams(e *Entry, c comparison, f compared, html *site.Deferred) (map[string]any, string, error) {
	params := p.redlineSides(e, c)
	params["summary"] = f.RedlineSummary
	if !isEnglish(e.Language) {
		params["summary"] = localStatsSummary(p.localizer(e.Language), f.Stats)
	}
	params["identical"] = f.Identical
	params["metadata"] = f.Metadata
	if !f.Identical {
		params["html"] = html
	}
	summary := f.Summary
	if c.againstPredecessor() {
		var err error
		if summary, err = p.c.versionSummaryOf(e, c.to, f.Summary, f.Metadata); err != nil {
			return nil, "", err
		}
		// Readers of a document not in English read what changed in
		// its language.
		if e.Versions[c.to].LocalSummary, err = p.localVersionSummary(e, c.to, f); err != nil {
			return nil, "", err
		}
	}
	return params, summary, nil
}

// redlineSides are the parameters every redline's view has: where it is
// on the page, and its two sides, by date and page (not their summaries:
// a version page is computed before its predecessor's).
func (p *pager) redlineSides(e *Entry, c comparison) map[string]any {
	inForce := e.InForce(p.c.Today, p.loc)
	side := func(i int) map[string]any {
		v := e.Versions[i]
		return map[string]any{"id": v.ID, "url": VersionURL(e.ID, v.ID), "date": p.versionStamp(v), "status": e.status(i, inForce)}
	}
	return map[string]any{"anchor": c.anchor(), "current": c.current, "from": side(c.from), "to": side(c.to)}
}

// registerPair returns the comparison by rows of versions from and to of
// a large register, or nil when they are redlined word by word (see
// RedlineRegisterRows).
func (p *pager) registerPair(e *Entry, c comparison) *registerPair {
	from, to := c.from, c.to
	h, err := p.c.Register(e)
	if err != nil || h == nil || h.redlines == nil {
		return nil
	}
	r := h.redlines
	if r.rest[from] == nil || r.rest[to] == nil {
		return nil
	}
	return r.pairs[[2]int{from, to}]
}

// registerRedline is the redline of two versions of a large register:
// its rows compared by sub-processor (writeRegisterRedline), then the rest
// of the text, its rows left out, word by word. The counts of the redline
// include the rows: a row added is a block inserted, a row changed or
// rewritten a block changed.
func (p *pager) registerRedline(e *Entry, c comparison, pr *registerPair) (map[string]any, string, error) {
	from, to := c.from, c.to
	h, err := p.c.Register(e)
	if err != nil {
		return nil, "", err
	}
	var sides [2]Side
	for k, i := range []int{from, to} {
		v := e.Versions[i]
		d, err := p.c.ParseVersion(e, v)
		if err != nil {
			return nil, "", err
		}
		d.Body = h.redlines.rest[i]
		sides[k] = Side{Version: v, Doc: d, links: p.c.linker().resolver(e, p.c.repoRelative(v.Path), v, false)}
	}
	cmp := Compare(sides[0], sides[1])
	var buf bytes.Buffer
	writeRegisterRedline(&buf, pr)
	if err := diff.WriteHTML(&buf, cmp.Redline, p.redlineOptions(e, c)); err != nil {
		return nil, "", err
	}
	ch := pr.changes
	cmp.Changed += len(ch.Changed) + len(pr.rewritten)
	cmp.Inserted += len(ch.Added)
	cmp.Deleted += len(ch.Removed)
	cmp.Moved += len(ch.Moved)
	cmp.Unchanged += pr.unchanged
	return p.redlineParams(e, c, factsOf(cmp), site.Defer(buf.Bytes()))
}

// notCompared stands for the redline between two versions when one of
// them is too large to compare: the version's page says why there is no
// redline.
func (p *pager) notCompared(e *Entry, c comparison) (map[string]any, string, error) {
	params := p.redlineSides(e, c)
	params["summary"] = "Not compared"
	params["identical"] = false
	params["not_compared"] = true
	var html bytes.Buffer
	for _, i := range []int{c.from, c.to} {
		if v := e.Versions[i]; v.TooLarge() {
			r, err := markdown.Render([]byte(tooLargeNote(v)))
			if err != nil {
				return nil, "", err
			}
			html.Write(r.HTML)
		}
	}
	params["html"] = site.Defer(html.Bytes())
	return params, "not compared: a version is too large", nil
}

// maxSideBytes bounds the source bytes of the parsed versions the pager
// keeps (their blocks take several times as much): enough for every
// version of a usual document, while a long history of large documents is
// parsed again rather than held whole.
const maxSideBytes = 16 << 20

// side returns version i of e. The comparisons of one document come one
// after the other and reuse the same versions, so the pager keeps the
// current document's parsed versions (and their blocks), up to
// maxSideBytes of source, and drops them all when the next document
// starts. When it must drop one, it drops the version whose next use in
// the order of comparePairs is furthest away (or never comes), the least
// recently used among equals: with every pair of 6 large versions
// compared, least recently used first parsed 11 versions where 9 do.
func (p *pager) side(e *Entry, i int) (Side, error) {
	if p.sidesOf != e {
		p.sidesOf, p.sides = e, nil
	}
	for k, cs := range p.sides {
		if cs.i == i {
			p.sides = append(append(p.sides[:k:k], p.sides[k+1:]...), cs)
			return cs.side, nil
		}
	}
	s, err := p.c.VersionSide(e, e.Versions[i])
	if err != nil {
		return Side{}, err
	}
	total := len(s.Doc.Source)
	for _, cs := range p.sides {
		total += len(cs.side.Doc.Source)
	}
	// Two sides at least: the one being compared with stays.
	for len(p.sides) > 1 && total > maxSideBytes {
		k := 0
		for j := range p.sides[:len(p.sides)-1] {
			if p.nextUse(e, p.sides[j].i) > p.nextUse(e, p.sides[k].i) {
				k = j
			}
		}
		total -= len(p.sides[k].side.Doc.Source)
		p.sides = append(p.sides[:k:k], p.sides[k+1:]...)
	}
	p.sides = append(p.sides, cachedSide{i, s})
	return s, nil
}

// comparing records that the comparison from → to of e is being built,
// for nextUse.
func (p *pager) comparing(e *Entry, from, to int) {
	if p.pairsOf != e {
		p.pairsOf, p.pairs, p.pairAt = e, nil, map[[2]int]int{}
		for k, c := range comparePairs(e) {
			pr := [2]int{c.from, c.to}
			p.pairs = append(p.pairs, pr)
			if _, ok := p.pairAt[pr]; !ok {
				p.pairAt[pr] = k
			}
		}
	}
	p.pairNow = len(p.pairs)
	if k, ok := p.pairAt[[2]int{from, to}]; ok {
		p.pairNow = k
	}
	// A version no comparison ahead reads is dropped now rather than when
	// the budget is reached: the blocks of a large version take tens of
	// megabytes.
	if p.sidesOf == e && p.pairNow < len(p.pairs) {
		kept := p.sides[:0]
		for _, cs := range p.sides {
			if p.nextUse(e, cs.i) < len(p.pairs) {
				kept = append(kept, cs)
			}
		}
		clear(p.sides[len(kept):])
		p.sides = kept
	}
}

// nextUseWindow bounds how far ahead nextUse looks, so that a long
// history of large versions does not make every eviction scan it all.
const nextUseWindow = 256

// nextUse is the position in comparePairs(e), from the comparison being
// built on, of the next comparison that reads version i of e; len(pairs)
// when none does within nextUseWindow comparisons or the order is not
// known.
func (p *pager) nextUse(e *Entry, i int) int {
	if p.pairsOf != e {
		return 0
	}
	for k := p.pairNow; k < min(len(p.pairs), p.pairNow+nextUseWindow); k++ {
		if p.pairs[k][0] == i || p.pairs[k][1] == i {
			return k
		}
	}
	return len(p.pairs)
}

// VersionAtRevision returns the index in e.Versions of the version that was
// the document's newest at a git revision ("HEAD~1", a tag, a branch, a
// commit hash): the newest version whose commit is on the revision's
// first-parent history. It returns -1 when the document had no version
// yet there.
func (c *Catalog) VersionAtRevision(e *Entry, rev string) (int, error) {
	if c.repo == nil {
		return -1, errors.New("no git history: revisions cannot be resolved")
	}
	index := map[string]int{}
	for i, v := range e.Versions {
		if _, seen := index[v.Commit]; !seen {
			index[v.Commit] = i
		}
	}
	h, err := c.repo.AtRevision(rev, func(hash string) bool { _, ok := index[hash]; return ok }, 1<<22)
	if errors.Is(err, history.ErrNotOnHistory) {
		return -1, nil
	}
	if err != nil {
		return -1, err
	}
	return index[h], nil
}

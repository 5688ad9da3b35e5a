package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clause-portal/clause/generator/diff"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/history"
	"github.com/clause-portal/clause/generator/markdown"
	"github.com/clause-portal/clause/generator/portal"
	"github.com/clause-portal/clause/internal/termsafe"
)

// DiffOptions are the flags of clause diff.
type DiffOptions struct {
	Repo, Content string
	Document      string
	From, To      string
	Format        string
	Color         string
	Context       int
	MaxBytes      int
	HistoryFlags
}

func newDiffCmd(streams *IO, runF func(*DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{}
	cmd := &cobra.Command{
		Use:   "diff DOC [FROM [TO]]",
		Short: "Show the redline between two versions of a document",
		Long: `Diff prints the redline a legal reader needs, not a line diff of markdown:
blocks (clauses, paragraphs, list items, table rows) are aligned, re-wrapping
is no change, and within a changed block the inserted and removed words are
marked. It is the same redline the portal publishes.

FROM and TO name a version:
  a version id or prefix     8c0afc04bc20
  a commit hash prefix       5c5198c
  a date YYYY-MM-DD          the version in force on that date
  HEAD                       the newest committed version
  any git revision           HEAD~1, a tag, a branch, a commit: the version
                             that was the newest there
  WORKTREE                   the file as it is now, with uncommitted edits

Without TO, the comparison is against WORKTREE when the file has
uncommitted changes, else HEAD. Without FROM, against the version before TO
(or HEAD, for uncommitted changes).

--format markdown writes GitHub-flavoured markdown for a pull request comment
or a CI job summary ($GITHUB_STEP_SUMMARY), cut at --max-bytes.`,
		Example: `  clause diff dpa                     # what the last change did (or your uncommitted edits)
  clause diff dpa 2026-01-01          # what changed since the text in force on 1 January
  clause diff dpa 8c0afc04 HEAD --format html > redline.html
  clause diff dpa origin/main HEAD --format markdown >> "$GITHUB_STEP_SUMMARY"`,
		Args: usageArgs(cobra.RangeArgs(1, 3)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Document = args[0]
			if len(args) > 1 {
				opts.From = args[1]
			}
			if len(args) > 2 {
				opts.To = args[2]
			}
			switch opts.Format {
			case "text", "json", "html", "markdown":
			default:
				return usageError{fmt.Errorf("--format %q: use text, json, html or markdown", opts.Format)}
			}
			if opts.MaxBytes < 0 {
				return usageError{fmt.Errorf("--max-bytes %d: use 0 (no limit) or more", opts.MaxBytes)}
			}
			switch opts.Color {
			case "auto", "always", "never":
			default:
				return usageError{fmt.Errorf("--color %q: use auto, always or never", opts.Color)}
			}
			if runF != nil {
				return runF(opts)
			}
			return diffRun(cmd, streams, opts)
		},
	}
	addSourceFlags(cmd, &opts.Repo, &opts.Content)
	addHistoryFlags(cmd, &opts.HistoryFlags)
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output `format`: text, json, html or markdown")
	cmd.Flags().IntVar(&opts.MaxBytes, "max-bytes", 60000, "with --format markdown, leave out the changes beyond this size (a GitHub comment holds 65,536 characters); 0: no limit")
	cmd.Flags().StringVar(&opts.Color, "color", "auto", "colour the text output: auto (on a terminal, unless $NO_COLOR), always, never")
	cmd.Flags().IntVar(&opts.Context, "context", 1, "unchanged blocks shown around each change")
	return cmd
}

func diffRun(cmd *cobra.Command, streams *IO, opts *DiffOptions) (err error) {
	// Messages may quote content or a server's reply: escaped for the
	// terminal (see termsafe).
	defer func() { err = termsafe.Error(err) }()
	c, err := loadCatalog(cmd, streams, opts.Repo, opts.Content, true, opts.HistoryFlags)
	if err != nil {
		return err
	}
	defer c.Close()
	e, err := c.Find(opts.Document)
	if err != nil {
		return usageError{err}
	}
	to, err := resolveSide(c, e, opts.To, "")
	if err != nil {
		return usageError{fmt.Errorf("%s: %w", cmd.CommandPath(), err)}
	}
	from, err := resolveSide(c, e, opts.From, "before", to)
	if err != nil {
		return usageError{fmt.Errorf("%s: %w", cmd.CommandPath(), err)}
	}
	cmp := portal.Compare(from, to)
	switch opts.Format {
	case "json":
		return writeDiffJSON(streams.Out, e, from, to, cmp)
	case "html":
		return writeDiffHTML(streams.Out, e, from, to, cmp, opts.Context)
	case "markdown":
		return writeDiffMarkdown(streams.Out, c, e, from, to, cmp, diff.MarkdownOptions{Context: contextOpt(opts.Context), MaxBytes: opts.MaxBytes})
	}
	color := opts.Color == "always" || opts.Color == "auto" && streams.OutIsTerminal && streams.Getenv("NO_COLOR") == ""
	fmt.Fprintf(streams.Out, "%s: %s → %s\n", termsafe.Line(e.Doc.Title), describeSide(c, from), describeSide(c, to))
	for _, m := range cmp.Metadata {
		fmt.Fprintln(streams.Out, termsafe.Text(m))
	}
	if cmp.Identical() && cmp.SourceChanged && len(cmp.Metadata) == 0 {
		fmt.Fprintln(streams.Out, "The files differ only in layout (line breaks, spacing, markup); the words are the same.")
	}
	return writeDiffText(streams.Out, cmp.Redline, diff.TextOptions{Color: color, Context: contextOpt(opts.Context)})
}

// redlineColors are the ANSI sequences diff.WriteText colours with: the
// only escape sequences the text output may contain.
var redlineColors = []string{"\x1b[0m", "\x1b[31;9m", "\x1b[32m", "\x1b[36m", "\x1b[2m"}

// writeDiffText writes the text redline with every control character that
// comes from the documents escaped (see termsafe): a document's text is
// untrusted and must not drive the terminal (clear the screen, write the
// clipboard) nor forge the redline's own colours. The texts are escaped
// before the redline is laid out, and the result is checked again, letting
// through only the colour codes diff.WriteText writes.
func writeDiffText(w io.Writer, r *diff.Redline, opts diff.TextOptions) error {
	var b bytes.Buffer
	if err := diff.WriteText(&b, safeRedline(r), opts); err != nil {
		return err
	}
	_, err := io.WriteString(w, termsafe.TextKeeping(b.String(), redlineColors...))
	return err
}

// safeRedline returns a copy of r whose texts have their control
// characters escaped; r is not changed.
func safeRedline(r *diff.Redline) *diff.Redline {
	if r == nil {
		return nil
	}
	out := *r
	out.Blocks = make([]diff.BlockDiff, len(r.Blocks))
	blocks := map[*markdown.Block]*markdown.Block{}
	safeBlock := func(b *markdown.Block) *markdown.Block {
		if b == nil {
			return nil
		}
		if c, ok := blocks[b]; ok {
			return c
		}
		c := *b
		c.Text, c.Number, c.Anchor = termsafe.Text(b.Text), termsafe.Line(b.Number), termsafe.Line(b.Anchor)
		c.Cells = safeStrings(b.Cells)
		c.Links = safeStrings(b.Links)
		blocks[b] = &c
		return &c
	}
	safeSpans := func(spans []diff.Span) []diff.Span {
		if spans == nil {
			return nil
		}
		s := make([]diff.Span, len(spans))
		for i, sp := range spans {
			sp.Text = termsafe.Text(sp.Text)
			s[i] = sp
		}
		return s
	}
	out.Moves = make([]diff.Move, len(r.Moves))
	for i, m := range r.Moves {
		m.From, m.To = termsafe.Line(m.From), termsafe.Line(m.To)
		out.Moves[i] = m
	}
	for i, bd := range r.Blocks {
		bd.Old, bd.New = safeBlock(bd.Old), safeBlock(bd.New)
		bd.Spans = safeSpans(bd.Spans)
		if bd.Cells != nil {
			cells := make([][]diff.Span, len(bd.Cells))
			for j, c := range bd.Cells {
				cells[j] = safeSpans(c)
			}
			bd.Cells = cells
		}
		out.Blocks[i] = bd
	}
	return &out
}

func safeStrings(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = termsafe.Line(s)
	}
	return out
}

// contextOpt maps the --context flag to diff's convention (0 = default).
func contextOpt(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

func describeSide(c *portal.Catalog, s portal.Side) string {
	if s.Version == nil {
		return "working tree (uncommitted)"
	}
	return fmt.Sprintf("%s (%.7s, %s)", s.Version.ID, s.Version.Commit, s.Version.Date.In(c.Config.Location).Format("2006-01-02"))
}

// ErrNoVersion is returned when a FROM or TO names no version.
var ErrNoVersion = errors.New("no such version")

// noVersionError is an ErrNoVersion whose message says what went wrong
// without repeating "no such version".
type noVersionError struct{ msg string }

func (e noVersionError) Error() string { return e.msg }
func (e noVersionError) Unwrap() error { return ErrNoVersion }

func noVersion(format string, args ...any) error {
	return noVersionError{fmt.Sprintf(format, args...)}
}

// maxListed bounds the versions an error message lists.
const maxListed = 5

// versionList names e's versions for an error message, newest first:
// "versions of dpa: 320c22cb6c5a (published 2026-11-23, effective
// 2026-12-15), …", at most maxListed of them.
func versionList(c *portal.Catalog, e *portal.Entry) string {
	if len(e.Versions) == 0 {
		return e.ID + " has no committed version"
	}
	var parts []string
	for i, v := range e.Versions {
		if i == maxListed {
			parts = append(parts, fmt.Sprintf("and %d older (see: clause log %s)", len(e.Versions)-i, e.ID))
			break
		}
		p := fmt.Sprintf("%s (published %s", v.ID, v.Date.In(c.Config.Location).Format("2006-01-02"))
		if eff := v.TakesEffect(c.Config.Location); eff != document.DateOf(v.Date.In(c.Config.Location)) {
			p += ", effective " + eff.String()
		}
		parts = append(parts, p+")")
	}
	return "versions of " + e.ID + ": " + strings.Join(parts, ", ")
}

// resolveSide finds the side a FROM/TO argument names. An empty ref takes
// the default: for TO, the working tree if it has changes, else HEAD; for
// FROM ("before"), the version before TO.
func resolveSide(c *portal.Catalog, e *portal.Entry, ref, role string, others ...portal.Side) (portal.Side, error) {
	vs := e.Versions
	version := func(i int) (portal.Side, error) { return c.VersionSide(e, vs[i]) }
	worktree := c.WorktreeSide(e)
	if ref == "" {
		if role == "before" {
			to := others[0]
			if to.Version == nil {
				if len(vs) == 0 {
					return portal.Side{}, noVersion("%s has no committed version to compare the working tree with", e.Doc.Path)
				}
				return version(0)
			}
			for i, v := range vs {
				if v == to.Version && i+1 < len(vs) {
					return version(i + 1)
				}
			}
			return portal.Side{}, noVersion("version %s of %s is the first; name FROM", to.Version.ID, e.ID)
		}
		if e.Uncommitted || len(vs) == 0 {
			return worktree, nil
		}
		return version(0)
	}
	switch strings.ToUpper(ref) {
	case "WORKTREE":
		if e.Retired {
			return portal.Side{}, noVersion("WORKTREE: %s is retired; it has no working tree file", e.ID)
		}
		return worktree, nil
	case "HEAD":
		if len(vs) == 0 {
			return portal.Side{}, noVersion("HEAD: %s has no committed version", e.Doc.Path)
		}
		return version(0)
	}
	if d, err := document.ParseDate(ref); err == nil && len(ref) == 10 {
		for i, v := range vs {
			if !v.TakesEffect(c.Config.Location).After(d) {
				return version(i)
			}
		}
		return portal.Side{}, noVersion("%s: no version of %s was in force yet; %s", ref, e.ID, versionList(c, e))
	}
	var match []int
	for i, v := range vs {
		if strings.HasPrefix(v.ID, ref) || len(ref) >= 4 && strings.HasPrefix(v.Commit, strings.ToLower(ref)) {
			match = append(match, i)
		}
	}
	switch len(match) {
	case 1:
		return version(match[0])
	case 0:
		// Any git revision: the version that was the document's newest
		// there.
		i, err := c.VersionAtRevision(e, ref)
		switch {
		case err == nil && i >= 0:
			return version(i)
		case err == nil:
			return portal.Side{}, noVersion("%s: %s had no version yet at that revision; %s", ref, e.ID, versionList(c, e))
		case errors.Is(err, history.ErrRefNotFound):
		default: // the message names ref
			return portal.Side{}, noVersion("%v", err)
		}
		return portal.Side{}, noVersion("%q: not a version id, date (YYYY-MM-DD), git revision (HEAD~1, a tag, a branch, a commit) or WORKTREE; %s", ref, versionList(c, e))
	}
	return portal.Side{}, noVersion("%q matches %d versions of %s; give more characters", ref, len(match), e.ID)
}

func sideJSON(s portal.Side) map[string]any {
	if s.Version == nil {
		return map[string]any{"version": nil, "worktree": true, "path": s.Doc.Path}
	}
	v := s.Version
	return map[string]any{"version": v.ID, "commit": v.Commit, "date": v.Date.Format("2006-01-02T15:04:05Z07:00"), "path": v.Path, "sha256": v.SHA256, "worktree": false}
}

func writeDiffJSON(w io.Writer, e *portal.Entry, from, to portal.Side, cmp *portal.Comparison) error {
	var red bytes.Buffer
	if err := diff.WriteJSON(&red, cmp.Redline); err != nil {
		return err
	}
	metadata := cmp.Metadata
	if metadata == nil {
		metadata = []string{}
	}
	out := map[string]any{
		"document": e.ID, "from": sideJSON(from), "to": sideJSON(to),
		"summary": cmp.Summary(), "identical": cmp.Identical(), "metadata": metadata,
		"redline": json.RawMessage(red.Bytes()),
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// diffStyle makes the standalone HTML redline readable on its own (a file
// mailed to a reviewer); the portal's pages use the theme's stylesheet.
const diffStyle = `body{font:16px/1.55 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}
ins{background:#dafbe1;text-decoration:underline}del{background:#ffebe9;text-decoration:line-through}
.rl-label{font-size:.8rem;text-transform:uppercase;color:#57606a;margin:1.5rem 0 .25rem}
.rl-inserted,.rl-deleted,.rl-changed,.rl-moved{border-left:3px solid #d0d7de;padding-left:.6rem}
.rl-inserted{border-color:#1a7f37}.rl-deleted{border-color:#cf222e}.rl-changed{border-color:#bf8700}
.rl-note{font-size:.8rem;color:#57606a;font-style:italic}.rl-unchanged{color:#57606a}
.rl-renumbered,.rl-reparagraphed{border-left:3px dotted #d0d7de;padding-left:.6rem}
.renumbered{color:#57606a}.renumbered del,.renumbered ins{background:none}.renumbered ins{text-decoration:none}
.renumbered del::after{content:"→";display:inline-block;text-decoration:none}
.rl-departed{font-size:.8rem;color:#57606a;font-style:italic;border-left:3px dashed #0969da;padding-left:.6rem}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.3rem .5rem}`

func writeDiffHTML(w io.Writer, e *portal.Entry, from, to portal.Side, cmp *portal.Comparison, context int) error {
	title := fmt.Sprintf("Changes to %s: %s → %s", e.Doc.Title, from.Label(), to.Label())
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n<h1>%s</h1>\n<p><strong>%s.</strong></p>\n",
		html.EscapeString(title), diffStyle, html.EscapeString(title), html.EscapeString(cmp.Summary()))
	if err := diff.WriteHTML(w, cmp.Redline, diff.HTMLOptions{Context: context}); err != nil {
		return err
	}
	_, err := io.WriteString(w, "</body>\n</html>\n")
	return err
}

// writeDiffMarkdown writes the redline as GitHub-flavoured markdown: a
// heading naming the document and the two versions, the changes of front
// matter, then diff.WriteMarkdown's summary and passages. Text from the
// documents is escaped (diff.EscapeMarkdown).
func writeDiffMarkdown(w io.Writer, c *portal.Catalog, e *portal.Entry, from, to portal.Side, cmp *portal.Comparison, opts diff.MarkdownOptions) error {
	esc := diff.EscapeMarkdown
	var b strings.Builder
	fmt.Fprintf(&b, "### Changes to %s: %s → %s\n\n", esc(e.Doc.Title), esc(from.Label()), esc(to.Label()))
	fmt.Fprintf(&b, "From %s to %s.\n\n", esc(describeSide(c, from)), esc(describeSide(c, to)))
	for _, m := range cmp.Metadata {
		b.WriteString("- " + esc(m) + "\n")
	}
	if len(cmp.Metadata) > 0 {
		b.WriteString("\n")
	}
	if cmp.Identical() && cmp.SourceChanged && len(cmp.Metadata) == 0 {
		b.WriteString("The files differ only in layout (line breaks, spacing, markup); the words are the same.\n\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if opts.MaxBytes > 0 {
		opts.MaxBytes = max(opts.MaxBytes-b.Len(), 1)
	}
	return diff.WriteMarkdown(w, cmp.Redline, opts)
}

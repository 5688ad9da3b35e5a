package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clause-portal/clause/generator/diff"
	"github.com/clause-portal/clause/generator/notify"
	"github.com/clause-portal/clause/generator/portal"
)

// ReviewMarker is the hidden line that starts every clause review comment:
// the pull-request workflow finds its earlier comment by it and updates it
// instead of adding another.
const ReviewMarker = "<!-- clause-review -->"

// ReviewOptions are the flags of clause review.
type ReviewOptions struct {
	Repo, Content string
	// Base is the revision the pull request merges into (default HEAD^,
	// the first parent of a merge commit).
	Base string
	// Title is the pull request's title, shown as the subject of versions
	// made by a merge commit (GitHub's test merge commit has none).
	Title    string
	BaseURL  string
	MaxBytes int
	HistoryFlags
}

// reviewPlaceholderURL links notices when no base URL is known; it is
// removed from what is printed, leaving paths below the portal's root.
const reviewPlaceholderURL = "https://portal.clause.invalid"

func newReviewCmd(streams *IO, runF func(*ReviewOptions) error) *cobra.Command {
	opts := &ReviewOptions{}
	cmd := &cobra.Command{
		Use:   "review [BASE]",
		Short: "Describe what merging a pull request would publish, as a markdown comment",
		Long: `Review prints, as GitHub-flavoured markdown for a pull request comment and a
job summary, what the checked-out commit publishes that BASE did not: for
every document it changes, the versions it adds, whether each is material
(readers are notified) or minor, with the reason, its summary as the portal
and the notices put it ("1 clause changed", "1 added (Ledgerly AB);
objections due by …"), the notice that would be sent, and the redline
against the version in force at BASE; documents it retires, too.

Run it on a checkout of the pull request's merge commit (what
actions/checkout checks out for a pull_request event) with full history:
there the merge is one version per document, as the merge commit will be,
and BASE defaults to HEAD^, the base branch it merges into. Dates (and an
objection deadline) count from that commit's date; the real merge counts
from its own. On a branch of several commits, each commit that changes a
document is a version, as a fast-forward or rebase merge would publish it.

The output starts with a hidden marker line, ` + ReviewMarker + `, by which
the workflow finds and updates its own comment. It is cut to --max-bytes.`,
		Example: `  clause review                         # on the pull request's merge commit
  clause review origin/main --title "Add Ledgerly as a sub-processor" > comment.md`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Base = "HEAD^"
			if len(args) == 1 {
				opts.Base = args[0]
			}
			if opts.MaxBytes < 2000 {
				return usageError{fmt.Errorf("--max-bytes %d: use 2000 or more", opts.MaxBytes)}
			}
			if runF != nil {
				return runF(opts)
			}
			return reviewRun(cmd, streams, opts)
		},
	}
	addSourceFlags(cmd, &opts.Repo, &opts.Content)
	addHistoryFlags(cmd, &opts.HistoryFlags)
	cmd.Flags().StringVar(&opts.Title, "title", "", "the pull request's `title`: the subject of the versions a merge commit makes")
	cmd.Flags().StringVar(&opts.BaseURL, "base-url", "", "the portal's URL, for the links of the notices (default: as clause build finds it; else paths)")
	cmd.Flags().IntVar(&opts.MaxBytes, "max-bytes", 60000, "cut the comment to this size (a GitHub comment holds 65,536 characters)")
	return cmd
}

// reviewedDocument is one document the reviewed commit changes.
type reviewedDocument struct {
	entry *portal.Entry
	// added are the new versions, newest first (e.Versions[:len(added)]).
	added []*portal.Version
	// atBase is the index in e.Versions of the version at the base, or
	// -1 when the document is new.
	atBase  int
	retired bool
	// summaries are the versions' summaries, in the order of added.
	summaries []string
}

func reviewRun(cmd *cobra.Command, streams *IO, opts *ReviewOptions) error {
	lo := portal.LoadOptions{Repo: opts.Repo, Content: opts.Content, Ref: "HEAD",
		HistoryOptions: opts.HistoryFlags.options(streams), Log: io.Discard}
	c, err := portal.Load(cmd.Context(), lo)
	if err != nil {
		return err
	}
	defer c.Close()
	docs, err := reviewedDocuments(c, opts.Base)
	if err != nil {
		return err
	}
	base, err := c.BaseURL(opts.BaseURL, streams.Getenv)
	if err != nil {
		return err
	}
	return writeReview(streams.Out, c, docs, base, opts)
}

// reviewedDocuments lists the documents whose newest version at HEAD is
// not the one at base, and those retired since base.
func reviewedDocuments(c *portal.Catalog, base string) ([]reviewedDocument, error) {
	var out []reviewedDocument
	for _, e := range c.Entries {
		at, err := c.VersionAtRevision(e, base)
		if err != nil {
			return nil, usageError{fmt.Errorf("clause review: base %q: %w", base, err)}
		}
		d := reviewedDocument{entry: e, atBase: at}
		if at != 0 {
			n := at
			if at < 0 {
				n = len(e.Versions)
			}
			d.added = e.Versions[:n]
		}
		if d.retired, err = c.RetiredSince(e, base); err != nil {
			return nil, err
		}
		if len(d.added) == 0 && !d.retired {
			continue
		}
		for i := range d.added {
			s, err := c.VersionSummary(e, i)
			if err != nil {
				return nil, err
			}
			d.summaries = append(d.summaries, s)
		}
		out = append(out, d)
	}
	return out, nil
}

// materiality says whether v is notified, and why, in the words of the
// rule the portal and clause notify follow (see README, Material or
// minor).
func materiality(v *portal.Version) (word, why string) {
	switch {
	case v.Material && v.ChangeType() == "material":
		return "material", "marked `Change-Type: material`: readers are notified"
	case v.Material:
		return "material", "readers are notified (a `Change-Type: minor` trailer in the merge commit's message would make it minor)"
	case v.LayoutOnly && v.ChangeType() != "minor":
		return "minor", "archived and listed, not notified, since no word changed (a `Change-Type: material` trailer would notify it)"
	default:
		return "minor", "marked `Change-Type: minor`: archived and listed, not notified"
	}
}

func writeReview(w io.Writer, c *portal.Catalog, docs []reviewedDocument, base string, opts *ReviewOptions) error {
	esc := diff.EscapeMarkdown
	linkBase := base
	if linkBase == "" {
		linkBase = reviewPlaceholderURL
	}
	notices, err := c.Notices(linkBase)
	if err != nil {
		return err
	}
	byKey := map[string]notify.Notice{}
	for _, n := range notices {
		byKey[n.Key()] = n
	}
	subject := func(v *portal.Version) string {
		if v.Merge && opts.Title != "" {
			return opts.Title
		}
		return v.Subject
	}

	var head strings.Builder
	head.WriteString(ReviewMarker + "\n")
	head.WriteString("## What merging this pull request publishes\n\n")
	if len(docs) == 0 {
		head.WriteString("No published document changes: the portal's documents, their versions and notices stay as they are.\n")
		_, err := io.WriteString(w, head.String())
		return err
	}
	material, minor, retired := 0, 0, 0
	for _, d := range docs {
		if d.retired {
			retired++
		}
		for _, v := range d.added {
			if v.Material {
				material++
			} else {
				minor++
			}
		}
	}
	var counts []string
	if material > 0 {
		counts = append(counts, plural(material, "material change")+" (readers are notified)")
	}
	if minor > 0 {
		counts = append(counts, plural(minor, "minor change")+" (archived, not notified)")
	}
	if retired > 0 {
		counts = append(counts, plural(retired, "retired document")+" (notified)")
	}
	fmt.Fprintf(&head, "%s: %s.\n\n", plural(len(docs), "document"), strings.Join(counts, ", "))
	head.WriteString("| Document | Version | Change | Summary |\n| --- | --- | --- | --- |\n")
	for _, d := range docs {
		e := d.entry
		for i, v := range d.added {
			word, _ := materiality(v)
			fmt.Fprintf(&head, "| %s | `%s` | %s | %s |\n", esc(e.Doc.Title), v.ID, word, esc(d.summaries[i]))
		}
		if d.retired {
			fmt.Fprintf(&head, "| %s | | retired | The document is deleted: its pages stay online, marked retired |\n", esc(e.Doc.Title))
		}
	}
	head.WriteString("\n")

	// Each document's section: its versions, their notices, then the
	// redline, which is cut to what the comment has room for.
	var sections []string
	var redlines []func(max int) (string, error)
	for _, d := range docs {
		e := d.entry
		var s strings.Builder
		fmt.Fprintf(&s, "### %s (`%s`)\n\n", esc(e.Doc.Title), esc(e.Doc.Path))
		var batch []notify.Notice
		for i, v := range d.added {
			word, why := materiality(v)
			fmt.Fprintf(&s, "- **Version `%s`**: %s. **%s**: %s.", v.ID, esc(strings.TrimSuffix(d.summaries[i], ".")), upperFirstWord(word), why)
			if sub := subject(v); sub != "" {
				fmt.Fprintf(&s, " Change: %s.", esc(strings.TrimSuffix(sub, ".")))
			}
			if !v.Effective.IsZero() {
				fmt.Fprintf(&s, " Takes effect on %s.", v.Effective)
			}
			s.WriteString("\n")
			if n, ok := byKey[e.DocKey()+"@"+v.ID]; ok {
				n.Subject = subject(v)
				batch = append(batch, n)
			}
		}
		if d.retired {
			s.WriteString("- **Retired**: the document is deleted from the content folder; its pages stay online, marked retired, and readers are notified.\n")
			for _, n := range notices {
				if n.Retired && n.DocumentID == e.DocKey() {
					batch = append(batch, n)
				}
			}
		}
		s.WriteString("\n")
		if len(batch) > 0 {
			text, err := notify.PlainText(c.Config.Title, c.Config.Title, batch)
			if err != nil {
				return err
			}
			if base == "" {
				text = strings.ReplaceAll(text, reviewPlaceholderURL, "")
			}
			s.WriteString("<details><summary>The notice that would be sent (email text; webhooks and Slack carry the same)</summary>\n\n")
			fence := codeFence(text)
			s.WriteString(fence + "text\n" + text + "\n" + fence + "\n\n</details>\n\n")
		}
		if d.atBase < 0 && len(d.added) > 0 {
			s.WriteString("A new document: its whole text is its first version.\n\n")
		}
		if d.atBase <= 0 {
			redlines = append(redlines, nil)
			sections = append(sections, s.String())
			continue
		}
		sections = append(sections, s.String())
		redlines = append(redlines, func(max int) (string, error) {
			to, err := c.VersionSide(e, e.Versions[0])
			if err != nil {
				return "", err
			}
			from, err := c.VersionSide(e, e.Versions[d.atBase])
			if err != nil {
				return "", err
			}
			var b strings.Builder
			err = writeDiffMarkdown(&b, c, e, from, to, portal.Compare(from, to), diff.MarkdownOptions{Context: contextOpt(1), MaxBytes: max})
			return b.String(), err
		})
	}

	var foot strings.Builder
	foot.WriteString("---\n")
	if base == "" {
		foot.WriteString("Links are paths below the portal's root: no base URL is set (`base_url` in clause.toml). ")
	}
	foot.WriteString("Dates count from this pull request's merge commit; the merge publishes with its own date. Posted by `clause review`.\n")

	// The sections (versions and notices) come first; the redlines share
	// what room is left, each cut by writeDiffMarkdown.
	used := head.Len() + foot.Len()
	for _, s := range sections {
		used += len(s)
	}
	out := head.String()
	room := opts.MaxBytes - used
	for i, s := range sections {
		if len(out)+len(s)+foot.Len()+200 > opts.MaxBytes {
			out += fmt.Sprintf("*%s more not shown: the comment is limited to %d bytes; run `clause review` locally.*\n\n", plural(len(sections)-i, "document"), opts.MaxBytes)
			break
		}
		out += s
		if redlines[i] == nil {
			continue
		}
		share := room / (len(sections) - i)
		if share < 500 {
			out += "*Redline not shown: no room left in the comment; run `clause diff " + docs[i].entry.ID + " " + opts.Base + " HEAD`.*\n\n"
			continue
		}
		r, err := redlines[i](share)
		if err != nil {
			return err
		}
		room -= len(r)
		out += r + "\n"
	}
	out += foot.String()
	_, err = io.WriteString(w, out)
	return err
}

// codeFence returns a fence of backticks longer than any run of them in
// text, so that the text cannot close it.
func codeFence(text string) string {
	longest, run := 0, 0
	for _, r := range text {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

func upperFirstWord(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

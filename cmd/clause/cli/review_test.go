package cli

import (
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

// reviewFixture is a pull request of two commits on a portal with a DPA,
// a sub-processor list and a cookie policy: the first commit changes a
// clause of the DPA and adds a sub-processor, the second re-wraps the
// cookie policy. It is checked out as GitHub checks out a pull_request
// event: the test merge commit, whose first parent is main.
func reviewFixture(t *testing.T) *gittest.Repo {
	r := gittest.New(t)
	r.Write("clause.toml", "title = \"Acme Legal\"\nbase_url = \"https://legal.acme.example/\"\n")
	r.Write("content/dpa.md", "---\ntitle: Data Processing Agreement\n---\n# Data Processing Agreement\n\n## 1. Security\n\nAcme encrypts personal data at rest.\n\n## 2. Audits\n\nThe controller may audit once a year.\n")
	r.Write("content/subprocessors.md", "---\ntitle: Sub-processors\nkind: subprocessors\n---\n| Name | Purpose | Location |\n|---|---|---|\n| Cumulus GmbH | Hosting | Germany |\n")
	r.Write("content/cookies.md", "# Cookie Policy\n\nWe use one cookie to keep you signed in.\n")
	r.Commit("2026-03-02T09:00:00Z", "Publish the legal portal")
	r.Git("checkout", "-q", "-b", "update")
	r.Write("content/dpa.md", "---\ntitle: Data Processing Agreement\n---\n# Data Processing Agreement\n\n## 1. Security\n\nAcme encrypts personal data at rest and in transit.\n\n## 2. Audits\n\nThe controller may audit once a year.\n")
	r.Write("content/subprocessors.md", "---\ntitle: Sub-processors\nkind: subprocessors\n---\n| Name | Purpose | Location |\n|---|---|---|\n| Cumulus GmbH | Hosting | Germany |\n| Ledgerly AB | Invoicing | Sweden |\n")
	r.Commit("2026-03-03T09:00:00Z", "Encrypt in transit; add Ledgerly")
	r.Write("content/cookies.md", "# Cookie Policy\n\nWe use one cookie\nto keep you signed in.\n")
	r.Commit("2026-03-03T10:00:00Z", "Re-wrap the cookie policy")
	r.Git("checkout", "-q", "main")
	r.Merge("2026-03-04T08:00:00Z", "update", "Merge abc into def")
	return r
}

// TestReviewOfAPullRequest: on the merge commit of a pull request,
// clause review prints the comment body: the hidden marker, one row per
// new version with its materiality and summary as the portal and the
// notices put them, the notice that would be sent for the material ones
// only (with the objection deadline counted from the merge), and the
// redline against the base.
func TestReviewOfAPullRequest(t *testing.T) {
	r := reviewFixture(t)
	code, out, errOut := run(t, "review", "--repo", r.Dir, "--no-cache", "--title", "Encrypt in transit, add Ledgerly")
	if code != ExitOK {
		t.Fatalf("review: exit %d\n%s", code, errOut)
	}
	if !strings.HasPrefix(out, ReviewMarker+"\n## What merging this pull request publishes\n\n"+
		"3 documents: 2 material changes (readers are notified), 1 minor change (archived, not notified).\n") {
		t.Errorf("head of the comment:\n%s", out)
	}
	mustContain(t, out,
		"| Cookie Policy | `5e92a29dcbd7` | minor | No textual change (layout only) |\n",
		"| Data Processing Agreement | `a7d475abaf6d` | material | 1 clause changed |\n",
		"| Sub-processors | `723d97c0a7cb` | material | 1 added (Ledgerly AB); objections due by 3 April 2026 |\n",
		// The notices: the pull request's title stands for the merge
		// commit's subject, links are absolute, the deadline is 30 days
		// after the merge commit.
		"Change: Encrypt in transit, add Ledgerly\nWhat changed: 1 clause changed\n",
		"New sub-processors:\n  - Ledgerly AB: Invoicing (Sweden)\nObjection deadline: 2026-04-03 (30 days' notice)\n",
		"See what changed: https://legal.acme.example/dpa/versions/a7d475abaf6d/#changes_in_version\n",
		// The redlines, against the versions at the base.
		"### Changes to Data Processing Agreement: ac6ff6839a48 → a7d475abaf6d\n",
		"Acme encrypts personal data at rest <ins>and in transit</ins>.\n",
		"| <ins>Ledgerly AB</ins> | <ins>Invoicing</ins> | <ins>Sweden</ins> |\n",
		"The files differ only in layout (line breaks, spacing, markup); the words are the same.\n",
	)
	if n := strings.Count(out, "New version: "); n != 2 {
		t.Errorf("%d notices, want 2 (none for the layout-only cookie policy)", n)
	}
	cookies := out[strings.Index(out, "### Cookie Policy"):strings.Index(out, "### Data Processing Agreement (")]
	if strings.Contains(cookies, "<details>") || !strings.Contains(cookies, "**Minor**: archived and listed, not notified") {
		t.Errorf("the cookie policy's section:\n%s", cookies)
	}
}

// TestReviewMinorRetiredAndCut: a merge commit marked "Change-Type:
// minor" makes its versions minor and sends no notice of them; a document
// deleted by the pull request is retired, with its notice; --max-bytes
// cuts the redlines, not the summary; a pull request that changes no
// document says so.
func TestReviewMinorRetiredAndCut(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n\n## 1. Security\n\nAcme encrypts personal data.\n")
	r.Write("content/terms.md", "# Terms\n\nOld terms.\n")
	r.Commit("2026-03-02T09:00:00Z", "Publish")
	r.Git("checkout", "-q", "-b", "pr")
	r.Write("content/dpa.md", "# DPA\n\n## 1. Security\n\nAcme encrypts all personal data.\n")
	r.Remove("content/terms.md")
	r.Commit("2026-03-03T09:00:00Z", "Clarify; retire the terms")
	r.Git("checkout", "-q", "main")
	r.Merge("2026-03-04T08:00:00Z", "pr", "Merge pull request #7 from acme/pr\n\nClarify\n\nChange-Type: minor")
	code, out, errOut := run(t, "review", "--repo", r.Dir, "--no-cache")
	if code != ExitOK {
		t.Fatalf("review: exit %d\n%s", code, errOut)
	}
	mustContain(t, out,
		"2 documents: 1 minor change (archived, not notified), 1 retired document (notified).\n",
		"| DPA | `", "| minor | 1 clause changed |\n",
		"**Minor**: marked `Change-Type: minor`: archived and listed, not notified.",
		"| Terms | | retired |",
		"Retired: Terms\n",
		// No base URL: links are paths, and the comment says why.
		"Read the retired document: /terms/\n",
		"Links are paths below the portal's root: no base URL is set",
	)
	if strings.Contains(out, "New version: DPA") || strings.Contains(out, reviewPlaceholderURL) {
		t.Errorf("a notice for a minor version, or the placeholder URL:\n%s", out)
	}

	code, cut, _ := run(t, "review", "--repo", r.Dir, "--no-cache", "--max-bytes", "2000")
	if code != ExitOK || len(cut) > 2000 || !strings.Contains(cut, "| Terms | | retired |") || !strings.Contains(cut, "*Redline not shown: no room left in the comment; run `clause diff dpa HEAD^ HEAD`.*") {
		t.Errorf("--max-bytes 2000: exit %d, %d bytes\n%s", code, len(cut), cut)
	}

	code, out, _ = run(t, "review", "HEAD", "--repo", r.Dir, "--no-cache")
	if code != ExitOK || !strings.Contains(out, "No published document changes") {
		t.Errorf("review against itself: exit %d\n%s", code, out)
	}
	if code, _, errOut := run(t, "review", "no-such-branch", "--repo", r.Dir, "--no-cache"); code != ExitUsage || !strings.Contains(errOut, "no-such-branch") {
		t.Errorf("unknown base: exit %d %q", code, errOut)
	}
}

func mustContain(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

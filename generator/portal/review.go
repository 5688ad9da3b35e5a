package portal

import (
	"errors"

	"github.com/clause-portal/clause/generator/history"
)

// What a pull request would publish, for clause review: the catalog is
// loaded at the pull request's merge commit (or head), and these compare
// it with the history of its base.

// VersionSummary is what version i of e changed against its predecessor,
// as the portal and the notices put it: the version's Summary when a build
// (or a changes: note) gave one, else the redline's summary or, for a
// sub-processor list, the register's words with the objection deadline;
// "First published version" for a first version.
func (c *Catalog) VersionSummary(e *Entry, i int) (string, error) {
	if i < 0 || i >= len(e.Versions) {
		return "", errors.New("no such version")
	}
	if i == len(e.Versions)-1 {
		return "First published version", nil
	}
	if s := e.Versions[i].Summary; s != "" {
		return s, nil
	}
	return c.summaryOf(e, i)
}

// RetiredSince reports that e was retired by a commit after rev: e is
// retired, and the first-parent history of rev reaches one of e's versions
// before the commit that deleted it (or neither).
func (c *Catalog) RetiredSince(e *Entry, rev string) (bool, error) {
	if !e.Retired || e.RetiredAt == nil {
		return false, nil
	}
	if c.repo == nil {
		return false, errors.New("no git history: revisions cannot be resolved")
	}
	want := map[string]bool{e.RetiredAt.Hash: true}
	for _, v := range e.Versions {
		want[v.Commit] = true
	}
	h, err := c.repo.AtRevision(rev, func(hash string) bool { return want[hash] }, 1<<22)
	if errors.Is(err, history.ErrNotOnHistory) {
		return false, nil // rev holds no version of e: neither published nor retired there
	}
	if err != nil {
		return false, err
	}
	return h != e.RetiredAt.Hash, nil
}

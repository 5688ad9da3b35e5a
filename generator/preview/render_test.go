package preview

import (
	"github.com/clause-portal/clause/generator/site"
	"github.com/clause-portal/clause/generator/site/hugorender"
)

// The tests render in their own process, which links Hugo anyway, rather
// than in the clause-render command.
func init() { site.SetRenderer(hugorender.Run) }

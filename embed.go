// Package clause holds the files that are compiled into the clause binary:
// the default Hugo theme. The engine lives in generator/, the command line
// in cmd/clause.
package clause

import (
	"embed"
	"io/fs"
)

//go:embed all:themes/clause
var themeFS embed.FS

// Theme returns the default theme ("themes/clause") as a file system rooted
// at the theme folder: layouts/, assets/ and so on.
func Theme() fs.FS {
	sub, err := fs.Sub(themeFS, "themes/clause")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder exists
	}
	return sub
}

//go:build !unix

package site

import "io/fs"

// privateFolder: folder permissions are not checked on this system.
func privateFolder(dir string, fi fs.FileInfo) error { return nil }

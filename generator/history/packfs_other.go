//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package history

// openMapped returns nil: pack files are read as ordinary files on this
// system.
func openMapped(path, name string) *mappedFile { return nil }

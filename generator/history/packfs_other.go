//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package history

import "errors"

// openMapped returns nil: pack files are read as ordinary files on this
// system.
func openMapped(path, name string) *mappedFile { return nil }

// mapBytes fails: files are read, not mapped, on this system.
func mapBytes(path string) ([]byte, func() error, error) {
	return nil, nil, errors.New("no memory maps on this system")
}

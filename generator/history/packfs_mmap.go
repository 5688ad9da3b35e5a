//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package history

import (
	"bytes"
	"syscall"
)

// openMapped opens the file at path as a memory map named name, or returns
// nil if it cannot be mapped.
func openMapped(path, name string) *mappedFile {
	data, unmap, err := mapBytes(path)
	if err != nil {
		return nil
	}
	return &mappedFile{name: name, r: bytes.NewReader(data), unmap: unmap}
}

// mapBytes maps the file at path read-only and returns its bytes and the
// function that unmaps them.
func mapBytes(path string) ([]byte, func() error, error) {
	mmap := func(fd, size int) ([]byte, error) {
		return syscall.Mmap(fd, 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	}
	return mapFile(path, mmap, syscall.Munmap)
}

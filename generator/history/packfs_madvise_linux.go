package history

import "syscall"

// dropResident tells the system that the pages of b, a memory map of a
// file, are not needed soon (madvise MADV_DONTNEED): they leave the
// process's resident set, and reading b again reads the file's pages back
// from the system's cache. Only for maps of files opened read-only: on
// other memory it would discard the contents. A failure changes nothing
// but the memory used.
func dropResident(b []byte) {
	if len(b) > 0 {
		_ = syscall.Madvise(b, syscall.MADV_DONTNEED)
	}
}

package site

import (
	"fmt"
	"io/fs"
	"syscall"
	"time"
)

// fileIdentity is what FileSum keeps a sum under: the file's device,
// inode, size, and modification and change times in nanoseconds, and its
// change time; ok is false when the system does not give them.
func fileIdentity(fi fs.FileInfo) (id string, changed time.Time, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || !fi.Mode().IsRegular() {
		return "", time.Time{}, false
	}
	changed = time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec))
	id = fmt.Sprintf("%d:%d:%d:%d:%d", st.Dev, st.Ino, st.Size, fi.ModTime().UnixNano(), changed.UnixNano())
	return id, changed, true
}

//go:build unix

package site

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// privateFolder refuses a cache folder that group or others may write
// to, or that another user owns, or whose parent folder lets others
// replace it (writable by others, without the sticky bit of /tmp).
func privateFolder(dir string, fi fs.FileInfo) error {
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%s: the page cache folder may be written by others (mode %v): make it private (chmod go-w) or use another", dir, fi.Mode().Perm())
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("%s: the page cache folder belongs to another user (uid %d)", dir, st.Uid)
	}
	parent := filepath.Dir(dir)
	pi, err := os.Stat(parent)
	if err != nil {
		return err
	}
	if pi.Mode().Perm()&0o022 != 0 && pi.Mode()&fs.ModeSticky == 0 {
		return fmt.Errorf("%s: the cache folder may be written by others (mode %v), who could replace the page cache in it: make it private (chmod go-w) or use another", parent, pi.Mode().Perm())
	}
	return nil
}

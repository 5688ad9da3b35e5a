//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package notify

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
)

// acquireLock creates the lock file at path exclusively and removes it on
// release. Where flock is not available, a crashed run leaves the file
// behind; the error says so.
func acquireLock(path string) (release func() error, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%w: %s exists; wait for the other `clause notify` to finish, or delete the file if no run is active", ErrStateLocked, path)
	}
	if err != nil {
		return nil, fmt.Errorf("notify state lock: %w", err)
	}
	_, _ = f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return func() error {
		return errors.Join(f.Close(), os.Remove(path))
	}, nil
}

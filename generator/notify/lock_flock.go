//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package notify

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// acquireLock takes an exclusive flock on the file at path, creating it. The
// kernel releases the lock when the process ends, so a crash leaves no
// stale lock. The file is left in place: deleting a lock file that another
// process may have just opened would let two runs hold "the" lock.
func acquireLock(path string) (release func() error, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("notify state lock: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s is held; wait for the other `clause notify` to finish", ErrStateLocked, path)
		}
		return nil, fmt.Errorf("notify state lock %s: %w", path, err)
	}
	return func() error {
		uerr := syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return errors.Join(uerr, f.Close())
	}, nil
}

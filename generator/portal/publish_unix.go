//go:build unix

package portal

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockOutput takes an exclusive flock on the folder the output folder is
// in (no lock file is left in the repository), waiting up to lockTimeout
// for a build of the same output to finish. The kernel releases the lock
// when the process ends, so a killed build leaves no stale lock.
func lockOutput(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(lockTimeout)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("locking %s for the build: %w", dir, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("another clause build into %s has been running for %v: wait for it, or stop it", dir, lockTimeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

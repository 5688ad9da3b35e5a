//go:build unix

package portal

import "syscall"

// syscallNoFollow makes opening a symbolic link fail.
const syscallNoFollow = syscall.O_NOFOLLOW

package site

import "syscall"

// helperProcAttr has the kernel kill the helper when clause dies, so that a
// killed build leaves no helper writing into its working folder.
func helperProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

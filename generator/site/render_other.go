//go:build !linux

package site

import "syscall"

// helperProcAttr returns nil: the helper ends when its standard input
// closes, which it does when clause exits.
func helperProcAttr() *syscall.SysProcAttr { return nil }

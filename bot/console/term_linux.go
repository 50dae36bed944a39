package console

import (
	"os"
	"syscall"
	"unsafe"
)

// IsTerminal reports whether r is a terminal (a file whose terminal
// settings can be read), not a pipe, a regular file or /dev/null.
func IsTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}

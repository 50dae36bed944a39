//go:build !linux

package console

import "os"

// IsTerminal reports whether r is a terminal. Off Linux a character
// device is taken for one.
func IsTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

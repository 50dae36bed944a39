//go:build unix

package store

import (
	"os"
	"syscall"
)

// unlockFile releases the lock bbolt took on f. Closing f is not enough
// after a failed open: the memory map bbolt left holds the open file, and
// with it the lock, until the process exits.
func unlockFile(f *os.File) {
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

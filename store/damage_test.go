package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban"
)

// filledStore returns a closed store directory whose file holds n reports.
func filledStore(t *testing.T, n int) string {
	dir, _ := filledStoreUsed(t, n)
	return dir
}

// filledStoreUsed is filledStore that also returns how many bytes of the
// file bbolt uses (the file may be longer: bbolt grows it ahead).
func filledStoreUsed(t *testing.T, n int) (string, int) {
	t.Helper()
	s, err := Open(t.TempDir(), Options{NoSocket: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("已完成造林十万亩", 40)
	for i := range n {
		mustAdd(t, s, report(i%70+1, "省林业局", "U1", fmt.Sprint("fill", i), text, duban.StatusInProgress))
	}
	used := 0
	s.view(func(tx *bolt.Tx) error { used = int(tx.Size()); return nil })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return s.Dir(), used
}

// wantDamaged checks that err is the clear error of a damaged file: it
// names the file, says to restore from a backup, and carries no stack.
func wantDamaged(t *testing.T, what string, err error, path string) {
	t.Helper()
	msg := duban.UserMessage(err)
	if err == nil || !strings.Contains(msg, path) || !strings.Contains(msg, "备份") || !strings.Contains(msg, "restore") {
		t.Errorf("%s: Open = %v; want an error naming %s and saying to restore from a backup", what, err, path)
	}
	if strings.Contains(msg, "goroutine") || strings.Contains(msg, ".go:") {
		t.Errorf("%s: the message shows a stack: %q", what, msg)
	}
}

// TestTruncatedFileIsAClearError: a database file cut short (a full disk,
// a bad copy) is refused at open with an error that names it and says to
// restore from a backup, never a panic or a fault; and the file is
// released, so the same process can try again (hardening 3).
func TestTruncatedFileIsAClearError(t *testing.T) {
	src, used := filledStoreUsed(t, 600)
	data, err := os.ReadFile(filepath.Join(src, FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{used / 2, used - 4096, used - 100, 3 * 4096, 16384 + 100, 9000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			if err := os.WriteFile(path, data[:size], 0o600); err != nil {
				t.Fatal(err)
			}
			for attempt := range 2 {
				s, err := Open(dir, Options{NoSocket: true, Timeout: 200 * time.Millisecond})
				if err == nil {
					s.Close()
					t.Fatalf("Open of a file cut to %d of the %d bytes in use succeeded", size, used)
				}
				if duban.ErrorCode(err) == duban.CodeLocked {
					t.Fatalf("attempt %d: the failed open kept the file locked: %v", attempt, err)
				}
				wantDamaged(t, fmt.Sprint("attempt ", attempt), err, path)
			}
		})
	}
}

// TestEmptyFileIsDamageNotNew: a zero-byte duban.db is what is left of a
// database, not a new one: opening it as new would lose every binding
// without a word (hardening 4).
func TestEmptyFileIsDamageNotNew(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, Options{NoSocket: true})
	if err == nil {
		s.Close()
		t.Fatal("Open of a zero-byte file succeeded: it was taken for a new database")
	}
	wantDamaged(t, "zero bytes", err, path)
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Errorf("the empty file was changed: %v, %v", fi, err)
	}
}

// TestPanicAndDiskErrorsKeepDetailOutOfTheMessage: the user-facing message
// of a database failure carries no stack and no server path; the cause
// (kept for the log) does (hardening 5).
func TestPanicAndDiskErrorsKeepDetailOutOfTheMessage(t *testing.T) {
	var err error
	func() {
		defer recoverInto(&err)
		panic("invalid freelist page: 42")
	}()
	if msg := duban.UserMessage(err); strings.Contains(msg, "goroutine") || strings.Contains(msg, "freelist") {
		t.Errorf("panic message %q shows the detail", msg)
	}
	if !strings.Contains(err.Error(), "invalid freelist page") {
		t.Errorf("panic error %q lost the detail the log needs", err)
	}
	disk := wrapDBErr(&os.PathError{Op: "write", Path: "/srv/duban/duban.db", Err: errors.New("no space left on device")})
	if msg := duban.UserMessage(disk); strings.Contains(msg, "/srv/duban") {
		t.Errorf("disk error message %q shows the server path", msg)
	}
	if !strings.Contains(disk.Error(), "no space left") {
		t.Errorf("disk error %q lost its cause", disk)
	}
}

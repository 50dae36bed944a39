package store

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban"
)

// SocketName is the control socket in the data directory. The process that
// holds the database listens on it so that `duban backup` can get a
// consistent copy from it while it runs (bbolt's file lock keeps a second
// process from opening the file).
const SocketName = "duban.sock"

// Backup writes a consistent copy of the whole database to w, from one
// read transaction (bbolt's tx.WriteTo); writers are not blocked. It
// returns the number of bytes written.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupFile writes a consistent copy of the database to path, atomically:
// the copy is written beside it, synced, and renamed into place.
func (s *Store) BackupFile(path string) (int64, error) {
	return writeFileAtomic(path, s.path, func(w io.Writer) (int64, error) { return s.Backup(w) })
}

// BackupDir writes a consistent copy of the database in dir to path. When
// a process holds the database (the bot is running), it asks that process
// for the copy through the control socket; otherwise it opens the database
// itself. It returns the number of bytes written.
func BackupDir(dir, path string, timeout time.Duration) (int64, error) {
	live := filepath.Join(dir, FileName)
	socket := filepath.Join(dir, SocketName)
	if conn, err := net.DialTimeout("unix", socket, timeout); err == nil {
		// A process holds the database and answers: ask it.
		conn.Close()
		return writeFileAtomic(path, live, func(w io.Writer) (int64, error) {
			return requestBackup(socket, w, timeout)
		})
	}
	s, err := Open(dir, Options{Timeout: timeout, NoSocket: true})
	if err != nil {
		return 0, err
	}
	defer s.Close()
	return s.BackupFile(path)
}

// writeFileAtomic writes path through a temporary file in the same
// directory, refusing to overwrite the live database at live.
func writeFileAtomic(path, live string, write func(io.Writer) (int64, error)) (int64, error) {
	if path == "" {
		return 0, duban.Errorf(duban.CodeInvalid, "请指定备份文件 (no backup file)")
	}
	if same(path, live) {
		return 0, duban.Errorf(duban.CodeInvalid, "备份文件不能是数据文件本身 (backup file is the live database)")
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return 0, duban.Errorf(duban.CodeInvalid, "无法写入备份文件 %s (cannot create backup): %w", path, err)
	}
	tmp := f.Name()
	n, err := write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		var de *duban.Error
		if errors.As(err, &de) {
			return 0, err
		}
		return 0, duban.Errorf(duban.CodeInternal, "备份失败 (backup failed): %w", err)
	}
	return n, nil
}

func same(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(fa, fb)
	}
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == ab
}

// controlServer answers backup requests on the control socket. The
// protocol is one line "backup\n"; the answer is "ok SIZE\n" followed by
// SIZE bytes of the database, or "error MESSAGE\n".
type controlServer struct {
	ln   net.Listener
	path string
	wg   sync.WaitGroup
}

// listenControl starts the control socket of s. It is called with the
// database lock held, so a socket file left by a killed process can be
// removed safely.
func listenControl(s *Store) (*controlServer, error) {
	path := filepath.Join(s.dir, SocketName)
	os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket: %w", err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(true)
	cs := &controlServer{ln: ln, path: path}
	cs.wg.Add(1)
	go func() {
		defer cs.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			cs.wg.Add(1)
			go func() {
				defer cs.wg.Done()
				defer conn.Close()
				serveControl(s, conn)
			}()
		}
	}()
	return cs, nil
}

// close stops accepting and waits for requests in flight.
func (cs *controlServer) close() {
	cs.ln.Close()
	cs.wg.Wait()
}

func serveControl(s *Store, conn net.Conn) {
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(io.LimitReader(conn, 64)).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "backup" {
		fmt.Fprintf(conn, "error unknown request\n")
		return
	}
	conn.SetReadDeadline(time.Time{})
	err = s.view(func(tx *bolt.Tx) error {
		if _, err := fmt.Fprintf(conn, "ok %d\n", tx.Size()); err != nil {
			return err
		}
		_, err := tx.WriteTo(conn)
		return err
	})
	if err != nil {
		// The header may be out already; the client sees a short copy.
		fmt.Fprintf(conn, "error %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
	}
}

// requestBackup asks the process holding the database for a copy and
// writes it to w.
func requestBackup(socket string, w io.Writer, timeout time.Duration) (int64, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	conn, err := net.DialTimeout("unix", socket, timeout)
	if err != nil {
		return 0, fmt.Errorf("ask the running process for a backup: %w", err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "backup\n"); err != nil {
		return 0, fmt.Errorf("ask the running process for a backup: %w", err)
	}
	r := bufio.NewReader(conn)
	conn.SetReadDeadline(time.Now().Add(timeout + 5*time.Second))
	head, err := r.ReadString('\n')
	if err != nil {
		return 0, fmt.Errorf("backup answer: %w", err)
	}
	conn.SetReadDeadline(time.Time{})
	size, ok := strings.CutPrefix(strings.TrimSpace(head), "ok ")
	if !ok {
		return 0, fmt.Errorf("backup answer: %s", strings.TrimSpace(head))
	}
	want, err := strconv.ParseInt(size, 10, 64)
	if err != nil || want < 0 {
		return 0, fmt.Errorf("backup answer: bad size %q", size)
	}
	n, err := io.Copy(w, io.LimitReader(r, want))
	if err != nil {
		return n, fmt.Errorf("backup copy: %w", err)
	}
	if n != want {
		return n, fmt.Errorf("backup copy: got %d of %d bytes", n, want)
	}
	return n, nil
}

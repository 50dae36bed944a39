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
// read transaction (bbolt's tx.WriteTo). Writers go on meanwhile, except
// one that must grow the file: bbolt remaps it only when no read
// transaction is open, so w must not be slow (a local file, not a
// client's connection). It returns the number of bytes written.
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
// directory, refusing to overwrite the live database at live or any other
// of duban's own files (CheckOutput).
func writeFileAtomic(path, live string, write func(io.Writer) (int64, error)) (int64, error) {
	if path == "" {
		return 0, duban.Errorf(duban.CodeInvalid, "请指定备份文件 (no backup file)")
	}
	if err := CheckOutput(path, filepath.Dir(live)); err != nil {
		return 0, err
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

// CheckOutput refuses an output file (a backup, an export) that would
// overwrite duban's own files: the database or the control socket of the
// data directory dir, or a file named duban.db or duban.sock in the data
// directory or in any directory that holds a duban database or a running
// bot's control socket. Other paths, a new directory's duban.db among
// them, are allowed.
func CheckOutput(path, dir string) error {
	if path == "" {
		return duban.Errorf(duban.CodeInvalid, "请指定输出文件 (no output file)")
	}
	refuse := func(what string) error {
		return duban.Errorf(duban.CodeInvalid, "不能写入 %s：它是 duban 的%s，写入会毁掉正在使用的数据。请换一个文件名或目录 (output would overwrite duban's %s)",
			path, what, map[string]string{"数据文件": "database", "控制端口": "control socket"}[what])
	}
	if dir != "" {
		if same(path, filepath.Join(dir, FileName)) {
			return refuse("数据文件")
		}
		if same(path, filepath.Join(dir, SocketName)) {
			return refuse("控制端口")
		}
	}
	base := filepath.Base(path)
	if base != FileName && base != SocketName {
		return nil
	}
	what := map[string]string{FileName: "数据文件", SocketName: "控制端口"}[base]
	parent := filepath.Dir(path)
	if dir != "" && same(parent, dir) {
		return refuse(what)
	}
	for _, name := range []string{FileName, SocketName} {
		if _, err := os.Lstat(filepath.Join(parent, name)); err == nil {
			return refuse(what)
		}
	}
	return nil
}

// same reports whether a and b are the same file, or, when one does not
// exist, the same absolute path.
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
//
// The copy is first written to a snapshot file in the data directory,
// from a read transaction that lasts as long as a local write, and then
// streamed from that file: a client that reads slowly or not at all holds
// no transaction open (which would block every write that grows the file)
// and is dropped once it has read nothing for controlIdle.
type controlServer struct {
	ln   net.Listener
	path string
	wg   sync.WaitGroup

	mu    sync.Mutex
	conns map[net.Conn]bool
}

// controlIdle is how long a backup client may go without reading before
// the copy is abandoned.
var controlIdle = 30 * time.Second

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
	cs := &controlServer{ln: ln, path: path, conns: map[net.Conn]bool{}}
	cs.wg.Add(1)
	go func() {
		defer cs.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			cs.mu.Lock()
			cs.conns[conn] = true
			cs.wg.Add(1)
			cs.mu.Unlock()
			go func() {
				defer cs.wg.Done()
				defer func() {
					cs.mu.Lock()
					delete(cs.conns, conn)
					cs.mu.Unlock()
					conn.Close()
				}()
				serveControl(s, conn)
			}()
		}
	}()
	return cs, nil
}

// close stops accepting, cuts the copies in flight short (their clients
// see a short copy and fail) and waits for their goroutines.
func (cs *controlServer) close() {
	cs.ln.Close()
	cs.mu.Lock()
	for c := range cs.conns {
		c.Close()
	}
	cs.mu.Unlock()
	cs.wg.Wait()
}

func serveControl(s *Store, conn net.Conn) {
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(io.LimitReader(conn, 64)).ReadString('\n')
	w := &idleWriter{conn: conn}
	if err != nil || strings.TrimSpace(line) != "backup" {
		fmt.Fprintf(w, "error unknown request\n")
		return
	}
	snap, size, err := s.snapshot()
	if err != nil {
		fmt.Fprintf(w, "error %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
		return
	}
	defer snap.Close()
	if _, err := fmt.Fprintf(w, "ok %d\n", size); err != nil {
		return
	}
	// A client that stops reading gets a short copy, which it refuses.
	io.Copy(w, snap)
}

// snapshot writes a consistent copy of the database to a file in the data
// directory that is removed at once (the open file stays readable), and
// returns it positioned at its start, with its size.
func (s *Store) snapshot() (*os.File, int64, error) {
	f, err := os.CreateTemp(s.dir, ".backup-snapshot-*")
	if err != nil {
		return nil, 0, fmt.Errorf("snapshot: %w", err)
	}
	os.Remove(f.Name()) // nothing is left behind, even by a killed process
	n, err := s.Backup(f)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("snapshot: %w", err)
	}
	return f, n, nil
}

// idleWriter writes to a connection, giving up when a write makes no
// progress for controlIdle.
type idleWriter struct{ conn net.Conn }

func (w *idleWriter) Write(p []byte) (int, error) {
	w.conn.SetWriteDeadline(time.Now().Add(controlIdle))
	return w.conn.Write(p)
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

package store

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban"
)

// TestStalledBackupClientHoldsNoWrites: a backup client that connects and
// stops reading must not stop the bot's writes, even those that grow the
// file (bbolt remaps then, and a read transaction held open by the copy
// would block it); the stalled client is dropped after the idle timeout
// (hardening 2).
func TestStalledBackupClientHoldsNoWrites(t *testing.T) {
	old := controlIdle
	controlIdle = 500 * time.Millisecond
	t.Cleanup(func() { controlIdle = old })
	dir := filledStore(t, 600)
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before, _ := s.Size()

	conn, err := net.Dial("unix", filepath.Join(dir, SocketName))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("backup\n")); err != nil {
		t.Fatal(err)
	}
	// Read the header only, then stall.
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReaderSize(conn, 64)
	head, err := r.ReadString('\n')
	var size int64
	if _, serr := fmt.Sscanf(head, "ok %d", &size); err != nil || serr != nil {
		t.Fatalf("backup header %q, %v", head, err)
	}

	done := make(chan error, 1)
	go func() {
		text := strings.Repeat("继续推进", 300)
		for i := 0; ; i++ {
			if _, _, err := s.AddUpdate(ctx, report(i%70+1, "省林业局", "U2", fmt.Sprint("grow", i), text, duban.StatusInProgress)); err != nil {
				done <- err
				return
			}
			if size, _ := s.Size(); size > 3*before {
				done <- nil
				return
			}
		}
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		conn.Close() // let the blocked writes go before failing
		<-done
		t.Fatal("writes that grow the file blocked behind a stalled backup client")
	}
	// The stalled client is dropped: what it reads now ends short.
	time.Sleep(3 * controlIdle)
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := io.Copy(io.Discard, r)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the stalled client was never dropped")
	}
	if n >= size {
		t.Errorf("the stalled client got the whole copy (%d of %d bytes), want it dropped", n, size)
	}
}

// TestCheckOutput: backup and export refuse to write over the database or
// the control socket, or over a reserved name in any directory that holds
// a duban database (hardening 1).
func TestCheckOutput(t *testing.T) {
	s := open(t, Options{})
	other := t.TempDir()
	refused := []string{
		s.Path(),
		filepath.Join(s.Dir(), SocketName),
		filepath.Join(s.Dir(), ".", FileName),
	}
	for _, p := range refused {
		if err := CheckOutput(p, other); duban.ErrorCode(err) != duban.CodeInvalid {
			t.Errorf("CheckOutput(%s) = %v, want refused", p, err)
		}
		if err := CheckOutput(p, s.Dir()); duban.ErrorCode(err) != duban.CodeInvalid {
			t.Errorf("CheckOutput(%s) with its own data directory = %v, want refused", p, err)
		}
	}
	for _, p := range []string{filepath.Join(other, "copy.db"), filepath.Join(other, FileName), filepath.Join(s.Dir(), "export.xlsx")} {
		if err := CheckOutput(p, s.Dir()); err != nil {
			t.Errorf("CheckOutput(%s) = %v, want allowed", p, err)
		}
	}
}

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban"
	"duban/store/storetest"
)

var ctx = context.Background()

// The contract suite's helpers serve the backend's own tests too.
var (
	newClock  = storetest.NewClock
	report    = storetest.Report
	mustAdd   = storetest.MustAdd
	texts     = storetest.Texts
	latestMap = storetest.LatestMap
)

// open opens a store in a fresh temporary directory, closed at cleanup.
func open(t testing.TB, opts Options) *Store {
	t.Helper()
	s, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func reopen(t testing.TB, s *Store, opts Options) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s2, err := Open(s.Dir(), opts)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { s2.Close() })
	return s2
}

func eq[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAddHistoryLatestSurviveReopen(t *testing.T) {
	clk := newClock()
	s := open(t, Options{Now: clk.Now, NoSocket: true})
	first := mustAdd(t, s, report(3, "省林业局", "U1", "s1", "一月进展", duban.StatusInProgress))
	mustAdd(t, s, report(3, "省林业局", "U1", "s2", "二月进展", duban.StatusDone))
	mustAdd(t, s, report(3, "省财政厅", "U2", "s3", "财政厅进展", duban.StatusDelayed))
	mustAdd(t, s, report(4, "省林业局", "U1", "s4", "第四条进展", duban.StatusNotStarted))
	if first.Seq != 1 || first.Time.IsZero() {
		t.Errorf("first stored = seq %d time %v, want seq 1 and a time", first.Seq, first.Time)
	}
	for round := range 2 {
		if round == 1 {
			s = reopen(t, s, Options{NoSocket: true})
		}
		h, err := s.History(ctx, LegacyPlanID, 3)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := texts(h), []string{"财政厅进展", "二月进展", "一月进展"}; !eq(got, want) {
			t.Errorf("History(3) = %q, want %q", got, want)
		}
		if h[1].Status != duban.StatusDone || h[1].AuthorID != "U1" || h[1].AuthorName != "名U1" || h[1].SourceID != "s2" || h[1].Channel != "console" {
			t.Errorf("History(3)[1] = %+v", h[1])
		}
		if h, _ := s.History(ctx, LegacyPlanID, 5); len(h) != 0 {
			t.Errorf("History(5) = %v, want none", h)
		}
		got := latestMap(t, s)
		want := map[string]string{"3/省林业局": "二月进展", "3/省财政厅": "财政厅进展", "4/省林业局": "第四条进展"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("Latest = %v, want %v", got, want)
		}
		if n, _ := s.Count(ctx); n != 4 {
			t.Errorf("Count = %d, want 4", n)
		}
	}
}

// TestRetractSurvivesReopen: retractions and the latest status they move
// back are on disk (the contract suite checks what a retraction does).
func TestRetractSurvivesReopen(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	mustAdd(t, s, report(3, "省林业局", "U1", "a", "第一次", duban.StatusInProgress))
	mustAdd(t, s, report(3, "省林业局", "U1", "b", "第二次", duban.StatusDone))
	if _, err := s.Retract(ctx, "U1", "r1", time.Time{}); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, Options{NoSocket: true})
	h, _ := s.History(ctx, LegacyPlanID, 3)
	if got, want := texts(h), []string{"x:第二次", "第一次"}; !eq(got, want) {
		t.Errorf("History after reopen = %q, want %q", got, want)
	}
	if m := latestMap(t, s); m["3/省林业局"] != "第一次" {
		t.Errorf("latest after reopen = %q, want 第一次", m["3/省林业局"])
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}

// TestAdminsSurviveReopen: admins are on disk (the contract suite checks
// adding and removing them).
func TestAdminsSurviveReopen(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	if err := s.AddAdmin(ctx, "U7", "local", "a1"); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, Options{NoSocket: true})
	if ok, _ := s.IsAdmin(ctx, "U7"); !ok {
		t.Error("U7 not admin after AddAdmin and reopen")
	}
	if got, _ := s.Admins(ctx); !eq(got, []string{"U7"}) {
		t.Errorf("Admins = %q", got)
	}
}

// TestSourceIDsArePrunedAfterADay: an expired source id leaves the file
// (the contract suite checks that it expires).
func TestSourceIDsArePrunedAfterADay(t *testing.T) {
	clk := newClock()
	s := open(t, Options{Now: clk.Now, NoSocket: true})
	mustAdd(t, s, report(1, "省林业局", "U1", "old", "早先的", duban.StatusInProgress))
	clk.Add(25 * time.Hour)
	mustAdd(t, s, report(1, "省林业局", "U1", "new", "新的", duban.StatusInProgress)) // prunes "old"
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bSources).Get([]byte("old")) != nil {
			t.Error("source id kept after a day")
		}
		if n := tx.Bucket(bSourcesTime).Stats().KeyN; n != 1 {
			t.Errorf("%d source time keys, want 1", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestEventsArePrunedAfterADay: an expired event id leaves the file (the
// contract suite checks marking, seeing and expiring them).
func TestEventsArePrunedAfterADay(t *testing.T) {
	clk := newClock()
	s := open(t, Options{Now: clk.Now, NoSocket: true})
	if first, err := s.MarkEvent(ctx, "Ev1"); !first || err != nil {
		t.Fatalf("MarkEvent(Ev1) = %v, %v", first, err)
	}
	clk.Add(SourceTTL + time.Minute)
	if first, _ := s.MarkEvent(ctx, "Ev3"); !first {
		t.Error("MarkEvent(Ev3) not first")
	}
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bEvents).Get([]byte("Ev1")) != nil {
			t.Error("event id kept after a day")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCorruptValuesAreErrors(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	mustAdd(t, s, report(3, "省林业局", "U1", "a", "好的", duban.StatusInProgress))
	mustAdd(t, s, report(4, "省林业局", "U1", "b", "好的", duban.StatusInProgress))
	if err := s.Bind(ctx, duban.Binding{UserID: "U1", Agency: "省林业局"}, "c"); err != nil {
		t.Fatal(err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bReports).Put(seqKey(2), []byte("{not json")); err != nil {
			return err
		}
		if err := tx.Bucket(bBindings).Put([]byte("U1"), []byte(`{"a":""}`)); err != nil {
			return err
		}
		return tx.Bucket(bLatest).Put(latestKey(LegacyPlanID, 9, "x"), []byte("short"))
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, err error) {
		t.Helper()
		if !errors.Is(err, errCorrupt) || duban.ErrorCode(err) != duban.CodeInternal {
			t.Errorf("%s: err = %v, want a corrupt-record error", name, err)
		}
	}
	_, err = s.History(ctx, LegacyPlanID, 4)
	check("History(4)", err)
	_, err = s.Latest(ctx, LegacyPlanID)
	check("Latest", err)
	_, _, err = s.Binding(ctx, "U1")
	check("Binding", err)
	_, err = s.Bindings(ctx)
	check("Bindings", err)
	if h, err := s.History(ctx, LegacyPlanID, 3); err != nil || len(h) != 1 {
		t.Errorf("History(3) next to a corrupt record = %v, %v; want the one report", h, err)
	}
}

func TestOpenRefusesForeignFiles(t *testing.T) {
	t.Run("not bbolt", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, FileName), []byte(strings.Repeat("not a database ", 1000)), 0o600)
		_, err := Open(dir, Options{NoSocket: true})
		if err == nil || !strings.Contains(duban.UserMessage(err), "不是有效的 duban 数据库") {
			t.Errorf("Open(garbage) = %v, want invalid database", err)
		}
	})
	t.Run("other bbolt file", func(t *testing.T) {
		dir := t.TempDir()
		db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("foreign")); return err })
		db.Close()
		_, err = Open(dir, Options{NoSocket: true})
		if err == nil || !strings.Contains(duban.UserMessage(err), "不是 duban 数据库") {
			t.Errorf("Open(foreign bbolt) = %v, want not a duban database", err)
		}
	})
	t.Run("newer schema", func(t *testing.T) {
		s := open(t, Options{NoSocket: true})
		s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put(keySchema, []byte("3")) })
		s.Close()
		_, err := Open(s.Dir(), Options{NoSocket: true})
		if err == nil || !strings.Contains(duban.UserMessage(err), "只支持版本 2") {
			t.Errorf("Open(schema 3) = %v, want a version error", err)
		}
	})
}

func TestSecondOpenInProcessIsLocked(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	start := time.Now()
	_, err := Open(s.Dir(), Options{Timeout: 200 * time.Millisecond, NoSocket: true})
	if duban.ErrorCode(err) != duban.CodeLocked || duban.UserMessage(err) != LockedMessage {
		t.Fatalf("second Open = %v, want %q", err, LockedMessage)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("second Open took %v", d)
	}
}

func TestResolveDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	cases := []struct {
		flag, env, xdg, want string
	}{
		{"/f", "/e", "/x", "/f"},
		{"", "/e", "/x", "/e"},
		{"", "", "/x", "/x/duban"},
		{"", "", "relative", filepath.Join(home, ".local/share/duban")},
		{"", "", "", filepath.Join(home, ".local/share/duban")},
	}
	for _, c := range cases {
		t.Setenv("DUBAN_DATA", c.env)
		t.Setenv("XDG_DATA_HOME", c.xdg)
		got, err := ResolveDir(c.flag)
		if err != nil || got != c.want {
			t.Errorf("ResolveDir(%q) with DUBAN_DATA=%q XDG_DATA_HOME=%q = %q, %v; want %q", c.flag, c.env, c.xdg, got, err, c.want)
		}
	}
}

func TestBackup(t *testing.T) {
	s := open(t, Options{})
	for i := range 20 {
		mustAdd(t, s, report(i%5+1, "省林业局", "U1", fmt.Sprint("s", i), fmt.Sprint("进展", i), duban.StatusInProgress))
	}
	backupOf := func(t *testing.T, path string) []string {
		t.Helper()
		dir := t.TempDir()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, FileName), data, 0o600)
		b, err := Open(dir, Options{NoSocket: true})
		if err != nil {
			t.Fatalf("open backup: %v", err)
		}
		defer b.Close()
		if err := b.Check(); err != nil {
			t.Error(err)
		}
		h, err := b.History(ctx, LegacyPlanID, 2)
		if err != nil {
			t.Fatal(err)
		}
		return texts(h)
	}
	want := []string{"进展16", "进展11", "进展6", "进展1"}

	// While s holds the database, BackupDir asks it over the socket.
	out := filepath.Join(t.TempDir(), "copy.db")
	n, err := BackupDir(s.Dir(), out, time.Second)
	if err != nil || n == 0 {
		t.Fatalf("BackupDir while open = %d, %v", n, err)
	}
	if got := backupOf(t, out); !eq(got, want) {
		t.Errorf("backup through the socket: History(2) = %q, want %q", got, want)
	}
	if _, err := BackupDir(s.Dir(), s.Path(), time.Second); err == nil {
		t.Error("BackupDir onto the live file succeeded")
	}

	// Closed, BackupDir opens the file itself.
	s.Close()
	if _, err := os.Stat(filepath.Join(s.Dir(), SocketName)); !os.IsNotExist(err) {
		t.Errorf("socket left after Close: %v", err)
	}
	out2 := filepath.Join(t.TempDir(), "copy2.db")
	if _, err := BackupDir(s.Dir(), out2, time.Second); err != nil {
		t.Fatalf("BackupDir while closed: %v", err)
	}
	if got := backupOf(t, out2); !eq(got, want) {
		t.Errorf("direct backup: History(2) = %q, want %q", got, want)
	}
}

func TestBackupWhileWriting(t *testing.T) {
	s := open(t, Options{})
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		i := 0
		for {
			select {
			case <-stop:
				done <- i
				return
			default:
			}
			mustAdd(t, s, report(1, "省林业局", "U1", fmt.Sprint("w", i), "写入中", duban.StatusInProgress))
			i++
		}
	}()
	var paths []string
	for i := range 3 {
		p := filepath.Join(t.TempDir(), fmt.Sprint("b", i))
		if _, err := BackupDir(s.Dir(), p, time.Second); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	close(stop)
	<-done
	for _, p := range paths {
		dir := t.TempDir()
		data, _ := os.ReadFile(p)
		os.WriteFile(filepath.Join(dir, FileName), data, 0o600)
		b, err := Open(dir, Options{NoSocket: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Check(); err != nil {
			t.Error(err)
		}
		n, _ := b.Count(ctx)
		h, _ := b.History(ctx, LegacyPlanID, 1)
		if len(h) != n {
			t.Errorf("backup has %d reports but %d in the item index", n, len(h))
		}
		b.Close()
	}
}

func TestBackupOfLockedStoreWithoutSocket(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	_, err := BackupDir(s.Dir(), filepath.Join(t.TempDir(), "b.db"), 100*time.Millisecond)
	if duban.ErrorCode(err) != duban.CodeLocked {
		t.Errorf("BackupDir of a database held without a socket = %v, want locked", err)
	}
}

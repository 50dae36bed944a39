package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban"
)

var ctx = context.Background()

// clock is a settable clock for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newClock() *clock { return &clock{t: time.Date(2021, 5, 10, 9, 0, 0, 0, time.UTC)} }

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

func report(item int, agency, author, src, text string, st duban.Status) duban.Update {
	return duban.Update{Plan: LegacyPlanID, Item: item, Agency: agency, AuthorID: author, AuthorName: "名" + author,
		Status: st, Percent: duban.NoPercent, Text: text, Channel: "console", SourceID: src}
}

func mustAdd(t testing.TB, s *Store, u duban.Update) duban.Update {
	t.Helper()
	got, dup, err := s.AddUpdate(ctx, u)
	if err != nil {
		t.Fatalf("AddUpdate(%s): %v", u.SourceID, err)
	}
	if dup {
		t.Fatalf("AddUpdate(%s): unexpected duplicate", u.SourceID)
	}
	return got
}

// texts returns the texts of updates, marking retracted ones with "x:".
func texts(us []duban.Update) []string {
	var out []string
	for _, u := range us {
		s := u.Text
		if u.Retracted {
			s = "x:" + s
		}
		out = append(out, s)
	}
	return out
}

func latestMap(t testing.TB, s *Store) map[string]string {
	t.Helper()
	us, err := s.Latest(ctx, LegacyPlanID)
	if err != nil {
		t.Fatalf("Latest: %v", err)
	}
	m := map[string]string{}
	for _, u := range us {
		m[fmt.Sprintf("%d/%s", u.Item, u.Agency)] = u.Text
	}
	return m
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

func TestSameSourceStoresOnce(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	u := report(7, "省市场监管局", "U1", "Ev123", "完成抽检", duban.StatusInProgress)
	first := mustAdd(t, s, u)
	again := u
	again.Text = "重发时内容不同"
	got, dup, err := s.AddUpdate(ctx, again)
	if err != nil || !dup {
		t.Fatalf("second AddUpdate: dup %v err %v, want duplicate", dup, err)
	}
	if got.Seq != first.Seq || got.Text != "完成抽检" {
		t.Errorf("duplicate returned seq %d %q, want the first (seq %d %q)", got.Seq, got.Text, first.Seq, "完成抽检")
	}
	if h, _ := s.History(ctx, LegacyPlanID, 7); len(h) != 1 {
		t.Errorf("History has %d reports, want 1", len(h))
	}
	// Concurrent deliveries of one event store once too.
	var wg sync.WaitGroup
	var mu sync.Mutex
	dups := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, dup, err := s.AddUpdate(ctx, report(8, "省市场监管局", "U1", "Ev-concurrent", "并发", duban.StatusDone))
			if err != nil {
				t.Error(err)
			}
			if dup {
				mu.Lock()
				dups++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if h, _ := s.History(ctx, LegacyPlanID, 8); len(h) != 1 || dups != 7 {
		t.Errorf("8 concurrent deliveries: %d stored, %d duplicates; want 1 and 7", len(h), dups)
	}
	// The id cannot be reused for another kind of write.
	if err := s.Bind(ctx, duban.Binding{UserID: "U9", Agency: "省林业局"}, "Ev123"); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("Bind with a used source id: %v, want invalid", err)
	}
	if _, ok, _ := s.Binding(ctx, "U9"); ok {
		t.Error("Bind with a used source id stored a binding")
	}
}

// TestEveryWriteKindHappensOnce checks the exactly-once contract shared by
// every kind of write: the same source id again changes nothing and gives
// the first answer, and the id used for any other kind of write is refused
// and changes nothing either.
func TestEveryWriteKindHappensOnce(t *testing.T) {
	writes := []struct {
		kind string
		do   func(s *Store, src string) (string, error)
	}{
		{"update", func(s *Store, src string) (string, error) {
			u, _, err := s.AddUpdate(ctx, report(1, "省林业局", "U1", src, "第二次", duban.StatusDone))
			return fmt.Sprint(u.Seq, u.Text), err
		}},
		{"retract", func(s *Store, src string) (string, error) {
			u, err := s.Retract(ctx, "U1", src, time.Time{})
			return fmt.Sprint(u.Seq, u.Text, u.Retracted), err
		}},
		{"bind", func(s *Store, src string) (string, error) {
			return "", s.Bind(ctx, duban.Binding{UserID: "U2", Agency: "省财政厅", BoundBy: "local"}, src)
		}},
		{"unbind", func(s *Store, src string) (string, error) {
			ok, err := s.Unbind(ctx, "U3", src)
			return fmt.Sprint(ok), err
		}},
		{"admin", func(s *Store, src string) (string, error) {
			return "", s.AddAdmin(ctx, "U4", "local", src)
		}},
		{"unadmin", func(s *Store, src string) (string, error) {
			ok, err := s.RemoveAdmin(ctx, "U5", src)
			return fmt.Sprint(ok), err
		}},
	}
	state := func(t *testing.T, s *Store) string {
		t.Helper()
		h, err := s.History(ctx, LegacyPlanID, 1)
		if err != nil {
			t.Fatal(err)
		}
		bs, err := s.Bindings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var bound []string
		for _, b := range bs {
			bound = append(bound, b.UserID+"="+b.Agency)
		}
		admins, err := s.Admins(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(texts(h), latestMap(t, s), bound, admins)
	}
	for _, w := range writes {
		t.Run(w.kind, func(t *testing.T) {
			s := open(t, Options{NoSocket: true})
			mustAdd(t, s, report(1, "省林业局", "U1", "setup1", "第一次", duban.StatusInProgress))
			if err := s.Bind(ctx, duban.Binding{UserID: "U3", Agency: "省教育厅", BoundBy: "local"}, "setup2"); err != nil {
				t.Fatal(err)
			}
			if err := s.AddAdmin(ctx, "U5", "local", "setup3"); err != nil {
				t.Fatal(err)
			}
			before := state(t, s)
			first, err := w.do(s, "S")
			if err != nil {
				t.Fatalf("first %s: %v", w.kind, err)
			}
			after := state(t, s)
			if after == before {
				t.Fatalf("first %s changed nothing: %s", w.kind, after)
			}
			again, err := w.do(s, "S")
			if err != nil || again != first {
				t.Errorf("%s again with the same source = %q, %v; want the first answer %q", w.kind, again, err, first)
			}
			if got := state(t, s); got != after {
				t.Errorf("%s again with the same source changed the store:\n got %s\nwant %s", w.kind, got, after)
			}
			for _, o := range writes {
				if o.kind == w.kind {
					continue
				}
				if _, err := o.do(s, "S"); duban.ErrorCode(err) != duban.CodeInvalid {
					t.Errorf("%s with the source of a %s: %v, want invalid", o.kind, w.kind, err)
				}
				if got := state(t, s); got != after {
					t.Errorf("%s with the source of a %s changed the store:\n got %s\nwant %s", o.kind, w.kind, got, after)
				}
			}
		})
	}
}

func TestRetract(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	mustAdd(t, s, report(3, "省林业局", "U1", "a", "第一次", duban.StatusInProgress))
	mustAdd(t, s, report(3, "省财政厅", "U2", "b", "财政厅", duban.StatusInProgress))
	mustAdd(t, s, report(3, "省林业局", "U1", "c", "第二次", duban.StatusDone))
	mustAdd(t, s, report(3, "省林业局", "ADMIN", "d", "办公室代报", duban.StatusDelayed))

	// U1's latest is "第二次", but the pair's latest is the admin's report,
	// which stays.
	got, err := s.Retract(ctx, "U1", "r1", time.Time{})
	if err != nil || got.Text != "第二次" || !got.Retracted || got.RetractedAt.IsZero() {
		t.Fatalf("Retract U1 = %+v, %v; want 第二次 retracted", got, err)
	}
	if m := latestMap(t, s); m["3/省林业局"] != "办公室代报" {
		t.Errorf("latest after retracting an older report = %q, want 办公室代报", m["3/省林业局"])
	}
	// Retracting the admin's report falls back to U1's first one (the
	// retracted second one is skipped).
	if got, err := s.Retract(ctx, "ADMIN", "r2", time.Time{}); err != nil || got.Text != "办公室代报" {
		t.Fatalf("Retract ADMIN = %q, %v", got.Text, err)
	}
	if m := latestMap(t, s); m["3/省林业局"] != "第一次" || m["3/省财政厅"] != "财政厅" {
		t.Errorf("latest = %v, want 省林业局 第一次 and 省财政厅 财政厅", m)
	}
	// The same retraction delivered again retracts nothing more.
	if got, err := s.Retract(ctx, "U1", "r1", time.Time{}); err != nil || got.Text != "第二次" {
		t.Errorf("repeated Retract = %q, %v; want the first answer", got.Text, err)
	}
	if m := latestMap(t, s); m["3/省林业局"] != "第一次" {
		t.Errorf("repeated Retract changed latest to %q", m["3/省林业局"])
	}
	if _, err := s.Retract(ctx, "U1", "r3", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if m := latestMap(t, s); m["3/省林业局"] != "" {
		t.Errorf("latest after retracting everything = %q, want none", m["3/省林业局"])
	}
	if _, err := s.Retract(ctx, "U1", "r4", time.Time{}); duban.ErrorCode(err) != duban.CodeNotFound {
		t.Errorf("Retract with nothing left: %v, want not found", err)
	}
	h, _ := s.History(ctx, LegacyPlanID, 3)
	if got, want := texts(h), []string{"x:办公室代报", "x:第二次", "财政厅", "x:第一次"}; !eq(got, want) {
		t.Errorf("History = %q, want %q", got, want)
	}
	s = reopen(t, s, Options{NoSocket: true})
	h, _ = s.History(ctx, LegacyPlanID, 3)
	if got, want := texts(h), []string{"x:办公室代报", "x:第二次", "财政厅", "x:第一次"}; !eq(got, want) {
		t.Errorf("History after reopen = %q, want %q", got, want)
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}

func TestBindings(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	if err := s.Bind(ctx, duban.Binding{UserID: "U2", Agency: "省财政厅", BoundBy: "local"}, "b1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Bind(ctx, duban.Binding{UserID: "U1", Agency: "省林业局", BoundBy: "local"}, "b2"); err != nil {
		t.Fatal(err)
	}
	if err := s.Bind(ctx, duban.Binding{UserID: "U1", Agency: "省教育厅", BoundBy: "local"}, "b3"); err != nil {
		t.Fatal(err)
	}
	// b2 delivered again must not undo the rebinding of b3.
	if err := s.Bind(ctx, duban.Binding{UserID: "U1", Agency: "省林业局", BoundBy: "local"}, "b2"); err != nil {
		t.Fatal(err)
	}
	b, ok, err := s.Binding(ctx, "U1")
	if err != nil || !ok || b.Agency != "省教育厅" || b.BoundBy != "local" || b.Time.IsZero() {
		t.Errorf("Binding(U1) = %+v %v %v, want 省教育厅 bound by local", b, ok, err)
	}
	all, _ := s.Bindings(ctx)
	var got []string
	for _, b := range all {
		got = append(got, b.UserID+"="+b.Agency)
	}
	if want := []string{"U1=省教育厅", "U2=省财政厅"}; !eq(got, want) {
		t.Errorf("Bindings = %q, want %q", got, want)
	}
	if ok, err := s.Unbind(ctx, "U1", "u1"); !ok || err != nil {
		t.Errorf("Unbind(U1) = %v %v, want true", ok, err)
	}
	if ok, err := s.Unbind(ctx, "U1", "u1"); !ok || err != nil {
		t.Errorf("Unbind(U1) again with the same source = %v %v, want the first answer (true)", ok, err)
	}
	if ok, err := s.Unbind(ctx, "U1", "u2"); ok || err != nil {
		t.Errorf("Unbind(U1) with a new source = %v %v, want false", ok, err)
	}
	if _, ok, _ := s.Binding(ctx, "U1"); ok {
		t.Error("U1 still bound after Unbind")
	}
}

func TestAdmins(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	if ok, _ := s.IsAdmin(ctx, "U7"); ok {
		t.Fatal("U7 is admin in a new store")
	}
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
	if ok, err := s.RemoveAdmin(ctx, "U7", "a2"); !ok || err != nil {
		t.Errorf("RemoveAdmin = %v %v", ok, err)
	}
	if ok, _ := s.IsAdmin(ctx, "U7"); ok {
		t.Error("U7 still admin after RemoveAdmin")
	}
}

func TestSourceIDsExpireAfterADay(t *testing.T) {
	clk := newClock()
	s := open(t, Options{Now: clk.Now, NoSocket: true})
	mustAdd(t, s, report(1, "省林业局", "U1", "old", "早先的", duban.StatusInProgress))
	clk.Add(23 * time.Hour)
	if _, dup, _ := s.AddUpdate(ctx, report(1, "省林业局", "U1", "old", "早先的", duban.StatusInProgress)); !dup {
		t.Error("source id forgotten before a day")
	}
	clk.Add(2 * time.Hour)
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

func TestEvents(t *testing.T) {
	clk := newClock()
	s := open(t, Options{Now: clk.Now, NoSocket: true})
	for i, want := range []bool{true, false, false} {
		first, err := s.MarkEvent(ctx, "Ev1")
		if err != nil || first != want {
			t.Errorf("MarkEvent #%d = %v %v, want %v", i+1, first, err, want)
		}
	}
	// Events and write sources are apart: the event id may be the write's
	// source id.
	mustAdd(t, s, report(2, "省林业局", "U1", "Ev1", "同一事件", duban.StatusInProgress))
	if seen, _ := s.EventSeen(ctx, "Ev1"); !seen {
		t.Error("EventSeen(Ev1) = false after MarkEvent")
	}
	if seen, _ := s.EventSeen(ctx, "Ev2"); seen {
		t.Error("EventSeen(Ev2) = true, never marked")
	}
	clk.Add(SourceTTL + time.Minute)
	if seen, _ := s.EventSeen(ctx, "Ev1"); seen {
		t.Error("EventSeen(Ev1) still true after a day")
	}
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
	if _, err := s.MarkEvent(ctx, ""); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("MarkEvent(\"\") = %v, want invalid", err)
	}
}

func TestInvalidWritesStoreNothing(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	ok := report(3, "省林业局", "U1", "src", "内容", duban.StatusInProgress)
	cases := []struct {
		name string
		edit func(*duban.Update)
	}{
		{"no author", func(u *duban.Update) { u.AuthorID = "" }},
		{"no source", func(u *duban.Update) { u.SourceID = "" }},
		{"item 0", func(u *duban.Update) { u.Item = 0 }},
		{"no agency", func(u *duban.Update) { u.Agency = "" }},
		{"no status", func(u *duban.Update) { u.Status = duban.StatusNone }},
		{"status 9", func(u *duban.Update) { u.Status = 9 }},
		{"percent 101", func(u *duban.Update) { u.Percent = 101 }},
		{"empty text", func(u *duban.Update) { u.Text = "" }},
		{"invalid utf-8", func(u *duban.Update) { u.Text = "\xff\xfe" }},
		{"NUL in author", func(u *duban.Update) { u.AuthorID = "U\x001" }},
		{"huge text", func(u *duban.Update) { u.Text = strings.Repeat("字", 10000) }},
	}
	for _, c := range cases {
		u := ok
		c.edit(&u)
		if _, _, err := s.AddUpdate(ctx, u); duban.ErrorCode(err) != duban.CodeInvalid {
			t.Errorf("%s: err = %v, want invalid", c.name, err)
		}
	}
	if n, _ := s.Count(ctx); n != 0 {
		t.Errorf("%d reports stored after invalid writes, want 0", n)
	}
	if _, _, err := s.AddUpdate(ctx, ok); err != nil {
		t.Errorf("valid write after invalid ones: %v", err)
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

// Package storetest is the contract of a duban store as a black-box test
// suite: what the bot needs from any backend (bot.Store), checked through
// its methods alone. Every backend runs it unchanged from its own tests:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, now func() time.Time) storetest.Store { ... })
//	}
//
// The suite covers append-only reports, the latest report per (item,
// agency), exactly once per source id (tied to the author: another user's
// id neither stores nor reveals anything), retraction, bindings, admins,
// processed event ids and their expiry after a day, event claims that let
// several replicas answer each event once, and reports by reference:
// several at once, records by number and by author, retracting and
// correcting a given record, pending confirmations and rosters, and
// supervision's records per plan (deadlines, review steps, settings,
// reminder counts, the claim of each slot of a scheduled job). The schema
// version and persistence across a restart are each backend's own tests,
// as the way a store is opened differs.
//
// # Adding a store
//
// A third backend goes in package store (the only importer of storage
// libraries) and reuses its record encodings and checks (updateRec,
// checkUpdate, checkWrite, sourceConflict, sourceOwned, and what
// store/common.go holds for both backends: prepareUpdate, addEach,
// checkCorrects, the recordLog of supervision …), so that a value means
// the same whatever holds it. Every write is one transaction of the
// engine: the report, its indexes, the latest pointer of its pair and its
// source id together; a source id seen before is a no-op that returns the
// first result; record numbers are assigned inside the transaction, never
// by a read and a later unguarded write; nothing is confirmed before the
// engine says it is durable. Summaries read one consistent snapshot.
// "Cannot reach the engine" is duban.CodeUnavailable with a message that
// says nothing was saved (the bot shows it in chat); a damaged value is a
// CodeInternal error, never a panic. The backend's tests call Run against
// the real engine started by the test (a temporary directory, or a cluster
// on loopback like store/etcdtest), never a mock. It gets a restore method
// (store.Restorer) so that duban restore reads either kind of backup into
// it, and a --store value and a compile-time check in cmd/duban/storage.go;
// if several processes may share it, scheduled work needs a runGate there
// (the etcd one is an election plus a claim per slot).
package storetest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"duban"
	"duban/bot"
)

// Store is what the suite tests: the bot's store.
type Store = bot.Store

// Open returns a new, empty store for one test, closed when the test
// ends. now is the clock the store must use for the times it stamps and
// for the expiry of source and event ids.
type Open func(t *testing.T, now func() time.Time) Store

// SourceTTL is how long the contract keeps processed source and event ids.
const SourceTTL = 24 * time.Hour

// Clock is a settable clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at a fixed instant in 2021.
func NewClock() *Clock { return &Clock{t: time.Date(2021, 5, 10, 9, 0, 0, 0, time.UTC)} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock on.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var ctx = context.Background()

// testCase is one test of the contract.
type testCase struct {
	name string
	fn   func(*testing.T, Open)
}

// extra holds the tests of the other files of the suite.
var extra []testCase

// Run runs the whole contract against the backend that open makes.
func Run(t *testing.T, open Open) {
	tests := []testCase{
		{"AppendHistoryLatest", testAppendHistoryLatest},
		{"SameSourceStoresOnce", testSameSourceStoresOnce},
		{"ConcurrentDeliveriesStoreOnce", testConcurrentDeliveries},
		{"SourceIDIsTiedToItsAuthor", testSourceTiedToAuthor},
		{"EveryWriteKindHappensOnce", testEveryWriteKindOnce},
		{"Retract", testRetract},
		{"Bindings", testBindings},
		{"Admins", testAdmins},
		{"SourceIDsExpireAfterADay", testSourceExpiry},
		{"Events", testEvents},
		{"EventClaims", testEventClaims},
		{"InvalidWritesStoreNothing", testInvalidWrites},
		{"SeqIncreasesWithoutGaps", testSeqs},
	}
	tests = append(tests, extra...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

// Plan is the plan of the suite's reports.
const Plan = "fujian-2021-quality"

// Report returns a report on Plan as the engine builds it.
func Report(item int, agency, author, src, text string, st duban.Status) duban.Update {
	return duban.Update{Plan: Plan, Item: item, Agency: agency, AuthorID: author, AuthorName: "名" + author,
		Status: st, Percent: duban.NoPercent, Text: text, Channel: "console", SourceID: src}
}

// MustAdd stores a new report, failing the test on an error or a
// duplicate.
func MustAdd(t testing.TB, s Store, u duban.Update) duban.Update {
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

// Texts returns the texts of updates, marking retracted ones with "x:".
func Texts(us []duban.Update) []string {
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

// LatestMap returns the latest text of every pair of Plan, keyed
// "item/agency"; a retracted report among them fails the test.
func LatestMap(t testing.TB, s Store) map[string]string {
	t.Helper()
	us, err := s.Latest(ctx, Plan)
	if err != nil {
		t.Fatalf("Latest: %v", err)
	}
	m := map[string]string{}
	for _, u := range us {
		if u.Retracted {
			t.Errorf("Latest returned a retracted report: %+v", u)
		}
		m[fmt.Sprintf("%d/%s", u.Item, u.Agency)] = u.Text
	}
	return m
}

func history(t *testing.T, s Store, item int) []duban.Update {
	t.Helper()
	h, err := s.History(ctx, Plan, item)
	if err != nil {
		t.Fatalf("History(%d): %v", item, err)
	}
	return h
}

func eq(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}

func testAppendHistoryLatest(t *testing.T, open Open) {
	clk := NewClock()
	s := open(t, clk.Now)
	first := MustAdd(t, s, Report(3, "省林业局", "U1", "s1", "一月进展", duban.StatusInProgress))
	clk.Add(time.Minute)
	second := MustAdd(t, s, Report(3, "省林业局", "U1", "s2", "二月进展", duban.StatusDone))
	MustAdd(t, s, Report(3, "省财政厅", "U2", "s3", "财政厅进展", duban.StatusDelayed))
	withPct := Report(4, "省林业局", "U1", "s4", "第四条进展", duban.StatusNotStarted)
	withPct.Percent = 0
	MustAdd(t, s, withPct)
	if first.Seq == 0 || second.Seq <= first.Seq {
		t.Errorf("seqs %d then %d, want increasing from 1", first.Seq, second.Seq)
	}
	if !first.Time.Equal(time.Date(2021, 5, 10, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("a report without a time got %v, want the store clock's", first.Time)
	}
	h := history(t, s, 3)
	if got, want := Texts(h), []string{"财政厅进展", "二月进展", "一月进展"}; !eq(got, want) {
		t.Errorf("History(3) = %q, want %q (newest first)", got, want)
	}
	if len(h) == 3 {
		u := h[1]
		if u.Seq != second.Seq || u.Status != duban.StatusDone || u.AuthorID != "U1" || u.AuthorName != "名U1" ||
			u.SourceID != "s2" || u.Channel != "console" || u.Item != 3 || u.Agency != "省林业局" ||
			u.Percent != duban.NoPercent || !u.Time.Equal(second.Time) {
			t.Errorf("History(3)[1] = %+v, want the fields as stored (%+v)", u, second)
		}
	}
	if h := history(t, s, 5); len(h) != 0 {
		t.Errorf("History(5) = %v, want none", h)
	}
	got := LatestMap(t, s)
	want := map[string]string{"3/省林业局": "二月进展", "3/省财政厅": "财政厅进展", "4/省林业局": "第四条进展"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Latest = %v, want %v", got, want)
	}
	l, _ := s.Latest(ctx, Plan)
	for _, u := range l {
		if u.Item == 4 && u.Percent != 0 {
			t.Errorf("percent 0 came back as %d", u.Percent)
		}
	}
	// A report with its own time keeps it.
	at := time.Date(2021, 3, 1, 8, 30, 0, 0, time.UTC)
	r := Report(6, "省林业局", "U1", "s5", "补报", duban.StatusInProgress)
	r.Time = at
	if got := MustAdd(t, s, r); !got.Time.Equal(at) {
		t.Errorf("stored time %v, want %v", got.Time, at)
	}
	if h := history(t, s, 6); len(h) != 1 || !h[0].Time.Equal(at) {
		t.Errorf("History(6) = %+v, want the report at %v", h, at)
	}
}

func testSameSourceStoresOnce(t *testing.T, open Open) {
	s := open(t, time.Now)
	u := Report(7, "省市场监管局", "U1", "Ev123", "完成抽检", duban.StatusInProgress)
	first := MustAdd(t, s, u)
	again := u
	again.Text = "重发时内容不同"
	got, dup, err := s.AddUpdate(ctx, again)
	if err != nil || !dup {
		t.Fatalf("second AddUpdate: dup %v err %v, want duplicate", dup, err)
	}
	if got.Seq != first.Seq || got.Text != "完成抽检" {
		t.Errorf("duplicate returned seq %d %q, want the first (seq %d %q)", got.Seq, got.Text, first.Seq, "完成抽检")
	}
	if h := history(t, s, 7); len(h) != 1 {
		t.Errorf("History has %d reports, want 1", len(h))
	}
	// The id cannot be reused for another kind of write.
	if err := s.Bind(ctx, duban.Binding{UserID: "U1", Agency: "省林业局"}, "Ev123"); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("Bind with a used source id: %v, want invalid", err)
	}
	if _, ok, _ := s.Binding(ctx, "U1"); ok {
		t.Error("Bind with a used source id stored a binding")
	}
}

func testConcurrentDeliveries(t *testing.T, open Open) {
	s := open(t, time.Now)
	var wg sync.WaitGroup
	var mu sync.Mutex
	dups, seqs := 0, map[uint64]bool{}
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u, dup, err := s.AddUpdate(ctx, Report(8, "省市场监管局", "U1", "Ev-concurrent", fmt.Sprint("并发", i), duban.StatusDone))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			seqs[u.Seq] = true
			if dup {
				dups++
			}
		}()
	}
	wg.Wait()
	if h := history(t, s, 8); len(h) != 1 || dups != 7 || len(seqs) != 1 {
		t.Errorf("8 concurrent deliveries: %d stored, %d duplicates, %d distinct seqs; want 1, 7 and 1", len(h), dups, len(seqs))
	}
	// Concurrent different reports each get their own number.
	seqs = map[uint64]bool{}
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u, _, err := s.AddUpdate(ctx, Report(9, "省市场监管局", fmt.Sprint("U", i), fmt.Sprint("Ev-par-", i), "并行", duban.StatusDone))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			seqs[u.Seq] = true
			mu.Unlock()
		}()
	}
	wg.Wait()
	if h := history(t, s, 9); len(h) != 8 || len(seqs) != 8 {
		t.Errorf("8 concurrent reports: %d stored with %d distinct numbers, want 8 and 8", len(h), len(seqs))
	}
}

func testSourceTiedToAuthor(t *testing.T, open Open) {
	s := open(t, time.Now)
	MustAdd(t, s, Report(3, "省林业局", "U1", "Ev1", "机密进展：仅U1可见", duban.StatusInProgress))
	got, dup, err := s.AddUpdate(ctx, Report(3, "省林业局", "U2", "Ev1", "另一个用户的进展", duban.StatusDone))
	if err == nil || dup || strings.Contains(got.Text, "机密") {
		t.Errorf("AddUpdate by U2 with U1's source id = %+v, dup %v, err %v; want an error and nothing of U1's", got, dup, err)
	}
	if err != nil && duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("code %s, want invalid", duban.ErrorCode(err))
	}
	if h := history(t, s, 3); len(h) != 1 {
		t.Errorf("History has %d reports, want 1", len(h))
	}
	got, dup, err = s.AddUpdate(ctx, Report(3, "省林业局", "U1", "Ev1", "重发", duban.StatusInProgress))
	if err != nil || !dup || got.Text != "机密进展：仅U1可见" {
		t.Errorf("U1's retry = %q dup %v err %v, want the first report as a duplicate", got.Text, dup, err)
	}
	if _, err := s.Retract(ctx, "U1", "Rt1", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if u, err := s.Retract(ctx, "U2", "Rt1", time.Time{}); err == nil || strings.Contains(u.Text, "机密") {
		t.Errorf("Retract by U2 with U1's source id = %+v, %v; want an error", u, err)
	}
	// So is a retraction of a given record.
	second := MustAdd(t, s, Report(4, "省林业局", "U1", "Ev2", "机密进展二", duban.StatusInProgress))
	if _, err := s.RetractRecord(ctx, second.Seq, "U1", "Rr1", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if u, err := s.RetractRecord(ctx, second.Seq, "U2", "Rr1", time.Time{}); err == nil || strings.Contains(u.Text, "机密") {
		t.Errorf("RetractRecord by U2 with U1's source id = %+v, %v; want an error", u, err)
	}
	if u, err := s.RetractRecord(ctx, second.Seq, "U1", "Rr1", time.Time{}); err != nil || u.Seq != second.Seq {
		t.Errorf("U1's retry of RetractRecord = %+v, %v; want the record", u, err)
	}
}

// state is everything a write can change, as text.
func state(t *testing.T, s Store) string {
	t.Helper()
	bs, err := s.Bindings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var bound []string
	for _, b := range bs {
		bound = append(bound, b.UserID+"="+b.Agency)
	}
	var admins []string
	for _, u := range []string{"U1", "U2", "U3", "U4", "U5"} {
		if ok, err := s.IsAdmin(ctx, u); err != nil {
			t.Fatal(err)
		} else if ok {
			admins = append(admins, u)
		}
	}
	return fmt.Sprint(Texts(history(t, s, 1)), LatestMap(t, s), bound, admins)
}

func testEveryWriteKindOnce(t *testing.T, open Open) {
	writes := []struct {
		kind string
		do   func(s Store, src string) (string, error)
	}{
		{"update", func(s Store, src string) (string, error) {
			u, _, err := s.AddUpdate(ctx, Report(1, "省林业局", "U1", src, "第二次", duban.StatusDone))
			return fmt.Sprint(u.Seq, u.Text), err
		}},
		{"retract", func(s Store, src string) (string, error) {
			u, err := s.Retract(ctx, "U1", src, time.Time{})
			return fmt.Sprint(u.Seq, u.Text, u.Retracted), err
		}},
		{"bind", func(s Store, src string) (string, error) {
			return "", s.Bind(ctx, duban.Binding{UserID: "U2", Agency: "省财政厅", BoundBy: "local"}, src)
		}},
		{"unbind", func(s Store, src string) (string, error) {
			ok, err := s.Unbind(ctx, "U3", src)
			return fmt.Sprint(ok), err
		}},
		{"admin", func(s Store, src string) (string, error) {
			return "", s.AddAdmin(ctx, "U4", "local", src)
		}},
		{"unadmin", func(s Store, src string) (string, error) {
			ok, err := s.RemoveAdmin(ctx, "U5", src)
			return fmt.Sprint(ok), err
		}},
	}
	for _, w := range writes {
		t.Run(w.kind, func(t *testing.T) {
			s := open(t, time.Now)
			MustAdd(t, s, Report(1, "省林业局", "U1", "setup1", "第一次", duban.StatusInProgress))
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

func testRetract(t *testing.T, open Open) {
	s := open(t, time.Now)
	MustAdd(t, s, Report(3, "省林业局", "U1", "a", "第一次", duban.StatusInProgress))
	MustAdd(t, s, Report(3, "省财政厅", "U2", "b", "财政厅", duban.StatusInProgress))
	MustAdd(t, s, Report(3, "省林业局", "U1", "c", "第二次", duban.StatusDone))
	MustAdd(t, s, Report(3, "省林业局", "ADMIN", "d", "办公室代报", duban.StatusDelayed))

	got, err := s.Retract(ctx, "U1", "r1", time.Time{})
	if err != nil || got.Text != "第二次" || !got.Retracted || got.RetractedAt.IsZero() {
		t.Fatalf("Retract U1 = %+v, %v; want 第二次 retracted", got, err)
	}
	if m := LatestMap(t, s); m["3/省林业局"] != "办公室代报" {
		t.Errorf("latest after retracting an older report = %q, want 办公室代报", m["3/省林业局"])
	}
	if got, err := s.Retract(ctx, "ADMIN", "r2", time.Time{}); err != nil || got.Text != "办公室代报" {
		t.Fatalf("Retract ADMIN = %q, %v", got.Text, err)
	}
	if m := LatestMap(t, s); m["3/省林业局"] != "第一次" || m["3/省财政厅"] != "财政厅" {
		t.Errorf("latest = %v, want 省林业局 第一次 and 省财政厅 财政厅", m)
	}
	if got, err := s.Retract(ctx, "U1", "r1", time.Time{}); err != nil || got.Text != "第二次" {
		t.Errorf("repeated Retract = %q, %v; want the first answer", got.Text, err)
	}
	if m := LatestMap(t, s); m["3/省林业局"] != "第一次" {
		t.Errorf("repeated Retract changed latest to %q", m["3/省林业局"])
	}
	if _, err := s.Retract(ctx, "U1", "r3", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if m := LatestMap(t, s); m["3/省林业局"] != "" {
		t.Errorf("latest after retracting everything = %q, want none", m["3/省林业局"])
	}
	if _, err := s.Retract(ctx, "U1", "r4", time.Time{}); duban.ErrorCode(err) != duban.CodeNotFound {
		t.Errorf("Retract with nothing left: %v, want not found", err)
	}
	if got, want := Texts(history(t, s, 3)), []string{"x:办公室代报", "x:第二次", "财政厅", "x:第一次"}; !eq(got, want) {
		t.Errorf("History = %q, want %q", got, want)
	}
}

func testBindings(t *testing.T, open Open) {
	s := open(t, time.Now)
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
	if err != nil || !ok || b.Agency != "省教育厅" || b.BoundBy != "local" || b.Time.IsZero() || b.UserID != "U1" {
		t.Errorf("Binding(U1) = %+v %v %v, want 省教育厅 bound by local", b, ok, err)
	}
	all, err := s.Bindings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range all {
		got = append(got, b.UserID+"="+b.Agency)
	}
	if want := []string{"U1=省教育厅", "U2=省财政厅"}; !eq(got, want) {
		t.Errorf("Bindings = %q, want %q (by user id)", got, want)
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
	if _, ok, err := s.Binding(ctx, "U9"); ok || err != nil {
		t.Errorf("Binding of a user never bound = %v, %v", ok, err)
	}
}

func testAdmins(t *testing.T, open Open) {
	s := open(t, time.Now)
	if ok, _ := s.IsAdmin(ctx, "U7"); ok {
		t.Fatal("U7 is admin in a new store")
	}
	if err := s.AddAdmin(ctx, "U7", "local", "a1"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.IsAdmin(ctx, "U7"); !ok {
		t.Error("U7 not admin after AddAdmin")
	}
	if ok, err := s.RemoveAdmin(ctx, "U7", "a2"); !ok || err != nil {
		t.Errorf("RemoveAdmin = %v %v", ok, err)
	}
	if ok, _ := s.IsAdmin(ctx, "U7"); ok {
		t.Error("U7 still admin after RemoveAdmin")
	}
	if ok, err := s.RemoveAdmin(ctx, "U7", "a3"); ok || err != nil {
		t.Errorf("RemoveAdmin of a non-admin = %v %v, want false", ok, err)
	}
}

func testSourceExpiry(t *testing.T, open Open) {
	clk := NewClock()
	s := open(t, clk.Now)
	MustAdd(t, s, Report(1, "省林业局", "U1", "old", "早先的", duban.StatusInProgress))
	clk.Add(23 * time.Hour)
	if _, dup, err := s.AddUpdate(ctx, Report(1, "省林业局", "U1", "old", "早先的", duban.StatusInProgress)); err != nil || !dup {
		t.Errorf("source id within a day: dup %v, %v; want a duplicate", dup, err)
	}
	clk.Add(2 * time.Hour)
	MustAdd(t, s, Report(1, "省林业局", "U1", "new", "新的", duban.StatusInProgress))
	if _, dup, err := s.AddUpdate(ctx, Report(1, "省林业局", "U1", "old", "一天后再用", duban.StatusInProgress)); err != nil || dup {
		t.Errorf("source id after a day: dup %v, %v; want stored anew", dup, err)
	}
	if h := history(t, s, 1); len(h) != 3 {
		t.Errorf("%d reports, want 3", len(h))
	}
}

func testEvents(t *testing.T, open Open) {
	clk := NewClock()
	s := open(t, clk.Now)
	for i, want := range []bool{true, false, false} {
		first, err := s.MarkEvent(ctx, "Ev1")
		if err != nil || first != want {
			t.Errorf("MarkEvent #%d = %v %v, want %v", i+1, first, err, want)
		}
	}
	// Events and write sources are apart: the event id may be the write's
	// source id.
	MustAdd(t, s, Report(2, "省林业局", "U1", "Ev1", "同一事件", duban.StatusInProgress))
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
	if first, _ := s.MarkEvent(ctx, "Ev1"); !first {
		t.Error("MarkEvent(Ev1) after a day is not first")
	}
	if _, err := s.MarkEvent(ctx, ""); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("MarkEvent(\"\") = %v, want invalid", err)
	}
}

func testEventClaims(t *testing.T, open Open) {
	clk := NewClock()
	s := open(t, clk.Now)
	if ok, err := s.ClaimEvent(ctx, "E1", time.Minute); !ok || err != nil {
		t.Fatalf("first ClaimEvent = %v, %v; want claimed", ok, err)
	}
	if ok, err := s.ClaimEvent(ctx, "E1", time.Minute); ok || err != nil {
		t.Errorf("ClaimEvent of a claimed id = %v, %v; want refused", ok, err)
	}
	// A claim released (its processing failed) can be claimed again.
	if err := s.ReleaseEvent(ctx, "E1"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.ClaimEvent(ctx, "E1", time.Minute); !ok || err != nil {
		t.Errorf("ClaimEvent after release = %v, %v; want claimed", ok, err)
	}
	// Once processed, it is never claimed again within a day, and a
	// release changes nothing.
	if first, err := s.MarkEvent(ctx, "E1"); !first || err != nil {
		t.Errorf("MarkEvent of a claimed id = %v, %v; want first", first, err)
	}
	if err := s.ReleaseEvent(ctx, "E1"); err != nil {
		t.Fatal(err)
	}
	clk.Add(2 * time.Minute)
	if ok, _ := s.ClaimEvent(ctx, "E1", time.Minute); ok {
		t.Error("ClaimEvent of a processed id succeeded")
	}
	if seen, _ := s.EventSeen(ctx, "E1"); !seen {
		t.Error("EventSeen of a processed id = false")
	}
	// A claim whose holder died lapses after its hold.
	if ok, _ := s.ClaimEvent(ctx, "E2", time.Minute); !ok {
		t.Fatal("ClaimEvent(E2) refused")
	}
	if seen, _ := s.EventSeen(ctx, "E2"); seen {
		t.Error("EventSeen of a claimed, unprocessed id = true")
	}
	clk.Add(30 * time.Second)
	if ok, _ := s.ClaimEvent(ctx, "E2", time.Minute); ok {
		t.Error("ClaimEvent within the hold succeeded")
	}
	clk.Add(time.Minute)
	if ok, _ := s.ClaimEvent(ctx, "E2", time.Minute); !ok {
		t.Error("ClaimEvent after the hold lapsed was refused")
	}
	// Many claimants, one winner.
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.ClaimEvent(ctx, "E3", time.Minute)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				won++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("10 concurrent claims: %d won, want 1", won)
	}
	if _, err := s.ClaimEvent(ctx, "", time.Minute); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("ClaimEvent(\"\") = %v, want invalid", err)
	}
}

func testInvalidWrites(t *testing.T, open Open) {
	s := open(t, time.Now)
	ok := Report(3, "省林业局", "U1", "src", "内容", duban.StatusInProgress)
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
	if l := LatestMap(t, s); len(l) != 0 || len(history(t, s, 3)) != 0 {
		t.Errorf("invalid writes stored something: %v", l)
	}
	if _, _, err := s.AddUpdate(ctx, ok); err != nil {
		t.Errorf("valid write after invalid ones: %v", err)
	}
	if err := s.Bind(ctx, duban.Binding{UserID: "U1", Agency: ""}, "bad-bind"); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("Bind to no agency = %v, want invalid", err)
	}
}

func testSeqs(t *testing.T, open Open) {
	s := open(t, time.Now)
	var seqs []int
	for i := range 20 {
		u := MustAdd(t, s, Report(i%3+1, "省林业局", "U1", fmt.Sprint("q", i), "进展", duban.StatusInProgress))
		seqs = append(seqs, int(u.Seq))
	}
	if !sort.IntsAreSorted(seqs) || seqs[0] != 1 || seqs[19] != 20 {
		t.Errorf("seqs %v, want 1..20", seqs)
	}
}

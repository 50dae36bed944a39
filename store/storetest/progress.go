package storetest

import (
	"fmt"
	"testing"
	"time"

	"duban"
)

// The contract of reports by reference: several reports at once, a record
// by number, a user's own records, retracting and correcting a given
// record, pending confirmations and a roster bound at once.

func init() {
	extra = append(extra,
		testCase{"AddUpdatesAllOrNone", testAddUpdates},
		testCase{"RecordAndByAuthor", testRecordByAuthor},
		testCase{"RetractRecord", testRetractRecord},
		testCase{"Correct", testCorrect},
		testCase{"Pending", testPending},
		testCase{"BindAllAndAdmins", testBindAll},
	)
}

func testAddUpdates(t *testing.T, open Open) {
	s := open(t, time.Now)
	us := []duban.Update{
		Report(3, "省林业局", "U1", "m1#3", "第三条", duban.StatusInProgress),
		Report(53, "省林业局", "U1", "m1#53", "第五十三条", duban.StatusDone),
	}
	got, dup, err := s.AddUpdates(ctx, us)
	if err != nil || dup || len(got) != 2 || got[0].Seq == 0 || got[1].Seq != got[0].Seq+1 {
		t.Fatalf("AddUpdates = %+v, %v, %v; want two consecutive records", got, dup, err)
	}
	again, dup, err := s.AddUpdates(ctx, us)
	if err != nil || !dup || len(again) != 2 || again[0].Seq != got[0].Seq || again[1].Seq != got[1].Seq {
		t.Errorf("AddUpdates again = %+v, %v, %v; want the first records as duplicates", again, dup, err)
	}
	// One invalid report: none is stored.
	bad := []duban.Update{
		Report(4, "省林业局", "U1", "m2#4", "有效", duban.StatusInProgress),
		Report(0, "省林业局", "U1", "m2#0", "无效条目", duban.StatusInProgress),
	}
	if _, _, err := s.AddUpdates(ctx, bad); err == nil {
		t.Error("AddUpdates with an invalid report succeeded")
	}
	if h := history(t, s, 4); len(h) != 0 {
		t.Errorf("a report of a refused batch was stored: %v", Texts(h))
	}
	// Partly used source ids: refused, nothing stored.
	mixed := []duban.Update{
		Report(3, "省林业局", "U1", "m1#3", "第三条", duban.StatusInProgress),
		Report(5, "省林业局", "U1", "m3#5", "新的", duban.StatusInProgress),
	}
	if _, _, err := s.AddUpdates(ctx, mixed); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("AddUpdates with source ids partly used = %v, want invalid", err)
	}
	if h := history(t, s, 5); len(h) != 0 {
		t.Errorf("a partly replayed batch stored %v", Texts(h))
	}
	if _, _, err := s.AddUpdates(ctx, nil); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("AddUpdates of nothing = %v, want invalid", err)
	}
}

func testRecordByAuthor(t *testing.T, open Open) {
	s := open(t, time.Now)
	var seqs []uint64
	for i := range 5 {
		u := MustAdd(t, s, Report(i+1, "省林业局", []string{"U1", "U2"}[i%2], fmt.Sprint("r", i), fmt.Sprint("第", i), duban.StatusInProgress))
		seqs = append(seqs, u.Seq)
	}
	u, ok, err := s.Record(ctx, seqs[2])
	if err != nil || !ok || u.Text != "第2" || u.Item != 3 || u.Seq != seqs[2] {
		t.Errorf("Record(%d) = %+v, %v, %v", seqs[2], u, ok, err)
	}
	for _, missing := range []uint64{0, seqs[4] + 100} {
		if _, ok, err := s.Record(ctx, missing); ok || err != nil {
			t.Errorf("Record(%d) = %v, %v; want not found", missing, ok, err)
		}
	}
	mine, err := s.ByAuthor(ctx, "U1", 10)
	if got, want := Texts(mine), []string{"第4", "第2", "第0"}; err != nil || !eq(got, want) {
		t.Errorf("ByAuthor(U1) = %q, %v; want %q (newest first)", got, err, want)
	}
	if two, _ := s.ByAuthor(ctx, "U1", 2); len(two) != 2 || two[0].Text != "第4" {
		t.Errorf("ByAuthor(U1, 2) = %q", Texts(two))
	}
	if none, err := s.ByAuthor(ctx, "U9", 10); len(none) != 0 || err != nil {
		t.Errorf("ByAuthor of a user with no reports = %v, %v", none, err)
	}
	// An author id that is the start of another's sees only its own.
	MustAdd(t, s, Report(1, "省林业局", "U10", "r-u10", "U10的", duban.StatusInProgress))
	if got, _ := s.ByAuthor(ctx, "U1", 10); len(got) != 3 {
		t.Errorf("ByAuthor(U1) after a report by U10 = %q", Texts(got))
	}
}

func testRetractRecord(t *testing.T, open Open) {
	s := open(t, time.Now)
	a := MustAdd(t, s, Report(3, "省林业局", "U1", "a", "第一次", duban.StatusInProgress))
	b := MustAdd(t, s, Report(3, "省林业局", "U1", "b", "第二次", duban.StatusDone))
	got, err := s.RetractRecord(ctx, b.Seq, "ADMIN", "x1", time.Time{})
	if err != nil || got.Seq != b.Seq || !got.Retracted {
		t.Fatalf("RetractRecord(%d) = %+v, %v", b.Seq, got, err)
	}
	if m := LatestMap(t, s); m["3/省林业局"] != "第一次" {
		t.Errorf("latest after retracting the latest record = %q, want 第一次", m["3/省林业局"])
	}
	if again, err := s.RetractRecord(ctx, b.Seq, "ADMIN", "x1", time.Time{}); err != nil || again.Seq != b.Seq {
		t.Errorf("RetractRecord again with the same source = %+v, %v", again, err)
	}
	if _, err := s.RetractRecord(ctx, b.Seq, "ADMIN", "x2", time.Time{}); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("RetractRecord of a retracted record = %v, want invalid", err)
	}
	if _, err := s.RetractRecord(ctx, b.Seq+100, "ADMIN", "x3", time.Time{}); duban.ErrorCode(err) != duban.CodeNotFound {
		t.Errorf("RetractRecord of a missing record = %v, want not found", err)
	}
	// Retracting an older record leaves the latest alone.
	c := MustAdd(t, s, Report(3, "省林业局", "U1", "c", "第三次", duban.StatusInProgress))
	if _, err := s.RetractRecord(ctx, a.Seq, "U1", "x4", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if m := LatestMap(t, s); m["3/省林业局"] != "第三次" {
		t.Errorf("latest after retracting an older record = %q, want 第三次 (record %d)", m["3/省林业局"], c.Seq)
	}
}

func testCorrect(t *testing.T, open Open) {
	s := open(t, time.Now)
	old := MustAdd(t, s, Report(3, "省林业局", "U1", "a", "写错的", duban.StatusInProgress))
	fix := Report(3, "省林业局", "U1", "fix1", "更正后的", duban.StatusDone)
	fix.Corrects = old.Seq
	got, dup, err := s.Correct(ctx, fix)
	if err != nil || dup || got.Seq <= old.Seq || got.Corrects != old.Seq {
		t.Fatalf("Correct = %+v, %v, %v", got, dup, err)
	}
	if m := LatestMap(t, s); m["3/省林业局"] != "更正后的" {
		t.Errorf("latest after a correction = %q", m["3/省林业局"])
	}
	h := history(t, s, 3)
	if len(h) != 2 || h[1].Seq != old.Seq || h[1].CorrectedBy != got.Seq || h[0].Corrects != old.Seq {
		t.Errorf("history after a correction = %+v; want the old record kept and marked", h)
	}
	if r, _, _ := s.Record(ctx, old.Seq); r.CorrectedBy != got.Seq {
		t.Errorf("Record(%d).CorrectedBy = %d, want %d", old.Seq, r.CorrectedBy, got.Seq)
	}
	if again, dup, err := s.Correct(ctx, fix); err != nil || !dup || again.Seq != got.Seq {
		t.Errorf("Correct again with the same source = %+v, %v, %v; want the first as a duplicate", again, dup, err)
	}
	// A corrected record is no longer correctable or retractable.
	fix2 := Report(3, "省林业局", "U1", "fix2", "再改", duban.StatusDone)
	fix2.Corrects = old.Seq
	if _, _, err := s.Correct(ctx, fix2); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("Correct of a corrected record = %v, want invalid", err)
	}
	if _, err := s.RetractRecord(ctx, old.Seq, "U1", "x9", time.Time{}); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("RetractRecord of a corrected record = %v, want invalid", err)
	}
	// Only the latest of its pair, and only on the same item and agency.
	newer := MustAdd(t, s, Report(3, "省林业局", "U1", "b", "再后来", duban.StatusInProgress))
	fix3 := Report(3, "省林业局", "U1", "fix3", "改旧的", duban.StatusDone)
	fix3.Corrects = got.Seq
	if _, _, err := s.Correct(ctx, fix3); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("Correct of a record that is not the latest = %v, want invalid", err)
	}
	other := Report(4, "省林业局", "U1", "fix4", "别的条目", duban.StatusDone)
	other.Corrects = newer.Seq
	if _, _, err := s.Correct(ctx, other); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("Correct on another item = %v, want invalid", err)
	}
	// Retracting the author's latest skips corrected records.
	if _, err := s.Retract(ctx, "U1", "rt1", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if m := LatestMap(t, s); m["3/省林业局"] != "更正后的" {
		t.Errorf("latest after retracting the newest = %q, want 更正后的", m["3/省林业局"])
	}
}

func testPending(t *testing.T, open Open) {
	s := open(t, time.Now)
	if _, ok, err := s.Pending(ctx, "U1"); ok || err != nil {
		t.Fatalf("Pending in a new store = %v, %v", ok, err)
	}
	p := duban.Pending{ID: "q1", UserID: "U1", Kind: "report", Data: []byte(`{"x":1}`)}
	if err := s.PutPending(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Pending(ctx, "U1")
	if err != nil || !ok || got.ID != "q1" || got.Kind != "report" || string(got.Data) != `{"x":1}` || got.Time.IsZero() || got.UserID != "U1" {
		t.Errorf("Pending = %+v, %v, %v", got, ok, err)
	}
	p.ID = "q2"
	if err := s.PutPending(ctx, p); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.DropPending(ctx, "U1", "q1"); ok || err != nil {
		t.Errorf("DropPending of a replaced id = %v, %v; want nothing dropped", ok, err)
	}
	if ok, err := s.DropPending(ctx, "U1", "q2"); !ok || err != nil {
		t.Errorf("DropPending(q2) = %v, %v", ok, err)
	}
	if _, ok, _ := s.Pending(ctx, "U1"); ok {
		t.Error("a dropped action is still pending")
	}
	s.PutPending(ctx, p)
	if ok, _ := s.DropPending(ctx, "U1", ""); !ok {
		t.Error("DropPending with any id dropped nothing")
	}
	if err := s.PutPending(ctx, duban.Pending{UserID: "U1"}); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("PutPending without an id = %v, want invalid", err)
	}
}

func testBindAll(t *testing.T, open Open) {
	s := open(t, time.Now)
	roster := []duban.Binding{
		{UserID: "U1", Agency: "省林业局", BoundBy: "ADMIN"},
		{UserID: "U2", Agency: "省财政厅", BoundBy: "ADMIN"},
	}
	if err := s.BindAll(ctx, roster, "roster1"); err != nil {
		t.Fatal(err)
	}
	bs, _ := s.Bindings(ctx)
	if len(bs) != 2 || bs[0].Agency != "省林业局" || bs[1].Agency != "省财政厅" {
		t.Errorf("Bindings after BindAll = %+v", bs)
	}
	// The same roster file again changes nothing, even after a rebinding.
	if err := s.Bind(ctx, duban.Binding{UserID: "U1", Agency: "省教育厅"}, "rebind"); err != nil {
		t.Fatal(err)
	}
	if err := s.BindAll(ctx, roster, "roster1"); err != nil {
		t.Fatal(err)
	}
	if b, _, _ := s.Binding(ctx, "U1"); b.Agency != "省教育厅" {
		t.Errorf("a replayed roster undid a later binding: %+v", b)
	}
	// A bad row: nobody is bound.
	bad := []duban.Binding{{UserID: "U3", Agency: "省林业局"}, {UserID: "", Agency: "省林业局"}}
	if err := s.BindAll(ctx, bad, "roster2"); err == nil {
		t.Error("BindAll with a bad row succeeded")
	}
	if _, ok, _ := s.Binding(ctx, "U3"); ok {
		t.Error("a row of a refused roster was bound")
	}
	for _, u := range []string{"UB", "UA"} {
		if err := s.AddAdmin(ctx, u, "local", "adm-"+u); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.Admins(ctx); err != nil || !eq(got, []string{"UA", "UB"}) {
		t.Errorf("Admins = %q, %v; want [UA UB] (sorted)", got, err)
	}
}

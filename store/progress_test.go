package store

import (
	"slices"
	"testing"
	"time"

	"duban"
)

// latestText returns the text of the latest report of (item, agency), or
// "-" when there is none.
func latestText(t *testing.T, s *Store, item int, agency string) string {
	t.Helper()
	all, err := s.Latest(ctx, LegacyPlanID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range all {
		if u.Item == item && u.Agency == agency {
			return u.Text
		}
	}
	return "-"
}

func TestAddUpdatesAllOrNone(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	a := report(3, "省林业局", "U1", "m1#1", "抽查", duban.StatusInProgress)
	b := report(53, "省林业局", "U1", "m1#2", "改造", duban.StatusDone)
	got, dup, err := s.AddUpdates(ctx, []duban.Update{a, b})
	if err != nil || dup || len(got) != 2 || got[0].Seq+1 != got[1].Seq {
		t.Fatalf("AddUpdates = %+v %v %v", got, dup, err)
	}
	// The same message again: the same records, nothing new.
	again, dup, err := s.AddUpdates(ctx, []duban.Update{a, b})
	if err != nil || !dup || again[0].Seq != got[0].Seq || again[1].Seq != got[1].Seq {
		t.Fatalf("replay = %+v %v %v", again, dup, err)
	}
	// One bad report stores none of them.
	c := report(4, "省市场监管局", "U2", "m2#1", "抽检", duban.StatusInProgress)
	bad := report(5, "省市场监管局", "U2", "m2#2", "", duban.StatusInProgress)
	if _, _, err := s.AddUpdates(ctx, []duban.Update{c, bad}); err == nil {
		t.Fatal("a report without text was stored")
	}
	if n, _ := s.Count(ctx); n != 2 {
		t.Fatalf("%d reports stored, want 2", n)
	}
	// A completion needs no text.
	done := report(5, "省市场监管局", "U2", "m3", "", duban.StatusDone)
	if _, _, err := s.AddUpdates(ctx, []duban.Update{done}); err != nil {
		t.Fatalf("a bare completion was refused: %v", err)
	}
}

func TestRecordByAuthorAndRetractRecord(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	r1 := mustAdd(t, s, report(3, "省林业局", "U1", "a", "第一次", duban.StatusInProgress))
	r2 := mustAdd(t, s, report(3, "省林业局", "U1", "b", "第二次", duban.StatusInProgress))
	r3 := mustAdd(t, s, report(53, "省林业局", "U2", "c", "别人的", duban.StatusInProgress))
	if u, ok, err := s.Record(ctx, r2.Seq); err != nil || !ok || u.Text != "第二次" {
		t.Fatalf("Record(%d) = %+v %v %v", r2.Seq, u, ok, err)
	}
	if _, ok, err := s.Record(ctx, 99); err != nil || ok {
		t.Fatalf("Record(99) found: %v %v", ok, err)
	}
	mine, err := s.ByAuthor(ctx, "U1", 10)
	if err != nil || len(mine) != 2 || mine[0].Seq != r2.Seq || mine[1].Seq != r1.Seq {
		t.Fatalf("ByAuthor = %+v %v", mine, err)
	}
	// Retracting the older record leaves the latest alone.
	u, err := s.RetractRecord(ctx, r1.Seq, "U1", "x1", time.Time{})
	if err != nil || !u.Retracted || u.Seq != r1.Seq {
		t.Fatalf("RetractRecord = %+v %v", u, err)
	}
	if got := latestText(t, s, 3, "省林业局"); got != "第二次" {
		t.Errorf("latest after retracting an older record = %q", got)
	}
	// Retracting the latest falls back to none (the older one is retracted).
	if _, err := s.RetractRecord(ctx, r2.Seq, "ADMIN", "x2", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got := latestText(t, s, 3, "省林业局"); got != "-" {
		t.Errorf("latest after retracting both = %q", got)
	}
	// Twice the same source id: the same answer; again with another id: refused.
	if u, err := s.RetractRecord(ctx, r2.Seq, "ADMIN", "x2", time.Time{}); err != nil || u.Seq != r2.Seq {
		t.Errorf("replayed retraction = %+v %v", u, err)
	}
	if _, err := s.RetractRecord(ctx, r2.Seq, "ADMIN", "x3", time.Time{}); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("retracting twice: %v", err)
	}
	if _, err := s.RetractRecord(ctx, 99, "ADMIN", "x4", time.Time{}); duban.ErrorCode(err) != duban.CodeNotFound {
		t.Errorf("retracting a record that does not exist: %v", err)
	}
	if got := latestText(t, s, 53, "省林业局"); got != "别人的" {
		t.Errorf("another pair moved: %q (record %d)", got, r3.Seq)
	}
}

func TestCorrect(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	old := mustAdd(t, s, report(3, "省林业局", "U1", "a", "造林10万亩", duban.StatusInProgress))
	fix := report(3, "省林业局", "U1", "b", "造林12万亩", duban.StatusInProgress)
	fix.Corrects = old.Seq
	got, dup, err := s.Correct(ctx, fix)
	if err != nil || dup || got.Corrects != old.Seq {
		t.Fatalf("Correct = %+v %v %v", got, dup, err)
	}
	if again, dup, err := s.Correct(ctx, fix); err != nil || !dup || again.Seq != got.Seq {
		t.Fatalf("replayed correction = %+v %v %v", again, dup, err)
	}
	if l := latestText(t, s, 3, "省林业局"); l != "造林12万亩" {
		t.Errorf("latest after correction = %q", l)
	}
	h, _ := s.History(ctx, LegacyPlanID, 3)
	if len(h) != 2 || h[0].Corrects != old.Seq || h[1].CorrectedBy != got.Seq {
		t.Fatalf("history after correction = %+v", h)
	}
	// A corrected record cannot be corrected or retracted again.
	fix2 := report(3, "省林业局", "U1", "c", "造林13万亩", duban.StatusInProgress)
	fix2.Corrects = old.Seq
	if _, _, err := s.Correct(ctx, fix2); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("correcting a corrected record: %v", err)
	}
	if _, err := s.RetractRecord(ctx, old.Seq, "U1", "d", time.Time{}); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("retracting a corrected record: %v", err)
	}
	// 撤回 takes the correction back, and the corrected record stays
	// superseded: the pair has no live report.
	if u, err := s.Retract(ctx, "U1", "e", time.Time{}); err != nil || u.Seq != got.Seq {
		t.Fatalf("Retract = %+v %v", u, err)
	}
	if l := latestText(t, s, 3, "省林业局"); l != "-" {
		t.Errorf("latest after retracting the correction = %q", l)
	}
	if _, err := s.Retract(ctx, "U1", "f", time.Time{}); duban.ErrorCode(err) != duban.CodeNotFound {
		t.Errorf("撤回 reached the corrected record: %v", err)
	}
	// Only the latest record of a pair may be corrected.
	a := mustAdd(t, s, report(53, "省林业局", "U1", "g", "一", duban.StatusInProgress))
	mustAdd(t, s, report(53, "省林业局", "U1", "h", "二", duban.StatusInProgress))
	fix3 := report(53, "省林业局", "U1", "i", "改", duban.StatusInProgress)
	fix3.Corrects = a.Seq
	if _, _, err := s.Correct(ctx, fix3); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("correcting an older record: %v", err)
	}
}

func TestPendingSurvivesReopen(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	if _, ok, err := s.Pending(ctx, "U1"); err != nil || ok {
		t.Fatalf("Pending on a new file: %v %v", ok, err)
	}
	p := duban.Pending{ID: "p1", UserID: "U1", Kind: "report", Data: []byte(`{"x":1}`)}
	if err := s.PutPending(ctx, p); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, Options{NoSocket: true})
	got, ok, err := s.Pending(ctx, "U1")
	if err != nil || !ok || got.ID != "p1" || string(got.Data) != `{"x":1}` || got.Time.IsZero() {
		t.Fatalf("Pending after reopen = %+v %v %v", got, ok, err)
	}
	if ok, err := s.DropPending(ctx, "U1", "other"); err != nil || ok {
		t.Errorf("dropped another id: %v %v", ok, err)
	}
	if ok, err := s.DropPending(ctx, "U1", "p1"); err != nil || !ok {
		t.Errorf("DropPending = %v %v", ok, err)
	}
	if _, ok, _ := s.Pending(ctx, "U1"); ok {
		t.Error("pending action still there")
	}
}

func TestBindAll(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	roster := []duban.Binding{{UserID: "U1", Agency: "省林业局", BoundBy: "A"}, {UserID: "U2", Agency: "福州海关", BoundBy: "A"}}
	if err := s.BindAll(ctx, roster, "roster-1"); err != nil {
		t.Fatal(err)
	}
	bs, _ := s.Bindings(ctx)
	var got []string
	for _, b := range bs {
		got = append(got, b.UserID+"="+b.Agency)
	}
	if !slices.Equal(got, []string{"U1=省林业局", "U2=福州海关"}) {
		t.Errorf("Bindings = %q", got)
	}
	if err := s.BindAll(ctx, []duban.Binding{{UserID: "U3", Agency: ""}}, "roster-2"); err == nil {
		t.Error("a binding without agency was stored")
	}
	if bs, _ := s.Bindings(ctx); len(bs) != 2 {
		t.Errorf("%d bindings after a refused roster", len(bs))
	}
}

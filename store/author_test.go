package store

import (
	"strings"
	"testing"
	"time"

	"duban"
)

// TestSourceIDIsTiedToItsAuthor: a source id another user already used
// neither stores a report nor hands back the other user's (hardening 8).
func TestSourceIDIsTiedToItsAuthor(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	mustAdd(t, s, report(3, "省林业局", "U1", "Ev1", "机密进展：仅U1可见", duban.StatusInProgress))
	got, dup, err := s.AddUpdate(ctx, report(3, "省林业局", "U2", "Ev1", "另一个用户的进展", duban.StatusDone))
	if err == nil || dup || strings.Contains(got.Text, "机密") {
		t.Errorf("AddUpdate by U2 with U1's source id = %+v, dup %v, err %v; want an error and nothing of U1's", got, dup, err)
	}
	if duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("code %s, want invalid", duban.ErrorCode(err))
	}
	if h, _ := s.History(ctx, LegacyPlanID, 3); len(h) != 1 {
		t.Errorf("History has %d reports, want 1", len(h))
	}
	// The author's own retry is still answered with the first report.
	got, dup, err = s.AddUpdate(ctx, report(3, "省林业局", "U1", "Ev1", "重发", duban.StatusInProgress))
	if err != nil || !dup || got.Text != "机密进展：仅U1可见" {
		t.Errorf("U1's retry = %q dup %v err %v, want the first report as a duplicate", got.Text, dup, err)
	}
	// A retraction's id is the retracting author's too.
	if _, err := s.Retract(ctx, "U1", "Rt1", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if u, err := s.Retract(ctx, "U2", "Rt1", time.Time{}); err == nil || strings.Contains(u.Text, "机密") {
		t.Errorf("Retract by U2 with U1's source id = %+v, %v; want an error", u, err)
	}
	// So is a retraction of a given record.
	second := mustAdd(t, s, report(4, "省林业局", "U1", "Ev2", "机密进展二", duban.StatusInProgress))
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

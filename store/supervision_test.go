package store

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban"
)

const (
	plan2021 = "fujian-2021-quality"
	plan2022 = "fujian-2022-quality"
)

func cst(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, duban.ChinaTime()) }

// TestSupervisionRecordsSurviveReopen: deadline changes, review steps and
// settings are on disk, source ids too (the contract suite checks what
// they hold, per plan, append-only, once per source id).
func TestSupervisionRecordsSurviveReopen(t *testing.T) {
	clk := newClock()
	opts := Options{NoSocket: true, Now: clk.Now}
	s := open(t, opts)
	if _, _, err := s.AddDeadline(ctx, plan2021, duban.DeadlineChange{Item: 19, Date: cst(2021, 6, 30), ByID: "A1", ByName: "办公室", SourceID: "m1"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddReview(ctx, plan2021, duban.ReviewStep{Item: 19, Agency: "省林业局", Report: 7, Decision: duban.DecisionReturn, Reason: "缺少佐证", ByID: "A1", SourceID: "m2"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddSetting(ctx, plan2021, duban.SettingChange{Name: duban.SettingCadence, Value: "monthly:25", ByID: "A1", SourceID: "m3"}); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, opts)
	if ds, err := s.Deadlines(ctx, plan2021); err != nil || len(ds) != 1 || !ds[0].Date.Equal(cst(2021, 6, 30)) || ds[0].ByName != "办公室" {
		t.Errorf("Deadlines after reopen = %+v, %v", ds, err)
	}
	if rs, err := s.Reviews(ctx, plan2021); err != nil || len(rs) != 1 || rs[0].Decision != duban.DecisionReturn || rs[0].Reason != "缺少佐证" {
		t.Errorf("Reviews after reopen = %+v, %v", rs, err)
	}
	if set, err := s.Settings(ctx, plan2021); err != nil || len(set) != 1 || set[0].Value != "monthly:25" {
		t.Errorf("Settings after reopen = %+v, %v", set, err)
	}
	// The same source id is still known after the reopen.
	if _, dup, err := s.AddDeadline(ctx, plan2021, duban.DeadlineChange{Item: 20, ByID: "A1", SourceID: "m1"}); err != nil || !dup {
		t.Errorf("AddDeadline again after reopen = %v, %v; want a duplicate", dup, err)
	}
}

// TestOlderFileOpensWithoutSupervisionBuckets: a file written before the
// supervision buckets existed opens unchanged and reads as empty.
func TestOlderFileOpensWithoutSupervisionBuckets(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bDeadlines, bReviews, bSettings, bReminders, bRuns} {
			if tx.Bucket(b) != nil {
				t.Errorf("a new file has bucket %s before first use", b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ds, err := s.Deadlines(ctx, plan2021); err != nil || len(ds) != 0 {
		t.Errorf("Deadlines on an older file = %v, %v", ds, err)
	}
	if rc, err := s.ReminderCounts(ctx, plan2021, "2021-06"); err != nil || len(rc) != 0 {
		t.Errorf("ReminderCounts on an older file = %v, %v", rc, err)
	}
	if _, ok, err := s.LastRun(ctx, plan2021, "digest"); err != nil || ok {
		t.Errorf("LastRun on an older file = %v, %v", ok, err)
	}
}

// TestLastRun: LastRun reads the slot ClaimRun recorded (the contract
// suite checks the claims themselves; LastRun is not part of it).
func TestLastRun(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	slot := time.Date(2021, 6, 7, 1, 0, 0, 0, time.UTC)
	if ok, err := s.ClaimRun(ctx, plan2021, "digest", slot); !ok || err != nil {
		t.Fatalf("ClaimRun = %v, %v", ok, err)
	}
	last, ok, err := s.LastRun(ctx, plan2021, "digest")
	if err != nil || !ok || !last.Equal(slot) {
		t.Errorf("LastRun = %v, %v, %v; want %v", last, ok, err, slot)
	}
	if _, ok, err := s.LastRun(ctx, plan2022, "digest"); ok || err != nil {
		t.Errorf("LastRun of another plan = %v, %v; want none", ok, err)
	}
}

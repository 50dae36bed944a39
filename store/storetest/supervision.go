package storetest

import (
	"testing"
	"time"

	"duban"
)

// The contract of supervision's records (bot.SupervisionStore), kept per
// plan: deadline changes, review steps and settings (append-only, once per
// source id), reminder counts per round, and the claim of each slot of a
// scheduled job.

func init() {
	extra = append(extra,
		testCase{"SupervisionRecordsPerPlan", testSupervisionRecords},
		testCase{"SupervisionRefusesBadInput", testSupervisionBadInput},
		testCase{"ReminderCountsPerRound", testReminderCounts},
		testCase{"ClaimRun", testClaimRun},
	)
}

const (
	plan2021 = "fujian-2021-quality"
	plan2022 = "fujian-2022-quality"
)

func cst(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, duban.ChinaTime()) }

func testSupervisionRecords(t *testing.T, open Open) {
	clk := NewClock()
	s := open(t, clk.Now)
	c, dup, err := s.AddDeadline(ctx, plan2021, duban.DeadlineChange{Item: 19, Date: cst(2021, 6, 30), ByID: "A1", ByName: "办公室", SourceID: "m1"})
	if err != nil || dup || c.Seq == 0 || !c.Time.Equal(clk.Now()) {
		t.Fatalf("AddDeadline = %+v, %v, %v", c, dup, err)
	}
	again, dup, err := s.AddDeadline(ctx, plan2021, duban.DeadlineChange{Item: 20, Date: cst(2021, 7, 31), ByID: "A1", SourceID: "m1"})
	if err != nil || !dup || again.Seq != c.Seq || again.Item != 19 {
		t.Fatalf("same source again = %+v, %v, %v; want the first change, duplicate", again, dup, err)
	}
	clk.Add(time.Hour)
	if _, _, err := s.AddDeadline(ctx, plan2021, duban.DeadlineChange{Item: 19, Agency: "省林业局", ByID: "A1", SourceID: "m2"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddDeadline(ctx, plan2022, duban.DeadlineChange{Item: 3, Date: cst(2022, 3, 31), ByID: "A1", SourceID: "m3"}); err != nil {
		t.Fatal(err)
	}
	step, _, err := s.AddReview(ctx, plan2021, duban.ReviewStep{Item: 19, Agency: "省林业局", Report: 7, Decision: duban.DecisionReturn, Reason: "缺少佐证", ByID: "A1", SourceID: "m4"})
	if err != nil || step.Seq == 0 {
		t.Fatalf("AddReview = %+v, %v", step, err)
	}
	if again, dup, err := s.AddReview(ctx, plan2021, duban.ReviewStep{Item: 19, Agency: "省林业局", Report: 7, Decision: duban.DecisionPass, ByID: "A1", SourceID: "m4"}); err != nil || !dup || again.Decision != duban.DecisionReturn {
		t.Errorf("AddReview again = %+v, %v, %v; want the first step, duplicate", again, dup, err)
	}
	if _, _, err := s.AddSetting(ctx, plan2021, duban.SettingChange{Name: duban.SettingReview, Value: "on", ByID: "A1", SourceID: "m5"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddSetting(ctx, plan2021, duban.SettingChange{Name: duban.SettingCadence, Value: "monthly:25", ByID: "A1", SourceID: "m6"}); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Deadlines(ctx, plan2021)
	if err != nil || len(ds) != 2 {
		t.Fatalf("Deadlines(2021) = %+v, %v; want 2", ds, err)
	}
	if !ds[0].Date.Equal(cst(2021, 6, 30)) || ds[0].ByName != "办公室" || ds[1].Agency != "省林业局" || !ds[1].Date.IsZero() || ds[0].Seq >= ds[1].Seq {
		t.Errorf("Deadlines(2021) = %+v", ds)
	}
	if ds, _ := s.Deadlines(ctx, plan2022); len(ds) != 1 || ds[0].Item != 3 {
		t.Errorf("Deadlines(2022) = %+v; want item 3 alone", ds)
	}
	if rs, err := s.Reviews(ctx, plan2021); err != nil || len(rs) != 1 || rs[0].Decision != duban.DecisionReturn || rs[0].Reason != "缺少佐证" || rs[0].Report != 7 {
		t.Errorf("Reviews = %+v, %v", rs, err)
	}
	if rs, _ := s.Reviews(ctx, plan2022); len(rs) != 0 {
		t.Errorf("Reviews(2022) = %+v; want none", rs)
	}
	set, err := s.Settings(ctx, plan2021)
	if err != nil || len(set) != 2 {
		t.Fatalf("Settings = %+v, %v", set, err)
	}
	rules := duban.ApplySettings(duban.Rules{}, set)
	if !rules.Review.On || rules.Cadence.String() != "monthly:25" {
		t.Errorf("ApplySettings = %+v", rules)
	}
}

func testSupervisionBadInput(t *testing.T, open Open) {
	s := open(t, time.Now)
	dl := func(_ duban.DeadlineChange, _ bool, err error) error { return err }
	rv := func(_ duban.ReviewStep, _ bool, err error) error { return err }
	st := func(_ duban.SettingChange, _ bool, err error) error { return err }
	for name, err := range map[string]error{
		"no plan":        dl(s.AddDeadline(ctx, "", duban.DeadlineChange{Item: 1, ByID: "A", SourceID: "x1"})),
		"plan with NUL":  dl(s.AddDeadline(ctx, "a\x00b", duban.DeadlineChange{Item: 1, ByID: "A", SourceID: "x2"})),
		"item 0":         dl(s.AddDeadline(ctx, plan2021, duban.DeadlineChange{Item: 0, ByID: "A", SourceID: "x3"})),
		"no source":      dl(s.AddDeadline(ctx, plan2021, duban.DeadlineChange{Item: 1, ByID: "A"})),
		"no decision":    rv(s.AddReview(ctx, plan2021, duban.ReviewStep{Item: 1, Agency: "a", Report: 1, ByID: "A", SourceID: "x4"})),
		"no report":      rv(s.AddReview(ctx, plan2021, duban.ReviewStep{Item: 1, Agency: "a", Decision: duban.DecisionPass, ByID: "A", SourceID: "x5"})),
		"unknown option": st(s.AddSetting(ctx, plan2021, duban.SettingChange{Name: "colour", Value: "red", ByID: "A", SourceID: "x6"})),
	} {
		if duban.ErrorCode(err) != duban.CodeInvalid {
			t.Errorf("%s: error %v, want invalid", name, err)
		}
	}
	if ds, _ := s.Deadlines(ctx, plan2021); len(ds) != 0 {
		t.Errorf("bad input stored %+v", ds)
	}
}

func testReminderCounts(t *testing.T, open Open) {
	s := open(t, time.Now)
	agencies := []string{"省林业局", "省教育厅"}
	for i, src := range []string{"r1", "r2", "r2", "r3"} { // r2 delivered twice: one reminder
		got, err := s.CountReminders(ctx, plan2021, "2021-06", agencies[:1+i%2], "A1", src)
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 && got["省林业局"] != 2 {
			t.Errorf("the same 提醒 again counted: %v", got)
		}
	}
	got, err := s.ReminderCounts(ctx, plan2021, "2021-06")
	if err != nil || got["省林业局"] != 3 || got["省教育厅"] != 2 {
		t.Errorf("ReminderCounts = %v, %v; want 省林业局 3, 省教育厅 2", got, err)
	}
	if got, _ := s.ReminderCounts(ctx, plan2021, "2021-07"); len(got) != 0 {
		t.Errorf("next round starts at %v, want nothing", got)
	}
	if got, _ := s.ReminderCounts(ctx, plan2022, "2021-06"); len(got) != 0 {
		t.Errorf("another plan sees %v, want nothing", got)
	}
	if got, _ := s.ReminderCounts(ctx, plan2021, "2021-0"); len(got) != 0 {
		t.Errorf("round 2021-0 sees %v", got)
	}
}

func testClaimRun(t *testing.T, open Open) {
	s := open(t, time.Now)
	slot := time.Date(2021, 6, 7, 1, 0, 0, 0, time.UTC)
	for i, want := range []bool{true, false} {
		ok, err := s.ClaimRun(ctx, plan2021, "digest", slot)
		if err != nil || ok != want {
			t.Errorf("claim %d = %v, %v; want %v", i, ok, err, want)
		}
	}
	if ok, _ := s.ClaimRun(ctx, plan2022, "digest", slot); !ok {
		t.Error("another plan's digest could not claim the same slot")
	}
	if ok, _ := s.ClaimRun(ctx, plan2021, "remind", slot); !ok {
		t.Error("another job could not claim the same slot")
	}
	if ok, _ := s.ClaimRun(ctx, plan2021, "digest", slot.Add(-time.Hour)); ok {
		t.Error("an earlier slot was claimed after a later one ran")
	}
	if ok, _ := s.ClaimRun(ctx, plan2021, "digest", slot.Add(7*24*time.Hour)); !ok {
		t.Error("next week's slot was refused")
	}
}

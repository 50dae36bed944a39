package storetest

import (
	"bytes"
	"testing"
	"time"

	"duban"
	"duban/bot"
)

// The contract of plans: reports belong to a plan (keys and records carry
// its id) and never show in another's history or latest statuses, record
// numbers count across plans (a record is found, retracted and corrected by
// its number alone), a user's records are read across plans, and the store
// keeps the plans the office adds and the plan choices.

func init() {
	extra = append(extra,
		testCase{"ReportsBelongToAPlan", testReportsBelongToAPlan},
		testCase{"RecordNumbersAcrossPlans", testRecordsAcrossPlans},
		testCase{"PlansKept", testPlansKept},
		testCase{"PlanChoices", testPlanChoices},
	)
}

// onPlan is Report on another plan.
func onPlan(plan string, item int, src, text string) duban.Update {
	u := Report(item, "省林业局", "U1", src, text, duban.StatusInProgress)
	u.Plan = plan
	return u
}

func testReportsBelongToAPlan(t *testing.T, open Open) {
	s := open(t, time.Now)
	MustAdd(t, s, onPlan(plan2021, 3, "a", "2021年第3条"))
	MustAdd(t, s, onPlan(plan2022, 3, "b", "2022年第3条"))
	MustAdd(t, s, onPlan(plan2022, 6, "c", "2022年第6条"))
	MustAdd(t, s, onPlan("p", 3, "d", "计划p")) // an id that starts another's
	for plan, want := range map[string][]string{plan2021: {"2021年第3条"}, plan2022: {"2022年第3条", "2022年第6条"}, "p": {"计划p"}} {
		l, err := s.Latest(ctx, plan)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range l {
			got = append(got, u.Text)
			if u.Plan != plan {
				t.Errorf("Latest(%s) holds a report of %q", plan, u.Plan)
			}
		}
		if !eq(got, want) {
			t.Errorf("Latest(%s) = %q, want %q", plan, got, want)
		}
	}
	if h, _ := s.History(ctx, plan2021, 3); !eq(Texts(h), []string{"2021年第3条"}) {
		t.Errorf("History(2021, 3) = %q", Texts(h))
	}
	if h, _ := s.History(ctx, plan2022, 3); !eq(Texts(h), []string{"2022年第3条"}) || h[0].Plan != plan2022 {
		t.Errorf("History(2022, 3) = %+v", h)
	}
	if _, _, err := s.AddUpdate(ctx, onPlan("", 3, "e", "无计划")); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("a report without a plan: %v, want invalid", err)
	}
}

func testRecordsAcrossPlans(t *testing.T, open Open) {
	s := open(t, time.Now)
	a := MustAdd(t, s, onPlan(plan2021, 3, "a", "2021年"))
	b := MustAdd(t, s, onPlan(plan2022, 3, "b", "2022年"))
	c := MustAdd(t, s, onPlan(plan2021, 3, "c", "2021年再报"))
	if !(a.Seq < b.Seq && b.Seq < c.Seq) {
		t.Fatalf("record numbers %d %d %d, want increasing across plans", a.Seq, b.Seq, c.Seq)
	}
	if u, ok, err := s.Record(ctx, b.Seq); err != nil || !ok || u.Plan != plan2022 || u.Text != "2022年" {
		t.Errorf("Record(%d) = %+v %v %v", b.Seq, u, ok, err)
	}
	mine, _ := s.ByAuthor(ctx, "U1", 10)
	if got := Texts(mine); !eq(got, []string{"2021年再报", "2022年", "2021年"}) {
		t.Errorf("ByAuthor across plans = %q, newest first", got)
	}
	// Retracting the 2022 record leaves 2021's latest alone.
	if u, err := s.RetractRecord(ctx, b.Seq, "U1", "r1", time.Time{}); err != nil || u.Plan != plan2022 {
		t.Fatalf("RetractRecord: %+v %v", u, err)
	}
	if l, _ := s.Latest(ctx, plan2022); len(l) != 0 {
		t.Errorf("2022 after the retraction: %+v", l)
	}
	if l, _ := s.Latest(ctx, plan2021); len(l) != 1 || l[0].Seq != c.Seq {
		t.Errorf("2021 after a 2022 retraction: %+v", l)
	}
	// 撤回 (the author's latest) takes the newest live one, on any plan.
	if u, err := s.Retract(ctx, "U1", "r2", time.Time{}); err != nil || u.Seq != c.Seq {
		t.Errorf("Retract = %+v %v, want record %d", u, err, c.Seq)
	}
	// A correction stays on its record's plan.
	fix := onPlan(plan2022, 3, "f", "改")
	fix.Corrects = a.Seq
	if _, _, err := s.Correct(ctx, fix); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("a correction on another plan: %v, want invalid", err)
	}
	fix.Plan = plan2021
	if got, _, err := s.Correct(ctx, fix); err != nil || got.Plan != plan2021 {
		t.Errorf("Correct on the record's plan: %+v %v", got, err)
	}
}

func testPlansKept(t *testing.T, open Open) {
	s := open(t, time.Now)
	ps, ok := s.(bot.PlanStore)
	if !ok {
		t.Fatal("the store does not keep plans (bot.PlanStore)")
	}
	// A document larger than one etcd request (1.5 MiB) comes back whole.
	big := bytes.Repeat([]byte("1.一条工作。(牵头单位:省林业局)\n"), 80000)
	src := duban.PlanSource{ID: plan2022, Title: "二〇二二", Year: 2022, Document: big, Agencies: []byte("[agencies]\n"),
		Terms: []string{"森林康养"}, AddedBy: "UADMIN"}
	if dup, err := ps.AddPlan(ctx, src, "imp-1"); err != nil || dup {
		t.Fatalf("AddPlan: %v %v", dup, err)
	}
	if dup, err := ps.AddPlan(ctx, src, "imp-1"); err != nil || !dup {
		t.Errorf("the same source again: %v %v, want a duplicate", dup, err)
	}
	if _, err := ps.AddPlan(ctx, src, "imp-2"); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("an id stored before: %v, want invalid", err)
	}
	small := src
	small.ID, small.Document = "p2023", []byte("1.另一条。(牵头单位:省林业局)\n")
	if _, err := ps.AddPlan(ctx, small, "imp-3"); err != nil {
		t.Fatal(err)
	}
	bad := small
	bad.ID = "Bad ID"
	if _, err := ps.AddPlan(ctx, bad, "imp-4"); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("a bad id: %v", err)
	}
	got, err := ps.StoredPlans(ctx)
	if err != nil || len(got) != 2 {
		t.Fatalf("StoredPlans = %d plans, %v", len(got), err)
	}
	p := got[0]
	if p.ID != plan2022 || !bytes.Equal(p.Document, big) || p.Title != "二〇二二" || p.Year != 2022 || string(p.Agencies) != "[agencies]\n" ||
		len(p.Terms) != 1 || p.AddedBy != "UADMIN" || p.AddedAt.IsZero() || got[1].ID != "p2023" {
		t.Errorf("StoredPlans[0] = %s %q %d %d bytes, then %s", p.ID, p.Title, p.Year, len(p.Document), got[1].ID)
	}
}

func testPlanChoices(t *testing.T, open Open) {
	s := open(t, time.Now)
	ps := s.(bot.PlanStore)
	if err := ps.SetPlanChoice(ctx, "user:U1", plan2022, "c1"); err != nil {
		t.Fatal(err)
	}
	if err := ps.SetPlanChoice(ctx, "global", plan2021, "c2"); err != nil {
		t.Fatal(err)
	}
	if id, ok, _ := ps.PlanChoice(ctx, "user:U1"); !ok || id != plan2022 {
		t.Errorf("U1: %q %v", id, ok)
	}
	if _, ok, _ := ps.PlanChoice(ctx, "user:U2"); ok {
		t.Error("U2 has a choice")
	}
	if err := ps.SetPlanChoice(ctx, "user:U1", "", "c3"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := ps.PlanChoice(ctx, "user:U1"); ok {
		t.Error("a cleared choice remains")
	}
	if id, ok, _ := ps.PlanChoice(ctx, "global"); !ok || id != plan2021 {
		t.Errorf("global: %q %v", id, ok)
	}
	if err := ps.SetPlanChoice(ctx, "global", "Bad ID", "c4"); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("a bad id: %v", err)
	}
}

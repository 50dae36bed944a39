package store

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban"
)

// openV1 copies the version 1 fixture (testdata/mkv1 wrote it) into a
// temporary data directory and opens it.
func openV1(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	src, err := os.Open("testdata/duban-v1.db")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	dst.Close()
	s, err := Open(dir, Options{NoSocket: true})
	if err != nil {
		t.Fatalf("open a version 1 file: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// A version 1 file opens: every report moves under the 2021 plan, with its
// record number, retraction and correction; nothing else changes, and a
// copy of the file as it was is kept.
func TestMigrateV1(t *testing.T) {
	s, dir := openV1(t)
	ctx := context.Background()
	if n, _ := s.Count(ctx); n != 7 {
		t.Fatalf("%d reports, want the fixture's 7", n)
	}
	for seq := uint64(1); seq <= 7; seq++ {
		u, ok, err := s.Record(ctx, seq)
		if err != nil || !ok || u.Plan != LegacyPlanID {
			t.Errorf("record %d: %+v %v %v, want on %s", seq, u, ok, err, LegacyPlanID)
		}
	}
	h3, err := s.History(ctx, LegacyPlanID, 3)
	if err != nil || len(h3) != 2 || h3[0].Percent != 40 || h3[1].Percent != 20 {
		t.Errorf("history of item 3: %+v %v", h3, err)
	}
	h2, _ := s.History(ctx, LegacyPlanID, 2)
	if len(h2) != 2 || !h2[0].Retracted || h2[1].Retracted {
		t.Errorf("history of item 2: the 滞后 report retracted, the 已完成 one live: %+v", h2)
	}
	h53, _ := s.History(ctx, LegacyPlanID, 53)
	if len(h53) != 3 || h53[0].Corrects != h53[1].Seq || h53[1].CorrectedBy != h53[0].Seq {
		t.Errorf("history of item 53: the correction and the record it corrects: %+v", h53)
	}
	latest, err := s.Latest(ctx, LegacyPlanID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]int{}
	for _, u := range latest {
		got[u.Item] = u.Percent
	}
	want := map[int]int{2: 100, 3: 40, 53: 60}
	if len(got) != len(want) || got[2] != want[2] || got[3] != want[3] || got[53] != want[53] {
		t.Errorf("latest after migration: %v, want %v", got, want)
	}
	if l, _ := s.Latest(ctx, "fujian-2022-quality"); len(l) != 0 {
		t.Errorf("another plan has %d latest reports", len(l))
	}
	if b, ok, _ := s.Binding(ctx, "U1"); !ok || b.Agency != "省林业局" {
		t.Errorf("binding of U1: %+v %v", b, ok)
	}
	if a, _ := s.IsAdmin(ctx, "UADMIN"); !a {
		t.Error("the admin was lost")
	}
	if ds, _ := s.Deadlines(ctx, LegacyPlanID); len(ds) != 1 || ds[0].Item != 3 {
		t.Errorf("deadlines: %+v", ds)
	}
	if mine, _ := s.ByAuthor(ctx, "U1", 10); len(mine) != 5 {
		t.Errorf("U1's records: %d, want 5", len(mine))
	}
	// The old file is kept as it was, and opening again changes nothing.
	if err := s.view(func(tx *bolt.Tx) error {
		if v := string(tx.Bucket(bMeta).Get(keySchema)); v != "2" {
			t.Errorf("schema %q after migration", v)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	old, err := bolt.Open(filepath.Join(dir, V1Copy), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatalf("the version 1 copy: %v", err)
	}
	old.View(func(tx *bolt.Tx) error {
		if v := string(tx.Bucket(bMeta).Get(keySchema)); v != "1" {
			t.Errorf("the copy has schema %q, want 1", v)
		}
		return nil
	})
	old.Close()
	s.Close()
	s2, err := Open(dir, Options{NoSocket: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if h, _ := s2.History(ctx, LegacyPlanID, 3); len(h) != 2 {
		t.Errorf("reopened: history of item 3 has %d reports", len(h))
	}
	// New reports continue the record numbers, on any plan.
	u, _, err := s2.AddUpdate(ctx, duban.Update{Plan: "fujian-2022-quality", Item: 3, Agency: "省林业局", AuthorID: "U1",
		Status: duban.StatusInProgress, Percent: duban.NoPercent, Text: "新计划的第3条", SourceID: "new-1"})
	if err != nil || u.Seq != 8 {
		t.Errorf("a report after migration: seq %d, %v (want 8: the fixture holds 7)", u.Seq, err)
	}
}

// Reports on one plan never show in another, though their item numbers,
// agencies and authors are the same.
func TestReportsBelongToAPlan(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	ctx := context.Background()
	add := func(plan string, item, pct int, src string) {
		t.Helper()
		if _, _, err := s.AddUpdate(ctx, duban.Update{Plan: plan, Item: item, Agency: "省林业局", AuthorID: "U1",
			Status: duban.StatusInProgress, Percent: pct, Text: "进展" + src, SourceID: src}); err != nil {
			t.Fatal(err)
		}
	}
	add("p2021", 3, 10, "a")
	add("p2022", 3, 70, "b")
	add("p2021", 3, 20, "c")
	add("p2022", 6, 30, "d")
	for plan, want := range map[string][]int{"p2021": {20}, "p2022": {70, 30}} {
		l, _ := s.Latest(ctx, plan)
		var got []int
		for _, u := range l {
			got = append(got, u.Percent)
			if u.Plan != plan {
				t.Errorf("Latest(%s) holds a report of %s", plan, u.Plan)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("Latest(%s) = %v, want %v", plan, got, want)
		}
	}
	if h, _ := s.History(ctx, "p2021", 3); len(h) != 2 {
		t.Errorf("2021 item 3: %d reports, want 2", len(h))
	}
	if h, _ := s.History(ctx, "p2022", 3); len(h) != 1 {
		t.Errorf("2022 item 3: %d reports, want 1", len(h))
	}
	// A plan whose id is the start of another's reads only its own.
	add("p", 3, 50, "e")
	if l, _ := s.Latest(ctx, "p"); len(l) != 1 || l[0].Percent != 50 {
		t.Errorf("Latest(p) = %+v", l)
	}
	// Retracting the 2022 report leaves 2021 alone.
	if _, err := s.RetractRecord(ctx, 2, "U1", "r", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.Latest(ctx, "p2021"); len(l) != 1 || l[0].Percent != 20 {
		t.Errorf("2021 after retracting a 2022 report: %+v", l)
	}
	if l, _ := s.Latest(ctx, "p2022"); len(l) != 1 || l[0].Item != 6 {
		t.Errorf("2022 after retracting its item 3 report: %+v", l)
	}
	// A report without a plan is refused.
	if _, _, err := s.AddUpdate(ctx, duban.Update{Item: 3, Agency: "省林业局", AuthorID: "U1", Status: duban.StatusInProgress,
		Percent: duban.NoPercent, Text: "无计划", SourceID: "z"}); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("a report without a plan: %v", err)
	}
}

func TestPlansAndChoices(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	ctx := context.Background()
	doc := []byte("2022年计划\n1.一条。(牵头单位:省林业局)\n")
	src := duban.PlanSource{ID: "p2022", Title: "二〇二二", Year: 2022, Document: doc, Agencies: []byte("[agencies]\n"), AddedBy: "UADMIN"}
	if dup, err := s.AddPlan(ctx, src, "imp-1"); err != nil || dup {
		t.Fatalf("AddPlan: %v %v", dup, err)
	}
	if dup, err := s.AddPlan(ctx, src, "imp-1"); err != nil || !dup {
		t.Errorf("the same message again: %v %v, want a duplicate", dup, err)
	}
	if _, err := s.AddPlan(ctx, src, "imp-2"); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("an id stored before: %v", err)
	}
	src2 := src
	src2.ID = "p2023"
	if _, err := s.AddPlan(ctx, src2, "imp-3"); err != nil {
		t.Fatal(err)
	}
	got, err := s.StoredPlans(ctx)
	if err != nil || len(got) != 2 || got[0].ID != "p2022" || got[1].ID != "p2023" || string(got[0].Document) != string(doc) ||
		got[0].Year != 2022 || got[0].Title != "二〇二二" || got[0].AddedBy != "UADMIN" || got[0].AddedAt.IsZero() {
		t.Errorf("StoredPlans = %+v, %v", got, err)
	}
	if err := s.SetPlanChoice(ctx, "user:U1", "p2022", "c1"); err != nil {
		t.Fatal(err)
	}
	if id, ok, _ := s.PlanChoice(ctx, "user:U1"); !ok || id != "p2022" {
		t.Errorf("choice of U1: %q %v", id, ok)
	}
	if _, ok, _ := s.PlanChoice(ctx, "user:U2"); ok {
		t.Error("U2 has a choice")
	}
	if err := s.SetPlanChoice(ctx, "user:U1", "", "c2"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.PlanChoice(ctx, "user:U1"); ok {
		t.Error("a cleared choice remains")
	}
	if err := s.SetPlanChoice(ctx, "global", "Bad ID", "c3"); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("a bad plan id: %v", err)
	}
}

package store

import (
	"context"
	"io"
	"os"
	"path/filepath"
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

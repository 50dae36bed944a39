package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/store/storetest"
)

// snapshot is a store's visible state as text: every history, the latest
// pairs, bindings and admins.
func snapshot(t *testing.T, s storetest.Store) string {
	t.Helper()
	var b strings.Builder
	for item := 1; item <= 5; item++ {
		h, err := s.History(ctx, LegacyPlanID, item)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range h {
			fmt.Fprintf(&b, "%d %d %s %s %v %d %q %s %v %v %d %d\n", u.Seq, u.Item, u.Agency, u.AuthorID, u.Status, u.Percent, u.Text, u.Time.UTC().Format(time.RFC3339Nano), u.Retracted, u.RetractedAt.UTC().Format(time.RFC3339), u.Corrects, u.CorrectedBy)
		}
	}
	l, err := s.Latest(ctx, LegacyPlanID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range l {
		fmt.Fprintf(&b, "latest %d %s = %d\n", u.Item, u.Agency, u.Seq)
	}
	bs, err := s.Bindings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range bs {
		fmt.Fprintf(&b, "bind %s %s %s\n", x.UserID, x.Agency, x.BoundBy)
	}
	for _, u := range []string{"U1", "U2", "ADMIN"} {
		ok, _ := s.IsAdmin(ctx, u)
		fmt.Fprintf(&b, "admin %s %v\n", u, ok)
		p, ok, _ := s.Pending(ctx, u)
		fmt.Fprintf(&b, "pending %s %v %s %s %q\n", u, ok, p.ID, p.Kind, p.Data)
	}
	ds, _ := s.Deadlines(ctx, DefaultPlan)
	rs, _ := s.Reviews(ctx, DefaultPlan)
	ss, _ := s.Settings(ctx, DefaultPlan)
	rc, _ := s.ReminderCounts(ctx, DefaultPlan, "2021-06")
	for _, d := range ds {
		fmt.Fprintf(&b, "deadline %d %d %s %s\n", d.Seq, d.Item, d.Date.Format(time.DateOnly), d.SourceID)
	}
	for _, r := range rs {
		fmt.Fprintf(&b, "review %d %d %s %d %q\n", r.Seq, r.Item, r.Agency, r.Decision, r.Reason)
	}
	for _, x := range ss {
		fmt.Fprintf(&b, "setting %d %s=%s\n", x.Seq, x.Name, x.Value)
	}
	fmt.Fprintf(&b, "reminders %v\n", rc)
	return b.String()
}

// fill writes reports, a retraction, bindings and an admin.
func fill(t *testing.T, s storetest.Store) {
	t.Helper()
	for i := range 12 {
		u := storetest.Report(i%5+1, []string{"省林业局", "省财政厅"}[i%2], fmt.Sprint("U", i%2+1), fmt.Sprint("f", i), fmt.Sprint("进展", i), duban.StatusInProgress)
		if _, _, err := s.AddUpdate(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Retract(ctx, "U1", "rt", time.Time{}); err != nil {
		t.Fatal(err)
	}
	l, err := s.Latest(ctx, LegacyPlanID)
	if err != nil {
		t.Fatal(err)
	}
	fix := storetest.Report(l[0].Item, l[0].Agency, "U2", "fix", "更正", duban.StatusDone)
	fix.Corrects = l[0].Seq
	if _, _, err := s.Correct(ctx, fix); err != nil {
		t.Fatal(err)
	}
	if err := s.PutPending(ctx, duban.Pending{ID: "q1", UserID: "U2", Kind: "report", Data: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddDeadline(ctx, DefaultPlan, duban.DeadlineChange{Item: 19, Date: time.Date(2021, 6, 30, 0, 0, 0, 0, duban.ChinaTime()), ByID: "ADMIN", SourceID: "d1"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddReview(ctx, DefaultPlan, duban.ReviewStep{Item: 3, Agency: "省林业局", Report: 1, Decision: duban.DecisionReturn, Reason: "缺少佐证", ByID: "ADMIN", SourceID: "v1"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddSetting(ctx, DefaultPlan, duban.SettingChange{Name: duban.SettingReview, Value: "on", ByID: "ADMIN", SourceID: "st1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CountReminders(ctx, DefaultPlan, "2021-06", []string{"省林业局", "省财政厅"}, "ADMIN", "rm1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Bind(ctx, duban.Binding{UserID: "U1", Agency: "省林业局", BoundBy: "ADMIN"}, "b1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Bind(ctx, duban.Binding{UserID: "U2", Agency: "省财政厅", BoundBy: "ADMIN"}, "b2"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddAdmin(ctx, "ADMIN", "local", "a1"); err != nil {
		t.Fatal(err)
	}
}

// TestBackupRestoreAcrossBackends: a bbolt backup restored into etcd, and
// the etcd export of that restored into a new bbolt store, show the same
// histories, latest pairs, bindings and admins, record numbers included;
// the restored stores go on numbering after the last record; a restore
// over data is refused.
func TestBackupRestoreAcrossBackends(t *testing.T) {
	src := open(t, Options{NoSocket: true})
	fill(t, src)
	want := snapshot(t, src)
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if _, err := src.BackupFile(copyPath); err != nil {
		t.Fatal(err)
	}

	d, err := ReadBackup(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	es := openEtcd(t, EtcdOptions{})
	if n, err := Restore(ctx, es, d); err != nil || n != d.Records() {
		t.Fatalf("Restore into etcd = %d, %v", n, err)
	}
	if got := snapshot(t, es); got != want {
		t.Errorf("etcd after restore:\n%s\nwant:\n%s", got, want)
	}
	if _, err := Restore(ctx, es, d); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("second restore into etcd = %v, want refused", err)
	}

	exportPath := filepath.Join(t.TempDir(), "export.jsonl")
	if _, err := ExportFile(ctx, es, exportPath, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	d2, err := ReadBackup(exportPath)
	if err != nil {
		t.Fatal(err)
	}
	dst := open(t, Options{NoSocket: true})
	if _, err := Restore(ctx, dst, d2); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, dst); got != want {
		t.Errorf("bbolt after restoring the etcd export:\n%s\nwant:\n%s", got, want)
	}
	for _, s := range []storetest.Store{es, dst} {
		u, _, err := s.AddUpdate(ctx, storetest.Report(1, "省林业局", "U1", "after", "恢复后", duban.StatusDone))
		if err != nil || u.Seq != 14 {
			t.Errorf("first report after restore = %d, %v; want record 14", u.Seq, err)
		}
		d, dup, err := s.AddDeadline(ctx, DefaultPlan, duban.DeadlineChange{Item: 20, ByID: "ADMIN", SourceID: "d-after"})
		if err != nil || dup || d.Seq != 2 {
			t.Errorf("first deadline change after restore = %+v, %v, %v; want number 2", d, dup, err)
		}
	}
	if _, err := Restore(ctx, dst, d2); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("restore into a store with data = %v, want refused", err)
	}
}

// TestReadBackupRefusesOtherFiles: neither a random file nor a damaged
// export is read as a backup.
func TestReadBackupRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"garbage.db":  strings.Repeat("not a database ", 500),
		"other.jsonl": `{"format":"something-else"}` + "\n",
		"bad.jsonl":   `{"format":"duban-export","version":1,"schema":1}` + "\n" + `{"t":"report","seq":1,"v":{"i":0}}` + "\n",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o600)
		if _, err := ReadBackup(p); err == nil {
			t.Errorf("ReadBackup(%s) succeeded", name)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"duban"
	"duban/bot"
	"duban/store"
)

// seedStore stores reports in the data directory dir, as a running bot
// would have, and closes the store.
func seedStore(t *testing.T, dir string, updates ...duban.Update) {
	t.Helper()
	st, err := store.Open(dir, store.Options{NoSocket: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i, u := range updates {
		u.SourceID = "seed-" + string(rune('a'+i))
		if _, _, err := st.AddUpdate(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
}

func report(item int, agency string, st duban.Status, pct int, text string, age time.Duration) duban.Update {
	return duban.Update{Plan: "fujian-2021-quality", Item: item, Agency: agency, AuthorID: "U1", AuthorName: "林业局张三", Status: st,
		Percent: pct, Text: text, Time: time.Now().Add(-age).Truncate(time.Minute), Channel: "test"}
}

func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	seedStore(t, dir, report(3, "省林业局", duban.StatusInProgress, 40, "已建设森林步道120公里", time.Hour))

	out := filepath.Join(t.TempDir(), "表.csv")
	code, stdout, stderr := runCmd(t, "", "export", "--data", dir, "--out", out)
	if code != 0 || !strings.Contains(stdout, out) {
		t.Fatalf("export csv: exit %d\n%s%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil || !bytes.HasPrefix(data, []byte("\uFEFF")) {
		t.Fatalf("csv: %v (BOM %v)", err, bytes.HasPrefix(data, []byte("\uFEFF")))
	}
	var found []string
	for _, r := range recs {
		if r[0] == "3" && r[2] == "省林业局" {
			found = r
		}
	}
	// The plan's year ended long ago: the pair is past its deadline, red.
	if len(found) != 12 || found[4] != "红灯" || found[5] != "2021-12-31" || !strings.HasPrefix(found[6], "已逾期") ||
		found[7] != "进行中" || found[8] != "40%" || found[9] != "已建设森林步道120公里" || found[10] != "林业局张三" {
		t.Errorf("row of item 3 / 省林业局 = %q", found)
	}
	if got, want := len(recs)-1, len(seedPlan(t).Assignments()); got != want {
		t.Errorf("%d rows, want one per (item, agency): %d", got, want)
	}

	// No --out: a new xlsx file in the data directory.
	code, stdout, stderr = runCmd(t, "", "export", "--data", dir)
	if code != 0 {
		t.Fatalf("export: exit %d\n%s", code, stderr)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "duban-export-*.xlsx"))
	if len(matches) != 1 || !strings.Contains(stdout, matches[0]) {
		t.Fatalf("export without --out: files %v, output %q", matches, stdout)
	}
	f, err := excelize.OpenFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"落实情况", "各单位汇总", "进度图"}) {
		t.Errorf("sheets %q", got)
	}
	if pics, err := f.GetPictures("进度图", "A1"); err != nil || len(pics) != 1 || !bytes.HasPrefix(pics[0].File, []byte("\x89PNG")) {
		t.Errorf("the chart sheet has no PNG at A1: %d pictures, %v", len(pics), err)
	}

	// --format png: the chart alone.
	png := filepath.Join(t.TempDir(), "进度.png")
	code, stdout, stderr = runCmd(t, "", "export", "--data", dir, "--format", "png", "--out", png)
	if code != 0 || !strings.Contains(stdout, png) {
		t.Fatalf("export png: exit %d\n%s%s", code, stdout, stderr)
	}
	if data, err := os.ReadFile(png); err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) || len(data) < 10000 {
		t.Errorf("export png wrote %d bytes (%v), want a PNG chart", len(data), err)
	}

	for _, args := range [][]string{
		{"export", "--data", dir, "--format", "pdf"},
		{"export", "--data", dir, "extra"},
		{"export", "--data", dir, "--stale", "soon"},
	} {
		if code, _, stderr := runCmd(t, "", args...); code != 2 || !strings.Contains(stderr, "用法") {
			t.Errorf("%v: exit %d, stderr %q; want a usage error", args, code, stderr)
		}
	}
	if code, _, stderr := runCmd(t, "", "export", "--data", dir, "--out", filepath.Join(dir, "no", "such", "dir", "x.xlsx")); code != 1 || !strings.Contains(stderr, "无法") {
		t.Errorf("export into a missing directory: exit %d, stderr %q", code, stderr)
	}
}

func TestAskMissingStale(t *testing.T) {
	dir := t.TempDir()
	seedStore(t, dir, report(3, "省林业局", duban.StatusInProgress, duban.NoPercent, "五天前的进展", 5*24*time.Hour))
	missing := func(args ...string) []int {
		t.Helper()
		code, out, stderr := runCmd(t, "", append([]string{"ask", "--json", "--data", dir}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var a struct {
			Intent string `json:"intent"`
			Items  []int  `json:"items"`
		}
		if err := json.Unmarshal([]byte(out), &a); err != nil || a.Intent != "missing" {
			t.Fatalf("%v: %s", err, out)
		}
		return a.Items
	}
	// Item 3 is 省林业局's alone; a 5-day-old report is current by the
	// default 30 days, missing with --stale 2d.
	if items := missing("未报送"); slices.Contains(items, 3) || !slices.Contains(items, 53) {
		t.Errorf("default stale: items %v, want 53 and not 3", items)
	}
	if items := missing("--stale", "2d", "未报送"); !slices.Contains(items, 3) {
		t.Errorf("--stale 2d: items %v, want 3", items)
	}
}

func TestStaleFlag(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30", 30 * 24 * time.Hour, true},
		{"7d", 7 * 24 * time.Hour, true},
		{"10天", 10 * 24 * time.Hour, true},
		{"36h", 36 * time.Hour, true},
		{"0", 0, false},
		{"-3d", 0, false},
		{"soon", 0, false},
		{"1s", 0, false},
	} {
		var s staleFlag
		err := s.Set(tt.in)
		if (err == nil) != tt.ok || tt.ok && time.Duration(s) != tt.want {
			t.Errorf("Set(%q) = %v, %v; want %v, ok %v", tt.in, time.Duration(s), err, tt.want, tt.ok)
		}
	}
}

func TestScheduledReminders(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{NoSocket: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.Bind(ctx, duban.Binding{UserID: "UFOREST", Agency: "省林业局", BoundBy: "local", Time: time.Now()}, "bind-1"); err != nil {
		t.Fatal(err)
	}
	eng := bot.New(bot.Config{Plan: seedPlan(t), Store: st})

	if _, err := startReminders(ctx, "every monday", localGate{}, eng, nil, nil); err == nil || !strings.Contains(duban.UserMessage(err), "--remind") {
		t.Errorf("bad schedule: %v, want a clear error", err)
	}
	stop, err := startReminders(ctx, "", localGate{}, eng, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	stop() // off by default: nothing to stop

	rounds := make(chan bot.Reply, 4)
	stop, err = startReminders(ctx, "@every 1s", localGate{}, eng, func(_ context.Context, r bot.Reply) error {
		rounds <- r
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	select {
	case r := <-rounds:
		var to []string
		for _, m := range r.Direct {
			to = append(to, m.UserID)
			if !strings.Contains(m.Text, "#3") || !strings.Contains(m.Text, "#53") {
				t.Errorf("reminder to %s does not list items 3 and 53:\n%s", m.UserID, m.Text)
			}
		}
		if !slices.Equal(to, []string{"UFOREST"}) {
			t.Errorf("reminders went to %v, want UFOREST", to)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no reminder round within 5s of an @every 1s schedule")
	}
	stop()
	// The console prints a round with the messages it sends.
	var buf bytes.Buffer
	if err := printReminders(&buf)(ctx, eng.Remind(ctx)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "定时提醒") || !strings.Contains(buf.String(), "UFOREST") {
		t.Errorf("printed round:\n%s", buf.String())
	}
}

func TestConsoleRejectsBadSchedule(t *testing.T) {
	code, _, stderr := runCmd(t, "退出\n", "--data", t.TempDir(), "--remind", "61 * * * *")
	if code == 0 || !strings.Contains(stderr, "提醒计划格式有误") {
		t.Errorf("console with a bad --remind: exit %d, stderr %q", code, stderr)
	}
}

package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/store"
)

// TestConsoleKeepsTheNewestExport: each 导出 in the console replaces the
// previous file of its format instead of leaving another one, unless
// --keep-exports (hardening 25).
func TestConsoleKeepsTheNewestExport(t *testing.T) {
	dir := t.TempDir()
	seedStore(t, dir, report(3, "省林业局", duban.StatusInProgress, 40, "进展", time.Hour))
	count := func(ext string) int {
		m, _ := filepath.Glob(filepath.Join(dir, "duban-export-*."+ext))
		return len(m)
	}
	if code, _, stderr := runCmd(t, "导出\n导出\n导出 csv\n导出\n导出 csv\n", "--data", dir); code != 0 {
		t.Fatalf("console: %s", stderr)
	}
	if count("xlsx") != 1 || count("csv") != 1 {
		t.Errorf("%d xlsx and %d csv files after five exports, want the newest of each", count("xlsx"), count("csv"))
	}
	if code, _, stderr := runCmd(t, "导出\n导出\n", "--data", dir, "--keep-exports"); code != 0 {
		t.Fatalf("console: %s", stderr)
	}
	if count("xlsx") != 3 {
		t.Errorf("%d xlsx files with --keep-exports, want 3", count("xlsx"))
	}
}

// TestLongReportsAreShortInChat: the history of an item with long
// reports stays within about 40 lines, with a pointer to the export
// (hardening 25).
func TestLongReportsAreShortInChat(t *testing.T) {
	dir := t.TempDir()
	var us []duban.Update
	for i := range 25 {
		us = append(us, report(3, "省林业局", duban.StatusInProgress, duban.NoPercent,
			strings.Repeat("已完成造林十万亩，", 200)+strconv.Itoa(i), time.Duration(25-i)*time.Hour))
	}
	seedStore(t, dir, us...)
	code, out, stderr := runCmd(t, "", "ask", "--data", dir, "第3条进展")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	longest := 0
	for _, l := range lines {
		longest = max(longest, len([]rune(l)))
	}
	if len(lines) > 42 || longest > 160 {
		t.Errorf("history takes %d lines, the longest %d characters; want about 40 short lines:\n%s", len(lines), longest, out)
	}
	if !strings.Contains(out, "导出") {
		t.Errorf("history does not point to the export:\n%s", out)
	}
}

// TestSummariesNeedABindingOrAdmin: by default 汇总 and 导出 are for bound
// users and admins; --public-summaries opens them to everyone; 未报送
// stays open (hardening 29).
func TestSummariesNeedABindingOrAdmin(t *testing.T) {
	dir := t.TempDir()
	seedStore(t, dir, report(3, "省林业局", duban.StatusInProgress, 40, "机密进展", time.Hour))
	st, err := store.Open(dir, store.Options{NoSocket: true})
	if err != nil {
		t.Fatal(err)
	}
	st.Bind(ctx, duban.Binding{UserID: "U1", Agency: "省林业局", BoundBy: "local"}, "b1")
	st.Close()
	ask := func(user, q string, extra ...string) (string, string) {
		t.Helper()
		args := append([]string{"ask", "--json", "--data", dir, "--as", user}, extra...)
		code, out, stderr := runCmd(t, "", append(args, q)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, stderr)
		}
		var a struct{ Intent, Text string }
		json.Unmarshal([]byte(out), &a)
		return a.Intent, a.Text
	}
	for _, q := range []string{"汇总", "汇总 省林业局", "省林业局汇总", "导出", "导出 csv"} {
		if intent, text := ask("U9", q); intent != "error" || strings.Contains(text, "机密") || !strings.Contains(text, "绑定") {
			t.Errorf("unbound U9 %q: %s %q; want refused", q, intent, text)
		}
		if intent, text := ask("U1", q); intent == "error" {
			t.Errorf("bound U1 %q: refused: %q", q, text)
		}
		if intent, text := ask("U9", q, "--public-summaries"); intent == "error" {
			t.Errorf("--public-summaries, U9 %q: refused: %q", q, text)
		}
	}
	if intent, text := ask("U9", "未报送"); intent != "missing" {
		t.Errorf("unbound U9 未报送: %s %q; want the list", intent, text)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "duban-export-*"))
	if len(files) == 0 {
		t.Error("no export was written for the allowed users")
	}
}

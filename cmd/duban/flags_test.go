package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"duban/store"
)

// TestFlagsAfterTheQuestion: `ask Q --data D` reads --data as a flag, so
// the answer comes from D and nothing is written to the default data
// directory; an unknown flag after the question is refused (hardening 11).
func TestFlagsAfterTheQuestion(t *testing.T) {
	def := t.TempDir()
	t.Setenv("DUBAN_DATA", def)
	dir := t.TempDir()
	code, out, stderr := runCmd(t, "", "ask", "绑定 U1 省林业局", "--data", dir, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var a struct{ Intent, Text string }
	if err := json.Unmarshal([]byte(out), &a); err != nil || a.Intent != "bind" {
		t.Fatalf("answer %q (%v); want the bind as JSON", out, err)
	}
	if _, err := os.Stat(filepath.Join(def, store.FileName)); err == nil {
		t.Error("the default data directory was written")
	}
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil {
		t.Errorf("--data after the question was not used: %v", err)
	}
	if code, _, stderr := runCmd(t, "", "ask", "第3条", "--nope"); code != 2 || !strings.Contains(stderr, "用法") {
		t.Errorf("unknown flag after the question: exit %d %q; want a usage error", code, stderr)
	}
	if code, out, _ := runCmd(t, "", "ask", "--data", dir, "--", "--data 是什么"); code != 0 || strings.Contains(out, "参数") {
		t.Errorf("after --: exit %d %q; want a question", code, out)
	}
	if code, _, stderr := runCmd(t, "", "backup", filepath.Join(t.TempDir(), "b.db"), "--data", dir); code != 0 {
		t.Errorf("backup FILE --data DIR: exit %d %q", code, stderr)
	}
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// records returns an answer's "records" as numbers.
func records(a map[string]any) []int {
	var out []int
	if rs, ok := a["records"].([]any); ok {
		for _, r := range rs {
			out = append(out, int(r.(float64)))
		}
	}
	return out
}

// TestAskJSONRecords: `duban ask --json` shows the record numbers a report
// stored, the field errors of one refused, and the id of a question to
// confirm, which a later run (another process) can answer.
func TestAskJSONRecords(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DUBAN_ADMINS", "")
	askJSON(t, dir, "", "绑定 U1 省林业局")
	a := askJSON(t, dir, "U1", "进展 #3、#53 进行中 同步推进", "进展 #4 进行中 越权", "第3条 已组织抽查300批次")
	if a[0]["intent"] != "update" || fmt.Sprint(records(a[0])) != "[1 2]" {
		t.Errorf("several items: %v", a[0])
	}
	errs, _ := a[1]["errors"].([]any)
	if a[1]["intent"] != "error" || len(errs) != 1 || a[1]["records"] != nil {
		t.Fatalf("refused report: %v", a[1])
	}
	if e := errs[0].(map[string]any); e["field"] != "item" || e["code"] != "forbidden" {
		t.Errorf("field error = %v", e)
	}
	if a[2]["intent"] != "confirm" || a[2]["confirm"] == nil || a[2]["records"] != nil {
		t.Errorf("perhaps-report: %v", a[2])
	}
	// The question waits in the data directory for the next run.
	b := askJSON(t, dir, "U1", "是", "进展 #53 已完成 完成40%", "撤回")
	if b[0]["intent"] != "update" || fmt.Sprint(records(b[0])) != "[3]" {
		t.Errorf("confirmed: %v", b[0])
	}
	if w, _ := b[1]["warnings"].([]any); len(w) != 1 || fmt.Sprint(records(b[1])) != "[4]" {
		t.Errorf("warning: %v", b[1])
	}
	if b[2]["intent"] != "update" || b[2]["records"] != nil {
		t.Errorf("retraction: %v", b[2])
	}
}

// TestBindFile: `duban bind --file` binds a roster all or none and exits
// 1 naming every bad row; the users it bound can report.
func TestBindFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DUBAN_ADMINS", "")
	bad := filepath.Join(dir, "bad.csv")
	good := filepath.Join(dir, "roster.csv")
	os.WriteFile(bad, []byte("用户ID,单位\nU1,林业局\nU2,省不存在局\n"), 0o600)
	os.WriteFile(good, []byte("\ufeff用户ID,单位\r\nU1,林业局\r\nU2,福州海关\r\n"), 0o600)
	code, out, _ := runCmd(t, "", "bind", "--data", dir, "--file", bad)
	if code != 1 || !strings.Contains(out, "第3行：没有找到单位") || !strings.Contains(out, "没有绑定任何用户") {
		t.Errorf("bad roster: exit %d\n%s", code, out)
	}
	if code, out, _ := runCmd(t, "", "bind", "--data", dir, "--as", "U9", "--file", good); code != 1 || !strings.Contains(out, "只有办公室") {
		t.Errorf("non-admin: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, "", "bind", "--data", dir, "--file", good)
	if code != 0 || !strings.Contains(out, "已按名单绑定 2 位用户") {
		t.Fatalf("roster: exit %d\n%s", code, out)
	}
	a := askJSON(t, dir, "U2", "进展 #34 进行中 名单导入后报送")
	if a[0]["intent"] != "update" || !strings.Contains(fmt.Sprint(a[0]["agencies"]), "福州海关") {
		t.Errorf("report after roster: %v", a[0])
	}
	if code, _, errOut := runCmd(t, "", "bind", "--data", dir); code != 2 || !strings.Contains(errOut, "duban bind --file") {
		t.Errorf("no --file: exit %d %s", code, errOut)
	}
}

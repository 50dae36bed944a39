package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plan2022Doc is the second plan of the tests (testdata/plans).
const plan2022Doc = "../../testdata/plans/fujian-2022-quality/fujian-2022-quality-workpoints.txt"

// askPlan runs duban ask --json on a data directory and returns the answer.
func askPlan(t *testing.T, data string, extra []string, q string) (a struct {
	Intent string `json:"intent"`
	Items  []int  `json:"items"`
	Text   string `json:"text"`
	Plan   string `json:"plan"`
}) {
	t.Helper()
	args := append([]string{"ask", "--json", "--data", data}, extra...)
	code, out, errOut := runCmd(t, "", append(args, q)...)
	if code != 0 {
		t.Fatalf("ask %q: exit %d %s", q, code, errOut)
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("ask %q: %v: %s", q, err, out)
	}
	return a
}

// duban plan add: a malformed document is refused with its first bad line
// and nothing is stored; a good one prints what it holds, is kept in the
// data directory and answers after a restart, from its own reports only.
func TestPlanAdd(t *testing.T) {
	data := t.TempDir()
	bad := filepath.Join(t.TempDir(), "bad.txt")
	doc, err := os.ReadFile(plan2022Doc)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(doc), "(牵头单位:省林业局)\n7、", "\n7、", 1) // item 6 loses its agencies
	os.WriteFile(bad, []byte(broken), 0o644)
	code, out, errOut := runCmd(t, "", "plan", "add", "--data", data, bad)
	if code != 1 || !strings.Contains(out, "第13行(第6条)") || !strings.Contains(out, "没有做任何更改") {
		t.Fatalf("malformed: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, out, _ := runCmd(t, "", "plan", "list", "--data", data); strings.Contains(out, "fujian-2022") || !strings.Contains(out, "（1个）") {
		t.Fatalf("a refused plan is listed:\n%s", out)
	}

	// A report on the 2021 plan, before the 2022 plan is added.
	if a := askPlan(t, data, nil, "进展 #3 [省林业局] 进行中 完成林产品质量监测"); a.Intent != "update" {
		t.Fatalf("report: %+v", a)
	}
	code, out, errOut = runCmd(t, "", "plan", "add", "--data", data, "--id", "fujian-2022-quality", plan2022Doc)
	if code != 0 || !strings.Contains(out, "条目: 28 条") || !strings.Contains(out, "责任单位: 25 个") || !strings.Contains(out, "已导入") {
		t.Fatalf("plan add: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, _ := runCmd(t, "", "plan", "add", "--data", data, "--id", "other", plan2022Doc); code != 1 || !strings.Contains(out, "完全相同") {
		t.Errorf("the same document again: exit %d\n%s", code, out)
	}
	_, out, _ = runCmd(t, "", "plan", "list", "--data", data)
	if !strings.Contains(out, "fujian-2022-quality，共28条") || !strings.Contains(out, "fujian-2021-quality，共71条（默认") {
		t.Errorf("plan list:\n%s", out)
	}

	// Every answer now says its plan; a question names one or takes the default.
	if a := askPlan(t, data, nil, "2022年省林业局牵头哪些"); a.Plan != "fujian-2022-quality" || len(a.Items) != 3 {
		t.Errorf("2022年省林业局牵头哪些: %+v", a)
	}
	if a := askPlan(t, data, nil, "第3条进展"); a.Plan != "fujian-2021-quality" || !strings.Contains(a.Text, "完成林产品质量监测") {
		t.Errorf("the 2021 history: %+v", a)
	}
	if a := askPlan(t, data, nil, "2022年计划第3条进展"); a.Plan != "fujian-2022-quality" || strings.Contains(a.Text, "完成林产品质量监测") {
		t.Errorf("a 2021 report shows in the 2022 history: %+v", a)
	}
	// The office switches the default: 汇总 reads the 2022 plan only.
	if a := askPlan(t, data, nil, "切换计划 2022 全局"); a.Intent != "plans" {
		t.Fatalf("switch: %+v", a)
	}
	a := askPlan(t, data, nil, "汇总")
	if a.Plan != "fujian-2022-quality" || !strings.Contains(a.Text, "28 项工作") || strings.Contains(a.Text, "进行中: 1") {
		t.Errorf("汇总 on the 2022 plan:\n%s", a.Text)
	}
	if a := askPlan(t, data, []string{"--use", "2021"}, "汇总"); a.Plan != "fujian-2021-quality" || !strings.Contains(a.Text, "进行中: 1") {
		t.Errorf("汇总 --use 2021:\n%s", a.Text)
	}
}

// A data directory of schema version 1 opens with every report under the
// 2021 plan, and a --plan document of another year counts none of them
// (the issue: a 2022 file counted the 2021 reports as its own).
func TestV1DataDirectory(t *testing.T) {
	data := t.TempDir()
	src, err := os.Open("../../store/testdata/duban-v1.db")
	if err != nil {
		t.Fatal(err)
	}
	dst, _ := os.Create(filepath.Join(data, "duban.db"))
	io.Copy(dst, src)
	src.Close()
	dst.Close()
	a := askPlan(t, data, nil, "第3条进展")
	if !strings.Contains(a.Text, "完成林木种苗抽查") || !strings.Contains(a.Text, "开展林产品质量安全监测") {
		t.Errorf("the migrated history of item 3:\n%s", a.Text)
	}
	if _, err := os.Stat(filepath.Join(data, "duban.db.v1")); err != nil {
		t.Errorf("no copy of the version 1 file: %v", err)
	}
	a = askPlan(t, data, []string{"--plan", plan2022Doc}, "汇总")
	if strings.Contains(a.Text, "进行中: 2") || !strings.Contains(a.Text, "28 项工作") || !strings.Contains(a.Text, "未报送") {
		t.Errorf("汇总 of a 2022 document on a 2021 data directory:\n%s", a.Text)
	}
}

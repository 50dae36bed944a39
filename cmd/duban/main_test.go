package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestAskJSON(t *testing.T) {
	code, out, _ := runCmd(t, "", "ask", "--json", "which items does 省林业局 lead")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var a struct {
		Intent   string   `json:"intent"`
		Items    []int    `json:"items"`
		Agencies []string `json:"agencies"`
		Text     string   `json:"text"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if a.Intent != "lead" || len(a.Items) != 2 || a.Items[0] != 3 || a.Items[1] != 53 || !strings.Contains(a.Text, "省林业局") {
		t.Errorf("answer %+v", a)
	}
}

func TestAskStdinAndConsole(t *testing.T) {
	code, out, _ := runCmd(t, "第39条\n反馈截止时间是什么时候\n", "ask", "--json")
	if code != 0 || strings.Count(out, "\n") != 2 {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
	code, out, _ = runCmd(t, "第3条\n退出\n")
	if code != 0 || !strings.Contains(out, "加强林业标准化") || !strings.Contains(out, "再见") {
		t.Errorf("console: exit %d\n%s", code, out)
	}
}

func TestBadCommandLines(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"ask", "--nope"}, {"--plan"}} {
		code, _, errOut := runCmd(t, "", args...)
		if code != 2 || !strings.Contains(errOut, "用法") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	code, out, _ := runCmd(t, "", "help")
	if code != 0 || !strings.Contains(out, "duban ask") {
		t.Errorf("help: %d %s", code, out)
	}
}

func TestPlanFlag(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "plan.txt")
	os.WriteFile(good, []byte("1.种好茶。(牵头单位:省农业农村厅)\n"), 0o644)
	code, out, _ := runCmd(t, "", "ask", "--plan", good, "--json", "省农业农村厅牵头哪些工作")
	if code != 0 || !strings.Contains(out, `"items":[1]`) {
		t.Errorf("custom plan: %d %s", code, out)
	}
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("1.种好茶。\n"), 0o644)
	code, _, errOut := runCmd(t, "", "ask", "--plan", bad, "x")
	if code != 1 || !strings.Contains(errOut, "第1行(第1条)") {
		t.Errorf("malformed plan: %d %q", code, errOut)
	}
	code, _, errOut = runCmd(t, "", "ask", "--plan", filepath.Join(dir, "missing.txt"), "x")
	if code != 1 || !strings.Contains(errOut, "无法读取") {
		t.Errorf("missing plan: %d %q", code, errOut)
	}
}

// TestFlagsBeforeTheSubcommand: "duban --data D ask Q" is "duban ask
// --data D Q", as people write git commands.
func TestFlagsBeforeTheSubcommand(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if rc := run(t.Context(), []string{"--data", dir, "--as", "U1", "ask", "--json", "第3条"}, strings.NewReader(""), &out, &errOut); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errOut.String())
	}
	if !strings.Contains(out.String(), `"items":[3]`) {
		t.Errorf("answer %s", out.String())
	}
	if i := wordAfterFlags([]string{"--data", "ask"}, subcommands); i != 0 {
		t.Errorf("a flag's value taken for a subcommand: %d", i)
	}
	// plan's verb too: duban --data D plan list.
	out.Reset()
	if rc := run(t.Context(), []string{"--data", dir, "plan", "list"}, strings.NewReader(""), &out, &errOut); rc != 0 {
		t.Fatalf("plan list rc %d: %s", rc, errOut.String())
	}
	if !strings.Contains(out.String(), "fujian-2021-quality") {
		t.Errorf("plan list: %s", out.String())
	}
}

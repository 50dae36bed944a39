package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban/bot"
	"duban/store"
	"duban/store/etcdtest"
)

// TestStoreFlags: an unknown --store is a usage error; etcd without
// endpoints, or with none that answers, is a clear error at start, not a
// hang.
func TestStoreFlags(t *testing.T) {
	code, _, stderr := runCmd(t, "", "ask", "--store", "mysql", "第3条")
	if code != 2 || !strings.Contains(stderr, "unknown --store") {
		t.Errorf("--store mysql: exit %d, stderr %q", code, stderr)
	}
	t.Setenv("DUBAN_ETCD_ENDPOINTS", "")
	code, _, stderr = runCmd(t, "", "ask", "--store", "etcd", "第3条")
	if code != 1 || !strings.Contains(stderr, "etcd-endpoints") {
		t.Errorf("--store etcd without endpoints: exit %d, stderr %q", code, stderr)
	}
	began := time.Now()
	code, _, stderr = runCmd(t, "", "ask", "--store", "etcd", "--etcd-endpoints", "127.0.0.1:1", "第3条")
	if code != 1 || !strings.Contains(stderr, "无法连接 etcd") || !strings.Contains(stderr, "127.0.0.1:1") {
		t.Errorf("--store etcd with nothing listening: exit %d, stderr %q", code, stderr)
	}
	if d := time.Since(began); d > 15*time.Second {
		t.Errorf("the unreachable cluster took %v to be reported", d)
	}
	t.Setenv("DUBAN_ETCD_PASSWORD", "secret")
	code, _, stderr = runCmd(t, "", "ask", "--store", "etcd", "--etcd-endpoints", "127.0.0.1:1", "第3条")
	if code == 0 || !strings.Contains(stderr, "etcd-user") || strings.Contains(stderr, "secret") {
		t.Errorf("a password without a user: exit %d, stderr %q", code, stderr)
	}
}

// TestEtcdWithoutQuorumInChat: the bot on etcd whose majority is down
// answers a report with the message that it could not be saved, not a
// confirmation, and stores nothing; once the majority is back the same
// report is confirmed.
func TestEtcdWithoutQuorumInChat(t *testing.T) {
	c := etcdtest.Start(t, 3, etcdtest.Options{})
	st, err := store.OpenEtcd(context.Background(), store.EtcdOptions{Endpoints: c.Endpoints(), OpTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	eng := bot.New(bot.Config{Plan: seedPlan(t), Store: st, Admins: []string{"A1"}})
	req := func(text, src string) bot.Request {
		return bot.Request{Text: text, UserID: "U1", UserName: "林业局小王", Channel: "console", SourceID: src, Time: time.Now()}
	}
	if r := eng.Handle(ctx, bot.Request{Text: "绑定 U1 省林业局", UserID: "A1", Channel: "console", SourceID: "b1", Time: time.Now()}); r.Intent == bot.IntentError {
		t.Fatalf("bind: %s", r.PlainText())
	}
	c.Members[1].Kill()
	c.Members[2].Kill()
	r := eng.Handle(ctx, req("进展 #3 进行中 已完成造林10万亩", "m1"))
	if text := r.PlainText(); !strings.Contains(text, "暂时无法") || strings.Contains(text, "已记录第") {
		t.Errorf("report without quorum answered %q; want that it could not be saved", text)
	}
	for _, i := range []int{1, 2} {
		if err := c.Members[i].Restart(); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.WaitHealthy(60 * time.Second); err != nil {
		t.Fatal(err)
	}
	if h, err := st.History(ctx, "fujian-2021-quality", 3); err != nil || len(h) != 0 {
		t.Errorf("History after the failed report = %v, %v; want nothing stored", h, err)
	}
	r = eng.Handle(ctx, req("进展 #3 进行中 已完成造林10万亩", "m2"))
	if text := r.PlainText(); !strings.Contains(text, "已记录") {
		t.Errorf("report after recovery answered %q", text)
	}
}

// TestBackupRestoreCommands: duban backup of a bbolt directory, duban
// restore of it into etcd, duban backup --store etcd, and duban restore of
// that into a new directory give the same history.
func TestBackupRestoreCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin, err := buildDuban()
	if err != nil {
		t.Fatal(err)
	}
	c := etcdtest.Shared(t)
	eps := strings.Join(c.Endpoints(), ",")
	prefix := "cmdtest/" + time.Now().Format("150405.000000") + "/"
	src, dst, files := t.TempDir(), t.TempDir(), t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "DUBAN_ADMINS=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("duban %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	etcd := []string{"--store", "etcd", "--etcd-endpoints", eps, "--etcd-prefix", prefix}
	run("ask", "--data", src, "绑定 U1 省林业局")
	run("ask", "--data", src, "--as", "U1", "进展 #3 进行中 已完成造林10万亩")
	run("ask", "--data", src, "--as", "U1", "进展 #53 已完成 品牌建设完成")
	want := run("ask", "--data", src, "--as", "U1", "第3条进展")
	run("backup", "--data", src, filepath.Join(files, "copy.db"))
	if out := run(append([]string{"restore", "--data", t.TempDir()}, append(etcd, filepath.Join(files, "copy.db"))...)...); !strings.Contains(out, "恢复") {
		t.Errorf("restore into etcd said %q", out)
	}
	if got := run(append([]string{"ask", "--data", t.TempDir(), "--as", "U1"}, append(etcd, "第3条进展")...)...); got != want {
		t.Errorf("history on etcd after restore:\n%s\nwant:\n%s", got, want)
	}
	run(append([]string{"backup", "--data", t.TempDir()}, append(etcd, filepath.Join(files, "export.jsonl"))...)...)
	run("restore", "--data", dst, filepath.Join(files, "export.jsonl"))
	if got := run("ask", "--data", dst, "--as", "U1", "第3条进展"); got != want {
		t.Errorf("history on bbolt after restoring the etcd export:\n%s\nwant:\n%s", got, want)
	}
	cmd := exec.Command(bin, "restore", "--data", dst, filepath.Join(files, "export.jsonl"))
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "只能恢复到空的存储") {
		t.Errorf("restore over data: %v\n%s", err, out)
	}
}

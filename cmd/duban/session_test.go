package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"duban"
	"duban/bot"
	"duban/seeds"
	"duban/store"
	"duban/store/etcdtest"
)

var ctx = context.Background()

// TestMain points the default data directory at a temporary one, so that
// no test touches the user's ~/.local/share/duban.
func TestMain(m *testing.M) {
	etcdtest.BeMember() // the etcd clusters of the replica tests
	dir, err := os.MkdirTemp("", "duban-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("DUBAN_DATA", filepath.Join(dir, "data"))
	os.Setenv("XDG_DATA_HOME", filepath.Join(dir, "xdg"))
	code := m.Run()
	etcdtest.Cleanup()
	os.RemoveAll(dir)
	os.Exit(code)
}

func seedPlan(t testing.TB) *duban.Plan {
	t.Helper()
	p, err := duban.LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// session is an engine over a real store in a temporary directory.
type session struct {
	t      *testing.T
	dir    string
	plan   *duban.Plan
	st     *store.Store
	engine *bot.Engine
	n      int
}

func newSession(t *testing.T, dir string) *session {
	t.Helper()
	st, err := store.Open(dir, store.Options{NoSocket: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := seedPlan(t)
	return &session{t: t, dir: dir, plan: p, st: st,
		engine: bot.New(bot.Config{Plan: p, Store: st, Admins: []string{"A1"}})}
}

// say sends a message as user with a fresh source id.
func (s *session) say(user, text string) bot.Reply {
	s.n++
	return s.sayID(user, text, fmt.Sprintf("msg-%d", s.n))
}

func (s *session) sayID(user, text, src string) bot.Reply {
	return s.engine.Handle(ctx, bot.Request{Text: text, UserID: user, UserName: "名" + user, Channel: "C1", SourceID: src})
}

func (s *session) count() int {
	s.t.Helper()
	n, err := s.st.Count(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	return n
}

// historyTexts lists the texts of an item's reports, newest first, marking
// retracted ones "x:".
func historyTexts(t *testing.T, st *store.Store, item int) []string {
	t.Helper()
	h, err := st.History(ctx, "fujian-2021-quality", item)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, u := range h {
		s := u.Agency + ":" + u.Text
		if u.Retracted {
			s = "x:" + s
		}
		out = append(out, s)
	}
	return out
}

// TestScriptedSession binds users, reports on their items and is refused,
// with nothing stored, everywhere it should be.
func TestScriptedSession(t *testing.T) {
	s := newSession(t, t.TempDir())
	long := strings.Repeat("进", 5000)
	steps := []struct {
		user, text string
		intent     bot.Intent
		contains   string // in the plain-text reply
		stored     bool   // a report is stored
	}{
		// Only admins bind; names are resolved, unknown ones refused.
		{"U1", "绑定 U1 省林业局", bot.IntentError, "只有办公室", false},
		{bot.LocalOperator, "绑定 U1 林业局", bot.IntentBind, "已将用户 U1 绑定到省林业局", false},
		{bot.LocalOperator, "绑定 <@U2|li> 福州海关", bot.IntentBind, "绑定到福州海关", false},
		{"A1", "bind U3 省市场监管局", bot.IntentBind, "绑定到省市场监管局", false},
		{bot.LocalOperator, "绑定 U4 省不存在局", bot.IntentError, "没有找到单位", false},
		{bot.LocalOperator, "绑定 U4 海关", bot.IntentError, "福州海关、厦门海关", false},
		{bot.LocalOperator, "绑定 张三 省林业局", bot.IntentError, "不是有效的用户ID", false},
		{"U1", "我的单位", bot.IntentBind, "省林业局", false},
		// Reports on one's own items.
		{"U1", "进展 #3 进行中 已完成造林10万亩", bot.IntentUpdate, "已记录第3条进展：省林业局，进行中", true},
		{"U1", "汇报 第五十三条 完成60%：已改造森林公园12个", bot.IntentUpdate, "完成60%", true},
		{"U2", "进展 #34 推进中 开展进口食品抽检", bot.IntentUpdate, "福州海关", true},
		{"U3", "update #4 done: standards published", bot.IntentUpdate, "已完成", true},
		// Refusals: another agency's item, items 0 and 72, unbound, empty,
		// too long, brackets without rights, unknown bracket names.
		{"U1", "进展 #4 进行中 越权报送", bot.IntentError, "省市场监管局（牵头）", false},
		{"U1", "进展 #0 进行中 内容", bot.IntentError, "没有第0条", false},
		{"U1", "进展 #72 进行中 内容", bot.IntentError, "没有第72条", false},
		{"U9", "进展 #3 进行中 未绑定的人", bot.IntentError, "还没有绑定单位", false},
		{"U1", "进展 #3", bot.IntentError, "请写明进展内容", false},
		{"U1", "进展 #3 进行中 " + long, bot.IntentError, "进展内容太长（5000字）", false},
		{"U1", "进展 #3 进行中 字", bot.IntentError, "太短", false},
		{"U1", "进展 #3 150% 内容", bot.IntentError, "0%到100%", false},
		{"U1", "进展 #34 [厦门海关] 进行中 冒名", bot.IntentError, "只有办公室", false},
		{bot.LocalOperator, "进展 #34 [不存在海关局] 进行中 内容", bot.IntentError, "没有找到单位", false},
		{bot.LocalOperator, "进展 #34 [海关] 进行中 内容", bot.IntentError, "福州海关、厦门海关", false},
		{bot.LocalOperator, "进展 #34 进行中 没写单位", bot.IntentError, "方括号", false},
		{bot.LocalOperator, "进展 #3 [厦门海关] 进行中 海关不负责第3条", bot.IntentError, "省林业局（牵头）", false},
		// Admins report for any responsible agency.
		{bot.LocalOperator, "进展 #34 [厦门海关] 进行中 办公室代报", bot.IntentUpdate, "厦门海关", true},
		{"A1", "进展 #5 【厦门海关】 滞后 受阻", bot.IntentUpdate, "厦门海关，滞后", true},
		// A status left out is carried over from the last report.
		{"U1", "进展 #3 又新增造林2万亩", bot.IntentUpdate, "沿用上次报送的状态", true},
		{"U1", "第3条进展", bot.IntentHistory, "共2条", false},
		{"U1", "#34进展", bot.IntentHistory, "办公室代报", false},
		{"U1", "history #72", bot.IntentError, "没有第72条", false},
	}
	for i, st := range steps {
		before := s.count()
		r := s.say(st.user, st.text)
		text := r.PlainText()
		if r.Intent != st.intent || !strings.Contains(text, st.contains) {
			t.Errorf("step %d %s %q:\n got intent %s: %s\nwant intent %s containing %q", i, st.user, shorten(st.text), r.Intent, text, st.intent, st.contains)
		}
		want := before
		if st.stored {
			want++
		}
		if got := s.count(); got != want {
			t.Errorf("step %d %q: %d reports stored, want %d", i, shorten(st.text), got, want)
		}
	}

	// History shows exactly the accepted reports.
	wantHist := map[int][]string{
		3:  {"省林业局:又新增造林2万亩", "省林业局:已完成造林10万亩"},
		53: {"省林业局:已改造森林公园12个"},
		34: {"厦门海关:办公室代报", "福州海关:开展进口食品抽检"},
		4:  {"省市场监管局:standards published"},
		5:  {"厦门海关:受阻"},
	}
	for item := 1; item <= 71; item++ {
		if got := historyTexts(t, s.st, item); !slices.Equal(got, wantHist[item]) {
			t.Errorf("History(%d) = %q, want %q", item, got, wantHist[item])
		}
	}

	// The same message delivered twice is stored once and answered the same.
	r1 := s.sayID("U1", "进展 #53 进行中 森林步道120公里", "Ev-dup")
	r2 := s.sayID("U1", "进展 #53 进行中 森林步道120公里", "Ev-dup")
	if r1.Intent != bot.IntentUpdate || r2.Intent != bot.IntentUpdate || !strings.Contains(r2.Title, "已经记录过") {
		t.Errorf("duplicate delivery: %q then %q", r1.Title, r2.Title)
	}
	if got := historyTexts(t, s.st, 53); len(got) != 2 {
		t.Errorf("after a duplicate delivery History(53) = %q, want 2 reports", got)
	}

	// Retraction: the author's latest report, marked, status falls back.
	r := s.say("U1", "撤回")
	if r.Intent != bot.IntentUpdate || !strings.Contains(r.PlainText(), "森林步道120公里") || !strings.Contains(r.PlainText(), "完成60%") {
		t.Errorf("retract: %s", r.PlainText())
	}
	latest, _ := s.st.Latest(ctx, "fujian-2021-quality")
	for _, u := range latest {
		if u.Item == 53 && u.Text != "已改造森林公园12个" {
			t.Errorf("latest of 53 after retraction = %q", u.Text)
		}
	}
	if h := s.say("U9", "第53条进展").PlainText(); !strings.Contains(h, "【已撤回】") {
		t.Errorf("history does not show the retraction:\n%s", h)
	}
	if r := s.say("U9", "撤回"); r.Intent != bot.IntentError {
		t.Errorf("retract with no reports: %s", r.PlainText())
	}

	// Unbinding ends the right to report.
	if r := s.say(bot.LocalOperator, "解绑 U1"); r.Intent != bot.IntentBind || !strings.Contains(r.Title, "省林业局") {
		t.Errorf("unbind: %s", r.PlainText())
	}
	before := s.count()
	if r := s.say("U1", "进展 #3 进行中 解绑之后"); r.Intent != bot.IntentError {
		t.Errorf("report after unbind: %s", r.PlainText())
	}
	if s.count() != before {
		t.Error("report after unbind was stored")
	}

	// A new engine over the reopened file (a new process) sees the same.
	want3 := historyTexts(t, s.st, 3)
	s.st.Close()
	s2 := newSession(t, s.dir)
	if got := historyTexts(t, s2.st, 3); !slices.Equal(got, want3) {
		t.Errorf("after reopen History(3) = %q, want %q", got, want3)
	}
	if r := s2.say("U2", "我的单位"); !strings.Contains(r.Title, "福州海关") {
		t.Errorf("binding lost on reopen: %s", r.PlainText())
	}
}

// TestAdminsInStore: an admin made in chat can bind; the rights can be
// taken away again.
func TestAdminsInStore(t *testing.T) {
	s := newSession(t, t.TempDir())
	if r := s.say("U5", "绑定 U6 省林业局"); r.Intent != bot.IntentError {
		t.Fatalf("non-admin bound: %s", r.PlainText())
	}
	if r := s.say(bot.LocalOperator, "设为管理员 <@U5>"); r.Intent != bot.IntentBind {
		t.Fatalf("make admin: %s", r.PlainText())
	}
	if r := s.say("U5", "绑定 U6 省林业局"); r.Intent != bot.IntentBind {
		t.Errorf("store admin could not bind: %s", r.PlainText())
	}
	if r := s.say(bot.LocalOperator, "取消管理员 U5"); r.Intent != bot.IntentBind {
		t.Fatalf("remove admin: %s", r.PlainText())
	}
	if r := s.say("U5", "绑定 U7 省林业局"); r.Intent != bot.IntentError {
		t.Errorf("former admin bound: %s", r.PlainText())
	}
}

// syncBuffer is a buffer a child process writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func shorten(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}

// askJSON runs `duban ask --json --data dir --as user` in process, one
// question per line of stdin, and returns the answers.
func askJSON(t *testing.T, dir, user string, lines ...string) []map[string]any {
	t.Helper()
	var out, errb bytes.Buffer
	args := []string{"ask", "--json", "--data", dir}
	if user != "" {
		args = append(args, "--as", user)
	}
	if code := run(ctx, args, strings.NewReader(strings.Join(lines, "\n")), &out, &errb); code != 0 {
		t.Fatalf("duban %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	var answers []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var a map[string]any
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("answer %q: %v", l, err)
		}
		answers = append(answers, a)
	}
	if len(answers) != len(lines) {
		t.Fatalf("%d answers to %d questions", len(answers), len(lines))
	}
	return answers
}

// TestAskSession runs the scripted session through `duban ask`: each call
// opens and closes the data directory, as separate processes would.
func TestAskSession(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DUBAN_ADMINS", "")
	a := askJSON(t, dir, "", "绑定 U1 省林业局")
	if a[0]["intent"] != "bind" {
		t.Fatalf("bind: %v", a[0])
	}
	a = askJSON(t, dir, "U1",
		"进展 #3 进行中 已完成造林10万亩",
		"进展 #53 已完成 森林公园改造完毕",
		"进展 #4 进行中 不是我的",
		"进展 #0 进行中 没有这一条",
		"进展 #72 进行中 没有这一条",
		"进展 #3",
		"进展 #3 进行中 "+strings.Repeat("长", 5000),
		"绑定 U2 省林业局",
	)
	wantIntents := []string{"update", "update", "error", "error", "error", "error", "error", "error"}
	for i, w := range wantIntents {
		if a[i]["intent"] != w {
			t.Errorf("answer %d: intent %v, want %s: %v", i, a[i]["intent"], w, a[i]["text"])
		}
	}
	if got := a[0]["items"].([]any); len(got) != 1 || got[0] != float64(3) {
		t.Errorf("report items = %v, want [3]", got)
	}
	if got := a[0]["agencies"].([]any); len(got) != 1 || got[0] != "省林业局" {
		t.Errorf("report agencies = %v, want [省林业局]", got)
	}
	a = askJSON(t, dir, "U9", "进展 #3 进行中 没有绑定")
	if a[0]["intent"] != "error" || !strings.Contains(a[0]["text"].(string), "还没有绑定单位") {
		t.Errorf("unbound: %v", a[0])
	}
	// History from a new process shows exactly the two accepted reports.
	a = askJSON(t, dir, "U9", "第3条进展", "history #53", "第4条进展")
	h3 := a[0]["text"].(string)
	if !strings.Contains(h3, "共1条") || !strings.Contains(h3, "已完成造林10万亩") {
		t.Errorf("history #3:\n%s", h3)
	}
	if h := a[1]["text"].(string); !strings.Contains(h, "共1条") || !strings.Contains(h, "森林公园改造完毕") {
		t.Errorf("history #53:\n%s", h)
	}
	if h := a[2]["text"].(string); !strings.Contains(h, "暂无进展记录") {
		t.Errorf("history #4:\n%s", h)
	}
	st, err := store.Open(dir, store.Options{NoSocket: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, _ := st.Count(ctx); n != 2 {
		t.Errorf("%d reports stored, want 2", n)
	}
}

// TestBinaryLockAndBackup builds duban, keeps a console open on a data
// directory, and checks that a second process is refused within about a
// second and that `duban backup` still gets a consistent copy.
func TestBinaryLockAndBackup(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "duban")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	env := append(os.Environ(), "DUBAN_DATA="+dir, "DUBAN_ADMINS=")
	cmd := func(args ...string) *exec.Cmd {
		c := exec.Command(bin, args...)
		c.Env = env
		return c
	}
	if out, err := cmd("ask", "绑定 U1 省林业局").CombinedOutput(); err != nil {
		t.Fatalf("bind: %v\n%s", err, out)
	}
	if out, err := cmd("ask", "--as", "U1", "进展 #3 进行中 控制台打开前的报送").CombinedOutput(); err != nil || !strings.Contains(string(out), "已记录") {
		t.Fatalf("report: %v\n%s", err, out)
	}

	console := cmd("--as", "U1")
	stdin, err := console.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var consoleOut syncBuffer
	console.Stdout = &consoleOut
	if err := console.Start(); err != nil {
		t.Fatal(err)
	}
	defer console.Process.Kill()
	fmt.Fprintln(stdin, "进展 #53 进行中 控制台里的报送")
	// Wait until the console has answered, so it holds the database.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(consoleOut.String(), "已记录第53条进展") {
		if time.Now().After(deadline) {
			t.Fatalf("console did not answer:\n%s", consoleOut.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	start := time.Now()
	out, err := cmd("ask", "第3条进展").CombinedOutput()
	took := time.Since(start)
	if err == nil || !strings.Contains(string(out), store.LockedMessage) {
		t.Errorf("second process: err %v, output %s; want %q", err, out, store.LockedMessage)
	}
	if took > 3*time.Second {
		t.Errorf("second process took %v to give up", took)
	}

	backup := filepath.Join(t.TempDir(), "backup.db")
	if out, err := cmd("backup", backup).CombinedOutput(); err != nil || !strings.Contains(string(out), "已备份") {
		t.Fatalf("backup while the console runs: %v\n%s", err, out)
	}
	fmt.Fprintln(stdin, "退出")
	stdin.Close()
	if err := console.Wait(); err != nil {
		t.Errorf("console: %v\n%s", err, consoleOut.String())
	}

	// The backup holds both reports and opens as a data directory.
	bdir := t.TempDir()
	data, _ := os.ReadFile(backup)
	os.WriteFile(filepath.Join(bdir, store.FileName), data, 0o600)
	c := exec.Command(bin, "ask", "--data", bdir, "第53条进展")
	c.Env = env
	if out, err := c.CombinedOutput(); err != nil || !strings.Contains(string(out), "控制台里的报送") {
		t.Errorf("history from the backup: %v\n%s", err, out)
	}
}

// FuzzStoreCommands sends arbitrary messages, as a bound user and as an
// admin, to an engine over a real store: it must never panic, and a
// refused message must store nothing.
func FuzzStoreCommands(f *testing.F) {
	for _, s := range []string{"进展 #3 进行中 已完成造林", "进展 #34 [厦门海关] 进行中 x", "撤回", "第3条进展",
		"绑定 U2 省林业局", "解绑 U1", "我的单位", "update #53 done: ok", "进展 #72 进行中 内容", "设为管理员 U3"} {
		f.Add("U1", s)
		f.Add(bot.LocalOperator, s)
	}
	st, err := store.Open(f.TempDir(), store.Options{NoSocket: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	e := bot.New(bot.Config{Plan: seedPlan(f), Store: st})
	if r := e.Handle(ctx, bot.Request{Text: "绑定 U1 省林业局", UserID: bot.LocalOperator, SourceID: "setup"}); r.Intent != bot.IntentBind {
		f.Fatal(r.PlainText())
	}
	n := 0
	f.Fuzz(func(t *testing.T, user, text string) {
		if user != bot.LocalOperator {
			user = "U1"
		}
		n++
		before, _ := st.Count(ctx)
		r := e.Handle(ctx, bot.Request{Text: text, UserID: user, SourceID: fmt.Sprint("fuzz-", n)})
		if r.Intent == "" || strings.Contains(r.PlainText(), "内部错误") {
			t.Fatalf("%q: %s", text, r.PlainText())
		}
		after, _ := st.Count(ctx)
		if r.Intent == bot.IntentError && after != before {
			t.Fatalf("%q refused but stored a report: %s", text, r.PlainText())
		}
		if r.Intent == bot.IntentUpdate && strings.HasPrefix(r.Title, "已记录") && after != before+1 {
			t.Fatalf("%q confirmed but %d reports stored", text, after-before)
		}
	})
}

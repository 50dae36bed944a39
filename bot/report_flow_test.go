package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/bot"
	"duban/store"
)

// flow is an engine over a store with U1 bound to 省林业局 and U2 to
// 省市场监管局, A1 an admin, and a clock the test moves.
type flow struct {
	t   *testing.T
	e   *bot.Engine
	st  *store.Store
	dir string
	now time.Time
	n   int
	cfg bot.Config
}

func newFlow(t *testing.T, tweak ...func(*bot.Config)) *flow {
	t.Helper()
	f := &flow{t: t, dir: filepath.Join(t.TempDir(), "db"), now: fixedNow}
	f.open(tweak...)
	for user, agency := range phrasingBindings {
		if err := f.st.Bind(context.Background(), duban.Binding{UserID: user, Agency: agency, BoundBy: "A1"}, "bind-"+user); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// open opens the store and an engine over it (again after close: a restart).
func (f *flow) open(tweak ...func(*bot.Config)) {
	f.t.Helper()
	st, err := store.Open(f.dir, store.Options{NoSocket: true, NoSync: true, Now: func() time.Time { return f.now }})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { st.Close() })
	f.st = st
	f.cfg = bot.Config{Plan: seedPlan(f.t), Store: st, Admins: []string{"A1", "A2"}, Now: func() time.Time { return f.now }}
	for _, tw := range tweak {
		tw(&f.cfg)
	}
	f.e = bot.New(f.cfg)
}

// restart closes the store and opens a new engine over the same file.
func (f *flow) restart() {
	f.t.Helper()
	if err := f.st.Close(); err != nil {
		f.t.Fatal(err)
	}
	f.open()
}

func (f *flow) say(user, text string) bot.Reply {
	f.n++
	f.now = f.now.Add(time.Minute)
	return f.e.Handle(context.Background(), bot.Request{Text: text, UserID: user, UserName: "名" + user, Channel: "C1", SourceID: fmt.Sprintf("m%d", f.n)})
}

// expect checks a reply's intent and that its text holds every piece.
func (f *flow) expect(r bot.Reply, intent bot.Intent, pieces ...string) {
	f.t.Helper()
	text := r.PlainText()
	if r.Intent != intent {
		f.t.Errorf("intent %s, want %s: %s", r.Intent, intent, text)
	}
	for _, p := range pieces {
		if !strings.Contains(text, p) {
			f.t.Errorf("reply lacks %q:\n%s", p, text)
		}
	}
}

// history renders an item's records, newest first: "3:c", "x3:c"
// (retracted), with the corrections marked.
func (f *flow) history(item int) []string {
	f.t.Helper()
	h, err := f.st.History(context.Background(), "fujian-2021-quality", item)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, u := range h {
		s := fmt.Sprintf("%d:%s", u.Seq, u.Text)
		if u.Retracted {
			s = "x" + s
		}
		if u.CorrectedBy != 0 {
			s += fmt.Sprintf(">%d", u.CorrectedBy)
		}
		out = append(out, s)
	}
	return out
}

func (f *flow) latest(item int, agency string) string {
	f.t.Helper()
	all, err := f.st.Latest(context.Background(), "fujian-2021-quality")
	if err != nil {
		f.t.Fatal(err)
	}
	for _, u := range all {
		if u.Item == item && u.Agency == agency {
			return u.Text
		}
	}
	return "-"
}

func TestRetractFlow(t *testing.T) {
	f := newFlow(t)
	f.say("U1", "进展 #3 进行中 第一次抽查")
	f.say("U1", "进展 #53 进行中 改造森林公园")
	f.say("U1", "进展 #3 进行中 第二次抽查")
	// 撤回 says which record it retracted: item, number, text.
	f.expect(f.say("U1", "撤回"), bot.IntentUpdate, "已撤回记录3", "第3条", "第二次抽查", "第3条省林业局当前状态：进行中（记录1")
	// A second 撤回 right after asks before going further back.
	r := f.say("U1", "撤回")
	f.expect(r, bot.IntentConfirm, "您最近的记录3已撤回", "更早的记录2", "第53条", "回复“是”")
	if r.Confirm == nil {
		t.Fatal("no confirmation asked")
	}
	if got := f.history(53); !slices.Equal(got, []string{"2:改造森林公园"}) {
		t.Fatalf("retracted before the confirmation: %q", got)
	}
	// 否 leaves it; asked again, 是 retracts it.
	f.expect(f.say("U1", "否"), bot.IntentHelp, "已取消")
	f.expect(f.say("U1", "撤回"), bot.IntentConfirm, "更早的记录2")
	f.expect(f.say("U1", "是"), bot.IntentUpdate, "已撤回记录2", "第53条")
	if got := f.history(53); !slices.Equal(got, []string{"x2:改造森林公园"}) {
		t.Errorf("History(53) = %q", got)
	}
	// 是 with nothing to confirm is no confirmation.
	if r := f.say("U1", "是"); r.Intent == bot.IntentUpdate || r.Intent == bot.IntentConfirm {
		t.Errorf("a lone 是 did something: %s", r.PlainText())
	}
	// 撤回 #3: the latest on that item; 撤回 #53: nothing left of mine.
	f.expect(f.say("U1", "撤回 #3"), bot.IntentUpdate, "已撤回记录1", "第一次抽查")
	f.expect(f.say("U1", "撤回第53条"), bot.IntentError, "第53条没有您报送的")
	f.expect(f.say("U1", "撤回 #72"), bot.IntentError, "没有第72条")
	// 撤回 记录N: own records; admins any.
	f.say("U2", "进展 #4 进行中 食品抽检")
	f.expect(f.say("U1", "撤回 记录4"), bot.IntentError, "不是您报送的", "名U2")
	f.expect(f.say("U1", "撤回 记录99"), bot.IntentError, "没有记录99")
	f.expect(f.say("U1", "撤回 记录1"), bot.IntentError, "已于", "撤回")
	f.expect(f.say("A1", "撤回 记录4"), bot.IntentUpdate, "已撤回记录4", "省市场监管局", "食品抽检")
	f.expect(f.say("U1", "撤回"), bot.IntentError, "没有可以撤回")
	// The history shows the retractions, marked.
	f.expect(f.say("U9", "第3条进展"), bot.IntentHistory, "【已撤回】", "记录编号")
}

func TestCorrectFlow(t *testing.T) {
	f := newFlow(t)
	f.say("U1", "进展 #3 进行中 完成40% 造林10万亩")
	r := f.say("U1", "更正 记录1 造林12万亩")
	f.expect(r, bot.IntentUpdate, "已更正记录1", "新的记录编号2", "进行中", "更正前（记录1）", "造林10万亩")
	if !slices.Equal(r.Records, []uint64{2}) {
		t.Errorf("records = %v", r.Records)
	}
	if got := f.history(3); !slices.Equal(got, []string{"2:造林12万亩", "1:造林10万亩>2"}) {
		t.Errorf("History(3) = %q", got)
	}
	if got := f.latest(3, "省林业局"); got != "造林12万亩" {
		t.Errorf("latest = %q", got)
	}
	f.expect(f.say("U9", "第3条进展"), bot.IntentHistory, "【已更正 → 记录2】", "【更正 记录1】")
	// The status and percent are kept unless the correction gives them.
	if h, _ := f.st.History(context.Background(), "fujian-2021-quality", 3); h[0].Status != duban.StatusInProgress || h[0].Percent != 40 {
		t.Errorf("correction = %s %d%%", h[0].Status, h[0].Percent)
	}
	f.expect(f.say("U1", "更正 记录1 造林13万亩"), bot.IntentError, "已由记录2更正")
	f.expect(f.say("U2", "更正 记录2 越权"), bot.IntentError, "不是您报送的")
	f.expect(f.say("U1", "更正"), bot.IntentError, "例如：更正 记录12")
	f.expect(f.say("U1", "更正 记录99 内容"), bot.IntentError, "没有记录99")
	// 更正 #3: the latest on the item; a status alone keeps the text.
	f.expect(f.say("U1", "更正 #3 已完成"), bot.IntentUpdate, "已更正记录2", "已完成")
	if got := f.latest(3, "省林业局"); got != "造林12万亩" {
		t.Errorf("latest after a status correction = %q", got)
	}
	// Only the latest record of a pair is corrected.
	f.say("U1", "进展 #53 进行中 第一次")
	f.say("U1", "进展 #53 进行中 第二次")
	f.expect(f.say("U1", "更正 记录4 改为第三次"), bot.IntentError, "不是第53条省林业局的最新记录")
	// An admin corrects anyone's.
	f.expect(f.say("A1", "更正 记录5 二（办公室核实）"), bot.IntentUpdate, "已更正记录5")
}

func TestConfirmFlow(t *testing.T) {
	f := newFlow(t)
	r := f.say("U1", "#53 森林公园已改造15个")
	f.expect(r, bot.IntentConfirm, "第53条", "森林公园已改造15个", "回复“是”")
	if r.Confirm == nil || len(r.Records) > 0 {
		t.Fatalf("confirm %+v records %v", r.Confirm, r.Records)
	}
	if n, _ := f.st.Count(context.Background()); n != 0 {
		t.Fatalf("%d stored before the confirmation", n)
	}
	// The question survives a restart.
	f.restart()
	r = f.say("U1", "是")
	f.expect(r, bot.IntentUpdate, "已记录第53条进展", "记录编号1")
	if got := f.history(53); !slices.Equal(got, []string{"1:森林公园已改造15个"}) {
		t.Errorf("History(53) = %q", got)
	}
	// 否 drops it.
	f.say("U1", "第3条 已组织抽查300批次")
	f.expect(f.say("U1", "不是"), bot.IntentHelp, "已取消")
	// It lapses: a 是 after two hours says so and stores nothing.
	f.say("U1", "第3条 已组织抽查300批次")
	f.now = f.now.Add(3 * time.Hour)
	f.expect(f.say("U1", "是"), bot.IntentError, "已作废")
	if n, _ := f.st.Count(context.Background()); n != 1 {
		t.Errorf("%d stored, want 1", n)
	}
	// The Slack button: its id must be the question's.
	r = f.say("U1", "第3条 已组织抽查300批次")
	ctx := context.Background()
	req := bot.Request{UserID: "U1", UserName: "名U1", Channel: "C1", SourceID: "button-1"}
	f.expect(f.e.Confirm(ctx, req, "p-other", true), bot.IntentError, "已失效")
	f.expect(f.e.Confirm(ctx, req, r.Confirm.ID, true), bot.IntentUpdate, "已记录第3条进展")
	f.expect(f.e.Confirm(ctx, req, r.Confirm.ID, true), bot.IntentError, "没有等待您确认的内容")
	// Another user's 是 does not answer U1's question.
	f.say("U1", "第3条 已组织抽查400批次")
	if r := f.say("U2", "是"); r.Intent == bot.IntentUpdate {
		t.Errorf("U2 confirmed U1's report: %s", r.PlainText())
	}
	// A perhaps-report on an item that is not the user's is a question.
	if r := f.say("U1", "#4 已开展食品抽检"); r.Intent == bot.IntentConfirm {
		t.Errorf("asked to confirm a report on another agency's item: %s", r.PlainText())
	}
}

func TestReportWarningsAndRecords(t *testing.T) {
	f := newFlow(t)
	r := f.say("U1", "进展 #3、#53 进行中 同步推进")
	f.expect(r, bot.IntentUpdate, "已记录2条进展", "记录编号1、2")
	if !slices.Equal(r.Records, []uint64{1, 2}) || !slices.Equal(r.Items, []int{3, 53}) {
		t.Errorf("records %v items %v", r.Records, r.Items)
	}
	f.say("U1", "进展 #53 进行中 完成60% 改造")
	r = f.say("U1", "进展 #53 进行中 完成40% 改造")
	f.expect(r, bot.IntentUpdate, "已记录", "请核对", "低于本单位上次报送的60%")
	if len(r.Warnings) != 1 || r.Warnings[0].Code != duban.CodeInconsistent {
		t.Errorf("warnings = %+v", r.Warnings)
	}
	r = f.say("U1", "进展 #3 已完成 完成80%")
	f.expect(r, bot.IntentUpdate, "已记录", "状态为已完成，但完成比例为80%")
	// A status left out is carried over; 100% alone means done.
	f.expect(f.say("U1", "进展 #53 新增步道20公里"), bot.IntentUpdate, "沿用上次报送的状态")
	f.expect(f.say("U1", "进展 #53 完成100%"), bot.IntentUpdate, "已完成，完成100%")
	// One bad item stores none, and says which.
	r = f.say("U1", "进展 #3、#4 进行中 同步")
	f.expect(r, bot.IntentError, "省林业局不是第4条的牵头或按职责落实单位")
	if len(r.Errors) != 1 || r.Errors[0].Field != duban.FieldItem || r.Errors[0].Code != duban.CodeForbidden {
		t.Errorf("errors = %+v", r.Errors)
	}
	// A report without item lists the user's items.
	f.expect(f.say("U1", "进展 进行中 已完成造林10万亩"), bot.IntentError, "请写明条目编号", "#3、#53", "已完成造林10万亩")
}

func TestDelayNotices(t *testing.T) {
	f := newFlow(t)
	if r := f.say("U1", "进展 #3 滞后 资金未到位"); len(r.Notices) != 0 {
		t.Errorf("notices sent while off: %+v", r.Notices)
	}
	f = newFlow(t, func(c *bot.Config) { c.NotifyDelayed = bot.NotifyAdmins })
	r := f.say("U1", "进展 #3 滞后 资金未到位")
	var to []string
	for _, m := range r.Notices {
		to = append(to, m.UserID)
		if !strings.Contains(m.Text, "【滞后】省林业局报告第3条") || !strings.Contains(m.Text, "资金未到位") {
			t.Errorf("notice %q", m.Text)
		}
	}
	if !slices.Equal(to, []string{"A1", "A2"}) {
		t.Errorf("notices to %v, want the admins", to)
	}
	if r := f.say("U1", "进展 #53 进行中 改造"); len(r.Notices) != 0 {
		t.Errorf("a report in progress sent notices: %+v", r.Notices)
	}
	f = newFlow(t, func(c *bot.Config) { c.NotifyDelayed = "C0OFFICE" })
	r = f.say("U1", "进展 #3 滞后 资金未到位")
	if len(r.Notices) != 1 || r.Notices[0].Channel != "C0OFFICE" {
		t.Errorf("channel notice = %+v", r.Notices)
	}
}

func TestMineAgencyProgressAndFilters(t *testing.T) {
	f := newFlow(t)
	f.say("U1", "进展 #3 滞后 资金未到位")
	f.say("U2", "进展 #4 已完成 标准发布")
	f.say("U2", "进展 #10 未开始 等待部署")
	r := f.say("U1", "我的进展")
	f.expect(r, bot.IntentSummary, "您的单位", "省林业局", "#3", "滞后", "尚未报送：#53", "报送示例：进展 #53")
	f.expect(f.say("U1", "my items"), bot.IntentSummary, "省林业局")
	f.expect(f.say("U9", "我的条目"), bot.IntentError, "还没有绑定单位")
	// An agency's progress and the status filters are summaries: a user
	// bound to another agency may have them (TestSummaryAccess).
	r = f.say("U2", "省林业局进展如何")
	f.expect(r, bot.IntentSummary, "省林业局 工作落实情况", "资金未到位")
	f.expect(f.say("U2", "林业局报了吗"), bot.IntentSummary, "省林业局 工作落实情况")
	r = f.say("U2", "哪些工作滞后")
	f.expect(r, bot.IntentSummary, "滞后的工作：1项", "#3", "省林业局")
	if !slices.Equal(r.Items, []int{3}) {
		t.Errorf("items %v", r.Items)
	}
	r = f.say("U2", "已完成的有哪些")
	if !slices.Equal(r.Items, []int{4}) {
		t.Errorf("已完成的有哪些: items %v: %s", r.Items, r.PlainText())
	}
	r = f.say("U2", "还没开始的")
	f.expect(r, bot.IntentSummary, "#10", "尚未报送")
	r = f.say("U2", "哪些单位逾期了")
	f.expect(r, bot.IntentSummary, "有滞后工作的单位：1个", "省林业局（1项）：#3")
	f.expect(f.say("U2", "进行中的工作"), bot.IntentSummary, "目前没有进行中的工作")
}

// FuzzParseReport sends any message, as a user bound to an agency and as
// the office, through the whole engine with a real store: whatever the
// grammar makes of it, a record is stored only when the reply confirms it
// (intent update, each new record number named and listed in Records), and
// a reply that says it stored something did.
func FuzzParseReport(f *testing.F) {
	for _, s := range []string{
		"进展 #53 进行中 已改造森林公园12个", "汇报 第三条 完成40%：……", "update #3 in progress: x",
		"进展 #34 [厦门海关] 进行中 抽检", "进展＃３　办结　全部完成", "#3 进行中 a\n#53 已完成 b", "进展 #3、#53 七成五 推进",
		"#53 森林公园已改造15个", "是", "撤回", "撤回 记录1", "更正 记录1 已完成", "第3条 已完成", "进展 \xff\xfe #3",
		"汇报第000\xe6\x9d", "进展 #3 完成100%", "我的进展", "哪些工作滞后",
	} {
		f.Add("U1", s)
		f.Add(bot.LocalOperator, s)
	}
	fl := &flow{t: &testing.T{}, dir: filepath.Join(f.TempDir(), "db"), now: fixedNow}
	st, err := store.Open(fl.dir, store.Options{NoSocket: true, NoSync: true, Now: func() time.Time { return fixedNow }})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	ctx := context.Background()
	if err := st.Bind(ctx, duban.Binding{UserID: "U1", Agency: "省林业局", BoundBy: "A1"}, "bind-U1"); err != nil {
		f.Fatal(err)
	}
	e := bot.New(bot.Config{Plan: seedPlan(f), Store: st, Now: func() time.Time { return fixedNow }})
	n := 0
	f.Fuzz(func(t *testing.T, user, msg string) {
		if user != "U1" {
			user = bot.LocalOperator
		}
		before, err := st.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n++
		r := e.Handle(ctx, bot.Request{Text: msg, UserID: user, Channel: "C1", SourceID: fmt.Sprintf("fuzz-%d", n)})
		after, err := st.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		text := r.PlainText()
		if after == before {
			if len(r.Records) > 0 || strings.Contains(r.Title, "已记录") && !strings.Contains(r.Title, "已经记录过") {
				t.Fatalf("%q: nothing stored, but the reply says so: %s", msg, text)
			}
			return
		}
		if r.Intent != bot.IntentUpdate || len(r.Records) != after-before {
			t.Fatalf("%q: %d records stored, reply %s records %v: %s", msg, after-before, r.Intent, r.Records, text)
		}
		for _, seq := range r.Records {
			if seq <= uint64(before) || !strings.Contains(text, fmt.Sprint(seq)) {
				t.Fatalf("%q: record %d not confirmed: %s", msg, seq, text)
			}
		}
	})
}

package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/bot"
	"duban/bot/chart"
	"duban/bot/export"
	"duban/store"
)

// supervised is an engine over a real store with a clock the test moves.
type supervised struct {
	t       *testing.T
	eng     *bot.Engine
	st      *store.Store
	now     time.Time
	n       int
	dataDir string
}

func newSupervised(t *testing.T, start time.Time, sv bot.Supervision) *supervised {
	t.Helper()
	dir := t.TempDir()
	s := &supervised{t: t, now: start, dataDir: filepath.Join(dir, "data")}
	st, err := store.Open(filepath.Join(dir, "db"), store.Options{Now: func() time.Time { return s.now }, NoSocket: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s.st = st
	s.eng = bot.New(bot.Config{Plan: seedPlan(t), Store: st, Admins: []string{officeAdminID}, DataDir: s.dataDir,
		Exporter: export.Writer{}, Charter: chart.Drawer{}, Supervision: sv, Now: func() time.Time { return s.now }})
	return s
}

// at moves the clock to a day and time in China.
func (s *supervised) at(m, d, h int) {
	s.now = time.Date(2021, time.Month(m), d, h, 0, 0, 0, officeZone)
}

func (s *supervised) ask(user, text string) bot.Reply {
	s.t.Helper()
	s.n++
	return s.eng.Handle(context.Background(), bot.Request{Text: text, UserID: user, UserName: "名" + user, Channel: "test",
		SourceID: fmt.Sprintf("m%d", s.n), Time: s.now})
}

// must asks and fails unless the reply has the intent.
func (s *supervised) must(user, text string, intent bot.Intent) bot.Reply {
	s.t.Helper()
	r := s.ask(user, text)
	if r.Intent != intent {
		s.t.Fatalf("%s: %q: intent %q, want %q:\n%s", s.now.Format("01-02 15:04"), text, r.Intent, intent, r.PlainText())
	}
	return r
}

var emojiOf = map[string]string{"红灯": "🔴", "黄灯": "🟡", "绿灯": "🟢"}

// lights reads the light of (item, agency) in every view that shows it —
// the agency view, the item answer, the export and App Home's workbench —
// fails unless they agree, checks that 汇总's counts are the export's, and
// returns the light's name.
func (s *supervised) lights(step string, item int, agency, user string) string {
	s.t.Helper()
	ctx := context.Background()
	views := map[string]string{}
	tag := fmt.Sprintf("#%d【", item)
	for _, l := range strings.Split(s.ask(officeAdminID, "汇总 "+agency).PlainText(), "\n") {
		if i := strings.Index(l, tag); i > 0 {
			views["agency view"] = strings.TrimSpace(l[:i])
		}
	}
	for _, l := range strings.Split(s.ask(user, fmt.Sprintf("第%d条", item)).PlainText(), "\n") {
		if i := strings.Index(l, " "+agency+"【"); i > 0 {
			views["item answer"] = l[:i]
		}
	}
	sheets, err := s.eng.ExportSheets(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	counts := map[string]int{}
	for _, row := range sheets[0].Rows {
		counts[row[4].(string)]++
		if row[0] == item && row[2] == agency {
			views["export"] = emojiOf[row[4].(string)]
		}
	}
	wb, err := s.eng.Workbench(ctx, user)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, it := range wb.Items {
		if it.Number == item {
			views["App Home"] = it.Light.Emoji()
		}
	}
	want := views["export"]
	if len(views) != 4 {
		s.t.Fatalf("%s: the light shows in %d views, want 4: %v", step, len(views), views)
	}
	for v, got := range views {
		if got != want {
			s.t.Errorf("%s: %s shows %s, the export %s", step, v, got, want)
		}
	}
	sum := s.ask(officeAdminID, "汇总")
	field := ""
	for _, sec := range sum.Sections {
		for _, f := range sec.Fields {
			if f.Label == "红黄绿灯" {
				field = f.Value
			}
		}
	}
	wantField := fmt.Sprintf("🔴 红灯 %d（", counts["红灯"])
	if !strings.HasPrefix(field, wantField) || !strings.Contains(field, fmt.Sprintf("🟡 黄灯 %d（", counts["黄灯"])) ||
		!strings.Contains(field, fmt.Sprintf("🟢 绿灯 %d（", counts["绿灯"])) {
		s.t.Errorf("%s: 汇总 says %q, the export counts %v", step, field, counts)
	}
	for name, e := range emojiOf {
		if e == want {
			return name
		}
	}
	return ""
}

// TestSupervisionWalk walks one (item, agency) pair, with an injected
// clock, through two reporting rounds and green, yellow, red, 待审核, 退回
// and 通过, checking at each step that 汇总, the agency view, the item
// answer, the export and App Home show the same light.
func TestSupervisionWalk(t *testing.T) {
	s := newSupervised(t, time.Time{}, bot.Supervision{})
	const item, agency, user = 3, "省林业局", "U3"
	s.at(5, 3, 9)
	s.must(officeAdminID, "绑定 "+user+" "+agency, bot.IntentBind)
	r := s.must(officeAdminID, "报送周期 每月 25日", bot.IntentRound)
	if !strings.Contains(r.PlainText(), "2021年5月轮次（4月26日至5月25日）") {
		t.Errorf("报送周期 reply does not name the round:\n%s", r.PlainText())
	}
	s.must(officeAdminID, "审核 开启", bot.IntentReview)
	if r := s.ask(user, "审核 关闭"); r.Intent != bot.IntentError {
		t.Errorf("a non-admin turned review off: %s", r.PlainText())
	}

	// Round 2021-05: nothing reported yet, then a report.
	if got := s.lights("no report", item, agency, user); got != "黄灯" {
		t.Errorf("no report: %s, want 黄灯", got)
	}
	s.at(5, 25, 22)
	s.must(user, "进展 #3 进行中 完成40% 已建设森林步道120公里", bot.IntentUpdate)
	if got := s.lights("reported in round 1", item, agency, user); got != "绿灯" {
		t.Errorf("reported in round 1: %s, want 绿灯", got)
	}

	// Round 2021-06 opens on 5/26: the May report no longer counts.
	s.at(5, 26, 9)
	if got := s.lights("round 2 opens", item, agency, user); got != "黄灯" {
		t.Errorf("round 2 opens: %s, want 黄灯", got)
	}
	m := s.must(officeAdminID, "未报送 省林业局", bot.IntentMissing)
	if !strings.Contains(m.Title, "本轮（2021年6月轮次（5月26日至6月25日））未报送") || !strings.Contains(m.PlainText(), "#3") {
		t.Errorf("未报送 in round 2:\n%s", m.PlainText())
	}
	sum := s.must(officeAdminID, "汇总", bot.IntentSummary)
	if !strings.Contains(sum.PlainText(), "报送轮次: 2021年6月轮次（5月26日至6月25日）") {
		t.Errorf("汇总 does not name the round:\n%s", sum.PlainText())
	}
	s.at(5, 27, 9)
	s.must(user, "进展 #3 进行中 已完成造林5万亩", bot.IntentUpdate)
	if got := s.lights("reported in round 2", item, agency, user); got != "绿灯" {
		t.Errorf("reported in round 2: %s, want 绿灯", got)
	}

	// A deadline set by the office: yellow within 14 days, red after it.
	s.at(5, 28, 9)
	if r := s.ask(user, "设置截止 #3 2021-06-30"); r.Intent != bot.IntentError {
		t.Errorf("a non-admin set a deadline: %s", r.PlainText())
	}
	d := s.must(officeAdminID, "设置截止 #3 2021-06-30", bot.IntentDeadline)
	if !strings.Contains(d.Title, "第3条（全部责任单位）截止日期设为 2021年6月30日") {
		t.Errorf("设置截止: %s", d.PlainText())
	}
	s.at(6, 20, 9)
	if got := s.lights("deadline near", item, agency, user); got != "黄灯" {
		t.Errorf("deadline near: %s, want 黄灯", got)
	}
	q := s.must(user, "第3条截止时间", bot.IntentDeadline)
	if !strings.Contains(q.PlainText(), "2021年6月30日（办公室设定，名"+officeAdminID) || !strings.Contains(q.PlainText(), "距截止 10 天") {
		t.Errorf("第3条截止时间:\n%s", q.PlainText())
	}
	s.at(6, 23, 9)
	s.must(user, "进展 #3 进行中 正在验收", bot.IntentUpdate)
	s.at(7, 2, 9)
	if got := s.lights("overdue", item, agency, user); got != "红灯" {
		t.Errorf("overdue: %s, want 红灯", got)
	}
	// 逾期的有哪些 is the status filter's (滞后, and whatever is past its
	// deadline): it lists the pair with its light and why.
	if r := s.must(officeAdminID, "逾期的有哪些", bot.IntentSummary); !strings.Contains(r.PlainText(), "🔴 #3【牵头】进行中") ||
		!strings.Contains(r.PlainText(), "截止 06-30，已逾期 2 天 省林业局") {
		t.Errorf("逾期的有哪些:\n%s", r.PlainText())
	}
	if r := s.must(officeAdminID, "红灯", bot.IntentLights); !strings.Contains(r.PlainText(), "🔴 #3 省林业局【牵头】进行中，截止 06-30，已逾期 2 天") {
		t.Errorf("红灯:\n%s", r.PlainText())
	}

	// Reported done: awaiting review (yellow), the office is asked.
	s.at(7, 3, 9)
	r = s.must(user, "进展 #3 已完成 全部完成并通过验收", bot.IntentUpdate)
	var ask *bot.Message
	for i := range r.Notices {
		if r.Notices[i].Review != nil {
			ask = &r.Notices[i]
		}
	}
	if ask == nil || ask.UserID != officeAdminID || ask.Review.Item != item || ask.Review.Agency != agency || !strings.Contains(ask.Text, "【待审核】") {
		t.Fatalf("a completion under review did not go to the office: %+v", r.Notices)
	}
	if got := s.lights("pending", item, agency, user); got != "黄灯" {
		t.Errorf("pending: %s, want 黄灯", got)
	}
	if p := s.must(officeAdminID, "待审核", bot.IntentLights); !strings.Contains(p.PlainText(), "#3 省林业局【牵头】已完成（待审核）") {
		t.Errorf("待审核:\n%s", p.PlainText())
	}

	// Sent back: the reason is required, the agency is told, and it is
	// past the deadline and not done: red.
	s.at(7, 4, 9)
	if r := s.ask(officeAdminID, "退回 #3 省林业局"); r.Intent != bot.IntentError || !strings.Contains(r.Title, "理由") {
		t.Errorf("退回 without a reason: %s", r.PlainText())
	}
	if r := s.ask(user, "退回 #3 省林业局 理由：不行"); r.Intent != bot.IntentError {
		t.Errorf("a non-admin sent back: %s", r.PlainText())
	}
	r = s.must(officeAdminID, "退回 #3 省林业局 理由：缺少佐证材料", bot.IntentReview)
	if len(r.Direct) != 1 || r.Direct[0].UserID != user || !strings.Contains(r.Direct[0].Text, "缺少佐证材料") {
		t.Errorf("退回 did not tell the agency: %+v", r.Direct)
	}
	if got := s.lights("returned", item, agency, user); got != "红灯" {
		t.Errorf("returned: %s, want 红灯", got)
	}
	h := s.must(user, "第3条进展", bot.IntentHistory)
	if !strings.Contains(h.PlainText(), "退回：省林业局 的完成报告") || !strings.Contains(h.PlainText(), "缺少佐证材料") ||
		!strings.Contains(h.PlainText(), "截止日期：05-28 09:00 名"+officeAdminID+" 设为 2021-06-30") {
		t.Errorf("history does not show the steps:\n%s", h.PlainText())
	}

	// Done again and accepted (the one pending agency need not be named).
	s.at(7, 6, 9)
	s.must(user, "进展 #3 已完成 补充了佐证材料", bot.IntentUpdate)
	if got := s.lights("pending again", item, agency, user); got != "黄灯" {
		t.Errorf("pending again: %s, want 黄灯", got)
	}
	s.at(7, 7, 9)
	r = s.must(officeAdminID, "通过 #3", bot.IntentReview)
	if !strings.Contains(r.Title, "已通过：第3条 省林业局") {
		t.Errorf("通过: %s", r.PlainText())
	}
	if got := s.lights("accepted", item, agency, user); got != "绿灯" {
		t.Errorf("accepted: %s, want 绿灯", got)
	}
	if r := s.ask(officeAdminID, "通过 #3"); r.Intent != bot.IntentError {
		t.Errorf("通过 with nothing pending: %s", r.PlainText())
	}
	// A later round asks nothing more of a done pair.
	s.at(9, 1, 9)
	if got := s.lights("later round", item, agency, user); got != "绿灯" {
		t.Errorf("later round: %s, want 绿灯", got)
	}
}

// TestSummaryRedFirstAndHidden: 汇总 lists the agencies red before yellow
// before green whatever their size, and says how many it leaves out, by
// light.
func TestSummaryRedFirstAndHidden(t *testing.T) {
	s := newSupervised(t, time.Time{}, bot.Supervision{})
	s.at(6, 1, 9)
	plan := seedPlan(t)
	// Every pair reported on track, so all would be green; then the
	// smallest agency of the table reports 滞后 on its one item.
	small := ""
	count := map[string]int{}
	for _, a := range plan.Assignments() {
		count[a.Agency]++
	}
	for i, a := range plan.Assignments() {
		st := duban.StatusInProgress
		if small == "" && count[a.Agency] == 1 && a.Item > 60 {
			small, st = a.Agency, duban.StatusDelayed
		}
		u := duban.Update{Plan: "fujian-2021-quality", Item: a.Item, Agency: a.Agency, AuthorID: "U1", Status: st, Percent: duban.NoPercent, Text: "进展正常推进", Time: s.now, SourceID: fmt.Sprintf("s%d", i)}
		if _, _, err := s.st.AddUpdate(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	r := s.must(officeAdminID, "汇总", bot.IntentSummary)
	lines := strings.Split(r.Sections[1].Text, "\n")
	if !strings.HasPrefix(lines[0], "🔴 "+small+"：") {
		t.Errorf("the only red agency (%s, one item) is not first:\n%s", small, r.Sections[1].Text)
	}
	if len(lines) >= len(count) {
		t.Fatalf("all %d agencies listed; the test needs some hidden", len(count))
	}
	want := fmt.Sprintf("另有 %d 个单位未列出（最差为红灯的 0 个、黄灯 0 个、绿灯 %d 个）", len(count)-len(lines), len(count)-len(lines))
	if !strings.Contains(r.Note, want) {
		t.Errorf("note %q, want %q", r.Note, want)
	}
}

// TestRemindEscalates: the third reminder of an agency in a round also
// goes to the office as 催办; a retried 提醒 counts once; the count starts
// again in the next round.
func TestRemindEscalates(t *testing.T) {
	s := newSupervised(t, time.Time{}, bot.Supervision{Cadence: duban.Cadence{Period: duban.PeriodMonthly, Day: 25}, OfficeChannel: "COFFICE"})
	s.at(6, 1, 9)
	s.must(officeAdminID, "绑定 U3 省林业局", bot.IntentBind)
	escalations := func(r bot.Reply) int {
		n := 0
		for _, m := range r.Notices {
			if m.Channel == "COFFICE" && strings.Contains(m.Text, "【催办】省林业局") && strings.Contains(m.Text, "#3") {
				n++
			}
		}
		return n
	}
	for i, want := range []int{0, 0, 1} {
		r := s.must(officeAdminID, "提醒 省林业局", bot.IntentMissing)
		if got := escalations(r); got != want {
			t.Errorf("reminder %d: %d escalations, want %d:\n%s", i+1, got, want, r.PlainText())
		}
		if i == 2 && !strings.Contains(r.PlainText(), "省林业局 3 次") {
			t.Errorf("reminder 3 does not count:\n%s", r.PlainText())
		}
	}
	// The same message again (a retry) is no new reminder.
	retry := s.eng.Handle(context.Background(), bot.Request{Text: "提醒 省林业局", UserID: officeAdminID, SourceID: "m-retry", Time: s.now})
	again := s.eng.Handle(context.Background(), bot.Request{Text: "提醒 省林业局", UserID: officeAdminID, SourceID: "m-retry", Time: s.now})
	if !strings.Contains(retry.PlainText(), "省林业局 4 次") || !strings.Contains(again.PlainText(), "省林业局 4 次") {
		t.Errorf("a retried 提醒 counted twice:\n%s\n%s", retry.PlainText(), again.PlainText())
	}
	s.at(6, 26, 9) // round 2021-07
	if r := s.must(officeAdminID, "提醒 省林业局", bot.IntentMissing); escalations(r) != 0 || !strings.Contains(r.PlainText(), "省林业局 1 次") {
		t.Errorf("a new round does not start the count again:\n%s", r.PlainText())
	}
}

// TestDigestAndChart: 通报 gives the figures within 40 lines with the chart
// attached; 汇总 图 the chart alone.
func TestDigestAndChart(t *testing.T) {
	s := newSupervised(t, time.Time{}, bot.Supervision{})
	s.at(6, 1, 9)
	s.must(officeAdminID, "绑定 U3 省林业局", bot.IntentBind)
	s.must("U3", "进展 #3 已完成 全部完成", bot.IntentUpdate)
	s.at(6, 7, 9)
	r := s.must(officeAdminID, "通报", bot.IntentDigest)
	text := r.PlainText()
	for _, want := range []string{"报送率", "按期完成率", "红黄绿灯", "排名", "本周完成（1）", "#3 省林业局（06-01）", "未报送或超过 30 天未更新的单位"} {
		if !strings.Contains(text, want) {
			t.Errorf("通报 lacks %q:\n%s", want, text)
		}
	}
	if n := len(strings.Split(text, "\n")); n > 40 {
		t.Errorf("通报 takes %d lines, want at most 40", n)
	}
	if r.File == nil || r.File.Format != "png" {
		t.Fatalf("通报 has no chart: %+v", r.File)
	}
	c := s.must(officeAdminID, "汇总 图", bot.IntentChart)
	if c.File == nil || c.File.Format != "png" || filepath.Dir(c.File.Path) != s.dataDir {
		t.Errorf("汇总 图: %+v", c.File)
	}
}

// TestDeadlineCommands: asking and setting deadlines in the forms the
// office writes, and bad input refused politely with nothing stored.
func TestDeadlineCommands(t *testing.T) {
	s := newSupervised(t, time.Time{}, bot.Supervision{})
	s.at(6, 1, 9)
	for _, q := range []string{"截止 #3", "截止 #3 是哪天", "第3条截止时间", "第十九条的截止日期是什么时候"} {
		if r := s.ask("U9", q); r.Intent != bot.IntentDeadline || len(r.Items) != 1 {
			t.Errorf("%q: %q %v:\n%s", q, r.Intent, r.Items, r.PlainText())
		}
	}
	if r := s.ask("U9", "第19条截止时间"); !strings.Contains(r.PlainText(), "2021年12月31日（条文：年底前") {
		t.Errorf("第19条截止时间 does not read the item's 年底前:\n%s", r.PlainText())
	}
	for _, tt := range []struct{ q, want string }{
		{"设置截止 #3 明天", "无法识别日期"},
		{"设置截止 #3", "请写明截止日期"},
		{"设置截止 #3 省教育厅 6月底", "不是第3条的责任单位"},
		{"设置截止 #999 6月底", "没有第999条"},
		{"取消截止 #3 6月底", "取消截止"},
	} {
		r := s.ask(officeAdminID, tt.q)
		if r.Intent != bot.IntentError || !strings.Contains(r.Title, tt.want) {
			t.Errorf("%q: %q %q, want an error saying %q", tt.q, r.Intent, r.Title, tt.want)
		}
	}
	if ds, _ := s.st.Deadlines(context.Background(), bot.DefaultPlanID); len(ds) != 0 {
		t.Fatalf("bad input stored %+v", ds)
	}
	r := s.must(officeAdminID, "截止 #3 省林业局 三季度", bot.IntentDeadline)
	if !strings.Contains(r.Title, "第3条（省林业局）截止日期设为 2021年9月30日") {
		t.Errorf("截止 #3 省林业局 三季度: %s", r.Title)
	}
	ds, _ := s.st.Deadlines(context.Background(), bot.DefaultPlanID)
	if len(ds) != 1 || ds[0].ByID != officeAdminID || ds[0].Agency != "省林业局" || !ds[0].Time.Equal(s.now) {
		t.Errorf("stored %+v, want who and when", ds)
	}
	s.must(officeAdminID, "取消截止 #3 省林业局", bot.IntentDeadline)
	if r := s.ask("U9", "第3条截止时间"); !strings.Contains(r.PlainText(), "🟡 省林业局【牵头】截止 12-31") {
		t.Errorf("after 取消截止 the plan's deadline is back:\n%s", r.PlainText())
	}
}

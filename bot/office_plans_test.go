package bot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"duban"
	"duban/bot"
	"duban/bot/export"
	"duban/index"
	"duban/seeds"
	"duban/store"
)

// plan2022 is the second plan of the tests (testdata/plans/README.md).
func plan2022(t testing.TB) *duban.Plan {
	t.Helper()
	p, err := duban.LoadPlan(os.DirFS("../testdata/plans"), "fujian-2022-quality")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// twoPlans is an engine over the seed (the default) and the 2022 plan,
// with a real index for each built on first use; builds counts them.
func twoPlans(t testing.TB) (*bot.Engine, *atomic.Int32) {
	t.Helper()
	builds := &atomic.Int32{}
	var ixs []*index.Index
	t.Cleanup(func() {
		for _, ix := range ixs {
			ix.Close()
		}
	})
	e := bot.New(bot.Config{
		Plan: seedPlan(t), Plans: []*duban.Plan{plan2022(t)},
		NewSearcher: func(p *duban.Plan) (bot.Searcher, error) {
			builds.Add(1)
			ix, err := index.New(p)
			if err == nil {
				ixs = append(ixs, ix)
			}
			return ix, err
		},
		Now: func() time.Time { return fixedNow },
	})
	return e, builds
}

func askAs(e *bot.Engine, user, q string) bot.Reply {
	return e.Handle(context.Background(), bot.Request{Text: q, UserID: user, Channel: "C1", SourceID: user + q})
}

// Questions name a plan, or are answered from the asker's: the default,
// or the one they switched to. Answers say which plan they are from.
func TestQuestionsNamePlans(t *testing.T) {
	e, _ := twoPlans(t)
	cases := []struct {
		user, q string
		intent  bot.Intent
		items   []int
		plan    string
	}{
		{"U1", "省林业局牵头哪些工作", bot.IntentLead, []int{3, 53}, "fujian-2021-quality"},
		{"U1", "2022年省林业局牵头哪些", bot.IntentLead, []int{6, 7, 8}, "fujian-2022-quality"},
		{"U1", "plan 2022 item 3", bot.IntentItem, []int{3}, "fujian-2022-quality"},
		{"U1", "第4条", bot.IntentItem, []int{4}, "fujian-2021-quality"},
		{"U1", "医保局牵头哪些", bot.IntentError, nil, "fujian-2021-quality"},
		{"U1", "2022年医保局牵头哪些", bot.IntentLead, []int{4}, "fujian-2022-quality"},
		{"U1", "切换计划 2022", bot.IntentPlans, nil, ""},
		{"U1", "第4条", bot.IntentItem, []int{4}, "fujian-2022-quality"},
		{"U1", "去年的第3条", bot.IntentItem, []int{3}, "fujian-2021-quality"},
		{"U1", "last year's item 53", bot.IntentItem, []int{53}, "fujian-2021-quality"},
		{"U2", "第4条", bot.IntentItem, []int{4}, "fujian-2021-quality"}, // U2 is still on the default
		{"U1", "切换计划 默认", bot.IntentPlans, nil, ""},
		{"U1", "第4条", bot.IntentItem, []int{4}, "fujian-2021-quality"},
	}
	for _, c := range cases {
		r := askAs(e, c.user, c.q)
		if r.Intent != c.intent || c.items != nil && !slices.Equal(r.Items, c.items) || r.Plan != c.plan {
			t.Errorf("%s %q: intent %s items %v plan %q; want %s %v %q\n%s", c.user, c.q, r.Intent, r.Items, r.Plan, c.intent, c.items, c.plan, r.PlainText())
		}
	}
	if r := askAs(e, "U1", "plan 2022 item 3"); !strings.HasPrefix(r.PlainText(), "〔2022年福建省质量强省工作要点〕\n第3条 加大食品安全监管力度") {
		t.Errorf("an answer from the 2022 plan says so first:\n%s", r.PlainText())
	}
	r := askAs(e, "U1", "2023年计划的第3条")
	if r.Intent != bot.IntentError || !strings.Contains(r.Title, "fujian-2022-quality") {
		t.Errorf("a plan that is not loaded: %s %q, want an error listing the plans", r.Intent, r.Title)
	}
}

func TestSearchAllPlans(t *testing.T) {
	e, _ := twoPlans(t)
	r := askAs(e, "U1", "搜索 全部计划 茶")
	text := r.PlainText()
	if r.Intent != bot.IntentSearch || !strings.Contains(text, "〔2021年〕第30条") || !strings.Contains(text, "〔2022年〕第21条") {
		t.Errorf("搜索 全部计划 茶 shows each hit's plan:\n%s", text)
	}
	if r := askAs(e, "U1", "搜索 茶"); slices.Contains(r.Items, 21) && strings.Contains(r.PlainText(), "2022") {
		t.Errorf("a search without a plan mention searches the default plan only:\n%s", r.PlainText())
	}
}

func TestComparePlans(t *testing.T) {
	e, _ := twoPlans(t)
	askAs(e, "U1", "切换计划 2022")
	for _, q := range []string{"省林业局今年和去年牵头的工作对比", "compare 2021 2022 省林业局 lead"} {
		r := askAs(e, "U1", q)
		text := r.PlainText()
		if r.Intent != bot.IntentCompare || !slices.Equal(r.Agencies, []string{"省林业局"}) || !slices.Equal(r.Items, []int{6, 7, 8}) ||
			!strings.Contains(text, "2021年第3条 → 2022年第6条") || !strings.Contains(text, "新增（1项）\n2022年第7条 推进森林康养基地建设") {
			t.Errorf("%q: %s %v %v\n%s", q, r.Intent, r.Agencies, r.Items, text)
		}
		if n := strings.Count(text, "\n") + 1; n > 40 {
			t.Errorf("%q: %d lines", q, n)
		}
	}
	r := askAs(e, "U1", "体育局今年和去年牵头的工作对比")
	if !strings.Contains(r.PlainText(), "不再列入（1项）\n2021年第52条") {
		t.Errorf("the sports bureau drops item 52:\n%s", r.PlainText())
	}
	// A figure compared with a year is not a comparison of plans.
	if r := askAs(e, "U2", "化肥农药使用量比2020年减少多少"); r.Intent == bot.IntentCompare {
		t.Errorf("a figure question read as a comparison: %s", r.PlainText())
	}
}

// Commands that never search never build an index.
func TestCommandsBuildNoIndex(t *testing.T) {
	e, builds := twoPlans(t)
	for _, q := range []string{"计划列表", "切换计划 2022", "帮助", "我的单位"} {
		askAs(e, "U1", q)
	}
	if n := builds.Load(); n != 0 {
		t.Errorf("%d indexes built by commands that never search", n)
	}
	askAs(e, "U1", "茶")
	if n := builds.Load(); n != 1 {
		t.Errorf("a question on one plan built %d indexes, want 1", n)
	}
}

func TestPlanList(t *testing.T) {
	e, _ := twoPlans(t)
	askAs(e, "U1", "切换计划 2022")
	r := askAs(e, "U1", "计划列表")
	text := r.PlainText()
	if r.Intent != bot.IntentPlans || !strings.Contains(text, "2021年 《2021年福建省质量强省工作要点》 fujian-2021-quality，共71条（默认）") ||
		!strings.Contains(text, "fujian-2022-quality，共28条（您当前使用）") {
		t.Errorf("计划列表:\n%s", text)
	}
	if r := askAs(e, "U1", "切换计划 2022 全局"); r.Intent != bot.IntentError {
		t.Errorf("a user set the global default: %s", r.PlainText())
	}
	if r := askAs(e, "U1", "切换计划 2030"); r.Intent != bot.IntentError || !strings.Contains(r.Title, "没有找到计划") {
		t.Errorf("切换计划 2030: %s", r.PlainText())
	}
}

// The office sees what a document holds before it is stored.
func TestPlanPreview(t *testing.T) {
	doc, err := os.ReadFile("../testdata/plans/fujian-2022-quality/fujian-2022-quality-workpoints.txt")
	if err != nil {
		t.Fatal(err)
	}
	doc = append(doc, []byte("29、加强海洋渔业执法。开展渔船安全检查。(牵头单位:省海洋渔业厅)\n")...)
	p, err := duban.ParseWith(strings.NewReader(string(doc)), duban.ParseOptions{ID: "p2022"})
	if err != nil {
		t.Fatal(err)
	}
	text := bot.PlanPreview(p).PlainText()
	for _, want := range []string{
		"计划《2022年福建省质量强省工作要点》（p2022，2022年）", "条目: 29 条", "反馈截止: 2022年12月20日前",
		"不在单位目录中的单位（2个，将按文档中的名称新增）", "省医保局（第4、5条）：新单位", "省海洋渔业厅（第29条）：可能是省海洋与渔业局",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("preview lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "省农业农村厅") || strings.Contains(text, "银保监局") {
		t.Errorf("far-fetched suggestions:\n%s", text)
	}
}

// twoPlansStore is an engine over the seed and the 2022 plan with a real
// store, without search.
func twoPlansStore(t testing.TB) (*bot.Engine, *store.Store, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "db"), store.Options{NoSocket: true, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := bot.New(bot.Config{Plan: seedPlan(t), Plans: []*duban.Plan{plan2022(t)}, Store: st, DataDir: filepath.Join(dir, "data"),
		Exporter: export.Writer{}, Now: func() time.Time { return fixedNow }})
	return e, st, dir
}

// Reports on one plan never show in the other: histories, summaries,
// missing lists, the workbench and exports read one plan; the default
// switches for everyone when the office says so.
func TestReportsOfTwoPlans(t *testing.T) {
	e, st, _ := twoPlansStore(t)
	ctx := context.Background()
	for _, q := range []string{"绑定 U1 省林业局", "绑定 U2 省医保局"} {
		if r := askAs(e, bot.LocalOperator, q); r.Intent != bot.IntentBind {
			t.Fatalf("%s: %s", q, r.PlainText())
		}
	}
	// U1 reports on the 2021 plan (the default), then on the 2022 plan.
	if r := askAs(e, "U1", "进展 #3 进行中 完成2021年的林产品监测"); r.Intent != bot.IntentUpdate || r.Plan != "fujian-2021-quality" {
		t.Fatalf("2021 report: %s %s", r.Intent, r.PlainText())
	}
	askAs(e, "U1", "切换计划 2022")
	if r := askAs(e, "U1", "进展 #6 已完成 林业标准化示范区建成"); r.Intent != bot.IntentUpdate || r.Plan != "fujian-2022-quality" {
		t.Fatalf("2022 report: %s %s", r.Intent, r.PlainText())
	}
	// Item 3 of 2022 is not the forestry bureau's: refused, nothing stored.
	if r := askAs(e, "U1", "进展 #3 进行中 食品抽检"); r.Intent != bot.IntentError {
		t.Errorf("a report on another agency's 2022 item: %s", r.PlainText())
	}
	// An agency of the 2022 plan only reports on it.
	if r := askAs(e, "U2", "2022年计划 进展 #4 进行中 完成专项检查"); r.Intent != bot.IntentUpdate || r.Plan != "fujian-2022-quality" {
		t.Errorf("省医保局 on 2022: %s", r.PlainText())
	}
	l21, _ := st.Latest(ctx, "fujian-2021-quality")
	l22, _ := st.Latest(ctx, "fujian-2022-quality")
	if len(l21) != 1 || l21[0].Item != 3 || len(l22) != 2 {
		t.Fatalf("stored: 2021 %+v, 2022 %+v", l21, l22)
	}
	h := askAs(e, "U1", "第3条进展").PlainText() // U1 is on 2022 now
	if strings.Contains(h, "2021年的林产品监测") {
		t.Errorf("the 2021 report in the 2022 history of item 3:\n%s", h)
	}
	if h := askAs(e, "U1", "去年的第3条进展").PlainText(); !strings.Contains(h, "2021年的林产品监测") {
		t.Errorf("去年的第3条进展 lacks the 2021 report:\n%s", h)
	}
	sum21 := askAs(e, bot.LocalOperator, "汇总").PlainText()
	if !strings.Contains(sum21, "71 项工作") || !strings.Contains(sum21, "进行中: 1") || strings.Contains(sum21, "已完成: 1") {
		t.Errorf("汇总 of 2021:\n%s", sum21)
	}
	if m := askAs(e, bot.LocalOperator, "未报送 省医保局"); m.Intent != bot.IntentError {
		t.Errorf("省医保局 has no 2021 items: %s", m.PlainText())
	}
	// The office switches the default: 汇总 reads 2022.
	if r := askAs(e, bot.LocalOperator, "切换计划 fujian-2022-quality 全局"); r.Intent != bot.IntentPlans {
		t.Fatalf("switch: %s", r.PlainText())
	}
	sum22 := e.Summary(ctx).PlainText()
	if !strings.Contains(sum22, "28 项工作") || !strings.Contains(sum22, "已完成: 1") || !strings.Contains(sum22, "进行中: 1") {
		t.Errorf("汇总 of 2022:\n%s", sum22)
	}
	wb, err := e.Workbench(ctx, "U2")
	if err != nil || wb.Plan.ID != "fujian-2022-quality" || len(wb.Items) != 2 || wb.Items[0].Latest == nil {
		t.Errorf("U2's workbench: %+v %v", wb, err)
	}
	sheets, err := e.ExportSheets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, row := range sheets[0].Rows {
		if strings.Contains(fmt.Sprint(row...), "2021年的林产品监测") {
			t.Errorf("the 2022 export holds a 2021 report: %v", row)
		}
		rows++
	}
	if rows != len(plan2022(t).Assignments()) {
		t.Errorf("2022 export: %d rows, want one per 2022 pair (%d)", rows, len(plan2022(t).Assignments()))
	}
}

// 导入计划 with a document: the admin sees what was read and confirms;
// nothing is stored before 是, a refused document changes nothing, and
// the plan answers at once after it.
func TestImportPlanInChat(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "db"), store.Options{NoSocket: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := bot.New(bot.Config{Plan: seedPlan(t), Store: st, Admins: []string{"UADMIN"}, Now: func() time.Time { return fixedNow }})
	doc, err := os.ReadFile("../testdata/plans/fujian-2022-quality/fujian-2022-quality-workpoints.txt")
	if err != nil {
		t.Fatal(err)
	}
	file := func(name string, data []byte) []bot.Attachment {
		return []bot.Attachment{{Name: name, Size: int64(len(data)), Fetch: func(context.Context, int64) ([]byte, error) { return data, nil }}}
	}
	send := func(user, text, src string, files []bot.Attachment) bot.Reply {
		return e.Handle(context.Background(), bot.Request{Text: text, UserID: user, Channel: "D1", SourceID: src, Files: files})
	}
	// Not an admin: refused.
	if r := send("U1", "导入计划", "m1", file("2022.txt", doc)); r.Intent != bot.IntentError {
		t.Errorf("a user imported a plan: %s", r.PlainText())
	}
	// A malformed document: the line and the reason, nothing waits.
	bad := []byte(strings.Replace(string(doc), "5、", "6、", 1))
	r := send("UADMIN", "导入计划", "m2", file("bad.txt", bad))
	if r.Intent != bot.IntentError || !strings.Contains(r.PlainText(), "缺少第5条") || !strings.Contains(r.Title, "没有做任何更改") {
		t.Errorf("malformed: %s", r.PlainText())
	}
	if r := send("UADMIN", "是", "m3", nil); r.Intent == bot.IntentPlans {
		t.Errorf("是 after a refused document imported something: %s", r.PlainText())
	}
	// A good one: the preview, then 是.
	r = send("UADMIN", "导入计划", "m4", file("fujian-2022-quality.txt", doc))
	text := r.PlainText()
	if r.Intent != bot.IntentConfirm || r.Confirm == nil || !strings.Contains(text, "条目: 28 条") || !strings.Contains(text, "省医保局（第4、5条）：新单位") {
		t.Fatalf("preview: %s\n%s", r.Intent, text)
	}
	if ps, _ := st.StoredPlans(context.Background()); len(ps) != 0 || len(e.Plans()) != 1 {
		t.Fatal("stored before the admin confirmed")
	}
	r = send("UADMIN", "是", "m5", nil)
	if r.Intent != bot.IntentPlans || !strings.Contains(r.Title, "已导入《2022年福建省质量强省工作要点》（fujian-2022-quality，2022年）：28条") {
		t.Fatalf("confirm: %s", r.PlainText())
	}
	if ps, _ := st.StoredPlans(context.Background()); len(ps) != 1 || ps[0].AddedBy != "UADMIN" || len(e.Plans()) != 2 {
		t.Errorf("after 是: %d stored, %d served", len(ps), len(e.Plans()))
	}
	if r := send("U1", "2022年医保局牵头哪些", "m6", nil); !slices.Equal(r.Items, []int{4}) || r.Plan != "fujian-2022-quality" {
		t.Errorf("the new plan answers: %v %s", r.Items, r.PlainText())
	}
	// The same document again is refused.
	if r := send("UADMIN", "导入计划", "m7", file("again.txt", doc)); r.Intent != bot.IntentError || !strings.Contains(r.PlainText(), "完全相同") {
		t.Errorf("the same document again: %s", r.PlainText())
	}
	// A document of the seed's size (50 KB) waits whole for 是 as well.
	big := []byte(strings.ReplaceAll(string(seeds.Fujian2021), "2021年", "2023年"))
	if r := send("UADMIN", "导入计划", "m8", file("p2023.txt", big)); r.Intent != bot.IntentConfirm {
		t.Fatalf("a 50 KB document: %s", r.PlainText())
	}
	if r := send("UADMIN", "是", "m9", nil); r.Intent != bot.IntentPlans || len(e.Plans()) != 3 {
		t.Errorf("a 50 KB document confirmed: %s", r.PlainText())
	}
}

// The year of the plan the asker is on is no topic word: every item is
// in it. A question with it is answered as the question without it.
func TestOwnPlanYearIsNoTopicWord(t *testing.T) {
	e, _ := twoPlans(t)
	askAs(e, "U4", "切换计划 2022")
	for _, c := range []struct{ user, year, q string }{
		{"U3", "2021年", "茶产业有什么工作"},
		{"U3", "2021年的", "食品安全"},
		{"U3", "今年 ", "冷链"}, // fixedNow's year is 2021
		{"U4", "2022年", "食品安全"},
	} {
		with, without := askAs(e, c.user, c.year+c.q), askAs(e, c.user, c.q)
		if len(without.Items) == 0 || !slices.Equal(with.Items, without.Items) || with.Intent != without.Intent {
			t.Errorf("%s %q: %s %v; without the year %s %v", c.user, c.year+c.q, with.Intent, with.Items, without.Intent, without.Items)
		}
	}
}

package bot_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"duban"
	"duban/bot"
	"duban/index"
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

package understand

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"duban"
	"duban/seeds"
)

func seedPlan(t testing.TB) *duban.Plan {
	t.Helper()
	p, err := duban.LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// entry renders an entry: "#3 进行中 40% 「text」".
func entry(e Entry) string {
	s := fmt.Sprintf("#%d %s", e.Item, e.Status)
	if e.Item < 0 {
		s = fmt.Sprintf("#?%d %s", e.Written, e.Status)
	}
	if e.Percent != duban.NoPercent {
		s += fmt.Sprintf(" %d%%", e.Percent)
	}
	return s + " 「" + e.Text + "」"
}

func TestReadReport(t *testing.T) {
	p := seedPlan(t)
	cases := []struct {
		in      string
		verdict Verdict
		agency  string
		want    string // the entries, joined by " | "
	}{
		{"进展 #53 进行中 已改造森林公园12个,建设森林步道120公里", IsReport, "", "#53 进行中 「已改造森林公园12个,建设森林步道120公里」"},
		{"进展 第3条 已完成 全年任务完成", IsReport, "", "#3 已完成 「全年任务完成」"},
		{"进展 第三条 推进中：正在组织验收", IsReport, "", "#3 进行中 「正在组织验收」"},
		{"更新 3号 延期 受疫情影响推迟", IsReport, "", "#3 滞后 「受疫情影响推迟」"},
		{"汇报 第七十一条 未启动，等待部署", IsReport, "", "#71 未开始 「等待部署」"},
		{"进展 #3 完成40% 已完成调研", IsReport, "", "#3 未报送 40% 「已完成调研」"},
		{"进展 #3 进行中 40% 已完成调研", IsReport, "", "#3 进行中 40% 「已完成调研」"},
		{"进展 #3 40% 进行中 已完成调研", IsReport, "", "#3 进行中 40% 「已完成调研」"},
		{"进展 #3 进度60%，正在推进造林", IsReport, "", "#3 未报送 60% 「正在推进造林」"},
		{"进展＃３　办结　全部完成", IsReport, "", "#3 已完成 「全部完成」"},
		{"进展 #34 [厦门海关] 进行中 开展进口食品抽检", IsReport, "厦门海关", "#34 进行中 「开展进口食品抽检」"},
		{"进展 #34 【 福州海关 】 受阻：人手不足", IsReport, "福州海关", "#34 滞后 「人手不足」"},
		{"汇报第3条进展：已完成 造林10万亩", IsReport, "", "#3 已完成 「造林10万亩」"},
		{"进展 3 进行中 造林", IsReport, "", "#3 进行中 「造林」"},
		{"update #3 in progress: planting done in two counties", IsReport, "", "#3 进行中 「planting done in two counties」"},
		{"Update item 53 DELAYED - waiting for funds", IsReport, "", "#53 滞后 「waiting for funds」"},
		{"<@U0BOT> 进展 #5 进行中 抽检300批次", IsReport, "", "#5 进行中 「抽检300批次」"},
		// Several sentences, each starting with its item: each its own entry.
		{"Item 3: 70% done. Item 53: delayed due to funding.", IsReport, "", "#3 未报送 70% 「70% done.」 | #53 滞后 「due to funding.」"},
		{"第3条 已完成 抽检300批次。第53条 滞后，资金未到位", IsReport, "", "#3 已完成 「抽检300批次。」 | #53 滞后 「资金未到位」"},
		// Status words glued to the text: labels count, sentences stay text.
		{"进展 #3 进行中已完成造林任务", IsReport, "", "#3 进行中 「已完成造林任务」"},
		{"进展 #3 已完成全部造林任务", IsReport, "", "#3 未报送 「已完成全部造林任务」"},
		{"进展 #3 完成了造林任务", IsReport, "", "#3 未报送 「完成了造林任务」"},
		{"进展 #3 完成40%的造林任务", IsReport, "", "#3 未报送 40% 「完成40%的造林任务」"},
		{"进展 #3 滞后于计划", IsReport, "", "#3 未报送 「滞后于计划」"},
		{"update #3 donezo", IsReport, "", "#3 未报送 「donezo」"},
		// The text is kept as written: full width, line breaks, punctuation.
		{"进展 #3 进行中\n一、已完成：１２个。\n二、推进中。", IsReport, "", "#3 进行中 「一、已完成：１２个。\n二、推进中。」"},
		// Several items, one line per item, ranges.
		{"进展 #3、#53 进行中 同步推进", IsReport, "", "#3 进行中 「同步推进」 | #53 进行中 「同步推进」"},
		{"进展 #3 and #53 done: all", IsReport, "", "#3 已完成 「all」 | #53 已完成 「all」"},
		{"进展 第3至5条 进行中 同步", IsReport, "", "#3 进行中 「同步」 | #4 进行中 「同步」 | #5 进行中 「同步」"},
		{"#3 进行中 一\n二\n#53 已完成 三", IsReport, "", "#3 进行中 「一\n二」 | #53 已完成 「三」"},
		{"update\nitem 3 done: a\nitem 53 delayed: b", IsReport, "", "#3 已完成 「a」 | #53 滞后 「b」"},
		{"进展\n#3 抽查300批次\n#53 改造15个", IsReport, "", "#3 未报送 「抽查300批次」 | #53 未报送 「改造15个」"},
		{"进展 #3 进行中 抽查\n#53号线路已改造", IsReport, "", "#3 进行中 「抽查\n#53号线路已改造」"},
		// Percent forms.
		{"#53 百分之四十 改造", IsReport, "", "#53 未报送 40% 「改造」"},
		{"#53 进行中 四成 改造", IsReport, "", "#53 进行中 40% 「改造」"},
		{"#53 进行中 改造了12个，进度为七成五", IsReport, "", "#53 进行中 75% 「改造了12个，进度为七成五」"},
		{"#53 进行中 合格率92%", IsReport, "", "#53 进行中 「合格率92%」"},
		{"进展 #53 已完成百分之百", IsReport, "", "#53 未报送 100% 「已完成百分之百」"},
		// Missing parts: the handler says what.
		{"进展 #3", IsReport, "", "#3 未报送 「」"},
		{"进展 #3 进行中", IsReport, "", "#3 进行中 「」"},
		{"进展 #0 进行中 内容", IsReport, "", "#?0 进行中 「内容」"},
		{"进展 #72 进行中 内容", IsReport, "", "#?72 进行中 「内容」"},
		{"进展 #-3 进行中 内容", IsReport, "", "#?-1 进行中 「内容」"},
		{"进展 #3 150% 内容", IsReport, "", "#3 未报送 150% 「内容」"},
		{"进展 40% 内容", IsReport, "", "#0 未报送 40% 「内容」"},
		{"进展 #abc", IsReport, "", "#0 未报送 「#abc」"},
		{"进行中 已完成造林10万亩", IsReport, "", "#0 进行中 「已完成造林10万亩」"},
		// Perhaps a report.
		{"#53 森林公园已改造15个", MaybeReport, "", "#53 未报送 「森林公园已改造15个」"},
		// Not reports.
		{"第3条进展", NotReport, "", ""},
		{"第3条进展情况", NotReport, "", ""},
		{"进展 #3 怎么样", NotReport, "", ""},
		{"进展 #3 进行中吗", NotReport, "", ""},
		{"更新改造供水管网多少公里", NotReport, "", ""},
		{"进展顺利吗", NotReport, "", ""},
		{"updated items", NotReport, "", ""},
		{"省林业局牵头哪些工作", NotReport, "", ""},
		{"#53 已完成了吗", NotReport, "", ""},
		{"第3条 已完成?", NotReport, "", ""},
		{"is item 53 done", NotReport, "", ""},
		{"反馈 联系人", NotReport, "", ""},
		{"报送截止时间", NotReport, "", ""},
		{"进度", NotReport, "", ""},
		{"完成 情况", NotReport, "", ""},
		{"滞后", NotReport, "", ""},
		{"#53", NotReport, "", ""},
		{"第13条 供水管网", NotReport, "", ""},
	}
	for _, c := range cases {
		r := ReadReport(c.in, p)
		var got []string
		for _, e := range r.Entries {
			got = append(got, entry(e))
		}
		if r.Verdict != c.verdict || r.Agency != c.agency || strings.Join(got, " | ") != c.want {
			t.Errorf("ReadReport(%q) = %s %q %q\nwant %s %q %q", c.in, r.Verdict, r.Agency, strings.Join(got, " | "), c.verdict, c.agency, c.want)
		}
	}
}

func TestReportFormOnly(t *testing.T) {
	p := seedPlan(t)
	for _, s := range []string{"进展", "update", "汇报：", "<@U1> 进展"} {
		if r := ReadReport(s, p); r.Verdict != IsReport || !r.FormOnly {
			t.Errorf("ReadReport(%q) = %s form %v, want the form", s, r.Verdict, r.FormOnly)
		}
	}
	for _, s := range []string{"进展 #3", "进度", "反馈", "进展顺利"} {
		if r := ReadReport(s, p); r.FormOnly {
			t.Errorf("ReadReport(%q) asks for the form", s)
		}
	}
}

func TestReadRetraction(t *testing.T) {
	p := seedPlan(t)
	cases := []struct {
		in   string
		want string // kind:item:record, or "-" for no retraction
	}{
		{"撤回", "0:0:0"}, {"撤回。", "0:0:0"}, {"撤销上一条", "0:0:0"}, {"撤回我的进展", "0:0:0"},
		{"retract", "0:0:0"}, {"undo last", "0:0:0"}, {"撤回刚才的汇报", "0:0:0"},
		{"撤回 #53", "1:53:0"}, {"撤回第53条", "1:53:0"}, {"撤回 53号", "1:53:0"}, {"撤回 #72", "1:72:0"},
		{"撤回 记录12", "2:0:12"}, {"撤回记录 #12", "2:0:12"}, {"撤回 记录编号12", "2:0:12"}, {"retract record 12", "2:0:12"}, {"撤回 记录十二", "2:0:12"}, {"撤回 记录1.5", "-"},
		{"撤回第3条的要求是什么", "-"}, {"撤销行政审批事项", "-"}, {"撤回", "0:0:0"},
	}
	for _, c := range cases {
		r, ok := ReadRetraction(c.in, p)
		got := "-"
		if ok {
			got = fmt.Sprintf("%d:%d:%d", r.Kind, r.Item, r.Record)
		}
		if got != c.want {
			t.Errorf("ReadRetraction(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestReadCorrection(t *testing.T) {
	p := seedPlan(t)
	cases := []struct {
		in   string
		want string // record:item:entry, "usage", or "-"
	}{
		{"更正 记录12 已完成 全部完成", "12:0:#0 已完成 「全部完成」"},
		{"更正记录12：进行中，完成60%，已改造15个", "12:0:#0 进行中 60% 「已改造15个」"},
		{"更正 #53 进行中 已改造20个", "0:53:#0 进行中 「已改造20个」"},
		{"correct record 7 done", "7:0:#0 已完成 「」"},
		{"更正", "usage"},
		{"更正 已改造20个", "usage"},
		{"更正错误数据的办法", "-"},
		{"第3条进展", "-"},
	}
	for _, c := range cases {
		r, ok := ReadCorrection(c.in, p)
		got := "-"
		switch {
		case ok && r.Usage:
			got = "usage"
		case ok:
			got = fmt.Sprintf("%d:%d:%s", r.Record, r.Item, entry(r.Entry))
		}
		if got != c.want {
			t.Errorf("ReadCorrection(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestReadAnswerMineAgencyFilter(t *testing.T) {
	p := seedPlan(t)
	answers := map[string]Answer{"是": Yes, "是的": Yes, "确认": Yes, "Yes": Yes, "是。": Yes, "否": No, "不是": No, "取消": No,
		"是什么": NoAnswer, "第3条是什么": NoAnswer, "好的": NoAnswer, "": NoAnswer}
	for s, want := range answers {
		if got := ReadAnswer(s); got != want {
			t.Errorf("ReadAnswer(%q) = %d, want %d", s, got, want)
		}
	}
	for _, s := range []string{"我的进展", "我的条目", "my items", "本单位进展情况", "查看我的进展", "我的进展如何"} {
		if !ReadMine(s) {
			t.Errorf("ReadMine(%q) = false", s)
		}
	}
	for _, s := range []string{"我的单位", "我的进展报送", "进展"} {
		if ReadMine(s) {
			t.Errorf("ReadMine(%q) = true", s)
		}
	}
	agencies := map[string]string{"省林业局进展如何": "省林业局", "林业局报了吗": "省林业局", "海关的进展情况": "福州海关 厦门海关",
		"省市场监管局落实情况": "省市场监管局", "省林业局牵头哪些工作": "", "林业局": "", "省林业局和海关进展如何": ""}
	for s, want := range agencies {
		names, _, ok := ReadAgencyProgress(s, p.Directory)
		if got := strings.Join(names, " "); got != want || ok != (want != "") {
			t.Errorf("ReadAgencyProgress(%q) = %q %v, want %q", s, got, ok, want)
		}
	}
	filters := map[string]string{
		"哪些工作滞后": "滞后", "已完成的有哪些": "已完成", "还没开始的": "未开始", "哪些单位逾期了": "滞后 agencies overdue",
		"进行中的条目": "进行中", "哪些部门滞后": "滞后 agencies", "滞后": "-", "哪些工作要在年底前完成": "-", "哪些工作涉及滞后产能": "-",
	}
	for s, want := range filters {
		f, ok := ReadFilter(s)
		got := "-"
		if ok {
			got = f.Status.String()
			if f.Agencies {
				got += " agencies"
			}
			if f.Overdue {
				got += " overdue"
			}
		}
		if got != want {
			t.Errorf("ReadFilter(%q) = %q, want %q", s, got, want)
		}
	}
}

// FuzzReadReport checks the grammar on any input: it never panics, the
// text of every entry is part of the message as written (valid UTF-8 in,
// valid UTF-8 out), and the fields are in range.
func FuzzReadReport(f *testing.F) {
	for _, s := range []string{
		"进展 #53 进行中 已改造森林公园12个", "汇报 第三条 完成40%：……", "update #3 in progress: x",
		"进展 #34 [厦门海关] 进行中 抽检", "进展＃３　办结　全部完成", "进展 #3 BLOC\u212aED x", "进展 #3 İn progress",
		"进展 第十十条 x", "进展 \xff\xfe #3", "更新 3号", "<@U1> 进展 #3 【海关", "report no.7 done:",
		"#3 进行中 a\n#53 已完成 b", "进展 #3、#53 七成五 x", "撤回 记录12", "更正 记录12 已完成",
		"我们局第53条推进中", "第三条这边进度大概六成", "item 53 is about 80% complete", "森林公园改造已经过半",
	} {
		f.Add(s)
	}
	p := seedPlan(f)
	f.Fuzz(func(t *testing.T, s string) {
		ReadRetraction(s, p)
		ReadCorrection(s, p)
		ReadFilter(s)
		ReadMine(s)
		ReadAgencyProgress(s, p.Directory)
		for _, r := range []Report{ReadReport(s, p), ReadLooseReport(s, p)} {
			checkFuzzedReport(t, p, s, r)
		}
	})
}

// checkFuzzedReport checks what any report read from s must hold.
func checkFuzzedReport(t *testing.T, p *duban.Plan, s string, r Report) {
	t.Helper()
	if r.Verdict == NotReport {
		if len(r.Entries) > 0 {
			t.Fatalf("not a report, but entries: %+v", r)
		}
		return
	}
	for _, e := range r.Entries {
		if utf8.ValidString(s) && (!utf8.ValidString(e.Text) || !strings.Contains(s, e.Text)) {
			t.Fatalf("text %q is not part of %q", e.Text, s)
		}
		if e.Text != strings.TrimSpace(e.Text) {
			t.Fatalf("text %q not trimmed", e.Text)
		}
		if e.Status < duban.StatusNone || e.Status > duban.StatusDelayed {
			t.Fatalf("status %d out of range", e.Status)
		}
		if e.Item > 0 && p.Item(e.Item) == nil {
			t.Fatalf("item %d is not in the plan", e.Item)
		}
	}
}

// BenchmarkReadReport reads a long report (2000 characters, many numbers
// and percentages), as agencies paste from their documents.
func BenchmarkReadReport(b *testing.B) {
	p := seedPlan(b)
	msg := "进展 #3、#53 进行中 " + strings.Repeat("已改造森林公园12个，完成40%，第3条、#5号，", 70)
	b.ReportAllocs()
	for b.Loop() {
		ReadReport(msg, p)
	}
}
